"""Locks and notes for one, on a real workbook file (no Textual here).

What the locks promise (docs/privacy.md): a locked partner's private answers and
notes are never in the file, its WAL, its backups or its export as plain text
until the reveal; the wrong passphrase is one calm line; change, remove and
reset do what they say; export/import keeps locked values locked.
"""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from relworkbook import migrations, paths
from relworkbook.model import is_locked
from relworkbook.store import LockError, NeedsPassphrase, Store, WrongPassphrase

ALEX_PASS = "otter lantern quietly"
SAM_PASS = "pebble harbour sunrise"
SECRET_A = "aardvarkwhisper"
SECRET_B = "bumblebeeconfession"
NOTE_A = "quokkadraft"
SHARED = "sharedmarmalade"


def file_bytes(db: Path) -> dict[str, bytes]:
    """The workbook, its -wal, and every backup beside it."""
    found = {}
    for suffix in ("", "-wal"):
        path = Path(f"{db}{suffix}")
        if path.exists():
            found[path.name] = path.read_bytes()
    folder = paths.backups_dir(db)
    if folder.is_dir():
        for backup in folder.iterdir():
            found[backup.name] = backup.read_bytes()
    return found


def leaks(db: Path, *words: str) -> list[tuple[str, str]]:
    return [(name, w) for name, data in file_bytes(db).items() for w in words if w.encode() in data]


def two_locked(tmp_path: Path) -> Store:
    store = Store.open(tmp_path / "workbook.db")
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    store.set_lock("a", ALEX_PASS)
    store.set_lock("b", SAM_PASS)
    return store


def write_private(store: Store) -> int:
    sitting = store.start_sitting(["a", "b"])
    store.save_answer(sitting.id, "ex", "feel", "a", f"draft {SECRET_A[:5]}", prompt_type="text", private=True)
    store.save_answer(sitting.id, "ex", "feel", "a", f"I hold a {SECRET_A}", prompt_type="text", private=True)
    store.save_answer(sitting.id, "ex", "feel", "b", f"I hold a {SECRET_B}", prompt_type="text", private=True)
    store.save_answer(sitting.id, "ex", "close", "a", 3, prompt_type="scale", private=True, metric="closeness")
    store.save_answer(sitting.id, "ex", "close", "b", 9, prompt_type="scale", private=True, metric="closeness")
    store.save_answer(sitting.id, "ex", "shared", "a", f"we like {SHARED}", prompt_type="text")
    return sitting.id


def test_locked_private_answers_never_reach_the_file_until_the_reveal(tmp_path):
    store = two_locked(tmp_path)
    sitting_id = write_private(store)
    store.save_notes("a", f"what I want to say: {NOTE_A}")
    store.backup()
    export = json.dumps(store.export_data(), ensure_ascii=False)
    assert SHARED in export and store.search(SHARED)
    for word in (SECRET_A, SECRET_B, NOTE_A):
        assert word not in export
        assert store.search(word) == []
    assert leaks(store.path, SECRET_A, SECRET_B, NOTE_A, SECRET_A[:5]) == []
    assert SHARED.encode() in b"".join(file_bytes(store.path).values())
    # Locked answers count as given (the flow goes on) and say nothing else.
    answer = store.find_answer(sitting_id, "ex", "feel", "a")
    assert is_locked(answer.value) and answer.value["answered"] and answer.text == ""
    assert store.metric_points("closeness", include_unrevealed=True) == []

    # The reveal needs both keys; without one nothing changes.
    alex = store.unlock("a", ALEX_PASS)
    with pytest.raises(NeedsPassphrase) as refused:
        store.reveal(sitting_id, "ex", "feel", keys={"a": alex})
    assert refused.value.partners == ("b",)
    assert not store.is_revealed(sitting_id, "ex", "feel")
    sam = store.unlock("b", SAM_PASS)
    for prompt in ("feel", "close"):
        store.reveal(sitting_id, "ex", prompt, keys={"a": alex, "b": sam})
    # Now they are shared answers like any other: search, trends, export, the file.
    assert [hit.partner for hit in store.search(SECRET_B)] == ["b"]
    assert store.find_answer(sitting_id, "ex", "feel", "a").value == f"I hold a {SECRET_A}"
    assert sorted(p.value for p in store.metric_points("closeness")) == [3, 9]
    assert SECRET_A in json.dumps(store.export_data(), ensure_ascii=False)
    assert {w for _n, w in leaks(store.path, SECRET_A, SECRET_B)} == {SECRET_A, SECRET_B}
    # The notes never are revealed: still locked.
    assert NOTE_A not in json.dumps(store.export_data(), ensure_ascii=False)
    assert store.read_notes("a", alex) == f"what I want to say: {NOTE_A}"
    store.close()


