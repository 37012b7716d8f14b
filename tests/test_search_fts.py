"""Full-text search as SQLite's own tools see it (issue 19 items 7 and 9).

The index is declared so that ``sqlite-utils search`` (and Datasette) find it,
holds only what may be read (an unrevealed private answer is never in it), and
search tells the true count and pages through every match.
"""

from __future__ import annotations

import json
import shutil
import sqlite3
import subprocess
import sys
from pathlib import Path

import pytest

from relworkbook import migrations
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures"


def sqlite_utils_search(db: Path, *words: str) -> list[dict]:
    """``sqlite-utils search DB answers WORDS`` through its own command line."""
    result = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "search", str(db), "answers", *words, "-c", "id", "-c", "text"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)


@pytest.fixture
def db(tmp_path) -> Path:
    return tmp_path / "workbook.db"


def test_sqlite_utils_search_finds_shared_and_revealed_answers_only(db):
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"])
        shared = store.save_answer(sitting.id, "ex", "talk", "a", "we walked the zebrafish path", prompt_type="text")
        hidden = store.save_answer(sitting.id, "ex", "fear", "b", "an okapi fear", prompt_type="text", private=True)
        other = store.save_answer(sitting.id, "ex", "fear", "a", "an okapi hope", prompt_type="text", private=True)
    assert [row["id"] for row in sqlite_utils_search(db, "zebrafish")] == [shared.id]
    assert sqlite_utils_search(db, "okapi") == []  # private, not revealed: not in the index at all
    with Store.open(db) as store:
        store.reveal(sitting.id, "ex", "fear")
    assert sorted(row["id"] for row in sqlite_utils_search(db, "okapi")) == sorted([hidden.id, other.id])
    # Editing a revealed answer: the index follows its text.
    with Store.open(db) as store:
        store.revise_answer(hidden.id, "a quagga fear", prompt_type="text")
        assert [hit.answer_id for hit in store.search("okapi")] == [other.id]
    assert [row["id"] for row in sqlite_utils_search(db, "quagga")] == [hidden.id]
    assert [row["id"] for row in sqlite_utils_search(db, "okapi")] == [other.id]


def test_sqlite_utils_detects_the_index(db):
    import sqlite_utils

    Store.open(db).close()
    table = sqlite_utils.Database(db)["answers"]
    assert table.detect_fts() == "answers_fts"


def test_index_holds_no_unrevealed_words_even_in_its_own_tables(db):
    """What the index stores (its vocabulary), not only what a query returns."""
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"])
        store.save_answer(sitting.id, "ex", "p", "a", "visible marmoset", prompt_type="text")
        answer = store.save_answer(sitting.id, "ex", "q", "b", "hidden pangolin", prompt_type="text", private=True)
        store.revise_answer(answer.id, "hidden axolotl", prompt_type="text")
        conn = store.conn
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, answers_fts, 'row')")
        terms = {row[0] for row in conn.execute("SELECT term FROM temp.vocab")}
    assert "marmoset" in terms
    assert not terms & {"hidden", "pangolin", "axolotl"}


def test_migrating_an_old_workbook_drops_unrevealed_words_from_the_index(tmp_path):
    """A workbook made before m006 indexed every answer; after the migration only readable ones."""
    db = tmp_path / "old.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"])
        store.save_answer(sitting.id, "ex", "p", "a", "shared heron", prompt_type="text")
        store.save_answer(sitting.id, "ex", "q", "b", "secret ibis", prompt_type="text", private=True)
        store.save_answer(sitting.id, "ex", "r", "b", "opened egret", prompt_type="text", private=True)
        store.reveal(sitting.id, "ex", "r")
    # Put the file back as m005 left it: m002's index over every answer.
    conn = sqlite3.connect(db, isolation_level=None)
    position = migrations.NAMES.index("m006_search_declared")
    for name in ("answers_ai", "answers_ad", "answers_au", "reveals_ai", "reveals_ad"):
        conn.execute(f"DROP TRIGGER {name}")
    conn.execute("DROP TABLE answers_fts")
    conn.execute("BEGIN")
    migrations.m002_search(conn)
    conn.execute("DELETE FROM migrations WHERE name = 'm006_search_declared'")
    # And every later migration, so they run again after m006 as they would.
    conn.execute("DROP TABLE kept_private")  # and its triggers (m008)
    for later in migrations.NAMES[position + 1:]:
        conn.execute("DELETE FROM migrations WHERE name = ?", (later,))
    conn.execute(f"PRAGMA user_version = {position}")
    conn.execute("COMMIT")
    conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, answers_fts, 'row')")
    assert "ibi" in {row[0] for row in conn.execute("SELECT term FROM temp.vocab")}  # Porter's stem of ibis
    conn.close()
    with Store.open(db) as store:
        assert store.schema_version() == migrations.SCHEMA_VERSION
        store.conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, answers_fts, 'row')")
        terms = {row[0] for row in store.conn.execute("SELECT term FROM temp.vocab")}
    assert {"share", "heron", "open", "egret"} <= terms  # stems
    assert not terms & {"secret", "ibi"}
    assert sqlite_utils_search(db, "egret") and sqlite_utils_search(db, "ibis") == []


