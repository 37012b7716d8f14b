"""The recap of one sitting: built from the store, rendered as text, Markdown or HTML.

``build_recap`` reads only what one sitting needs: the sitting, its answers,
the commitments, and the answers of the sittings just before it (walking back
until every metric of this sitting has a previous value, or a year has gone
by), so a recap stays fast on a ten-year workbook. The result is a frozen
``Recap`` whose answers are already turned into readable pieces; the three
renderers only lay those pieces out.

Private answers are shown only once revealed. An unrevealed one becomes the
line ``PRIVATE_HIDDEN`` ("Private, not yet revealed") and nothing of it is kept in the Recap
(not its length, not its number), so no renderer can leak it.

Nothing here imports Textual.
"""

from __future__ import annotations

import html
import re
import textwrap
from dataclasses import dataclass
from datetime import date, datetime, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Collection, Sequence

from . import paths
from .kinds import MONTHS as _MONTHS, Piece, commitment_line, nice_day, pieces_for
from .trends import BIG_CHANGE, LOW_ITEM, RELIABLE_CHANGE, change_words, checkin_ids, counting_order, is_low
from .model import PARTNERS, PRIVATE_HIDDEN, TOGETHER, Answer, Commitment, Exercise, Prompt, Sitting, is_locked, partner_names

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .store import Store

KEPT_PRIVATE = "Kept private by its writer; never shown"
NO_ANSWER = "No answer yet"
FORMATS = ("text", "markdown", "html")
# How many earlier sittings to read, at most, looking for previous metric values.
LOOK_BACK = 52

_DAYS = ("Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday", "Sunday")
_STATUS = {"open": "still open", "kept": "kept", "partly": "partly kept", "not_kept": "not kept"}


# --------------------------------------------------------------------------
# The Recap


@dataclass(frozen=True)
class RecapAnswer:
    partner: str  # "a", "b" or "together"
    name: str
    status: str  # "answered", "private" (not yet revealed), "kept" (kept just for its writer) or "missing"
    pieces: tuple[Piece, ...] = ()
    edited: bool = False


@dataclass(frozen=True)
class RecapPrompt:
    id: str
    text: str
    type: str
    who: str
    answers: tuple[RecapAnswer, ...]
    in_table: bool = False  # a rating shown in the Ratings table instead


@dataclass(frozen=True)
class RecapExercise:
    id: str
    title: str
    step: str  # the step's title
    prompts: tuple[RecapPrompt, ...]


@dataclass(frozen=True)
class MetricChange:
    partner: str
    name: str
    value: float
    previous: float | None
    change: float | None
    low: bool = False  # a single rating at trends.LOW_ITEM (3) or below, whatever any total says


@dataclass(frozen=True)
class RecapMetric:
    key: str
    title: str
    min: int
    max: int
    values: tuple[MetricChange, ...]


@dataclass(frozen=True)
class RatingCell:
    """One partner's rating of one area: '4 → 5 (+1)', '5 (first rating)', 'not yet revealed' or '-'."""

    text: str
    change: str = ""  # past the threshold: trends.RELIABLE_CHANGE or trends.BIG_CHANGE; else ""
    band: str = ""  # the total's band, for a total row
    low: bool = False  # a single rating at trends.LOW_ITEM (3) or below

    @property
    def reliable(self) -> bool:
        """Past the threshold (whatever it is called)."""
        return bool(self.change)


@dataclass(frozen=True)
class RatingRow:
    area: str
    cells: tuple[RatingCell, ...]  # in the order of Ratings.names
    total: bool = False  # an instrument total (sum or mean of the areas above)


@dataclass(frozen=True)
class Ratings:
    """The sitting's ratings as one compact table: area | each partner, change since last time.

    Every recap (screen, text, Markdown, HTML) draws this one table; the
    scored prompts it covers are not repeated as blocks of their own.
    """

    names: tuple[str, ...]
    rows: tuple[RatingRow, ...]
    notes: tuple[str, ...] = ()

    def used(self, what: str) -> bool:
        return any(cell.change == what for row in self.rows for cell in row.cells)

    @property
    def any_low(self) -> bool:
        return any(cell.low for row in self.rows for cell in row.cells)


@dataclass(frozen=True)
class RecapCommitment:
    what: str
    owner: str  # a display name, or "Both of us"
    due: str | None
    status: str  # readable: "still open", "kept", ...

    @property
    def line(self) -> str:
        return commitment_line(self.what, self.owner, self.due)


@dataclass(frozen=True)
class Recap:
    sitting_id: int
    started: str  # ISO
    date: str  # readable: "Saturday 21 November 2026, 19:43"
    minutes: int
    attendees: tuple[str, ...]  # names
    name_a: str
    name_b: str
    exercises: tuple[RecapExercise, ...]
    metrics: tuple[RecapMetric, ...]
    commitments_made: tuple[RecapCommitment, ...]
    commitments_reviewed: tuple[RecapCommitment, ...]
    next_step: str
    in_progress: bool = False  # the sitting has not been ended yet
    ratings: Ratings | None = None

    @property
    def day(self) -> str:
        return self.started[:10]

    @property
    def who(self) -> str:
        return _and(self.attendees) or "nobody recorded"

    @property
    def how_long(self) -> str:
        if self.in_progress:
            return "still going"
        if self.minutes <= 0:
            return "under a minute"
        return "1 minute" if self.minutes == 1 else f"{self.minutes} minutes"


# --------------------------------------------------------------------------
# Building


def _and(names: Sequence[str]) -> str:
    names = [n for n in names if n]
    if len(names) <= 1:
        return "".join(names)
    return ", ".join(names[:-1]) + " and " + names[-1]