def test_a_wrong_passphrase_is_one_calm_line(tmp_path):
    store = two_locked(tmp_path)
    with pytest.raises(WrongPassphrase) as wrong:
        store.unlock("a", SAM_PASS)
    assert "\n" not in str(wrong.value) and "passphrase" in str(wrong.value)
    with pytest.raises(WrongPassphrase):
        store.unlock("b", "")
    with pytest.raises(LockError):
        store.set_lock("a", "another one here")  # already locked
    with pytest.raises(LockError, match="at least"):
        Store.open(tmp_path / "other.db").set_lock("a", "short")
    store.close()


def test_a_sealed_value_moved_to_another_answer_does_not_open(tmp_path):
    store = two_locked(tmp_path)
    sitting_id = write_private(store)
    a = store.find_answer(sitting_id, "ex", "feel", "a")
    other = store.save_answer(sitting_id, "ex", "other", "a", "x", prompt_type="text", private=True)
    with store.transaction():
        store.conn.execute("UPDATE answers SET value = ? WHERE id = ?", (json.dumps(a.value), other.id))
    with pytest.raises(LockError, match="does not open"):
        store.open_value(store.get_answer(other.id), store.unlock("a", ALEX_PASS))
    store.close()


def test_changed_and_removed_lock(tmp_path):
    store = two_locked(tmp_path)
    sitting_id = write_private(store)
    store.save_notes("b", f"for me: {NOTE_A}")
    store.change_lock("a", ALEX_PASS, "a brand new phrase")
    with pytest.raises(WrongPassphrase):
        store.unlock("a", ALEX_PASS)
    with pytest.raises(WrongPassphrase):
        store.change_lock("b", "not sams phrase", "whatever else")
    alex = store.unlock("a", "a brand new phrase")
    assert store.open_value(store.find_answer(sitting_id, "ex", "feel", "a"), alex) == f"I hold a {SECRET_A}"

    # Removing asks for the passphrase; what was sealed becomes plain, still private and hidden.
    with pytest.raises(WrongPassphrase):
        store.remove_lock("b", ALEX_PASS)
    assert store.remove_lock("b", SAM_PASS) == 2
    assert not store.has_lock("b") and store.has_lock("a")
    answer = store.find_answer(sitting_id, "ex", "feel", "b")
    assert answer.value == f"I hold a {SECRET_B}" and answer.private and not answer.revealed
    assert store.search(SECRET_B) == []  # private until the reveal, as before locks
    assert store.read_notes("b") == f"for me: {NOTE_A}" and not store.notes_locked("b")
    # New private answers of b are plain now; a's stay sealed.
    store.save_answer(sitting_id, "ex", "more", "b", "plain now", prompt_type="text", private=True)
    store.save_answer(sitting_id, "ex", "more", "a", "sealed still", prompt_type="text", private=True)
    assert store.find_answer(sitting_id, "ex", "more", "b").value == "plain now"
    assert is_locked(store.find_answer(sitting_id, "ex", "more", "a").value)
    store.close()


