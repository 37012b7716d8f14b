"""The command line, run as a real process: each command, and each error as one line."""

from __future__ import annotations

import io
import json
import os
import stat
import subprocess
import sys
import zipfile
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, cwd: Path | None = None, env: dict | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", *args],
        capture_output=True,
        text=True,
        cwd=cwd or ROOT,
        env=full_env,
        stdin=subprocess.DEVNULL,
        timeout=timeout,
    )


def assert_one_line_error(result: subprocess.CompletedProcess, *words: str) -> None:
    assert result.returncode in (1, 2), result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) >= 1
    joined = " ".join(lines).lower()
    for word in words:
        assert word.lower() in joined, result.stderr


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("demo") / "demo.db"
    result = run("demo", "--db", str(db), "--weeks", "6", "--seed", "3")
    assert result.returncode == 0, result.stderr
    return db


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def test_validate_shipped_program_passes():
    result = run("validate")
    assert result.returncode == 0, result.stdout + result.stderr


def test_validate_reports_file_and_line(tmp_path):
    pack = tmp_path / "pack"
    (pack / "trust").mkdir(parents=True)
    (pack / "trust" / "bad.yaml").write_text(
        "id: bad-one\ntitle: Bad\nstep: trust\nminutes: 5\nintro: x\nprompts:\n  - id: p\n    type: essay\n    text: hi\n",
        encoding="utf-8",
    )
    result = run("validate", str(pack))
    assert result.returncode == 1
    assert f"{pack / 'trust' / 'bad.yaml'}:8:" in result.stdout
    assert "essay" in result.stdout


def test_validate_missing_folder(tmp_path):
    result = run("validate", str(tmp_path / "nope"))
    assert_one_line_error(result, "nope")


def test_demo_writes_owner_only_workbook(demo_db):
    assert demo_db.is_file()
    assert mode(demo_db) == 0o600


def test_demo_refuses_existing_workbook(demo_db):
    result = run("demo", "--db", str(demo_db), "--weeks", "1")
    assert_one_line_error(result, "already")