def _nice_time(iso: str) -> str:
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    text = f"{_DAYS[moment.weekday()]} {moment.day} {_MONTHS[moment.month - 1]} {moment.year}"
    if "T" in iso or " " in iso:
        text += f", {moment.hour:02d}:{moment.minute:02d}"
    return text


def _number(value: float) -> str:
    rounded = round(float(value), 1)
    return str(int(rounded)) if rounded == int(rounded) else f"{rounded:.1f}"


def _signed(value: float) -> str:
    text = _number(value)
    return "+" + text if value > 0 and text != "0" else text


def _visible(answer: Answer) -> bool:
    return not answer.private or answer.revealed


def _names(store: Store) -> dict[str, str]:
    return partner_names(store.get_couple())


def _commitment(value: dict, names: dict[str, str], status: str = "") -> RecapCommitment:
    owner = str(value.get("owner") or "both")
    return RecapCommitment(
        what=str(value.get("what", "")).strip() or "(nothing written)",
        owner=names.get(owner, owner),
        due=value.get("due") or None,
        status=_STATUS.get(status, status),
    )


def shared_commitments(store: Store, catalog: Catalog | None, commitments: Sequence[Commitment]) -> list[Commitment]:
    """Commitments without those written in a private prompt not yet revealed.

    The shipped program asks for commitments only in shared prompts; a pack may
    put one in a private prompt, and its words stay out until the reveal.
    """
    out = []
    for c in commitments:
        prompt = catalog.prompt(c.exercise_id, c.prompt_id) if catalog is not None else None
        if prompt is not None and prompt.is_private and not store.is_revealed(c.sitting_id, c.exercise_id, c.prompt_id):
            continue
        out.append(c)
    return out


def _from_commitment(c: Commitment, names: dict[str, str]) -> RecapCommitment:
    return _commitment({"what": c.what, "owner": c.owner, "due": c.due}, names, c.status)


def _prompt_type(prompt: Prompt | None, answer: Answer) -> str:
    if prompt is not None:
        return prompt.type
    value = answer.value
    if isinstance(value, bool):
        return "text"
    if isinstance(value, (int, float)):
        return "scale"
    if isinstance(value, list):
        return "turns" if value and isinstance(value[0], dict) else "checklist"
    if isinstance(value, dict):
        return "commitment" if "what" in value else "template"
    return "text"


def _recap_answer(
    answer: Answer | None, partner: str, prompt: Prompt | None, names: dict[str, str], own: str | None = None,
    kept: bool = False,
) -> RecapAnswer:
    name = names.get(partner, partner)
    if answer is None:
        return RecapAnswer(partner, name, "missing", (Piece(NO_ANSWER),))
    if not _visible(answer) and kept and not (own is not None and answer.partner == own):
        # Kept "just for me" at the reveal: not "not yet revealed" (it never will be).
        return RecapAnswer(partner, name, "kept", (Piece(KEPT_PRIVATE),))
    if not _visible(answer):
        if own is not None and answer.partner == own and not is_locked(answer.value):
            # A partner alone sees their own private answer in their own recap, marked as such.
            kind = _prompt_type(prompt, answer)
            mark = Piece(f"Seen only by {name}: private, not yet revealed", label="Private")
            return RecapAnswer(partner, name, "answered", (mark, *pieces_for(prompt, kind, answer.value, names)))
        return RecapAnswer(partner, name, "private", (Piece(PRIVATE_HIDDEN),))
    kind = _prompt_type(prompt, answer)
    return RecapAnswer(partner, name, "answered", pieces_for(prompt, kind, answer.value, names), edited=answer.revision > 1)


def _rated(prompt: Prompt | None, answers: Any) -> bool:
    """A scale that feeds a metric: its numbers live in the Ratings table."""
    kind = prompt.type if prompt is not None else ""
    answers = list(answers)
    # Every answer must have its cell in the table (a number, or "not yet revealed"),
    # or the prompt keeps its own block.
    return (kind == "scale" or (not kind and all(_prompt_type(None, a) == "scale" for a in answers))) and all(
        a.metric and (a.number is not None or not _visible(a)) for a in answers
    )


def _exercises(
    sitting: Sitting, answers: list[Answer], catalog: Catalog, names: dict[str, str], own: str | None = None,
    kept: frozenset[tuple[str, str, str]] = frozenset(),
) -> tuple[RecapExercise, ...]:
    by_exercise: dict[str, dict[str, dict[str, Answer]]] = {}
    order: list[str] = list(sitting.exercises)
    for answer in answers:
        by_exercise.setdefault(answer.exercise_id, {}).setdefault(answer.prompt_id, {})[answer.partner] = answer
        if answer.exercise_id not in order:
            order.append(answer.exercise_id)
    out: list[RecapExercise] = []
    for exercise_id in order:
        answered = by_exercise.get(exercise_id)
        if not answered:
            continue
        exercise: Exercise | None = catalog.exercise(exercise_id) if catalog is not None else None
        prompt_ids = [p.id for p in exercise.prompts] if exercise else []
        prompt_ids += [pid for pid in answered if pid not in prompt_ids]  # prompts no longer in the pack
        prompts: list[RecapPrompt] = []
        for prompt_id in prompt_ids:
            got = answered.get(prompt_id)
            if not got:
                continue
            prompt = exercise.prompt(prompt_id) if exercise else None
            who = prompt.who if prompt else ("together" if TOGETHER in got else "each")
            # Shared prompts (together, and turns: both partners inside one
            # answer) are shown once; anything stored under a partner anyway
            # is shown too rather than lost.
            shared = who == "together" or (prompt is not None and prompt.type == "turns")
            if shared or (TOGETHER in got and not any(k in got for k in PARTNERS)):
                slots = [TOGETHER] + [k for k in PARTNERS if k in got]
            else:
                slots = [*PARTNERS, *sorted(k for k in got if k not in PARTNERS)]
            prompts.append(
                RecapPrompt(
                    id=prompt_id,
                    text=prompt.text.strip() if prompt else prompt_id,
                    type=prompt.type if prompt else _prompt_type(None, next(iter(got.values()))),
                    who=who,
                    answers=tuple(
                        _recap_answer(got.get(slot), slot, prompt, names, own, (exercise_id, prompt_id, slot) in kept)
                        for slot in slots
                    ),
                    in_table=_rated(prompt, got.values()),
                )
            )
        step = catalog.step(exercise.step) if exercise is not None else None
        out.append(
            RecapExercise(
                id=exercise_id,
                title=exercise.title if exercise else exercise_id,
                step=step.title if step else (exercise.step if exercise else ""),
                prompts=tuple(prompts),
            )
        )
    return tuple(out)


