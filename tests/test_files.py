"""Every file the app writes is whole or not there: temp file, fsync, rename (relworkbook/files.py).

A full disk part-way through an export leaves the previous export intact; every
folder the app makes is 0700 whatever the umask. See docs/reliability.md.
"""

from __future__ import annotations

import errno
import json
import os
import stat
import subprocess
import sys
from pathlib import Path

import pytest

from relworkbook import files
from relworkbook.store import Store

ROOT = Path(__file__).resolve().parent.parent


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(files.TMP_SUFFIX))


def run(*args: str, home: Path, umask: int = 0o022) -> subprocess.CompletedProcess:
    env = dict(os.environ, RELWORKBOOK_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", *args], capture_output=True, text=True, cwd=ROOT,
        env=env, stdin=subprocess.DEVNULL, timeout=60, preexec_fn=lambda: os.umask(umask),
    )


def small_workbook(db: Path, answer: str = "a few words") -> None:
    with Store.open(db) as store:
        if store.get_couple() is None:
            store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.open_sitting() or store.start_sitting(["a", "b"])
        store.save_answer(sitting.id, "x", "p", "a", answer, prompt_type="text")


# ------------------------------------------------------------------ the helper


def test_write_atomic_writes_whole_owner_only_files_under_umask_zero(tmp_path):
    old = os.umask(0)
    try:
        target = files.write_atomic(tmp_path / "out.txt", "première\n")
        assert target.read_text(encoding="utf-8") == "première\n"
        assert mode(target) == 0o600
        target.write_bytes(b"x")
        target.chmod(0o644)
        files.write_atomic(target, b"\x00\x01")  # replacing keeps it owner-only
        assert target.read_bytes() == b"\x00\x01" and mode(target) == 0o600
        with files.atomic_file(tmp_path / "piece.bin") as handle:
            handle.write(b"one ")
            handle.write(b"two")
        assert (tmp_path / "piece.bin").read_bytes() == b"one two"
        assert mode(tmp_path / "piece.bin") == 0o600
    finally:
        os.umask(old)
    assert leftovers(tmp_path) == []


@pytest.mark.parametrize("failing", ["write", "fsync"])
def test_a_full_disk_part_way_leaves_the_previous_file_whole(tmp_path, monkeypatch, failing):
    target = tmp_path / "export.json"
    target.write_text("the previous export\n")
    real_write = os.write

    def write_some_then_full(fd, data):
        if len(data) > 10:
            real_write(fd, bytes(data[:10]))
            return 10
        raise OSError(errno.ENOSPC, "No space left on device")

    def fsync_full(fd):
        raise OSError(errno.ENOSPC, "No space left on device")

    if failing == "write":
        monkeypatch.setattr(files.os, "write", write_some_then_full)
    else:
        monkeypatch.setattr(files.os, "fsync", fsync_full)
    with pytest.raises(OSError) as raised:
        files.write_atomic(target, "a new and much longer export " * 100)
    assert raised.value.errno == errno.ENOSPC
    monkeypatch.undo()
    assert target.read_text() == "the previous export\n"
    assert leftovers(tmp_path) == []
    # The context-manager form too: an error inside the block changes nothing.
    with pytest.raises(RuntimeError):
        with files.atomic_file(target) as handle:
            handle.write(b"half")
            raise RuntimeError("stopped")
    assert target.read_text() == "the previous export\n"
    assert leftovers(tmp_path) == []


def test_write_atomic_never_renames_over_a_device_or_folder_and_writes_through_a_link(tmp_path):
    with pytest.raises(OSError):
        files.write_atomic("/dev/null", "x")
    assert Path("/dev/null").is_char_device()
    with pytest.raises(OSError):
        files.write_atomic(tmp_path, "x")
    real = tmp_path / "real.txt"
    real.write_text("old")
    link = tmp_path / "link.txt"
    link.symlink_to(real)
    files.write_atomic(link, "new")
    assert link.is_symlink() and real.read_text() == "new"


