"""What each page of the exercise screen holds, built from the sitting's state.

Plain builders: each returns the widgets of one page (the intro, last week's
commitments, an answer, a hidden private answer) for ``screens/exercise.py`` to
mount. They read the ``Run`` and decide nothing.
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from rich.text import Text
from textual.containers import Horizontal
from textual.widget import Widget
from textual.widgets import Button, OptionList, Static
from textual.widgets.option_list import Option

from ..model import TOGETHER, Commitment, Couple, Exercise, Sitting, partner_name
from ..sitting import MarkChange, Run, View
from ..widgets import AnswerView, PromptWidget, widget_for

STATUS_WORDS = {"kept": "kept", "partly": "partly kept", "not_kept": "not kept", "open": "not reviewed yet"}
MARKS = (("kept", "Kept (k)", "success"), ("partly", "Partly (p)", "default"), ("not_kept", "Not kept (n)", "warning"))


def sitting_start(sitting: Sitting | None) -> dt.datetime:
    try:
        return dt.datetime.fromisoformat(sitting.started) if sitting else dt.datetime.now()
    except (TypeError, ValueError):
        return dt.datetime.now()


def elapsed(started: dt.datetime) -> str:
    """How long the sitting has run: "4:05", or "1:04:05" past an hour."""
    now = dt.datetime.now(started.tzinfo) if started.tzinfo else dt.datetime.now()
    seconds = max(0, int((now - started).total_seconds()))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


def intro(exercise: Exercise, run: Run, couple: Couple | None) -> list[Widget]:
    here = " and ".join(partner_name(couple, p) for p in run.slot_attendees) or "you"
    parts: list[Widget] = []
    if run.step is not None and run.step.intro:
        parts += [Static(f"A new step: {run.step.title}", classes="title"), Static(run.step.intro, classes="note")]
    parts += [
        Static(exercise.title, classes="title"),
        Static(f"About {exercise.minutes} minutes. {len(run.slots)} answers to give, for {here}.", classes="muted"),
        Static(exercise.intro, classes="para"),
    ]
    if exercise.tips:
        tips = Text("Tips\n", style="bold")
        for tip in exercise.tips:
            tips.append(f"\u2022 {tip}\n")
        parts.append(Static(tips, classes="para"))
    if run.catching_up:
        note = "You are catching up on a sitting you missed: your answers join the ones given then."
        parts.append(Static(note, classes="note"))
    if not run.slots:
        note = "There is nothing here for who is sitting today; it waits for both of you."
        parts.append(Static(note, classes="note"))
    parts.append(Static("Press PgDn or Next to begin. PgUp goes back; Esc leaves (everything is saved).", classes="muted para"))
    return parts


def where(run: Run, view: View, couple: Couple | None) -> str:
    """The header beside the badge: the title; on a slot's page "Title · prompt 3 of 7 · Sam's turn"."""
    if view.kind == "review":
        return f"{run.exercise.title} \u00b7 last week's commitments"
    if view.slot is None:
        return run.exercise.title
    number, total = run.prompt_numbers(view.slot)
    text = f"{run.exercise.title} \u00b7 prompt {number} of {total}"
    if view.partner != TOGETHER:
        text += f" \u00b7 {partner_name(couple, view.partner or '')}'s turn"
    return text


def waiting_for(view: View, couple: Couple | None) -> str:
    """Behind the hand-over dialog."""
    return f"Waiting for {partner_name(couple, view.partner or '')} to take the keyboard."


def change_question(change: MarkChange) -> str:
    """Asked before a commitment marked in this sitting is marked otherwise."""
    what, before, after = change.commitment.what, STATUS_WORDS[change.before], STATUS_WORDS[change.after]
    return f"Change \u201c{what}\u201d from {before} to {after}?"


def review_label(run: Run, commitment: Commitment, couple: Couple | None) -> Text:
    status = run.status_of(commitment)
    owner = "both of us" if commitment.owner == "both" else partner_name(couple, commitment.owner)
    label = Text(commitment.what, style="bold")
    label.append(f"  ({owner}" + (f", by {commitment.due}" if commitment.due else "") + ")")
    label.append(f"  \u2192 {STATUS_WORDS.get(status, status)}", style="italic")
    return label


