"""The autosave timing (debounce with a maximum wait), without Textual.

The rule the crash test relies on: a change is written once the typing pauses
for ``quiet`` seconds, and never later than ``most`` seconds after it,
however steadily the typing goes on.
"""

from __future__ import annotations

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from relworkbook.debounce import SAVE_MOST, SAVE_QUIET, Debounce


def simulate(gaps: list[float], quiet: float, most: float) -> list[tuple[float, float]]:
    """Changes at the running sums of ``gaps``; a timer as the screen sets it.

    Returns (change time, time it was written) for every change.
    """
    debounce = Debounce(quiet, most)
    due: float | None = None
    unwritten: list[float] = []
    written: list[tuple[float, float]] = []
    now = 0.0
    times = []
    for gap in gaps:
        now += gap
        times.append(now)
    for when in times:
        if due is not None and due <= when:  # the timer fired before this change
            written += [(t, due) for t in unwritten]
            unwritten, due = [], None
            debounce.reset()
        unwritten.append(when)
        delay = debounce.changed(when)
        if delay <= 0:  # written at once
            written += [(t, when) for t in unwritten]
            unwritten, due = [], None
            debounce.reset()
        else:
            due = when + delay
    if unwritten:
        written += [(t, due) for t in unwritten]
    return written


def test_a_steady_typist_is_saved_at_least_every_half_second():
    # A key every 0.25 s for 15 s: a plain debounce of 0.3 s or more would never fire.
    written = simulate([0.25] * 60, SAVE_QUIET, SAVE_MOST)
    assert max(done - typed for typed, done in written) <= SAVE_MOST + 1e-9
    assert SAVE_MOST <= 1.0  # the promise: at most the last second of typing


def test_a_pause_writes_after_the_quiet_time():
    debounce = Debounce(0.4, 0.5)
    assert debounce.changed(10.0) == pytest.approx(0.4)
    assert debounce.pending
    debounce.reset()
    assert not debounce.pending
    assert debounce.changed(20.0) == pytest.approx(0.4)


def test_the_wait_never_passes_the_first_unwritten_change_plus_most():
    debounce = Debounce(0.4, 0.5)
    assert debounce.changed(0.0) == pytest.approx(0.4)
    assert debounce.changed(0.3) == pytest.approx(0.2)  # due at 0.5, not 0.7
    assert debounce.changed(0.6) == 0.0  # overdue: write now


def test_negative_times_are_refused():
    with pytest.raises(ValueError):
        Debounce(-1, 1)


@given(
    gaps=st.lists(st.floats(min_value=0.0, max_value=2.0, allow_nan=False), min_size=1, max_size=80),
    quiet=st.floats(min_value=0.01, max_value=1.0),
    most=st.floats(min_value=0.01, max_value=1.0),
)
@example(gaps=[0.25] * 40, quiet=0.4, most=0.5)
def test_every_change_is_written_within_the_longest_wait(gaps, quiet, most):
    written = simulate(gaps, quiet, most)
    assert len(written) == len(gaps)
    for typed, done in written:
        assert typed <= done <= typed + most + 1e-9
