"""``ShowsPrivate``: the mark of a screen that may have private text on it.

The app takes no screenshot while the screen on top says ``shows_private()``
(a private answer being typed, notes for one). Kept apart so the app can ask
without loading those screens.
"""

from __future__ import annotations


class ShowsPrivate:
    """A screen that may show private text; ``shows_private()`` says whether it does now."""

    def shows_private(self) -> bool:
        return True

    def private_owner(self) -> str | None:
        """Whose private words are shown ("a" or "b"), when the screen knows; else None."""
        return None
