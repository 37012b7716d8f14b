"""Schema changes of the workbook file: an append-only list of named migrations.

Every open runs ``apply()``: each migration not yet recorded in the
``migrations`` table runs in its own transaction, is recorded there, and sets
``PRAGMA user_version`` to its position in ``MIGRATIONS``. Once a migration has
landed it is never edited or removed: a new change is a new function at the end.

A workbook that names a migration this code does not know was written by a newer
relworkbook, and is refused before anything is written (see ``unknown()``).
"""

from __future__ import annotations

import sqlite3
from datetime import datetime
from typing import Callable

Migration = Callable[[sqlite3.Connection], None]


def m001_initial(conn: sqlite3.Connection) -> None:
    """The tables: partners, settings, sittings, answers and their revisions, reveals, commitments."""
    for statement in (
        """CREATE TABLE partners (
            key TEXT PRIMARY KEY CHECK (key IN ('a', 'b')),
            name TEXT NOT NULL,
            colour TEXT NOT NULL
        )""",
        """CREATE TABLE settings (
            key TEXT PRIMARY KEY,
            value TEXT NOT NULL
        )""",
        """CREATE TABLE sittings (
            id INTEGER PRIMARY KEY,
            started TEXT NOT NULL,
            ended TEXT,
            attendees TEXT NOT NULL DEFAULT '[]'
        )""",
        "CREATE INDEX sittings_started ON sittings (started)",
        """CREATE TABLE answers (
            id INTEGER PRIMARY KEY,
            sitting_id INTEGER NOT NULL REFERENCES sittings (id),
            exercise_id TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            partner TEXT NOT NULL CHECK (partner IN ('a', 'b', 'together')),
            prompt_type TEXT NOT NULL,
            value TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            private INTEGER NOT NULL DEFAULT 0,
            metric TEXT,
            number REAL,
            revision INTEGER NOT NULL DEFAULT 1,
            created TEXT NOT NULL,
            updated TEXT NOT NULL,
            UNIQUE (sitting_id, exercise_id, prompt_id, partner)
        )""",
        "CREATE INDEX answers_exercise ON answers (exercise_id, prompt_id)",
        """CREATE TABLE answer_revisions (
            answer_id INTEGER NOT NULL REFERENCES answers (id) ON DELETE CASCADE,
            revision INTEGER NOT NULL,
            value TEXT NOT NULL,
            text TEXT NOT NULL DEFAULT '',
            number REAL,
            created TEXT NOT NULL,
            PRIMARY KEY (answer_id, revision)
        )""",
        """CREATE TABLE reveals (
            sitting_id INTEGER NOT NULL REFERENCES sittings (id),
            exercise_id TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            revealed TEXT NOT NULL,
            PRIMARY KEY (sitting_id, exercise_id, prompt_id)
        )""",
        """CREATE TABLE commitments (
            id INTEGER PRIMARY KEY,
            sitting_id INTEGER NOT NULL REFERENCES sittings (id),
            exercise_id TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            answer_id INTEGER REFERENCES answers (id) ON DELETE SET NULL,
            what TEXT NOT NULL,
            owner TEXT NOT NULL CHECK (owner IN ('a', 'b', 'both')),
            due TEXT,
            status TEXT NOT NULL DEFAULT 'open'
                CHECK (status IN ('open', 'kept', 'partly', 'not_kept')),
            created TEXT NOT NULL,
            reviewed TEXT,
            reviewed_sitting_id INTEGER REFERENCES sittings (id)
        )""",
        "CREATE UNIQUE INDEX commitments_answer ON commitments (answer_id) WHERE answer_id IS NOT NULL",
        "CREATE INDEX commitments_status ON commitments (status, due)",
    ):
        conn.execute(statement)