def test_export_on_a_full_disk_keeps_the_previous_export(tmp_path, monkeypatch):
    """The CLI in-process: the disk fills during the second export; the first stays whole."""
    from click.testing import CliRunner

    from relworkbook.cli import cli

    db = tmp_path / "wb.db"
    small_workbook(db)
    out = tmp_path / "export.json"
    runner = CliRunner()
    first = runner.invoke(cli, ["export", "--db", str(db), "--output", str(out)])
    assert first.exit_code == 0, first.output
    before = out.read_bytes()
    small_workbook(db, "many more words " * 2000)
    real_write = os.write

    def full(fd, data):
        real_write(fd, bytes(data[:100]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    second = runner.invoke(cli, ["export", "--db", str(db), "--output", str(out)])
    monkeypatch.undo()
    assert second.exit_code == 1
    assert "No space left" in second.output and "Traceback" not in second.output
    assert out.read_bytes() == before
    json.loads(before)
    assert leftovers(tmp_path) == []


@pytest.fixture
def tiny_disk(tmp_path):
    """A real 1 MiB tmpfs (needs root and permission to mount; skipped otherwise)."""
    mount = tmp_path / "tiny"
    mount.mkdir()
    if os.geteuid() != 0:
        pytest.skip("mounting a small tmpfs needs root")
    made = subprocess.run(["mount", "-t", "tmpfs", "-o", "size=1m,mode=0700", "tmpfs", str(mount)],
                          capture_output=True, text=True)
    if made.returncode != 0:
        pytest.skip(f"cannot mount a tmpfs here: {made.stderr.strip()}")
    try:
        yield mount
    finally:
        subprocess.run(["umount", "-l", str(mount)], capture_output=True)


def test_export_on_a_real_full_disk_keeps_the_previous_export(tmp_path, tiny_disk):
    db = tmp_path / "wb.db"
    small_workbook(db)
    out = tiny_disk / "export.json"
    home = tmp_path / "home"
    first = run("export", "--db", str(db), "--output", str(out), home=home)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes()
    # Fill the disk, then make the workbook's export bigger than what is left.
    filler = tiny_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        size = 0
        while True:
            try:
                size += os.write(fd, b"\0" * 4096)
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
        os.ftruncate(fd, max(size - 16384, 0))  # leave ~16 KiB free
    finally:
        os.close(fd)
    small_workbook(db, "many more words " * 4000)
    second = run("export", "--db", str(db), "--output", str(out), home=home)
    assert second.returncode == 1, second
    assert len(second.stderr.strip().splitlines()) == 1 and "Traceback" not in second.stderr
    assert out.read_bytes() == before
    assert leftovers(tiny_disk) == []


# ------------------------------------------------------------------ folders


def test_every_folder_the_app_makes_is_owner_only_under_umask_zero(tmp_path):
    db = tmp_path / "wb.db"
    small_workbook(db)
    export = tmp_path / "export.json"
    with Store.open(db) as store:
        export.write_text(json.dumps(store.export_data()))
    home = tmp_path / "made" / "by" / "the-app" / "home"
    # `import` with no --db fills the default workbook, making its folder and the missing parents.
    result = run("import", str(export), home=home, umask=0)
    assert result.returncode == 0, result.stderr
    assert (home / "workbook.db").is_file()
    for folder in (tmp_path / "made", tmp_path / "made" / "by", tmp_path / "made" / "by" / "the-app", home):
        assert mode(folder) == 0o700, (folder, oct(mode(folder)))
    keep = tmp_path / "keep"
    keep.mkdir()
    keep.chmod(0o755)
    old = os.umask(0)
    try:
        made = files.make_private_dir(keep / "x" / "y")
    finally:
        os.umask(old)
    assert made.is_dir()
    assert [mode(p) for p in (keep / "x", made)] == [0o700] * 2
    assert mode(keep) == 0o755  # a folder that existed is left as it was


def test_a_backup_on_a_real_full_disk_is_one_line_and_leaves_no_half_backup(tiny_disk):
    db = tiny_disk / "workbook.db"
    small_workbook(db, "words " * 8000)  # ~48 KB of answer
    with Store.open(db) as store:
        store.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        first = store.backup()
    filler = tiny_disk / "filler"
    fd = os.open(filler, os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                os.write(fd, b"\0" * 4096)
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
        # Room to open the workbook (its 32 KiB -shm), not for a copy of it.
        os.ftruncate(fd, max(os.fstat(fd).st_size - 40960, 0))
    finally:
        os.close(fd)
    before = first.read_bytes()
    assert len(before) > 80_000  # a copy cannot fit in what is left
    result = run("backup", "--db", str(db), home=tiny_disk / "home")
    assert result.returncode == 1, result
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in result.stderr, result.stderr
    assert "full" in lines[0] and "the backup" in lines[0] and "unchanged" in lines[0], lines[0]
    folder = first.parent
    assert sorted(p.name for p in folder.iterdir()) == [first.name]  # no half backup, no temp file
    assert first.read_bytes() == before


# ------------------------------------------------------------------ recap, report, calendar

WRITERS = {
    "recap": ["recap", "--format", "html"],
    "report": ["report"],
    "calendar": ["calendar"],
}


@pytest.fixture(scope="module")
def demo_workbook(tmp_path_factory) -> Path:
    from relworkbook.catalog import load_catalog
    from relworkbook.demo import SAMPLE_TODAY, generate

    db = tmp_path_factory.mktemp("demo") / "wb.db"
    with Store.open(db) as store:
        generate(store, load_catalog(), weeks=2, seed=3, today=SAMPLE_TODAY)
    return db


@pytest.mark.parametrize("command", WRITERS)
def test_recap_report_and_calendar_on_a_full_disk_keep_the_previous_file(tmp_path, monkeypatch, demo_workbook, command):
    """In-process: the disk fills 100 bytes into the second write; the first file stays byte for byte,
    the message is one line, and no temporary file is left."""
    from click.testing import CliRunner

    from relworkbook.cli import cli

    monkeypatch.setenv("RELWORKBOOK_HOME", str(tmp_path / "home"))
    out = tmp_path / "out" / f"{command}.file"
    out.parent.mkdir()
    args = [*WRITERS[command], "--db", str(demo_workbook), "--output", str(out)]
    first = CliRunner().invoke(cli, args)
    assert first.exit_code == 0, first.output
    before = out.read_bytes()
    assert len(before) > 200
    real_write = os.write

    def full(fd, data):
        real_write(fd, bytes(data[:100]))
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(os, "write", full)
    second = CliRunner().invoke(cli, args)
    monkeypatch.undo()
    assert second.exit_code == 1, second.output
    lines = [line for line in second.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "No space left" in lines[0], second.stderr
    assert "Traceback" not in second.output
    assert out.read_bytes() == before
    assert leftovers(out.parent) == []


def fill(disk: Path) -> None:
    """Fill a small tmpfs to its last block."""
    fd = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        while True:
            try:
                os.write(fd, b"\0" * 4096)
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
        while True:
            try:
                os.write(fd, b"\0")
            except OSError as error:
                assert error.errno == errno.ENOSPC
                break
    finally:
        os.close(fd)


@pytest.mark.parametrize("command", WRITERS)
def test_recap_report_and_calendar_on_a_real_full_disk_keep_the_previous_file(tmp_path, tiny_disk, demo_workbook, command):
    out = tiny_disk / f"{command}.file"
    home = tmp_path / "home"
    args = [*WRITERS[command], "--db", str(demo_workbook), "--output", str(out)]
    first = run(*args, home=home)
    assert first.returncode == 0, first.stderr
    before = out.read_bytes()
    fill(tiny_disk)
    second = run(*args, home=home)
    assert second.returncode == 1, second
    lines = [line for line in second.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and "Traceback" not in second.stderr, second.stderr
    assert "full" in lines[0] or "No space left" in lines[0], lines[0]
    assert out.read_bytes() == before
    assert leftovers(tiny_disk) == []
