"""The workbook file: real SQLite files in tmp_path, no mocks."""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import stat
from datetime import datetime
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from relworkbook import migrations, paths
from relworkbook.kinds import answer_text
from relworkbook.store import IN_USE, NEWER_VERSION, Store, WorkbookError

FIXTURES = Path(__file__).parent / "fixtures"
IS_ROOT = hasattr(os, "geteuid") and os.geteuid() == 0


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def store(tmp_path):
    s = Store.open(tmp_path / "w.db")
    yield s
    s.close()


@pytest.fixture
def sitting(store):
    store.set_couple("Alex", "dodgerblue", "Sam", "orange")
    return store.start_sitting(["a", "b"], started="2025-06-01T19:00:00")


VALUES = [
    ("text", "We walked by the river.\nIt was calm — mostly 🙂"),
    ("scale", 7),
    ("checklist", ["less talking", "more sniping"]),
    ("choice", "Once a week"),
    ("template", {"feeling": "left out", "situation": "plans change", "need": "a message"}),
    ("commitment", {"what": "Cook together", "owner": "both", "due": "2025-06-08"}),
    ("turns", [
        {"speaker": "a", "said": "I felt rushed", "paraphrase": "You felt hurried",
         "confirmed": False, "correction": "Rushed, not hurried"},
        {"speaker": "b", "said": "I need quiet", "paraphrase": "You want calm", "confirmed": True,
         "correction": ""},
    ]),
]


# ---------------------------------------------------------------- opening


def test_new_workbook_settings(tmp_path):
    path = tmp_path / "w.db"
    s = Store.open(path)
    try:
        assert s.path == path
        assert s.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert s.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
        assert s.conn.execute("PRAGMA busy_timeout").fetchone()[0] == 5000
        assert s.schema_version() == migrations.SCHEMA_VERSION == len(migrations.MIGRATIONS)
        names = [r[0] for r in s.conn.execute("SELECT name FROM migrations ORDER BY rowid")]
        assert names == migrations.NAMES
        assert s.is_empty()
        assert mode(path) == 0o600
    finally:
        s.close()
    # Opening again applies nothing new and keeps the data.
    again = Store.open(path)
    assert again.schema_version() == migrations.SCHEMA_VERSION
    again.close()


def test_foreign_keys_enforced(store):
    with pytest.raises(WorkbookError):
        store.save_answer(999, "x", "p", "a", "hi", prompt_type="text")


def test_default_location_created_private(tmp_path, monkeypatch):
    home = tmp_path / "nested" / "home"
    monkeypatch.setenv("RELWORKBOOK_HOME", str(home))
    s = Store.open()
    s.close()
    assert s.path == paths.default_db()
    assert mode(home) == 0o700
    assert mode(home / "workbook.db") == 0o600


def test_create_false_needs_a_file(tmp_path):
    with pytest.raises(WorkbookError, match="There is no workbook"):
        Store.open(tmp_path / "none.db", create=False)
    assert not (tmp_path / "none.db").exists()


# -------------------------------------------------------- answers & values


@pytest.mark.parametrize("prompt_type,value", VALUES, ids=[v[0] for v in VALUES])
def test_value_round_trip(tmp_path, prompt_type, value):
    path = tmp_path / "w.db"
    with Store.open(path) as s:
        sit = s.start_sitting(["a", "b"])
        saved = s.save_answer(sit.id, "ex", "p", "a", value, prompt_type=prompt_type)
        assert saved.value == value
        assert saved.text == answer_text(prompt_type, value)
    with Store.open(path) as s:
        got = s.find_answer(sit.id, "ex", "p", "a")
        assert got == saved
        assert got.value == value and got.revision == 1 and got.revealed


def test_autosave_updates_in_place(store, sitting):
    first = store.save_answer(sitting.id, "ex", "p", "a", "We", prompt_type="text", at="2025-06-01T19:01:00")
    last = store.save_answer(sitting.id, "ex", "p", "a", "We talked", prompt_type="text", at="2025-06-01T19:02:00")
    assert last.id == first.id
    assert last.revision == 1
    assert last.created == "2025-06-01T19:01:00" and last.updated == "2025-06-01T19:02:00"
    revs = store.revisions(first.id)
    assert [(r.revision, r.value) for r in revs] == [(1, "We talked")]
    assert len(store.answers_for_sitting(sitting.id)) == 1


