"""``import`` checks every field of an export and refuses a bad file whole, in one line.

Tampered copies of a real demo export (dates that are not dates, strings in
number fields, unknown partners and prompt types, 1e308, NaN, ids of 2**70, JSON
nested 200,000 deep...) are each refused naming what is wrong, and nothing is
imported (the workbook file is not even made). A property test tampers with
exports at random: whatever ``check_export`` accepts imports, and Trends,
History and the recap then work on it. See docs/reliability.md.
"""

from __future__ import annotations

import copy
import json
from pathlib import Path

import pytest
from click.testing import CliRunner
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from relworkbook import store as store_mod
from relworkbook.cli import cli
from relworkbook.demo import SAMPLE_TODAY, generate
from relworkbook.store import Store, WorkbookError


@pytest.fixture(scope="module")
def catalog():
    from relworkbook.catalog import load_catalog

    return load_catalog()


@pytest.fixture(scope="module")
def export(tmp_path_factory, catalog) -> dict:
    """A demo workbook with every setting the app writes: a resume point in an open
    sitting (answers going to an earlier one), the rhythm, the calendar's id and count,
    the theme."""
    from relworkbook import ics
    from relworkbook.progress import set_resume
    from relworkbook.rhythm import Rhythm, save_rhythm

    db = tmp_path_factory.mktemp("source") / "demo.db"
    with Store.open(db) as store:
        generate(store, catalog, weeks=3, seed=5, today=SAMPLE_TODAY)
        first_sitting = store.list_sittings()[-1].id
        sitting = store.start_sitting(["a", "b"], "2026-01-06T19:00:00")
        exercise = next(e for e in catalog.exercises if e.kind == "exercise")
        set_resume(store, sitting.id, exercise.id, 2, answer_sitting_id=first_sitting, attendees=["a", "b"])
        save_rhythm(store, Rhythm(checkin_day=2, checkin_time="20:30", checkin_minutes=45, timeout_minutes=25))
        ics.build_calendar(store, today=SAMPLE_TODAY)
        store.set_setting("theme", "textual-light")
        return store.export_data()


def first(data: dict, section: str, **match) -> dict:
    return next(item for item in data[section] if all(item.get(k) == v for k, v in match.items()))


def scale_answer(data: dict) -> dict:
    return first(data, "answers", prompt_type="scale")


