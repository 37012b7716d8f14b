"""What a screen asks of the app: the cross-screen intents, as Textual Messages.

A screen posts one (it bubbles up to the app) and the app handles it with an
``@on`` handler; nobody probes another object with ``getattr`` or decodes
strings across screens.
"""

from __future__ import annotations

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


class AppAction(Message):
    """One of the app's own actions by name (``continue``, ``next``, ``checkin``, ``history``...)."""

    def __init__(self, action: str) -> None:
        super().__init__()
        self.action = action
