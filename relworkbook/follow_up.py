"""What a partner is quietly told about their own answer, while they give it.

Two kinds of line, both driven by the exercise files (no content here):

- a scale's ``low_note``: a rating at or below its mark (the check-in's safety
  item, at 2 or below) shows a line saying where the help list is;
- a choice or checklist's ``suggests``: an option such as "I am not sure I want
  to try" names an exercise ("When one of us is unsure") that may help.

For a private prompt the line is shown only on that partner's own turn, and
nothing about it is stored: the rating or choice is the only trace. (Home
suggests the exercise later, once the answer is revealed: ``progress.suggested``.)
Plain Python, no Textual; the exercise screen draws what ``quiet_line`` returns.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from .model import Prompt

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog


def quiet_line(prompt: Prompt, value: Any, catalog: Catalog | None) -> str:
    """The line(s) to show under the prompt for this answer, or ""."""
    lines: list[str] = []
    note = prompt.low_note_for(value)
    if note:
        lines.append(note)
    for exercise_id in prompt.suggested_by(value):
        exercise = catalog.exercise(exercise_id) if catalog is not None else None
        if exercise is None:
            continue
        step = catalog.step(exercise.step)
        where = f", under {step.title}" if step is not None else ""
        lines.append(f"\u201c{exercise.title}\u201d ({exercise.minutes} min{where}) is there for you whenever you want it.")
    return "\n".join(lines)