def metric_values(answers: Sequence[Answer], checkins: Collection[str]) -> dict[tuple[str, str], float]:
    """(metric, partner) -> this sitting's rating; unrevealed private left out.

    One rating per partner per metric per sitting, by the rule every trend uses
    (``trends.counting_order``: the check-in's, else the first given).
    """
    out: dict[tuple[str, str], float] = {}
    for answer in sorted(answers, key=lambda a: counting_order(a.exercise_id, a.id, checkins)):
        if answer.metric is None or answer.number is None or not _visible(answer):
            continue
        out.setdefault((answer.metric, answer.partner), float(answer.number))
    return out


def _metrics(store: Store, catalog: Catalog, sitting: Sitting, answers: list[Answer], earlier: list[Sitting], names: dict[str, str], answers_of: Any = None) -> tuple[RecapMetric, ...]:
    checkins = checkin_ids(catalog)
    now = metric_values(answers, checkins)
    if not now:
        return ()
    previous: dict[tuple[str, str], float] = {}
    wanted = set(now)
    for older in earlier[:LOOK_BACK]:
        if not wanted:
            break
        found = metric_values((answers_of or store.answers_for_sitting)(older.id), checkins)
        for key in list(wanted):
            if key in found:
                previous[key] = found[key]
                wanted.discard(key)
    declared = [m.key for m in catalog.metrics]
    keys = [k for k in declared if any(m == k for m, _ in now)]
    keys += sorted({m for m, _ in now} - set(keys))
    out: list[RecapMetric] = []
    for key in keys:
        metric = catalog.metric(key)
        values: list[MetricChange] = []
        for partner in (*PARTNERS, TOGETHER):
            if (key, partner) not in now:
                continue
            value = now[(key, partner)]
            before = previous.get((key, partner))
            lo, hi = (metric.min, metric.max) if metric else (1, 10)
            values.append(
                MetricChange(partner, names.get(partner, partner), value, before,
                             None if before is None else value - before, low=is_low(value, lo, hi))
            )
        out.append(
            RecapMetric(
                key=key,
                title=metric.title if metric else (catalog.metric_title(key) if catalog is not None else key),
                min=metric.min if metric else 0,
                max=metric.max if metric else 0,
                values=tuple(values),
            )
        )
    return tuple(out)


def moved(value: float, previous: float | None, change: float | None, first: str = "first rating") -> str:
    """'4 → 5 (+1)'; with nothing before it, '5 (first rating)'."""
    if previous is None or change is None:
        return f"{_number(value)} ({first})"
    return f"{_number(previous)} → {_number(value)} ({_signed(change)})"


# Marks in the ratings table; each note is shown only when its mark is used.
MARKS = {RELIABLE_CHANGE: "†", BIG_CHANGE: "*"}
LOW_MARK = "!"
RELIABLE_NOTE = "† a reliable change (the pack's own statistics say it is more than measurement noise)."
BIG_NOTE = "* bigger than a usual week: past our rough guide, not a clinical test."
LOW_NOTE = f"! a single rating at {LOW_ITEM} or below, whatever the total says."
RATINGS_TITLE = "Ratings"


def instrument_totals(answers: Sequence[Answer], exercise_id: str, items: Sequence[str], method: str) -> dict[str, float]:
    """partner -> the instrument's total in these answers, for partners who gave every item (visible).

    An exercise feeds a metric from one prompt only (``validate`` refuses two), so
    each item is one answer; should an older workbook hold two, the first given counts.
    """
    values: dict[tuple[str, str], float] = {}
    for answer in sorted(answers, key=lambda a: a.id):
        if answer.exercise_id != exercise_id or answer.metric not in items or answer.number is None or not _visible(answer):
            continue
        values.setdefault((answer.partner, answer.metric), float(answer.number))
    out: dict[str, float] = {}
    for partner in PARTNERS:
        got = [values.get((partner, metric)) for metric in items]
        if all(v is not None for v in got):
            total = sum(got)  # type: ignore[arg-type]
            out[partner] = total / len(items) if method == "mean" else total
    return out


