"""Sample history: a workbook of N weekly sittings for Alex and Sam.

``generate(store, catalog, weeks=12, seed=0)`` fills an empty store. It knows
prompt types, not content: every prompt of the catalogue's check-in (and, now
and then, of the program's other exercises, in program order) is answered by
its type with phrases from the small pools below, which are our own words.

Deterministic: everything comes from ``random.Random(seed)``; only the dates
follow ``today``. By default the history ENDS the evening before ``today``
(the real one unless given), one sitting a week before that, so a demo
workbook opens as a couple in the middle of things ("Check-in today", not
"Last check-in 46 weeks ago"); pass ``start`` (a date) to begin elsewhere.
The same seed, weeks, catalogue and ``today`` always give the same export, and
another ``today`` gives the same answers with every date moved by the same
number of days. Tests pass ``today=SAMPLE_TODAY`` (history ending on Monday
5 January 2026, ``DEFAULT_END``).

Scores drift believably: each partner has a hidden level per metric that
creeps up over the months, wobbles week to week, and dips in an occasional
rough patch. Commitments made at one check-in are reviewed at the next.
Everything is written in one transaction, so ten years take a few seconds.
"""

from __future__ import annotations

import random
from datetime import date, datetime, timedelta
from typing import TYPE_CHECKING, Any, Sequence

from .model import PARTNERS, TOGETHER, Exercise, Prompt

if TYPE_CHECKING:  # pragma: no cover
    from .store import Store
    from .catalog import Catalog

SAMPLE_TODAY = date(2026, 1, 6)  # a fixed today for tests: the history ends the day before
DEFAULT_END = SAMPLE_TODAY - timedelta(days=1)  # Monday 5 January 2026
PARTNER_NAMES = {"a": ("Alex", "dodgerblue"), "b": ("Sam", "orange")}
# ``demo --lock``: printed for anyone trying the locks, so never a real secret.
LOCK_PASSPHRASES = {"a": "alex demo passphrase", "b": "sam demo passphrase"}

APPRECIATIONS = [
    "Thank you for making dinner when I came home late on Thursday.",
    "I noticed you put your phone away when I was talking. It meant a lot.",
    "Thanks for picking up the car from the garage without being asked.",
    "I loved the note you left on the kitchen table.",
    "You listened to me about work without trying to fix it. That helped.",
    "Thank you for calling my mum on her birthday.",
    "I appreciated the walk on Sunday morning; it felt like old times.",
    "Thanks for staying calm when the boiler broke.",
    "You made me laugh when I was in a bad mood. Thank you.",
    "I liked that you asked about my day and really waited for the answer.",
]
WENT_WELL = [
    "We talked about money without raising our voices.",
    "We had a proper evening together with no screens.",
    "We sorted out the weekend plans early and nobody felt rushed.",
    "We said sorry quickly after a small argument on Tuesday.",
    "We cooked together and it was fun.",
    "We both kept to the bedtime we agreed on.",
    "We went for a long walk and just listened to each other.",
]
ISSUES = [
    "Chores: the washing-up keeps piling up and it becomes a silent scorekeeping.",
    "We interrupt each other when we are tired.",
    "Weekends fill up with other people and we get no time for us.",
    "Phones at the dinner table.",
    "Bringing up old arguments when we discuss something new.",
    "Who decides about spending on bigger things.",
    "Feeling rushed in the mornings and snapping at each other.",
]
COMMITMENTS = [
    "Have one phone-free dinner together",
    "Take a twenty-minute walk together on Sunday",
    "Ask each other one real question about the day, every evening",
    "Plan a date night for Friday",
    "Do the washing-up together after dinner on weekdays",
    "Write each other a short thank-you note",
    "Go to bed at the same time three nights this week",
    "Call a time-out and come back within an hour if an argument heats up",
]
REFLECTIONS = [
    "I think I withdraw when I feel criticised, and then it looks like I do not care.",
    "I want us to feel like a team again, not two people sharing a flat.",
    "When I am stressed at work I bring it home and I take it out on you.",
    "I miss the way we used to plan little adventures.",
    "I realise I have been keeping score, and it does not help either of us.",
    "I feel closest when we laugh about something silly together.",
    "I would like to be asked for my opinion before plans are made.",
    "I can see that you were trying, even when I did not notice it at the time.",
    "I need a little quiet time after work before we talk about the day.",
    "It helps me when you tell me what you need instead of hoping I guess.",
]
BLANKS = {
    "feeling": ["hurt", "lonely", "worried", "left out", "relieved", "grateful", "tense"],
    "situation": [
        "plans change without a word",
        "the phone comes out during dinner",
        "my ideas get brushed aside",
        "we spend the evening in separate rooms",
        "you tell me about your day",
    ],
    "need": [
        "a quick message when things change",
        "some time with just the two of us",
        "to feel that my view counts",
        "a hug at the end of the day",
    ],
}
OTHER_BLANK = [
    "a bit more patience from both of us",
    "talking it through on Sunday",
    "the way we used to be",
    "trying again next week",
    "more time outdoors",
]
PARAPHRASES = [
    "What I hear is that you felt left out when I made plans without asking.",
    "So you are saying you need some quiet time before we talk.",
    "It sounds like you were hurt when I did not notice your effort.",
    "You would like us to share the chores more evenly.",
]
CORRECTIONS = [
    "Nearly: it is less about the plans and more about being asked.",
    "Close, but it is about feeling heard, not about the time.",
]