def test_reset_after_a_forgotten_passphrase_loses_only_what_was_locked(tmp_path):
    store = two_locked(tmp_path)
    sitting_id = write_private(store)
    store.save_notes("a", NOTE_A)
    assert store.locked_count("a") == 2 and store.has_notes("a")
    assert store.reset_lock("a") == (2, True)
    assert not store.has_lock("a") and store.read_notes("a") == ""
    assert store.find_answer(sitting_id, "ex", "feel", "a") is None
    # Everything else stays: b's locked answers, the shared answer, the sitting.
    assert is_locked(store.find_answer(sitting_id, "ex", "feel", "b").value)
    assert store.find_answer(sitting_id, "ex", "shared", "a").value == f"we like {SHARED}"
    assert store.get_sitting(sitting_id) is not None
    # A new lock can be set, and a's answers from now on are sealed with it.
    store.set_lock("a", "remembered this time")
    store.save_answer(sitting_id, "ex", "feel", "a", "again", prompt_type="text", private=True)
    assert store.open_value(
        store.find_answer(sitting_id, "ex", "feel", "a"), store.unlock("a", "remembered this time")
    ) == "again"
    store.close()


def test_setting_a_lock_seals_what_was_written_before_and_wipes_the_plain_copies(tmp_path):
    store = Store.open(tmp_path / "workbook.db")
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    sitting_id = write_private(store)  # no locks yet: plain in the file, as before
    store.save_notes("a", NOTE_A)
    assert leaks(store.path, SECRET_A)
    assert store.set_lock("a", ALEX_PASS) == 2
    assert leaks(store.path, SECRET_A, SECRET_A[:5], NOTE_A) == []
    assert leaks(store.path, SECRET_B)  # b has no lock
    alex = store.unlock("a", ALEX_PASS)
    assert store.read_notes("a", alex) == NOTE_A
    assert store.revisions(store.find_answer(sitting_id, "ex", "feel", "a").id)[0].text == ""
    store.close()


def test_export_import_of_a_locked_workbook_keeps_it_locked_and_byte_identical(tmp_path):
    store = two_locked(tmp_path)
    sitting_id = write_private(store)
    store.save_notes("a", NOTE_A)
    first = json.dumps(store.export_data(), ensure_ascii=False, indent=2, sort_keys=True)
    store.close()
    copy = Store.open(tmp_path / "copy.db")
    copy.import_data(json.loads(first))
    again = json.dumps(copy.export_data(), ensure_ascii=False, indent=2, sort_keys=True)
    assert again == first
    assert leaks(copy.path, SECRET_A, SECRET_B, NOTE_A) == []
    # The imported locks open with the same passphrases, and the reveal works there.
    keys = {"a": copy.unlock("a", ALEX_PASS), "b": copy.unlock("b", SAM_PASS)}
    copy.reveal(sitting_id, "ex", "feel", keys=keys)
    assert copy.search(SECRET_A) and copy.read_notes("a", keys["a"]) == NOTE_A
    copy.close()


def _position(name: str) -> int:
    """How many migrations come before the one called ``name``."""
    return [m.__name__ for m in migrations.MIGRATIONS].index(name)


def test_a_workbook_from_before_locks_takes_a_lock(tmp_path):
    """Made by the migrations before locks, with a private answer in it; opened now."""
    old = tmp_path / "older.db"
    conn = sqlite3.connect(str(old), isolation_level=None)
    migrations.apply(conn, upto=_position("m005_locks_and_notes"))
    assert "locks" not in {r[0] for r in conn.execute("SELECT name FROM sqlite_master")}
    conn.execute("INSERT INTO partners VALUES ('a', 'Robin', 'teal'), ('b', 'Kit', 'orange')")
    conn.execute("INSERT INTO sittings VALUES (1, '2025-03-02T19:00:00', NULL, '[\"a\",\"b\"]')")
    conn.execute(
        "INSERT INTO answers (id, sitting_id, exercise_id, prompt_id, partner, prompt_type, value, text, "
        "private, revision, created, updated) VALUES (1, 1, 'ex', 'feel', 'a', 'text', ?, ?, 1, 1, 't', 't')",
        (json.dumps(f"old {SECRET_A}"), f"old {SECRET_A}"),
    )
    conn.execute("INSERT INTO answer_revisions VALUES (1, 1, ?, ?, NULL, 't')", (json.dumps(f"old {SECRET_A}"), f"old {SECRET_A}"))
    conn.close()
    with Store.open(old) as store:
        assert store.schema_version() == migrations.SCHEMA_VERSION
        assert store.set_lock("a", ALEX_PASS) == 1
        assert leaks(old, SECRET_A) == []
        keys = {"a": store.unlock("a", ALEX_PASS)}
        store.reveal(1, "ex", "feel", keys=keys)
        assert store.find_answer(1, "ex", "feel", "a").value == f"old {SECRET_A}"