def _ratings(
    catalog: Catalog | None, answers: list[Answer], metrics: tuple[RecapMetric, ...], names: dict[str, str],
    earlier_answers: Any,
) -> Ratings | None:
    """The compact table: one row per rated area, then each instrument total with its band."""
    hidden = {(a.metric, a.partner) for a in answers if a.metric is not None and not _visible(a)}
    if not metrics and not hidden:
        return None
    from .trends import metric_thresholds

    thresholds = metric_thresholds(catalog) if catalog is not None else {}
    columns = list(PARTNERS)
    if any(v.partner == TOGETHER for m in metrics for v in m.values):
        columns.append(TOGETHER)
    by_key = {m.key: m for m in metrics}
    rated = set(by_key) | {k for k, _ in hidden}
    declared = [m.key for m in catalog.metrics] if catalog is not None else []
    order = [k for k in declared if k in rated]
    order += sorted(rated - set(order))
    rows: list[RatingRow] = []
    for key in order:
        metric = by_key.get(key)
        values = {v.partner: v for v in metric.values} if metric else {}
        cells = []
        for partner in columns:
            value = values.get(partner)
            if value is not None:
                # A single metric's threshold is always a rough guide ("bigger than a usual week").
                cells.append(RatingCell(moved(value.value, value.previous, value.change),
                                        change_words(value.change, thresholds.get(key)), low=value.low))
            elif (key, partner) in hidden:
                cells.append(RatingCell("not yet revealed"))
            else:
                cells.append(RatingCell("-"))
        title = metric.title if metric else (catalog.metric_title(key) if catalog is not None else key)
        rows.append(RatingRow(title.split(" (", 1)[0], tuple(cells)))
    # Instrument totals, for instruments whose exercise was answered here.
    answered = {a.exercise_id for a in answers}
    for exercise, instrument in (catalog.instruments() if catalog is not None else []):
        if exercise.id not in answered:
            continue
        items = [p.metric for p in (exercise.prompt(pid) for pid in instrument.prompts) if p is not None and p.metric]
        if not items:
            continue
        now = instrument_totals(answers, exercise.id, items, instrument.method)
        if not now:
            continue
        before: dict[str, float] = {}
        for older in earlier_answers():
            found = instrument_totals(older, exercise.id, items, instrument.method)
            for partner, total in found.items():
                before.setdefault(partner, total)
            if all(p in before for p in now):
                break
        cells = []
        for partner in columns:
            if partner not in now:
                cells.append(RatingCell("-"))
                continue
            total = now[partner]
            previous = before.get(partner)
            change = None if previous is None else total - previous
            band = instrument.band_for(total)
            established = instrument.established
            cells.append(RatingCell(moved(total, previous, change, "first total"),
                                    change_words(change, instrument.reliable_change, established),
                                    band.name if band else ""))
        rows.append(RatingRow(instrument.title, tuple(cells), total=True))
    table = Ratings(tuple(names.get(p, p) for p in columns), tuple(rows))
    notes = ["Each rating: last time → this time (change)."]
    if table.used(RELIABLE_CHANGE):
        notes.append(RELIABLE_NOTE)
    if table.used(BIG_CHANGE):
        notes.append(BIG_NOTE)
    if table.any_low:
        notes.append(LOW_NOTE)
    return Ratings(table.names, table.rows, tuple(notes))


def _next_step(catalog: Catalog, sitting: Sitting, earlier: list[Sitting], done_before: set[str] | None = None) -> str:
    if catalog is None:
        return ""
    done = set(sitting.exercises)
    if done_before is not None:
        done |= done_before
    else:
        for older in earlier:
            done.update(older.exercises)
    for step in catalog.steps:
        for exercise in catalog.exercises_for(step.id):
            if exercise.kind == "checkin" or exercise.id in done:
                continue
            return f"{exercise.title} ({step.title}, about {exercise.minutes} minutes)."
    checkin = catalog.checkin()
    if checkin is None:
        return "Every exercise is done. Come back to any of them whenever it helps."
    try:
        when = (datetime.fromisoformat(sitting.started) + timedelta(days=7)).date().isoformat()
    except ValueError:
        return f"Next week's {checkin.title.lower()}."
    return f"Next week's {checkin.title} (about {checkin.minutes} minutes), around {nice_day(when)}."


def build_recap(store: Store, catalog: Catalog, sitting_id: int, *, own: str | None = None) -> Recap:
    """The recap of one sitting. Raises LookupError when there is no such sitting.

    ``own``: the partner who sat alone, reading their own recap on screen: their
    private answers are shown to them, marked as seen only by them. Never for a
    sitting of two, and never for a recap that is saved or printed.
    """
    sitting = store.get_sitting(sitting_id)
    if sitting is None:
        raise LookupError(f"no sitting #{sitting_id} in this workbook")
    names = _names(store)
    answers = store.answers_for_sitting(sitting_id)
    # Sittings before this one, newest first (list_sittings is newest first).
    # Only the sittings the metrics look back over, and the ids of exercises
    # done before (ten years are 520 sittings).
    earlier = store.sittings_before(sitting.id, limit=LOOK_BACK)
    done_before = store.exercises_before(sitting.id)
    made_rows = store.commitments_made_in(sitting_id)
    reviewed_rows = store.commitments_reviewed_in(sitting_id)
    read: dict[int, list[Answer]] = {}

    def answers_of(sitting_id: int) -> list[Answer]:
        # Earlier sittings are read once, for the metrics and the totals alike.
        if sitting_id not in read:
            read[sitting_id] = store.answers_for_sitting(sitting_id)
        return read[sitting_id]

    def earlier_answers() -> Any:
        for older in earlier[:LOOK_BACK]:
            yield answers_of(older.id)

    metrics = _metrics(store, catalog, sitting, answers, earlier, names, answers_of)
    made_rows = shared_commitments(store, catalog, made_rows)
    reviewed_rows = shared_commitments(store, catalog, reviewed_rows)
    made = tuple(_from_commitment(c, names) for c in made_rows)
    # Reviewed here means made in an earlier sitting and followed up in this one.
    reviewed = tuple(_from_commitment(c, names) for c in reviewed_rows if c.sitting_id != sitting_id)
    return Recap(
        sitting_id=sitting.id,
        started=sitting.started,
        date=_nice_time(sitting.started),
        minutes=int(sitting.minutes or 0),
        attendees=tuple(names.get(k, k) for k in sitting.attendees),
        name_a=names["a"],
        name_b=names["b"],
        exercises=_exercises(sitting, answers, catalog, names,
                             own if own is not None and tuple(sitting.attendees) == (own,) else None,
                             frozenset(tuple(row) for row in store.kept_private(sitting_id))),
        metrics=metrics,
        ratings=_ratings(catalog, answers, metrics, names, earlier_answers),
        commitments_made=made,
        commitments_reviewed=reviewed,
        next_step=_next_step(catalog, sitting, earlier, done_before),
        in_progress=sitting.ended is None,
    )


