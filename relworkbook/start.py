"""The plain start, ``relworkbook [--db PATH] [--exercises DIR ...]``, without click.

Opening the workbook is what people do many times a week, so its path imports
nothing it does not use: the two options are read here by hand and anything
else (``--help``, ``--version``, a sub-command, a mistake) goes to the click
command line in ``cli.py``, which gives the same errors for the same options.
Every failure a person can cause ends as one line on stderr and exit status 1.
"""

from __future__ import annotations

import gc
import os
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Callable, Iterator, Sequence

from . import paths

EXIT_ERROR = 1
COMPLETE_VAR = "_RELWORKBOOK_COMPLETE"


class StartError(Exception):
    """One line for the person, exit status 1 (``cli.CliError`` for click)."""


def plain_start_args(argv: Sequence[str]) -> tuple[str | None, list[str]] | None:
    """(--db, [--exercises ...]) when argv is only those options, else None."""
    db: str | None = None
    exercises: list[str] = []
    i = 0
    while i < len(argv):
        token = argv[i]
        name, eq, value = token.partition("=")
        if name not in ("--db", "--exercises"):
            return None
        if not eq:
            if i + 1 >= len(argv) or argv[i + 1].startswith("-"):
                return None  # a missing value: click says so
            value = argv[i + 1]
            i += 1
        i += 1
        if name == "--db":
            db = value
        else:
            exercises.append(value)
    return db, exercises


_config = None


def load_config():
    """The config file in force (read once per process); a bad one is one line on stderr."""
    global _config
    if _config is None:
        from .config import load

        _config = load()
        if _config.problem:
            from .escapes import one_line

            print(f"relworkbook: {one_line(_config.problem)}", file=sys.stderr)
    return _config


def default_db_path() -> Path:
    """The workbook when no --db is given: RELWORKBOOK_HOME's, the config file's, or the platform's.

    Only works it out; ``default_db`` also makes the data folder.
    """
    if not os.environ.get("RELWORKBOOK_HOME"):
        chosen = load_config().workbook
        if chosen is not None:
            return chosen
    return paths.default_db()


def default_db() -> Path:
    """``default_db_path()``, with the platform's data folder made (owner-only) when it is that."""
    chosen = default_db_path()
    if chosen != paths.default_db():
        return chosen
    try:
        paths.make_private_dir(paths.data_dir())
    except OSError as error:
        raise StartError(
            f"cannot create the data folder {paths.data_dir()}: {error.strerror or error}. "
            "Set RELWORKBOOK_HOME or use --db PATH."
        ) from None
    return paths.default_db()


def exercise_dirs(dirs: Sequence[str]) -> list[Path]:
    for folder in dirs:
        if not Path(folder).is_dir():
            raise StartError(f"exercise folder {folder} does not exist or is not a folder.")
    return [Path(d) for d in dirs]


@contextmanager
def only_window(db: Path) -> Iterator[None]:
    """Hold an advisory lock on the workbook while the app runs.

    Two windows on one workbook could type into the same answer and the later
    save would replace the earlier one; so a second window is told plainly that
    the workbook is in use. ``flock`` is separate from SQLite's own (POSIX)
    locks, so the other commands (history, export, backup) still work while
    the app is open, and the lock goes away with the process, even on a crash.
    """
    try:
        import fcntl
    except ImportError:  # not on this platform: SQLite's own locking still applies
        yield
        return
    try:
        fd = os.open(db, os.O_RDONLY)
    except OSError as error:
        raise StartError(f"cannot open {db}: {error.strerror or error}.") from None
    try:
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            raise StartError(
                f"{db} is in use: it is open in another relworkbook window. "
                "Close that window first (everything in it is saved), then try again."
            ) from None
        except OSError:
            pass  # a filesystem without flock: carry on, as SQLite itself does
        yield
    finally:
        os.close(fd)