LOCKED_SCHEMAS = range(_position("m005_locks_and_notes") + 1, len(migrations.MIGRATIONS))


@pytest.mark.parametrize("upto", LOCKED_SCHEMAS)
def test_a_locked_workbook_from_an_earlier_schema_opens_and_reveals(tmp_path, upto):
    """Every schema since locks, before the newest: its locks, sealed answers and notes survive the migrations.

    The sealed rows are made by today's code and copied in; their associated data
    binds the answer's ids (sitting, exercise, prompt, partner), not row ids.
    """
    source = two_locked(tmp_path)
    sitting = source.start_sitting(["a", "b"])
    source.save_answer(sitting.id, "ex", "feel", "a", f"I hold a {SECRET_A}", prompt_type="text", private=True)
    source.save_answer(sitting.id, "ex", "feel", "b", f"I fear a {SECRET_B}", prompt_type="text", private=True)
    source.save_notes("a", f"notes {NOTE_A}")
    source.close()
    old = tmp_path / "older.db"
    conn = sqlite3.connect(str(old), isolation_level=None)
    migrations.apply(conn, upto=upto)
    conn.execute("ATTACH ? AS src", (str(tmp_path / "workbook.db"),))
    for table in ("partners", "sittings", "locks", "notes", "answers", "answer_revisions"):
        columns = ", ".join(row[1] for row in conn.execute(f"PRAGMA table_info({table})"))
        conn.execute(f"INSERT INTO {table} ({columns}) SELECT {columns} FROM src.{table}")
    conn.execute("DETACH src")
    conn.close()
    assert leaks(old, SECRET_A, SECRET_B, NOTE_A) == []

    with Store.open(old) as store:
        assert store.schema_version() == migrations.SCHEMA_VERSION
        assert store.locked_partners() == ("a", "b")
        assert store.locked_count("a") == 1 and store.locked_count("b") == 1
        assert store.search(SECRET_A) == []
        keys = {"a": store.unlock("a", ALEX_PASS), "b": store.unlock("b", SAM_PASS)}
        assert store.read_notes("a", keys["a"]) == f"notes {NOTE_A}"
        store.reveal(sitting.id, "ex", "feel", keys=keys)
        assert store.find_answer(sitting.id, "ex", "feel", "a").value == f"I hold a {SECRET_A}"
        assert [hit.partner for hit in store.search(SECRET_A)] == ["a"]


