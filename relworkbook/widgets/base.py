"""The shared shape of every prompt widget: a ``value``, ``set_value`` and a ``Changed`` message.

A prompt widget knows one prompt type and nothing about the store: the exercise
screen loads a saved value with ``set_value`` and saves whatever ``Changed``
carries. ``set_value`` never posts ``Changed`` (loading is not typing), and
``Changed`` is posted only when the value really differs from the last one.
"""

from __future__ import annotations

from typing import Any

from textual.message import Message
from textual.widget import NoScreen, Widget

from ..model import Couple, Prompt, partner_name


class PromptWidget(Widget):
    """Base class: subclasses implement ``value``, ``set_value`` and compose."""

    DEFAULT_CSS = """
    PromptWidget {
        height: auto;
        width: 1fr;
    }
    """

    class Changed(Message):
        """The answer changed because the person at the keys changed it."""

        def __init__(self, widget: "PromptWidget", value: Any) -> None:
            super().__init__()
            self.widget = widget
            self.value = value

        @property
        def control(self) -> "PromptWidget":
            return self.widget

    def __init__(
        self,
        prompt: Prompt,
        *,
        partner: str = "a",
        couple: Couple | None = None,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.prompt = prompt
        self.partner = partner
        self.couple = couple
        # The last value loaded or reported: child widgets report some changes
        # asynchronously (a loaded TextArea posts Changed later), so compare
        # rather than suppress.
        self._reported: Any = None

    @property
    def value(self) -> Any:  # pragma: no cover - every subclass overrides
        raise NotImplementedError

    def set_value(self, value: Any) -> None:  # pragma: no cover
        raise NotImplementedError

    @property
    def error(self) -> str | None:
        """A one-line problem that should stop "next" (e.g. a bad date), else None."""
        return None

    def focus_first(self) -> None:
        """Put the keyboard in the first control, at once.

        Not ``Widget.focus()``, which waits for the app's queue: keys already
        typed would reach whatever had focus before (the Next button, where a
        space presses it).
        """
        target = next((w for w in self.query("*") if w.focusable), self if self.focusable else None)
        if target is None:
            return
        try:
            self.screen.set_focus(target)
        except NoScreen:
            target.focus()

    def partner_name(self, key: str) -> str:
        return partner_name(self.couple, key if key in ("a", "b", "both") else "together")

    def _loaded(self, value: Any) -> None:
        """Call at the end of ``set_value``."""
        self._reported = value

    def _changed(self) -> None:
        value = self.value
        if value != self._reported:
            self._reported = value
            self.post_message(self.Changed(self, value))