TAMPERED = {
    # name: (how, words the one line names)
    "started-not-a-date": (lambda d: d["sittings"][0].update(started="yesterday"), "sittings[0].started"),
    "created-impossible-day": (lambda d: d["answers"][0].update(created="2026-13-45T10:00:00"), "answers[0].created"),
    "due-not-a-date": (lambda d: d["commitments"][0].update(due="next week"), "commitments[0].due"),
    "number-a-string": (lambda d: scale_answer(d).update(number="4"), ".number"),
    "scale-value-a-string": (lambda d: scale_answer(d).update(value="four"), ".value"),
    "number-1e308": (lambda d: scale_answer(d).update(number=1e308), ".number"),
    "number-minus-1e300": (lambda d: scale_answer(d).update(number=-1e300), ".number"),
    "unknown-partner": (lambda d: d["answers"][0].update(partner="c"), "answers[0].partner"),
    "unknown-attendee": (lambda d: d["sittings"][0].update(attendees=["a", "z"]), "sittings[0].attendees[1]"),
    "unknown-prompt-type": (lambda d: d["answers"][0].update(prompt_type="slider"), "answers[0].prompt_type"),
    "unknown-owner": (lambda d: d["commitments"][0].update(owner="nobody"), "commitments[0].owner"),
    "unknown-status": (lambda d: d["commitments"][0].update(status="done"), "commitments[0].status"),
    "id-2-to-the-70": (lambda d: d["sittings"][0].update(id=2**70), "sittings[0].id"),
    "id-a-string": (lambda d: d["answers"][0].update(id="1"), "answers[0].id"),
    "id-a-boolean": (lambda d: d["answers"][0].update(id=True), "answers[0].id"),
    "id-zero": (lambda d: d["commitments"][0].update(id=0), "commitments[0].id"),
    "revision-zero": (lambda d: d["answers"][0].update(revision=0), "answers[0].revision"),
    "private-a-string": (lambda d: d["answers"][0].update(private="yes"), "answers[0].private"),
    "name-empty": (lambda d: d["partners"][0].update(name="  "), "partners[0].name"),
    "partner-twice": (lambda d: d["partners"][1].update(key="a"), "partners[1]"),
    "sitting-twice": (lambda d: d["sittings"].append(dict(d["sittings"][0])), "appears twice"),
    "answer-to-no-sitting": (lambda d: d["answers"][0].update(sitting_id=999_999), "does not fit together"),
    "unknown-section": (lambda d: d.update(extras=[1]), "'extras'"),
    "unknown-field": (lambda d: d["answers"][0].update(colour="red"), "unknown field 'colour'"),
    "missing-field": (lambda d: d["answers"][0].pop("created"), "not a complete"),
    "lone-surrogate": (lambda d: d["partners"][0].update(name="Al\ud800ex"), "partners[0].name"),
    "text-an-object": (lambda d: first(d, "answers", prompt_type="text").update(value={"x": 1}), ".value"),
    "commitment-a-number": (lambda d: first(d, "answers", prompt_type="commitment").update(value=3), ".value"),
    "settings-a-list": (lambda d: d.update(settings=[1, 2]), "settings"),
    "answers-an-object": (lambda d: d.update(answers={}), "answers"),
    "newline-in-a-value": (lambda d: d["answers"][0].update(partner="a\nb"), "'a\\nb'"),
    "revision-date": (lambda d: d["answers"][0]["revisions"][0].update(created="soon"), "revisions[0].created"),
    # settings: each key the app writes holds what the code reading it expects
    "resume-answer-sitting-a-string": (
        lambda d: d["settings"]["resume"].update(answer_sitting_id="zz"), "settings.resume.answer_sitting_id"),
    "resume-attendees-a-number": (lambda d: d["settings"]["resume"].update(attendees=5), "settings.resume.attendees"),
    "resume-attendees-unknown": (
        lambda d: d["settings"]["resume"].update(attendees=["q", "zz"]), "settings.resume.attendees[0]"),
    "resume-attendees-none": (lambda d: d["settings"]["resume"].update(attendees=[]), "settings.resume.attendees"),
    "resume-sitting-not-here": (
        lambda d: d["settings"]["resume"].update(sitting_id=999_999), "settings.resume.sitting_id"),
    "resume-slot-a-fraction": (lambda d: d["settings"]["resume"].update(slot=1.5), "settings.resume.slot"),
    "resume-slot-negative": (lambda d: d["settings"]["resume"].update(slot=-1), "settings.resume.slot"),
    "resume-no-exercise": (lambda d: d["settings"]["resume"].pop("exercise_id"), "settings.resume"),
    "resume-unknown-field": (lambda d: d["settings"]["resume"].update(page=3), "unknown field 'page'"),
    "resume-a-list": (lambda d: d["settings"].update(resume=[1]), "settings.resume"),
    "checkin-day-8": (lambda d: d["settings"].update(checkin_day=8), "settings.checkin_day"),
    "checkin-time-25": (lambda d: d["settings"].update(checkin_time="25:00"), "settings.checkin_time"),
    "checkin-minutes-huge": (lambda d: d["settings"].update(checkin_minutes=10_000), "settings.checkin_minutes"),
    "timeout-a-string": (lambda d: d["settings"].update(timeout_minutes="long"), "settings.timeout_minutes"),
    "calendar-words-a-string": (
        lambda d: d["settings"].update(calendar_commitment_words="yes"), "settings.calendar_commitment_words"),
    "calendar-id-escapes": (lambda d: d["settings"].update(calendar_id="x\r\nBEGIN:VEVENT"), "settings.calendar_id"),
    "calendar-sequence-negative": (lambda d: d["settings"].update(calendar_sequence=-3), "settings.calendar_sequence"),
    "theme-a-number": (lambda d: d["settings"].update(theme=7), "settings.theme"),
    "unknown-setting": (lambda d: d["settings"].update(colour_scheme="x"), "settings.colour_scheme"),
    "schema-newer": (lambda d: d.update(schema=999), "newer than this relworkbook"),
    "schema-zero": (lambda d: d.update(schema=0), "schema"),
}
RAW = {
    "nan": ('"number": NaN', "NaN"),
    "infinity": ('"number": Infinity', "Infinity"),
    "1e400": ('"number": 1e400', ".number"),
    "nested-200000-deep": (None, "nested far too deep"),
    "huge-integer-literal": ('"number": ' + "9" * 5000, "not valid JSON"),
    "not-json": ("{ this is not json", "not valid JSON"),
}


def raw_variant(name: str, good_text: str) -> str:
    replacement, _ = RAW[name]
    if name == "nested-200000-deep":
        return '{"format": "relworkbook-export", "version": 1, "settings": {"x": ' + "[" * 200_000 + "]" * 200_000 + "}}"
    if name == "not-json":
        return replacement
    target = '"number": 4.0' if '"number": 4.0' in good_text else '"number": 1.0'
    return good_text.replace(target, replacement, 1)


