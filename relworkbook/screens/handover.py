"""Hand-over and reveal, for private prompts at one keyboard.

``HandoverScreen`` fills the whole terminal (nothing of the previous answer
shows through) and names who takes the keys and who looks away; it returns
True when that partner is ready, False to go back.

``RevealScreen`` draws a ``sitting.Reveal``: each partner agrees on their own
(one key each); before agreeing, a partner may keep some of their own answers
"just for me" (``KeepScreen``, on their own turn at the keys; the other sees where
an answer was kept back, never its words). Only when both have agreed does the ``Reveal`` write the reveal,
and the screen shows each prompt with the shown answers side by side. It returns
True if revealed, False for "not now" (the answers stay hidden; the screen does
not say who chose it).
"""

from __future__ import annotations

from typing import Any, Sequence

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Center, Horizontal, Vertical, VerticalScroll
from textual.screen import Screen
from rich.text import Text
from textual.widgets import Button, Footer, SelectionList, Static

from ..model import Couple, partner_name
from ..sitting import Reveal
from ..trends import LOW_ITEM, is_low
from ..widgets.answer_view import format_answer, shorten
from ..widgets.badge import PartnerBadge
from ..widgets.marks import MarkedSelectionList
from .private import ShowsPrivate


_name = partner_name


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
    /* The name in the middle of its badge, so in the middle of the box. */
    HandoverScreen #handover-badge {
        text-align: center;
    }
    /* Small terminals: the whole box on screen (it was taller than 40x12 and
       the screen scrolled the name out of sight), one one-line button a row. */
    HandoverScreen.-small > #box {
        padding: 0 1;
        max-height: 100%;
        overflow-y: auto;
    }
    HandoverScreen.-small #handover-text {
        margin-bottom: 0;
    }
    HandoverScreen.-small #box > Horizontal {
        layout: vertical;
    }
    HandoverScreen.-small Button {
        width: 100%;
        margin: 0;
    }
    HandoverScreen.-tiny #handover-note {
        display: none;
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
        self._fit()
        self.query_one("#ready", Button).focus()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Below 60x20 the box sheds its spacing and the buttons their borders; below 16 rows
        the note goes too (the buttons say what the keys do), so the name stays in sight."""
        width, height = self.app.size
        small = width < 60 or height < 20
        self.set_class(small, "-small")
        self.set_class(height < 16, "-tiny")
        for button in self.query(Button).results(Button):
            button.compact = small

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.dismiss(event.button.id == "ready")

    def action_ready(self) -> None:
        self.dismiss(True)

    def action_back(self) -> None:
        self.dismiss(False)


class KeepScreen(ShowsPrivate, Screen["set[str] | None"]):
    """One partner, alone at the keys, chooses which of their answers to keep just for them.

    Which ones are ticked is theirs alone while ticking: no screenshot
    is taken of it, and a break over it ends on a look-away screen (``ShowsPrivate``).
    """

    BINDINGS = [
        Binding("ctrl+s,f10", "done", "Done", id="keep.done"),
        Binding("escape", "back", "Back", id="keep.back"),
    ]

    DEFAULT_CSS = """
    KeepScreen { background: $background; padding: 1 2; }
    KeepScreen > Static { height: auto; margin-bottom: 1; }
    KeepScreen > #keep-title { text-style: bold; }
    KeepScreen > SelectionList { height: auto; max-height: 12; margin-bottom: 1; }
    KeepScreen > Horizontal { height: auto; }
    KeepScreen Button { margin-right: 1; }
    """

    def __init__(self, couple: Couple | None, partner: str, prompts: list[tuple[str, str]], kept: set[str]) -> None:
        super().__init__()
        self.couple = couple
        self.partner = partner
        self.prompts = prompts  # (prompt id, text)
        self.kept = set(kept)

    def private_owner(self) -> str | None:
        return self.partner

    def compose(self) -> ComposeResult:
        name = _name(self.couple, self.partner)
        other = _name(self.couple, "b" if self.partner == "a" else "a")
        yield Static(f"{name}, this is for you alone. {other}, please look away.", id="keep-title")
        yield Static(
            f"Tick any answer to keep just for you: its words are never shown. {other} will see that "
            "an answer was kept back where it would have been, never what it says. "
            "Space ticks; Done (ctrl+s) when you are finished.",
        )
        # ✓ on a kept answer, nothing on the others: not told by colour alone.
        yield MarkedSelectionList[str](*[(text, pid, pid in self.kept) for pid, text in self.prompts], id="keep-list")
        with Horizontal():
            yield Button("Done (ctrl+s)", id="keep-done", variant="primary")
            yield Button("Back (Esc)", id="keep-back")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one(SelectionList).focus()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_done() if event.button.id == "keep-done" else self.action_back()

    def action_done(self) -> None:
        self.dismiss(set(self.query_one(SelectionList).selected))

    def action_back(self) -> None:
        self.dismiss(None)


class RevealScreen(Screen[bool]):
    """Both partners agree, then the private answers show side by side."""

    BINDINGS = [
        # The buttons carry the names; the footer keeps to the keys that are not on them.
        Binding("1", "agree('a')", "First partner agrees", show=False, id="reveal.agree_a"),
        Binding("2", "agree('b')", "Second partner agrees", show=False, id="reveal.agree_b"),
        Binding("3", "keep('a')", "First partner keeps some just for them", show=False, id="reveal.keep_a"),
        Binding("4", "keep('b')", "Second partner keeps some just for them", show=False, id="reveal.keep_b"),
        Binding("escape", "later", "Not now", id="reveal.later"),
        Binding("enter", "done", "Continue", id="reveal.done"),
        # Once revealed, the answers scroll by keyboard whatever has focus (Continue has it):
        # a button takes none of these keys. The footer names them once.
        Binding("down", "scroll_answers('down')", "Scroll", key_display="\u2191\u2193",
                tooltip="Scroll the answers down a line", id="reveal.scroll_down"),
        Binding("up", "scroll_answers('up')", "Scroll the answers up a line", show=False, id="reveal.scroll_up"),
        Binding("pagedown", "scroll_answers('page_down')", "Scroll the answers down a page", show=False,
                key_display="PgDn", id="reveal.page_down"),
        Binding("pageup", "scroll_answers('page_up')", "Scroll the answers up a page", show=False,
                key_display="PgUp", id="reveal.page_up"),
        Binding("home", "scroll_answers('home')", "To the first answer", show=False, id="reveal.scroll_home"),
        Binding("end", "scroll_answers('end')", "To the last answer", show=False, id="reveal.scroll_end"),
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
    RevealScreen #agree-row, RevealScreen #keep-row, RevealScreen #after-row {
        height: auto;
        margin-bottom: 1;
    }
    RevealScreen #agree-row Button, RevealScreen #keep-row Button, RevealScreen #after-row Button {
        margin-right: 1;
    }
    RevealScreen #side-by-side {
        height: 1fr;
    }
    RevealScreen.-narrow #agree-row, RevealScreen.-narrow #keep-row {
        layout: vertical;
        margin-bottom: 0;
    }
    RevealScreen #side-by-side > .reveal-prompt {
        height: auto;
        text-style: bold;
        margin-top: 1;
    }
    RevealScreen #side-by-side > .total-line {
        height: auto;
    }
    RevealScreen #side-by-side > .kept-note {
        height: auto;
        color: $text-muted;
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

    def __init__(self, reveal: Reveal, couple: Couple | None) -> None:
        super().__init__()
        self.reveal = reveal
        self.couple = couple

    @property
    def prompts(self) -> list:
        return self.reveal.prompts

    @property
    def revealed(self) -> bool:
        return self.reveal.revealed

    @property
    def agreed(self) -> set[str]:
        return self.reveal.agreed

    @property
    def keys(self) -> dict[str, Any]:
        return self.reveal.keys

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
            with Horizontal(id="keep-row"):
                for key, number in (("a", 3), ("b", 4)):
                    yield Button(f"{_name(self.couple, key)}: keep some just for me ({number})", id=f"keep-{key}", compact=True)
            with Horizontal(id="after-row"):
                yield Button("Continue (Enter)", id="continue", variant="primary")
            yield VerticalScroll(id="side-by-side")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#after-row").display = False
        self.query_one("#agree-a", Button).focus()
        self._fit()

    def on_resize(self) -> None:
        self._fit()

    def _fit(self) -> None:
        """Narrow terminals: one button a line, each one line high, so every choice shows."""
        narrow = self.app.size.width < 70
        self.set_class(narrow, "-narrow")
        for button in self.query("#agree-row Button, #keep-row Button").results(Button):
            button.compact = narrow

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action in ("agree", "later", "keep"):
            return not self.revealed
        if action in ("done", "scroll_answers"):
            return self.revealed
        return True

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        button = event.button.id or ""
        if button.startswith("agree-"):
            self.action_agree(button.removeprefix("agree-"))
        elif button.startswith("keep-"):
            self.action_keep(button.removeprefix("keep-"))
        elif button == "later":
            self.action_later()
        elif button == "continue":
            self.action_done()

    def action_keep(self, partner: str) -> None:
        if self.revealed or partner in self.reveal.agreed:
            return
        prompts = [(p.id, p.text) for p in self.prompts]

        def chosen(kept: set[str] | None) -> None:
            if kept is None:
                return
            for prompt in self.prompts:
                self.reveal.keep(partner, prompt.id, prompt.id in kept)

        self.app.push_screen(KeepScreen(self.couple, partner, prompts, self.reveal.kept[partner]), callback=chosen)

    def action_agree(self, partner: str) -> None:
        if self.revealed or partner in self.reveal.agreed:
            return
        if partner in self.reveal.needs_unlock:
            # A locked partner agrees by typing their passphrase, on their own turn.
            from .locks import PassphraseScreen

            def opened(unlocked: Any) -> None:
                if unlocked is not None:
                    self.reveal.unlock(partner, unlocked)
                    self.action_agree(partner)

            why = "Your answers here are locked: your passphrase reveals them."
            self.app.push_screen(PassphraseScreen(self.reveal.store, self.couple, partner, why=why), callback=opened)
            return
        self.reveal.agree(partner)
        button = self.query_one(f"#agree-{partner}", Button)
        button.label = f"{_name(self.couple, partner)} agreed"
        button.disabled = True
        self.query_one(f"#keep-{partner}", Button).disabled = True
        if self.reveal.agreed >= {"a", "b"}:
            self.try_reveal()
        else:
            other = "b" if partner == "a" else "a"
            self.query_one(f"#agree-{other}", Button).focus()

    def try_reveal(self) -> None:
        """Reveal (both agreed, every lock opened on its partner's turn); a failed write is one line."""
        from ..store import WorkbookError

        try:
            revealed = self.reveal.reveal()
        except WorkbookError as error:
            self.notify(str(error).splitlines()[0], title="Not revealed", severity="error")
            self.dismiss(False)
            return
        if revealed:
            self._show()

    def _show(self) -> None:
        self.query_one("#agree-row").display = False
        self.query_one("#keep-row").display = False
        self.query_one("#after-row").display = True
        area = self.query_one("#side-by-side", VerticalScroll)
        parts: list[Any] = []
        for key in ("a", "b"):
            kept = self.reveal.kept_count(key)
            if kept:
                answers = "answer" if kept == 1 else "answers"
                parts.append(Static(f"{_name(self.couple, key)} kept {kept} {answers} private.", classes="kept-note"))
        for line in self._totals():
            parts.append(Static(line, classes="total-line"))
        several = len(self.prompts) > 1
        for prompt in self.prompts:
            shown = [key for key in ("a", "b") if self.reveal.shown(prompt.id, key)]
            if not shown:
                continue
            if several:
                parts.append(Static(prompt.text, classes="reveal-prompt"))
            given = self.reveal.answers.get(prompt.id, {})
            columns = []
            for key in shown:
                badge = PartnerBadge(self.couple)
                badge.show(key)
                answer = shorten(format_answer(prompt, given.get(key), self.couple, out_of=True))
                if prompt.metric and prompt.type == "scale" and is_low(given.get(key), prompt.min or 1, prompt.max or 10):
                    # One area at 3 or below is worth talking about, whatever a total says.
                    answer += f"\nLow ({LOW_ITEM} or below): worth talking about, gently."
                columns.append(Vertical(badge, Static(answer), classes="column"))
            parts.append(Horizontal(*columns, classes="row"))
        area.mount_all(parts)
        self.query_one("#continue", Button).focus()
        self.refresh_bindings()

    def _totals(self) -> list[Text]:
        """The check-in's totals these answers complete: band and change, as Trends shows them."""
        from ..recap import moved

        out = []
        for line in self.reveal.totals():
            text = Text(f"{line.title}, {_name(self.couple, line.partner)}: ", style="bold")
            text.append(moved(line.total, line.previous, line.change, "first total"))
            if line.band:
                text.append(f" \u00b7 {line.band}", style="italic")
            if line.words:
                text.append(f" \u00b7 {line.words}", style="bold")
            out.append(text)
        return out

    def action_scroll_answers(self, where: str) -> None:
        area = self.query_one("#side-by-side", VerticalScroll)
        moves = {
            "up": area.scroll_up,
            "down": area.scroll_down,
            "page_up": area.scroll_page_up,
            "page_down": area.scroll_page_down,
            "home": area.scroll_home,
            "end": area.scroll_end,
        }
        moves[where]()

    def action_later(self) -> None:
        self.reveal.cancel()
        self.dismiss(False)

    def action_done(self) -> None:
        self.dismiss(True)
