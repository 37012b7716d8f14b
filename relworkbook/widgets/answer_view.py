"""A given answer, read-only: for "what the other wrote" and the private reveal."""

from __future__ import annotations

from typing import Any

from rich.text import Text
from textual.widgets import Static

from ..kinds import answer_text
from ..model import Couple, Prompt, is_locked, partner_name
from .template import fill_template

SHOW_AT_MOST = 2000  # characters of an answer shown while answering; History shows it whole


def _name(couple: Couple | None, key: str) -> str:
    if key == "both":
        return "both of us"
    return partner_name(couple, key if key in ("a", "b") else "together")


def format_answer(prompt: Prompt, value: Any, couple: Couple | None = None, *, out_of: bool = False) -> Text:
    """A readable rendering of any answer value (never raises on odd data).

    ``out_of`` shows a scale as "7 / 10" rather than a bare "7".
    """
    if value is None or value == "" or value == [] or value == {}:
        return Text("(nothing yet)", style="dim")
    if is_locked(value):
        return Text("(locked: shown after the reveal)", style="dim")
    try:
        if prompt.type == "scale":
            label = prompt.label_for(int(value))
            number = f"{value} / {prompt.max}" if out_of and prompt.max is not None else f"{value}"
            return Text(number + (f"  ({label})" if label else ""), style="bold")
        if prompt.type == "checklist":
            return Text("\n".join(f"\u2022 {item}" for item in value) or "(none ticked)")
        if prompt.type == "template":
            return fill_template(prompt.template, dict(value))
        if prompt.type == "commitment":
            out = Text(str(value.get("what") or ""), style="bold")
            out.append(f"\nwho: {_name(couple, str(value.get('owner') or 'both'))}")
            if value.get("due"):
                out.append(f", by {value['due']}")
            return out
        if prompt.type == "turns":
            out = Text()
            for turn in value:
                speaker = str(turn.get("speaker") or "a")
                other = "b" if speaker == "a" else "a"
                out.append(f"{_name(couple, speaker)}: ", style="bold")
                out.append(f"{turn.get('said', '')}\n")
                for earlier in turn.get("tries") or ():
                    out.append(f"{_name(couple, other)} heard: ", style="bold")
                    out.append(f"{earlier.get('paraphrase', '')}\n")
                    out.append(f"Not quite: {earlier.get('correction', '')}\n", style="italic")
                if turn.get("paraphrase"):
                    out.append(f"{_name(couple, other)} heard: ", style="bold")
                    out.append(f"{turn['paraphrase']}\n")
                if turn.get("confirmed"):
                    out.append("That's it.\n", style="italic")
                elif turn.get("correction"):
                    out.append(f"Not quite: {turn['correction']}\n", style="italic")
            return out
    except (TypeError, ValueError, AttributeError):
        pass
    return Text(answer_text(prompt.type, value))


def shorten(text: Text, limit: int = SHOW_AT_MOST) -> Text:
    """The first ``limit`` characters of a rendered answer, and how much more there is.

    Only the copy on screen is cut (a megabyte takes seconds to lay out);
    the stored answer is never touched.
    """
    more = len(text) - limit
    if more <= 0:
        return text
    short = text.copy()
    short.right_crop(more)
    short.append(
        f"\n\u2026 {more:,} more characters; the whole answer is kept and shown in History.",
        style="italic dim",
    )
    return short


class AnswerView(Static):
    """One partner's given answer, with their name on top."""

    DEFAULT_CSS = """
    AnswerView {
        height: auto;
        width: 1fr;
        padding: 0 1;
        border-left: thick $secondary;
        background: $boost;
        margin-bottom: 1;
    }
    """

    def __init__(self, prompt: Prompt, value: Any, title: str, couple: Couple | None = None, **kwargs) -> None:
        body = Text(f"{title}\n", style="bold")
        body.append_text(shorten(format_answer(prompt, value, couple)))
        super().__init__(body, **kwargs)