def import_file(tmp_path: Path, name: str, text: str):
    source = tmp_path / f"{name}.json"
    source.write_text(text, encoding="utf-8", errors="surrogatepass")
    db = tmp_path / f"{name}.db"
    result = CliRunner().invoke(cli, ["import", "--db", str(db), str(source)])
    return result, db


def assert_refused(result, db: Path, words: str) -> str:
    assert result.exit_code == 1, result.output
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1 and lines[0].startswith("relworkbook: "), result.stderr
    assert "Traceback" not in result.output and "unexpected problem" not in lines[0]
    assert "nothing was imported" in lines[0], lines[0]
    assert words in lines[0], (words, lines[0])
    assert not db.exists()  # nothing imported: the workbook is not even made
    return lines[0]


@pytest.mark.parametrize("name", TAMPERED)
def test_a_tampered_export_is_refused_whole_in_one_line(tmp_path, export, name):
    data = copy.deepcopy(export)
    how, words = TAMPERED[name]
    how(data)
    text = json.dumps(data)
    assert_refused(*import_file(tmp_path, name, text), words)


@pytest.mark.parametrize("name", RAW)
def test_raw_json_that_cannot_be_an_export_is_one_line(tmp_path, export, name):
    text = raw_variant(name, json.dumps(export, ensure_ascii=False, indent=1))
    assert_refused(*import_file(tmp_path, name, text), RAW[name][1])


def test_the_real_export_passes_and_round_trips(tmp_path, export):
    from relworkbook import export_check
    from relworkbook.export_check import check_export

    assert export_check.EXPORT_FORMAT == store_mod.EXPORT_FORMAT
    assert export_check.EXPORT_VERSION == store_mod.EXPORT_VERSION
    assert set(export["settings"]) == set(export_check.SETTINGS)  # the fixture holds every setting
    check_export(export)
    result, db = import_file(tmp_path, "good", json.dumps(export))
    assert result.exit_code == 0, result.output
    with Store.open(db) as store:
        assert store.export_data() == export
    # The store checks too, for callers other than the command line.
    bad = copy.deepcopy(export)
    bad["sittings"][0]["started"] = "whenever"
    with Store.open(tmp_path / "direct.db") as store:
        with pytest.raises(WorkbookError, match=r"sittings\[0\]\.started"):
            store.import_data(bad)
        assert store.is_empty()


# ------------------------------------------------------------------ tampering at random


def leaf_paths(value, path=()):
    if isinstance(value, dict):
        for key, item in value.items():
            yield from leaf_paths(item, (*path, key))
    elif isinstance(value, list) and value:
        for n, item in enumerate(value):
            yield from leaf_paths(item, (*path, n))
    else:
        yield path


junk = st.one_of(
    st.none(), st.booleans(), st.integers(-(2**80), 2**80), st.floats(allow_nan=True, allow_infinity=True),
    st.text(max_size=8),
    st.sampled_from(["a", "b", "c", "together", "both", "slider", "scale", "2026-02-30", "2026-01-01",
                     "2026-01-01T10:00:00", "", "open", "done", "\x1b[2J", "a\nb"]),
    st.lists(st.sampled_from(["a", "b", "x", 1]), max_size=3),
    st.dictionaries(st.sampled_from(["what", "owner", "x"]), st.sampled_from(["a", 1, None]), max_size=2),
)


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture,
                                                                 HealthCheck.too_slow])
@given(data=st.data())
@example(data=None)  # the untampered export
def test_tampered_exports_are_refused_or_usable(tmp_path_factory, export, catalog, data):
    """Whatever the check lets through imports and can be read by Trends, History and the recap."""
    from relworkbook import recap as recap_mod
    from relworkbook import trends as trends_mod
    from relworkbook.export_check import ExportError, check_export, parse_export

    tampered = copy.deepcopy(export)
    if data is not None:
        paths = sorted(leaf_paths(tampered), key=repr)
        for _ in range(data.draw(st.integers(1, 3), label="changes")):
            path = data.draw(st.sampled_from(paths), label="where")
            holder = tampered
            for step in path[:-1]:
                holder = holder[step]
            if path and data.draw(st.booleans(), label="drop") and isinstance(holder, dict):
                holder.pop(path[-1], None)
            elif path:
                holder[path[-1]] = data.draw(junk, label="value")
    text = json.dumps(tampered, ensure_ascii=False)
    try:
        parsed = parse_export(text)
        check_export(parsed)
    except ExportError as error:
        assert "\n" not in str(error) and str(error)
        return
    with Store.open(tmp_path_factory.mktemp("fuzz") / "w.db") as store:
        store.import_data(parsed)
        usable_settings(store, catalog)
        trends_mod.render_text(trends_mod.summary(store, catalog, window="all"))
        for sitting in store.list_sittings():
            for fmt in ("text", "markdown", "html"):
                recap_mod.render(recap_mod.build_recap(store, catalog, sitting.id), fmt)
        store.search("the")
        store.list_commitments()


