"""The workbook file: the only module that speaks SQL.

One SQLite file per couple, on one ``sqlite3`` connection in autocommit mode,
with WAL, a 5 second busy timeout and foreign keys on. ``store.db`` wraps the
same connection in sqlite-utils (bulk inserts of an import use it); it is
imported on first use only, because it would add a fifth to the app's start-up. Every
write runs inside ``transaction()`` (``BEGIN IMMEDIATE``; nested blocks join the
outer one), and every SQLite failure a person can cause comes out as a
``WorkbookError`` with one clear line. Schema changes live in ``migrations``.

CONTRACT (signatures are fixed, other modules call them):

    store = Store.open(path)            # creates the file if missing; raises WorkbookError
    store.path -> Path
    store.close()

    # the couple and settings
    store.get_couple() -> Couple | None
    store.set_couple(name_a, colour_a, name_b, colour_b) -> Couple
    store.get_setting(key, default=None) -> Any         # JSON values
    store.set_setting(key, value) -> None

    # sittings
    store.start_sitting(attendees: Sequence[str], started: str | None = None) -> Sitting
    store.end_sitting(sitting_id, ended: str | None = None) -> Sitting
    store.set_attendees(sitting_id, attendees) -> Sitting
    store.get_sitting(sitting_id) -> Sitting | None
    store.list_sittings(limit: int | None = None) -> list[Sitting]        # newest first
    store.last_sitting() -> Sitting | None
    store.open_sitting() -> Sitting | None              # newest sitting with no end
    store.first_started() -> str | None                 # when the first sitting began
    store.last_started_with(exercise_id) -> str | None  # the latest sitting with answers to it

    # answers (value per model.py's table)
    store.save_answer(sitting_id, exercise_id, prompt_id, partner, value, *,
                      prompt_type, private=False, metric=None, number=None) -> Answer
        # Draft save while answering: updates the answer's current revision in place
        # (autosave calls this on every debounced keystroke).
    store.revise_answer(answer_id, value, *, prompt_type, number=None) -> Answer
        # A correction made later (history): a NEW revision; earlier ones kept.
    store.get_answer(answer_id) -> Answer | None
    store.find_answer(sitting_id, exercise_id, prompt_id, partner) -> Answer | None
    store.answers_for_sitting(sitting_id) -> list[Answer]
    store.answers_for_exercise(exercise_id) -> list[Answer]      # all sittings
    store.answers_for_prompt(exercise_id, prompt_id) -> list[Answer]
    store.revisions(answer_id) -> list[Revision]                 # oldest first
    store.pending_private(partner) -> list[Answer]               # other partner's waiting work is derived by the app

    # private answers
    store.reveal(sitting_id, exercise_id, prompt_id) -> None      # both agreed
    store.is_revealed(sitting_id, exercise_id, prompt_id) -> bool

    # commitments
    store.add_commitment(sitting_id, exercise_id, prompt_id, what, owner, due) -> Commitment
        # also upserts via save_answer for type commitment (one per answer); one written in a
        # private answer is made only at its reveal, and no list shows it before
    store.list_commitments(status: str | None = None) -> list[Commitment]  # due date order
    store.open_commitments() -> list[Commitment]
    store.closed_commitments_since(iso) -> list[Commitment]  # dated, kept, reviewed since: the calendar cancels them
    store.unrevealed_commitment_ids() -> set[int]       # rows an older version made from an unrevealed private answer
    store.review_commitment(commitment_id, status, sitting_id=None) -> Commitment

    # looking back
    store.search(query: str, limit=50, offset=0) -> list[SearchHit]   # FTS; unrevealed private excluded
    store.search_count(query: str) -> int                     # all the matches, for paging
    store.metric_points(metric: str | None = None, since: str | None = None) -> list[MetricPoint]
    store.metrics() -> list[str]

    # whole-file
    store.export_data() -> dict ; Store.import_data(data) (empty workbook only)
    store.backup(dest: Path | None = None) -> Path          # SQLite backup API, 0600
    store.is_empty() -> bool

Additions beyond the contract (all optional to use):

    Store.open(path=None, create=True, *, timeout=5.0)   # path None: the default workbook
    Store.open_read_only(path)           # reads only: no migration, no -wal/-shm made (couples)
    store.db                             # sqlite_utils.Database on the same connection (lazy)
    store.transaction()                  # context manager: several writes, one commit
    store.auto_backup(keep=7) -> Path | None   # at most one a day, keeps the newest `keep`
    store.list_backups() -> list[tuple[Path, datetime]]  # newest first
    store.history_rows() -> list[Sitting]                # = list_sittings()
    store.get_commitment(id), store.commitments_made_in(sitting_id),
    store.commitments_reviewed_in(sitting_id)
    store.discard_sitting(sitting_id) -> bool            # only a sitting with nothing in it
    store.schema_version() -> int
    write methods take an optional keyword ``at=`` (ISO time) for imports and the demo;
    locks (docs/privacy.md; cryptography is loaded on use only):
    store.set_lock(partner, passphrase) -> int   # seals what is pending; wipes plain copies
    store.unlock(partner, passphrase) -> opened lock (memory only) | WrongPassphrase
    store.change_lock(partner, old, new), store.remove_lock(partner, passphrase) -> int,
    store.reset_lock(partner) -> (answers lost, notes lost), store.locked_count(partner),
    store.has_lock(partner), store.open_value(answer, opened)   # nothing written
    store.reveal(..., keys={partner: opened})   # locked answers open and become plain
    store.read_notes(partner, opened=None), store.save_notes(partner, text)
    metric_points(..., include_unrevealed=False): unrevealed private numbers stay out of
    trends unless asked for. MetricPoint.extra holds exercise_id, prompt_id, answer_id,
    private, revealed.
"""

from __future__ import annotations

import json
import os
import re
import sqlite3
import threading
from contextlib import contextmanager
from datetime import datetime
from pathlib import Path
from typing import Any, Iterator, Sequence

from . import migrations, paths
from .model import (
    COMMITMENT_STATUSES,
    LOCKED,
    PARTNERS,
    PROMPT_TYPES,
    TOGETHER,
    Answer,
    Commitment,
    Couple,
    MetricPoint,
    Partner,
    Revision,
    SearchHit,
    Sitting,
    is_locked,
)
from .kinds import answer_text, is_answered, number_of

EXPORT_FORMAT = "relworkbook-export"
EXPORT_VERSION = 1
EXPORT_NOTE = (
    "This file holds everything in the workbook, private answers and notes for one included "
    "(a locked partner's stay locked). "
    "Keep it where only the two of you can read it."
)
SQLITE_HEADER = b"SQLite format 3\x00"
BACKUP_RE = re.compile(r"^workbook-(\d{8}-\d{6})(?:-(\d+))?\.db$")
NEWER_VERSION = (
    "This workbook was written by a newer version of relworkbook; "
    "update relworkbook to open it."
)
IN_USE = (
    "The workbook is in use by another relworkbook window (or another program); "
    "close it and try again."
)
OWNERS = ("a", "b", "both")
_WORD_RE = re.compile(r"\w+")


def _fts_match(words: list[str]) -> str:
    """Every word quoted (FTS5 syntax in the input is just text); the last a prefix."""
    match = " ".join(f'"{word}"' for word in words[:-1])
    return f'{match} "{words[-1]}"*'.strip()


def _like_pattern(needle: str) -> str:
    escaped = needle.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
    return f"%{escaped}%"


class WorkbookError(Exception):
    """A problem with the workbook file, phrased for the person using it."""


class DamagedWorkbook(WorkbookError):
    """The file is not a sound relworkbook workbook; the message names the way out."""


class SearchIndexMissing(WorkbookError):
    """The full-text search table is gone (or unreadable); ``rebuild_search_index`` makes it again."""


SEARCH_INDEX_MISSING = "The search index was missing or damaged, so it has been rebuilt."


class LockError(WorkbookError):
    """A lock could not be used as asked (wrong passphrase, no lock, already locked)."""


class WrongPassphrase(LockError):
    """The passphrase typed does not open this partner's lock."""


class NeedsPassphrase(LockError):
    """A reveal met a locked answer without its partner's opened lock; ``partners`` says whose."""

    def __init__(self, partners: Sequence[str]) -> None:
        self.partners = tuple(partners)
        super().__init__(
            "An answer is still locked: its partner's passphrase is needed before it can be revealed."
        )


SEAL_BLOCK = 64
WRONG_PASSPHRASE = "That passphrase does not open the lock. Please try again (capital letters count)."


def _answer_ad(sitting_id: int, exercise_id: str, prompt_id: str, partner: str) -> bytes:
    """The ids a sealed answer is bound to (the associated data of its encryption)."""
    return json.dumps(["answer", int(sitting_id), exercise_id, prompt_id, partner]).encode("utf-8")


def _note_ad(partner: str) -> bytes:
    return json.dumps(["note", partner]).encode("utf-8")


def _now() -> str:
    return datetime.now().isoformat(timespec="seconds")


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def _scrub(value: Any) -> Any:
    """Replace lone surrogates (SQLite stores UTF-8 only) in every string of a value."""
    if isinstance(value, str):
        return value.encode("utf-8", "replace").decode("utf-8")
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    if isinstance(value, dict):
        return {_scrub(k): _scrub(v) for k, v in value.items()}
    return value


def _storable(value: Any) -> Any:
    try:
        json.dumps(value, ensure_ascii=False).encode("utf-8")
    except UnicodeEncodeError:
        return _scrub(value)
    return value


def _backup_time(stamp: str) -> datetime:
    """"20261121-203015" -> its datetime; ValueError if it is no real time.

    By hand rather than ``datetime.strptime``, which loads the locale and
    calendar modules (~4 ms) at every start, for the day's backup check.
    """
    return datetime(
        int(stamp[0:4]), int(stamp[4:6]), int(stamp[6:8]), int(stamp[9:11]), int(stamp[11:13]), int(stamp[13:15])
    )


def find_backups(path: Path) -> list[tuple[Path, datetime]]:
    """The backups of the workbook at ``path`` (made by ``backup()``), newest first.

    Reads only the backup folder's names, so it works when the workbook itself
    cannot be opened.
    """
    folder = paths.backups_dir(Path(path))
    found = []
    try:
        entries = list(folder.iterdir()) if folder.is_dir() else []
    except OSError:
        return []
    for entry in entries:
        match = BACKUP_RE.match(entry.name)
        if not match:
            continue
        try:
            if not entry.is_file():
                continue
            when = _backup_time(match.group(1))
        except (OSError, ValueError):
            continue
        found.append((when, int(match.group(2) or 1), entry))
    found.sort(reverse=True)
    return [(entry, when) for when, _n, entry in found]


def _quoted(path: Path) -> str:
    """A path ready to paste into a POSIX shell, always in single quotes."""
    return "'" + str(path).replace("'", "'\"'\"'") + "'"


def way_out(path: Path) -> str:
    """The sentence that tells a person how to carry on when ``path`` cannot be used."""
    backups = find_backups(path)
    if not backups:
        return (
            f"There is no automatic backup of it in {paths.backups_dir(Path(path))}; "
            "choose another file with --db."
        )
    newest, when = backups[0]
    return (
        f"The newest backup is {newest} from {when:%Y-%m-%d %H:%M}; "
        f"open it with: relworkbook --db {_quoted(newest)}"
    )


