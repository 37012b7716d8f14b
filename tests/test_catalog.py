"""The catalogue: YAML in, frozen models out, and every problem with its file and line."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from relworkbook.catalog import (
    Catalog,
    format_errors,
    load_catalog,
    load_dir,
    validate_dirs,
)
from relworkbook.model import PROMPT_TYPES, WHO, Exercise, LoadError, Metric, Prompt

FIXTURES = Path(__file__).parent / "fixtures"
PACK = FIXTURES / "exercises"
BROKEN = FIXTURES / "broken"

STEPS = """\
metrics:
  mood: {title: Mood, min: 1, max: 10}
  habits: {title: Habits, min: 0, max: 3}
steps:
  - {id: s1, title: Step one, order: 1, intro: First.}
  - {id: s2, title: Step two, order: 2}
"""


def make_pack(root: Path, files: dict[str, str | bytes], steps: str | None = STEPS) -> Path:
    root.mkdir(parents=True, exist_ok=True)
    if steps is not None:
        (root / "steps.yaml").write_text(steps, encoding="utf-8")
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(textwrap.dedent(content), encoding="utf-8")
    return root


def problems(tmp_path: Path, content: str | bytes, steps: str | None = STEPS) -> list[tuple[int, str]]:
    """Load one exercise file in a fresh pack; return (line, message) for its problems."""
    root = make_pack(tmp_path / "pack", {"s1/ex.yaml": content}, steps)
    catalog = load_dir(root)
    assert catalog.exercise("ex") is None, "a broken exercise must be skipped"
    return [(e.line, e.message) for e in catalog.errors]


def only(found: list[tuple[int, str]]) -> tuple[int, str]:
    assert len(found) == 1, found
    return found[0]


GOOD = """\
id: ex
title: One
step: s1
minutes: 5
prompts:
  - {id: p1, type: text, text: Hello?}
