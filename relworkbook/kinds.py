"""One table of prompt kinds: everything the core knows about each prompt type.

For each type in ``model.PROMPT_TYPES`` there is one ``Kind`` here with:

``fields``    the YAML fields a prompt of this type may carry (the catalogue checks them)
``shared``    whether it is always one answer for the couple (``turns``)
``answered``  whether a stored value counts as an answer (an empty draft does not)
``text``      the value flattened to plain text, for search and plain display
``number``    the number an answer feeds its prompt's metric (None when it feeds none);
              ``number_of`` is the one place it is worked out, for the sitting and the store
``pieces``    the value as readable recap pieces
``example``   a typical answer (for tests and the state machine)

A new prompt type is a new ``Kind`` here and its widget in ``widgets/``; a test
checks that every type has every entry, so a forgotten branch fails loudly
instead of falling back to ``str(value)``.

A type with no entry can only come from a damaged or foreign workbook row (the
store and the import refuse one). Under ``RELWORKBOOK_STRICT=1`` (every test
runs so) it raises ``UnknownKind``; in the app it is logged (the type, never the
words) and shown as ``NOT_SHOWN``, so one bad row never takes the app down. A
value its kind cannot read (a pack that changed a prompt's type) shows the words
in it (``words_in``), never a Python repr.

Nothing here imports Textual or SQLite.
"""

from __future__ import annotations

import logging
import os
from dataclasses import dataclass
from typing import Any, Callable, Mapping, NamedTuple

from .model import BLANK_RE, PROMPT_TYPES, Prompt, is_locked

log = logging.getLogger(__name__)
# A library's logger: silent unless someone listens (nothing may write over the
# terminal the app is drawing on).
logging.getLogger("relworkbook").addHandler(logging.NullHandler())

NOT_SHOWN = "(answer could not be shown)"


class UnknownKind(KeyError):
    """A prompt type with no entry in ``KINDS``."""


def _unknown(prompt_type: str) -> None:
    """Raise under RELWORKBOOK_STRICT (tests); otherwise log the type and let the caller go on."""
    if os.environ.get("RELWORKBOOK_STRICT", "") not in ("", "0"):
        raise UnknownKind(prompt_type)
    log.warning("an answer of unknown prompt type %r was not shown (a damaged or foreign workbook row)", prompt_type)


def _unreadable(prompt_type: str, error: Exception) -> None:
    log.warning("a %s answer its kind could not read (%s) was shown as its words", prompt_type, type(error).__name__)


def words_in(value: Any) -> str:
    """The words in any value (strings and numbers, depth first, joined with ' / '); NOT_SHOWN when none."""
    out: list[str] = []

    def walk(item: Any) -> None:
        if isinstance(item, dict):
            for inner in item.values():
                walk(inner)
        elif isinstance(item, (list, tuple)):
            for inner in item:
                walk(inner)
        elif item is not None and not isinstance(item, bool) and str(item).strip():
            out.append(str(item).strip())

    walk(value)
    return " / ".join(out) or NOT_SHOWN


class Piece(NamedTuple):
    """One readable part of an answer: a line of text, maybe labelled, maybe a bullet."""

    text: str
    label: str = ""
    bullet: bool = False


Names = Mapping[str, str]
COMMON_FIELDS = ("id", "type", "text", "who", "help", "optional")
BLANK_PIECE = (Piece("(left blank)"),)


@dataclass(frozen=True)
class Kind:
    type: str
    fields: tuple[str, ...]
    answered: Callable[[Any], bool]
    text: Callable[[Any], str]
    number: Callable[[str | None, Any], float | None]  # (the prompt's metric, the value)
    pieces: Callable[[Prompt | None, Any, Names], tuple[Piece, ...]]
    example: Callable[[Prompt], Any]
    shared: bool = False


def _no_number(metric: str | None, value: Any) -> float | None:
    return None


def _str_text(value: Any) -> str:
    return "" if value is None else str(value)


def _nonblank(value: Any) -> bool:
    return isinstance(value, str) and value.strip() != ""


def _plain_pieces(prompt: Prompt | None, value: Any, names: Names) -> tuple[Piece, ...]:
    return (Piece(str(value)),)


# ---- scale