def export_problem(error: Exception) -> str:
    """The one line for an export that cannot be imported (``export_check.ExportError``)."""
    kind = getattr(error, "kind", "bad")
    if kind == "missing":
        return f"This is not a complete relworkbook export ({error}); nothing was imported."
    if kind == "dangling":
        return f"The export does not fit together ({error}); nothing was imported."
    text = str(error)
    if text.startswith(("this is not", "this export")):
        return text[0].upper() + text[1:] + "; nothing was imported."
    return f"This export cannot be imported ({text}); nothing was imported."


def holds_nothing(path: Path) -> bool:
    """An empty file where a workbook was expected: 0 bytes, or an SQLite file with no
    tables at all and user_version 0 (a bare header, or a table made and dropped).

    Read from the file's first page, without SQLite (which would write a -wal and
    -shm beside it). A file whose -wal holds something is not empty: its pages are
    there (a workbook whose app was killed before its first checkpoint).
    """
    try:
        size = path.stat().st_size
        wal = Path(f"{path}-wal")
        if wal.exists() and wal.stat().st_size > 0:
            return False
        if size == 0:
            return True
        with open(path, "rb") as handle:
            head = handle.read(108)
    except OSError:
        return False
    if len(head) < 108 or not head.startswith(SQLITE_HEADER):
        return False
    user_version = int.from_bytes(head[60:64], "big")
    # Page 1 holds the schema table's b-tree: a leaf (0x0D) with no cells lists nothing.
    leaf, cells = head[100], int.from_bytes(head[103:105], "big")
    return user_version == 0 and leaf == 0x0D and cells == 0


def empty_workbook(path: Path, hint: str = "") -> str:
    """The line for an empty file (``holds_nothing``) where a workbook was expected."""
    try:
        size = path.stat().st_size
    except OSError:
        size = 0
    what = "empty (0 bytes)" if size == 0 else "an empty SQLite file (no tables)"
    return f"{path} is {what}: it holds no workbook, and it was left as it is{hint}. " + way_out(path)


def _damaged(path: Path) -> DamagedWorkbook:
    return DamagedWorkbook(
        f"{path} is not a relworkbook workbook (or it is damaged); it was left as it is. "
        + way_out(path)
    )


NEARLY_FULL = 1 << 20  # bytes free below which a disk error is taken for a full disk


def _no_room(path: Path) -> bool:
    """Whether the disk holding ``path`` has (next to) no space left.

    SQLite says "disk is full" only for the database and its journal; when the
    shared-memory file (-shm) cannot grow it says "disk I/O error"
    (SQLITE_IOERR_SHMSIZE), which on a full disk is the same problem.
    """
    try:
        found = os.statvfs(Path(path).parent)
    except (OSError, AttributeError):  # no statvfs here: say what SQLite said
        return False
    return found.f_bavail * found.f_frsize < NEARLY_FULL


def _translate(error: sqlite3.Error, path: Path) -> WorkbookError:
    """One clear line for an SQLite failure."""
    message = str(error).lower()
    if "locked" in message or "busy" in message:
        return WorkbookError(IN_USE)
    if "full" in message or ("disk i/o" in message and _no_room(path)):
        return WorkbookError(
            f"The disk holding {path} is full, so the last change was not saved; "
            "free some space and try again."
        )
    if "readonly" in message or "read-only" in message:
        return WorkbookError(
            f"{path} is read-only; relworkbook needs to write to it. Check its permissions."
        )
    if "not a database" in message or "malformed" in message or "encrypted" in message:
        return _damaged(path)
    if "unable to open" in message:
        return WorkbookError(
            f"Cannot open {path}; check that it and its folder can be read and written."
        )
    if "disk i/o" in message:
        return WorkbookError(f"Reading or writing {path} failed (a disk error); try again.")
    return WorkbookError(f"The workbook {path} could not be used ({error}).")


def _raise_if_index_gone(error: BaseException) -> None:
    """A search that failed because the index table is gone says so (never a silent "no matches")."""
    message = str(error).lower()
    if ("no such table" in message and "answers_fts" in message) or "vtable constructor failed" in message:
        raise SearchIndexMissing("The search index is missing or damaged; it can be rebuilt from the answers.")


def _check_header(path: Path) -> None:
    """Refuse anything that is not a whole SQLite file, before SQLite touches it."""
    size = path.stat().st_size
    if size == 0:
        return  # an empty file: a new workbook
    with open(path, "rb") as handle:
        head = handle.read(100)
    if len(head) < 100 or not head.startswith(SQLITE_HEADER):
        raise _damaged(path)
    page_size = int.from_bytes(head[16:18], "big")
    if page_size == 1:
        page_size = 65536
    if page_size < 512 or page_size & (page_size - 1) or size % page_size:
        raise _damaged(path)
    pages = int.from_bytes(head[28:32], "big")
    # The page count is trustworthy only when the two change counters agree.
    if pages and head[24:28] == head[92:96] and size < pages * page_size:
        raise _damaged(path)


def _minutes(started: str, ended: str | None) -> int:
    if not ended:
        return 0
    try:
        delta = datetime.fromisoformat(ended) - datetime.fromisoformat(started)
    except ValueError:
        return 0
    return max(0, round(delta.total_seconds() / 60))


_ANSWER_SELECT = """
SELECT a.id, a.sitting_id, a.exercise_id, a.prompt_id, a.partner, a.value, a.text,
       a.private, r.sitting_id IS NOT NULL AND k.sitting_id IS NULL AS shown, a.revision,
       a.created, a.updated, a.metric, a.number
FROM answers a
LEFT JOIN reveals r
  ON r.sitting_id = a.sitting_id AND r.exercise_id = a.exercise_id AND r.prompt_id = a.prompt_id
LEFT JOIN kept_private k
  ON k.sitting_id = a.sitting_id AND k.exercise_id = a.exercise_id AND k.prompt_id = a.prompt_id
  AND k.partner = a.partner
"""


_new = object.__new__
_set = object.__setattr__


def _answer(row: Sequence) -> Answer:
    private = bool(row[7])
    # The row's columns are Answer's fields in order (history lists thousands).
    return Answer(
        *row[:5], json.loads(row[5]), row[6], private, (not private) or bool(row[8]), *row[9:14]
    )


_COMMITMENT_COLUMNS = (
    "id, sitting_id, exercise_id, prompt_id, what, owner, due, status, created, "
    "reviewed, reviewed_sitting_id"
)


def _commitment(row: Sequence) -> Commitment:
    return Commitment(*row)