def many(store: Store, weeks: int = 130) -> None:
    """A shared and a private answer with the same word in each of ``weeks`` sittings."""
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    for week in range(weeks):
        sitting = store.start_sitting(["a", "b"], started=f"2024-{1 + week // 28:02d}-{1 + week % 28:02d}T19:00:00")
        store.save_answer(sitting.id, "ex", "p", "a", f"week {week} we listened", prompt_type="text")
        store.save_answer(sitting.id, "ex", "q", "b", f"week {week} listened too", prompt_type="text", private=True)


def test_search_counts_every_match_and_pages_through_them(db):
    with Store.open(db) as store:
        many(store)
        assert store.search_count("listened") == 130  # the private ones are not counted
        assert store.search_count("listen") == 130  # the last word is a prefix
        pages = [store.search("listened", limit=50, offset=start) for start in (0, 50, 100, 150)]
        assert [len(page) for page in pages] == [50, 50, 30, 0]
        ids = [hit.answer_id for page in pages for hit in page]
        assert len(set(ids)) == 130
        assert store.search_count("-- ;") == 0 and store.search_count("") == 0
        assert store.search_count("%") == 0


async def test_search_screen_tells_the_true_count_and_shows_every_result(db):
    from textual.app import App
    from textual.widgets import OptionList, Static

    from relworkbook.catalog import load_catalog
    from relworkbook.screens.search import SearchScreen

    class Host(App[None]):
        def on_mount(self) -> None:
            self.push_screen(SearchScreen(store, load_catalog(), store.get_couple()))

    store = Store.open(db)
    try:
        many(store)
        app = Host()
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            await pilot.press(*"listened")
            await pilot.pause()
            screen = app.screen
            status = str(screen.query_one("#search-status", Static).content)
            assert "130 results" in status and "50 shown" in status
            results = screen.query_one("#search-results", OptionList)
            assert results.option_count == 51
            assert "show 50 more (50 of 130 shown)" in str(results.get_option_at_index(50).prompt)
            await pilot.press("enter")  # into the list
            for shown in (50, 100):
                results.highlighted = results.option_count - 1
                await pilot.press("enter")  # the "show more" line
                await pilot.pause()
                assert results.highlighted == shown  # the first new result
            assert len(screen.hits) == 130 and results.option_count == 130  # no "more" line left
            assert len({hit.answer_id for hit in screen.hits}) == 130
            assert "130 results" in str(screen.query_one("#search-status", Static).content)
    finally:
        store.close()


def kept_and_revealed(store: Store) -> tuple[int, int]:
    """Alex keeps a private answer just for them at the reveal; Sam's is revealed. Their ids."""
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    sitting = store.start_sitting(["a", "b"])
    kept = store.save_answer(sitting.id, "ex", "fear", "a", "a kept wombat fear", prompt_type="text", private=True)
    shown = store.save_answer(sitting.id, "ex", "fear", "b", "an open wombat hope", prompt_type="text", private=True)
    store.keep_private(sitting.id, "ex", "fear", "a")
    store.reveal(sitting.id, "ex", "fear")
    return kept.id, shown.id


def index_terms(conn: sqlite3.Connection) -> set[str]:
    conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.vocab USING fts5vocab(main, answers_fts, 'row')")
    return {row[0] for row in conn.execute("SELECT term FROM temp.vocab")}


def test_an_answer_kept_just_for_me_stays_out_of_the_index_after_export_and_import(tmp_path):
    """The import wrote reveals before kept_private, so the reveal's trigger indexed the kept answer."""
    with Store.open(tmp_path / "old.db") as store:
        kept, shown = kept_and_revealed(store)
        assert [row["id"] for row in sqlite_utils_search(tmp_path / "old.db", "wombat")] == [shown]
        data = json.loads(json.dumps(store.export_data()))
    new = tmp_path / "new.db"
    with Store.open(new) as store:
        store.import_data(data)
        assert [hit.answer_id for hit in store.search("wombat")] == [shown]
        assert "kept" not in index_terms(store.conn)
    assert [row["id"] for row in sqlite_utils_search(new, "wombat")] == [shown]
    assert sqlite_utils_search(new, "kept") == []