def test_history_lists_newest_first(demo_db):
    result = run("history", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    lines = [line for line in result.stdout.splitlines()[1:] if line.strip()]
    assert len(lines) >= 6
    dates = [line.split()[1] for line in lines]
    assert dates == sorted(dates, reverse=True)
    assert "Alex" in result.stdout and "Sam" in result.stdout


def test_history_search_finds_words(demo_db):
    export = json.loads(run("export", "--db", str(demo_db)).stdout)
    words = [a["text"].split()[0] for a in export["answers"] if a.get("text") and not a.get("private")]
    assert words
    result = run("history", "--db", str(demo_db), "--search", words[0])
    assert result.returncode == 0, result.stderr
    assert words[0].lower() in result.stdout.lower()
    assert "[[" not in result.stdout  # piped: no markers (bold only on a terminal: test_native)
    odd = run("history", "--db", str(demo_db), "--search", '"unbalanced * AND (')
    assert odd.returncode == 0, odd.stderr


def test_export_import_export_round_trip(demo_db, tmp_path):
    first = tmp_path / "first.json"
    result = run("export", "--db", str(demo_db), "--output", str(first))
    assert result.returncode == 0, result.stderr
    assert mode(first) == 0o600
    fresh = tmp_path / "fresh.db"
    result = run("import", "--db", str(fresh), str(first))
    assert result.returncode == 0, result.stderr
    second = run("export", "--db", str(fresh))
    assert json.loads(second.stdout) == json.loads(first.read_text(encoding="utf-8"))
    again = run("import", "--db", str(fresh), str(first))
    assert_one_line_error(again, "not empty")


def test_import_rejects_non_export(tmp_path):
    junk = tmp_path / "junk.json"
    junk.write_text("this is not json", encoding="utf-8")
    result = run("import", "--db", str(tmp_path / "x.db"), str(junk))
    assert_one_line_error(result, "junk.json")


def test_import_refuses_a_file_over_the_limit_before_reading_it(tmp_path):
    """A (sparse) file one byte over the limit: refused after one stat, in one line,
    nothing imported, no workbook made."""
    from relworkbook.cli import MAX_IMPORT_BYTES

    huge = tmp_path / "huge.json"
    with open(huge, "wb") as handle:
        handle.truncate(MAX_IMPORT_BYTES + 1)
    result = run("import", "--db", str(tmp_path / "x.db"), str(huge), timeout=20)
    assert_one_line_error(result, "huge.json", f"{MAX_IMPORT_BYTES + 1} bytes", "256 MiB", "nothing was imported")
    assert len(result.stderr.strip().splitlines()) == 1
    assert not (tmp_path / "x.db").exists()


class _CountingStream(io.RawIOBase):
    """Standard input that holds ``size`` bytes of JSON-ish text and counts what is read."""

    def __init__(self, size: int) -> None:
        self.left = size
        self.taken = 0

    def readable(self) -> bool:
        return True

    def readinto(self, buffer) -> int:
        n = min(len(buffer), self.left)
        buffer[:n] = b" " * n
        self.left -= n
        self.taken += n
        return n


def test_import_from_stdin_reads_at_most_one_byte_past_the_limit(tmp_path, monkeypatch, demo_db):
    from click.testing import CliRunner

    from relworkbook import cli as cli_mod

    monkeypatch.setattr(cli_mod, "MAX_IMPORT_BYTES", 4 * 2**20)
    stream = _CountingStream(64 * 2**20)
    result = CliRunner().invoke(cli_mod.cli, ["import", "--db", str(tmp_path / "x.db"), "-"], input=io.BufferedReader(stream))
    assert result.exit_code == 1
    assert result.stderr.strip() == ("relworkbook: standard input is over the 4 MiB an export may be "
                                     "(ten years of weekly sittings export to about 8 MiB); nothing was imported.")
    assert stream.taken <= 4 * 2**20 + 1 + io.DEFAULT_BUFFER_SIZE
    assert not (tmp_path / "x.db").exists()
    # A real export just under the limit still imports, from a file and from stdin.
    export = run("export", "--db", str(demo_db)).stdout.encode("utf-8")
    assert len(export) < 4 * 2**20
    good = tmp_path / "good.json"
    good.write_bytes(export)
    assert CliRunner().invoke(cli_mod.cli, ["import", "--db", str(tmp_path / "a.db"), str(good)]).exit_code == 0
    assert CliRunner().invoke(cli_mod.cli, ["import", "--db", str(tmp_path / "b.db"), "-"], input=export).exit_code == 0
    # And a file over the (lowered) limit is refused by its size.
    monkeypatch.setattr(cli_mod, "MAX_IMPORT_BYTES", len(export) - 1)
    refused = CliRunner().invoke(cli_mod.cli, ["import", "--db", str(tmp_path / "c.db"), str(good)])
    assert refused.exit_code == 1 and f"is {len(export)} bytes, over the" in refused.stderr


def test_backup_is_owner_only(demo_db):
    result = run("backup", "--db", str(demo_db))
    assert result.returncode == 0, result.stderr
    target = Path(result.stdout.strip().split(" to ", 1)[1])
    assert target.is_file() and mode(target) == 0o600


def test_recap_formats(demo_db, tmp_path):
    text = run("recap", "--db", str(demo_db), "--last")
    assert text.returncode == 0, text.stderr
    assert all(len(line) <= 80 for line in text.stdout.splitlines())
    html = tmp_path / "recap.html"
    result = run("recap", "--db", str(demo_db), "--format", "html", "--output", str(html))
    assert result.returncode == 0, result.stderr
    assert mode(html) == 0o600
    assert "<html" in html.read_text(encoding="utf-8").lower()
    md = run("recap", "--db", str(demo_db), "--session", "1", "--format", "markdown")
    assert md.returncode == 0 and md.stdout.startswith("#")


def test_recap_errors(demo_db, tmp_path):
    assert_one_line_error(run("recap", "--db", str(demo_db), "--session", "99999"), "99999")
    empty = tmp_path / "empty.db"
    run("export", "--db", str(empty))  # missing file: refused, not created
    assert not empty.exists()
    from relworkbook.store import Store

    Store.open(empty).close()
    assert_one_line_error(run("recap", "--db", str(empty)), "no sittings")
    assert_one_line_error(
        run("recap", "--db", str(demo_db), "--output", str(tmp_path / "no" / "such" / "dir" / "r.txt")), "cannot write"
    )


def test_trends_text_and_csv(demo_db):
    text = run("trends", "--db", str(demo_db))
    assert text.returncode == 0, text.stderr
    assert "Alex" in text.stdout
    csv = run("trends", "--db", str(demo_db), "--format", "csv")
    assert csv.returncode == 0, csv.stderr
    assert len(csv.stdout.splitlines()) > 6


CONTROL = "\n\x1b[31m\x07\x9b2J\r\x7f"


@pytest.mark.parametrize(
    "args, words",
    [
        (["recap", "--format", "x" + CONTROL], ["relworkbook recap", "--format", "\\x1b[31m"]),
        (["trends", "--window", CONTROL], ["--window"]),
        (["demo", "--weeks", "1" + CONTROL], ["--weeks"]),
        (["path", "x" + CONTROL], ["not one of"]),
        (["--bogus" + CONTROL], ["no such option"]),
        (["nosuch" + CONTROL], ["no such command"]),
        (["history", "--db"], ["requires an argument"]),
        (["recap", "--session", "1", "--last"], ["not both"]),
    ],
)
def test_clicks_own_usage_errors_are_one_line_with_control_characters_escaped(args, words):
    """click prints usage, a hint and the error over several lines, quoting what was
    typed raw: here every one is one line, nothing a terminal would act on, exit 2."""
    for result in (run(*args), _runner_invoke(args)):
        assert result.returncode == 2, result
        assert result.stdout == ""
        lines = result.stderr.splitlines()
        assert len(lines) == 1, result.stderr
        assert lines[0].startswith("relworkbook") and "Traceback" not in lines[0]
        assert not any(ord(c) < 0x20 or 0x7f <= ord(c) <= 0x9f for c in lines[0]), lines[0]
        for word in words:
            assert word.lower() in lines[0].lower(), lines[0]


def _runner_invoke(args: list[str]) -> subprocess.CompletedProcess:
    """The same through click's CliRunner (the group itself, not the process)."""
    from click.testing import CliRunner

    from relworkbook.cli import cli

    result = CliRunner().invoke(cli, args, prog_name="relworkbook")
    assert result.exception is None or isinstance(result.exception, SystemExit), result.exception
    return subprocess.CompletedProcess(args, result.exit_code, result.stdout, result.stderr)


@pytest.mark.parametrize("command", ["history", "export", "backup", "trends", "recap"])
def test_missing_workbook_is_one_line(tmp_path, command):
    result = run(command, "--db", str(tmp_path / "missing.db"))
    assert_one_line_error(result, "missing.db")


def test_directory_as_db(tmp_path):
    assert_one_line_error(run("--db", str(tmp_path)), "folder")
    assert_one_line_error(run("history", "--db", str(tmp_path)), str(tmp_path.name))


@pytest.mark.parametrize(
    "content",
    [b"\x00\x01garbage" * 500, b"just some notes\n", b"SQLite format 3\x00" + b"\x07" * 50],
    ids=["random", "text", "truncated"],
)
def test_not_a_workbook(tmp_path, content):
    bad = tmp_path / "bad.db"
    bad.write_bytes(content)
    for args in (["history", "--db", str(bad)], ["--db", str(bad)]):
        result = run(*args)
        assert_one_line_error(result, "bad.db")
    assert bad.read_bytes() == content  # never written over


def test_unreadable_folder(tmp_path):
    if os.geteuid() == 0:
        pytest.skip("root can read any folder")
    locked = tmp_path / "locked"
    locked.mkdir(mode=0o000)
    try:
        assert_one_line_error(run("history", "--db", str(locked / "w.db")), "w.db")
    finally:
        locked.chmod(0o700)


def test_default_location_follows_relworkbook_home(tmp_path):
    home = tmp_path / "home"
    result = run("demo", "--db", str(home / "x.db"), "--weeks", "1", env={"RELWORKBOOK_HOME": str(home)})
    assert_one_line_error(result, "does not exist")
    home.mkdir()
    result = run("backup", env={"RELWORKBOOK_HOME": str(home)})
    assert_one_line_error(result, str(home / "workbook.db"))


def test_wheel_ships_the_exercises(tmp_path):
    """A non-editable build carries the program as package data."""
    result = subprocess.run(
        [sys.executable, "-m", "pip", "wheel", "--no-deps", "-q", "-w", str(tmp_path), str(ROOT)],
        capture_output=True,
        text=True,
        timeout=300,
    )
    if result.returncode != 0:
        problem = f"could not build a wheel here: {result.stderr.strip()[-200:]}"
        if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
            pytest.fail(problem)  # CI must build it: a skip there would hide a broken package
        pytest.skip(problem)
    wheel = next(tmp_path.glob("relworkbook-*.whl"))
    with zipfile.ZipFile(wheel) as archive:
        names = archive.namelist()
        assert "relworkbook/exercises/steps.yaml" in names
        assert "relworkbook/exercises/support.yaml" in names
        # The licence travels with the wheel, and the metadata says what is tested.
        assert "relworkbook-0.1.0.dist-info/licenses/LICENSE" in names
        assert "MIT License" in archive.read("relworkbook-0.1.0.dist-info/licenses/LICENSE").decode()
        metadata = archive.read("relworkbook-0.1.0.dist-info/METADATA").decode()
        assert "Requires-Python: >=3.11" in metadata
        assert "Classifier: License :: OSI Approved :: MIT License" in metadata
        assert "Classifier: Programming Language :: Python :: 3.11" in metadata
        urls = dict(
            line.removeprefix("Project-URL: ").split(", ", 1)
            for line in metadata.splitlines() if line.startswith("Project-URL: ")
        )
        assert set(urls) == {"Homepage", "Source", "Issues", "Documentation"}, urls
        assert urls["Documentation"] == "README.md" and (ROOT / urls["Documentation"]).is_file()
        archive.extractall(tmp_path / "site")
    check = subprocess.run(
        [sys.executable, "-m", "relworkbook", "validate"],
        capture_output=True,
        text=True,
        cwd=tmp_path,
        env=dict(os.environ, PYTHONPATH=str(tmp_path / "site")),
    )
    assert check.returncode == 0, check.stderr
    assert str(tmp_path / "site" / "relworkbook" / "exercises") in check.stderr


def test_ci_runs_on_the_lowest_python_requires_python_claims():
    """requires-python says >=3.11: the Makefile makes the venv with python3.11 where there
    is one, and in CI this test fails when the suite runs on another version. .ci/run
    itself calls `make test` and nothing else (the project's rule)."""
    import re
    import tomllib

    claim = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]["requires-python"]
    lowest = ".".join(re.search(r">=\s*(\d+)\.(\d+)", claim).groups())
    makefile = (ROOT / "Makefile").read_text()
    assert f"command -v python{lowest} " in makefile.split("PYTHON ?=", 1)[1].splitlines()[0]
    ci = [line for line in (ROOT / ".ci" / "run").read_text().splitlines() if line and line[0] != "#"]
    assert [line for line in ci if not line.startswith(("set ", "cd "))] == ["make test"]

    def check(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run(
            [sys.executable, str(ROOT / "scripts" / "lowest_python.py"), *args],
            capture_output=True, text=True, timeout=60,
        )

    assert check("--lowest").stdout.strip() == lowest
    newer = f"{lowest.split('.')[0]}.{int(lowest.split('.')[1]) + 1}"
    refused = check("--version", newer)
    assert refused.returncode == 1 and f"must run on Python {lowest}" in refused.stderr
    assert len(refused.stderr.strip().splitlines()) == 1
    assert check("--version", lowest).returncode == 0
    if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes"):
        assert check().returncode == 0, "CI is not running on the lowest Python claimed"