def test_revise_keeps_earlier(store, sitting):
    a = store.save_answer(sitting.id, "ex", "p", "b", "first words", prompt_type="text")
    b = store.revise_answer(a.id, "second words", prompt_type="text", at="2025-07-01T10:00:00")
    c = store.revise_answer(a.id, "third words", prompt_type="text", at="2025-07-02T10:00:00")
    assert c.revision == 3 and c.value == "third words" and b.revision == 2
    revs = store.revisions(a.id)
    assert [r.value for r in revs] == ["first words", "second words", "third words"]
    assert [r.created for r in revs][1:] == ["2025-07-01T10:00:00", "2025-07-02T10:00:00"]
    # An unchanged value adds nothing.
    assert store.revise_answer(a.id, "third words", prompt_type="text").revision == 3
    # Search follows the current text only.
    assert store.search("third")
    assert not store.search("first")
    with pytest.raises(WorkbookError):
        store.revise_answer(12345, "x", prompt_type="text")


def test_scored_answers_and_metrics(store, sitting):
    store.save_answer(sitting.id, "ci", "close", "a", 6, prompt_type="scale", metric="closeness")
    store.save_answer(sitting.id, "ci", "signs", "b", ["x", "y"], prompt_type="checklist", metric="strain")
    store.save_answer(sitting.id, "ci", "given", "b", 4, prompt_type="scale", metric="trust", number=4.5)
    points = store.metric_points()
    assert {(p.metric, p.partner, p.value) for p in points} == {
        ("closeness", "a", 6.0), ("strain", "b", 2.0), ("trust", "b", 4.5)}
    assert store.metrics() == ["closeness", "strain", "trust"]
    assert [p.value for p in store.metric_points("closeness")] == [6.0]
    assert store.metric_points(since="2026-01-01") == []
    assert points[0].extra["exercise_id"] == "ci"


def test_bad_arguments(store, sitting):
    with pytest.raises(ValueError):
        store.save_answer(sitting.id, "ex", "p", "c", "x", prompt_type="text")
    with pytest.raises(ValueError):
        store.save_answer(sitting.id, "ex", "p", "a", "x", prompt_type="essay")
    with pytest.raises(ValueError):
        store.start_sitting(["a", "z"])


# ------------------------------------------------------ private and search


def test_private_hidden_until_revealed(store, sitting):
    a = store.save_answer(sitting.id, "ci", "close", "a", "secretword alpha", prompt_type="text", private=True)
    b = store.save_answer(sitting.id, "ci", "close", "b", "secretword beta", prompt_type="text", private=True)
    store.save_answer(sitting.id, "ci", "score", "a", 3, prompt_type="scale", private=True, metric="closeness")
    assert not a.revealed and not store.is_revealed(sitting.id, "ci", "close")
    assert store.search("secretword") == []
    assert store.search("alpha") == []
    assert store.metric_points() == []
    assert len(store.metric_points(include_unrevealed=True)) == 1
    assert [x.id for x in store.pending_private("a")] == [a.id, a.id + 2]
    assert [x.id for x in store.pending_private("b")] == [b.id]

    store.reveal(sitting.id, "ci", "close")
    store.reveal(sitting.id, "ci", "close")  # twice is harmless
    assert store.is_revealed(sitting.id, "ci", "close")
    assert store.get_answer(a.id).revealed
    assert {h.answer_id for h in store.search("secretword")} == {a.id, b.id}
    assert [x.id for x in store.pending_private("a")] == [a.id + 2]
    assert store.metric_points() == []  # "score" is still hidden


def test_search_snippet_and_order(store, sitting):
    later = store.start_sitting(["a"], started="2025-06-08T19:00:00")
    store.save_answer(sitting.id, "ex", "p", "a", "We listened to each other", prompt_type="text")
    store.save_answer(later.id, "ex", "p", "a", "Sam listens better now", prompt_type="text")
    store.save_answer(later.id, "ex", "q", "a", "Nothing here", prompt_type="text")
    hits = store.search("listen")
    assert [h.sitting_id for h in hits] == [later.id, sitting.id]  # newest first
    assert "[[listens]]" in hits[0].snippet
    assert hits[0].sitting_started == "2025-06-08T19:00:00"
    # Porter stemming: "listened" finds "listens" too; case does not matter.
    assert [h.snippet for h in store.search("LISTENED")] == ["Sam [[listens]] better now", "We [[listened]] to each other"]
    assert len(store.search("listen", limit=1)) == 1
    assert store.search("listened nothing") == []  # every word must match


