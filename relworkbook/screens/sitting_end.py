"""The end of a sitting: its recap, read back once before leaving.

``SittingEndScreen`` is a ``RecapScreen`` (screens/recap.py) built from
``recap.build_recap``; if the recap cannot be made, a plain summary of the
answers stands in (private ones only once revealed). ``recap_text`` is the
plain-text recap for anything that wants one.
"""

from __future__ import annotations

from typing import Any

from textual.binding import Binding

from ..model import TOGETHER
from .recap import RecapScreen


def recap_text(store: Any, catalog: Any, sitting_id: int, width: int = 80) -> str:
    """The recap of one sitting as plain text, ``width`` columns wide where it can be."""
    try:
        from ..recap import build_recap, render_text
    except ImportError:
        return plain_summary(store, catalog, sitting_id)
    try:
        return render_text(build_recap(store, catalog, sitting_id), width=max(30, width))
    except TypeError:  # a render_text without a width
        return render_text(build_recap(store, catalog, sitting_id))


def plain_summary(store: Any, catalog: Any, sitting_id: int) -> str:
    sitting = store.get_sitting(sitting_id)
    if sitting is None:
        return "This sitting is not in the workbook."
    couple = store.get_couple()

    def name(key: str) -> str:
        if couple is None:
            return "Together" if key == TOGETHER else key
        return couple.name(key)

    who = " and ".join(name(k) for k in sitting.attendees) or "nobody recorded"
    lines = [
        f"Sitting of {sitting.started.replace('T', ' ')[:16]}",
        f"Who was there: {who}",
        f"How long: {sitting.minutes} minutes",
        "",
    ]
    answers = store.answers_for_sitting(sitting_id)
    if not answers:
        lines.append("Nothing was answered in this sitting.")
        return "\n".join(lines)
    order = list(sitting.exercises) or list(dict.fromkeys(a.exercise_id for a in answers))
    for exercise_id in order:
        exercise = catalog.exercise(exercise_id)
        mine = [a for a in answers if a.exercise_id == exercise_id]
        lines.append(exercise.title if exercise else exercise_id)
        prompt_ids = [p.id for p in exercise.prompts] if exercise else []
        prompt_ids += [a.prompt_id for a in mine if a.prompt_id not in prompt_ids]
        for prompt_id in prompt_ids:
            given = [a for a in mine if a.prompt_id == prompt_id]
            if not given:
                continue
            prompt = exercise.prompt(prompt_id) if exercise else None
            lines.append(f"  {prompt.text if prompt else prompt_id}")
            for answer in given:
                if answer.private and not answer.revealed:
                    shown = "(private; shown once you both agree to reveal)"
                else:
                    shown = (answer.text or "").strip() or "(left blank)"
                lines.append(f"    {name(answer.partner)}: {shown}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


class SittingEndScreen(RecapScreen):
    """The recap, shown once as a sitting ends; Enter or Escape goes Home."""

    BINDINGS = [Binding("escape,enter", "close", "Home", id="sitting-end-close")]

    title_text = "Sitting ended"
    close_label = "Back to Home"

    def __init__(self, sitting_id: int, store: Any = None, catalog: Any = None, couple: Any = None) -> None:
        super().__init__(store, catalog, couple, sitting_id)

    def load(self) -> None:
        app: Any = self.app
        # Read at compose time: the app's store, catalogue and names.
        if self.store is None:
            self.store = app.store
        if self.catalog is None:
            self.catalog = app.catalog
        if self.couple is None:
            self.couple = getattr(app, "couple", None)
        super().load()

    def note(self) -> str:
        return "Everything is saved. s saves this recap as HTML and Markdown."

    def fallback(self) -> str:
        # Without a recap, still show what was written (private answers kept hidden).
        try:
            summary = plain_summary(self.store, self.catalog, self.sitting_id)
        except Exception as error:
            summary = f"The sitting is saved, but its summary could not be made: {error}"
        return f"{self.problem}\n\n{summary}" if self.problem else summary

    def action_close(self) -> None:
        self.app.pop_screen()