"""


# --------------------------------------------------------------------------- the fixture pack


def test_fixture_pack_loads_cleanly_into_frozen_models():
    catalog = load_dir(PACK)
    assert catalog.errors == ()
    assert [s.id for s in catalog.steps] == ["getting-started", "talking-together", "weekly-meeting"]
    assert [s.order for s in catalog.steps] == [1, 2, 3]
    assert [e.id for e in catalog.exercises] == ["fx-hopes", "fx-i-statements", "fx-checkin"]
    step = catalog.step("getting-started")
    assert step.title == "Getting started"
    assert step.intro.startswith("A gentle first look")
    assert step.line == 8
    with pytest.raises(AttributeError):
        catalog.exercises[0].title = "changed"  # type: ignore[misc]
    with pytest.raises(AttributeError):
        catalog.steps = ()  # type: ignore[misc]


def test_fixture_pack_exercise_values():
    catalog = load_dir(PACK)
    hopes = catalog.exercise("fx-hopes")
    assert isinstance(hopes, Exercise)
    assert hopes.title == "What we hope for"
    assert hopes.step == "getting-started"
    assert hopes.minutes == 10
    assert hopes.order == 1
    assert hopes.kind == "exercise"
    assert hopes.tips == ("Speak for yourself, not for your partner.", "Short answers are fine.")
    assert hopes.source == str(PACK / "getting-started" / "hopes.yaml")
    assert hopes.line == 1
    assert [p.id for p in hopes.prompts] == ["hope", "ready", "habits"]
    hope = hopes.prompt("hope")
    assert (hope.type, hope.who, hope.help) == ("text", "each", "Think of one ordinary day, not a holiday.")
    assert hope.line == 13
    ready = hopes.prompt("ready")
    assert (ready.type, ready.who, ready.options) == ("choice", "private", ("Ready", "Unsure", "Not yet"))
    habits = hopes.prompt("habits")
    assert habits.type == "checklist" and habits.metric == "kind-habits"
    assert len(habits.options) == 4 and habits.is_scored
    assert habits.metric_range == (0, 4)

    talk = catalog.exercise("fx-i-statements")
    feeling = talk.prompt("feeling")
    assert feeling.template == "I feel {feeling} when {situation}, and I would like {request}."
    assert feeling.blanks == ("feeling", "situation", "request")
    assert talk.prompt("listen").rounds == 2
    promise = talk.prompt("promise")
    assert (promise.type, promise.who, promise.optional) == ("commitment", "together", True)


def test_fixture_pack_checkin_instrument_and_metrics():
    catalog = load_dir(PACK)
    checkin = catalog.checkin()
    assert checkin is not None and checkin.id == "fx-checkin" and checkin.kind == "checkin"
    communication = checkin.prompt("communication")
    assert (communication.min, communication.max) == (1, 10)
    assert communication.labels == ((1, "We hardly talked"), (10, "I felt really heard"))
    assert communication.who == "private"
    closeness = checkin.prompt("closeness")
    assert (closeness.min, closeness.max) == (1, 10)  # the default scale
    assert closeness.label_for(5) == "Somewhere in between"

    [(exercise, instrument)] = catalog.instruments()
    assert exercise.id == "fx-checkin"
    assert instrument.id == "fx-week-total"
    assert instrument.prompts == ("communication", "closeness")
    assert instrument.method == "sum"
    assert instrument.reliable_change == 4.0
    assert [b.name for b in instrument.bands] == ["Needs attention", "Steady"]
    assert instrument.band_for(12).name == "Steady"
    assert instrument.note == "Our own items; not a clinical measure."

    assert catalog.metrics == (
        Metric("communication", "Communication", 1, 10),
        Metric("closeness", "Closeness", 1, 10),
        Metric("kind-habits", "Kind habits", 0, 4),
    )
    assert catalog.metric("closeness").title == "Closeness"
    assert catalog.metric_title("kind-habits") == "Kind habits"
    assert catalog.metric_title("unheard-of") == "Unheard-of"
    assert catalog.metric("unheard-of") is None


def test_fixture_pack_uses_every_prompt_type_and_every_who():
    catalog = load_dir(PACK)
    prompts = [p for e in catalog.exercises for p in e.prompts]
    assert {p.type for p in prompts} == set(PROMPT_TYPES)
    assert {p.who for p in prompts} == set(WHO)
    assert sum(1 for e in catalog.exercises if e.kind == "checkin") == 1


def test_lookups():
    catalog = load_dir(PACK)
    assert [e.id for e in catalog.exercises_for("talking-together")] == ["fx-i-statements"]
    assert catalog.exercises_for("nowhere") == ()
    assert catalog.step("nowhere") is None
    assert catalog.exercise("nowhere") is None
    assert isinstance(catalog.prompt("fx-checkin", "thanks"), Prompt)
    assert catalog.prompt("fx-checkin", "nowhere") is None
    assert catalog.prompt("nowhere", "thanks") is None


def test_support_lines():
    catalog = load_dir(PACK)
    assert catalog.support_intro.startswith("If you are ever afraid")
    assert [s.where for s in catalog.support] == ["anywhere", "United States"]
    assert catalog.support[1].how.startswith("1-800-799-7233")


def test_empty_catalog_is_usable():
    catalog = Catalog()
    assert catalog.checkin() is None and catalog.instruments() == [] and catalog.metric_title("x") == "X"


# --------------------------------------------------------------------------- order and packs


def test_exercises_sorted_by_step_order_then_order_then_id(tmp_path):
    steps = "steps:\n  - {id: late, title: Late, order: 5}\n  - {id: early, title: Early, order: 1}\n"
    ex = "id: {id}\ntitle: T\nstep: {step}\nminutes: 5\norder: {order}\nprompts:\n  - {{id: p, type: text, text: Q}}\n"
    files = {
        "late/a.yaml": ex.format(id="z-late", step="late", order=0),
        "early/b.yaml": ex.format(id="b-early", step="early", order=2),
        "early/c.yaml": ex.format(id="c-early", step="early", order=1),
        "early/d.yaml": ex.format(id="a-early", step="early", order=1),
    }
    catalog = load_dir(make_pack(tmp_path / "p", files, steps))
    assert catalog.errors == ()
    assert [s.id for s in catalog.steps] == ["early", "late"]
    assert [e.id for e in catalog.exercises] == ["a-early", "c-early", "b-early", "z-late"]


def test_pack_without_steps_adds_exercises_to_existing_steps(tmp_path):
    pack = make_pack(tmp_path / "counsellor", {
        "extra.yaml": GOOD.replace("id: ex", "id: extra").replace("step: s1", "step: talking-together"),
    }, steps=None)
    catalog = load_catalog([PACK, pack], shipped=False)
    assert catalog.errors == ()
    assert [e.id for e in catalog.exercises_for("talking-together")] == ["extra", "fx-i-statements"]


def test_pack_adds_steps_and_metrics_and_replaces_support(tmp_path):
    steps = (
        "metrics:\n  calm: {title: Calm, min: 1, max: 5}\n  closeness: {title: Closeness, min: 1, max: 10}\n"
        "steps:\n  - {id: extra-step, title: Extra, order: 9}\n"
    )
    support = "intro: Local help.\nlines:\n  - {where: here, service: the clinic, how: ring the desk}\n"
    ex = GOOD.replace("step: s1", "step: extra-step") + "  - {id: c, type: scale, text: Calm?, min: 1, max: 5, metric: calm}\n"
    pack = make_pack(tmp_path / "counsellor", {"extra-step/e.yaml": ex, "support.yaml": support}, steps)
    catalog = load_catalog([PACK, pack], shipped=False)
    assert catalog.errors == ()
    assert catalog.steps[-1].id == "extra-step"
    assert catalog.exercises[-1].id == "ex"
    assert catalog.metric("calm") == Metric("calm", "Calm", 1, 5)
    assert [m.key for m in catalog.metrics] == ["communication", "closeness", "kind-habits", "calm"]
    assert catalog.support_intro == "Local help."
    assert [s.service for s in catalog.support] == ["the clinic"]


def test_load_catalog_includes_the_shipped_program_first(tmp_path):
    # Only the shape is checked: the shipped content is written elsewhere.
    shipped = load_catalog()
    with_pack = load_catalog([PACK])
    fixture_ids = {e.id for e in load_dir(PACK).exercises}
    assert {e.id for e in with_pack.exercises} == {e.id for e in shipped.exercises} | fixture_ids
    assert load_catalog([PACK], shipped=False).exercises == load_dir(PACK).exercises


def test_validate_dirs_loads_a_pack_on_top_of_the_shipped_program(tmp_path):
    shipped_steps = [s.id for s in load_catalog().steps]
    if not shipped_steps:
        pytest.skip("the shipped program has no steps yet")
    pack = make_pack(tmp_path / "p", {
        "x.yaml": GOOD.replace("id: ex", "id: zz-extra-only").replace("step: s1", f"step: {shipped_steps[0]}"),
    }, steps=None)
    assert [e for e in validate_dirs([pack]) if str(pack) in e.file] == []
    alone = validate_dirs([pack], shipped=False)
    assert [(e.line, e.message.split(" —")[0]) for e in alone] == [(3, f"unknown step '{shipped_steps[0]}'")]


# --------------------------------------------------------------------------- broken files


def test_broken_fixture_pack_reports_every_file_and_still_loads_the_good_one():
    catalog = load_dir(BROKEN)
    assert [e.id for e in catalog.exercises] == ["good"]
    assert [(Path(e.file).name, e.line) for e in catalog.errors] == [
        ("bad-syntax.yaml", 7),
        ("not-utf8.yaml", 6),
        ("unknown-type.yaml", 7),
    ]
    assert validate_dirs([BROKEN], shipped=False) == list(catalog.errors)


def test_error_file_is_the_path_as_given(tmp_path, monkeypatch):
    monkeypatch.chdir(FIXTURES.parent.parent)
    errors = validate_dirs(["tests/fixtures/broken"], shipped=False)
    assert errors[0].file == os.path.join("tests", "fixtures", "broken", "practice", "bad-syntax.yaml")
    assert format_errors(errors).splitlines()[0].startswith("tests/fixtures/broken/practice/bad-syntax.yaml:7: YAML syntax error")


def test_format_errors():
    errors = [LoadError("a.yaml", 3, "one"), LoadError("b/c.yaml", 12, "two")]
    assert format_errors(errors) == "a.yaml:3: one\nb/c.yaml:12: two"
    assert format_errors([]) == ""


def test_missing_folder_is_reported(tmp_path):
    catalog = load_catalog([tmp_path / "nope"], shipped=False)
    assert [e.message.split(" —")[0] for e in catalog.errors] == ["folder not found"]
    assert format_errors(catalog.errors) == f"{tmp_path / 'nope'}: folder not found — check the path to the exercises folder"


def test_bad_yaml_syntax(tmp_path):
    line, message = only(problems(tmp_path, "id: ex\ntitle: One\nstep: s1\n  minutes: 5\n"))
    assert line == 4
    assert message.startswith("YAML syntax error")


def test_bad_yaml_unclosed_quote(tmp_path):
    line, message = only(problems(tmp_path, 'id: ex\ntitle: "One\nstep: s1\nminutes: 5\nprompts: [\n'))
    assert message.startswith("YAML syntax error") and line >= 2


def test_non_utf8_file(tmp_path):
    line, message = only(problems(tmp_path, b"id: ex\ntitle: One\nstep: s1\nintro: caf\xe9\n"))
    assert line == 4
    assert "UTF-8" in message


def test_utf8_with_bom_is_fine(tmp_path):
    root = make_pack(tmp_path / "p", {"s1/ex.yaml": "\ufeff" + GOOD})
    catalog = load_dir(root)
    assert catalog.errors == () and catalog.exercise("ex").title == "One"


def test_empty_file(tmp_path):
    assert only(problems(tmp_path, ""))[0] == 1


def test_unknown_prompt_type_lists_the_known_types(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - id: p2\n    type: slider\n    text: Slide?\n"))
    assert line == 8
    assert "'slider'" in message
    assert "use one of: text, scale, checklist, choice, template, commitment, turns" in message


def test_missing_exercise_id(tmp_path):
    line, message = only(problems(tmp_path, GOOD.replace("id: ex\n", "")))
    assert line == 1
    assert "no 'id'" in message


def test_missing_prompt_id(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - type: text\n    text: No id here\n"))
    assert line == 7
    assert "no 'id'" in message


def test_missing_prompt_type(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - {id: p2, text: Typeless}\n"))
    assert line == 7
    assert "no 'type'" in message


def test_duplicate_prompt_id(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - {id: p2, type: text, text: A}\n  - {id: p1, type: text, text: B}\n"))
    assert line == 8
    assert "duplicate prompt id 'p1'" in message and "line 6" in message


def test_duplicate_exercise_id_across_files(tmp_path):
    root = make_pack(tmp_path / "p", {"s1/a.yaml": GOOD, "s1/b.yaml": "# same id again\n" + GOOD})
    catalog = load_dir(root)
    assert [e.source for e in catalog.exercises] == [str(root / "s1" / "a.yaml")]
    [error] = catalog.errors
    assert (error.file, error.line) == (str(root / "s1" / "b.yaml"), 2)
    assert "duplicate exercise id 'ex'" in error.message and f"{root / 's1' / 'a.yaml'}:1" in error.message


def test_duplicate_exercise_id_across_dirs(tmp_path):
    first = make_pack(tmp_path / "one", {"s1/a.yaml": GOOD})
    second = make_pack(tmp_path / "two", {"s1/a.yaml": "\n\n" + GOOD}, steps=None)
    errors = validate_dirs([first, second], shipped=False)
    assert [(e.file, e.line) for e in errors] == [(str(second / "s1" / "a.yaml"), 3)]
    assert "duplicate exercise id" in errors[0].message


def test_duplicate_step_id_in_one_file(tmp_path):
    steps = STEPS + "  - {id: s1, title: Again, order: 3}\n"
    root = make_pack(tmp_path / "p", {"s1/ex.yaml": GOOD}, steps)
    catalog = load_dir(root)
    assert [(e.line, e.message.split(" —")[0]) for e in catalog.errors] == [(7, "duplicate step id 's1'")]
    assert catalog.step("s1").title == "Step one"
    assert catalog.exercise("ex") is not None


def test_duplicate_step_id_across_dirs(tmp_path):
    first = make_pack(tmp_path / "one", {})
    second = make_pack(tmp_path / "two", {}, steps="steps:\n  - id: s2\n    title: Twice\n")
    errors = validate_dirs([first, second], shipped=False)
    assert [(e.file, e.line) for e in errors] == [(str(second / "steps.yaml"), 2)]
    assert "duplicate step id 's2'" in errors[0].message


def test_scale_min_not_below_max(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - id: s\n    type: scale\n    text: Q\n    min: 5\n    max: 5\n"))
    assert line == 10
    assert "min must be below max" in message


def test_scale_label_outside_range(tmp_path):
    content = GOOD + "  - id: s\n    type: scale\n    text: Q\n    min: 1\n    max: 5\n    labels:\n      1: Low\n      7: High\n"
    line, message = only(problems(tmp_path, content))
    assert line == 14
    assert "label 7" in message and "1..5" in message


def test_scale_label_key_not_a_number(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - {id: s, type: scale, text: Q, labels: {low: Low}}\n"))
    assert line == 7 and "whole number" in message


def test_metric_range_differs_from_declaration(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - id: s\n    type: scale\n    text: Q\n    max: 5\n    metric: mood\n"))
    assert line == 11
    assert "'mood' runs 1..5 here but 1..10" in message and "steps.yaml:2" in message


def test_checklist_metric_range_differs(tmp_path):
    content = GOOD + "  - id: c\n    type: checklist\n    text: Q\n    options: [a, b]\n    metric: habits\n"
    line, message = only(problems(tmp_path, content))
    assert line == 11 and "runs 0..2 here but 0..3" in message


def test_metric_used_with_two_ranges_across_files(tmp_path):
    scale = "  - {{id: s, type: scale, text: Q, min: 1, max: {top}, metric: mood}}\n"
    ok = GOOD.replace("id: ex", "id: first") + scale.format(top=10)
    bad = GOOD + "\n" + scale.format(top=7)
    root = make_pack(tmp_path / "p", {"s1/a.yaml": ok, "s1/b.yaml": bad})
    catalog = load_dir(root)
    assert [e.id for e in catalog.exercises] == ["first"]
    [error] = catalog.errors
    assert (Path(error.file).name, error.line) == ("b.yaml", 8)
    assert "runs 1..7 here but 1..10" in error.message


def test_metric_declared_with_two_ranges_across_dirs(tmp_path):
    first = make_pack(tmp_path / "one", {})
    second = make_pack(tmp_path / "two", {}, steps="metrics:\n  calm: {min: 1, max: 10}\n  mood: {title: Mood, min: 0, max: 10}\n")
    errors = validate_dirs([first, second], shipped=False)
    assert [(e.file, e.line) for e in errors] == [(str(second / "steps.yaml"), 3)]
    assert "declared as 0..10 here but as 1..10" in errors[0].message
    assert load_catalog([first, second], shipped=False).metric("calm") == Metric("calm", "Calm", 1, 10)


def test_undeclared_metric_says_to_add_it_to_steps_yaml(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - {id: s, type: scale, text: Q, metric: joy}\n"))
    assert line == 7
    assert "'joy' is not declared" in message and "steps.yaml" in message and "metrics:" in message


def test_template_blank_without_a_name(tmp_path):
    content = GOOD + "  - id: t\n    type: template\n    template: \"I feel {} when {situation}\"\n"
    line, message = only(problems(tmp_path, content))
    assert line == 9
    assert "no name" in message and "{feeling}" in message


def test_template_without_blanks(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - {id: t, type: template, template: I feel fine}\n"))
    assert line == 7
    assert "no blanks" in message


def test_minutes_wrong_type(tmp_path):
    line, message = only(problems(tmp_path, GOOD.replace("minutes: 5", 'minutes: "ten"')))
    assert line == 4
    assert "'minutes'" in message and "whole number" in message and "'ten'" in message


def test_minutes_must_be_positive(tmp_path):
    line, message = only(problems(tmp_path, GOOD.replace("minutes: 5", "minutes: 0")))
    assert line == 4 and "at least 1" in message


def test_options_not_a_list(tmp_path):
    content = GOOD + "  - id: c\n    type: choice\n    text: Q\n    options: yes, no\n"
    line, message = only(problems(tmp_path, content))
    assert line == 10
    assert "should be a list" in message


def test_text_not_text(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - id: t\n    type: text\n    text: [a, b]\n"))
    assert line == 9 and "should be text" in message


def test_yes_and_no_options_stay_words(tmp_path):
    root = make_pack(tmp_path / "p", {"s1/ex.yaml": GOOD + "  - {id: c, type: choice, text: Q, options: [Yes, No, 1.10]}\n"})
    catalog = load_dir(root)
    assert catalog.errors == ()
    assert catalog.prompt("ex", "c").options == ("Yes", "No", "1.10")


def test_unknown_who(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - id: t\n    type: text\n    who: both\n    text: Q\n"))
    assert line == 9
    assert "'both'" in message and "use one of: each, private, together" in message


def test_unknown_kind(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "kind: weekly\n"))
    assert line == 7 and "use one of: exercise, checkin" in message


def test_unknown_exercise_field_is_named(tmp_path):
    line, message = only(problems(tmp_path, GOOD.replace("title: One", "titel: One\ntitle: One")))
    assert line == 2
    assert "unknown field 'titel'" in message and "did you mean 'title'" in message


def test_unknown_prompt_field_is_named(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - id: c\n    type: choice\n    text: Q\n    optoins: [a, b]\n    options: [a, b]\n"))
    assert line == 10
    assert "unknown field 'optoins'" in message and "did you mean 'options'" in message


def test_field_of_another_prompt_type(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - id: t\n    type: text\n    text: Q\n    options: [a, b]\n"))
    assert line == 10
    assert "'options' is not used by a text prompt" in message


def test_field_given_twice(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "title: Again\n"))
    assert line == 7 and "appears twice" in message


def test_unknown_step(tmp_path):
    line, message = only(problems(tmp_path, GOOD.replace("step: s1", "step: s9")))
    assert line == 3
    assert "unknown step 's9'" in message and "use one of: s1, s2" in message


def test_empty_prompts(tmp_path):
    line, message = only(problems(tmp_path, GOOD.split("prompts:")[0] + "prompts: []\n"))
    assert line == 5
    assert "empty prompts" in message


def test_no_prompts(tmp_path):
    line, message = only(problems(tmp_path, GOOD.split("prompts:")[0]))
    assert line == 1 and "no prompts" in message


@pytest.mark.parametrize("ptype", ["checklist", "choice"])
def test_options_missing(tmp_path, ptype):
    line, message = only(problems(tmp_path, GOOD + f"  - id: c\n    type: {ptype}\n    text: Q\n"))
    assert line == 7
    assert "no options" in message


def test_choice_needs_two_options(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - {id: c, type: choice, text: Q, options: [only]}\n"))
    assert line == 7 and "at least 2 options" in message


def test_top_level_not_a_mapping(tmp_path):
    line, message = only(problems(tmp_path, "- id: ex\n- title: One\n"))
    assert line == 1
    assert "mapping" in message


def test_turns_rounds_wrong(tmp_path):
    line, message = only(problems(tmp_path, GOOD + "  - {id: t, type: turns, text: Q, rounds: none}\n"))
    assert line == 7 and "'rounds'" in message


INSTRUMENTED = GOOD + """\
  - {id: a, type: scale, text: A, metric: mood}
  - {id: b, type: scale, text: B, metric: calm}
  - {id: c, type: scale, text: Unscored}
