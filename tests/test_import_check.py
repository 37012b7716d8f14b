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
    db = tmp_path_factory.mktemp("source") / "demo.db"
    with Store.open(db) as store:
        generate(store, catalog, weeks=3, seed=5, today=SAMPLE_TODAY)
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
        trends_mod.render_text(trends_mod.summary(store, catalog, window="all"))
        for sitting in store.list_sittings():
            for fmt in ("text", "markdown", "html"):
                recap_mod.render(recap_mod.build_recap(store, catalog, sitting.id), fmt)
        store.search("the")
        store.list_commitments()


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
