"""The test suite itself: never red at random, and quick enough on two cores."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

from hypothesis import settings

ROOT = Path(__file__).resolve().parent.parent


def test_ci_runs_property_tests_derandomized_with_no_timing():
    ci = settings.get_profile("ci")
    assert ci.derandomize and ci.database is None and ci.deadline is None
    dev = settings.get_profile("dev")
    assert not dev.derandomize and dev.deadline is None  # explores freely, never on the clock


def test_the_profile_follows_the_ci_variable():
    # A fresh interpreter, as CI starts one: the conftest picks the profile from CI=true.
    code = (
        "import sys; sys.path.insert(0, 'tests'); import conftest; from hypothesis import settings; "
        "print(settings.default.derandomize, settings.default.database is None)"
    )
    env = {k: v for k, v in os.environ.items() if k not in ("CI", "HYPOTHESIS_PROFILE")}
    seen = {}
    for ci in ("true", ""):
        result = subprocess.run(
            [sys.executable, "-c", code], cwd=ROOT, env=dict(env, CI=ci), capture_output=True, text=True, check=True
        )
        seen[ci] = result.stdout.split()
    assert seen["true"] == ["True", "True"]
    assert seen[""] == ["False", "False"]


def test_make_test_runs_side_by_side():
    extras = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    assert re.search(r'"pytest-xdist[^"]*"', extras), "pytest-xdist is not in the test extras"
    makefile = (ROOT / "Makefile").read_text(encoding="utf-8")
    recipe = makefile.split("\ntest:", 1)[1].split("\n\n", 1)[0]
    assert re.search(r"pytest .*-n (2|3|4|auto)", recipe), recipe
    # Work stealing: a worker left with a queue of slow tests no longer sets the pace.
    assert "--dist worksteal" in recipe, recipe
