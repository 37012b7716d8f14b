"""Speaker and listener rounds: the speaker says it, the listener says it back,
the speaker confirms or corrects; then they swap, for ``rounds`` rounds.

The rules (the stages, up to ``MAX_TRIES`` paraphrases a round after "Not
quite", what is stored) are ``relworkbook.rounds.Rounds``, plain Python; this
widget draws it and tells it what was typed.

Enter finishes the current step; at the confirm step, ``y``/``n`` or the buttons.
``TurnChanged`` tells the screen who is at the keys, so its badge can follow.
"""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal
from textual.message import Message
from textual.widgets import Button, Input, Static

from ..rounds import MAX_TRIES, STAGES, Rounds
from ..rounds import other as _other
from .base import PromptWidget

__all__ = ["MAX_TRIES", "STAGES", "TurnsPrompt"]


class TurnsPrompt(PromptWidget):
    BINDINGS = [
        Binding("y", "confirm(True)", "That's it", show=False),
        Binding("n", "confirm(False)", "Not quite", show=False),
    ]

    DEFAULT_CSS = """
    TurnsPrompt {
        height: auto;
    }
    TurnsPrompt > #so-far {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    TurnsPrompt > #round {
        height: auto;
        text-style: bold;
        margin-top: 1;
    }
    TurnsPrompt > #instruction {
        height: auto;
    }
    TurnsPrompt > #entry {
        width: 1fr;
    }
    TurnsPrompt > #confirm {
        height: auto;
    }
    TurnsPrompt > #confirm Button {
        margin-right: 1;
    }
    """

    class TurnChanged(Message):
        """Who is at the keys now (``partner``) and a short badge text."""

        def __init__(self, widget: "TurnsPrompt", partner: str | None, text: str) -> None:
            super().__init__()
            self.widget = widget
            self.partner = partner
            self.text = text

    def __init__(self, prompt, **kwargs) -> None:
        super().__init__(prompt, **kwargs)
        self.rounds = Rounds(prompt.rounds)
        self._reported = []

    def compose(self) -> ComposeResult:
        yield Static("", id="so-far")
        yield Static("", id="round")
        yield Static("", id="instruction")
        yield Input(id="entry")
        with Horizontal(id="confirm"):
            yield Button("That's it (y)", id="yes", variant="success")
            yield Button("Not quite (n)", id="no", variant="warning")

    def on_mount(self) -> None:
        self._show()

    # ---- state -------------------------------------------------------------

    @property
    def value(self) -> list[dict[str, Any]]:
        return self.rounds.value

    @property
    def stage(self) -> str:
        return self.rounds.stage

    def set_value(self, value: Any) -> None:
        self.rounds.load(value)
        self._loaded(self.value)
        if self.is_mounted:
            self._show()

    @property
    def speaker(self) -> str:
        return self.rounds.speaker

    @property
    def at_keys(self) -> str | None:
        return self.rounds.at_keys

    # ---- display -----------------------------------------------------------

    def _show(self) -> None:
        rounds = self.rounds
        speaker = rounds.speaker
        listener = _other(speaker)
        s_name, l_name = self.partner_name(speaker), self.partner_name(listener)
        so_far = Text()
        for index, r in enumerate(rounds.rounds):
            current = index == len(rounds.rounds) - 1 and rounds.stage not in ("done", "say-next")
            if not r["said"] and current:
                continue
            so_far.append(f"{self.partner_name(r['speaker'])}: ", style="bold")
            so_far.append(r["said"] + "\n")
            for earlier in r.get("tries", ()):
                so_far.append(f"{self.partner_name(_other(r['speaker']))} heard: ", style="bold")
                so_far.append(earlier["paraphrase"] + "\n")
                so_far.append("Not quite: ", style="italic")
                so_far.append(earlier["correction"] + "\n")
            if r["paraphrase"]:
                so_far.append(f"{self.partner_name(_other(r['speaker']))} heard: ", style="bold")
                so_far.append(r["paraphrase"] + "\n")
            if r["confirmed"]:
                so_far.append("That's it.\n", style="italic")
            elif r["correction"]:
                so_far.append("Not quite: ", style="italic")
                so_far.append(r["correction"] + "\n")
        self.query_one("#so-far", Static).update(so_far)
        entry = self.query_one("#entry", Input)
        confirm = self.query_one("#confirm")
        stage = rounds.shown_stage
        round_text = f"Round {rounds.number} of {rounds.total}: {s_name} speaks, {l_name} listens"
        instruction = {
            "say": f"{s_name}, say what you want {l_name} to hear. Enter when done.",
            "paraphrase": (
                f"{l_name}, say back in your own words what you heard. Enter when done."
                if not rounds.tries
                else f"{l_name}, try again with what {s_name} added (try {rounds.tries + 1} of {MAX_TRIES}). Enter when done."
            ),
            "confirm": f"{s_name}, did {l_name} get it? y: that's it, n: not quite.",
            "correct": f"{s_name}, say what was missed or meant. Enter when done.",
            "done": "All rounds done. Go on with Next.",
        }[stage]
        self.query_one("#round", Static).update("" if stage == "done" else round_text)
        self.query_one("#instruction", Static).update(instruction)
        entry.display = stage in ("say", "paraphrase", "correct")
        confirm.display = stage == "confirm"
        if entry.display:
            current = rounds.typing()
            entry.placeholder = {"say": f"{s_name} says...", "paraphrase": f"{l_name} heard...", "correct": "what I meant..."}[stage]
            if entry.value != current:
                entry.value = current
        if self.at_keys is None:
            self.post_message(self.TurnChanged(self, None, "Together"))
        elif stage == "paraphrase":
            self.post_message(self.TurnChanged(self, listener, f"{l_name} listens"))
        else:
            self.post_message(self.TurnChanged(self, speaker, f"{s_name} speaks"))

    def focus_first(self) -> None:
        if self.rounds.stage == "confirm":
            self.query_one("#yes", Button).focus()
        elif self.rounds.stage != "done":
            self.query_one("#entry", Input).focus()

    # ---- input -------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        if self.rounds.typed(event.value):
            self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not self.rounds.submit(event.value):
            self.notify("Write something first, then press Enter.", severity="warning")
            return
        self._show()
        self._changed()
        self.focus_first()

    def action_confirm(self, yes: bool) -> None:
        if not self.rounds.confirm(yes):
            return
        self._show()
        self._changed()
        self.focus_first()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm(event.button.id == "yes")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            # y and n are letters: only keys while the confirm buttons are up.
            return self.rounds.stage == "confirm"
        return True
