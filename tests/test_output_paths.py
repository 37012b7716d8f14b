"""``--output`` never writes over the workbook, its working files, a backup or another workbook.

The real command line (click's runner, in-process) on a real SQLite file. The
check is ``cli.check_output`` / ``paths.output_clash``, shared by every command
with ``--output``. See docs/reliability.md.
"""

from __future__ import annotations

import hashlib
import os
from pathlib import Path

import pytest
from click.testing import CliRunner

from relworkbook import paths
from relworkbook.cli import cli
from relworkbook.store import Store

COMMANDS = {
    "export": ["export"],
    "recap-html": ["recap", "--format", "html"],
    "recap-text": ["recap"],
    "report-html": ["report"],
    "report-text": ["report", "--format", "text"],
}


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def workbook(tmp_path):
    db = tmp_path / "wb.db"
    store = Store.open(db)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    sitting = store.start_sitting(["a", "b"])
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", "our words", prompt_type="text")
    store.end_sitting(sitting.id)
    backup = store.backup()
    # Keep the store open so the -wal and -shm exist while the commands run.
    yield db, backup, store
    store.close()


def targets(db: Path, backup: Path, tmp_path: Path) -> dict[str, Path]:
    other = tmp_path / "other.db"
    with Store.open(other) as store:
        store.set_couple("Kai", "royalblue", "Robin", "darkorange")
    link = tmp_path / "link.json"
    link.symlink_to(db)
    hard = tmp_path / "hard.json"
    os.link(db, hard)
    return {
        "the workbook": db,
        "its -wal": Path(f"{db}-wal"),
        "its -shm": Path(f"{db}-shm"),
        "its -journal (not there yet)": Path(f"{db}-journal"),
        "a backup": backup,
        "a new file in the backup folder": backup.parent / "new.json",
        "a symlink to the workbook": link,
        "a hard link to the workbook": hard,
        "the workbook by a winding path": tmp_path / "." / ".." / tmp_path.name / "wb.db",
        "another workbook": other,
        "the default workbook": paths.default_db(),
    }


@pytest.mark.parametrize("command", COMMANDS)
def test_output_never_overwrites_the_workbook_its_files_or_a_backup(workbook, tmp_path, command):
    db, backup, _store = workbook
    runner = CliRunner()
    paths.default_db().parent.mkdir(parents=True, exist_ok=True)
    with Store.open(paths.default_db()):
        pass
    for what, target in targets(db, backup, tmp_path).items():
        before = {p: digest(p) for p in (db, backup, paths.default_db(), target) if p.exists() and p.is_file()}
        result = runner.invoke(cli, [*COMMANDS[command], "--db", str(db), "--output", str(target)])
        assert result.exit_code == 1, (what, result.output)
        lines = [line for line in result.stderr.splitlines() if line.strip()]
        assert len(lines) == 1 and lines[0].startswith("relworkbook: "), (what, result.stderr)
        assert "--output" in lines[0] or "left as it is" in lines[0], (what, lines[0])
        assert "Traceback" not in result.output
        after = {p: digest(p) for p in before}
        assert after == before, what
        assert not Path(f"{db}-journal").exists()
        assert not (backup.parent / "new.json").exists()
    # The workbook still opens and holds its answer; an ordinary --output works.
    with Store.open(db) as store:
        assert store.get_couple().a.name == "Alex"
    fine = tmp_path / "fine.out"
    result = runner.invoke(cli, [*COMMANDS[command], "--db", str(db), "--output", str(fine)])
    assert result.exit_code == 0, result.output
    assert fine.stat().st_size > 0
    # Writing over an earlier export of one's own is fine too.
    again = runner.invoke(cli, [*COMMANDS[command], "--db", str(db), "--output", str(fine)])
    assert again.exit_code == 0, again.output


def test_every_command_with_output_refuses_the_workbook(workbook):
    """A guard for commands added later (report, calendar...): any option named
    --output goes through cli.check_output, so none can write over the workbook."""
    db, _backup, _store = workbook
    with_output = sorted(name for name, command in cli.commands.items()
                         if any(getattr(p, "name", None) == "output" for p in command.params))
    assert {"export", "recap", "report"} <= set(with_output)
    runner = CliRunner()
    for name in with_output:
        before = digest(db)
        result = runner.invoke(cli, [name, "--db", str(db), "--output", str(db)])
        assert result.exit_code != 0, (name, result.output)
        assert digest(db) == before, name
        if result.exit_code == 1:
            assert "--output" in result.stderr, (name, result.stderr)


def test_output_to_a_device_is_refused_and_the_device_left_alone(workbook):
    """Files are replaced by a rename, so a device or pipe is never the target: one line
    that points at `--output -`; /dev/null is still a character device afterwards."""
    db, _backup, _store = workbook
    result = CliRunner().invoke(cli, ["export", "--db", str(db), "--output", "/dev/null"])
    assert result.exit_code == 1
    assert "--output -" in result.stderr and len(result.stderr.strip().splitlines()) == 1
    assert Path("/dev/null").is_char_device()
