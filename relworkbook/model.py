"""The workbook's plain data: immutable records shared by every layer.

Records are ``NamedTuple`` classes: read-only, compared by value, and cheap
to define (a frozen dataclass compiles five or six generated methods per
class when the module is imported, ~20 ms at every start for these fifteen).
This module has no ``from __future__ import annotations`` on purpose: string
annotations would each be compiled again as a ``typing.ForwardRef``.
``MetricPoint`` stays a dataclass: its ``extra`` is left out of comparisons.

Nothing here imports Textual or SQLite. ``catalog`` builds the exercise side
(Step, Exercise, Prompt, Instrument) from YAML; ``store`` returns the couple's
side (Couple, Sitting, Answer, Revision, Commitment) from the workbook file.

Answer values, as stored (JSON) and as passed around, by prompt type:

==============  ==========================================================
``text``        ``str``
``scale``       ``int``
``checklist``   ``list[str]`` (the checked options, in option order)
``choice``      ``str`` (one of the options)
``template``    ``dict[str, str]`` (blank name -> what was written)
``commitment``  ``{"what": str, "owner": "a"|"b"|"both", "due": "YYYY-MM-DD"|None}``
``turns``       ``list[{"speaker": "a"|"b", "said": str, "paraphrase": str,
                "confirmed": bool, "correction": str, "tries": [{"paraphrase",
                "correction"}]}]`` (one per round; ``tries``: earlier paraphrases
                answered "not quite", only when there were any)
==============  ==========================================================

Partners are the slots ``"a"`` and ``"b"``; a ``together`` answer is stored
under ``"together"``.
"""

import re
from dataclasses import dataclass, field
from typing import Any, NamedTuple

PROMPT_TYPES = ("text", "scale", "checklist", "choice", "template", "commitment", "turns")
WHO = ("each", "private", "together")
PARTNERS = ("a", "b")
TOGETHER = "together"
# How every view (screens, recaps, summaries) words a private answer not yet revealed.
PRIVATE_HIDDEN = "Private, not yet revealed"
COMMITMENT_STATUSES = ("open", "kept", "partly", "not_kept")
EXERCISE_KINDS = ("exercise", "checkin")
# A private answer of a partner with a lock, until the reveal, is stored as
# {LOCKED: "<sealed value>", "answered": bool} (see locks.py): the dict says
# whether an answer is in, and nothing of what it is.
LOCKED = "\u0000locked"

BLANK_RE = re.compile(r"\{([^{}]*)\}")


class Step(NamedTuple):
    """One step of the program (root cause, communication, ...): its title, place and introduction."""

    id: str
    title: str
    order: int
    intro: str
    source: str = ""
    line: int = 0


class Prompt(NamedTuple):
    """One question inside an exercise. Fields not used by a type keep defaults."""

    id: str
    type: str
    text: str
    who: str = "each"
    help: str = ""
    optional: bool = False
    # scale
    min: int | None = None
    max: int | None = None
    labels: tuple[tuple[int, str], ...] = ()
    # scale or scored checklist: the trend this feeds
    metric: str | None = None
    # checklist / choice
    options: tuple[str, ...] = ()
    # template: the sentence with {named} blanks
    template: str = ""
    # turns: how many speaker/listener rounds (2 = each partner speaks once)
    rounds: int = 2
    line: int = 0
    # choice / checklist: option -> id of an exercise suggested to whoever picks it
    suggests: tuple[tuple[str, str], ...] = ()
    # scale: a quiet line shown only to the partner answering, on their own turn,
    # when their rating is at or below low_at (nothing else is stored or shown)
    low_at: int | None = None
    low_note: str = ""

    @property
    def blanks(self) -> tuple[str, ...]:
        """Blank names of a template prompt, in order, without repeats."""
        seen: list[str] = []
        for name in BLANK_RE.findall(self.template):
            name = name.strip()
            if name and name not in seen:
                seen.append(name)
        return tuple(seen)

    @property
    def is_private(self) -> bool:
        return self.who == "private"

    @property
    def is_scored(self) -> bool:
        return self.metric is not None and self.type in ("scale", "checklist")

    @property
    def metric_range(self) -> tuple[int, int] | None:
        if self.metric is None:
            return None
        if self.type == "scale":
            return (int(self.min or 0), int(self.max or 0))
        if self.type == "checklist":
            return (0, len(self.options))
        return None

    def label_for(self, value: int) -> str:
        return dict(self.labels).get(value, "")

    def suggested_by(self, value: Any) -> tuple[str, ...]:
        """Exercise ids this answer suggests (a choice's option, or any checked option)."""
        if not self.suggests or value is None:
            return ()
        chosen = set(value) if isinstance(value, (list, tuple)) else {value}
        return tuple(dict.fromkeys(ex for option, ex in self.suggests if option in chosen))

    def low_note_for(self, value: Any) -> str:
        """The quiet line for this rating, or "" (only a scale with low_note has one)."""
        if self.low_at is None or not isinstance(value, (int, float)) or isinstance(value, bool):
            return ""
        return self.low_note if value <= self.low_at else ""


class Metric(NamedTuple):
    """A number that trends follow, declared once in steps.yaml."""

    key: str
    title: str
    min: int
    max: int


class Band(NamedTuple):
    """A named range of an instrument's total, shown beside the latest total."""

    name: str
    min: float
    max: float


