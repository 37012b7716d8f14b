"""A free-text answer: a multi-line TextArea, saved as typed."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.geometry import Region
from textual.strip import Strip
from textual.widgets import TextArea

from .base import PromptWidget


class AnswerArea(TextArea):
    """A TextArea that draws blank, rather than crash, when asked to draw without its styles.

    Textual 8.2 can draw a TextArea on a timer tick (the exercise's clock)
    just before its component styles are resolved or just after it was
    removed (moving on to the next prompt), and then raises KeyError
    "text-area--gutter" (textual#6528): the app would stop with a traceback.
    The next refresh draws it properly.
    """

    def render_lines(self, crop: Region) -> list[Strip]:
        try:
            return super().render_lines(crop)
        except KeyError:
            return [Strip.blank(crop.width)] * crop.height


class TextPrompt(PromptWidget):
    DEFAULT_CSS = """
    TextPrompt {
        height: auto;
    }
    TextPrompt > TextArea {
        height: auto;
        min-height: 5;
        max-height: 12;
        border: tall $border-blurred;
    }
    TextPrompt > TextArea:focus {
        border: tall $border;
    }
    """

    def __init__(self, prompt, **kwargs) -> None:
        super().__init__(prompt, **kwargs)
        self._text = ""
        self._reported = ""

    def compose(self) -> ComposeResult:
        area = AnswerArea(self._text, soft_wrap=True, show_line_numbers=False, tab_behavior="focus")
        area.placeholder = "Write here..."
        yield area

    @property
    def value(self) -> str:
        return self._text

    def set_value(self, value: Any) -> None:
        self._text = "" if value is None else str(value)
        self._loaded(self._text)
        if self.is_mounted:
            area = self.query_one(TextArea)
            if area.text != self._text:
                area.load_text(self._text)
                area.move_cursor(area.document.end)

    def on_text_area_changed(self, event: TextArea.Changed) -> None:
        event.stop()
        self._text = event.text_area.text
        self._changed()