def m002_search(conn: sqlite3.Connection) -> None:
    """Full-text search over every answer's text (FTS5), kept in step by triggers."""
    for statement in (
        """CREATE VIRTUAL TABLE answers_fts USING fts5 (
            text, content='answers', content_rowid='id',
            tokenize='porter unicode61 remove_diacritics 2'
        )""",
        """CREATE TRIGGER answers_ai AFTER INSERT ON answers BEGIN
            INSERT INTO answers_fts (rowid, text) VALUES (new.id, new.text);
        END""",
        """CREATE TRIGGER answers_ad AFTER DELETE ON answers BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
        """CREATE TRIGGER answers_au AFTER UPDATE OF text ON answers BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
            INSERT INTO answers_fts (rowid, text) VALUES (new.id, new.text);
        END""",
        # Rows written before this migration (a workbook made by m001 alone).
        "INSERT INTO answers_fts (answers_fts) VALUES ('rebuild')",
    ):
        conn.execute(statement)


def m003_trend_indexes(conn: sqlite3.Connection) -> None:
    """Indices for trends (scored answers by metric) and the commitments of a sitting."""
    for statement in (
        "CREATE INDEX answers_metric ON answers (metric, sitting_id) WHERE metric IS NOT NULL",
        "CREATE INDEX answers_private ON answers (partner) WHERE private = 1",
        "CREATE INDEX commitments_sitting ON commitments (sitting_id)",
        "CREATE INDEX commitments_reviewed_sitting ON commitments (reviewed_sitting_id)"
        " WHERE reviewed_sitting_id IS NOT NULL",
    ):
        conn.execute(statement)


def m004_score_index(conn: sqlite3.Connection) -> None:
    """A covering index of the scored answers, grouped as trends read them.

    Trends read every scored answer of ten years at once; this index holds just
    the columns they need, in (metric, partner, exercise, sitting) order, so
    SQLite reads a few pages of it instead of every answer's text, and groups
    without sorting.
    """
    conn.execute(
        "CREATE INDEX answers_scores ON answers"
        " (metric, partner, exercise_id, sitting_id, number, private, prompt_id)"
        " WHERE metric IS NOT NULL AND number IS NOT NULL"
    )


def m005_locks_and_notes(conn: sqlite3.Connection) -> None:
    """Each partner's optional lock (locks.py keeps what these columns mean) and notes for one.

    A locked private answer needs no column of its own: its ``value`` is the
    sealed form (model.LOCKED), its ``text`` empty and its ``number`` NULL
    until the reveal.
    """
    for statement in (
        """CREATE TABLE locks (
            partner TEXT PRIMARY KEY CHECK (partner IN ('a', 'b')),
            kdf TEXT NOT NULL,
            salt TEXT NOT NULL,
            key_check TEXT NOT NULL,
            public_key TEXT NOT NULL,
            private_key TEXT NOT NULL,
            created TEXT NOT NULL
        )""",
        """CREATE TABLE notes (
            partner TEXT PRIMARY KEY CHECK (partner IN ('a', 'b')),
            value TEXT NOT NULL,
            updated TEXT NOT NULL
        )""",
    ):
        conn.execute(statement)


_SHOWN = (
    "({row}.private = 0 OR EXISTS (SELECT 1 FROM reveals r WHERE r.sitting_id = {row}.sitting_id"
    " AND r.exercise_id = {row}.exercise_id AND r.prompt_id = {row}.prompt_id))"
)


def m006_search_declared(conn: sqlite3.Connection) -> None:
    """The full-text index declared the way SQLite tools look for it, holding only what may be read.

    ``content="answers"`` (double quotes) is what sqlite-utils' ``detect_fts``
    and Datasette look for, so ``sqlite-utils search workbook.db answers WORDS``
    works. The index now holds only answers that anyone may read: shared ones
    and private ones once revealed. An unrevealed private answer is never in
    it (m002 indexed every answer and filtered at query time, which left the
    words in the index's own tables); the triggers add a private answer when
    its reveal row is written. Never run the FTS 'rebuild' command on this
    table: it would index every answer. (sqlite-utils' own ``enable_fts`` is
    not used for the same reason: it indexes every row, and its
    ``executescript`` would commit in the middle of this migration.)
    """
    shown_new, shown_old, shown_a = (_SHOWN.format(row=row) for row in ("new", "old", "a"))
    # The old index's pages held every private answer's words: zero them as they are freed.
    secure = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")
    try:
        for statement in (
            "DROP TRIGGER IF EXISTS answers_ai",
            "DROP TRIGGER IF EXISTS answers_ad",
            "DROP TRIGGER IF EXISTS answers_au",
            "DROP TABLE IF EXISTS answers_fts",
            """CREATE VIRTUAL TABLE answers_fts USING fts5 (
                text, content="answers", content_rowid="id",
                tokenize='porter unicode61 remove_diacritics 2'
            )""",
            f"""CREATE TRIGGER answers_ai AFTER INSERT ON answers WHEN {shown_new} BEGIN
                INSERT INTO answers_fts (rowid, text) VALUES (new.id, new.text);
            END""",
            f"""CREATE TRIGGER answers_ad AFTER DELETE ON answers WHEN {shown_old} BEGIN
                INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
            END""",
            f"""CREATE TRIGGER answers_au
                AFTER UPDATE OF text, private, sitting_id, exercise_id, prompt_id ON answers BEGIN
                INSERT INTO answers_fts (answers_fts, rowid, text)
                    SELECT 'delete', old.id, old.text WHERE {shown_old};
                INSERT INTO answers_fts (rowid, text) SELECT new.id, new.text WHERE {shown_new};
            END""",
            # A reveal makes the prompt's private answers readable, so searchable.
            """CREATE TRIGGER reveals_ai AFTER INSERT ON reveals BEGIN
                INSERT INTO answers_fts (rowid, text)
                    SELECT id, text FROM answers WHERE private = 1 AND sitting_id = new.sitting_id
                    AND exercise_id = new.exercise_id AND prompt_id = new.prompt_id;
            END""",
            """CREATE TRIGGER reveals_ad AFTER DELETE ON reveals BEGIN
                INSERT INTO answers_fts (answers_fts, rowid, text)
                    SELECT 'delete', id, text FROM answers WHERE private = 1 AND sitting_id = old.sitting_id
                    AND exercise_id = old.exercise_id AND prompt_id = old.prompt_id;
            END""",
            f"INSERT INTO answers_fts (rowid, text) SELECT a.id, a.text FROM answers a WHERE {shown_a}",
        ):
            conn.execute(statement)
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(secure):d}")


_KEPT_A = (
    "EXISTS (SELECT 1 FROM kept_private k WHERE k.sitting_id = a.sitting_id"
    " AND k.exercise_id = a.exercise_id AND k.prompt_id = a.prompt_id AND k.partner = a.partner)"
)
_SHOWN_NOT_KEPT = (
    "({row}.private = 0 OR (EXISTS (SELECT 1 FROM reveals r WHERE r.sitting_id = {row}.sitting_id"
    " AND r.exercise_id = {row}.exercise_id AND r.prompt_id = {row}.prompt_id)"
    " AND NOT EXISTS (SELECT 1 FROM kept_private k WHERE k.sitting_id = {row}.sitting_id"
    " AND k.exercise_id = {row}.exercise_id AND k.prompt_id = {row}.prompt_id AND k.partner = {row}.partner)))"
)


def m007_kept_private(conn: sqlite3.Connection) -> None:
    """Private answers a partner kept "just for me" at a reveal: never shown, even once revealed."""
    shown_new, shown_old = (_SHOWN_NOT_KEPT.format(row=row) for row in ("new", "old"))
    conn.execute(
        """CREATE TABLE kept_private (
            sitting_id INTEGER NOT NULL REFERENCES sittings(id),
            exercise_id TEXT NOT NULL,
            prompt_id TEXT NOT NULL,
            partner TEXT NOT NULL,
            kept TEXT NOT NULL,
            PRIMARY KEY (sitting_id, exercise_id, prompt_id, partner)
        ) WITHOUT ROWID"""
    )
    # A kept answer never enters the search index, even once its prompt is revealed.
    for statement in (
        "DROP TRIGGER IF EXISTS answers_ad",
        "DROP TRIGGER IF EXISTS answers_au",
        "DROP TRIGGER IF EXISTS reveals_ai",
        "DROP TRIGGER IF EXISTS reveals_ad",
        f"""CREATE TRIGGER answers_ad AFTER DELETE ON answers WHEN {shown_old} BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
        END""",
        f"""CREATE TRIGGER answers_au
            AFTER UPDATE OF text, private, sitting_id, exercise_id, prompt_id ON answers BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text)
                SELECT 'delete', old.id, old.text WHERE {shown_old};
            INSERT INTO answers_fts (rowid, text) SELECT new.id, new.text WHERE {shown_new};
        END""",
        f"""CREATE TRIGGER reveals_ai AFTER INSERT ON reveals BEGIN
            INSERT INTO answers_fts (rowid, text)
                SELECT a.id, a.text FROM answers a WHERE a.private = 1 AND a.sitting_id = new.sitting_id
                AND a.exercise_id = new.exercise_id AND a.prompt_id = new.prompt_id AND NOT {_KEPT_A};
        END""",
        f"""CREATE TRIGGER reveals_ad AFTER DELETE ON reveals BEGIN
            INSERT INTO answers_fts (answers_fts, rowid, text)
                SELECT 'delete', a.id, a.text FROM answers a WHERE a.private = 1 AND a.sitting_id = old.sitting_id
                AND a.exercise_id = old.exercise_id AND a.prompt_id = old.prompt_id AND NOT {_KEPT_A};
        END""",
    ):
        conn.execute(statement)


def m008_kept_private_search(conn: sqlite3.Connection) -> None:
    """The search index follows kept_private whatever order the rows come in, and is made again.

    m007 left two holes: a kept_private row written after its prompt's reveal
    (as ``import`` did) left the kept answer in the index, and ``answers_ai``
    indexed a new answer in a revealed prompt its writer had kept. Now every
    trigger asks the same question (shared, or revealed and not kept), a
    kept_private row takes its answers out of the index and its removal puts
    them back, and the index is emptied and filled again with readable answers
    only, so a file written with the old triggers loses what it should never
    have held. Also used by ``Store.rebuild_search_index`` after m006.
    """
    shown_new, shown_old, shown_a = (_SHOWN_NOT_KEPT.format(row=row) for row in ("new", "old", "a"))
    # Private answers of this kept row's partner that the index held (revealed; the row is new).
    kept_answers = (
        "FROM answers a WHERE a.private = 1 AND a.sitting_id = {k}.sitting_id"
        " AND a.exercise_id = {k}.exercise_id AND a.prompt_id = {k}.prompt_id AND a.partner = {k}.partner"
        " AND EXISTS (SELECT 1 FROM reveals r WHERE r.sitting_id = a.sitting_id"
        " AND r.exercise_id = a.exercise_id AND r.prompt_id = a.prompt_id)"
    )
    secure = conn.execute("PRAGMA secure_delete").fetchone()[0]
    conn.execute("PRAGMA secure_delete = ON")  # the freed index pages may hold kept words
    try:
        for statement in (
            "DROP TRIGGER IF EXISTS answers_ai",
            "DROP TRIGGER IF EXISTS answers_ad",
            "DROP TRIGGER IF EXISTS answers_au",
            "DROP TRIGGER IF EXISTS reveals_ai",
            "DROP TRIGGER IF EXISTS reveals_ad",
            "DROP TRIGGER IF EXISTS kept_private_ai",
            "DROP TRIGGER IF EXISTS kept_private_ad",
            f"""CREATE TRIGGER answers_ai AFTER INSERT ON answers WHEN {shown_new} BEGIN
                INSERT INTO answers_fts (rowid, text) VALUES (new.id, new.text);
            END""",
            f"""CREATE TRIGGER answers_ad AFTER DELETE ON answers WHEN {shown_old} BEGIN
                INSERT INTO answers_fts (answers_fts, rowid, text) VALUES ('delete', old.id, old.text);
            END""",
            f"""CREATE TRIGGER answers_au
                AFTER UPDATE OF text, private, sitting_id, exercise_id, prompt_id, partner ON answers BEGIN
                INSERT INTO answers_fts (answers_fts, rowid, text)
                    SELECT 'delete', old.id, old.text WHERE {shown_old};
                INSERT INTO answers_fts (rowid, text) SELECT new.id, new.text WHERE {shown_new};
            END""",
            # A reveal adds the prompt's private answers, unless kept (one reveal row per prompt).
            f"""CREATE TRIGGER reveals_ai AFTER INSERT ON reveals BEGIN
                INSERT INTO answers_fts (rowid, text)
                    SELECT a.id, a.text FROM answers a WHERE a.private = 1 AND a.sitting_id = new.sitting_id
                    AND a.exercise_id = new.exercise_id AND a.prompt_id = new.prompt_id AND NOT {_KEPT_A};
            END""",
            f"""CREATE TRIGGER reveals_ad AFTER DELETE ON reveals BEGIN
                INSERT INTO answers_fts (answers_fts, rowid, text)
                    SELECT 'delete', a.id, a.text FROM answers a WHERE a.private = 1 AND a.sitting_id = old.sitting_id
                    AND a.exercise_id = old.exercise_id AND a.prompt_id = old.prompt_id AND NOT {_KEPT_A};
            END""",
            f"""CREATE TRIGGER kept_private_ai AFTER INSERT ON kept_private BEGIN
                INSERT INTO answers_fts (answers_fts, rowid, text)
                    SELECT 'delete', a.id, a.text {kept_answers.format(k="new")};
            END""",
            f"""CREATE TRIGGER kept_private_ad AFTER DELETE ON kept_private BEGIN
                INSERT INTO answers_fts (rowid, text) SELECT a.id, a.text {kept_answers.format(k="old")};
            END""",
            "INSERT INTO answers_fts (answers_fts) VALUES ('delete-all')",
            f"INSERT INTO answers_fts (rowid, text) SELECT a.id, a.text FROM answers a WHERE {shown_a}",
        ):
            conn.execute(statement)
    finally:
        conn.execute(f"PRAGMA secure_delete = {int(secure):d}")


MIGRATIONS: list[Migration] = [
    m001_initial, m002_search, m003_trend_indexes, m004_score_index, m005_locks_and_notes,
    m006_search_declared, m007_kept_private, m008_kept_private_search,
]
NAMES = [migration.__name__ for migration in MIGRATIONS]
SCHEMA_VERSION = len(MIGRATIONS)


def applied(conn: sqlite3.Connection) -> list[str]:
    """Names recorded in the ``migrations`` table (empty if there is none yet)."""
    exists = conn.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'migrations'"
    ).fetchone()
    if not exists:
        return []
    return [row[0] for row in conn.execute("SELECT name FROM migrations ORDER BY rowid")]


def unknown(conn: sqlite3.Connection) -> list[str]:
    """Migrations recorded in the file that this code does not know (a newer writer)."""
    known = set(NAMES)
    names = [name for name in applied(conn) if name not in known]
    user_version = conn.execute("PRAGMA user_version").fetchone()[0]
    if not names and user_version > SCHEMA_VERSION:
        names = [f"schema version {user_version}"]
    return names


def pending(conn: sqlite3.Connection) -> list[Migration]:
    done = set(applied(conn))
    return [migration for migration in MIGRATIONS if migration.__name__ not in done]


def apply(conn: sqlite3.Connection, upto: int | None = None) -> list[str]:
    """Run every pending migration (or those up to position ``upto``), each in its own transaction.

    ``conn`` must be in autocommit mode (``isolation_level=None``). Returns the
    names applied now.
    """
    ran: list[str] = []
    targets = MIGRATIONS if upto is None else MIGRATIONS[:upto]
    for position, migration in enumerate(targets, start=1):
        if migration.__name__ in set(applied(conn)):
            continue
        conn.execute("BEGIN IMMEDIATE")
        try:
            conn.execute(
                "CREATE TABLE IF NOT EXISTS migrations (name TEXT PRIMARY KEY, applied TEXT NOT NULL)"
            )
            # Another window may have migrated while we waited for the lock.
            if conn.execute(
                "SELECT 1 FROM migrations WHERE name = ?", (migration.__name__,)
            ).fetchone():
                conn.execute("COMMIT")
                continue
            migration(conn)
            conn.execute(
                "INSERT INTO migrations (name, applied) VALUES (?, ?)",
                (migration.__name__, datetime.now().isoformat(timespec="seconds")),
            )
            conn.execute(f"PRAGMA user_version = {position:d}")
            conn.execute("COMMIT")
        except BaseException:
            if conn.in_transaction:
                conn.execute("ROLLBACK")
            raise
        ran.append(migration.__name__)
    return ran
