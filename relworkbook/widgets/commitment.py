"""Something we will do: what, who (a, b or both), and an optional date."""

from __future__ import annotations

import datetime as dt
from typing import Any

from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, RadioButton, RadioSet, Static

from .base import PromptWidget
from .marks import MarkedRadioButton

OWNERS = ("a", "b", "both")
DATE_HELP = "Write the date as YYYY-MM-DD, for example 2026-03-31, or leave it empty."


def parse_due(text: str) -> tuple[str | None, str | None]:
    """(the date as YYYY-MM-DD or None, an error message or None)."""
    text = (text or "").strip()
    if not text:
        return None, None
    try:
        day = dt.date.fromisoformat(text)
    except ValueError:
        return None, f"'{text}' is not a date. {DATE_HELP}"
    if len(text) != 10:
        return None, f"'{text}' is not a date. {DATE_HELP}"
    return day.isoformat(), None


class CommitmentPrompt(PromptWidget):
    DEFAULT_CSS = """
    CommitmentPrompt {
        height: auto;
    }
    CommitmentPrompt > .row {
        height: auto;
    }
    CommitmentPrompt > .row > Label {
        width: 8;
        padding: 1 1 0 0;
        text-align: right;
        color: $text-muted;
    }
    CommitmentPrompt > .row > Input {
        width: 1fr;
    }
    CommitmentPrompt > .row > #due {
        width: 16;
    }
    CommitmentPrompt RadioSet {
        layout: horizontal;
        width: auto;
        height: auto;
    }
    CommitmentPrompt RadioSet > RadioButton {
        width: auto;
        margin-right: 2;
    }
    CommitmentPrompt RadioSet.-stacked {
        layout: vertical;
        width: 1fr;
    }
    CommitmentPrompt > #due-error {
        height: auto;
        color: $error;
        padding-left: 8;
    }
    """

    def __init__(self, prompt, **kwargs) -> None:
        super().__init__(prompt, **kwargs)
        default_owner = self.partner if self.partner in ("a", "b") else "both"
        self._what = ""
        self._owner = default_owner
        self._due_text = ""
        self._reported = self.value

    def on_resize(self) -> None:
        self.call_after_refresh(self._fit_owners)

    def _fit_owners(self) -> None:
        """The three owners side by side when they fit, else one a line (long names)."""
        radios = self.query_one("#owner", RadioSet)
        if not radios.has_class("-stacked"):
            self._owners_width = radios.outer_size.width
        room = self.content_size.width - 8  # less the "Who" label
        radios.set_class(getattr(self, "_owners_width", 0) > room, "-stacked")

    def compose(self) -> ComposeResult:
        with Horizontal(classes="row"):
            yield Label("What")
            yield Input(self._what, placeholder="what you will do", id="what")
        with Horizontal(classes="row"):
            yield Label("Who")
            with RadioSet(id="owner"):
                for key in OWNERS:
                    # ● on the chosen owner, ○ on the others: not told by colour alone.
                    yield MarkedRadioButton(self.partner_name(key), value=key == self._owner, id=f"owner-{key}")
        with Horizontal(classes="row"):
            yield Label("By")
            yield Input(self._due_text, placeholder="YYYY-MM-DD", id="due", max_length=10)
            yield Static(" optional", classes="hint")
        yield Static("", id="due-error")

    def on_mount(self) -> None:
        # RadioSet highlights its first button on mount; start on the owner already chosen.
        self.query_one("#owner", RadioSet)._selected = OWNERS.index(self._owner)

    @property
    def value(self) -> dict[str, Any]:
        due, _ = parse_due(self._due_text)
        return {"what": self._what, "owner": self._owner, "due": due}

    @property
    def error(self) -> str | None:
        return parse_due(self._due_text)[1]

    def set_value(self, value: Any) -> None:
        given = value if isinstance(value, dict) else {}
        self._what = str(given.get("what") or "")
        owner = given.get("owner")
        if owner in OWNERS:
            self._owner = owner
        self._due_text = str(given.get("due") or "")
        self._loaded(self.value)
        if self.is_mounted:
            what = self.query_one("#what", Input)
            if what.value != self._what:
                what.value = self._what
            due = self.query_one("#due", Input)
            if due.value != self._due_text:
                due.value = self._due_text
            self.query_one(f"#owner-{self._owner}", RadioButton).value = True
            self._show_error()

    def _show_error(self) -> None:
        self.query_one("#due-error", Static).update(self.error or "")

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if event.input.id == "what":
            self._what = event.value
        elif event.input.id == "due":
            self._due_text = event.value
            self._show_error()
        self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "what":
            self.query_one("#owner", RadioSet).focus()

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        button_id = event.pressed.id or ""
        key = button_id.removeprefix("owner-")
        if key in OWNERS:
            self._owner = key
            self._changed()