ODD_QUERIES = ['"', '""', "'", "*", "**", "a*b", "🙂", "NEAR(", "AND", "OR NOT", "(", ")", "-", "^",
               "col:value", "text:We", "\\", "%", "_", "\x00", "  ", "", "😀 listened", 'we "well', "é"]


@pytest.mark.parametrize("query", ODD_QUERIES)
def test_search_odd_input_never_raises(store, sitting, query):
    store.save_answer(sitting.id, "ex", "p", "a", "We listened well 🙂 100% _done_", prompt_type="text")
    assert isinstance(store.search(query), list)


def test_search_without_words_matches_plain_text(store, sitting):
    store.save_answer(sitting.id, "ex", "p", "a", "Best day 🙂 ever", prompt_type="text")
    hits = store.search("🙂")
    assert len(hits) == 1 and "[[🙂]]" in hits[0].snippet
    assert store.search("%") == []


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(query=st.text(max_size=30))
def test_search_any_text(store, query):
    if not store.list_sittings():
        sit = store.start_sitting(["a"])
        store.save_answer(sit.id, "ex", "p", "a", "Quoted \"words\" and stars * here", prompt_type="text")
    assert isinstance(store.search(query), list)


# ------------------------------------------------------------ commitments


def test_commitment_answer_upserts_one_row(store, sitting):
    value = {"what": "Walk on Sunday", "owner": "both", "due": "2025-06-08"}
    a = store.save_answer(sitting.id, "ci", "promise", "together", value, prompt_type="commitment")
    store.save_answer(sitting.id, "ci", "promise", "together", {**value, "what": "Walk on Saturday"},
                      prompt_type="commitment")
    [c] = store.open_commitments()
    assert (c.what, c.owner, c.due, c.status, c.sitting_id) == ("Walk on Saturday", "both", "2025-06-08", "open", sitting.id)
    store.revise_answer(a.id, {"what": "Walk twice", "owner": "a", "due": None}, prompt_type="commitment")
    [c] = store.list_commitments()
    assert (c.what, c.owner, c.due) == ("Walk twice", "a", None)
    store.save_answer(sitting.id, "ci", "promise", "together", {"what": " ", "owner": "both", "due": None},
                      prompt_type="commitment")
    assert store.list_commitments() == []


def test_commitments_review(store, sitting):
    c1 = store.add_commitment(sitting.id, "ci", "promise", "Cook", "a", "2025-06-10")
    c2 = store.add_commitment(sitting.id, "ci", "promise", "Call", "b", None)
    c3 = store.add_commitment(sitting.id, "ci", "promise", "Plan", "both", "2025-06-05")
    assert [c.id for c in store.open_commitments()] == [c3.id, c1.id, c2.id]  # due order, undated last
    nxt = store.start_sitting(["a", "b"], started="2025-06-08T19:00:00")
    kept = store.review_commitment(c1.id, "kept", nxt.id)
    store.review_commitment(c2.id, "not_kept", nxt.id)
    assert kept.status == "kept" and kept.reviewed and kept.reviewed_sitting_id == nxt.id
    # Not kept stays open: it comes back at the next check-in until it is kept.
    assert [c.id for c in store.open_commitments()] == [c3.id, c2.id]
    assert {c.id for c in store.commitments_reviewed_in(nxt.id)} == {c1.id, c2.id}
    assert len(store.commitments_made_in(sitting.id)) == 3
    assert [c.id for c in store.list_commitments("not_kept")] == [c2.id]
    back = store.review_commitment(c1.id, "open")
    assert back.status == "open" and back.reviewed is None and back.reviewed_sitting_id is None
    with pytest.raises(ValueError):
        store.review_commitment(c1.id, "done")
    with pytest.raises(ValueError):
        store.add_commitment(sitting.id, "ci", "promise", "x", "c", None)
    with pytest.raises(WorkbookError):
        store.review_commitment(999, "kept")


# ----------------------------------------------------- sittings, settings