def run_app(db: Path, dirs: Sequence[Path], config=None) -> None:
    # Start-up allocates tens of thousands of long-lived objects (modules,
    # classes, the stylesheet); the cycle collector walking them again and
    # again cost ~50 ms. Collect nothing until they are loaded, then move them
    # out of the collector's sight (gc.freeze) and let it work on the rest.
    gc.disable()
    try:
        _start_app(db, dirs, load_config() if config is None else config)
    finally:
        gc.enable()


def _start_app(db: Path, dirs: Sequence[Path], config) -> None:
    from .store import DamagedWorkbook, Store, WorkbookError, empty_workbook, find_backups, holds_nothing, way_out

    if db.is_dir():
        raise StartError(f"{db} is a folder, not a workbook file. Give a file path with --db.")
    if not db.parent.is_dir():
        raise StartError(f"the folder {db.parent} does not exist. Create it first or pick another --db path.")
    # A missing or empty file (0 bytes, or SQLite with no tables) is a first run, unless backups of a
    # workbook by that name sit beside it: then it was lost (deleted or emptied),
    # and the backups are offered, not buried under a new workbook (whose daily
    # backups would push them out of the seven kept within a week).
    try:
        missing = not os.path.lexists(db)
        empty = not missing and db.is_file() and holds_nothing(db)
        lost = (missing or empty) and bool(find_backups(db))
    except OSError:
        lost = False
    if lost and empty:
        raise StartError(
            empty_workbook(db, " (to start a new workbook there instead, delete the empty file first)")
        )
    if lost:
        raise StartError(
            f"there is no workbook at {db}, but backups of one are beside it, so no new workbook was "
            f"started there (to start one anyway, move the folder {paths.backups_dir(db)} away first). "
            + way_out(db)
        )
    # Check the file before Textual takes the terminal, so a damaged file gets a
    # plain line; then make the day's automatic backup (cheap when one exists).
    try:
        store = Store.open(db, check_index=False)  # the app checks the index once Home is drawn
    except WorkbookError as error:
        raise StartError(str(error)) from None
    try:
        try:
            store.auto_backup()
        except DamagedWorkbook as error:
            raise StartError(str(error)) from None
        except WorkbookError as error:
            # A backup that cannot be written must not keep the couple out of their workbook.
            from .escapes import one_line

            print(f"relworkbook: no automatic backup today: {one_line(error)}", file=sys.stderr)
        from .app import make_app

        with only_window(db):
            # The app takes over the store opened here (and closes it when it ends).
            app = make_app(db, exercise_dirs=dirs, store=store, config=config)
            app.catch_signals = True  # a closed terminal or a kill -TERM saves first
            store = None
            gc.freeze()
            gc.enable()
            app.run()
    finally:
        if store is not None:
            store.close()
    if getattr(app, "problem", None):
        # A workbook problem met inside the app (damage found after today's
        # backup, say): the same one line as at start, now the terminal is back.
        raise StartError(app.problem)
    code = getattr(app, "return_code", 0) or 0
    if code:
        sys.exit(code)


def guarded(run: Callable[[], None]) -> None:
    """Run ``run`` so that whatever goes wrong ends as one line on stderr, never a traceback.

    ``StartError`` is its own line (exit 1); Ctrl+C says so (130); ``SystemExit``
    (click's usage errors and ``--help`` among them) passes through.
    """
    try:
        run()
    except StartError as error:
        from .escapes import one_line

        print(f"relworkbook: {one_line(error)}", file=sys.stderr)
        sys.exit(EXIT_ERROR)
    except KeyboardInterrupt:
        print("relworkbook: interrupted.", file=sys.stderr)
        sys.exit(130)
    except SystemExit:
        raise
    except Exception as error:  # the last guard: a line, not a traceback
        from .escapes import one_line

        detail = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        print(f"relworkbook: unexpected problem ({error.__class__.__name__}: {one_line(detail)}). Please report it.", file=sys.stderr)
        sys.exit(EXIT_ERROR)
