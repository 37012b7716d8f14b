"""Exactly one option: a RadioSet (arrows and enter or space, or a click); the chosen one is ●, the others ○."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import RadioButton, RadioSet

from .base import PromptWidget
from .marks import MarkedRadioButton


class ChoicePrompt(PromptWidget):
    DEFAULT_CSS = """
    ChoicePrompt {
        height: auto;
    }
    ChoicePrompt > RadioSet {
        width: 1fr;
        height: auto;
    }
    """

    def __init__(self, prompt, **kwargs) -> None:
        super().__init__(prompt, **kwargs)
        self._choice: str | None = None

    def compose(self) -> ComposeResult:
        with RadioSet():
            for option in self.prompt.options:
                yield MarkedRadioButton(option, value=option == self._choice)

    @property
    def value(self) -> str | None:
        return self._choice

    def set_value(self, value: Any) -> None:
        self._choice = value if value in self.prompt.options else None
        self._loaded(self._choice)
        if self.is_mounted:
            # The RadioSet reports this back; ``_changed`` sees nothing new.
            radio = self.query_one(RadioSet)
            for button, option in zip(radio.query(RadioButton), self.prompt.options):
                if option == self._choice:
                    button.value = True
            if self._choice is None:
                for button in radio.query(RadioButton):
                    button.value = False

    def on_radio_set_changed(self, event: RadioSet.Changed) -> None:
        event.stop()
        index = event.index
        if 0 <= index < len(self.prompt.options):
            self._choice = self.prompt.options[index]
            self._changed()