# --------------------------------------------------------------------------
# Rendering


_CONTROL = re.compile(r"[\x00-\x08\x0b-\x1f\x7f-\x9f]")


def _clean(text: str) -> str:
    """User text without terminal control codes; newlines kept, tabs as spaces."""
    return _CONTROL.sub("", str(text).replace("\r\n", "\n").replace("\r", "\n").replace("\t", "    "))


# ---- text


def _wrap(text: str, width: int, indent: str = "", first: str | None = None) -> list[str]:
    """Wrap keeping the writer's own line breaks; every line at most ``width``."""
    first = indent if first is None else first
    out: list[str] = []
    for n, para in enumerate(_clean(text).split("\n")):
        lead = first if n == 0 else indent
        if not para.strip():
            out.append("")
            continue
        out.extend(
            textwrap.wrap(para, width=width, initial_indent=lead, subsequent_indent=indent, break_on_hyphens=False)
            or [lead.rstrip()]
        )
    return out


def _underline(title: str, char: str, width: int) -> list[str]:
    lines = _wrap(title, width)
    return lines + [char * min(width, max(len(line) for line in lines))]


IN_THE_TABLE = "Its ratings are in the table of ratings above."


def _only_ratings(exercise: RecapExercise) -> bool:
    return bool(exercise.prompts) and all(p.in_table for p in exercise.prompts)


def cell_text(cell: RatingCell) -> str:
    """'5 → 2 (-3) * !': the numbers, then the marks the notes explain."""
    marks = [MARKS[cell.change]] if cell.change in MARKS else []
    if cell.low:
        marks.append(LOW_MARK)
    return " ".join([cell.text, *marks])


def ratings_lines(ratings: Ratings, width: int = 80) -> list[str]:
    """The ratings as a plain table that fits ``width`` (stacked per area when it cannot).

    A total's band goes on the line below its numbers; numbers never wrap.
    """
    area_w = min(24, max(len(row.area) for row in ratings.rows))
    cell_w = max([len(n) for n in ratings.names] + [len(cell_text(c)) for r in ratings.rows for c in r.cells]
                 + [len(c.band) for r in ratings.rows for c in r.cells])
    columns = len(ratings.names)
    out: list[str] = []
    if 2 + area_w + columns * (2 + cell_w) <= width:
        def row_line(area: str, cells: Sequence[str]) -> str:
            return ("  " + f"{area:<{area_w}}" + "".join(f"  {c:<{cell_w}}" for c in cells)).rstrip()

        out.append(row_line("", ratings.names))
        for row in ratings.rows:
            area = row.area if len(row.area) <= area_w else row.area[: area_w - 1] + "…"
            out.append(row_line(area, [cell_text(c) for c in row.cells]))
            if any(c.band for c in row.cells):
                out.append(row_line("", [c.band for c in row.cells]))
    else:
        for row in ratings.rows:
            out += _wrap(row.area, width, "  ")
            for name, cell in zip(ratings.names, row.cells):
                band = f", {cell.band}" if cell.band else ""
                out += _wrap(f"{name}: {cell_text(cell)}{band}", width, "      ", "    ")
    for note in ratings.notes:
        out += _wrap(note, width, "  ")
    return out


def render_text(recap: Recap, width: int = 80) -> str:
    """Plain text that fits ``width`` columns: both partners one after the other under each prompt."""
    width = max(30, width)
    lines: list[str] = []
    lines += _underline(f"Recap: {recap.date}", "=", width)
    lines += _wrap(f"Who was there: {recap.who}", width, "  ")
    lines += _wrap(f"How long: {recap.how_long}", width, "  ")
    if recap.ratings is not None:
        lines.append("")
        lines += _underline(RATINGS_TITLE, "-", width)
        lines += ratings_lines(recap.ratings, width)
    if not recap.exercises:
        lines += ["", *_wrap("No answers were written in this sitting.", width)]
    for exercise in recap.exercises:
        lines.append("")
        title = f"{exercise.title} ({exercise.step})" if exercise.step else exercise.title
        lines += _underline(title, "-", width)
        if _only_ratings(exercise):
            lines += ["", *_wrap(IN_THE_TABLE, width, "  ")]
        for prompt in exercise.prompts:
            if prompt.in_table:
                continue
            lines.append("")
            lines += _wrap(prompt.text, width)
            for answer in prompt.answers:
                label = answer.name + (" (edited later)" if answer.edited else "") + ":"
                lines += _wrap(label, width, "    ", "  ")
                for piece in answer.pieces:
                    if piece.bullet:
                        lines += _wrap(piece.text, width, "      ", "    - ")
                    elif piece.label:
                        lines += _wrap(f"{piece.label}: {piece.text}", width, "      ", "    ")
                    else:
                        lines += _wrap(piece.text, width, "    ")
    for title, items, with_status in (
        ("Commitments made", recap.commitments_made, False),
        ("Commitments reviewed", recap.commitments_reviewed, True),
    ):
        if not items:
            continue
        lines.append("")
        lines += _underline(title, "-", width)
        for item in items:
            text = item.line + (f" — {item.status}" if with_status else "")
            lines += _wrap(text, width, "    ", "  - ")
    if recap.next_step:
        lines.append("")
        lines += _underline("Next step", "-", width)
        lines += _wrap(recap.next_step, width, "  ")
    return "\n".join(line.rstrip() for line in lines) + "\n"