class Instrument(NamedTuple):
    """Scored prompts of one exercise summed or averaged into a total."""

    id: str
    title: str
    prompts: tuple[str, ...]
    method: str = "sum"  # "sum" or "mean"
    bands: tuple[Band, ...] = ()
    # The change in the total that counts as more than an ordinary week. With sd and
    # reliability declared it is computed (Jacobson-Truax) and called "reliable change";
    # without them it is the pack's own rough guide, and never called reliable.
    reliable_change: float = 0.0
    note: str = ""
    line: int = 0
    sd: float | None = None
    reliability: float | None = None

    @property
    def established(self) -> bool:
        """True when the pack declares the total's spread and reliability."""
        return self.sd is not None and self.reliability is not None

    def band_for(self, total: float) -> Band | None:
        for band in self.bands:
            if band.min <= total <= band.max:
                return band
        return None


def jacobson_truax(sd: float, reliability: float) -> float:
    """The reliable-change threshold: 1.96 * SD * sqrt(2 * (1 - r))."""
    return 1.96 * sd * (2.0 * (1.0 - reliability)) ** 0.5


class Exercise(NamedTuple):
    """One exercise: its prompts, where it sits in the program, and how it is scored."""

    id: str
    title: str
    step: str
    intro: str
    minutes: int
    prompts: tuple[Prompt, ...]
    order: int = 0
    kind: str = "exercise"  # "checkin" is the weekly meeting, repeated
    tips: tuple[str, ...] = ()
    instruments: tuple[Instrument, ...] = ()
    source: str = ""
    line: int = 0

    def prompt(self, prompt_id: str) -> Prompt | None:
        for prompt in self.prompts:
            if prompt.id == prompt_id:
                return prompt
        return None


class SupportLine(NamedTuple):
    """One row of "where to find help"."""

    where: str
    service: str
    how: str


class LoadError(NamedTuple):
    """A problem in an exercise file: printed as ``FILE:LINE: message``."""

    file: str
    line: int
    message: str

    def __str__(self) -> str:
        return f"{self.file}:{self.line}: {self.message}"


class Partner(NamedTuple):
    """One partner: key ``a`` or ``b``, the name they chose, their colour."""

    key: str  # "a" or "b"
    name: str
    colour: str


class Couple(NamedTuple):
    """The two partners of this workbook."""

    a: Partner
    b: Partner

    def partner(self, key: str) -> Partner:
        return self.a if key == "a" else self.b

    def name(self, key: str) -> str:
        if key == TOGETHER:
            return "Together"
        return self.partner(key).name

    @property
    def partners(self) -> tuple[Partner, Partner]:
        return (self.a, self.b)


class Sitting(NamedTuple):
    """One sitting at the keyboard: when, who was there, what they worked on."""

    id: int
    started: str  # ISO 8601, local time, seconds
    ended: str | None
    attendees: tuple[str, ...]  # partner keys
    exercises: tuple[str, ...] = ()  # exercise ids answered in it, first-answered order
    minutes: int = 0


class Answer(NamedTuple):
    """One partner's latest answer to one prompt in one sitting."""

    id: int
    sitting_id: int
    exercise_id: str
    prompt_id: str
    partner: str  # "a", "b" or "together"
    value: Any
    text: str  # the value flattened to searchable text
    private: bool
    revealed: bool
    revision: int  # 1 for an answer never corrected
    created: str
    updated: str
    metric: str | None = None
    number: float | None = None


class Revision(NamedTuple):
    """One version of an answer: a correction adds a version, none is ever lost."""

    answer_id: int
    revision: int
    value: Any
    text: str
    created: str


class Commitment(NamedTuple):
    """Something a partner said they would do, and how it went."""

    id: int
    sitting_id: int
    exercise_id: str
    prompt_id: str
    what: str
    owner: str  # "a", "b" or "both"
    due: str | None  # YYYY-MM-DD
    status: str  # one of COMMITMENT_STATUSES
    created: str
    reviewed: str | None = None
    reviewed_sitting_id: int | None = None


class SearchHit(NamedTuple):
    """One full-text search match, with a snippet around the words found."""

    answer_id: int
    sitting_id: int
    sitting_started: str
    exercise_id: str
    prompt_id: str
    partner: str
    snippet: str  # with the match wrapped in [[ and ]]


@dataclass(frozen=True)
class MetricPoint:
    """One scored answer: a partner's number for a metric in a sitting."""

    sitting_id: int
    at: str  # sitting start, ISO
    partner: str
    metric: str
    value: float
    extra: dict = field(default_factory=dict, compare=False, hash=False)


def is_locked(value: Any) -> bool:
    """Whether a stored value is a locked (sealed) private answer or note."""
    return isinstance(value, dict) and LOCKED in value


FALLBACK_NAMES = {"a": "Partner A", "b": "Partner B", TOGETHER: "Together", "both": "Both of us"}


def partner_name(couple: "Couple | None", key: str) -> str:
    """A partner's name; "Partner A"/"Partner B" before the names are in; "Together", "Both of us"."""
    if couple is None or key not in PARTNERS:
        return FALLBACK_NAMES.get(key, key)
    return couple.name(key)


def partner_names(couple: "Couple | None") -> dict[str, str]:
    """key -> display name for a, b, together and both."""
    return {key: partner_name(couple, key) for key in FALLBACK_NAMES}

