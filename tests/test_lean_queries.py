"""The fast paths give the same answers as the slow ones they replaced.

Speed itself is measured by ``make bench`` (scripts/bench.py), never here:
these tests check behaviour only. Each lean query is compared with the plain
walk over every sitting or answer that it replaced, on a real demo workbook
(with solo sittings, private answers, reveals and repeats), and the parsed
catalogue cache is checked to notice every kind of change to the files.
"""

from __future__ import annotations

import os
import shutil
import stat
from pathlib import Path

import pytest

from relworkbook import kinds, paths, progress, recap, trends
from relworkbook.catalog import CACHE_NAME, load_catalog
from relworkbook.demo import SAMPLE_TODAY, generate
from relworkbook.store import Store


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory):
    folder = tmp_path_factory.mktemp("lean")
    db = folder / "demo.db"
    old = os.environ.get("RELWORKBOOK_HOME")
    os.environ["RELWORKBOOK_HOME"] = str(folder)
    try:
        catalog = load_catalog()
        with Store.open(db) as store:
            generate(store, catalog, weeks=80, seed=3, today=SAMPLE_TODAY)
    finally:
        if old is None:
            os.environ.pop("RELWORKBOOK_HOME", None)
        else:
            os.environ["RELWORKBOOK_HOME"] = old
    return db


@pytest.fixture
def store(demo_db, tmp_path):
    copy = tmp_path / "demo.db"
    shutil.copy(demo_db, copy)
    with Store.open(copy) as opened:
        yield opened


@pytest.fixture
def catalog():
    return load_catalog()


def _before(store, sitting):
    return [s for s in store.list_sittings() if (s.started, s.id) < (sitting.started, sitting.id)]