def render_plain(recap: Recap) -> str:
    """The short summary the sitting's end falls back on: one line per answer, from the same Recap."""
    lines = [
        f"Sitting of {recap.date}",
        f"Who was there: {recap.who}",
        f"How long: {recap.how_long}",
        "",
    ]
    if recap.ratings is not None:
        lines += [RATINGS_TITLE, *ratings_lines(recap.ratings), ""]
    if not recap.exercises:
        lines.append("Nothing was answered in this sitting.")
    for exercise in recap.exercises:
        lines.append(exercise.title)
        for prompt in exercise.prompts:
            if prompt.in_table:
                continue
            lines.append(f"  {' '.join(prompt.text.split())}")
            for answer in prompt.answers:
                if answer.status == "private":
                    shown = PRIVATE_HIDDEN
                else:
                    shown = " / ".join(" ".join(p.text.split()) for p in answer.pieces) or "(left blank)"
                lines.append(f"    {answer.name}: {_clean(shown)}")
        lines.append("")
    return "\n".join(lines).rstrip() + "\n"


# ---- markdown

_MD_ANYWHERE = re.compile(r"([\\`*_\[\]<>|~&#!])")
_MD_LINE_START = re.compile(r"^(\s*)([-+=>]|\d+(?=[.)]))")


def _md_line_start(m: re.Match) -> str:
    marker = m.group(2)
    # "1." becomes "1\." (not a list); "-", "+", "=", ">" get a backslash before.
    return m.group(1) + (marker + "\\" if marker[0].isdigit() else "\\" + marker)


def md_escape(text: str) -> str:
    """User text made inert in Markdown: inline controls escaped, line-start markers too."""
    out = []
    for line in _clean(text).split("\n"):
        line = _MD_ANYWHERE.sub(r"\\\1", line)
        line = _MD_LINE_START.sub(_md_line_start, line)
        out.append(line)
    return "\n".join(out)


def _md_block(text: str) -> str:
    """Escaped text whose own line breaks survive (CommonMark hard breaks); blank lines split paragraphs."""
    paras = [p for p in re.split(r"\n\s*\n", _clean(text).strip())]
    rendered = []
    for para in paras:
        lines = [md_escape(line.strip()) for line in para.split("\n") if line.strip()]
        rendered.append("\\\n".join(lines))
    return "\n\n".join(r for r in rendered if r)


def render_markdown(recap: Recap) -> str:
    out: list[str] = []
    out.append(f"# Recap: {md_escape(recap.date)}")
    out.append("")
    out.append(f"**Who was there:** {md_escape(recap.who)}\\")
    out.append(f"**How long:** {md_escape(recap.how_long)}")
    if recap.ratings is not None:
        ratings = recap.ratings
        out += ["", f"## {RATINGS_TITLE}", ""]
        out.append("| Area | " + " | ".join(md_escape(name) for name in ratings.names) + " |")
        out.append("|---" + "|---:" * len(ratings.names) + "|")
        for row in ratings.rows:
            cells = [md_escape(cell_text(c)) + (f"; {md_escape(c.band)}" if c.band else "") for c in row.cells]
            area = f"**{md_escape(row.area)}**" if row.total else md_escape(row.area)
            out.append(f"| {area} | " + " | ".join(cells) + " |")
        out.append("")
        out.append("\\\n".join(md_escape(note) for note in ratings.notes))
    if not recap.exercises:
        out += ["", "No answers were written in this sitting."]
    for exercise in recap.exercises:
        out.append("")
        out.append(f"## {md_escape(exercise.title)}")
        if exercise.step:
            out += ["", f"*{md_escape(exercise.step)}*"]
        if _only_ratings(exercise):
            out += ["", md_escape(IN_THE_TABLE)]
        for prompt in exercise.prompts:
            if prompt.in_table:
                continue
            out += ["", f"### {md_escape(' '.join(prompt.text.split()))}"]
            for answer in prompt.answers:
                label = md_escape(answer.name) + (" *(edited later)*" if answer.edited else "")
                out.append("")
                if answer.status != "answered":
                    out.append(f"**{label}:** *{answer.pieces[0].text}*")
                    continue
                bullets = [p for p in answer.pieces if p.bullet]
                plain = [p for p in answer.pieces if not p.bullet]
                if len(plain) == 1 and not plain[0].label and not bullets:
                    out.append(f"**{label}:** {_md_block(plain[0].text)}")
                    continue
                out.append(f"**{label}:**")
                for piece in plain:
                    out.append("")
                    if piece.label:
                        out.append(f"*{md_escape(piece.label)}:* {_md_block(piece.text)}")
                    else:
                        out.append(_md_block(piece.text))
                if bullets:
                    out.append("")
                    out += [f"- {md_escape(' '.join(p.text.split()))}" for p in bullets]
    for title, items, with_status in (
        ("Commitments made", recap.commitments_made, False),
        ("Commitments reviewed", recap.commitments_reviewed, True),
    ):
        if not items:
            continue
        out += ["", f"## {title}", ""]
        for item in items:
            text = item.line + (f" — {item.status}" if with_status else "")
            out.append(f"- {md_escape(' '.join(text.split()))}")
    if recap.next_step:
        out += ["", "## Next step", "", md_escape(recap.next_step)]
    return "\n".join(out) + "\n"