def review(run: Run, couple: Couple | None) -> tuple[list[Widget], OptionList]:
    options = OptionList(
        *[Option(review_label(run, c, couple), id=str(c.id)) for c in run.review], id="review-list"
    )
    buttons = [Button(label, id=f"mark-{s}", name=s, variant=v, classes="mark") for s, label, v in MARKS]  # type: ignore[arg-type]
    return [
        Static("Before the questions: how did last week's commitments go?", classes="prompt-text"),
        Static("Choose one with Up/Down, then k: kept, p: partly, n: not kept. Next when you are done.", classes="muted"),
        options,
        Horizontal(*buttons, classes="buttons"),
    ], options


def answer(run: Run, view: View, couple: Couple | None, *, locked_as_typed: bool) -> tuple[list[Widget], PromptWidget]:
    """The prompt, its help, the other partner's answer (``each``), the answer widget, and
    an empty quiet line below it."""
    assert view.slot is not None
    slot = run.slots[view.slot]
    prompt = slot.prompt
    parts: list[Widget] = [Static(prompt.text, classes="prompt-text")]
    if prompt.help:
        parts.append(Static(prompt.help, classes="muted"))
    if prompt.optional:
        parts.append(Static("Optional: Next skips it.", classes="muted"))
    if prompt.is_private and view.revealed:
        parts.append(Static("Revealed: you both agreed to show this.", classes="muted"))
    elif prompt.is_private:
        note = "Private: hidden from the screen once you go on, until you both agree to reveal."
        if locked_as_typed:
            note += " Locked with your passphrase as you type."
        parts.append(Static(note, classes="muted"))
    for other, value in run.others_answers(view.slot):
        parts.append(AnswerView(prompt, value, f"{partner_name(couple, other)} answered:", couple))
    widget = widget_for(prompt, partner=slot.partner, couple=couple, id="answer")
    # A quiet line about this partner's own answer (a very low safety rating, an exercise
    # an answer suggests): drawn from the value as it changes, never stored.
    quiet = Static("", id="quiet-line", classes="muted")
    quiet.display = False
    parts += [widget, quiet]
    return parts, widget


def hidden(run: Run, view: View, couple: Couple | None) -> list[Widget]:
    """A private answer that is in: its prompt, and that it stays hidden."""
    assert view.slot is not None
    prompt = run.slots[view.slot].prompt
    name = partner_name(couple, view.partner or "")
    if view.kept:
        note = f"{name} kept this answer just for them at the reveal; it is never shown."
    else:
        note = f"{name}'s answer is in. It stays hidden until you both agree to reveal it."
    buttons = [Button("Answer again (r)", id="answer-again")]
    if view.can_reveal:
        buttons.append(Button("Reveal now (v)", id="reveal-now", variant="primary"))
    return [Static(prompt.text, classes="prompt-text"), Static(note, classes="note"), Horizontal(*buttons, classes="buttons")]


def open_sealed_draft(screen: Any, run: Run, index: int, widget: PromptWidget, opened_into: Any) -> None:
    """A locked draft from an earlier run (the app was closed mid-answer): its partner's
    passphrase opens it into the answer box; without it, what they type replaces it.
    ``opened_into(value)`` is called with the opened draft."""
    from .locks import PassphraseScreen
    from ..store import WorkbookError

    slot = run.slots[index]
    store = run.store

    def opened(unlocked: Any) -> None:
        if screen.widget is not widget:
            return
        try:
            value = run.open_draft(index, unlocked)
        except WorkbookError as error:
            screen.notify(str(error), severity="error")
            return
        if value is None:
            screen.notify("Your earlier draft stays locked; what you type now replaces it.")
            return
        opened_into(value)

    why = "Your draft here is locked."
    screen.app.push_screen(PassphraseScreen(store, store.get_couple(), slot.partner, why=why), callback=opened)