instruments:
  - id: total
    title: Total
    prompts: [a, b]
    method: sum
    bands:
      - {name: Low, min: 2, max: 10}
      - {name: High, min: 11, max: 20}
    reliable_change: 3
"""


# One prompt per metric in an exercise: the instrument's second item rates another metric.
STEPS_CALM = STEPS.replace("steps:\n", "  calm: {title: Calm, min: 1, max: 10}\nsteps:\n", 1)


def test_instrument_loads(tmp_path):
    root = make_pack(tmp_path / "p", {"s1/ex.yaml": INSTRUMENTED}, steps=STEPS_CALM)
    catalog = load_dir(root)
    assert catalog.errors == ()
    [(exercise, instrument)] = catalog.instruments()
    assert instrument.prompts == ("a", "b") and instrument.line == 11


@pytest.mark.parametrize(
    "old,new,line,needle",
    [
        ("prompts: [a, b]", "prompts: [a, nope]", 13, "unknown prompt 'nope'"),
        ("prompts: [a, b]", "prompts: [a, c]", 13, "'c', which is not scored"),
        ("prompts: [a, b]", "prompts: [a, p1]", 13, "'p1', which is not scored"),
        ("method: sum", "method: median", 14, "unknown method 'median' in instrument 'total' — use one of: sum, mean"),
        ("{name: High, min: 11, max: 20}", "{name: High, min: 21, max: 20}", 17, "min 21 above max 20"),
        ("reliable_change: 3", "reliable_change: 0", 18, "must be above 0"),
        ("reliable_change: 3", "reliable_change: -2.5", 18, "must be above 0"),
        ("reliable_change: 3", "reliable_change: lots", 18, "should be a number"),
    ],
)
def test_instrument_problems(tmp_path, old, new, line, needle):
    assert old in INSTRUMENTED
    found_line, message = only(problems(tmp_path, INSTRUMENTED.replace(old, new), STEPS_CALM))
    assert found_line == line
    assert needle in message


def test_steps_yaml_broken_entry_skips_only_that_entry(tmp_path):
    steps = STEPS + "  - {id: s3, titel: Typo}\n"
    root = make_pack(tmp_path / "p", {"s1/ex.yaml": GOOD}, steps)
    catalog = load_dir(root)
    assert [s.id for s in catalog.steps] == ["s1", "s2"]
    assert [(e.line, e.message.split(" (")[0]) for e in catalog.errors] == [
        (7, "unknown field 'titel' in a step — did you mean 'title'?"),
        (7, "step 's3' has no 'title' — add title: ..."),
    ]
    assert catalog.exercise("ex") is not None


def test_steps_yaml_top_level_not_a_mapping(tmp_path):
    root = make_pack(tmp_path / "p", {}, steps="- id: s1\n")
    [error] = load_dir(root).errors
    assert (Path(error.file).name, error.line) == ("steps.yaml", 1) and "mapping" in error.message


def test_steps_yaml_metric_min_not_below_max(tmp_path):
    root = make_pack(tmp_path / "p", {}, steps="metrics:\n  mood:\n    min: 10\n    max: 1\n")
    [error] = load_dir(root).errors
    assert error.line == 3 and "min must be below max" in error.message


def test_broken_support_keeps_the_earlier_one(tmp_path):
    pack = make_pack(tmp_path / "p", {"support.yaml": "intro: Hi\nlines:\n  - {where: here, service: x}\n"}, steps=None)
    catalog = load_catalog([PACK, pack], shipped=False)
    [error] = catalog.errors
    assert (Path(error.file).name, error.line) == ("support.yaml", 3) and "no 'how'" in error.message
    assert catalog.support_intro.startswith("If you are ever afraid")


def test_reload_sees_an_edited_file(tmp_path):
    root = make_pack(tmp_path / "p", {"s1/ex.yaml": GOOD})
    assert load_dir(root).exercise("ex").title == "One"
    path = root / "s1" / "ex.yaml"
    path.write_text(GOOD.replace("title: One", "title: A new title"), encoding="utf-8")
    st = path.stat()
    os.utime(path, ns=(st.st_atime_ns, st.st_mtime_ns + 1_000_000))
    assert load_dir(root).exercise("ex").title == "A new title"


def test_core_modules_do_not_import_textual():
    code = (
        "import sys\n"
        "import relworkbook.catalog, relworkbook.store, relworkbook.model\n"
        "relworkbook.catalog.load_dir(sys.argv[1])\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code, str(PACK)], capture_output=True, text=True)
    assert result.returncode == 0, result.stdout + result.stderr


def test_the_documented_complete_example_loads_cleanly(tmp_path):
    import re

    doc = (Path(__file__).parent.parent / "docs" / "exercises.md").read_text(encoding="utf-8")
    example = doc[doc.index("## A complete example"):]
    blocks = re.findall(r"```yaml\n(.*?)```", example, re.S)
    names = ["steps.yaml", "talking-together/kindly.yaml", "weekly-meeting/checkin.yaml"]
    assert len(blocks) == len(names)
    root = make_pack(tmp_path / "doc", dict(zip(names, blocks)), steps=None)
    catalog = load_dir(root)
    assert catalog.errors == ()
    assert {p.type for e in catalog.exercises for p in e.prompts} == set(PROMPT_TYPES)
    assert catalog.checkin().id == "ex-checkin" and len(catalog.instruments()) == 1


TOKENS = [
    "id: ex\n", "title: One\n", "step: s1\n", "minutes: 5\n", "prompts:\n", "  - ", "{", "}", "[", "]",
    "id: p", "type: scale", "type: checklist", "type: template", "type: turns", "text: Q", "metric: mood",
    "min: 3", "max: 2", "labels: {1: a, 11: b}", "options: [a, a]", "template: '{}'", ", ", "\n", "    ",
    "instruments:\n", "  - {id: i, title: T, prompts: [p], bands: [{name: n, min: 2, max: 1}]}\n",
    "&a ", "*a", "<<: ", "? ", "- ", ": ", "'", '"', "\t", "~", "yes", "1.5", "\\xe9", "#",
]


def test_no_file_content_can_stop_the_catalogue_from_loading(tmp_path_factory):
    from hypothesis import HealthCheck, given, settings
    from hypothesis import strategies as st

    @settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow])
    @given(st.lists(st.sampled_from(TOKENS), max_size=40), st.binary(max_size=8))
    def check(tokens, noise):
        root = make_pack(tmp_path_factory.mktemp("fuzz"), {"s1/a.yaml": GOOD, "s1/b.yaml": "".join(tokens).encode() + noise})
        catalog = load_dir(root)
        assert catalog.exercise("ex") is not None or any(e.file.endswith("b.yaml") for e in catalog.errors)
        for error in catalog.errors:
            assert error.line >= 1 and error.message
            assert error.file.endswith("b.yaml")
            assert not error.message.startswith("could not read this file"), error  # an uncaught crash

    check()


def test_duplicate_instrument_id_across_files(tmp_path):
    second = INSTRUMENTED.replace("id: ex", "id: ex2")
    root = make_pack(tmp_path / "p", {"s1/a.yaml": INSTRUMENTED, "s1/b.yaml": second}, steps=STEPS_CALM)
    catalog = load_dir(root)
    assert [e.id for e in catalog.exercises] == ["ex"]
    [error] = catalog.errors
    assert (Path(error.file).name, error.line) == ("b.yaml", 11)
    assert "duplicate instrument id 'total'" in error.message


# --------------------------------------------------------------------------- sd and reliability, suggests, low_note


def test_instrument_with_sd_and_reliability_computes_the_jacobson_truax_threshold(tmp_path):
    text = INSTRUMENTED.replace("reliable_change: 3", "sd: 5\n    reliability: 0.8")
    catalog = load_dir(make_pack(tmp_path / "p", {"s1/ex.yaml": text}, steps=STEPS_CALM))
    assert catalog.errors == ()
    [(_, instrument)] = catalog.instruments()
    assert instrument.established
    assert instrument.reliable_change == pytest.approx(1.96 * 5 * (2 * 0.2) ** 0.5)  # ~6.20


def test_instrument_with_only_a_rough_guide_is_not_established(tmp_path):
    catalog = load_dir(make_pack(tmp_path / "p", {"s1/ex.yaml": INSTRUMENTED}, steps=STEPS_CALM))
    [(_, instrument)] = catalog.instruments()
    assert not instrument.established and instrument.reliable_change == 3


@pytest.mark.parametrize(
    "new,needle",
    [
        ("sd: 5", "has sd but no reliability"),
        ("reliability: 0.8", "has reliability but no sd"),
        ("sd: 0\n    reliability: 0.8", "must be above 0"),
        ("sd: 5\n    reliability: 1", "from 0 up to (not including) 1"),
        ("sd: 5\n    reliability: 0.8\n    reliable_change: 3", "leave reliable_change out"),
    ],
)
def test_instrument_sd_and_reliability_problems(tmp_path, new, needle):
    found_line, message = only(problems(tmp_path, INSTRUMENTED.replace("reliable_change: 3", new), STEPS_CALM))
    assert needle in message and found_line >= 18


SUGGESTING = """\
id: ex
title: One
step: s1
minutes: 5
prompts:
  - id: sure
    type: choice
    text: Ready?
    options: [Yes, Not yet]
    suggests: {"Not yet": other}