# ---- html

_CSS = """
:root { color-scheme: light; }
* { box-sizing: border-box; }
body { margin: 0; background: #fff; color: #111;
  font: 11pt/1.5 system-ui, -apple-system, "Segoe UI", Roboto, "Helvetica Neue", Arial, sans-serif; }
main { max-width: 48rem; margin: 0 auto; padding: 1.5rem 1rem 3rem; }
h1 { font-size: 1.6rem; margin: 0 0 .5rem; }
h2 { font-size: 1.25rem; margin: 2rem 0 .25rem; padding-bottom: .2rem; border-bottom: 2px solid #333; }
h3 { font-size: 1rem; margin: 0 0 .5rem; }
.step { font-style: italic; font-weight: 400; font-size: .85em; }
dl.facts { display: grid; grid-template-columns: max-content 1fr; gap: .1rem 1rem; margin: 0; }
dl.facts dt { font-weight: 600; }
dl.facts dd { margin: 0; }
.prompt { margin: 0 0 1rem; padding: .75rem 0 0; border-top: 1px solid #bbb; }
.answers { display: grid; grid-template-columns: 1fr 1fr; gap: .75rem 1.25rem; }
.answer { min-width: 0; overflow-wrap: anywhere; }
.answer.together { grid-column: 1 / -1; }
.who { font-weight: 700; margin: 0 0 .2rem; }
.answer p { margin: 0 0 .4rem; white-space: pre-wrap; }
.answer ul { margin: 0 0 .4rem; padding-left: 1.2rem; }
.answer .label { font-weight: 600; }
.private, .kept, .missing { font-style: italic; }
.edited { font-weight: 400; font-style: italic; }
table { border-collapse: collapse; width: 100%; }
th, td { text-align: left; padding: .3rem .5rem; border-bottom: 1px solid #bbb; vertical-align: top; }
thead th { border-bottom: 2px solid #333; }
ul.commitments { padding-left: 1.2rem; }
@media (max-width: 36rem) { .answers { grid-template-columns: 1fr; } }
td.num, th.num { white-space: nowrap; font-variant-numeric: tabular-nums; }
table.ratings { width: auto; min-width: 60%; }
table.ratings tr.total th, table.ratings tr.total td { border-top: 1.5px solid #333; font-weight: 700; }
table.ratings .band { font-weight: 400; font-style: italic; }
.mark { font-weight: 700; }
p.note { margin: .3rem 0 0; font-size: .9em; color: #333; }
/* Margins that suit both A4 (210 x 297 mm) and Letter (216 x 279 mm); the
   size follows the printer's paper. A running header names the couple and the
   sitting; the footer numbers the pages. */
@page { size: auto; margin: 14mm 15mm 13mm 15mm;
  @top-left { content: RUNNING_HEADER; font: 8.5pt sans-serif; color: #333; }
  @bottom-right { content: "Page " counter(page) " of " counter(pages); font: 8.5pt sans-serif; color: #333; }
}
@media print {
  body { font-size: 9.5pt; line-height: 1.38; }
  main { max-width: none; padding: 0; }
  h1 { font-size: 1.35rem; }
  h2 { margin: .7rem 0 .2rem; font-size: 1.1rem; }
  h3 { margin: 0 0 .25rem; font-size: .98rem; }
  .prompt { margin: 0 0 .35rem; padding-top: .3rem; }
  .answers { gap: .2rem 1.25rem; }
  .answer p { margin: 0 0 .15rem; }
  th, td { padding: .12rem .5rem; }
  ul.commitments { margin: .2rem 0; }
  section.next p { margin: .2rem 0 0; }
  h1, h2, h3 { break-after: avoid; page-break-after: avoid; }
  .prompt, tr, li, dl.facts { break-inside: avoid; page-break-inside: avoid; }
  .exercise { break-before: auto; }
  .exercise + .exercise.long { break-before: page; page-break-before: always; }
  section.ratings, section.commitments, section.next { break-inside: avoid; page-break-inside: avoid; }
}
""".strip()


def css_string(text: str) -> str:
    """Text as a CSS string literal that cannot end the string or the style element."""
    text = " ".join(str(text).split())
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"').replace("<", "\\3c ") + '"'


def _recap_css(recap: Recap) -> str:
    names = " and ".join(n for n in (recap.name_a, recap.name_b) if n)
    header = f"Recap · {names} · {recap.date}" if names else f"Recap · {recap.date}"
    return _CSS.replace("RUNNING_HEADER", css_string(_clean(header)))


def _h(text: Any) -> str:
    return html.escape(_clean(str(text)), quote=True)


def _html_text(text: str) -> str:
    """Escaped text in paragraphs; the writer's single line breaks kept by pre-wrap."""
    paras = [p.strip("\n") for p in re.split(r"\n\s*\n", _clean(text).strip())]
    return "".join(f"<p>{_h(p)}</p>" for p in paras if p.strip()) or "<p></p>"


