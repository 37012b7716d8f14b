"""Speaker and listener rounds: the speaker says it, the listener says it back,
the speaker confirms or corrects; then they swap, for ``rounds`` rounds.

After "Not quite" and the speaker's correction, the listener says it back again,
up to ``MAX_TRIES`` times in a round; the earlier tries are kept in the round's
``tries`` (``[{"paraphrase", "correction"}]``).

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

from ..model import PARTNERS
from .base import PromptWidget

STAGES = ("say", "paraphrase", "confirm", "correct", "done")
MAX_TRIES = 3  # paraphrases a listener may give in one round


def _other(partner: str) -> str:
    return "b" if partner == "a" else "a"


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
        self.rounds_total = max(1, int(prompt.rounds or 2))
        self._rounds: list[dict[str, Any]] = []
        self._stage = "say"
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
        return [dict(r) for r in self._rounds]

    @property
    def stage(self) -> str:
        return self._stage

    def set_value(self, value: Any) -> None:
        rounds: list[dict[str, Any]] = []
        for index, item in enumerate(value if isinstance(value, list) else []):
            if not isinstance(item, dict) or index >= self.rounds_total:
                continue
            rounds.append(
                {
                    "speaker": item.get("speaker") if item.get("speaker") in PARTNERS else PARTNERS[index % 2],
                    "said": str(item.get("said") or ""),
                    "paraphrase": str(item.get("paraphrase") or ""),
                    "confirmed": bool(item.get("confirmed")),
                    "correction": str(item.get("correction") or ""),
                    **({"tries": [
                        {"paraphrase": str(t.get("paraphrase") or ""), "correction": str(t.get("correction") or "")}
                        for t in item["tries"] if isinstance(t, dict)
                    ]} if isinstance(item.get("tries"), list) and item["tries"] else {}),
                    **({"stage": item["stage"]} if item.get("stage") in STAGES else {}),
                }
            )
        self._rounds = rounds
        self._stage = self._stage_of_last()
        for r in self._rounds:
            r.pop("stage", None)
        self._loaded(self.value)
        if self.is_mounted:
            self._show()

    def _stage_of_last(self) -> str:
        if not self._rounds:
            return "say"
        last = self._rounds[-1]
        if last.get("stage") in STAGES:
            return last["stage"]
        finished = last["confirmed"] or last["correction"].strip()
        if finished:
            return "done" if len(self._rounds) >= self.rounds_total else "say-next"
        if not last["said"].strip():
            return "say"
        if not last["paraphrase"].strip():
            return "paraphrase"
        return "confirm"

    def _current(self) -> dict[str, Any]:
        if self._stage == "say-next" or not self._rounds:
            speaker = PARTNERS[len(self._rounds) % 2]
            self._rounds.append(
                {"speaker": speaker, "said": "", "paraphrase": "", "confirmed": False, "correction": ""}
            )
            self._stage = "say"
        return self._rounds[-1]

    @property
    def speaker(self) -> str:
        if self._stage == "say-next" or not self._rounds:
            return PARTNERS[len(self._rounds) % 2]
        return self._rounds[-1]["speaker"]

    @property
    def at_keys(self) -> str | None:
        if self._stage == "done":
            return None
        return _other(self.speaker) if self._stage == "paraphrase" else self.speaker

    # ---- display -----------------------------------------------------------

    def _show(self) -> None:
        speaker = self.speaker
        listener = _other(speaker)
        s_name, l_name = self.partner_name(speaker), self.partner_name(listener)
        so_far = Text()
        for index, r in enumerate(self._rounds):
            current = index == len(self._rounds) - 1 and self._stage not in ("done", "say-next")
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
        stage = "say" if self._stage == "say-next" else self._stage
        number = len(self._rounds) + (1 if self._stage == "say-next" or not self._rounds else 0)
        round_text = f"Round {min(number, self.rounds_total)} of {self.rounds_total}: {s_name} speaks, {l_name} listens"
        instruction = {
            "say": f"{s_name}, say what you want {l_name} to hear. Enter when done.",
            "paraphrase": (
                f"{l_name}, say back in your own words what you heard. Enter when done."
                if not self._tries()
                else f"{l_name}, try again with what {s_name} added (try {self._tries() + 1} of {MAX_TRIES}). Enter when done."
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
            field = {"say": "said", "paraphrase": "paraphrase", "correct": "correction"}[stage]
            current = self._rounds[-1][field] if self._rounds and self._stage != "say-next" else ""
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
        if self._stage == "confirm":
            self.query_one("#yes", Button).focus()
        elif self._stage != "done":
            self.query_one("#entry", Input).focus()

    # ---- input -------------------------------------------------------------

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        stage = "say" if self._stage == "say-next" else self._stage
        field = {"say": "said", "paraphrase": "paraphrase", "correct": "correction"}.get(stage)
        if field is None:
            return
        if self._stage == "say-next" and not event.value:
            return
        current = self._current()
        if current[field] != event.value:
            current[field] = event.value
            self._changed()

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        if not event.value.strip():
            self.notify("Write something first, then press Enter.", severity="warning")
            return
        current = self._current()
        if self._stage == "say":
            current["said"] = event.value
            self._stage = "paraphrase"
        elif self._stage == "paraphrase":
            current["paraphrase"] = event.value
            self._stage = "confirm"
        elif self._stage == "correct":
            current["confirmed"] = False
            if self._tries() + 1 < MAX_TRIES:
                # The listener tries again, with the correction in mind.
                current.setdefault("tries", []).append({"paraphrase": current["paraphrase"], "correction": event.value})
                current["paraphrase"] = ""
                current["correction"] = ""
                self._stage = "paraphrase"
            else:
                current["correction"] = event.value
                self._finish_round()
        self._show()
        self._changed()
        self.focus_first()

    def _tries(self) -> int:
        """Earlier paraphrases in the current round (each followed by "Not quite")."""
        if not self._rounds or self._stage == "say-next":
            return 0
        return len(self._rounds[-1].get("tries", ()))

    def _finish_round(self) -> None:
        self._stage = "done" if len(self._rounds) >= self.rounds_total else "say-next"

    def action_confirm(self, yes: bool) -> None:
        if self._stage != "confirm":
            return
        current = self._rounds[-1]
        if yes:
            current["confirmed"] = True
            current["correction"] = ""
            self._finish_round()
        else:
            self._stage = "correct"
        self._show()
        self._changed()
        self.focus_first()

    def on_button_pressed(self, event: Button.Pressed) -> None:
        event.stop()
        self.action_confirm(event.button.id == "yes")

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        if action == "confirm":
            # y and n are letters: only keys while the confirm buttons are up.
            return self._stage == "confirm"
        return True