TEXT_POOLS = (
    (("apprecia", "thank", "grateful"), APPRECIATIONS),
    (("well", "good", "celebrat", "enjoy"), WENT_WELL),
    (("issue", "problem", "worry", "hard", "difficult", "tension", "grievance"), ISSUES),
)


def _pool_for(prompt: Prompt) -> list[str]:
    words = f"{prompt.id} {prompt.text}".lower()
    for keys, pool in TEXT_POOLS:
        if any(key in words for key in keys):
            return pool
    return REFLECTIONS


class _Couple:
    """The hidden state behind the numbers: one level per partner and metric."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.levels: dict[tuple[str, str], float] = {}
        self.rough = 0

    def week(self) -> None:
        if self.rough:
            self.rough -= 1
        elif self.rng.random() < 0.05:
            self.rough = self.rng.randint(2, 4)

    def score(self, partner: str, metric: str, low: int, high: int) -> int:
        span = max(high - low, 1)
        key = (partner, metric)
        if key not in self.levels:
            self.levels[key] = low + span * self.rng.uniform(0.3, 0.5)
        level = self.levels[key]
        target = low + span * 0.78
        level += (target - level) * 0.03 + self.rng.gauss(0, span * 0.03)
        if self.rough:
            level -= span * 0.04
        level = min(max(level, low), high)
        self.levels[key] = level
        noisy = level + self.rng.gauss(0, span * 0.07) - (span * 0.12 if self.rough else 0)
        return int(min(max(round(noisy), low), high))


def _value(prompt: Prompt, partner: str, rng: random.Random, couple: _Couple, day: date) -> Any:
    kind = prompt.type
    if kind == "scale":
        low, high = int(prompt.min if prompt.min is not None else 1), int(prompt.max if prompt.max is not None else 10)
        if prompt.metric:
            return couple.score(partner, prompt.metric, low, high)
        return rng.randint(low, high)
    if kind == "checklist":
        options = list(prompt.options)
        if not options:
            return []
        if prompt.metric:
            low, high = 0, len(options)
            count = couple.score(partner, prompt.metric, low, high)
        else:
            count = rng.randint(1, max(1, len(options) // 2))
        chosen = set(rng.sample(options, count))
        return [option for option in options if option in chosen]
    if kind == "choice":
        # Programs tend to list the hopeful option first; a demo couple mostly picks it.
        options = list(prompt.options)
        if not options:
            return ""
        return rng.choices(options, weights=[(len(options) - i) ** 2 for i in range(len(options))])[0]
    if kind == "template":
        return {blank: rng.choice(BLANKS.get(blank.lower(), OTHER_BLANK)) for blank in prompt.blanks}
    if kind == "commitment":
        owner = "both" if partner == TOGETHER else partner
        due = (day + timedelta(days=7)).isoformat() if rng.random() < 0.8 else None
        return {"what": rng.choice(COMMITMENTS), "owner": owner, "due": due}
    if kind == "turns":
        turns = []
        for round_no in range(max(int(prompt.rounds or 2), 1)):
            speaker = PARTNERS[round_no % 2]
            confirmed = rng.random() < 0.75
            turns.append({
                "speaker": speaker,
                "said": rng.choice(REFLECTIONS),
                "paraphrase": rng.choice(PARAPHRASES),
                "confirmed": confirmed,
                "correction": "" if confirmed else rng.choice(CORRECTIONS),
            })
        return turns
    return rng.choice(_pool_for(prompt))


def _answer_exercise(
    store: Store, exercise: Exercise, sitting_id: int, attendees: Sequence[str],
    rng: random.Random, couple: _Couple, clock: datetime,
) -> datetime:
    """Answer every prompt of one exercise; return the clock after it.

    A couple reveals a private run (private prompts next to each other, as the
    app groups them) as a whole or not at all, as the app asks once per run: one
    draw per run, its answered prompts revealed after its last prompt. (One draw
    per prompt left nine check-ins in ten with a rating unrevealed, so without a
    total, and the demo's reports and desk nearly empty.)
    """
    from .progress import private_runs

    step = timedelta(seconds=max(exercise.minutes, 1) * 60 / max(len(exercise.prompts), 1))
    day = clock.date()
    runs = private_runs(exercise)
    in_a_run = {p.id for run in runs for p in run}
    runs += [(p,) for p in exercise.prompts if p.is_private and p.id not in in_a_run]
    first_of_run = {run[0].id for run in runs}
    last_of_run = {run[-1].id for run in runs}
    reveal_run = False
    answered: list[str] = []  # the private prompts of the current run given an answer
    for prompt in exercise.prompts:
        if prompt.id in first_of_run:
            reveal_run = len(attendees) == 2 and rng.random() < 0.7
            answered = []
        skipped = prompt.optional and rng.random() < 0.3
        who: Sequence[str] = attendees
        if prompt.who == "together":
            who = (TOGETHER,) if len(attendees) == 2 else ()
        if not skipped:
            for partner in who:
                clock += step / len(who)
                value = _value(prompt, partner, rng, couple, day)
                store.save_answer(
                    sitting_id, exercise.id, prompt.id, partner, value,
                    prompt_type=prompt.type, private=prompt.is_private,
                    metric=prompt.metric if prompt.is_scored else None,
                    at=clock.isoformat(timespec="seconds"),
                )
            if who and prompt.is_private:
                answered.append(prompt.id)
        if prompt.id in last_of_run and reveal_run:
            for prompt_id in answered:
                store.reveal(sitting_id, exercise.id, prompt_id, at=clock.isoformat(timespec="seconds"))
    return clock


def generate(
    store: Store, catalog: Catalog, weeks: int = 12, seed: int = 0, start: date | None = None,
    *, today: date | None = None,
) -> None:
    """Fill ``store`` with ``weeks`` weekly sittings of plausible history, the last
    one the evening before ``today`` (the real today unless given)."""
    rng = random.Random(seed)
    couple = _Couple(rng)
    weeks = max(int(weeks), 0)
    if start is None:
        end = (today or date.today()) - timedelta(days=1)
        start = end - timedelta(weeks=max(weeks - 1, 0))
    checkin = catalog.checkin()
    others = [e for e in catalog.exercises if e.kind != "checkin" and e.prompts]
    next_other = 0
    with store.transaction():
        store.set_couple(*PARTNER_NAMES["a"], *PARTNER_NAMES["b"])
        for week in range(weeks):
            couple.week()
            day = start + timedelta(weeks=week)
            clock = datetime(day.year, day.month, day.day, 19, 0) + timedelta(minutes=rng.randint(0, 75))
            stamp = clock.isoformat(timespec="seconds")
            attendees = list(PARTNERS) if rng.random() > 0.08 else [rng.choice(PARTNERS)]
            sitting = store.start_sitting(attendees, started=stamp)
            if len(attendees) == 2:
                for commitment in store.open_commitments():
                    if commitment.sitting_id == sitting.id:
                        continue
                    if commitment.status != "open":
                        # Partly or not kept last time: it comes back; often kept by now
                        # (its own die, so the rest of the history stays as it was).
                        if random.Random(commitment.id * 7919 + sitting.id).random() < 0.75:
                            continue
                        status = "kept"
                    else:
                        status = rng.choices(("kept", "partly", "not_kept"), weights=(6, 3, 2))[0]
                    clock += timedelta(seconds=40)
                    store.review_commitment(
                        commitment.id, status, sitting.id, at=clock.isoformat(timespec="seconds")
                    )
            if checkin is not None:
                clock = _answer_exercise(store, checkin, sitting.id, attendees, rng, couple, clock)
            if others and (checkin is None or rng.random() < 0.3):
                exercise = others[next_other % len(others)]
                next_other += 1
                clock = _answer_exercise(store, exercise, sitting.id, attendees, rng, couple, clock)
            clock += timedelta(minutes=rng.randint(1, 6))
            store.end_sitting(sitting.id, ended=clock.isoformat(timespec="seconds"))


def lock_demo(store: Store) -> list[tuple[str, str]]:
    """Set both demo partners' locks (after ``generate``): their private answers not yet
    revealed are sealed. The demo's random draws are not touched (a lock's salt and keys
    come from the system), so the answers are the same as without locks.
    Returns (name, passphrase) per partner, to print."""
    for key in PARTNERS:
        store.set_lock(key, LOCK_PASSPHRASES[key])
    return [(PARTNER_NAMES[key][0], LOCK_PASSPHRASES[key]) for key in PARTNERS]
