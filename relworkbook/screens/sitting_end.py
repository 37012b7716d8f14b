"""The end of a sitting: what was done, read back once before leaving.

Uses ``recap.build_recap`` and ``recap.render_text`` when the recap module is
there; otherwise a plain summary of the answers (private ones only once
revealed).
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ..model import TOGETHER


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


class SittingEndScreen(Screen[None]):
    BINDINGS = [Binding("escape,enter", "close", "Home", id="sitting-end-close")]

    def __init__(self, sitting_id: int) -> None:
        super().__init__()
        self.sitting_id = sitting_id

    def compose(self) -> ComposeResult:
        app: Any = self.app
        try:
            body = recap_text(app.store, app.catalog, self.sitting_id, width=app.size.width - 4)
        except Exception as error:  # a recap problem must not hide that the sitting ended
            body = f"The sitting is saved, but its summary could not be made: {error}"
        with VerticalScroll(id="sitting-end-body"):
            yield Static("Sitting ended", classes="screen-title")
            yield Static(
                "Everything is saved. To print this later: relworkbook recap --last",
                classes="muted",
            )
            yield Static(Text(body), id="recap")
            with Horizontal(classes="dialog-buttons"):
                yield Button("Back to Home", id="home", variant="primary")
        yield Footer()

    def on_mount(self) -> None:
        # Focus the text, not the button, so the top of the recap stays in view.
        self.query_one("#sitting-end-body").focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_close()

    def action_close(self) -> None:
        self.app.pop_screen()