def _scale_answered(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _scale_number(metric: str | None, value: Any) -> float | None:
    if metric is None or not _scale_answered(value):
        return None
    return float(value)


def _scale_pieces(prompt: Prompt | None, value: Any, names: Names) -> tuple[Piece, ...]:
    top = prompt.max if prompt is not None and prompt.max is not None else None
    text = f"{value} / {top}" if top is not None else str(value)
    label = prompt.label_for(int(value)) if prompt is not None and isinstance(value, (int, float)) else ""
    if label:
        text += f" ({label})"
    return (Piece(text),)


def _scale_example(prompt: Prompt) -> Any:
    lo, hi = int(prompt.min if prompt.min is not None else 1), int(prompt.max if prompt.max is not None else 10)
    return (lo + hi) // 2


# ---- checklist


def _checklist_text(value: Any) -> str:
    return "; ".join(str(v) for v in value or [])


def _checklist_number(metric: str | None, value: Any) -> float | None:
    if metric is None or not isinstance(value, list):
        return None
    return float(len(value))


def _checklist_pieces(prompt: Prompt | None, value: Any, names: Names) -> tuple[Piece, ...]:
    items = [str(v) for v in value or []]
    if not items:
        return (Piece("Nothing checked"),)
    return tuple(Piece(item, bullet=True) for item in items)


# ---- template


def _template_answered(value: Any) -> bool:
    return isinstance(value, dict) and any(str(v).strip() for v in value.values())


def _template_text(value: Any) -> str:
    return " / ".join(f"{k}: {v}" for k, v in (value or {}).items() if v)


def _template_pieces(prompt: Prompt | None, value: Any, names: Names) -> tuple[Piece, ...]:
    if not isinstance(value, dict):
        return (Piece(words_in(value)),)
    if prompt is not None and prompt.template:

        def fill(match: Any) -> str:
            written = str(value.get(match.group(1).strip(), "")).strip()
            return written or "\u2026"

        return (Piece(BLANK_RE.sub(fill, prompt.template)),)
    return tuple(Piece(str(v), label=str(k)) for k, v in value.items() if v)


# ---- commitment


def _commitment_answered(value: Any) -> bool:
    return isinstance(value, dict) and str(value.get("what") or "").strip() != ""


def _commitment_text(value: Any) -> str:
    return str((value or {}).get("what", ""))


MONTHS = (
    "January", "February", "March", "April", "May", "June",
    "July", "August", "September", "October", "November", "December",
)


def nice_day(iso_day: str) -> str:
    """"2026-05-01" as "1 May 2026" (anything else as it is)."""
    from datetime import date

    try:
        day = date.fromisoformat(iso_day[:10])
    except ValueError:
        return iso_day
    return f"{day.day} {MONTHS[day.month - 1]} {day.year}"


def commitment_line(what: str, owner: str, due: str | None) -> str:
    """"Walk together — Sam — by 1 May 2026": one commitment on one line."""
    parts = [what, owner]
    if due:
        parts.append(f"by {nice_day(due)}")
    return " — ".join(parts)


def _commitment_pieces(prompt: Prompt | None, value: Any, names: Names) -> tuple[Piece, ...]:
    if not isinstance(value, dict):
        return (Piece(words_in(value)),)
    owner = str(value.get("owner") or "both")
    what = str(value.get("what", "")).strip() or "(nothing written)"
    return (Piece(commitment_line(what, names.get(owner, owner), value.get("due") or None)),)


# ---- turns


def _turns_answered(value: Any) -> bool:
    return isinstance(value, list) and any(str(t.get("said") or "").strip() for t in value if isinstance(t, dict))


def _turns_text(value: Any) -> str:
    parts: list[str] = []
    for turn in value or []:
        if turn.get("said"):
            parts.append(str(turn["said"]))
        for earlier in turn.get("tries") or ():
            if isinstance(earlier, dict):
                parts.extend(str(earlier[k]) for k in ("paraphrase", "correction") if earlier.get(k))
        for key in ("paraphrase", "correction"):
            if turn.get(key):
                parts.append(str(turn[key]))
    return "\n".join(parts)


def _turns_pieces(prompt: Prompt | None, value: Any, names: Names) -> tuple[Piece, ...]:
    if not isinstance(value, list):
        return (Piece(str(value)),)
    out: list[Piece] = []
    for number, turn in enumerate(value, start=1):
        speaker = str(turn.get("speaker", ""))
        listener = {"a": "b", "b": "a"}.get(speaker, "")
        who = names.get(speaker, "Speaker")
        hearer = names.get(listener, "Listener")
        out.append(Piece(str(turn.get("said", "")) or "(nothing written)", label=f"Round {number}, {who} said"))
        for earlier in turn.get("tries") or ():
            if isinstance(earlier, dict):
                out.append(Piece(str(earlier.get("paraphrase", "")) or "(nothing written)", label=f"{hearer} heard"))
                out.append(Piece(str(earlier.get("correction", "")) or "(nothing written)", label=f"{who}: not quite"))
        out.append(Piece(str(turn.get("paraphrase", "")) or "(nothing written)", label=f"{hearer} heard"))
        if turn.get("confirmed"):
            out.append(Piece("Yes, that was it", label=f"{who} confirmed"))
        elif turn.get("correction"):
            out.append(Piece(str(turn["correction"]), label=f"{who} corrected"))
        else:
            out.append(Piece("Not confirmed yet", label=who))
    return tuple(out) or (Piece("(no rounds)"),)


def _turns_example(prompt: Prompt) -> Any:
    return [
        {"speaker": "ab"[i % 2], "said": "I felt alone", "paraphrase": "You felt alone", "confirmed": True, "correction": ""}
        for i in range(max(1, prompt.rounds))
    ]


KINDS: dict[str, Kind] = {
    k.type: k
    for k in (
        Kind("text", COMMON_FIELDS, _nonblank, _str_text, _no_number, _plain_pieces, lambda p: "A few words"),
        Kind(
            "scale", COMMON_FIELDS + ("min", "max", "labels", "metric", "low_note"),
            _scale_answered, _str_text, _scale_number, _scale_pieces, _scale_example,
        ),
        Kind(
            "checklist", COMMON_FIELDS + ("options", "metric", "suggests"),
            lambda v: isinstance(v, list),  # nothing ticked is a real answer ("none of these")
            _checklist_text, _checklist_number, _checklist_pieces, lambda p: list(p.options[:1]),
        ),
        Kind(
            "choice", COMMON_FIELDS + ("options", "suggests"),
            _nonblank, _str_text, _no_number, _plain_pieces, lambda p: p.options[0] if p.options else "yes",
        ),
        Kind(
            "template", COMMON_FIELDS + ("template",),
            _template_answered, _template_text, _no_number, _template_pieces,
            lambda p: {name: "something" for name in p.blanks} or {"blank": "something"},
        ),
        Kind(
            "commitment", COMMON_FIELDS,
            _commitment_answered, _commitment_text, _no_number, _commitment_pieces,
            lambda p: {"what": "Walk after dinner", "owner": "both", "due": None},
        ),
        Kind(
            "turns", COMMON_FIELDS + ("rounds",),
            _turns_answered, _turns_text, _no_number, _turns_pieces, _turns_example, shared=True,
        ),
    )
}
assert tuple(KINDS) == PROMPT_TYPES, "every prompt type has one entry, in model order"


def kind(prompt_type: str) -> Kind:
    """The entry for a prompt type; an unknown type is a KeyError, not a silent fallback."""
    return KINDS[prompt_type]


def is_answered(prompt_type: str, value: Any) -> bool:
    """Whether a stored value counts as an answer (an empty draft does not)."""
    if value is None:
        return False
    if is_locked(value):
        return bool(value.get("answered"))  # a locked answer says only whether it is in
    entry = KINDS.get(prompt_type)
    return bool(value) if entry is None else entry.answered(value)


def answer_text(prompt_type: str, value: Any) -> str:
    """Flatten an answer value into plain text for search and plain display (nothing of a locked one)."""
    if value is None or is_locked(value):
        return ""
    entry = KINDS.get(prompt_type)
    if entry is None:  # only a damaged or foreign row can get here
        _unknown(prompt_type)
        return NOT_SHOWN
    try:
        return entry.text(value)
    except (AttributeError, TypeError, ValueError) as error:
        _unreadable(prompt_type, error)
        return words_in(value)


def number_of(prompt_type: str, metric: str | None, value: Any) -> float | None:
    """The number an answer feeds its metric; worked out here and only here.

    The sitting asks through ``number_for``; the store, which keeps each answer's
    type and metric, asks here when it saves, corrects or opens a locked answer.
    A locked value has no number until it is opened; an unknown type has none (``UnknownKind`` in tests).
    """
    if metric is None or is_locked(value):
        return None
    entry = KINDS.get(prompt_type)
    if entry is None:
        _unknown(prompt_type)
        return None
    return entry.number(metric, value)


def number_for(prompt: Prompt, value: Any) -> float | None:
    """The number a prompt's answer feeds its metric (``number_of``)."""
    return number_of(prompt.type, prompt.metric, value)


def pieces_for(prompt: Prompt | None, prompt_type: str, value: Any, names: Names) -> tuple[Piece, ...]:
    """An answer value as readable pieces, by prompt type."""
    if value is None or value == "" or value == [] or value == {}:
        return BLANK_PIECE
    if is_locked(value):
        return (Piece("(locked)"),)
    entry = KINDS.get(prompt_type)
    if entry is None:
        _unknown(prompt_type)
        return (Piece(NOT_SHOWN),)
    try:
        return entry.pieces(prompt, value, names)
    except (AttributeError, TypeError, ValueError) as error:
        _unreadable(prompt_type, error)
        return (Piece(words_in(value)),)