def test_sittings(store):
    assert store.last_sitting() is None and store.open_sitting() is None
    one = store.start_sitting(["b", "a"], started="2025-01-05T19:00:00")
    assert one.attendees == ("a", "b")
    store.save_answer(one.id, "second", "p", "a", "x", prompt_type="text")
    store.save_answer(one.id, "first", "p", "a", "x", prompt_type="text")
    store.save_answer(one.id, "second", "q", "b", "x", prompt_type="text")
    ended = store.end_sitting(one.id, ended="2025-01-05T19:24:40")
    assert ended.minutes == 25 and ended.exercises == ("second", "first")
    two = store.start_sitting(["a"], started="2025-01-12T19:00:00")
    assert store.open_sitting().id == two.id
    assert [s.id for s in store.list_sittings()] == [two.id, one.id]
    assert [s.id for s in store.list_sittings(limit=1)] == [two.id]
    assert store.last_sitting().id == two.id
    assert store.set_attendees(two.id, ["a", "b"]).attendees == ("a", "b")
    assert store.history_rows() == store.list_sittings()
    assert store.get_sitting(one.id) == ended
    assert store.get_sitting(999) is None
    assert not store.discard_sitting(one.id)
    assert store.discard_sitting(two.id)
    assert [s.id for s in store.list_sittings()] == [one.id]


def test_couple_and_settings(store):
    assert store.get_couple() is None
    couple = store.set_couple("Alex", "dodgerblue", "Sam", "orange")
    assert couple.a.name == "Alex" and couple.b.colour == "orange"
    store.set_couple("Alexa", "green", "Sam", "orange")
    assert store.get_couple().a.name == "Alexa"
    assert store.get_setting("missing", 3) == 3
    store.set_setting("resume", {"exercise": "x", "n": [1, 2]})
    store.set_setting("resume", {"exercise": "y"})
    assert store.get_setting("resume") == {"exercise": "y"}
    store.set_setting("none", None)
    assert store.get_setting("none", "default") is None


# ------------------------------------------------------------- migrations


def test_schema_v1_upgrade_keeps_every_row(tmp_path):
    path = tmp_path / "old.db"
    shutil.copy(FIXTURES / "schema_v1.db", path)
    before = sqlite3.connect(str(path))
    assert before.execute("PRAGMA user_version").fetchone()[0] == 1
    tables = ("partners", "settings", "sittings", "answers", "answer_revisions", "reveals", "commitments")
    old_rows = {t: before.execute(f"SELECT * FROM {t} ORDER BY 1, 2").fetchall() for t in tables}
    before.close()
    assert all(old_rows[t] for t in tables)

    with Store.open(path) as s:
        assert s.schema_version() == migrations.SCHEMA_VERSION
        for table in tables:
            assert s.conn.execute(f"SELECT * FROM {table} ORDER BY 1, 2").fetchall() == old_rows[table]
        assert s.get_couple().a.name == "Robin"
        assert s.get_setting("resume") == {"exercise": "checkin", "prompt": 2}
        assert [r.value for r in s.revisions(1)] == ["We argued less", "We argued less about the shopping"]
        # m002 indexed the old rows; privacy still holds for them.
        assert [h.answer_id for h in s.search("shopping")] == [1]
        assert s.search("lie-in") == []  # answer 8 is private and unrevealed
        assert {p.extra["answer_id"] for p in s.metric_points()} == {2, 3, 7}
        assert [c.status for c in s.list_commitments()] == ["kept", "open"]
        assert s.open_sitting().id == 3
        data = s.export_data()
    assert len(data["answers"]) == 8 and len(data["commitments"]) == 2


def test_newer_workbook_refused_and_untouched(tmp_path):
    path = tmp_path / "w.db"
    Store.open(path).close()
    raw = sqlite3.connect(str(path))
    raw.execute("INSERT INTO migrations VALUES ('m999_from_the_future', '2030-01-01T00:00:00')")
    raw.commit()
    raw.close()
    before = digest(path)
    with pytest.raises(WorkbookError) as error:
        Store.open(path)
    assert str(error.value) == NEWER_VERSION
    assert digest(path) == before


def test_newer_user_version_refused(tmp_path):
    path = tmp_path / "w.db"
    Store.open(path).close()
    raw = sqlite3.connect(str(path))
    raw.execute(f"PRAGMA user_version = {migrations.SCHEMA_VERSION + 1}")
    raw.commit()
    raw.close()
    with pytest.raises(WorkbookError, match="newer version"):
        Store.open(path)


