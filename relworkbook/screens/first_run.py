"""First run (and "Edit names and colours"): the two names, a colour each, the
safety information, and where the workbook file lives.

Dismisses with the saved ``Couple``, or None when editing is cancelled. On the
first run there is no cancel: the workbook needs the names to begin.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual import events
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, Vertical, VerticalScroll
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Button, Footer, Input, Label, Select, Static

from ..colour import rich_colour
from ..model import Couple
from .safety import support_text

# Colour names Textual and Rich both understand; distinct on dark and light themes.
PALETTE: tuple[tuple[str, str], ...] = (
    ("Blue", "royalblue"),
    ("Orange", "darkorange"),
    ("Green", "seagreen"),
    ("Pink", "orchid"),
    ("Red", "crimson"),
    ("Teal", "teal"),
    ("Gold", "goldenrod"),
    ("Purple", "mediumpurple"),
)
DEFAULT_COLOURS = {"a": "royalblue", "b": "darkorange"}
MAX_NAME = 40


class NameInput(Input):
    """A name box that keeps the part of a paste that fits and says the rest was left out.

    Textual's Input refuses a whole insertion that would pass ``max_length``,
    silently: a pasted long name would put nothing in the box.
    """

    class Clipped(Message):
        """Part of what was typed or pasted did not fit in the name."""

    def __init__(self, *args: Any, then: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.then = then  # the box Enter moves to; None: Enter submits

    async def _on_key(self, event: events.Key) -> None:
        # Textual hands each key to the box that had the keyboard when the app
        # read it, and a binding's effect (Enter moving on) comes later still:
        # keys typed fast behind an Enter ("Robin⏎Kai⏎") would reach the first
        # box. So Enter moves the keyboard at once, and a key that arrives here
        # after it moved is typed where it is now, in order.
        focused = self.screen.focused
        target = focused if focused is not self and isinstance(focused, NameInput) else self
        await target._typed(event)

    async def _typed(self, event: events.Key) -> None:
        if event.key == "enter":
            event.stop()
            event.prevent_default()
            if self.then:
                self.screen.set_focus(self.screen.query_one(self.then, Input))
            else:
                await self.action_submit()
            return
        await super()._on_key(event)

    def replace(self, text: str, start: int, end: int) -> None:
        if self.max_length:
            value = self.value
            low, high = sorted((max(0, start), min(len(value), end)))
            room = self.max_length - (len(value) - (high - low))
            if len(text) > room:
                text = text[: max(0, room)]
                self.post_message(self.Clipped())
                if not text and low == high:
                    return
        super().replace(text, start, end)


def colour_options(current: str | None = None) -> list[tuple[Text, str]]:
    """The palette, plus a colour saved earlier that is not in it (a demo's, say)."""
    choices = list(PALETTE)
    if current and current not in dict((v, k) for k, v in PALETTE) and rich_colour(current):
        choices.insert(0, ("Current colour", current))
    return [(Text.assemble(("██ ", rich_colour(value)), label), value) for label, value in choices]


def check_names(name_a: str, name_b: str, colour_a: Any, colour_b: Any) -> str:
    """The one-line problem with what was entered, or "" when it can be saved."""
    if not name_a or not name_b:
        return "Please type both names."
    if any(mark in name for name in (name_a, name_b) for mark in "[]"):
        # The screens read square brackets as styling: "Lee [work]" would show as "Lee ".
        return "Please leave out square brackets: the screens would lose what is inside them."
    if name_a.casefold() == name_b.casefold():
        return (
            "Both names are the same. Please make them different, or add an initial "
            f"(for example {name_a} R. and {name_b} T.), so it is always clear whose turn it is."
        )
    if colour_a == colour_b:
        return "Please pick two different colours, so it is always clear whose turn it is."
    return ""


class FirstRunScreen(Screen["Couple | None"]):
    DEFAULT_CSS = """
    #partners {
        height: auto;
    }
    .partner-form {
        width: 1fr;
        height: auto;
        margin: 0 1 0 0;
    }
    FirstRunScreen.-narrow #partners {
        layout: vertical;
    }
    FirstRunScreen.-narrow .partner-form {
        width: 100%;
        margin: 0;
    }
    #names-problem {
        display: none;
        color: $error;
        text-style: bold;
    }
    #names-problem.-shown {
        display: block;
    }
    """

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (60, "-wide")]
    BINDINGS = [Binding("escape", "cancel", "Cancel", id="names-cancel")]

    def __init__(self, *, first: bool = True) -> None:
        super().__init__()
        self.first = first

    def compose(self) -> ComposeResult:
        app: Any = self.app
        couple = app.store.get_couple()
        names = {"a": "", "b": ""}
        colours = dict(DEFAULT_COLOURS)
        if couple is not None:
            for partner in couple.partners:
                names[partner.key] = partner.name
                if rich_colour(partner.colour):
                    colours[partner.key] = partner.colour
        with VerticalScroll(id="first-run-body"):
            if self.first:
                yield Static("Welcome to your workbook", classes="screen-title")
                yield Static(
                    "Two of you, one keyboard. Short exercises, one step at a time. "
                    "Everything you write stays in one file on this computer.",
                    classes="paragraph",
                )
            else:
                yield Static("Names and colours", classes="screen-title")
            with Horizontal(id="partners"):
                for key, label in (("a", "First partner"), ("b", "Second partner")):
                    with Vertical(classes="partner-form"):
                        yield Label(label)
                        yield NameInput(
                            then="#name-b" if key == "a" else None,
                            value=names[key],
                            placeholder="Name",
                            max_length=MAX_NAME,
                            id=f"name-{key}",
                        )
                        yield Select(
                            colour_options(colours[key]),
                            value=colours[key],
                            allow_blank=False,
                            id=f"colour-{key}",
                        )
            yield Static("", id="names-problem")
            if self.first:
                yield Static(
                    "Enter in the second name begins; please read the safety note below first.",
                    classes="muted",
                )
            if self.first:
                catalog = app.catalog
                yield Static("Safety first: please read this together", classes="section-title")
                intro = catalog.support_intro
                if intro:
                    yield Static(intro, classes="paragraph", id="first-run-safety")
                yield Static(support_text(catalog), id="first-run-support")
                yield Static("This stays one key away: f3, at any time.", classes="muted")
                yield Static("Where your workbook lives", classes="section-title")
                yield Static(
                    Text.assemble(
                        (str(app.db_path), "bold"),
                        "\nOnly your user account can read it. Nothing is sent anywhere.",
                    ),
                    id="first-run-db",
                )
            with Horizontal(classes="dialog-buttons"):
                yield Button("Begin" if self.first else "Save", id="save", variant="primary")
                if not self.first:
                    yield Button("Cancel", id="cancel")
        yield Footer()

    def on_mount(self) -> None:
        self._focus_now("#name-a")

    def _focus_now(self, selector: str) -> None:
        """Move the keyboard at once: ``Widget.focus()`` waits for the queue, and keys
        typed fast behind an Enter ("Robin⏎Kai⏎") would still reach the first box."""
        self.set_focus(self.query_one(selector, Input))

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if event.input.id == "name-a":
            self._focus_now("#name-b")
        else:
            self.save()

    def on_name_input_clipped(self, event: NameInput.Clipped) -> None:
        event.stop()
        problem = self.query_one("#names-problem", Static)
        problem.update(f"A name can be at most {MAX_NAME} characters; the rest was left out.")
        problem.add_class("-shown")

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        if event.button.id == "save":
            self.save()
        else:
            self.action_cancel()

    def values(self) -> tuple[str, str, Any, Any]:
        return (
            self.query_one("#name-a", Input).value.strip(),
            self.query_one("#name-b", Input).value.strip(),
            self.query_one("#colour-a", Select).value,
            self.query_one("#colour-b", Select).value,
        )

    def save(self) -> None:
        name_a, name_b, colour_a, colour_b = self.values()
        problem = self.query_one("#names-problem", Static)
        message = check_names(name_a, name_b, colour_a, colour_b)
        if message:
            problem.update(message)
            problem.add_class("-shown")
            if not name_a:
                self._focus_now("#name-a")
            elif not name_b or name_a.casefold() == name_b.casefold():
                self._focus_now("#name-b")
            return
        problem.update("")
        problem.remove_class("-shown")
        try:
            couple = self.app.store.set_couple(name_a, str(colour_a), name_b, str(colour_b))  # type: ignore[attr-defined]
        except Exception as error:
            problem.update(f"Could not save the names: {error}")
            problem.add_class("-shown")
            return
        self.dismiss(couple)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "cancel" and self.first:
            return False  # nothing to go back to before the names are in
        return True

    def action_cancel(self) -> None:
        if not self.first:
            self.dismiss(None)
