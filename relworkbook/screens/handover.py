"""Hand-over and reveal, for private prompts at one keyboard.

``HandoverScreen`` fills the whole terminal (nothing of the previous answer
shows through) and names who takes the keys and who looks away; it returns
True when that partner is ready, False to go back.

``RevealScreen`` asks both partners to agree, one confirmation each; only when
both have agreed does it call ``store.reveal`` for every prompt it holds (a
whole run of private prompts at once) and show each prompt with the two answers
side by side. It returns True if revealed, False for "not now" (the answers
stay hidden).
"""

from __future__ import annotations

from typing import Any, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from textual.widgets import Button, Footer, Static

from ..model import Couple, Prompt, is_locked
from ..widgets.answer_view import format_answer, shorten
from ..widgets.badge import PartnerBadge


def _name(couple: Couple | None, key: str) -> str:
    if couple is None:
        return {"a": "Partner A", "b": "Partner B"}.get(key, key)
    return couple.name(key)


class HandoverScreen(Screen[bool]):
    BINDINGS = [
        Binding("enter", "ready", "Ready", id="handover.ready"),
        Binding("escape", "back", "Back", id="handover.back"),
    ]

    DEFAULT_CSS = """
    HandoverScreen {
        align: center middle;
        background: $background;
    }
    HandoverScreen > #box {
        width: 60;
        max-width: 100%;
        height: auto;
        padding: 1 2;
        border: round $primary;
        background: $panel;
    }
    HandoverScreen #box > * {
        width: 1fr;
        height: auto;
        text-align: center;
        content-align: center middle;
    }
    HandoverScreen #box > Center {
        margin-bottom: 1;
    }
    HandoverScreen #handover-text {
        text-style: bold;
        margin-bottom: 1;
    }
    HandoverScreen #handover-note {
        color: $text-muted;
        margin-bottom: 1;
    }
    HandoverScreen #box > Horizontal {
        height: auto;
        align: center middle;
    }
    HandoverScreen Button {
        margin: 0 1;
    }
    """

    def __init__(
        self, couple: Couple | None, partner: str, *, others_present: bool = True, count: int = 1
    ) -> None:
        super().__init__()
        self.couple = couple
        self.partner = partner
        self.others_present = others_present
        self.count = max(1, int(count))  # private questions this partner answers in a row

    def compose(self) -> ComposeResult:
        other = "b" if self.partner == "a" else "a"
        name, other_name = _name(self.couple, self.partner), _name(self.couple, other)
        several = self.count > 1
        if self.others_present:
            text = f"{name}, please take the keyboard. {other_name}, please look away."
            if several:
                text += f"\n{self.count} private questions, one after another."
        elif several:
            text = f"{name}, the next {self.count} answers are private. They stay hidden until you both agree to reveal them."
        else:
            text = f"{name}, this answer is private. It stays hidden until you both agree to reveal it."
        note = (
            "Each answer disappears from the screen once you go on; Back returns to your own."
            if several
            else "Your answer disappears from the screen once you finish it."
        )
        with Vertical(id="box"):
            with Center():
                badge = PartnerBadge(self.couple, id="handover-badge")
                badge.show(self.partner)
                yield badge
            yield Static(text, id="handover-text")
            yield Static(note, id="handover-note")
            with Horizontal():
                yield Button(f"I'm {name}, ready (Enter)", id="ready", variant="primary")
                yield Button("Back (Esc)", id="back")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#ready", Button).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "ready")

    def action_ready(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


class RevealScreen(Screen[bool]):
    """Both partners agree, then the private answers show side by side."""

    BINDINGS = [
        # The buttons carry the names; the footer keeps to the keys that are not on them.
        Binding("1", "agree('a')", "First partner agrees", show=False, id="reveal.agree_a"),
        Binding("2", "agree('b')", "Second partner agrees", show=False, id="reveal.agree_b"),
        Binding("escape", "later", "Not now", id="reveal.later"),
        Binding("enter", "done", "Continue", id="reveal.done"),
    ]

    DEFAULT_CSS = """
    RevealScreen {
        background: $background;
    }
    RevealScreen > #reveal-box {
        padding: 1 2 0 2;
        height: 1fr;
    }
    RevealScreen #reveal-title {
        height: auto;
        text-style: bold;
        margin-bottom: 1;
    }
    RevealScreen #agree-row, RevealScreen #after-row {
        height: auto;
        margin-bottom: 1;
    }
    RevealScreen #agree-row Button, RevealScreen #after-row Button {
        margin-right: 1;
    }
    RevealScreen #side-by-side {
        height: 1fr;
    }
    RevealScreen #side-by-side > .reveal-prompt {
        height: auto;
        text-style: bold;
        margin-top: 1;
    }
    RevealScreen #side-by-side > .row {
        height: auto;
    }
    RevealScreen .column {
        width: 1fr;
        height: auto;
        padding: 0 1;
    }
    RevealScreen .column > Static {
        height: auto;
    }
    """

    def __init__(
        self,
        store: Any,
        couple: Couple | None,
        prompts: Prompt | Sequence[Prompt],
        sitting_id: int,
        exercise_id: str,
        answers: dict[str, Any],
    ) -> None:
        """``prompts``: one prompt or a run of them; ``answers``: prompt id -> partner -> value
        (for a single prompt, partner -> value also works)."""
        super().__init__()
        self.store = store
        self.couple = couple
        if isinstance(prompts, Prompt):
            prompts = [prompts]
            if answers and set(answers) <= {"a", "b"}:
                answers = {prompts[0].id: answers}
        self.prompts: list[Prompt] = list(prompts)
        self.sitting_id = sitting_id
        self.exercise_id = exercise_id
        self.answers: dict[str, dict[str, Any]] = answers  # prompt id -> partner -> value
        self.agreed: set[str] = set()
        # Opened locks of partners who typed their passphrase to agree: in memory,
        # for this reveal only.
        self.keys: dict[str, Any] = {}
        self.revealed = False

    def compose(self) -> ComposeResult:
        if len(self.prompts) == 1:
            title = (
                f"Both private answers are in: \u201c{self.prompts[0].text}\u201d\n"
                "They are shown only when you both agree."
            )
        else:
            title = (
                f"You have both answered {len(self.prompts)} private questions.\n"
                "Your answers are shown only when you both agree."
            )
        with Vertical(id="reveal-box"):
            yield Static(title, id="reveal-title")
            with Horizontal(id="agree-row"):
                for key, number in (("a", 1), ("b", 2)):
                    yield Button(f"{_name(self.couple, key)} agrees ({number})", id=f"agree-{key}")
                yield Button("Not now (Esc)", id="later")
            with Horizontal(id="after-row"):
                yield Button("Continue (Enter)", id="continue", variant="primary")
            yield VerticalScroll(id="side-by-side")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#after-row").display = False
        self.query_one("#agree-a", Button).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("agree", "later"):
            return not self.revealed
        if action == "done":
            return self.revealed
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        if button.startswith("agree-"):
            self.action_agree(button.removeprefix("agree-"))
        elif button == "later":
            self.action_later()
        elif button == "continue":
            self.action_done()

    def _needs_key(self, partner: str) -> bool:
        return partner not in self.keys and any(
            is_locked(self.answers.get(prompt.id, {}).get(partner)) for prompt in self.prompts
        )

    def action_agree(self, partner: str) -> None:
        if self.revealed or partner in self.agreed:
            return
        if self._needs_key(partner):
            # A locked partner agrees by typing their passphrase, on their own turn.
            from .locks import PassphraseScreen

            def opened(unlocked: Any) -> None:
                if unlocked is not None:
                    self.keys[partner] = unlocked
                    self.action_agree(partner)

            self.app.push_screen(
                PassphraseScreen(
                    self.store, self.couple, partner,
                    why="Your answers here are locked: your passphrase reveals them.",
                ),
                callback=opened,
            )
            return
        self.agreed.add(partner)
        button = self.query_one(f"#agree-{partner}", Button)
        button.label = f"{_name(self.couple, partner)} agreed"
        button.disabled = True
        if self.agreed >= {"a", "b"}:
            self._reveal()
        else:
            other = "b" if partner == "a" else "a"
            self.query_one(f"#agree-{other}", Button).focus()

    def _reveal(self) -> None:
        from ..store import WorkbookError

        try:
            with self.store.transaction():
                for prompt in self.prompts:
                    self.store.reveal(self.sitting_id, self.exercise_id, prompt.id, keys=self.keys)
        except WorkbookError as error:
            self.keys.clear()
            self.notify(str(error).splitlines()[0], title="Not revealed", severity="error")
            self.dismiss(False)
            return
        self.keys.clear()
        # Locked answers are plain now: show them as stored.
        for prompt in self.prompts:
            given = self.answers.setdefault(prompt.id, {})
            for key in ("a", "b"):
                if is_locked(given.get(key)):
                    answer = self.store.find_answer(self.sitting_id, self.exercise_id, prompt.id, key)
                    given[key] = answer.value if answer is not None else None
        self.revealed = True
        self.query_one("#agree-row").display = False
        self.query_one("#after-row").display = True
        area = self.query_one("#side-by-side", VerticalScroll)
        parts: list[Any] = []
        several = len(self.prompts) > 1
        for prompt in self.prompts:
            if several:
                parts.append(Static(prompt.text, classes="reveal-prompt"))
            given = self.answers.get(prompt.id, {})
            columns = []
            for key in ("a", "b"):
                badge = PartnerBadge(self.couple)
                badge.show(key)
                answer = shorten(format_answer(prompt, given.get(key), self.couple, out_of=True))
                columns.append(Vertical(badge, Static(answer), classes="column"))
            parts.append(Horizontal(*columns, classes="row"))
        area.mount_all(parts)
        self.query_one("#continue", Button).focus()
        self.refresh_bindings()

    def action_later(self) -> None:
        self.keys.clear()
        self.dismiss(False)

    def action_done(self) -> None:
        self.dismiss(True)
