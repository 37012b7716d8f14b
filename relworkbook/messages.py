"""What a screen asks of the app: the cross-screen intents, as Textual Messages.

A screen posts one (it bubbles up to the app) and the app handles it with an
``@on`` handler; nobody probes another object with ``getattr`` or decodes
strings across screens.
"""

from __future__ import annotations

from enum import Enum

from textual.message import Message


class OpenExercise(Message):
    """Open an exercise in this run's sitting (asking who is here the first time)."""

    def __init__(self, exercise_id: str) -> None:
        super().__init__()
        self.exercise_id = exercise_id


class CatchUp(Message):
    """``partner`` answers their part of an exercise of a sitting they missed."""

    def __init__(self, partner: str, sitting_id: int, exercise_id: str) -> None:
        super().__init__()
        self.partner = partner
        self.sitting_id = sitting_id
        self.exercise_id = exercise_id


class Go(Enum):
    """The app's own actions a screen may ask for: a closed set (the app handles each one)."""

    CONTINUE = "continue"
    NEXT = "next"
    CHECKIN = "checkin"
    HISTORY = "history"
    TRENDS = "trends"
    COMMITMENTS = "commitments"
    SEARCH = "search"
    SETTINGS = "settings"


class AppAction(Message):
    """One of the app's own actions (``Go.CONTINUE``, ``Go.HISTORY``...); anything else is refused here."""

    def __init__(self, action: Go) -> None:
        if not isinstance(action, Go):
            raise TypeError(f"AppAction takes a Go, not {action!r}")
        super().__init__()
        self.action = action