"""
OTHER = "id: other\ntitle: Other\nstep: s1\nminutes: 5\nprompts:\n  - {id: p1, type: text, text: Hi?}\n"


def test_suggests_maps_an_option_to_an_exercise(tmp_path):
    catalog = load_dir(make_pack(tmp_path / "p", {"s1/ex.yaml": SUGGESTING, "s1/other.yaml": OTHER}))
    assert catalog.errors == ()
    prompt = catalog.prompt("ex", "sure")
    assert prompt.suggests == (("Not yet", "other"),)
    assert prompt.suggested_by("Not yet") == ("other",)
    assert prompt.suggested_by("Yes") == () and prompt.suggested_by(None) == ()


def test_suggests_must_name_an_option_and_an_existing_exercise(tmp_path):
    line, message = only(problems(tmp_path, SUGGESTING.replace('{"Not yet": other}', '{"Maybe": other}')))
    assert line == 10 and "'Maybe', which is not one of its options" in message
    root = make_pack(tmp_path / "q", {"s1/ex.yaml": SUGGESTING})
    catalog = load_dir(root)
    assert catalog.exercise("ex") is None
    [error] = catalog.errors
    assert error.line == 6 and "suggests exercise 'other', which does not exist" in error.message


LOW = """\
id: ex
title: One
step: s1
minutes: 5
prompts:
  - id: safe
    type: scale
    text: How safe?
    low_note: {at_most: 2, text: "The help list is on f3."}
"""


def test_low_note_shows_only_at_or_below_its_mark(tmp_path):
    catalog = load_dir(make_pack(tmp_path / "p", {"s1/ex.yaml": LOW}))
    assert catalog.errors == ()
    prompt = catalog.prompt("ex", "safe")
    assert prompt.low_note_for(1) == prompt.low_note_for(2) == "The help list is on f3."
    assert prompt.low_note_for(3) == "" and prompt.low_note_for(None) == ""
    line, message = only(problems(tmp_path, LOW.replace("at_most: 2", "at_most: 10")))
    assert line == 9 and "is not on the scale" in message
