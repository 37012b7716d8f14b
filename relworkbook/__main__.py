"""``python -m relworkbook`` and the ``relworkbook`` command.

The plain start (no sub-command) is read by ``start.py`` without click, so
opening the workbook stays quick; everything else goes to the click command
line in ``cli.py`` (imported only then). The choice is made here, so ``start``
and ``cli`` do not import each other.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path
from typing import Sequence

from .start import COMPLETE_VAR, default_db, exercise_dirs, guarded, plain_start_args, run_app


def main(argv: Sequence[str] | None = None) -> None:
    args = list(sys.argv[1:] if argv is None else argv)
    # Shell completion (click's ``eval "$(_RELWORKBOOK_COMPLETE=bash_source relworkbook)"``)
    # runs the bare command with this variable set: it is click's to answer,
    # and must never open the app.
    plain = None if COMPLETE_VAR in os.environ else plain_start_args(args)
    if plain is None:
        from .cli import main as cli_main

        cli_main(args)
        return
    db, dirs = plain

    def run() -> None:
        path = Path(db).expanduser() if db else default_db()
        run_app(path, exercise_dirs(dirs))

    guarded(run)


__all__ = ["main"]

if __name__ == "__main__":
    main()
