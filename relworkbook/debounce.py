"""When to write a draft: a debounce with a maximum wait, in plain Python.

A draft is written once the typing pauses for ``quiet`` seconds, and never
later than ``most`` seconds after the first change not yet written, however
steadily the typing goes on. A plain debounce would wait for ever for a
typist who never pauses, and a kill would lose every word; with the maximum
wait a crash loses at most the last ``most`` seconds (the promise is "at most
the last second of typing").

The caller owns the clock and the timer: ``changed(now)`` says how long from
``now`` the write is due (start or restart a timer for that long), and
``reset()`` ends the window once a write has been tried.
"""

from __future__ import annotations

SAVE_QUIET = 0.3  # seconds without a change before a draft is written
SAVE_MOST = 0.4  # seconds at most between a change and its write, while typing goes on


class Debounce:
    """The due time of the next write, from the times of the changes."""

    def __init__(self, quiet: float = SAVE_QUIET, most: float = SAVE_MOST) -> None:
        if quiet < 0 or most < 0:
            raise ValueError("quiet and most are seconds, not negative")
        self.quiet = quiet
        self.most = most
        self._first: float | None = None  # the first change not yet written

    @property
    def pending(self) -> bool:
        """Whether a change is waiting for its write."""
        return self._first is not None

    def changed(self, now: float) -> float:
        """Note a change at ``now``; the seconds from ``now`` until the write is due."""
        if self._first is None:
            self._first = now
        due = min(now + self.quiet, self._first + self.most)
        return max(0.0, due - now)

    def reset(self) -> None:
        """The write was tried (or the change dropped): the next change starts a new window."""
        self._first = None
