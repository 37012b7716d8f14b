"""Blanks in a sentence: one Input per blank, the sentence shown live as it fills."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.widgets import Input, Label, Static

from ..model import BLANK_RE
from .base import PromptWidget


def fill_template(template: str, values: dict[str, str]) -> Text:
    """The sentence with what was written so far; empty blanks show their name."""
    out = Text()
    pos = 0
    for match in BLANK_RE.finditer(template):
        out.append(template[pos : match.start()])
        name = match.group(1).strip()
        written = (values.get(name) or "").strip()
        if written:
            out.append(written, style="bold")
        else:
            out.append(f"[{name}]", style="dim")
        pos = match.end()
    out.append(template[pos:])
    return out


class TemplatePrompt(PromptWidget):
    DEFAULT_CSS = """
    TemplatePrompt {
        height: auto;
    }
    TemplatePrompt > #sentence {
        height: auto;
        padding: 0 1;
        margin-bottom: 1;
        border-left: thick $accent;
        background: $boost;
    }
    TemplatePrompt > .blank-row {
        height: auto;
    }
    TemplatePrompt > .blank-row > Label {
        width: 14;
        padding: 1 1 0 0;
        text-align: right;
        color: $text-muted;
    }
    TemplatePrompt > .blank-row > Input {
        width: 1fr;
    }
    """

    def __init__(self, prompt, **kwargs) -> None:
        super().__init__(prompt, **kwargs)
        self._values: dict[str, str] = {name: "" for name in prompt.blanks}
        self._reported = dict(self._values)

    def compose(self) -> ComposeResult:
        yield Static(fill_template(self.prompt.template, self._values), id="sentence")
        for index, name in enumerate(self.prompt.blanks):
            with Horizontal(classes="blank-row"):
                yield Label(name)
                yield Input(self._values.get(name, ""), placeholder=name, id=f"blank-{index}")

    @property
    def value(self) -> dict[str, str]:
        return dict(self._values)

    def set_value(self, value: Any) -> None:
        given = value if isinstance(value, dict) else {}
        self._values = {name: str(given.get(name) or "") for name in self.prompt.blanks}
        self._loaded(self.value)
        if self.is_mounted:
            for index, name in enumerate(self.prompt.blanks):
                box = self.query_one(f"#blank-{index}", Input)
                if box.value != self._values[name]:
                    box.value = self._values[name]
            self._show_sentence()

    def _show_sentence(self) -> None:
        self.query_one("#sentence", Static).update(fill_template(self.prompt.template, self._values))

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        index = int((event.input.id or "blank-0").split("-")[1])
        self._values[self.prompt.blanks[index]] = event.value
        self._show_sentence()
        self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        # Enter moves to the next blank, as a form would.
        event.stop()
        index = int((event.input.id or "blank-0").split("-")[1])
        if index + 1 < len(self.prompt.blanks):
            self.query_one(f"#blank-{index + 1}", Input).focus()
