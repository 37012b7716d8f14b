"""Where the couple are in the program: the order of answer slots, what is done,
what waits for an absent partner, and where to pick up again.

Plain functions over the store and the catalogue; no Textual here, so this is
tested in milliseconds.

A *slot* is one answer to give: a prompt and who gives it. ``each`` and
``private`` prompts give one slot per attending partner (a, then b); a
``together`` prompt gives one shared slot (partner ``"together"``); a ``turns``
prompt is one shared slot too (speaker and listener alternate inside its
widget). A shared slot needs both partners: a solo sitting leaves it waiting.

A *run* is a stretch of private prompts next to each other in the exercise.
A run is answered partner by partner: a answers every prompt of it, then b
does, so the keyboard changes hands once each way, and the answers are
revealed together at its end. A lone private prompt is a run of one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Iterable, Mapping, NamedTuple, Sequence

from .kinds import KINDS, is_answered
from .model import PARTNERS, TOGETHER, Exercise, Prompt

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .store import Store

RESUME_KEY = "resume"


class Slot(NamedTuple):
    """One answer to give: ``partner`` is "a", "b" or "together"."""

    prompt: Prompt
    partner: str


def _ordered(attendees: Iterable[str]) -> list[str]:
    present = set(attendees)
    return [p for p in PARTNERS if p in present]


def is_shared(prompt: Prompt) -> bool:
    """A prompt answered once for the couple (stored under "together")."""
    return KINDS[prompt.type].shared or prompt.who == "together"


def in_run(prompt: Prompt) -> bool:
    """A prompt answered privately by each partner (so part of a private run)."""
    return prompt.is_private and not is_shared(prompt)


def private_runs(exercise: Exercise) -> list[tuple[Prompt, ...]]:
    """The runs of private prompts next to each other, in exercise order."""
    runs: list[tuple[Prompt, ...]] = []
    current: list[Prompt] = []
    for prompt in exercise.prompts:
        if in_run(prompt):
            current.append(prompt)
            continue
        if current:
            runs.append(tuple(current))
            current = []
    if current:
        runs.append(tuple(current))
    return runs


def run_of(exercise: Exercise, prompt_id: str) -> tuple[Prompt, ...]:
    """The run a private prompt belongs to (empty for any other prompt)."""
    for run in private_runs(exercise):
        if any(p.id == prompt_id for p in run):
            return run
    return ()


def slots(exercise: Exercise, attendees: Sequence[str], *, own_only: bool = False) -> list[Slot]:
    """The answers to give in this exercise, in order, for these attendees.

    ``each`` prompts go a, b prompt by prompt; a run of private prompts goes
    partner by partner (a answers the whole run, then b). ``own_only`` keeps
    only each/private slots: a partner catching up on a sitting they missed
    answers their own part, not the shared prompts.
    """
    present = _ordered(attendees)
    out: list[Slot] = []
    run: list[Prompt] = []

    def close_run() -> None:
        out.extend(Slot(prompt, p) for p in present for prompt in run)
        run.clear()

    for prompt in exercise.prompts:
        if in_run(prompt):
            run.append(prompt)
            continue
        close_run()
        if is_shared(prompt):
            if own_only or len(present) < 2:
                continue  # a shared answer waits until both are here
            out.append(Slot(prompt, TOGETHER))
        else:
            out.extend(Slot(prompt, p) for p in present)
    close_run()
    return out


def _answered_keys(answers: Iterable[Any], exercise: Exercise) -> set[tuple[str, str]]:
    """(prompt id, partner) pairs that hold a real answer, in any sitting."""
    types = {p.id: p.type for p in exercise.prompts}
    done: set[tuple[str, str]] = set()
    for answer in answers:
        ptype = types.get(answer.prompt_id)
        if ptype is not None and is_answered(ptype, answer.value):
            done.add((answer.prompt_id, answer.partner))
    return done


# A check-in repeats every week: only this many recent sittings are looked at,
# so the answer does not depend on (or cost) years of history.
RECENT_SITTINGS = 26


def exercise_done(store: Store, exercise: Exercise) -> bool:
    """Every non-optional prompt answered by everyone who should answer it.

    Answers may come from different sittings (a partner catching up later).
    A check-in is done when one of the recent sittings completed it, for the
    partners who attended that sitting.
    """
    if exercise.kind == "checkin":
        return _checkin_done(store, exercise)
    done = _answered_keys(store.answers_for_exercise(exercise.id), exercise)
    return _complete(done, exercise, PARTNERS)


def done_exercises(store: Store, catalog: Catalog, *, checkins_done: Mapping[str, str | None] | None = None) -> set[str]:
    """Ids of every exercise ``exercise_done`` would call done, in two queries.

    Home shows a mark on each exercise; asking one by one cost a query each.
    ``checkins_done`` gives, for a check-in whose ``last_checkin_done`` the
    caller already has, that answer (read once for the list and "What is due").
    """
    import json

    exercises = list(catalog.exercises)

    plain = {ex.id: ex for ex in exercises if ex.kind != "checkin"}
    types = {ex_id: {p.id: p.type for p in ex.prompts} for ex_id, ex in plain.items()}
    answered: dict[str, set[tuple[str, str]]] = {ex_id: set() for ex_id in plain}
    for exercise_id, prompt_id, partner, value in store.answer_cells(list(plain)):
        keys = answered[exercise_id]
        if (prompt_id, partner) in keys:
            continue  # already answered in some sitting: no need to decode this one
        ptype = types[exercise_id].get(prompt_id)
        if ptype is not None and is_answered(ptype, json.loads(value)):
            keys.add((prompt_id, partner))
    done = {ex_id for ex_id, ex in plain.items() if _complete(answered[ex_id], ex, PARTNERS)}
    known = checkins_done or {}
    done.update(
        ex.id
        for ex in exercises
        if ex.kind == "checkin"
        and (known[ex.id] is not None if ex.id in known else _checkin_done(store, ex))
    )
    return done


def _complete(done: set[tuple[str, str]], exercise: Exercise, partners: Sequence[str]) -> bool:
    for prompt in exercise.prompts:
        if prompt.optional:
            continue
        if is_shared(prompt):
            needed = [TOGETHER] if len(partners) > 1 else []
        else:
            needed = list(partners)
        if any((prompt.id, partner) not in done for partner in needed):
            return False
    return True


def _checkin_done(store: Store, exercise: Exercise) -> bool:
    return last_checkin_done(store, exercise) is not None


def last_checkin_done(store: Store, exercise: Exercise) -> str | None:
    """When the latest recent sitting that completed the check-in (for those there) began.

    A check-in opened and left half-way is not done: Home must not say so.
    """
    for sitting in store.list_sittings(limit=RECENT_SITTINGS):
        if exercise.id not in sitting.exercises:
            continue
        answers = [a for a in store.answers_for_sitting(sitting.id) if a.exercise_id == exercise.id]
        if _complete(_answered_keys(answers, exercise), exercise, _ordered(sitting.attendees)):
            return sitting.started
    return None


def _ordered_steps(catalog: Catalog) -> list[Any]:
    return sorted(catalog.steps, key=lambda s: (s.order, s.id))


def _ordered_exercises(catalog: Catalog, step_id: str) -> list[Exercise]:
    return sorted(catalog.exercises_for(step_id), key=lambda e: (e.order, e.id))


def step_progress(store: Store, catalog: Catalog) -> dict[str, tuple[int, int]]:
    """step id -> (exercises done, exercises in the step)."""
    out: dict[str, tuple[int, int]] = {}
    finished = done_exercises(store, catalog)
    for step in _ordered_steps(catalog):
        exercises = _ordered_exercises(catalog, step.id)
        done = sum(1 for ex in exercises if ex.id in finished)
        out[step.id] = (done, len(exercises))
    return out


def next_exercise(
    store: Store, catalog: Catalog, done: set[str] | None = None, *, just_done: Iterable[str] = ()
) -> Exercise | None:
    """The first unfinished exercise in program order; once all are done, the check-in.

    ``done`` (from ``done_exercises``) saves asking the store again. An exercise
    that an answer suggests (see ``suggested``) comes first. ``just_done`` (the
    exercises of the last sitting: one partner alone leaves them unfinished) are
    suggested only when nothing else is left.
    """
    skip = set(just_done)

    def finished(exercise: Exercise) -> bool:
        return exercise.id in done if done is not None else exercise_done(store, exercise)

    ordered = [
        exercise
        for step in _ordered_steps(catalog)
        for exercise in _ordered_exercises(catalog, step.id)
        if exercise.kind != "checkin"
    ]
    for candidates in ([e for e in suggested(store, catalog) if e.id not in skip],
                       [e for e in ordered if e.id not in skip], ordered):
        for exercise in candidates:
            if not finished(exercise):
                return exercise
    return catalog.checkin()


def suggested(store: Store, catalog: Catalog) -> list[Exercise]:
    """Exercises suggested by answers both partners may see, in program order.

    A choice or checklist may map an option to an exercise (``suggests`` in the
    YAML: "I am not sure I want to try" -> "When one of us is unsure"). Only
    answers given in front of both, or private ones already revealed, count here:
    Home is a shared screen and must not hint at an answer still kept private.
    (The partner who gave it is told on their own private turn.)
    """
    wanted: set[str] = set()
    for exercise in catalog.exercises:
        for prompt in exercise.prompts:
            if not prompt.suggests:
                continue
            for answer in store.answers_for_prompt(exercise.id, prompt.id):
                if answer.private and not answer.revealed:
                    continue
                wanted.update(prompt.suggested_by(answer.value))
    return [e for e in catalog.exercises if e.id in wanted]


def pending_for(store: Store, catalog: Catalog, partner: str) -> list[tuple[int, Exercise]]:
    """(sitting id, exercise) where ``partner`` was absent and still owes each/private answers.

    Offered when that partner next sits down; their answers go into the original
    sitting so they pair up with the other's. Check-ins are not carried over: a
    check-in is about its own week, and the next one asks again.
    """
    out: list[tuple[int, Exercise]] = []
    # Only the sittings this partner missed (a handful), not every sitting, and
    # what they have given since in all of them at once (one query, not one a sitting).
    import json

    given: dict[tuple[int, str], list[tuple[str, str]]] = {}
    for sitting_id, ex_id, prompt_id, value in store.caught_up_cells(partner):
        given.setdefault((sitting_id, ex_id), []).append((prompt_id, value))
    for sitting in store.sittings_without(partner):
        if partner in sitting.attendees or not sitting.attendees:
            continue
        for ex_id in sitting.exercises:
            exercise = catalog.exercise(ex_id)
            if exercise is None or exercise.kind == "checkin":
                continue
            types = {p.id: p.type for p in exercise.prompts}
            mine = {
                (prompt_id, partner)
                for prompt_id, value in given.get((sitting.id, ex_id), ())
                if prompt_id in types and is_answered(types[prompt_id], json.loads(value))
            }
            owed = [
                p
                for p in exercise.prompts
                if not is_shared(p) and not p.optional and (p.id, partner) not in mine
            ]
            if owed:
                out.append((sitting.id, exercise))
    out.sort(key=lambda item: item[0])
    return out


def get_resume(store: Store) -> dict | None:
    """Where the couple left off: {sitting_id, exercise_id, slot, ...}, or None (also when
    that sitting has ended since, and when the point is not one the app could have
    written: it is dropped, never a broken Home)."""
    value = store.get_setting(RESUME_KEY, None)
    if not isinstance(value, dict):
        return None
    try:
        resume = dict(value)
        resume["sitting_id"] = _whole(resume["sitting_id"])
        resume["exercise_id"] = str(resume["exercise_id"])
        resume["slot"] = _whole(resume.get("slot", 0))
        answer = resume.get("answer_sitting_id")
        resume["answer_sitting_id"] = _whole(answer) if answer is not None else resume["sitting_id"]
        attendees = resume.get("attendees")
        if attendees is not None:
            if not isinstance(attendees, (list, tuple)) or not set(attendees) <= set(PARTNERS) \
                    or len(set(attendees)) != len(attendees):
                return None
        resume["attendees"] = tuple(attendees) if attendees else None
        # Never back into a sitting that has ended: the next one starts by asking who is here.
        sitting = store.get_sitting(resume["sitting_id"])
        if sitting is None or sitting.ended:
            return None
        if resume["answer_sitting_id"] != resume["sitting_id"] and store.get_sitting(resume["answer_sitting_id"]) is None:
            return None
    except (KeyError, TypeError, ValueError, OverflowError):
        return None
    return resume


def _whole(value: Any) -> int:
    """A whole number from 0 up, as the app writes one (a bool or a fraction is not one)."""
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        raise ValueError(f"{value!r} is not a whole number")
    return value


def set_resume(
    store: Store,
    sitting_id: int,
    exercise_id: str,
    slot: int,
    *,
    answer_sitting_id: int | None = None,
    attendees: Sequence[str] | None = None,
) -> None:
    """Remember the slot in progress. ``attendees`` are the ones the slots were built for."""
    store.set_setting(
        RESUME_KEY,
        {
            "sitting_id": int(sitting_id),
            "exercise_id": exercise_id,
            "slot": int(slot),
            "answer_sitting_id": int(answer_sitting_id if answer_sitting_id is not None else sitting_id),
            "attendees": list(attendees) if attendees is not None else None,
        },
    )


def clear_resume(store: Store) -> None:
    store.set_setting(RESUME_KEY, None)


def ratings_complete(exercise: Exercise, answers: Iterable[Any]) -> bool:
    """Both partners' ratings are in for every scale of ``exercise``, and each can be seen
    (a private one revealed): a check-in whose numbers can stand for that week."""
    scales = [p for p in exercise.prompts if p.type == "scale" and not p.optional]
    if not scales:
        return False
    seen = {
        (a.prompt_id, a.partner)
        for a in answers
        if a.exercise_id == exercise.id and a.value is not None and (not a.private or a.revealed)
    }
    return all((p.id, partner) in seen for p in scales for partner in PARTNERS)


def last_complete_checkin(store: Store, checkin: Exercise, lookback: int) -> tuple[Any, list[Any]] | None:
    """(sitting, its answers) of the latest check-in whose ratings are complete; when none of
    the recent ones is, the latest one (so a first, half-done check-in still shows)."""
    latest = None
    for sitting in store.list_sittings(limit=lookback):
        if checkin.id not in sitting.exercises:
            continue
        answers = store.answers_for_sitting(sitting.id)
        if latest is None:
            latest = (sitting, answers)
        if ratings_complete(checkin, answers):
            return sitting, answers
    return latest


def step_started(store: Store, catalog: Catalog, step_id: str) -> bool:
    """Whether anything was written in any exercise of this step (its intro is shown until then)."""
    ids = [exercise.id for exercise in catalog.exercises_for(step_id)]
    return bool(ids) and bool(store.answer_cells(ids))