def test_sittings_before_match_the_full_list(store):
    every = store.list_sittings()
    for sitting in (every[0], every[len(every) // 2], every[-1]):
        expected = _before(store, sitting)
        assert store.sittings_before(sitting.id) == expected
        assert store.sittings_before(sitting.id, limit=5) == expected[:5]
        assert store.exercises_before(sitting.id) == {ex for s in expected for ex in s.exercises}
    assert store.sittings_before(every[-1].id) == []  # the oldest has none before it


def test_sittings_without_a_partner_match_the_full_list(store):
    every = store.list_sittings()
    solo = [s for s in every if len(s.attendees) == 1]
    assert solo, "the demo should hold some solo sittings"
    for partner in ("a", "b"):
        expected = [s for s in every if s.attendees and partner not in s.attendees]
        assert store.sittings_without(partner) == expected


def _later(prompt):
    """An answer of the prompt's own type, given later (exercises mix types)."""
    return {
        "text": "later",
        "scale": prompt.min or 1,
        "checklist": list(prompt.options[:1]),
        "choice": prompt.options[0] if prompt.options else "",
        "template": {name: "later" for name in prompt.blanks},
        "commitment": {"what": "later", "owner": "both", "due": None},
    }[prompt.type]


def _pending_by_hand(store, catalog, partner):
    """What ``pending_for`` answers, worked out the slow way: every sitting, every answer."""
    out = []
    for sitting in store.list_sittings():
        if partner in sitting.attendees or not sitting.attendees:
            continue
        answers = store.answers_for_sitting(sitting.id)
        for ex_id in sitting.exercises:
            exercise = catalog.exercise(ex_id)
            if exercise is None or exercise.kind == "checkin":
                continue
            mine = {(a.prompt_id) for a in answers if a.exercise_id == ex_id and a.partner == partner
                    and exercise.prompt(a.prompt_id) is not None
                    and kinds.is_answered(exercise.prompt(a.prompt_id).type, a.value)}
            if any(not progress.is_shared(p) and not p.optional and p.id not in mine for p in exercise.prompts):
                out.append((sitting.id, exercise))
    return sorted(out, key=lambda item: item[0])


def test_pending_agrees_with_a_walk_over_every_answer(store, catalog):
    before = {p: progress.pending_for(store, catalog, p) for p in ("a", "b")}
    assert before["a"] or before["b"]
    # Missed work given later (all of one exercise, one answer of the others),
    # so partners catch up fully and in part.
    for partner, owed in before.items():
        for n, (sitting_id, exercise) in enumerate(owed):
            own = [p for p in exercise.prompts if p.type != "turns" and p.who != "together"]
            for prompt in own if n == 0 else own[:1]:
                store.save_answer(sitting_id, exercise.id, prompt.id, partner, _later(prompt), prompt_type=prompt.type)
    for partner in ("a", "b"):
        lean = progress.pending_for(store, catalog, partner)
        assert lean == _pending_by_hand(store, catalog, partner)
        assert len(lean) <= len(before[partner])
    assert sum(map(len, before.values())) > sum(len(progress.pending_for(store, catalog, p)) for p in "ab")


def test_done_exercises_agree_with_exercise_done(store, catalog):
    expected = {ex.id for ex in catalog.exercises if progress.exercise_done(store, ex)}
    assert progress.done_exercises(store, catalog) == expected
    assert 0 < len(expected) < len(catalog.exercises) + 1
    first_open = next(
        (ex for step in sorted(catalog.steps, key=lambda s: (s.order, s.id))
         for ex in sorted(catalog.exercises_for(step.id), key=lambda e: (e.order, e.id))
         if ex.kind != "checkin" and ex.id not in expected),
        catalog.checkin(),
    )
    assert progress.next_exercise(store, catalog, expected) == progress.next_exercise(store, catalog) == first_open
    steps = progress.step_progress(store, catalog)
    assert sum(done for done, _ in steps.values()) == len(expected)


def test_done_exercises_takes_the_checkin_answer_it_is_given(store, catalog):
    """Home reads when the check-in was last done once, for its list and for "What is due"."""
    checkin = catalog.checkin()
    assert checkin is not None
    last = progress.last_checkin_done(store, checkin)
    given = progress.done_exercises(store, catalog, checkins_done={checkin.id: last})
    assert given == progress.done_exercises(store, catalog)
    # What it is given is what counts: it does not walk the sittings again.
    assert checkin.id not in progress.done_exercises(store, catalog, checkins_done={checkin.id: None})
    assert checkin.id in progress.done_exercises(store, catalog, checkins_done={checkin.id: "2026-11-02T19:00:00"})


def test_an_empty_draft_does_not_count_as_done(tmp_path, catalog):
    exercise = next(ex for ex in catalog.exercises if ex.kind != "checkin" and ex.prompts[0].type == "text")
    with Store.open(tmp_path / "w.db") as store:
        sitting = store.start_sitting(("a", "b"))
        store.save_answer(sitting.id, exercise.id, exercise.prompts[0].id, "a", "  ", prompt_type="text")
        assert exercise.id not in progress.done_exercises(store, catalog)
        assert progress.exercise_done(store, exercise) is False


def test_metric_rows_and_points_agree(store):
    rows = store.metric_rows()
    points = store.metric_points()
    assert len(rows) == len(points) > 0
    for row, point in zip(rows, points):
        assert (row[0], row[1], row[2], row[3], row[4]) == (point.sitting_id, point.at, point.partner, point.metric, point.value)
        assert point.extra == {"exercise_id": row[5], "prompt_id": row[6], "answer_id": row[7],
                               "private": bool(row[8]), "revealed": bool(row[9])}
        assert row[9]  # unrevealed ones are left out
    assert store.metric_rows(short=True) == [row[:6] for row in rows]
    hidden = store.metric_rows(include_unrevealed=True)
    assert len(hidden) >= len(rows)
    assert {r[7] for r in rows} <= {r[7] for r in hidden}
    assert all(r[9] for r in hidden if not r[8])  # public answers always count as revealed
    # A window and one metric, as the screens ask.
    some = rows[len(rows) // 2]
    assert store.metric_rows(some[3], since=some[1]) == [r for r in rows if r[3] == some[3] and r[1] >= some[1]]


def test_trends_summary_from_rows_equals_the_one_from_points(store, catalog):
    lean = trends.summary(store, catalog, window="all")
    from_points = trends.summarise(store.metric_points(), catalog, window="all", since=None, names=lean.names)
    assert lean.metrics == from_points.metrics
    assert lean.instruments == from_points.instruments
    # Same points; the columns come back in sitting order, then partner, metric, exercise.
    def order(point):
        return (point.at, point.sitting_id, trends._partner_rank(point.partner), point.metric, point.extra["exercise_id"])

    assert len(lean.points) == len(from_points.points)
    assert lean.points == sorted(from_points.points, key=order)
    assert trends.render_csv(lean) == trends.render_csv(from_points)
    # Re-summarising the summary's own points (the trends screen's window switch).
    since = lean.points[len(lean.points) // 2].at
    again = trends.summarise(lean.points, catalog, window="1y", since=since, names=lean.names)
    plain = trends.summarise(tuple(from_points.points), catalog, window="1y", since=since, names=lean.names)
    assert again.metrics == plain.metrics and again.instruments == plain.instruments
    assert list(again.points) == sorted(plain.points, key=order)


def test_score_columns_hold_the_visible_points_exactly(store):
    started, groups = store.score_columns()
    rows = store.metric_rows()
    from_columns = sorted(
        (sid, started[sid], partner, metric, value, exercise_id, answer_id)
        for metric, partner, exercise_id, sids, values, ids in groups
        for sid, value, answer_id in zip(sids, values, ids)
    )
    assert from_columns == sorted((*row[:6], row[7]) for row in rows)
    assert len({group[:3] for group in groups}) == len(groups)  # one group per metric, partner, exercise


def test_score_columns_give_every_number_back_and_hide_unrevealed(tmp_path):
    numbers = [7.0, 7.5, 1 / 3, 0.1 + 0.2, 2.1389655772355387, -0.0, 1e-7, 123456.789, 10.0]
    with Store.open(tmp_path / "w.db") as store:
        sittings = [store.start_sitting(("a", "b"), started=f"2026-0{1 + i // 5}-{10 + i % 5}T19:00:00")
                    for i in range(len(numbers))]
        for sitting, number in zip(sittings, numbers):
            store.save_answer(sitting.id, "ci", "score", "a", number, prompt_type="scale",
                              metric="closeness", number=number)
        secret = store.save_answer(sittings[0].id, "ci", "hidden", "b", 4, prompt_type="scale",
                                   metric="trust", number=4.0, private=True)
        started, groups = store.score_columns()
        assert [(m, p, e) for m, p, e, _, _, _ in groups] == [("closeness", "a", "ci")]
        _, _, _, sids, values, _ = groups[0]
        assert dict(zip(sids, values)) == {s.id: n for s, n in zip(sittings, numbers)}
        assert all(type(v) is float for v in values)
        assert started[sittings[3].id] == sittings[3].started
        store.reveal(secret.sitting_id, "ci", "hidden")
        _, groups = store.score_columns()
        assert ("trust", "b", "ci", [sittings[0].id], [4.0], [secret.id]) in groups


# ---------------------------------------------------------------- catalogue cache


@pytest.fixture
def data_folder():
    """The data folder, as the app makes it on first run (the cache lives apart from it)."""
    folder = paths.data_dir()
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def test_no_data_folder_is_made_just_for_the_cache(tmp_path):
    assert not paths.data_dir().exists()
    assert load_catalog().exercises
    assert not paths.data_dir().exists()
    # The cache goes to the user cache folder, owner-only, never beside the workbook.
    assert stat.S_IMODE(paths.cache_dir().stat().st_mode) == 0o700
    assert (paths.cache_dir() / CACHE_NAME).is_file()


def _pack(tmp_path: Path) -> Path:
    pack = tmp_path / "pack"
    shutil.copytree(Path(__file__).parent / "fixtures" / "exercises", pack)
    return pack


def _first_exercise_file(pack: Path) -> Path:
    return next(p for p in sorted(pack.rglob("*.yaml")) if p.name not in ("steps.yaml", "support.yaml"))


def test_catalogue_cache_is_private_and_gives_the_same_catalogue(tmp_path, data_folder):
    first = load_catalog()
    cache = paths.cache_dir() / CACHE_NAME
    assert cache.is_file()
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600
    assert load_catalog() == first


def test_catalogue_cache_notices_an_edit_a_new_file_and_a_removal(tmp_path, data_folder):
    pack = _pack(tmp_path)
    before = load_catalog([pack], shipped=False)
    target = _first_exercise_file(pack)
    text = target.read_text()
    old_title = next(line for line in text.splitlines() if line.startswith("title:"))
    target.write_text(text.replace(old_title, "title: A title changed by the test", 1))
    edited = load_catalog([pack], shipped=False)
    changed = [ex for ex in edited.exercises if ex.title == "A title changed by the test"]
    assert len(changed) == 1

    extra = target.with_name("zz-added.yaml")
    extra.write_text(text.replace("id: " + changed[0].id, "id: zz-added-by-test", 1))
    added = load_catalog([pack], shipped=False)
    assert added.exercise("zz-added-by-test") is not None

    extra.unlink()
    target.write_text(text)
    assert load_catalog([pack], shipped=False) == before


def test_a_damaged_or_foreign_cache_is_ignored(tmp_path, data_folder):
    expected = load_catalog()
    cache = paths.cache_dir() / CACHE_NAME
    cache.write_bytes(b"not a pickle at all")
    assert load_catalog() == expected
    # Anyone else able to write it: not trusted, the files are read instead.
    os.chmod(cache, 0o666)
    assert load_catalog() == expected
    assert stat.S_IMODE(cache.stat().st_mode) == 0o600  # rewritten, owner-only


def test_the_plain_start_imports_no_click_yaml_or_plotext(data_folder, tmp_path):
    """The real start (``python -m relworkbook --db FILE``) up to a drawn Home screen."""
    import subprocess
    import sys

    db = tmp_path / "start.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "blue", "Sam", "green")
        store.set_lock("a", "a lock is no reason to load cryptography")  # only using it is
    load_catalog()  # the parsed catalogue, cached in this test's data folder as a first start leaves it
    # scripts/first_frame.py: the benchmark's driver, which leaves at the first whole frame.
    scripts = Path(__file__).resolve().parent.parent / "scripts"
    env = dict(os.environ, TEXTUAL_DRIVER="first_frame:FirstFrameDriver",
               PYTHONPATH=os.pathsep.join(p for p in (str(scripts), os.environ.get("PYTHONPATH", "")) if p))
    out = subprocess.run([sys.executable, "-X", "importtime", "-m", "relworkbook", "--db", str(db)],
                         capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr[-2000:]
    imported = {line.rsplit("|", 1)[-1].strip() for line in out.stderr.splitlines() if line.startswith("import time:")}
    assert {"relworkbook.start", "relworkbook.app", "relworkbook.screens.home"} <= imported
    assert not imported & {"click", "relworkbook.cli", "yaml", "sqlite_utils", "plotext", "textual_plotext",
                           "cryptography", "relworkbook.locks", "icalendar", "relworkbook.ics",
                           "relworkbook.report", "relworkbook.screens.report", "relworkbook.screens.settings",
                           "relworkbook.screens.locks", "relworkbook.screens.notes", "relworkbook.trends"}


def test_start_up_imports_stay_light(data_folder):
    """What the app imports to show Home: no YAML, no sqlite-utils, no plotext."""
    import subprocess
    import sys

    code = (
        "import sys, relworkbook.app, relworkbook.screens.home, relworkbook.catalog, relworkbook.progress;"
        "from relworkbook.catalog import load_catalog; load_catalog(); load_catalog();"
        "print(sorted(m for m in ('yaml', 'sqlite_utils', 'plotext', 'textual_plotext') if m in sys.modules))"
    )
    env = dict(os.environ)
    load_catalog()  # make sure the cache exists in this test's data folder
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env, check=True)
    assert out.stdout.strip() == "[]"


COUNTING_DRIVER = '''
import os
from textual import _compositor
from first_frame import FirstFrameDriver

draws = []
_full = _compositor.Compositor.render_full_update


def _counted(self, *args, **kwargs):
    draws.append(1)
    return _full(self, *args, **kwargs)


_compositor.Compositor.render_full_update = _counted


class CountingDriver(FirstFrameDriver):
    """Leaves at the first frame with the footer's keys; says how many whole draws it took, and what it showed."""

    def write(self, data):
        if not self._leaving and len(data) > 200:  # a frame, not a terminal query
            with open(os.environ["FIRST_FRAME_OUT"], "w", encoding="utf-8") as out:
                out.write(f"{len(draws)}\\n{data}")
            self._leaving = True
            self._app.exit()
'''


def test_home_is_drawn_once_and_its_first_frame_is_the_whole_screen(data_folder, tmp_path):
    """The real start, up to the first frame written: Home whole in it, footer keys and all, drawn once.

    Textual renders, then throws away, any screen drawn inside its start-up
    batch, and its footer composes its keys only after the first paint: Home
    used to be laid out and drawn twice before anything reached the terminal.
    """
    import subprocess
    import sys

    db = tmp_path / "start.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "blue", "Sam", "green")
    load_catalog()
    (tmp_path / "counting_driver.py").write_text(COUNTING_DRIVER)
    scripts = Path(__file__).resolve().parent.parent / "scripts"
    out_file = tmp_path / "first-frame.txt"
    env = dict(os.environ, TEXTUAL_DRIVER="counting_driver:CountingDriver", FIRST_FRAME_OUT=str(out_file),
               PYTHONPATH=os.pathsep.join(p for p in (str(tmp_path), str(scripts), os.environ.get("PYTHONPATH", "")) if p))
    out = subprocess.run([sys.executable, "-m", "relworkbook", "--db", str(db)],
                         capture_output=True, text=True, env=env, timeout=120, stdin=subprocess.DEVNULL)
    assert out.returncode == 0, out.stderr[-2000:]
    draws, frame = out_file.read_text(encoding="utf-8").split("\n", 1)
    assert "Alex" in frame and "Sam" in frame and "Weekly check-in" in frame
    assert "Help" in frame and "Safety" in frame and "palette" in frame  # the footer's keys, in the first frame
    assert int(draws) == 1