def usable_settings(store, catalog) -> None:
    """What Home, the exercise and the calendar read from the settings works."""
    from relworkbook import ics
    from relworkbook.model import PARTNERS
    from relworkbook.progress import get_resume
    from relworkbook.rhythm import read_rhythm

    resume = get_resume(store)
    if resume is not None:
        assert store.get_sitting(resume["sitting_id"]) is not None
        assert store.get_sitting(resume["answer_sitting_id"]) is not None
        assert type(resume["slot"]) is int and resume["slot"] >= 0
        assert resume["attendees"] is None or set(resume["attendees"]) <= set(PARTNERS)
    read_rhythm(store)
    text = ics.build_calendar(store, today=SAMPLE_TODAY).decode()
    assert "\x1b" not in text


def test_the_app_knows_the_setting_keys_the_check_knows():
    from relworkbook import app, export_check, ics, progress, rhythm

    written = {progress.RESUME_KEY, rhythm.CHECKIN_DAY, rhythm.CHECKIN_TIME, rhythm.CHECKIN_MINUTES,
               rhythm.TIMEOUT_MINUTES, rhythm.CALENDAR_WORDS, ics.ID_SETTING, ics.SEQUENCE_SETTING,
               app.THEME_SETTING}
    assert set(export_check.SETTINGS) == written


BAD_RESUMES = {
    "answer-sitting-a-string": {"sitting_id": 4, "exercise_id": "X", "slot": 0, "answer_sitting_id": "zz"},
    "attendees-a-number": {"sitting_id": 4, "exercise_id": "X", "slot": 0, "attendees": 5},
    "attendees-unknown": {"sitting_id": 4, "exercise_id": "X", "slot": 0, "attendees": ["q", "zz"]},
    "sitting-2-to-the-70": {"sitting_id": 2**70, "exercise_id": "X"},
    "slot-negative": {"sitting_id": 4, "exercise_id": "X", "slot": -2},
    "answer-sitting-gone": {"sitting_id": 4, "exercise_id": "X", "answer_sitting_id": 77},
}


@pytest.mark.parametrize("name", BAD_RESUMES)
async def test_a_resume_point_the_app_could_not_have_written_is_dropped_and_home_draws(tmp_path, export, name):
    """Written straight into the file (an older import, another tool): get_resume drops it,
    Home draws its list instead of 'Could not read the workbook'."""
    from textual.widgets import Static

    from relworkbook.app import make_app
    from relworkbook.progress import get_resume

    data = copy.deepcopy(export)
    db = tmp_path / "w.db"
    with Store.open(db) as store:
        store.import_data(data)
        resume = dict(BAD_RESUMES[name])
        resume["exercise_id"] = data["settings"]["resume"]["exercise_id"]
        if resume["sitting_id"] == 4:
            resume["sitting_id"] = data["settings"]["resume"]["sitting_id"]
        store.set_setting("resume", resume)
        assert get_resume(store) is None
    app = make_app(db)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        status = str(app.screen.query_one("#home-status", Static).render())
        assert "Could not read" not in status, status
        assert "Continue where you left off" not in "\n".join(
            s.text for s in app.screen._compositor.render_strips())


@pytest.mark.parametrize("change", ["ended-absent", "text-null", "updated-absent", "revisions-absent"])
def test_fields_the_check_calls_optional_import_when_absent_or_null(tmp_path, export, change):
    """Found by the random test above: the check let these through and SQLite then
    refused them ('does not fit together'); now they import."""
    data = copy.deepcopy(export)
    answer = first(data, "answers", prompt_type="text")
    {"ended-absent": lambda: data["sittings"][0].pop("ended"),
     "text-null": lambda: answer.update(text=None),
     "updated-absent": lambda: answer.pop("updated"),
     "revisions-absent": lambda: answer.pop("revisions")}[change]()
    with Store.open(tmp_path / "w.db") as store:
        store.import_data(data)
        kept = store.get_answer(answer["id"])
        assert kept is not None and kept.value == answer["value"]
