"""Speaker and listener rounds (the ``turns`` prompt), as plain Python: no Textual here.

The speaker says it, the listener says it back, the speaker confirms or
corrects; then they swap, for ``total`` rounds. After "Not quite" and the
speaker's correction, the listener says it back again, up to ``MAX_TRIES``
times in a round; the earlier tries are kept in the round's ``tries``
(``[{"paraphrase", "correction"}]``). After the last try's correction the round
ends with that correction.

``widgets/turns.py`` draws a ``Rounds`` and tells it what was typed.
"""

from __future__ import annotations

from typing import Any

from .model import PARTNERS

STAGES = ("say", "paraphrase", "confirm", "correct", "done")
MAX_TRIES = 3  # paraphrases a listener may give in one round
FIELDS = {"say": "said", "paraphrase": "paraphrase", "correct": "correction"}  # what each typing stage fills


def other(partner: str) -> str:
    return "b" if partner == "a" else "a"


class Rounds:
    """Where a couple are in their rounds: ``rounds`` so far and the ``stage`` of the last one
    ("say", "paraphrase", "confirm", "correct", "done", or "say-next" between rounds)."""

    def __init__(self, total: int | None = 2) -> None:
        self.total = max(1, int(total or 2))
        self.rounds: list[dict[str, Any]] = []
        self.stage = "say"

    @property
    def value(self) -> list[dict[str, Any]]:
        """The answer as stored: one dict per round."""
        return [dict(r) for r in self.rounds]

    def load(self, value: Any) -> None:
        """Take a stored answer back (unknown keys dropped, at most ``total`` rounds)."""
        rounds: list[dict[str, Any]] = []
        for index, item in enumerate(value if isinstance(value, list) else []):
            if not isinstance(item, dict) or index >= self.total:
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
        self.rounds = rounds
        self.stage = self._stage_of_last()
        for r in self.rounds:
            r.pop("stage", None)

    def _stage_of_last(self) -> str:
        if not self.rounds:
            return "say"
        last = self.rounds[-1]
        if last.get("stage") in STAGES:
            return last["stage"]
        finished = last["confirmed"] or last["correction"].strip()
        if finished:
            return "done" if len(self.rounds) >= self.total else "say-next"
        if not last["said"].strip():
            return "say"
        if not last["paraphrase"].strip():
            return "paraphrase"
        return "confirm"

    def current(self) -> dict[str, Any]:
        """The round being worked on (a new one once the last has ended)."""
        if self.stage == "say-next" or not self.rounds:
            speaker = PARTNERS[len(self.rounds) % 2]
            self.rounds.append({"speaker": speaker, "said": "", "paraphrase": "", "confirmed": False, "correction": ""})
            self.stage = "say"
        return self.rounds[-1]

    @property
    def speaker(self) -> str:
        if self.stage == "say-next" or not self.rounds:
            return PARTNERS[len(self.rounds) % 2]
        return self.rounds[-1]["speaker"]

    @property
    def at_keys(self) -> str | None:
        """Who types now (None once every round is done)."""
        if self.stage == "done":
            return None
        return other(self.speaker) if self.stage == "paraphrase" else self.speaker

    @property
    def shown_stage(self) -> str:
        """The stage to draw: between rounds, the next speaker's "say"."""
        return "say" if self.stage == "say-next" else self.stage

    @property
    def number(self) -> int:
        """The round being worked on, from 1 (at most ``total``)."""
        return min(len(self.rounds) + (1 if self.stage == "say-next" or not self.rounds else 0), self.total)

    @property
    def tries(self) -> int:
        """Earlier paraphrases in the current round (each followed by "Not quite")."""
        if not self.rounds or self.stage == "say-next":
            return 0
        return len(self.rounds[-1].get("tries", ()))

    def typing(self) -> str:
        """What the box holds at this stage (empty between rounds)."""
        field = FIELDS.get(self.shown_stage)
        if field is None or not self.rounds or self.stage == "say-next":
            return ""
        return self.rounds[-1][field]

    def typed(self, text: str) -> bool:
        """The box now holds ``text``; True when that changed the answer."""
        field = FIELDS.get(self.shown_stage)
        if field is None or (self.stage == "say-next" and not text):
            return False
        current = self.current()
        if current[field] == text:
            return False
        current[field] = text
        return True

    def submit(self, text: str) -> bool:
        """Enter with ``text`` in the box: on to the next stage. False for an empty box (nothing happens)."""
        if not text.strip():
            return False
        current = self.current()
        if self.stage == "say":
            current["said"] = text
            self.stage = "paraphrase"
        elif self.stage == "paraphrase":
            current["paraphrase"] = text
            self.stage = "confirm"
        elif self.stage == "correct":
            current["confirmed"] = False
            if self.tries + 1 < MAX_TRIES:
                # The listener tries again, with the correction in mind.
                current.setdefault("tries", []).append({"paraphrase": current["paraphrase"], "correction": text})
                current["paraphrase"] = ""
                current["correction"] = ""
                self.stage = "paraphrase"
            else:
                current["correction"] = text
                self._finish_round()
        return True

    def confirm(self, yes: bool) -> bool:
        """The speaker's "That's it" (``yes``) or "Not quite"; False when not asked now."""
        if self.stage != "confirm":
            return False
        current = self.rounds[-1]
        if yes:
            current["confirmed"] = True
            current["correction"] = ""
            self._finish_round()
        else:
            self.stage = "correct"
        return True

    def _finish_round(self) -> None:
        self.stage = "done" if len(self.rounds) >= self.total else "say-next"