def _html_answer(answer: RecapAnswer) -> str:
    classes = ["answer"]
    if answer.partner == TOGETHER:
        classes.append("together")
    out = [f'<div class="{" ".join(classes)}">']
    edited = ' <span class="edited">(edited later)</span>' if answer.edited else ""
    out.append(f'<p class="who">{_h(answer.name)}{edited}</p>')
    if answer.status != "answered":
        out.append(f'<p class="{answer.status}">{_h(answer.pieces[0].text)}</p>')
    else:
        bullets: list[str] = []
        for piece in answer.pieces:
            if piece.bullet:
                bullets.append(f"<li>{_h(piece.text)}</li>")
                continue
            if bullets:
                out.append("<ul>" + "".join(bullets) + "</ul>")
                bullets = []
            if piece.label:
                out.append(f'<p><span class="label">{_h(piece.label)}:</span> {_h(piece.text.strip())}</p>')
            else:
                out.append(_html_text(piece.text))
        if bullets:
            out.append("<ul>" + "".join(bullets) + "</ul>")
    out.append("</div>")
    return "".join(out)


def render_html(recap: Recap) -> str:
    """One self-contained page: inline CSS only, no scripts, fonts or images; prints on A4 and Letter."""
    out: list[str] = [
        "<!doctype html>",
        '<html lang="en">',
        "<head>",
        '<meta charset="utf-8">',
        '<meta name="viewport" content="width=device-width, initial-scale=1">',
        f"<title>Recap: {_h(recap.date)}</title>",
        f"<style>\n{_recap_css(recap)}\n</style>",
        "</head>",
        "<body>",
        "<main>",
        "<header>",
        f"<h1>Recap: {_h(recap.date)}</h1>",
        '<dl class="facts">',
        f"<dt>Who was there</dt><dd>{_h(recap.who)}</dd>",
        f"<dt>How long</dt><dd>{_h(recap.how_long)}</dd>",
        "</dl>",
        "</header>",
    ]
    if recap.ratings is not None:
        ratings = recap.ratings
        out.append('<section class="ratings">')
        out.append(f"<h2>{RATINGS_TITLE}</h2>")
        out.append('<table class="ratings"><thead><tr><th>Area</th>'
                   + "".join(f'<th class="num">{_h(n)}</th>' for n in ratings.names) + "</tr></thead><tbody>")
        for row in ratings.rows:
            cells = []
            for cell in row.cells:
                marks = cell_text(cell)[len(cell.text):].strip()
                mark = f' <b class="mark">{_h(marks)}</b>' if marks else ""
                band = f'<br><span class="band">{_h(cell.band)}</span>' if cell.band else ""
                cells.append(f'<td class="num">{_h(cell.text)}{mark}{band}</td>')
            opening = '<tr class="total">' if row.total else "<tr>"
            out.append(f'{opening}<th>{_h(row.area)}</th>{"".join(cells)}</tr>')
        out.append("</tbody></table>")
        out.append("".join(f'<p class="note">{_h(note)}</p>' for note in ratings.notes))
        out.append("</section>")
    if not recap.exercises:
        out.append("<p>No answers were written in this sitting.</p>")
    for exercise in recap.exercises:
        # A long exercise starts on a fresh page when printed; short ones flow on.
        long = sum(len(p.answers) for p in exercise.prompts if not p.in_table) > 8
        out.append(f'<section class="exercise{" long" if long else ""}">')
        # The step beside the title, not on a line of its own (a line less per exercise on paper).
        step = f' <span class="step">· {_h(exercise.step)}</span>' if exercise.step else ""
        out.append(f"<h2>{_h(exercise.title)}{step}</h2>")
        if _only_ratings(exercise):
            out.append(f'<p class="note">{_h(IN_THE_TABLE)}</p>')
        for prompt in exercise.prompts:
            if prompt.in_table:
                continue
            out.append('<article class="prompt">')
            out.append(f"<h3>{_h(' '.join(prompt.text.split()))}</h3>")
            out.append('<div class="answers">' + "".join(_html_answer(a) for a in prompt.answers) + "</div>")
            out.append("</article>")
        out.append("</section>")
    for title, items, with_status in (
        ("Commitments made", recap.commitments_made, False),
        ("Commitments reviewed", recap.commitments_reviewed, True),
    ):
        if not items:
            continue
        out.append('<section class="commitments">')
        out.append(f"<h2>{title}</h2>")
        out.append('<ul class="commitments">')
        for item in items:
            text = item.line + (f" — {item.status}" if with_status else "")
            out.append(f"<li>{_h(text)}</li>")
        out.append("</ul>")
        out.append("</section>")
    if recap.next_step:
        out.append('<section class="next">')
        out.append("<h2>Next step</h2>")
        out.append(f"<p>{_h(recap.next_step)}</p>")
        out.append("</section>")
    out += ["</main>", "</body>", "</html>"]
    return "\n".join(out) + "\n"


# ---- dispatch and files


def render(recap: Recap, fmt: str) -> str:
    """``fmt`` is "text", "markdown" (or "md") or "html"."""
    fmt = {"md": "markdown", "txt": "text"}.get(fmt, fmt)
    if fmt == "text":
        return render_text(recap)
    if fmt == "markdown":
        return render_markdown(recap)
    if fmt == "html":
        return render_html(recap)
    raise ValueError(f"unknown recap format {fmt!r}: use text, markdown or html")


def recap_file_stem(recap: Recap) -> str:
    return f"recap-{recap.day}-sitting-{recap.sitting_id}"


def save_recap_files(recap: Recap, folder: Path) -> list[Path]:
    """Write the HTML and Markdown recaps into ``folder`` (owner-only); return their paths."""
    folder = paths.make_private_dir(Path(folder))
    stem = recap_file_stem(recap)
    html_path = paths.write_private(folder / f"{stem}.html", render_html(recap))
    md_path = paths.write_private(folder / f"{stem}.md", render_markdown(recap))
    return [html_path, md_path]
