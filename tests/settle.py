"""Waiting in Pilot tests for what a slow step (a passphrase's key derivation) leads to.

``Pilot.pause()`` waits until the process looks idle: its CPU time stops
moving. On a loaded machine (three xdist workers on two cores) the process can
simply not be scheduled for a moment, which looks the same, so a pause can end
before a click's messages have all been handled. After a step that takes real
time, a test waits for what it expects to see instead, with a generous limit;
it fails if that never comes.
"""

from __future__ import annotations

from collections.abc import Callable
from time import monotonic


async def until(pilot, condition: Callable[[], object], *, timeout: float = 15.0, what: str = "") -> None:
    deadline = monotonic() + timeout
    while not condition():
        if monotonic() > deadline:
            raise AssertionError(f"still not true after {timeout:.0f} s: {what or condition}")
        await pilot.pause(0.02)
    await pilot.pause()
