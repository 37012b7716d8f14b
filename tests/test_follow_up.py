"""follow_up.quiet_line: the low-rating pointer and the suggested exercise, on the shipped program."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

from relworkbook.catalog import load_dir
from relworkbook.follow_up import quiet_line

SHIPPED = Path(__file__).resolve().parents[1] / "exercises"


@pytest.fixture(scope="module")
def catalog():
    cat = load_dir(SHIPPED)
    assert not cat.errors, cat.errors
    return cat


def test_a_very_low_safety_rating_points_quietly_to_the_help_list(catalog):
    safety = catalog.prompt("weekly-check-in", "conflict")
    assert safety.is_private
    for value in (1, 2):
        assert "f3" in quiet_line(safety, value, catalog)
    for value in (3, 7, 10, None):
        assert quiet_line(safety, value, catalog) == ""
    # no other check-in rating carries the pointer
    other = catalog.prompt("weekly-check-in", "trust")
    assert quiet_line(other, 1, catalog) == ""


@pytest.mark.parametrize(
    "exercise_id,prompt_id,answer",
    [
        ("byb-readiness", "where", "I am not sure I want to try"),
        ("byb-two-questions", "risk", "Not yet"),
        ("tr-time-period", "open", "Not yet"),
        ("rm-choose-again", "choose", "I am not sure"),
    ],
)
def test_an_unsure_answer_names_the_unsure_exercise(catalog, exercise_id, prompt_id, answer):
    prompt = catalog.prompt(exercise_id, prompt_id)
    line = quiet_line(prompt, answer, catalog)
    assert "When one of us is unsure" in line and "Before you begin" in line
    assert quiet_line(prompt, prompt.options[0], catalog) == ""


def test_follow_up_does_not_import_textual():
    code = "import sys, relworkbook.follow_up; assert not any(m.startswith('textual') for m in sys.modules)"
    subprocess.run([sys.executable, "-c", code], check=True)