# ------------------------------------------------------------- bad files


def test_directory_refused(tmp_path):
    with pytest.raises(WorkbookError, match="is a folder"):
        Store.open(tmp_path)


@pytest.mark.skipif(not Path("/dev/null").exists(), reason="no /dev/null here")
def test_device_refused():
    with pytest.raises(WorkbookError, match="not a regular file"):
        Store.open(Path("/dev/null"))


def test_missing_folder_named_for_explicit_path(tmp_path):
    with pytest.raises(WorkbookError, match="does not exist"):
        Store.open(tmp_path / "nope" / "w.db")
    assert not (tmp_path / "nope").exists()


@pytest.mark.parametrize("content", [
    bytes(range(256)) * 16,
    b"Dear diary,\nthis is a text file, not a workbook.\n",
    b"SQLite format 3\x00 but much too short",
], ids=["random-bytes", "text-file", "short-header"])
def test_not_sqlite_refused_untouched(tmp_path, content):
    path = tmp_path / "w.db"
    path.write_bytes(content)
    with pytest.raises(WorkbookError, match="is not a relworkbook workbook \\(or it is damaged\\)"):
        Store.open(path)
    assert path.read_bytes() == content
    assert not Path(f"{path}-wal").exists()


def test_truncated_workbook_refused(tmp_path):
    path = tmp_path / "w.db"
    with Store.open(path) as s:
        sit = s.start_sitting(["a"])
        for n in range(200):
            s.save_answer(sit.id, "ex", f"p{n}", "a", "words " * 50, prompt_type="text")
        s.conn.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        s.conn.execute("PRAGMA journal_mode = DELETE")
    data = path.read_bytes()
    assert len(data) > 8 * 4096
    path.write_bytes(data[: len(data) // 2])
    cut = digest(path)
    with pytest.raises(WorkbookError, match="damaged"):
        Store.open(path)
    assert digest(path) == cut


def test_foreign_sqlite_refused_untouched(tmp_path):
    path = tmp_path / "other.db"
    raw = sqlite3.connect(str(path))
    raw.execute("CREATE TABLE recipes (name TEXT)")
    raw.execute("INSERT INTO recipes VALUES ('soup')")
    raw.commit()
    raw.close()
    before = digest(path)
    with pytest.raises(WorkbookError, match="another program"):
        Store.open(path)
    assert digest(path) == before
    assert not Path(f"{path}-wal").exists()


def test_empty_file_becomes_a_workbook(tmp_path):
    path = tmp_path / "w.db"
    path.write_bytes(b"")
    with Store.open(path) as s:
        assert s.schema_version() == migrations.SCHEMA_VERSION


PERMISSION_CHECK = r"""
import sys
from pathlib import Path
from relworkbook.store import Store, WorkbookError

folder = Path(sys.argv[1]) / "locked"
folder.mkdir()
path = folder / "w.db"
Store.open(path).close()

def message():
    try:
        Store.open(path).close()
    except WorkbookError as error:
        return str(error)
    return "opened"

path.chmod(0o400)
print("file 0400:", message())
path.chmod(0o600)
folder.chmod(0o500)
print("folder 0500:", message())
folder.chmod(0o000)
print("folder 0000:", message())
folder.chmod(0o700)
print("folder 0700:", message())
"""


def run_unprivileged(code: str, *args: str) -> str:
    """Run code as an ordinary user: root would ignore the permissions under test."""
    import subprocess
    import sys
    import tempfile

    command = [sys.executable, "-c", code, *args]
    if IS_ROOT:
        if not shutil.which("setpriv"):
            pytest.skip("running as root without setpriv to drop privileges")
        command = ["setpriv", "--reuid=65534", "--regid=65534", "--clear-groups", *command]
    env = dict(os.environ, PYTHONPATH=str(Path(__file__).resolve().parent.parent))
    with tempfile.TemporaryDirectory() as place:
        os.chmod(place, 0o777)
        result = subprocess.run(command + [place] if not args else command, capture_output=True,
                                text=True, env=env, cwd=place, timeout=60)
    assert result.returncode == 0, result.stderr
    return result.stdout


def test_permission_problems_are_clear_lines():
    out = run_unprivileged(PERMISSION_CHECK).splitlines()
    assert out[0].startswith("file 0400: ") and "is read-only; relworkbook needs to write to it" in out[0]
    assert out[1].startswith("folder 0500: Cannot write in the folder ")
    assert out[2].startswith("folder 0000: Cannot read the folder ") and "permission denied" in out[2]
    assert out[3] == "folder 0700: opened"


def test_locked_write_gives_in_use(tmp_path):
    path = tmp_path / "w.db"
    Store.open(path).close()
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("BEGIN IMMEDIATE")
    other.execute("INSERT INTO settings VALUES ('x', '1')")
    try:
        s = Store.open(path, timeout=0.2)  # reading is fine in WAL
        with pytest.raises(WorkbookError) as error:
            s.set_setting("y", 2)
        assert str(error.value) == IN_USE
        s.close()
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_locked_at_open_gives_in_use(tmp_path):
    path = tmp_path / "w.db"
    Store.open(path).close()
    other = sqlite3.connect(str(path), isolation_level=None)
    other.execute("PRAGMA journal_mode = DELETE")
    other.execute("BEGIN EXCLUSIVE")
    try:
        with pytest.raises(WorkbookError) as error:
            Store.open(path, timeout=0.2)
        assert str(error.value) == IN_USE
    finally:
        other.execute("ROLLBACK")
        other.close()


def test_disk_full_is_a_clear_error(store, sitting):
    pages = store.conn.execute("PRAGMA page_count").fetchone()[0]
    store.conn.execute(f"PRAGMA max_page_count = {pages}")
    with pytest.raises(WorkbookError, match="is full"):
        store.save_answer(sitting.id, "ex", "p", "a", "x" * 200_000, prompt_type="text")
    store.conn.execute("PRAGMA max_page_count = 1073741823")
    assert store.find_answer(sitting.id, "ex", "p", "a") is None  # rolled back whole
    assert store.save_answer(sitting.id, "ex", "p", "a", "fits", prompt_type="text").value == "fits"


# ------------------------------------------------------------ permissions


def test_owner_only_under_umask_zero(tmp_path):
    old = os.umask(0)
    try:
        path = tmp_path / "open" / "w.db"
        path.parent.mkdir(mode=0o777)
        s = Store.open(path)
        sit = s.start_sitting(["a", "b"])
        s.save_answer(sit.id, "ex", "p", "a", "private things", prompt_type="text")
        for suffix in ("", "-wal", "-shm"):
            assert Path(f"{path}{suffix}").exists()
            assert mode(Path(f"{path}{suffix}")) == 0o600, suffix
        made = s.backup()
        assert mode(made) == 0o600
        assert mode(made.parent) == 0o700
        manual = s.backup(tmp_path / "copy.db")
        assert mode(manual) == 0o600
        s.close()
        # A second window opening the file later keeps it private too.
        other = Store.open(path)
        other.set_setting("k", 1)
        assert mode(Path(f"{path}-wal")) == 0o600
        other.close()
    finally:
        os.umask(old)


# ------------------------------------------------------------ export/import


def fill(s: Store) -> None:
    s.set_couple("Alex", "dodgerblue", "Sam", "orange")
    s.set_setting("theme", "nord")
    one = s.start_sitting(["a", "b"], started="2025-05-01T19:00:00")
    for n, (kind, value) in enumerate(VALUES):
        s.save_answer(one.id, "ex", f"p{n}", "a", value, prompt_type=kind, private=(n == 2))
    s.save_answer(one.id, "ex", "score", "b", 5, prompt_type="scale", metric="trust", private=True)
    s.reveal(one.id, "ex", "score")
    first = s.find_answer(one.id, "ex", "p0", "a")
    s.revise_answer(first.id, "corrected later", prompt_type="text")
    s.end_sitting(one.id, "2025-05-01T19:30:00")
    two = s.start_sitting(["a"], started="2025-05-08T19:00:00")
    [c] = s.open_commitments()
    s.review_commitment(c.id, "partly", two.id)
    s.add_commitment(two.id, "ex", "free", "Plant the tomatoes", "b", None)


def test_export_import_export_identical(tmp_path):
    with Store.open(tmp_path / "a.db") as s:
        fill(s)
        first = s.export_data()
    text = json.dumps(first, sort_keys=True)
    assert "private" in first["note"]
    assert first["format"] == "relworkbook-export" and first["version"] == 1
    assert len(first["answers"][0]["revisions"]) == 2
    with Store.open(tmp_path / "b.db") as t:
        t.import_data(json.loads(text))
        second = t.export_data()
        assert t.search("corrected")[0].answer_id == first["answers"][0]["id"]
        assert len(t.list_commitments("open")) == 1 and len(t.open_commitments()) == 2  # partly stays open
    assert json.dumps(second, sort_keys=True) == text


def test_import_refuses_non_empty(tmp_path):
    with Store.open(tmp_path / "a.db") as s:
        fill(s)
        data = s.export_data()
        before = s.export_data()
        with pytest.raises(WorkbookError, match="is not empty; import into a new file with --db NEW.db"):
            s.import_data(data)
        assert s.export_data() == before


def test_import_rejects_bad_data(tmp_path):
    with Store.open(tmp_path / "a.db") as s:
        fill(s)
        data = s.export_data()
    with Store.open(tmp_path / "b.db") as t:
        with pytest.raises(WorkbookError, match="not a relworkbook export"):
            t.import_data({"hello": 1})
        with pytest.raises(WorkbookError, match="newer version"):
            t.import_data({**data, "version": 99})
        broken = json.loads(json.dumps(data))
        del broken["answers"][0]["sitting_id"]
        with pytest.raises(WorkbookError, match="not a complete"):
            t.import_data(broken)
        dangling = json.loads(json.dumps(data))
        dangling["sittings"] = []
        with pytest.raises(WorkbookError, match="does not fit together"):
            t.import_data(dangling)
        assert t.is_empty()  # every failed import rolled back whole


# ------------------------------------------------------------------ backups


def test_backup_is_a_consistent_copy(tmp_path):
    with Store.open(tmp_path / "w.db") as s:
        fill(s)
        made = s.backup()
        assert made.parent == paths.backups_dir(s.path)
        assert made.name.startswith("workbook-") and made.suffix == ".db"
        original = s.export_data()
        with pytest.raises(WorkbookError, match="already exists"):
            s.backup(made)
    with Store.open(made) as copy:
        assert copy.export_data() == original


def test_auto_backup_daily_and_pruned(tmp_path):
    with Store.open(tmp_path / "w.db") as s:
        assert s.auto_backup() is None  # nothing to keep yet
        fill(s)
        folder = paths.backups_dir(s.path)
        folder.mkdir(mode=0o700)
        for day in range(1, 10):
            s.backup(folder / f"workbook-202401{day:02d}-120000.db")
        (folder / "notes.txt").write_text("not a backup")
        made = s.auto_backup(keep=7)
        assert made is not None
        listed = s.list_backups()
        assert len(listed) == 7
        assert listed[0][0] == made
        assert [when for _p, when in listed] == sorted((when for _p, when in listed), reverse=True)
        assert listed[-1][1] == datetime(2024, 1, 4, 12, 0)
        assert (folder / "notes.txt").exists()
        # Same day again: no second backup.
        assert s.auto_backup(keep=7) is None
        assert len(s.list_backups()) == 7


@settings(max_examples=80, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
@given(text=st.text(alphabet=st.characters(), max_size=200))
def test_any_text_round_trips(store, text):
    sit = store.last_sitting() or store.start_sitting(["a"])
    saved = store.save_answer(sit.id, "ex", "p", "a", text, prompt_type="text")
    # Lone surrogates (not storable as UTF-8) become "?"; everything else is kept exactly.
    assert store.get_answer(saved.id).value == text.encode("utf-8", "replace").decode("utf-8")


def test_lone_surrogate_is_replaced_not_an_error(store, sitting):
    saved = store.save_answer(sitting.id, "ex", "p", "a", "bad \ud800 half", prompt_type="text")
    assert saved.value == "bad ? half"


def test_core_import_is_light():
    """Opening the app must not pay for Textual or sqlite-utils in the store."""
    import subprocess
    import sys

    code = "import sys, relworkbook.store, relworkbook.migrations, relworkbook.demo; " \
           "print(sorted(m for m in ('textual', 'sqlite_utils') if m in sys.modules))"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True,
                         cwd=Path(__file__).resolve().parent.parent).stdout.strip()
    assert out == "[]"
