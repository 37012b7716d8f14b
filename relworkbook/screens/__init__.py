"""One module per screen. Each screen gets what it needs from the app it runs in
(``self.app.store``, ``self.app.catalog``) or through its constructor.

``HoldsAnswers`` is the one thing the app asks of screens in general: a screen
that holds answers not yet written says so by being one, and saves them when
``flush_saves`` is called (before anything covers it, and before quitting).
"""

from __future__ import annotations

from textual.screen import Screen, ScreenResultType


class HoldsAnswers(Screen[ScreenResultType]):
    """A screen with answers on it that may not be written yet."""

    def flush_saves(self) -> bool:
        """Write what is held; False when it could not be written (the screen has said why)."""
        return True