def test_keeping_an_answer_after_its_reveal_takes_it_out_of_the_index_and_back(db):
    """Whatever the order of the rows (reveal first, then kept), the index follows."""
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"])
        kept = store.save_answer(sitting.id, "ex", "fear", "a", "a kept wombat fear", prompt_type="text", private=True)
        store.reveal(sitting.id, "ex", "fear")
        assert [row["id"] for row in sqlite_utils_search(db, "wombat")] == [kept.id]
        store.keep_private(sitting.id, "ex", "fear", "a")
        assert sqlite_utils_search(db, "wombat") == []
        assert "kept" not in index_terms(store.conn)
        # A kept row removed (no code path does, but the triggers must agree): the answer is readable again.
        store.conn.execute("DELETE FROM kept_private")
        assert [row["id"] for row in sqlite_utils_search(db, "wombat")] == [kept.id]
        # An answer written into a revealed prompt its writer had kept is not indexed either.
        store.keep_private(sitting.id, "ex", "fear", "b")
        store.save_answer(sitting.id, "ex", "fear", "b", "a late kept numbat", prompt_type="text", private=True)
        assert sqlite_utils_search(db, "numbat") == []
        store.conn.execute("INSERT INTO answers_fts (answers_fts) VALUES ('integrity-check')")


def test_a_workbook_whose_index_took_a_kept_answer_is_mended_by_the_migration(tmp_path):
    """A file imported before m008 (reveal row first, kept row after) held the kept answer's words."""
    db = tmp_path / "imported.db"
    conn = sqlite3.connect(db, isolation_level=None)
    migrations.apply(conn, upto=migrations.NAMES.index("m007_kept_private") + 1)
    conn.execute("INSERT INTO sittings (id, started) VALUES (1, '2025-01-01T19:00:00')")
    for id_, partner, text in ((1, "a", "a kept wombat fear"), (2, "b", "an open wombat hope")):
        conn.execute(
            "INSERT INTO answers (id, sitting_id, exercise_id, prompt_id, partner, prompt_type, value, text,"
            " private, created, updated) VALUES (?, 1, 'ex', 'fear', ?, 'text', '\"\"', ?, 1, 'x', 'x')",
            (id_, partner, text),
        )
    conn.execute("INSERT INTO reveals VALUES (1, 'ex', 'fear', 'x')")
    conn.execute("INSERT INTO kept_private VALUES (1, 'ex', 'fear', 'a', 'x')")
    assert "kept" in index_terms(conn)  # what m007's triggers did
    conn.close()
    with Store.open(db) as store:
        assert "kept" not in index_terms(store.conn)
        assert "open" in index_terms(store.conn)
    assert [row["id"] for row in sqlite_utils_search(db, "wombat")] == [2]


def test_an_outside_rebuild_of_the_index_is_undone_when_the_workbook_opens(db):
    """``sqlite-utils rebuild-fts`` (FTS5's own 'rebuild') indexes every row, private ones too."""
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"])
        store.save_answer(sitting.id, "ex", "p", "a", "a shared heron", prompt_type="text")
        store.save_answer(sitting.id, "ex", "q", "b", "a secret ibis", prompt_type="text", private=True)
        kept, shown = kept_and_revealed(store)
    result = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "rebuild-fts", str(db), "answers"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    assert sqlite_utils_search(db, "ibis") and sqlite_utils_search(db, "kept")  # what the command does
    with Store.open(db) as store:
        assert store.search_index_rebuilt  # the app says so
        assert not index_terms(store.conn) & {"secret", "ibi", "kept"}
        assert {"share", "heron", "open", "wombat"} <= index_terms(store.conn)
        store.conn.execute("INSERT INTO answers_fts (answers_fts) VALUES ('integrity-check')")
    assert sqlite_utils_search(db, "ibis") == [] and sqlite_utils_search(db, "kept") == []
    assert [row["id"] for row in sqlite_utils_search(db, "wombat")] == [shown]
    with Store.open(db) as store:
        assert not store.search_index_rebuilt  # all is well now


async def test_the_app_mends_an_outside_rebuild_once_home_is_drawn(db):
    """The app opens its workbook without the walk over private answers (a few ms on
    ten years, off the start) and makes that check once Home is drawn: an index an
    outside tool rebuilt is made again, readable answers only, and the app says so."""
    from relworkbook.app import make_app
    from relworkbook.store import SEARCH_INDEX_MISSING

    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"])
        store.save_answer(sitting.id, "ex", "q", "b", "a secret ibis", prompt_type="text", private=True)
    result = subprocess.run(
        [sys.executable, "-m", "sqlite_utils", "rebuild-fts", str(db), "answers"],
        capture_output=True, text=True, timeout=60,
    )
    assert result.returncode == 0, result.stderr
    app = make_app(db)
    assert not app.store.search_index_rebuilt  # not at the start
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(40):
            await pilot.pause(0.05)
            if app.store.search_index_rebuilt:
                break
        assert app.store.search_index_rebuilt
        await pilot.pause()
        assert any(n.message == SEARCH_INDEX_MISSING for n in app._notifications)
    assert sqlite_utils_search(db, "ibis") == []