class Store:
    """An open workbook. Create with ``Store.open(path)``."""

    def __init__(self, path: Path, conn: sqlite3.Connection) -> None:
        self.path = path
        self.conn = conn
        self._db = None
        self._lock = threading.RLock()
        self._depth = 0
        self._publics: dict[str, str] | None = None  # partner -> lock's public key, read once

    # ------------------------------------------------------------------ opening

    @classmethod
    def open(
        cls, path: Path | str | None = None, create: bool = True, *, timeout: float = 5.0,
        check_index: bool = True,
    ) -> "Store":
        """Open (and, if allowed, create) a workbook; any problem is a WorkbookError.

        ``check_index=False`` leaves out the walk over private answers that looks
        for an index rebuilt by an outside tool (a few ms on ten years): the app
        starts without it and calls ``mend_search_index()`` once Home is drawn. A
        missing index is always made again here (nothing could be saved without it).
        """
        default = paths.default_db()
        path = Path(path).expanduser() if path is not None else default
        is_default = path == default
        old_umask = os.umask(0o077)
        try:
            cls._check_place(path, create=create, is_default=is_default)
            conn = cls._connect(path, timeout)
        finally:
            os.umask(old_umask)
        store = cls(path, conn)
        store._protect_files()
        store.mend_search_index(deep=check_index)
        return store

    # Set when opening found the search table gone and made it again (the app says so).
    search_index_rebuilt = False

    # An answer in the index that nobody may read: what FTS5's own 'rebuild' (as
    # ``sqlite-utils rebuild-fts workbook.db answers`` runs it) leaves, indexing
    # every row. Walks the private answers only, by their index (about 0.4 ms a
    # year of weekly sittings), and stops at the first.
    _UNREADABLE_INDEXED = (
        "SELECT 1 FROM answers a JOIN answers_fts_docsize d ON d.id = a.id "
        "WHERE a.private = 1 AND NOT (EXISTS (SELECT 1 FROM reveals r WHERE r.sitting_id = a.sitting_id "
        "AND r.exercise_id = a.exercise_id AND r.prompt_id = a.prompt_id) "
        "AND NOT EXISTS (SELECT 1 FROM kept_private k WHERE k.sitting_id = a.sitting_id "
        "AND k.exercise_id = a.exercise_id AND k.prompt_id = a.prompt_id AND k.partner = a.partner)) LIMIT 1"
    )

    def mend_search_index(self, *, deep: bool = True) -> bool:
        """A workbook whose search table is gone can save nothing (the answers' triggers
        write into it): make it again at once. With ``deep``, one that holds a private
        answer nobody may read (rebuilt by an outside tool) is made again too, readable
        answers only. Two small queries when all is well. True when it was made again
        (``search_index_rebuilt`` says so too)."""
        try:
            if self._one("SELECT 1 FROM sqlite_master WHERE name = 'answers_fts'") is not None:
                if not deep:
                    return False
                try:
                    if self._one(self._UNREADABLE_INDEXED) is None:
                        return False
                except WorkbookError:
                    pass  # a damaged index: made again below
            self.rebuild_search_index()
        except WorkbookError:
            return False  # a read-only or busy file: the first save says why in its own line
        self.search_index_rebuilt = True
        return True

    @classmethod
    def open_read_only(cls, path: Path | str, *, timeout: float = 1.0) -> "Store":
        """An existing workbook, for reading only (``relworkbook couples``).

        Nothing is created, migrated, switched to WAL or chmod-ed. A file closed
        cleanly (no -wal beside it, or an empty one) is opened ``immutable``, so
        SQLite makes no -wal or -shm either; otherwise read-only through its WAL.
        Raises ``DamagedWorkbook`` for a damaged or foreign file and
        ``WorkbookError`` (``NEWER_VERSION``) for one written by a newer version.
        """
        path = Path(path).expanduser()
        try:
            if not path.is_file():
                raise WorkbookError(f"{path} is not a regular file.")
            if path.stat().st_size == 0:
                raise _damaged(path)
            _check_header(path)
            wal = Path(f"{path}-wal")
            immutable = not wal.exists() or wal.stat().st_size == 0
        except PermissionError:
            raise WorkbookError(f"Cannot read {path} (permission denied).") from None
        except OSError as error:
            raise WorkbookError(f"Cannot read {path} ({error.strerror or error}).") from None
        uri = path.resolve().as_uri() + ("?immutable=1" if immutable else "?mode=ro")
        old_umask = os.umask(0o077)
        try:
            conn = sqlite3.connect(uri, uri=True, timeout=timeout, isolation_level=None, check_same_thread=False)
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            }
        except sqlite3.Error as error:
            raise _translate(error, path) from None
        finally:
            os.umask(old_umask)
        try:
            if "migrations" not in tables:
                raise DamagedWorkbook(
                    f"{path} is an SQLite file of another program, not a relworkbook workbook."
                )
            if migrations.unknown(conn):
                raise WorkbookError(NEWER_VERSION)
            if "kept_private" not in tables:
                # An older schema, read as it is (no migration): nothing was kept back in it.
                conn.execute(
                    "CREATE TEMP TABLE kept_private (sitting_id INTEGER, exercise_id TEXT, "
                    "prompt_id TEXT, partner TEXT, kept TEXT)"
                )
        except BaseException:
            conn.close()
            raise
        return cls(path, conn)

    @classmethod
    def _check_place(cls, path: Path, *, create: bool, is_default: bool) -> None:
        try:
            cls._check_place_inner(path, create=create, is_default=is_default)
        except PermissionError:
            raise WorkbookError(f"Cannot read the folder {path.parent} (permission denied).") from None
        except OSError as error:
            raise WorkbookError(f"Cannot open {path} ({error.strerror or error}).") from None

    @staticmethod
    def _check_place_inner(path: Path, *, create: bool, is_default: bool) -> None:
        if path.is_dir():
            raise WorkbookError(f"{path} is a folder, not a workbook file; give a file path with --db.")
        parent = path.parent
        if not parent.exists():
            if not (is_default and create):
                raise WorkbookError(
                    f"The folder {parent} does not exist; create it first or choose another --db path."
                )
            try:
                paths.make_private_dir(parent)
                os.chmod(parent, 0o700)
            except OSError as error:
                raise WorkbookError(
                    f"Cannot create the folder {parent} ({error.strerror or error}); "
                    "set RELWORKBOOK_HOME or use --db PATH."
                ) from None
        elif not parent.is_dir():
            raise WorkbookError(f"{parent} is not a folder; choose another --db path.")
        if not os.access(parent, os.R_OK | os.X_OK):
            raise WorkbookError(f"Cannot read the folder {parent} (permission denied).")
        exists = path.exists()
        if not exists and not create:
            raise WorkbookError(f"There is no workbook at {path}.")
        if not os.access(parent, os.W_OK):
            raise WorkbookError(
                f"Cannot write in the folder {parent} (permission denied); relworkbook keeps "
                "the workbook's working files (-wal, -shm) beside it."
            )
        if exists:
            if not path.is_file():
                raise WorkbookError(f"{path} is not a regular file; choose a workbook file with --db.")
            if not os.access(path, os.R_OK):
                raise WorkbookError(f"Cannot read {path} (permission denied).")
            _check_header(path)
            if not create and holds_nothing(path):
                raise WorkbookError(empty_workbook(path))
            if not os.access(path, os.W_OK):
                raise WorkbookError(
                    f"{path} is read-only; relworkbook needs to write to it. "
                    "Check its permissions, or open a copy."
                )
        else:
            try:
                paths.write_private(path, b"")
            except OSError as error:
                raise WorkbookError(f"Cannot create {path} ({error.strerror or error}).") from None

    @staticmethod
    def _connect(path: Path, timeout: float) -> sqlite3.Connection:
        try:
            conn = sqlite3.connect(
                str(path), timeout=timeout, isolation_level=None, check_same_thread=False
            )
        except sqlite3.Error as error:
            raise _translate(error, path) from None
        try:
            conn.execute(f"PRAGMA busy_timeout = {int(timeout * 1000):d}")
            conn.execute("PRAGMA foreign_keys = ON")
            # SQLite's own page cache, at most 128 KiB (its default is 2 MiB):
            # Home's first reads filled the default, 2 MiB of a 41 MiB start,
            # and the pages are in the system's file cache anyway.
            conn.execute("PRAGMA cache_size = -128")
            tables = {
                row[0]
                for row in conn.execute("SELECT name FROM sqlite_master WHERE type IN ('table', 'view')")
            }
            if tables and "migrations" not in tables:
                raise DamagedWorkbook(
                    f"{path} is an SQLite file of another program, not a relworkbook workbook; "
                    "it was left as it is. " + way_out(path)
                )
            if migrations.unknown(conn):
                raise WorkbookError(NEWER_VERSION)
            mode = conn.execute("PRAGMA journal_mode").fetchone()[0]
            if str(mode).lower() != "wal":
                conn.execute("PRAGMA journal_mode = WAL")
            migrations.apply(conn)
        except WorkbookError:
            conn.close()
            raise
        except sqlite3.Error as error:
            conn.close()
            raise _translate(error, path) from None
        return conn

    def _protect_files(self) -> None:
        for suffix in ("", "-wal", "-shm"):
            target = Path(f"{self.path}{suffix}")
            try:
                os.chmod(target, 0o600)
            except OSError:
                pass  # -wal/-shm come and go; SQLite gives them the file's own mode

    def close(self) -> None:
        with self._lock:
            try:
                self.conn.close()
            except sqlite3.Error:
                pass

    def __enter__(self) -> "Store":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def schema_version(self) -> int:
        return self._one("PRAGMA user_version")[0]

    @property
    def db(self):
        """The same connection as a ``sqlite_utils.Database``, made on first use.

        Imported lazily: sqlite-utils costs a noticeable share of start-up time,
        and opening the app needs only plain ``sqlite3``.
        """
        if self._db is None:
            from sqlite_utils import Database

            self._db = Database(self.conn, execute_plugins=False, recursive_triggers=False)
        return self._db

    # ------------------------------------------------------------- transactions

    @contextmanager
    def transaction(self) -> Iterator["Store"]:
        """Several writes, one commit. Nested blocks join the outer transaction."""
        with self._lock:
            if self._depth:
                self._depth += 1
                try:
                    yield self
                finally:
                    self._depth -= 1
                return
            try:
                self.conn.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as error:
                raise _translate(error, self.path) from None
            self._depth = 1
            try:
                yield self
                self.conn.execute("COMMIT")
            except BaseException as error:
                if self.conn.in_transaction:
                    try:
                        self.conn.execute("ROLLBACK")
                    except sqlite3.Error:
                        pass
                if isinstance(error, sqlite3.Error):
                    raise _translate(error, self.path) from None
                raise
            finally:
                self._depth = 0

    def _rows(self, sql: str, params: Sequence | dict = ()) -> list[tuple]:
        with self._lock:
            try:
                return self.conn.execute(sql, params).fetchall()
            except sqlite3.Error as error:
                raise _translate(error, self.path) from None

    def _one(self, sql: str, params: Sequence | dict = ()) -> tuple | None:
        rows = self._rows(sql, params)
        return rows[0] if rows else None

    def _write(self, sql: str, params: Sequence | dict = ()) -> sqlite3.Cursor:
        """One statement inside the current transaction (callers hold one)."""
        return self.conn.execute(sql, params)

    # ---------------------------------------------------- the couple, settings

    def get_couple(self) -> Couple | None:
        rows = {row[0]: row for row in self._rows("SELECT key, name, colour FROM partners")}
        if "a" not in rows or "b" not in rows:
            return None
        return Couple(a=Partner(*rows["a"]), b=Partner(*rows["b"]))

    def set_couple(self, name_a: str, colour_a: str, name_b: str, colour_b: str) -> Couple:
        with self.transaction():
            for key, name, colour in (("a", name_a, colour_a), ("b", name_b, colour_b)):
                self._write(
                    "INSERT INTO partners (key, name, colour) VALUES (?, ?, ?) "
                    "ON CONFLICT (key) DO UPDATE SET name = excluded.name, colour = excluded.colour",
                    (key, str(name).strip(), str(colour)),
                )
        couple = self.get_couple()
        assert couple is not None
        return couple

    def get_setting(self, key: str, default: Any = None) -> Any:
        row = self._one("SELECT value FROM settings WHERE key = ?", (key,))
        return default if row is None else json.loads(row[0])

    def set_setting(self, key: str, value: Any) -> None:
        with self.transaction():
            self._write(
                "INSERT INTO settings (key, value) VALUES (?, ?) "
                "ON CONFLICT (key) DO UPDATE SET value = excluded.value",
                (key, _dumps(value)),
            )

    # ---------------------------------------------------------------- sittings

    @staticmethod
    def _check_attendees(attendees: Sequence[str]) -> list[str]:
        chosen = [key for key in PARTNERS if key in set(attendees)]
        unknown = set(attendees) - set(PARTNERS)
        if unknown:
            raise ValueError(f"attendees must be 'a' and/or 'b', not {sorted(unknown)}")
        return chosen

    def start_sitting(self, attendees: Sequence[str], started: str | None = None) -> Sitting:
        chosen = self._check_attendees(attendees)
        with self.transaction():
            cursor = self._write(
                "INSERT INTO sittings (started, ended, attendees) VALUES (?, NULL, ?)",
                (started or _now(), _dumps(chosen)),
            )
            sitting_id = cursor.lastrowid
        return self._sitting_or_fail(sitting_id)

    def end_sitting(self, sitting_id: int, ended: str | None = None) -> Sitting:
        with self.transaction():
            self._write("UPDATE sittings SET ended = ? WHERE id = ?", (ended or _now(), sitting_id))
        return self._sitting_or_fail(sitting_id)

    def set_attendees(self, sitting_id: int, attendees: Sequence[str]) -> Sitting:
        chosen = self._check_attendees(attendees)
        with self.transaction():
            self._write("UPDATE sittings SET attendees = ? WHERE id = ?", (_dumps(chosen), sitting_id))
        return self._sitting_or_fail(sitting_id)

    def discard_sitting(self, sitting_id: int) -> bool:
        """Delete a sitting that holds nothing (no answers, reveals, commitments)."""
        with self.transaction():
            used = self._write(
                "SELECT EXISTS (SELECT 1 FROM answers WHERE sitting_id = :s)"
                " OR EXISTS (SELECT 1 FROM commitments WHERE sitting_id = :s OR reviewed_sitting_id = :s)"
                " OR EXISTS (SELECT 1 FROM reveals WHERE sitting_id = :s)",
                {"s": sitting_id},
            ).fetchone()[0]
            if used:
                return False
            return self._write("DELETE FROM sittings WHERE id = ?", (sitting_id,)).rowcount > 0

    def _exercises_by_sitting(self, sitting_ids: Sequence[int] | None) -> dict[int, list[str]]:
        sql = "SELECT sitting_id, exercise_id, MIN(id) AS first FROM answers"
        params: list = []
        if sitting_ids is not None:
            if not sitting_ids:
                return {}
            sql += f" WHERE sitting_id IN ({','.join('?' * len(sitting_ids))})"
            params = list(sitting_ids)
        sql += " GROUP BY sitting_id, exercise_id ORDER BY sitting_id, first"
        found: dict[int, list[str]] = {}
        for sitting_id, exercise_id, _first in self._rows(sql, params):
            found.setdefault(sitting_id, []).append(exercise_id)
        return found

    @staticmethod
    def _sitting(row: Sequence, exercises: Sequence[str]) -> Sitting:
        return Sitting(
            id=row[0],
            started=row[1],
            ended=row[2],
            attendees=tuple(json.loads(row[3])),
            exercises=tuple(exercises),
            minutes=_minutes(row[1], row[2]),
        )

    def _sittings(self, where: str = "", params: Sequence = (), limit: int | None = None) -> list[Sitting]:
        sql = f"SELECT id, started, ended, attendees FROM sittings {where} ORDER BY started DESC, id DESC"
        if limit is not None:
            sql += f" LIMIT {int(limit):d}"
        rows = self._rows(sql, params)
        whole = limit is None and not where
        exercises = self._exercises_by_sitting(None if whole else [row[0] for row in rows])
        return [self._sitting(row, exercises.get(row[0], ())) for row in rows]

    def get_sitting(self, sitting_id: int) -> Sitting | None:
        found = self._sittings("WHERE id = ?", (sitting_id,))
        return found[0] if found else None

    def _sitting_or_fail(self, sitting_id: int) -> Sitting:
        sitting = self.get_sitting(sitting_id)
        if sitting is None:
            raise WorkbookError(f"There is no sitting {sitting_id} in this workbook.")
        return sitting

    def list_sittings(self, limit: int | None = None) -> list[Sitting]:
        return self._sittings(limit=limit)

    def history_rows(self) -> list[Sitting]:
        return self.list_sittings()

    def last_sitting(self) -> Sitting | None:
        found = self._sittings(limit=1)
        return found[0] if found else None

    def first_started(self) -> str | None:
        """When the first sitting began (ISO timestamp), or None in an empty workbook."""
        row = self._one("SELECT MIN(started) FROM sittings")
        return row[0] if row else None

    def last_started_with(self, exercise_id: str) -> str | None:
        """When the latest sitting with an answer to this exercise began, or None."""
        # Newest sittings first, each checked by the answers' (sitting, exercise)
        # key: a recent check-in is found after a few rows, not all its answers.
        row = self._one(
            "SELECT s.started FROM sittings s WHERE EXISTS (SELECT 1 FROM answers a "
            "WHERE a.sitting_id = s.id AND a.exercise_id = ?) ORDER BY s.started DESC LIMIT 1",
            (exercise_id,),
        )
        return row[0] if row else None

    def open_sitting(self) -> Sitting | None:
        found = self._sittings("WHERE ended IS NULL", limit=1)
        return found[0] if found else None

    # Lean questions the screens ask often; each is one query, not a walk over
    # every sitting (ten years are 520 of them).

    _BEFORE = "WHERE (started, id) < (SELECT started, id FROM sittings WHERE id = ?)"

    def sittings_before(self, sitting_id: int, limit: int | None = None) -> list[Sitting]:
        """Sittings that started before this one, newest first (as list_sittings orders them)."""
        return self._sittings(self._BEFORE, (sitting_id,), limit=limit)

    def exercises_before(self, sitting_id: int) -> set[str]:
        """Ids of every exercise answered in a sitting that started before this one."""
        return {row[0] for row in self._rows(
            "SELECT DISTINCT exercise_id FROM answers WHERE sitting_id IN "
            f"(SELECT id FROM sittings {self._BEFORE})",
            (sitting_id,),
        )}

    _WITHOUT = (
        "WHERE attendees NOT IN ('', '[]') AND NOT EXISTS "
        "(SELECT 1 FROM json_each(sittings.attendees) WHERE json_each.value = ?)"
    )

    def sittings_without(self, partner: str) -> list[Sitting]:
        """Sittings someone attended but ``partner`` did not, newest first."""
        return self._sittings(self._WITHOUT, (partner,))

    def caught_up_cells(self, partner: str) -> list[tuple[int, str, str, str]]:
        """``(sitting_id, exercise_id, prompt_id, value as stored JSON)`` of ``partner``'s own
        answers in the sittings they missed (given later, catching up), in one query.
        """
        return self._rows(
            "SELECT sitting_id, exercise_id, prompt_id, value FROM answers "
            f"WHERE partner = ? AND sitting_id IN (SELECT id FROM sittings {self._WITHOUT})",
            (partner, partner),
        )

    # ----------------------------------------------------------------- answers

    def save_answer(
        self,
        sitting_id: int,
        exercise_id: str,
        prompt_id: str,
        partner: str,
        value: Any,
        *,
        prompt_type: str,
        private: bool = False,
        metric: str | None = None,
        number: float | None = None,
        at: str | None = None,
    ) -> Answer:
        """Autosave: create the answer, or update its current revision in place."""
        if partner not in (*PARTNERS, TOGETHER):
            raise ValueError(f"partner must be 'a', 'b' or 'together', not {partner!r}")
        if prompt_type not in PROMPT_TYPES:
            raise ValueError(f"unknown prompt type {prompt_type!r}")
        value = _storable(value)
        text = answer_text(prompt_type, value)
        if number is None:
            number = number_of(prompt_type, metric, value)
        now = at or _now()
        with self.transaction():
            hidden = bool(private) and not self._shown(sitting_id, exercise_id, prompt_id, partner)
            if hidden and self._sealing_for(partner):
                # Locked from the first keystroke: nothing of the answer reaches the file.
                value = self._seal_answer(sitting_id, exercise_id, prompt_id, partner, prompt_type, value)
                text, number = "", None
            encoded = _dumps(value)
            row = self._write(
                "SELECT id, revision FROM answers WHERE sitting_id = ? AND exercise_id = ? "
                "AND prompt_id = ? AND partner = ?",
                (sitting_id, exercise_id, prompt_id, partner),
            ).fetchone()
            if row is None:
                answer_id = self._write(
                    "INSERT INTO answers (sitting_id, exercise_id, prompt_id, partner, prompt_type, "
                    "value, text, private, metric, number, revision, created, updated) "
                    "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, 1, ?, ?)",
                    (sitting_id, exercise_id, prompt_id, partner, prompt_type, encoded, text,
                     int(bool(private)), metric, number, now, now),
                ).lastrowid
                self._write(
                    "INSERT INTO answer_revisions (answer_id, revision, value, text, number, created) "
                    "VALUES (?, 1, ?, ?, ?, ?)",
                    (answer_id, encoded, text, number, now),
                )
            else:
                answer_id, revision = row
                self._write(
                    "UPDATE answers SET prompt_type = ?, value = ?, text = ?, private = ?, metric = ?, "
                    "number = ?, updated = ? WHERE id = ?",
                    (prompt_type, encoded, text, int(bool(private)), metric, number, now, answer_id),
                )
                self._write(
                    "UPDATE answer_revisions SET value = ?, text = ?, number = ?, created = ? "
                    "WHERE answer_id = ? AND revision = ?",
                    (encoded, text, number, now, answer_id, revision),
                )
            if prompt_type == "commitment" and not hidden:
                # A private answer's commitment is made at its reveal (see reveal), not before.
                self._sync_commitment(answer_id, sitting_id, exercise_id, prompt_id, partner, value, now)
        answer = self.get_answer(answer_id)
        assert answer is not None
        return answer

    def revise_answer(
        self,
        answer_id: int,
        value: Any,
        *,
        prompt_type: str,
        number: float | None = None,
        at: str | None = None,
    ) -> Answer:
        """A later correction: a new revision; the earlier ones are kept."""
        if prompt_type not in PROMPT_TYPES:
            raise ValueError(f"unknown prompt type {prompt_type!r}")
        value = _storable(value)
        text = answer_text(prompt_type, value)
        now = at or _now()
        with self.transaction():
            row = self._write(
                "SELECT revision, metric, value, sitting_id, exercise_id, prompt_id, partner, number, private "
                "FROM answers WHERE id = ?",
                (answer_id,),
            ).fetchone()
            if row is None:
                raise WorkbookError(f"There is no answer {answer_id} in this workbook.")
            revision, metric, current, sitting_id, exercise_id, prompt_id, partner, old_number, private = row
            if number is None:
                number = number_of(prompt_type, metric, value)
            hidden = bool(private) and not self._shown(sitting_id, exercise_id, prompt_id, partner)
            if hidden and self._sealing_for(partner):
                value = self._seal_answer(sitting_id, exercise_id, prompt_id, partner, prompt_type, value)
                text, number = "", None
            encoded = _dumps(value)
            if encoded == current and number == old_number:
                pass  # nothing changed: no new revision
            else:
                revision += 1
                self._write(
                    "INSERT INTO answer_revisions (answer_id, revision, value, text, number, created) "
                    "VALUES (?, ?, ?, ?, ?, ?)",
                    (answer_id, revision, encoded, text, number, now),
                )
                self._write(
                    "UPDATE answers SET prompt_type = ?, value = ?, text = ?, number = ?, revision = ?, "
                    "updated = ? WHERE id = ?",
                    (prompt_type, encoded, text, number, revision, now, answer_id),
                )
                if prompt_type == "commitment" and not hidden:
                    self._sync_commitment(
                        answer_id, sitting_id, exercise_id, prompt_id, partner, value, now
                    )
        answer = self.get_answer(answer_id)
        assert answer is not None
        return answer

    def _sync_commitment(
        self, answer_id: int, sitting_id: int, exercise_id: str, prompt_id: str,
        partner: str, value: Any, now: str,
    ) -> None:
        value = value if isinstance(value, dict) else {}
        what = str(value.get("what") or "").strip()
        owner = value.get("owner") or ("both" if partner == TOGETHER else partner)
        if owner not in OWNERS:
            owner = "both"
        due = value.get("due") or None
        existing = self._write(
            "SELECT id, status FROM commitments WHERE answer_id = ?", (answer_id,)
        ).fetchone()
        if not what:
            if existing and existing[1] == "open":
                self._write("DELETE FROM commitments WHERE id = ?", (existing[0],))
            return
        if existing:
            self._write(
                "UPDATE commitments SET what = ?, owner = ?, due = ? WHERE id = ?",
                (what, owner, due, existing[0]),
            )
        else:
            self._write(
                "INSERT INTO commitments (sitting_id, exercise_id, prompt_id, answer_id, what, owner, "
                "due, status, created) VALUES (?, ?, ?, ?, ?, ?, ?, 'open', ?)",
                (sitting_id, exercise_id, prompt_id, answer_id, what, owner, due, now),
            )

    def _answers(self, where: str, params: Sequence) -> list[Answer]:
        return [_answer(row) for row in self._rows(f"{_ANSWER_SELECT} {where}", params)]

    def get_answer(self, answer_id: int) -> Answer | None:
        found = self._answers("WHERE a.id = ?", (answer_id,))
        return found[0] if found else None

    def find_answer(self, sitting_id: int, exercise_id: str, prompt_id: str, partner: str) -> Answer | None:
        found = self._answers(
            "WHERE a.sitting_id = ? AND a.exercise_id = ? AND a.prompt_id = ? AND a.partner = ?",
            (sitting_id, exercise_id, prompt_id, partner),
        )
        return found[0] if found else None

    def answers_for_sitting(self, sitting_id: int) -> list[Answer]:
        return self._answers("WHERE a.sitting_id = ? ORDER BY a.id", (sitting_id,))

    def answers_for_exercise(self, exercise_id: str) -> list[Answer]:
        return self._answers("WHERE a.exercise_id = ? ORDER BY a.sitting_id, a.id", (exercise_id,))

    def answer_cells(self, exercise_ids: Sequence[str]) -> list[tuple[str, str, str, str]]:
        """``(exercise_id, prompt_id, partner, value as stored JSON)`` for these exercises, in one query.

        The lean form Home's progress marks need: no Answer objects, and only
        the values the caller decides to decode.
        """
        ids = list(dict.fromkeys(exercise_ids))
        if not ids:
            return []
        return self._rows(
            "SELECT exercise_id, prompt_id, partner, value FROM answers "
            f"WHERE exercise_id IN ({','.join('?' * len(ids))})",
            ids,
        )

    def answers_for_prompt(self, exercise_id: str, prompt_id: str) -> list[Answer]:
        return self._answers(
            "WHERE a.exercise_id = ? AND a.prompt_id = ? ORDER BY a.sitting_id, a.id",
            (exercise_id, prompt_id),
        )

    def revisions(self, answer_id: int) -> list[Revision]:
        return [
            Revision(answer_id=row[0], revision=row[1], value=json.loads(row[2]), text=row[3], created=row[4])
            for row in self._rows(
                "SELECT answer_id, revision, value, text, created FROM answer_revisions "
                "WHERE answer_id = ? ORDER BY revision",
                (answer_id,),
            )
        ]

    def pending_private(self, partner: str) -> list[Answer]:
        """This partner's private answers not yet revealed, oldest first."""
        return self._answers(
            "WHERE a.private = 1 AND a.partner = ? AND r.sitting_id IS NULL ORDER BY a.sitting_id, a.id",
            (partner,),
        )

    # --------------------------------------------------------- private answers

    def reveal(
        self, sitting_id: int, exercise_id: str, prompt_id: str, *, at: str | None = None,
        keys: dict[str, Any] | None = None,
    ) -> None:
        """Both agreed: the prompt's answers become shared answers.

        A locked answer is opened with its partner's opened lock from ``keys``
        (partner -> ``unlock()``'s result) and written as a plain answer in the
        same transaction; without that key nothing changes and LockError says whose
        passphrase is needed.
        """
        keys = keys or {}
        with self.transaction():
            # An answer kept "just for me" is never shown: a locked one stays locked (its
            # partner's key is not needed for it), and it makes no commitment.
            kept = {row[0] for row in self._write(
                "SELECT partner FROM kept_private WHERE sitting_id = ? AND exercise_id = ? AND prompt_id = ?",
                (sitting_id, exercise_id, prompt_id),
            ).fetchall()}
            sealed = [
                row for row in self._write(
                    "SELECT id, partner, prompt_type, metric, value FROM answers "
                    "WHERE sitting_id = ? AND exercise_id = ? AND prompt_id = ?",
                    (sitting_id, exercise_id, prompt_id),
                ).fetchall()
                if is_locked(json.loads(row[4])) and row[1] not in kept
            ]
            missing = sorted({partner for _i, partner, *_ in sealed if partner not in keys})
            if missing:
                raise NeedsPassphrase(missing)
            for answer_id, partner, prompt_type, metric, _value in sealed:
                self._open_answer(answer_id, keys[partner], at=at)
            # A commitment written in a private answer is made now, at its reveal.
            for answer_id, partner, value in self._write(
                "SELECT id, partner, value FROM answers WHERE sitting_id = ? AND exercise_id = ? "
                "AND prompt_id = ? AND prompt_type = 'commitment' ORDER BY id",
                (sitting_id, exercise_id, prompt_id),
            ).fetchall():
                if partner in kept:
                    continue
                self._sync_commitment(
                    answer_id, sitting_id, exercise_id, prompt_id, partner, json.loads(value), at or _now()
                )
            self._write(
                "INSERT OR IGNORE INTO reveals (sitting_id, exercise_id, prompt_id, revealed) "
                "VALUES (?, ?, ?, ?)",
                (sitting_id, exercise_id, prompt_id, at or _now()),
            )

    _KEPT = (
        "EXISTS (SELECT 1 FROM kept_private k WHERE k.sitting_id = a.sitting_id "
        "AND k.exercise_id = a.exercise_id AND k.prompt_id = a.prompt_id AND k.partner = a.partner)"
    )

    def keep_private(
        self, sitting_id: int, exercise_id: str, prompt_id: str, partner: str, *, at: str | None = None
    ) -> None:
        """``partner`` keeps this private answer just for them: it is never shown, even after the reveal."""
        with self.transaction():
            self._write(
                "INSERT OR IGNORE INTO kept_private (sitting_id, exercise_id, prompt_id, partner, kept) "
                "VALUES (?, ?, ?, ?, ?)",
                (sitting_id, exercise_id, prompt_id, partner, at or _now()),
            )

    def kept_private(self, sitting_id: int, exercise_id: str | None = None) -> list[tuple[str, str, str]]:
        """``(exercise_id, prompt_id, partner)`` of the answers kept just for their partner in a sitting."""
        sql = "SELECT exercise_id, prompt_id, partner FROM kept_private WHERE sitting_id = ?"
        params: list[Any] = [sitting_id]
        if exercise_id is not None:
            sql += " AND exercise_id = ?"
            params.append(exercise_id)
        return self._rows(sql + " ORDER BY exercise_id, prompt_id, partner", params)

    def _shown(self, sitting_id: int, exercise_id: str, prompt_id: str, partner: str) -> bool:
        """A private answer both may read: its prompt revealed, and not kept just for its partner."""
        return self.is_revealed(sitting_id, exercise_id, prompt_id) and self._one(
            "SELECT 1 FROM kept_private WHERE sitting_id = ? AND exercise_id = ? AND prompt_id = ? AND partner = ?",
            (sitting_id, exercise_id, prompt_id, partner),
        ) is None

    def is_revealed(self, sitting_id: int, exercise_id: str, prompt_id: str) -> bool:
        return (
            self._one(
                "SELECT 1 FROM reveals WHERE sitting_id = ? AND exercise_id = ? AND prompt_id = ?",
                (sitting_id, exercise_id, prompt_id),
            )
            is not None
        )

    # ------------------------------------------------------ locks and notes

    def _sealing_for(self, partner: str) -> str | None:
        """The public key private answers of ``partner`` are sealed with, or None (no lock)."""
        if self._publics is None:
            self._publics = dict(self._rows("SELECT partner, public_key FROM locks"))
        return self._publics.get(partner)

    def _seal(self, partner: str, plaintext: Any, associated: bytes) -> str:
        from . import locks  # cryptography is loaded only once a lock is used

        data = _dumps(plaintext).encode("utf-8")
        # Padded with spaces (JSON ignores them) to a multiple of 64 bytes, so the
        # sealed value's size tells the length of the answer only roughly.
        data += b" " * (-len(data) % SEAL_BLOCK)
        return locks.seal(self._sealing_for(partner), data, associated)

    def _seal_answer(
        self, sitting_id: int, exercise_id: str, prompt_id: str, partner: str, prompt_type: str, value: Any
    ) -> dict:
        return {
            LOCKED: self._seal(partner, value, _answer_ad(sitting_id, exercise_id, prompt_id, partner)),
            "answered": is_answered(prompt_type, value),
        }

    @staticmethod
    def _unseal(unlocked: Any, sealed: dict, associated: bytes) -> Any:
        from . import locks

        try:
            return json.loads(locks.unseal(unlocked, sealed[LOCKED], associated))
        except (locks.BrokenSeal, ValueError):
            raise LockError(
                "A locked answer does not open with this passphrase's key (it is damaged, "
                "or was copied from another answer); it was left as it is."
            ) from None

    def _lock_record(self, partner: str) -> tuple | None:
        return self._one(
            "SELECT kdf, salt, key_check, public_key, private_key FROM locks WHERE partner = ?", (partner,)
        )

    def has_lock(self, partner: str) -> bool:
        return self._sealing_for(partner) is not None

    def locked_partners(self) -> tuple[str, ...]:
        return tuple(p for p in PARTNERS if self._sealing_for(p))

    def unlock(self, partner: str, passphrase: str) -> Any:
        """``partner``'s opened lock (kept in memory by the caller, never stored), or WrongPassphrase."""
        from . import locks

        record = self._lock_record(partner)
        if record is None:
            raise LockError("There is no lock to open: this partner has not set a passphrase.")
        try:
            return locks.open_lock(partner, record, passphrase)
        except locks.WrongPassphrase:
            raise WrongPassphrase(WRONG_PASSPHRASE) from None

    def _locked_rows(self, partner: str) -> list[tuple]:
        """(answer id, sitting, exercise, prompt, value) of ``partner``'s answers still locked."""
        return [
            row for row in self._rows(
                "SELECT id, sitting_id, exercise_id, prompt_id, value FROM answers "
                "WHERE partner = ? AND private = 1 AND value LIKE '{\"\\u0000locked\"%'",
                (partner,),
            )
            if is_locked(json.loads(row[4]))
        ]

    def locked_count(self, partner: str) -> int:
        """How many of ``partner``'s private answers are locked (lost if the lock is reset)."""
        return len(self._locked_rows(partner))

    def set_lock(self, partner: str, passphrase: str) -> int:
        """Give ``partner`` a lock; their private answers not yet revealed, and their notes, are
        sealed at once. Returns how many answers were sealed.

        Whatever was written before in plain text is then wiped from the file's
        free space, the search index and the WAL (VACUUM, FTS optimize,
        checkpoint): see docs/privacy.md for what a backup made earlier holds.
        Call it outside any transaction of your own: VACUUM cannot run inside one.
        """
        from . import locks

        if partner not in PARTNERS:
            raise ValueError(f"partner must be 'a' or 'b', not {partner!r}")
        trouble = locks.problem(passphrase)
        if trouble:
            raise LockError(trouble)
        if self.has_lock(partner):
            raise LockError("This partner already has a lock; change it or remove it instead.")
        record, _unlocked = locks.new_lock(partner, passphrase)
        sealed = 0
        with self.transaction():
            self._write(
                "INSERT INTO locks (partner, kdf, salt, key_check, public_key, private_key, created) "
                "VALUES (?, ?, ?, ?, ?, ?, ?)",
                (partner, *record, _now()),
            )
            self._publics = None
            for answer_id, sitting_id, exercise_id, prompt_id, prompt_type in self._write(
                "SELECT a.id, a.sitting_id, a.exercise_id, a.prompt_id, a.prompt_type FROM answers a "
                "WHERE a.partner = ? AND a.private = 1 AND NOT EXISTS (SELECT 1 FROM reveals r "
                "WHERE r.sitting_id = a.sitting_id AND r.exercise_id = a.exercise_id "
                "AND r.prompt_id = a.prompt_id)",
                (partner,),
            ).fetchall():
                current = json.loads(self._write("SELECT value FROM answers WHERE id = ?", (answer_id,)).fetchone()[0])
                if is_locked(current):
                    continue
                self._write(
                    "UPDATE answers SET value = ?, text = '', number = NULL WHERE id = ?",
                    (_dumps(self._seal_answer(sitting_id, exercise_id, prompt_id, partner, prompt_type, current)),
                     answer_id),
                )
                for revision, value in self._write(
                    "SELECT revision, value FROM answer_revisions WHERE answer_id = ?", (answer_id,)
                ).fetchall():
                    self._write(
                        "UPDATE answer_revisions SET value = ?, text = '', number = NULL "
                        "WHERE answer_id = ? AND revision = ?",
                        (_dumps(self._seal_answer(sitting_id, exercise_id, prompt_id, partner, prompt_type,
                                                  json.loads(value))), answer_id, revision),
                    )
                # An older version made a commitment from a private answer at its first
                # save: its words go too (the reveal makes it again).
                self._write("DELETE FROM commitments WHERE answer_id = ?", (answer_id,))
                sealed += 1
            note = self._write("SELECT value FROM notes WHERE partner = ?", (partner,)).fetchone()
            if note is not None and not is_locked(json.loads(note[0])):
                self._write(
                    "UPDATE notes SET value = ? WHERE partner = ?",
                    (_dumps(self._sealed_note(partner, json.loads(note[0]))), partner),
                )
        self._wipe_leftovers()
        return sealed

    def _sealed_note(self, partner: str, text: str) -> dict:
        return {LOCKED: self._seal(partner, text, _note_ad(partner)), "answered": bool(str(text).strip())}

    def _wipe_leftovers(self) -> None:
        """Plain text that was just sealed may linger in free pages, old index segments and the
        WAL: merge the search index, rebuild the file without free space, and empty the WAL."""
        with self._lock:
            if self.conn.in_transaction:
                return  # a caller's transaction holds the file: VACUUM cannot run inside it
            try:
                self.conn.execute("PRAGMA temp_store = MEMORY")  # VACUUM's copy stays off the disk
                self.conn.execute("INSERT INTO answers_fts (answers_fts) VALUES ('optimize')")
                self.conn.execute("VACUUM")
                self.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
            except sqlite3.Error as error:
                raise _translate(error, self.path) from None

    def _open_answer(self, answer_id: int, unlocked: Any, *, at: str | None = None) -> None:
        """Write a locked answer (every revision) back as plain (inside a transaction)."""
        sitting_id, exercise_id, prompt_id, partner, prompt_type, metric, value = self._write(
            "SELECT sitting_id, exercise_id, prompt_id, partner, prompt_type, metric, value "
            "FROM answers WHERE id = ?", (answer_id,),
        ).fetchone()
        ad = _answer_ad(sitting_id, exercise_id, prompt_id, partner)
        current = json.loads(value)
        if is_locked(current):
            plain = self._unseal(unlocked, current, ad)
            number = number_of(prompt_type, metric, plain)
            self._write(
                "UPDATE answers SET value = ?, text = ?, number = ? WHERE id = ?",
                (_dumps(plain), answer_text(prompt_type, plain), number, answer_id),
            )
        for revision, old in self._write(
            "SELECT revision, value FROM answer_revisions WHERE answer_id = ?", (answer_id,)
        ).fetchall():
            old = json.loads(old)
            if is_locked(old):
                plain = self._unseal(unlocked, old, ad)
                self._write(
                    "UPDATE answer_revisions SET value = ?, text = ?, number = ? WHERE answer_id = ? AND revision = ?",
                    (_dumps(plain), answer_text(prompt_type, plain),
                     number_of(prompt_type, metric, plain), answer_id, revision),
                )

    def open_value(self, answer: Answer, unlocked: Any) -> Any:
        """A locked answer's value, opened in memory (nothing is written); a plain one as it is."""
        if not is_locked(answer.value):
            return answer.value
        return self._unseal(
            unlocked, answer.value, _answer_ad(answer.sitting_id, answer.exercise_id, answer.prompt_id, answer.partner)
        )

    def change_lock(self, partner: str, old: str, new: str) -> None:
        """A new passphrase for the same lock (what is sealed stays as it is)."""
        from . import locks

        trouble = locks.problem(new)
        if trouble:
            raise LockError(trouble)
        unlocked = self.unlock(partner, old)
        record = locks.rewrap(unlocked, new)
        with self.transaction():
            self._write(
                "UPDATE locks SET kdf = ?, salt = ?, key_check = ?, public_key = ?, private_key = ? "
                "WHERE partner = ?",
                (*record, partner),
            )

    def remove_lock(self, partner: str, passphrase: str) -> int:
        """Take the lock away (after its passphrase): what it sealed is kept as plain, still
        private until the reveal. Returns how many answers were opened."""
        unlocked = self.unlock(partner, passphrase)
        opened = 0
        with self.transaction():
            for row in self._locked_rows(partner):
                self._open_answer(row[0], unlocked)
                opened += 1
            note = self._write("SELECT value FROM notes WHERE partner = ?", (partner,)).fetchone()
            if note is not None and is_locked(json.loads(note[0])):
                text = self._unseal(unlocked, json.loads(note[0]), _note_ad(partner))
                self._write("UPDATE notes SET value = ? WHERE partner = ?", (_dumps(text), partner))
            self._write("DELETE FROM locks WHERE partner = ?", (partner,))
            self._publics = None
        return opened

    def reset_lock(self, partner: str) -> tuple[int, bool]:
        """A forgotten passphrase: the lock goes, and with it what it still held. Returns
        (locked answers lost, whether locked notes were lost). Everything else stays."""
        with self.transaction():
            lost = [row[0] for row in self._locked_rows(partner)]
            for answer_id in lost:
                self._write("DELETE FROM answer_revisions WHERE answer_id = ?", (answer_id,))
                self._write("DELETE FROM answers WHERE id = ?", (answer_id,))
            note = self._write("SELECT value FROM notes WHERE partner = ?", (partner,)).fetchone()
            notes_lost = note is not None and is_locked(json.loads(note[0]))
            if notes_lost:
                self._write("DELETE FROM notes WHERE partner = ?", (partner,))
            self._write("DELETE FROM locks WHERE partner = ?", (partner,))
            self._publics = None
        return len(lost), notes_lost

    def has_notes(self, partner: str) -> bool:
        row = self._one("SELECT value FROM notes WHERE partner = ?", (partner,))
        if row is None:
            return False
        value = json.loads(row[0])
        return bool(value.get("answered")) if is_locked(value) else bool(str(value).strip())

    def notes_locked(self, partner: str) -> bool:
        row = self._one("SELECT value FROM notes WHERE partner = ?", (partner,))
        return row is not None and is_locked(json.loads(row[0]))

    def read_notes(self, partner: str, unlocked: Any = None) -> str:
        """``partner``'s notes for one ("" when none); locked ones need their opened lock."""
        row = self._one("SELECT value FROM notes WHERE partner = ?", (partner,))
        if row is None:
            return ""
        value = json.loads(row[0])
        if not is_locked(value):
            return str(value)
        if unlocked is None:
            raise LockError("These notes are locked; the passphrase opens them.")
        return str(self._unseal(unlocked, value, _note_ad(partner)))

    def save_notes(self, partner: str, text: str, *, at: str | None = None) -> None:
        """Save ``partner``'s notes (sealed when they have a lock): never revealed, never in a recap."""
        if partner not in PARTNERS:
            raise ValueError(f"partner must be 'a' or 'b', not {partner!r}")
        text = _storable(str(text))
        value: Any = self._sealed_note(partner, text) if self._sealing_for(partner) else text
        with self.transaction():
            self._write(
                "INSERT INTO notes (partner, value, updated) VALUES (?, ?, ?) "
                "ON CONFLICT (partner) DO UPDATE SET value = excluded.value, updated = excluded.updated",
                (partner, _dumps(value), at or _now()),
            )

    # ------------------------------------------------------------- commitments

    def add_commitment(
        self, sitting_id: int, exercise_id: str, prompt_id: str, what: str, owner: str,
        due: str | None, *, at: str | None = None,
    ) -> Commitment:
        if owner not in OWNERS:
            raise ValueError(f"owner must be one of {OWNERS}, not {owner!r}")
        with self.transaction():
            commitment_id = self._write(
                "INSERT INTO commitments (sitting_id, exercise_id, prompt_id, what, owner, due, status, "
                "created) VALUES (?, ?, ?, ?, ?, ?, 'open', ?)",
                (sitting_id, exercise_id, prompt_id, what, owner, due or None, at or _now()),
            ).lastrowid
        commitment = self.get_commitment(commitment_id)
        assert commitment is not None
        return commitment

    # A commitment written in a private answer exists only once that answer is
    # revealed (save_answer makes none before); a row an older version made at the
    # first save stays out of every list until then; one kept just for its partner
    # (keep_private) never shows.
    _COMMITMENT_SHOWN = (
        "NOT EXISTS (SELECT 1 FROM answers a WHERE a.id = commitments.answer_id AND a.private = 1 "
        "AND (NOT EXISTS (SELECT 1 FROM reveals r WHERE r.sitting_id = a.sitting_id "
        "AND r.exercise_id = a.exercise_id AND r.prompt_id = a.prompt_id) "
        "OR EXISTS (SELECT 1 FROM kept_private k WHERE k.sitting_id = a.sitting_id "
        "AND k.exercise_id = a.exercise_id AND k.prompt_id = a.prompt_id AND k.partner = a.partner)))"
    )

    def _commitments(self, where: str = "", params: Sequence = ()) -> list[Commitment]:
        where = f"WHERE {self._COMMITMENT_SHOWN}" + (f" AND ({where.removeprefix('WHERE ')})" if where else "")
        return [
            _commitment(row)
            for row in self._rows(
                f"SELECT {_COMMITMENT_COLUMNS} FROM commitments {where} "
                "ORDER BY due IS NULL, due, created, id",
                params,
            )
        ]

    def get_commitment(self, commitment_id: int) -> Commitment | None:
        found = self._commitments("WHERE id = ?", (commitment_id,))
        return found[0] if found else None

    def list_commitments(self, status: str | None = None) -> list[Commitment]:
        if status is None:
            return self._commitments()
        return self._commitments("WHERE status = ?", (status,))

    def open_commitments(self) -> list[Commitment]:
        """Commitments still open: never reviewed, or reviewed as partly kept or not kept
        (they come back at each check-in until they are kept)."""
        return self._commitments("WHERE status IN ('open', 'partly', 'not_kept')")

    def closed_commitments_since(self, since: str) -> list[Commitment]:
        """Dated commitments closed (kept) with a review at or after ``since`` (ISO):
        the calendar cancels their events so a calendar app that has them drops them."""
        return self._commitments(
            "WHERE status NOT IN ('open', 'partly', 'not_kept') AND due IS NOT NULL AND reviewed >= ?", (since,)
        )

    def unrevealed_commitment_ids(self) -> set[int]:
        """Commitments written in a private answer that has not been revealed: their words stay in."""
        return {
            row[0]
            for row in self._rows(
                "SELECT c.id FROM commitments c JOIN answers a ON a.id = c.answer_id "
                "LEFT JOIN reveals r ON r.sitting_id = a.sitting_id AND r.exercise_id = a.exercise_id "
                "AND r.prompt_id = a.prompt_id WHERE a.private = 1 AND r.sitting_id IS NULL"
            )
        }

    def commitments_made_in(self, sitting_id: int) -> list[Commitment]:
        return self._commitments("WHERE sitting_id = ?", (sitting_id,))

    def commitments_reviewed_in(self, sitting_id: int) -> list[Commitment]:
        return self._commitments("WHERE reviewed_sitting_id = ?", (sitting_id,))

    def review_commitment(
        self, commitment_id: int, status: str, sitting_id: int | None = None, *, at: str | None = None
    ) -> Commitment:
        if status not in COMMITMENT_STATUSES:
            raise ValueError(f"status must be one of {COMMITMENT_STATUSES}, not {status!r}")
        with self.transaction():
            if status == "open":
                cursor = self._write(
                    "UPDATE commitments SET status = 'open', reviewed = NULL, reviewed_sitting_id = NULL "
                    f"WHERE id = ? AND {self._COMMITMENT_SHOWN}",
                    (commitment_id,),
                )
            else:
                cursor = self._write(
                    "UPDATE commitments SET status = ?, reviewed = ?, reviewed_sitting_id = ? "
                    f"WHERE id = ? AND {self._COMMITMENT_SHOWN}",
                    (status, at or _now(), sitting_id, commitment_id),
                )
            if cursor.rowcount == 0:
                raise WorkbookError(f"There is no commitment {commitment_id} in this workbook.")
        commitment = self.get_commitment(commitment_id)
        assert commitment is not None
        return commitment

    # ------------------------------------------------------------- looking back

    def search(self, query: str, limit: int = 50, offset: int = 0) -> list[SearchHit]:
        """Answers matching every word of ``query`` (the last may be a prefix), newest first.

        ``limit`` hits from ``offset`` on (``search_count`` gives the whole count,
        to page through all of them). Unrevealed private answers never appear.
        Any input is safe: words are quoted before they reach FTS5; input with
        no words is matched as plain text.
        """
        query = str(query or "")
        if not query.strip():
            return []
        words = _WORD_RE.findall(query)
        try:
            if words:
                return self._search_fts(words, limit, offset)
            return self._search_plain(query.strip(), limit, offset)
        except WorkbookError:
            raise
        except sqlite3.Error as error:
            _raise_if_index_gone(error)
            return []

    def search_count(self, query: str) -> int:
        """How many answers ``search(query)`` finds in all (the same rules, no limit)."""
        query = str(query or "")
        if not query.strip():
            return 0
        words = _WORD_RE.findall(query)
        try:
            if words:
                row = self._one(
                    "SELECT count(*) FROM answers_fts JOIN answers a ON a.id = answers_fts.rowid "
                    f"WHERE answers_fts MATCH ? AND {self._VISIBLE}",
                    (_fts_match(words),),
                )
            else:
                row = self._one(
                    f"SELECT count(*) FROM answers a WHERE a.text LIKE ? ESCAPE '\\' AND {self._VISIBLE}",
                    (_like_pattern(query.strip()),),
                )
        except WorkbookError as error:
            _raise_if_index_gone(error)
            raise
        except sqlite3.Error as error:
            _raise_if_index_gone(error)
            return 0
        return int(row[0]) if row else 0

    def rebuild_search_index(self) -> None:
        """Make the full-text index again, as migrations m006 and m008 made it (readable answers only)."""
        # The old index may hold private words (an outside rebuild): zero its pages as they are freed.
        secure = self._one("PRAGMA secure_delete")[0]
        self.conn.execute("PRAGMA secure_delete = ON")
        try:
            with self.transaction():
                names = {row[0] for row in self._rows("SELECT name FROM sqlite_schema WHERE name LIKE 'answers_fts%'")}
                try:
                    self.conn.execute("DROP TABLE IF EXISTS answers_fts")
                except sqlite3.Error:
                    pass  # its shadow tables are damaged: they go one by one below
                for shadow in sorted(names - {"answers_fts"}):
                    self.conn.execute(f'DROP TABLE IF EXISTS "{shadow}"')
                for trigger in ("reveals_ai", "reveals_ad"):  # m006 drops the answers_* ones itself
                    self.conn.execute(f"DROP TRIGGER IF EXISTS {trigger}")
                migrations.m006_search_declared(self.conn)
                migrations.m008_kept_private_search(self.conn)  # today's triggers, kept answers left out
        finally:
            self.conn.execute(f"PRAGMA secure_delete = {int(secure):d}")

    _REVEALED = (
        "EXISTS (SELECT 1 FROM reveals r WHERE r.sitting_id = a.sitting_id "
        "AND r.exercise_id = a.exercise_id AND r.prompt_id = a.prompt_id) "
        "AND NOT EXISTS (SELECT 1 FROM kept_private k WHERE k.sitting_id = a.sitting_id "
        "AND k.exercise_id = a.exercise_id AND k.prompt_id = a.prompt_id AND k.partner = a.partner)"
    )
    # The index holds only readable answers (m006); the filter stays, so that
    # one mistake in a trigger could never show an unrevealed answer.
    _VISIBLE = f"(a.private = 0 OR {_REVEALED})"

    def _search_fts(self, words: list[str], limit: int, offset: int = 0) -> list[SearchHit]:
        match = _fts_match(words)
        with self._lock:
            ids = [
                row[0]
                for row in self.conn.execute(
                    "SELECT a.id FROM answers_fts JOIN answers a ON a.id = answers_fts.rowid "
                    "JOIN sittings s ON s.id = a.sitting_id "
                    f"WHERE answers_fts MATCH ? AND {self._VISIBLE} "
                    "ORDER BY s.started DESC, a.id LIMIT ? OFFSET ?",
                    (match, int(limit), max(0, int(offset))),
                )
            ]
            if not ids:
                return []
            rows = self.conn.execute(
                "SELECT a.id, a.sitting_id, s.started, a.exercise_id, a.prompt_id, a.partner, "
                "snippet(answers_fts, 0, '[[', ']]', '…', 12) "
                "FROM answers_fts JOIN answers a ON a.id = answers_fts.rowid "
                "JOIN sittings s ON s.id = a.sitting_id "
                f"WHERE answers_fts MATCH ? AND answers_fts.rowid IN ({','.join('?' * len(ids))}) "
                "ORDER BY s.started DESC, a.id",
                (match, *ids),
            ).fetchall()
        return [SearchHit(*row) for row in rows]

    def _search_plain(self, needle: str, limit: int, offset: int = 0) -> list[SearchHit]:
        rows = self._rows(
            "SELECT a.id, a.sitting_id, s.started, a.exercise_id, a.prompt_id, a.partner, a.text "
            "FROM answers a JOIN sittings s ON s.id = a.sitting_id "
            f"WHERE a.text LIKE ? ESCAPE '\\' AND {self._VISIBLE} "
            "ORDER BY s.started DESC, a.id LIMIT ? OFFSET ?",
            (_like_pattern(needle), int(limit), max(0, int(offset))),
        )
        hits = []
        for row in rows:
            text = row[6]
            at = text.lower().find(needle.lower())
            if at < 0:
                snippet = text[:80]
            else:
                start = max(0, at - 40)
                end = at + len(needle)
                snippet = (
                    ("…" if start else "") + text[start:at] + "[[" + text[at:end] + "]]"
                    + text[end:end + 40] + ("…" if end + 40 < len(text) else "")
                )
            hits.append(SearchHit(*row[:6], snippet))
        return hits

    def metric_rows(
        self,
        metric: str | None = None,
        since: str | None = None,
        *,
        include_unrevealed: bool = False,
        short: bool = False,
    ) -> list[tuple]:
        """Scored answers in sitting order as plain tuples (the lean form trends use):

        ``(sitting_id, started, partner, metric, number, exercise_id, prompt_id,
        answer_id, private, revealed)``. Unrevealed private ones only when asked for.
        ``short=True`` stops after ``exercise_id`` (all a summary needs; each
        column of thousands of rows is thousands of Python objects).
        """
        # "+a.metric" keeps SQLite off the metric index: ten years of scored
        # answers are most of the table, and one scan beats thousands of lookups.
        clauses = ["+a.metric IS NOT NULL", "a.number IS NOT NULL"]
        params: list = []
        if metric is not None:
            clauses.append("a.metric = ?")
            params.append(metric)
        if since is not None:
            clauses.append("s.started >= ?")
            params.append(since)
        if not include_unrevealed:
            clauses.append(f"(a.private = 0 OR (r.sitting_id IS NOT NULL AND NOT {self._KEPT}))")
        columns = "a.sitting_id, s.started, a.partner, a.metric, a.number, a.exercise_id"
        if not short:
            columns += f", a.prompt_id, a.id, a.private, a.private = 0 OR (r.sitting_id IS NOT NULL AND NOT {self._KEPT})"
        sql = (
            f"SELECT {columns} "
            "FROM answers a JOIN sittings s ON s.id = a.sitting_id "
            "LEFT JOIN reveals r ON r.sitting_id = a.sitting_id AND r.exercise_id = a.exercise_id "
            "AND r.prompt_id = a.prompt_id "
            f"WHERE {' AND '.join(clauses)} ORDER BY s.started, a.sitting_id, a.id"
        )
        return self._rows(sql, params)

    def score_columns(self) -> tuple[dict[int, str], list[tuple[str, str, str, list[int], list[float], list[int]]]]:
        """Every visible scored answer, as columns: the compact form ``trends.summary`` reads.

        Returns ``(started, groups)``: ``started`` maps each sitting id to its
        start (ISO text); ``groups`` holds one ``(metric, partner, exercise_id,
        sitting_ids, numbers, answer_ids)`` per metric, partner and exercise, the
        lists paired item by item (the answer ids say which of a sitting's ratings
        was given first: ``trends.counting_order``). Unrevealed private answers
        are left out.

        Ten years are thousands of scored answers; one Python tuple per answer
        was most of the cost of trends. SQLite concatenates each group's ids and
        numbers (whole numbers as integers, others as ``%!.17g``, which gives
        every float back exactly) and Python splits them in C, reading a
        covering index (m004) in group order.
        """
        groups = [
            (metric, partner, exercise_id, list(map(int, sids.split(","))), list(map(float, numbers.split(","))),
             list(map(int, ids.split(","))))
            for metric, partner, exercise_id, sids, numbers, ids in self._rows(
                "SELECT a.metric, a.partner, a.exercise_id, group_concat(a.sitting_id),"
                # Whole numbers (most scores) as integers, any other exactly.
                " group_concat(CASE WHEN a.number = CAST(a.number AS INTEGER) THEN CAST(a.number AS INTEGER)"
                " ELSE printf('%!.17g', a.number) END), group_concat(a.id)"
                " FROM answers a"
                " WHERE a.metric IS NOT NULL AND a.number IS NOT NULL"
                # IN over the whole reveals table is one lookup table built once;
                # a correlated EXISTS per private answer cost more than the scan.
                " AND (a.private = 0 OR (a.sitting_id, a.exercise_id, a.prompt_id) IN"
                " (SELECT sitting_id, exercise_id, prompt_id FROM reveals)"
                " AND (a.sitting_id, a.exercise_id, a.prompt_id, a.partner) NOT IN"
                " (SELECT sitting_id, exercise_id, prompt_id, partner FROM kept_private))"
                " GROUP BY a.metric, a.partner, a.exercise_id"
            )
        ]
        started = dict(self._rows("SELECT id, started FROM sittings"))
        return started, groups

    def metric_points(
        self, metric: str | None = None, since: str | None = None, *, include_unrevealed: bool = False
    ) -> list[MetricPoint]:
        """Scored answers in sitting order; unrevealed private ones only when asked for."""
        # Built without the frozen dataclass's __init__ (same fields, same
        # equality): ten years are thousands of points.
        points: list[MetricPoint] = []
        append = points.append
        for sid, at, partner, key, number, exercise_id, prompt_id, answer_id, private, shown in (
            self.metric_rows(metric, since, include_unrevealed=include_unrevealed)
        ):
            point = _new(MetricPoint)
            _set(point, "__dict__", {
                "sitting_id": sid, "at": at, "partner": partner, "metric": key, "value": number,
                "extra": {"exercise_id": exercise_id, "prompt_id": prompt_id, "answer_id": answer_id,
                          "private": bool(private), "revealed": bool(shown)},
            })
            append(point)
        return points

    def metrics(self) -> list[str]:
        return [row[0] for row in self._rows(
            "SELECT DISTINCT metric FROM answers WHERE metric IS NOT NULL ORDER BY metric"
        )]

    # -------------------------------------------------------------- whole file

    def is_empty(self) -> bool:
        row = self._one(
            "SELECT EXISTS (SELECT 1 FROM partners) OR EXISTS (SELECT 1 FROM sittings) "
            "OR EXISTS (SELECT 1 FROM settings) OR EXISTS (SELECT 1 FROM commitments)"
        )
        return not row[0]

    def export_data(self) -> dict:
        """Everything in the workbook as plain JSON-ready data (ids kept)."""
        with self._lock:
            revisions: dict[int, list[dict]] = {}
            for answer_id, revision, value, text, number, created in self._rows(
                "SELECT answer_id, revision, value, text, number, created FROM answer_revisions "
                "ORDER BY answer_id, revision"
            ):
                revisions.setdefault(answer_id, []).append(
                    {"revision": revision, "value": json.loads(value), "text": text,
                     "number": number, "created": created}
                )
            answers = []
            for row in self._rows(
                "SELECT id, sitting_id, exercise_id, prompt_id, partner, prompt_type, value, text, "
                "private, metric, number, revision, created, updated FROM answers ORDER BY id"
            ):
                answers.append({
                    "id": row[0], "sitting_id": row[1], "exercise_id": row[2], "prompt_id": row[3],
                    "partner": row[4], "prompt_type": row[5], "value": json.loads(row[6]),
                    "text": row[7], "private": bool(row[8]), "metric": row[9], "number": row[10],
                    "revision": row[11], "created": row[12], "updated": row[13],
                    "revisions": revisions.get(row[0], []),
                })
            return {
                "format": EXPORT_FORMAT,
                "version": EXPORT_VERSION,
                "schema": migrations.SCHEMA_VERSION,
                "note": EXPORT_NOTE,
                "partners": [
                    {"key": k, "name": n, "colour": c}
                    for k, n, c in self._rows("SELECT key, name, colour FROM partners ORDER BY key")
                ],
                "settings": {
                    k: json.loads(v) for k, v in self._rows("SELECT key, value FROM settings ORDER BY key")
                },
                "sittings": [
                    {"id": i, "started": s, "ended": e, "attendees": json.loads(at)}
                    for i, s, e, at in self._rows(
                        "SELECT id, started, ended, attendees FROM sittings ORDER BY id"
                    )
                ],
                "answers": answers,
                "reveals": [
                    {"sitting_id": s, "exercise_id": e, "prompt_id": p, "revealed": r}
                    for s, e, p, r in self._rows(
                        "SELECT sitting_id, exercise_id, prompt_id, revealed FROM reveals "
                        "ORDER BY sitting_id, exercise_id, prompt_id"
                    )
                ],
                "kept_private": [
                    {"sitting_id": s, "exercise_id": e, "prompt_id": p, "partner": w, "kept": k}
                    for s, e, p, w, k in self._rows(
                        "SELECT sitting_id, exercise_id, prompt_id, partner, kept FROM kept_private "
                        "ORDER BY sitting_id, exercise_id, prompt_id, partner"
                    )
                ],
                "commitments": [
                    dict(zip(
                        ("id", "sitting_id", "exercise_id", "prompt_id", "answer_id", "what", "owner",
                         "due", "status", "created", "reviewed", "reviewed_sitting_id"),
                        row,
                    ))
                    for row in self._rows(
                        "SELECT id, sitting_id, exercise_id, prompt_id, answer_id, what, owner, due, "
                        "status, created, reviewed, reviewed_sitting_id FROM commitments ORDER BY id"
                    )
                ],
                # Locked values leave as they are stored: still locked, with the locks that open them.
                "locks": [
                    dict(zip(("partner", "kdf", "salt", "key_check", "public_key", "private_key", "created"), row))
                    for row in self._rows(
                        "SELECT partner, kdf, salt, key_check, public_key, private_key, created "
                        "FROM locks ORDER BY partner"
                    )
                ],
                "notes": [
                    {"partner": p, "value": json.loads(v), "updated": u}
                    for p, v, u in self._rows("SELECT partner, value, updated FROM notes ORDER BY partner")
                ],
            }

    def import_data(self, data: dict) -> None:
        """Load an export into this workbook, which must be empty. Ids are kept."""
        if not self.is_empty():
            raise WorkbookError(f"{self.path} is not empty; import into a new file with --db NEW.db.")
        from .export_check import ExportError, check_export

        try:
            check_export(data)  # every field, before anything is written
        except ExportError as error:
            raise WorkbookError(export_problem(error)) from None
        try:
            with self.transaction():
                # sqlite-utils batches the inserts; its savepoints nest inside our transaction.
                self._insert("partners", [
                    {"key": p["key"], "name": p["name"], "colour": p["colour"]}
                    for p in data.get("partners", [])
                ])
                self._insert("settings", [
                    {"key": key, "value": _dumps(value)} for key, value in data.get("settings", {}).items()
                ])
                self._insert("sittings", [
                    {"id": s["id"], "started": s["started"], "ended": s.get("ended"),
                     "attendees": _dumps(list(s["attendees"]))}
                    for s in data.get("sittings", [])
                ])
                answers = data.get("answers", [])
                self._insert("answers", [
                    {"id": a["id"], "sitting_id": a["sitting_id"], "exercise_id": a["exercise_id"],
                     "prompt_id": a["prompt_id"], "partner": a["partner"], "prompt_type": a["prompt_type"],
                     "value": _dumps(a["value"]),
                     "text": a["text"] if a.get("text") is not None else answer_text(a["prompt_type"], a["value"]),
                     "private": int(bool(a.get("private"))), "metric": a.get("metric"),
                     "number": a.get("number"), "revision": a.get("revision", 1),
                     "created": a["created"], "updated": a.get("updated", a["created"])}
                    for a in answers
                ])
                revisions = []
                for a in answers:
                    revs = a.get("revisions") or [{
                        "revision": a.get("revision", 1), "value": a["value"], "text": a.get("text"),
                        "number": a.get("number"), "created": a.get("updated", a["created"]),
                    }]
                    for r in revs:
                        text = r.get("text")
                        if text is None:
                            text = answer_text(a["prompt_type"], r["value"])
                        revisions.append({
                            "answer_id": a["id"], "revision": r["revision"], "value": _dumps(r["value"]),
                            "text": text, "number": r.get("number"), "created": r["created"],
                        })
                self._insert("answer_revisions", revisions)
                # Kept rows before reveals: a reveal then never indexes a kept answer, even for a moment.
                self._insert("kept_private", [
                    {"sitting_id": k["sitting_id"], "exercise_id": k["exercise_id"],
                     "prompt_id": k["prompt_id"], "partner": k["partner"], "kept": k["kept"]}
                    for k in data.get("kept_private", [])
                ])
                self._insert("reveals", [
                    {"sitting_id": r["sitting_id"], "exercise_id": r["exercise_id"],
                     "prompt_id": r["prompt_id"], "revealed": r["revealed"]}
                    for r in data.get("reveals", [])
                ])
                self._insert("locks", [
                    {k: lock[k] for k in ("partner", "kdf", "salt", "key_check", "public_key",
                                          "private_key", "created")}
                    for lock in data.get("locks", [])
                ])
                self._insert("notes", [
                    {"partner": n["partner"], "value": _dumps(n["value"]), "updated": n["updated"]}
                    for n in data.get("notes", [])
                ])
                self._insert("commitments", [
                    {"id": c["id"], "sitting_id": c["sitting_id"], "exercise_id": c["exercise_id"],
                     "prompt_id": c["prompt_id"], "answer_id": c.get("answer_id"), "what": c["what"],
                     "owner": c["owner"], "due": c.get("due"), "status": c.get("status", "open"),
                     "created": c["created"], "reviewed": c.get("reviewed"),
                     "reviewed_sitting_id": c.get("reviewed_sitting_id")}
                    for c in data.get("commitments", [])
                ])
        except WorkbookError as error:
            if "could not be used" in str(error):
                raise WorkbookError(
                    "The export does not fit together (an answer or commitment points at something "
                    "missing, or a value is out of range); nothing was imported."
                ) from None
            raise
        except (KeyError, TypeError, AttributeError) as error:
            raise WorkbookError(
                f"This is not a complete relworkbook export (missing or wrong field {error}); "
                "nothing was imported."
            ) from None

        finally:
            self._publics = None

    def _insert(self, table: str, rows: list[dict]) -> None:
        if rows:
            self.db.table(table).insert_all(rows)

    # ----------------------------------------------------------------- backups

    def backup(self, dest: Path | None = None) -> Path:
        """A consistent copy through SQLite's backup API, readable by the owner only.

        The copy is made in a hidden temporary file beside its final name and
        checked there (``PRAGMA quick_check``) before it counts: only a copy
        that passes is flushed to the disk and renamed to its backup name. A
        damaged workbook is refused (``DamagedWorkbook``, naming the newest
        backup, which therefore passed its own check) and nothing is added.
        """
        from . import files

        old_umask = os.umask(0o077)
        try:
            if dest is None:
                folder = self._backups_folder()
                stamp = datetime.now().strftime("%Y%m%d-%H%M%S")
                dest = folder / f"workbook-{stamp}.db"
                counter = 2
                while dest.exists():
                    dest = folder / f"workbook-{stamp}-{counter}.db"
                    counter += 1
            else:
                dest = Path(dest).expanduser()
                if dest.exists():
                    raise WorkbookError(f"{dest} already exists; choose a new file for the backup.")
                if not dest.parent.is_dir():
                    raise WorkbookError(f"The folder {dest.parent} does not exist.")
            try:
                fd, tmp = files.temp_beside(dest)
                os.close(fd)
            except OSError as error:
                raise WorkbookError(f"Cannot write the backup {dest} ({error.strerror or error}).") from None
            try:
                try:
                    target = sqlite3.connect(str(tmp), isolation_level=None)
                    try:
                        with self._lock:
                            self.conn.backup(target)
                        target.execute("PRAGMA journal_mode = DELETE")
                        verdict = target.execute("PRAGMA quick_check(1)").fetchone()
                    finally:
                        target.close()
                except sqlite3.Error as error:
                    if "full" in str(error).lower():
                        raise WorkbookError(
                            f"The disk is full, so the backup {dest} was not written (the workbook itself "
                            "is unchanged); free some space and try again."
                        ) from None
                    raise _translate(error, self.path) from None
                if not verdict or verdict[0] != "ok":
                    raise DamagedWorkbook(
                        f"{self.path} is damaged inside (SQLite's quick_check failed), so no backup "
                        "was made of it; it was left as it is. " + way_out(self.path)
                    )
                try:
                    os.chmod(tmp, 0o600)
                    files.fsync_path(tmp)
                    os.replace(tmp, dest)
                except OSError as error:
                    raise WorkbookError(f"Cannot write the backup {dest} ({error.strerror or error}).") from None
                files.sync_folder(dest.parent)
            finally:
                for leftover in (tmp, Path(f"{tmp}-journal")):
                    try:
                        leftover.unlink()
                    except OSError:
                        pass
            return dest
        finally:
            os.umask(old_umask)

    def _backups_folder(self) -> Path:
        folder = paths.backups_dir(self.path)
        try:
            paths.make_private_dir(folder)
            os.chmod(folder, 0o700)
        except OSError as error:
            raise WorkbookError(f"Cannot create the backup folder {folder} ({error.strerror or error}).") from None
        return folder

    def list_backups(self) -> list[tuple[Path, datetime]]:
        """Backups in the workbook's backup folder, newest first."""
        return find_backups(self.path)

    def auto_backup(self, keep: int = 7) -> Path | None:
        """At most one backup a day (none of an empty workbook); keep the newest ``keep``.

        Like every backup, the day's copy counts only once it passes SQLite's
        ``quick_check`` (``backup()``; about 50 ms for ten years of sittings, so
        once a day, not on every opening): damage inside an otherwise readable
        file is found here and raises ``DamagedWorkbook`` before anything is
        pruned. Pruning runs only after a checked copy, which is the newest and
        so always kept: a damaged workbook never pushes a good backup out.
        """
        made = None
        today = datetime.now().date()
        if not self.is_empty() and not any(when.date() == today for _p, when in self.list_backups()):
            made = self.backup()  # checked before it counts; a damaged file raises here
        for old, _when in self.list_backups()[max(keep, 1):]:
            try:
                old.unlink()
            except OSError:
                pass
        return made
