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
    conn.execute("DROP TABLE kept_private")
    conn.execute("DELETE FROM migrations WHERE name = 'm007_kept_private'")
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
