"""Where the workbook's files live, worked out at call time.

``RELWORKBOOK_HOME`` overrides the platform's user data folder,
``RELWORKBOOK_CONFIG`` the config file and ``RELWORKBOOK_CACHE`` the cache
folder. Nothing here is computed at import time, so tests can point every
folder at a temporary one.
"""

from __future__ import annotations

import os
import sys
from pathlib import Path

APP_NAME = "relworkbook"
DB_NAME = "workbook.db"
CONFIG_NAME = "config.toml"


def data_dir() -> Path:
    """The folder for the default workbook (not created here)."""
    override = os.environ.get("RELWORKBOOK_HOME")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_data_dir

    return Path(user_data_dir(APP_NAME, appauthor=False))


def default_db() -> Path:
    return data_dir() / DB_NAME


def config_file() -> Path:
    """The TOML config file (it need not exist): the platform's user config folder."""
    override = os.environ.get("RELWORKBOOK_CONFIG")
    if override:
        return Path(override).expanduser()
    if sys.platform.startswith("linux"):
        # platformdirs' own rule on Linux (XDG), without importing it on every
        # start with --db (test_native checks the two agree).
        base = os.environ.get("XDG_CONFIG_HOME", "")
        if not base.strip():
            base = os.path.expanduser("~/.config")
        return Path(base) / APP_NAME / CONFIG_NAME
    from platformdirs import user_config_dir

    return Path(user_config_dir(APP_NAME, appauthor=False)) / CONFIG_NAME


def cache_dir() -> Path:
    """The folder for things that can be made again (the parsed catalogue); not created here."""
    override = os.environ.get("RELWORKBOOK_CACHE")
    if override:
        return Path(override).expanduser()
    from platformdirs import user_cache_dir

    return Path(user_cache_dir(APP_NAME, appauthor=False))


def backups_dir(db_path: Path) -> Path:
    """Backups sit beside the workbook file, in a folder named after it."""
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-backups"


def recaps_dir(db_path: Path) -> Path:
    db_path = Path(db_path)
    return db_path.parent / f"{db_path.stem}-recaps"


def shipped_exercises_dir() -> Path:
    """The program that ships: package data in a wheel, the repo folder in a checkout."""
    here = Path(__file__).resolve().parent
    for candidate in (here / "exercises", here.parent / "exercises"):
        if (candidate / "steps.yaml").is_file():
            return candidate
    return here / "exercises"


def make_private_dir(path: Path) -> Path:
    """Create a folder readable by the owner only (0700), parents included (``files``)."""
    from .files import make_private_dir as make

    return make(path)


def write_private(path: Path, data: str | bytes) -> Path:
    """Write a file only the owner can read (0600), atomically (``files.write_atomic``)."""
    from .files import write_atomic

    return write_atomic(path, data)


def output_clash(output: Path | str, db: Path | str) -> str | None:
    """Why ``output`` must not be written when the workbook is ``db``, or None.

    Every ``--output`` (export, recap, and any later command that writes a
    file) asks this first: the workbook itself, its ``-wal``/``-shm``/``-journal``,
    anything in its backup folder, the default workbook, and any existing
    SQLite file (another workbook) are never written over. Links are followed.
    """
    out = Path(output).expanduser()
    db = Path(db).expanduser()

    def real(path: Path) -> str:
        return os.path.realpath(path)

    target = real(out)
    protected = {}
    for base in (db, default_db()):
        for suffix in ("", "-wal", "-shm", "-journal"):
            protected[real(Path(f"{base}{suffix}"))] = f"{base}{suffix}"
    if target in protected:
        name = protected[target]
        what = "the workbook" if not name.endswith(("-wal", "-shm", "-journal")) else "a working file of the workbook"
        return f"{out} is {what} ({name}); choose another file for --output."
    for base in (db, default_db()):
        folder = real(backups_dir(base))
        if os.path.dirname(target) == folder or target == folder:
            return f"{out} is in the backup folder {backups_dir(base)}; choose another file for --output."
    try:
        if os.path.isfile(target):  # never opened unless a regular file (a FIFO would block)
            if os.path.exists(db) and os.path.samefile(target, db):  # a hard link
                return f"{out} is the workbook ({db}); choose another file for --output."
            with open(target, "rb") as handle:
                head = handle.read(16)
            if head == b"SQLite format 3\x00":
                return f"{out} is an SQLite database (a workbook?); it was left as it is. Choose another file for --output."
    except OSError:
        pass
    return None
