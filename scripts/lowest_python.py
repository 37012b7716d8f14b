"""Is this the lowest Python that pyproject.toml's requires-python claims? (CI runs on it.)

``python scripts/lowest_python.py`` prints the lowest version claimed and exits 0
when the interpreter running it is that version, else says so in one line and
exits 1. ``--version X.Y`` checks X.Y instead of the running interpreter;
``--lowest`` only prints the claimed version. tests/test_cli.py runs it (in CI, on
the interpreter running the suite).
"""

from __future__ import annotations

import re
import sys
import tomllib
from pathlib import Path

PYPROJECT = Path(__file__).resolve().parent.parent / "pyproject.toml"


def lowest_claimed(path: Path = PYPROJECT) -> tuple[int, int]:
    with path.open("rb") as handle:
        claim = tomllib.load(handle)["project"]["requires-python"]
    found = re.search(r">=\s*(\d+)\.(\d+)", claim)
    if found is None:
        raise SystemExit(f"requires-python ({claim!r}) names no lowest version.")
    return int(found.group(1)), int(found.group(2))


def main(argv: list[str]) -> int:
    lowest = lowest_claimed()
    wanted = f"{lowest[0]}.{lowest[1]}"
    if argv[:1] == ["--lowest"]:
        print(wanted)
        return 0
    if argv[:1] == ["--version"] and len(argv) > 1:
        running = argv[1]
    else:
        running = f"{sys.version_info[0]}.{sys.version_info[1]}"
    if running != wanted:
        print(
            f"Tests must run on Python {wanted}, the lowest requires-python claims; this is {running}. "
            f"Remove .venv and run again with python{wanted} (make PYTHON=python{wanted}).",
            file=sys.stderr,
        )
        return 1
    print(f"Python {running}: the lowest requires-python claims.")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