def test_opening_a_locked_workbook_does_not_load_cryptography(tmp_path):
    store = two_locked(tmp_path)
    write_private(store)
    store.close()
    code = (
        "import sys; from relworkbook.store import Store; s = Store.open(sys.argv[1]);"
        "s.answers_for_sitting(1); s.search('hold'); s.has_lock('a'); s.export_data();"
        "print('cryptography' in sys.modules)"
    )
    out = subprocess.run([sys.executable, "-c", code, str(tmp_path / "workbook.db")],
                         capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"


def test_demo_lock_is_the_same_demo_with_both_locks_and_prints_the_passphrases(tmp_path):
    from click.testing import CliRunner

    from relworkbook.cli import cli
    from relworkbook.demo import LOCK_PASSPHRASES

    runner = CliRunner()
    locked, plain = tmp_path / "locked.db", tmp_path / "plain.db"
    made = runner.invoke(cli, ["demo", "--db", str(locked), "--weeks", "6", "--lock"])
    assert made.exit_code == 0, made.output
    assert f"Alex's passphrase: {LOCK_PASSPHRASES['a']}" in made.output
    assert f"Sam's passphrase: {LOCK_PASSPHRASES['b']}" in made.output
    assert runner.invoke(cli, ["demo", "--db", str(plain), "--weeks", "6"]).exit_code == 0
    with Store.open(locked) as a, Store.open(plain) as b:
        keys = {p: a.unlock(p, LOCK_PASSPHRASES[p]) for p in ("a", "b")}
        left = [x for s in a.list_sittings() for x in a.answers_for_sitting(s.id)]
        right = [x for s in b.list_sittings() for x in b.answers_for_sitting(s.id)]
        assert len(left) == len(right) and any(is_locked(x.value) for x in left)
        for x, y in zip(left, right):
            assert x.value == y.value or a.open_value(x, keys[x.partner]) == y.value
            assert is_locked(x.value) == (x.private and not x.revealed)


def test_sealed_values_tell_the_length_only_roughly(tmp_path):
    store = two_locked(tmp_path)
    sitting = store.start_sitting(["a", "b"])
    sizes = set()
    for n, text in enumerate(("no", "a somewhat longer private answer here")):
        store.save_answer(sitting.id, "ex", f"p{n}", "a", text, prompt_type="text", private=True)
        sizes.add(len(store.find_answer(sitting.id, "ex", f"p{n}", "a").value["\x00locked"]))
    assert len(sizes) == 1
    store.close()


JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers(-10**6, 10**6) | st.text(max_size=40),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4),
    max_leaves=12,
)


@pytest.fixture(scope="module")
def locked_store(tmp_path_factory):
    store = Store.open(tmp_path_factory.mktemp("prop") / "workbook.db")
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    store.set_lock("a", ALEX_PASS)
    yield store, store.unlock("a", ALEX_PASS), store.start_sitting(["a", "b"]).id
    store.close()


@settings(max_examples=60, deadline=None)
@given(value=JSON_VALUES, text=st.text(alphabet=st.characters(), max_size=120))
def test_any_value_sealed_as_saved_opens_as_it_was(locked_store, value, text):
    store, alex, sitting_id = locked_store
    for prompt, kind, given_value in (("t", "text", text), ("v", "template", {"x": value} if value else {})):
        saved = store.save_answer(sitting_id, "ex", prompt, "a", given_value, prompt_type=kind, private=True)
        assert is_locked(saved.value)
        expected = given_value if kind != "text" else text.encode("utf-8", "replace").decode("utf-8")
        assert store.open_value(saved, alex) == expected


def test_an_answer_kept_just_for_me_stays_locked_through_the_reveal(tmp_path):
    from relworkbook.model import Prompt
    from relworkbook.sitting import Reveal

    store = two_locked(tmp_path)
    sitting_id = write_private(store)
    prompts = [Prompt("feel", "text", "How do you feel?", who="private")]
    answers = {"feel": {p: store.find_answer(sitting_id, "ex", "feel", p).value for p in ("a", "b")}}
    reveal = Reveal(store, sitting_id, "ex", prompts, answers, locked={"a", "b"})
    assert reveal.needs_unlock == {"a", "b"}
    # Alex keeps his answer just for him: his passphrase is not needed for it any more.
    reveal.keep("a", "feel")
    assert reveal.needs_unlock == {"b"}
    reveal.keep("a", "feel", False)
    assert reveal.needs_unlock == {"a", "b"}
    reveal.keep("a", "feel")
    reveal.agree("a")
    reveal.agree("b")
    assert not reveal.ready  # Sam has not typed hers
    reveal.unlock("b", store.unlock("b", SAM_PASS))
    assert reveal.ready and reveal.reveal()
    assert reveal.keys == {}
    assert is_locked(store.find_answer(sitting_id, "ex", "feel", "a").value)
    assert store.find_answer(sitting_id, "ex", "feel", "b").value == f"I hold a {SECRET_B}"
    assert leaks(store.path, SECRET_A) == [] and store.search(SECRET_A) == []
    assert store.search(SECRET_B)
    store.close()
