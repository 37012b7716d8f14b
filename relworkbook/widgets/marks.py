"""Choices whose state shows in the mark itself, not only in its colour.

Textual's radio button and selection list draw the same mark whether on or
off and tell the two apart by colour, which a monochrome terminal, NO_COLOR or
colour blindness loses. Here the chosen radio button has a filled dot and the
others an empty ring, and a ticked item a tick where an unticked one has none.
"""

from __future__ import annotations

from typing import Generic, TypeVar

from rich.segment import Segment
from textual.strip import Strip
from textual.widgets import RadioButton, SelectionList
from textual.widgets._option_list import OptionDoesNotExist
from textual.widgets._toggle_button import ToggleButton

ON_DOT, OFF_DOT = "\u25cf", "\u25cb"  # ● ○
TICK, NO_TICK = "\u2713", " "  # ✓


class MarkedRadioButton(RadioButton):
    """A radio button whose mark is ● when chosen and ○ when not."""

    @property
    def BUTTON_INNER(self) -> str:  # type: ignore[override]  # noqa: N802 - Textual's name
        return ON_DOT if self.value else OFF_DOT


SelectionType = TypeVar("SelectionType")


class MarkedSelectionList(SelectionList[SelectionType], Generic[SelectionType]):
    """A selection list whose ticked items show ✓ and unticked ones nothing."""

    def render_line(self, y: int) -> Strip:
        strip = super().render_line(y)
        _, scroll_y = self.scroll_offset
        try:
            option = self.get_option_at_index(scroll_y + y)
        except OptionDoesNotExist:
            return strip
        mark = TICK if option.value in self._selected else NO_TICK
        segments = list(strip)
        if len(segments) > 1 and segments[1].text == ToggleButton.BUTTON_INNER:
            segments[1] = Segment(mark, segments[1].style, segments[1].control)
            return Strip(segments, strip.cell_length)
        return strip
