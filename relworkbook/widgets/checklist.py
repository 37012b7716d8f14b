"""Any number of options: a SelectionList (space or a click ticks); a ticked item shows ✓."""

from __future__ import annotations

from typing import Any

from textual.app import ComposeResult
from textual.widgets import SelectionList

from .base import PromptWidget
from .marks import MarkedSelectionList


class ChecklistPrompt(PromptWidget):
    DEFAULT_CSS = """
    ChecklistPrompt {
        height: auto;
    }
    ChecklistPrompt > SelectionList {
        height: auto;
        max-height: 14;
    }
    """

    def __init__(self, prompt, **kwargs) -> None:
        super().__init__(prompt, **kwargs)
        self._checked: list[str] = []
        self._reported = []

    def compose(self) -> ComposeResult:
        yield MarkedSelectionList[int](
            *[(option, index, option in self._checked) for index, option in enumerate(self.prompt.options)]
        )

    @property
    def value(self) -> list[str]:
        return list(self._checked)

    def set_value(self, value: Any) -> None:
        wanted = set(value or [])
        self._checked = [o for o in self.prompt.options if o in wanted]
        self._loaded(self.value)
        if self.is_mounted:
            # The list reports this back; ``_changed`` sees nothing new.
            selection = self.query_one(SelectionList)
            selection.deselect_all()
            for index, option in enumerate(self.prompt.options):
                if option in wanted:
                    selection.select(index)

    def on_selection_list_selected_changed(self, event: SelectionList.SelectedChanged) -> None:
        event.stop()
        chosen = set(event.selection_list.selected)
        self._checked = [o for i, o in enumerate(self.prompt.options) if i in chosen]
        self._changed()
