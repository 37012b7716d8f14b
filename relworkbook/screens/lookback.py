"""Helpers shared by the looking-back screens (sitting view, versions, recap): names,
colours, dates, the prompt of an answer, and Escape. Kept apart so those screens do
not import each other for them."""

from __future__ import annotations

from datetime import datetime
from typing import TYPE_CHECKING, Any

from rich.text import Text
from textual.screen import Screen

from ..model import Answer, Couple, Prompt, partner_name

if TYPE_CHECKING:  # pragma: no cover
    from ..catalog import Catalog



def partner_colour(couple: Couple | None, key: str) -> str:
    """The partner's colour as a hex Rich understands, readable on the theme (4.5:1), or ""."""
    if couple is None or key not in ("a", "b"):
        return ""
    from ..colour import partner_colour as readable_colour

    return readable_colour(couple.partner(key).colour)


def name_text(couple: Couple | None, key: str) -> Text:
    """A partner's name in bold, in their colour."""
    colour = partner_colour(couple, key)
    return Text(partner_name(couple, key), style=f"bold {colour}".strip())


def who_attended(couple: Couple | None, attendees: tuple[str, ...] | list[str]) -> str:
    names = [partner_name(couple, key) for key in attendees]
    if not names:
        return "nobody recorded"
    return " and ".join(names)


def short_when(iso: str | None) -> str:
    """'2026-01-05T19:29:00' -> '2026-01-05 19:29'."""
    if not iso:
        return ""
    return iso[:16].replace("T", " ")


def long_when(iso: str | None) -> str:
    """'2026-01-05T19:29:00' -> 'Mon 5 Jan 2026, 19:29'."""
    if not iso:
        return ""
    try:
        moment = datetime.fromisoformat(iso)
    except ValueError:
        return iso
    return f"{moment:%a} {moment.day} {moment:%b %Y, %H:%M}"


def exercise_title(catalog: Catalog | None, exercise_id: str) -> str:
    exercise = catalog.exercise(exercise_id) if catalog is not None else None
    return exercise.title if exercise is not None else exercise_id


def prompt_for(catalog: Catalog | None, answer: Answer) -> Prompt:
    """The catalogue's prompt for an answer, or a plain stand-in when a pack no longer has it."""
    prompt = catalog.prompt(answer.exercise_id, answer.prompt_id) if catalog is not None else None
    if prompt is not None:
        return prompt
    kind = "text" if isinstance(answer.value, str) else "choice"
    return Prompt(id=answer.prompt_id, type=kind, text=answer.prompt_id)


def go_back(screen: Screen) -> None:
    """Escape: leave this screen when something lies beneath it."""
    if len(screen.app.screen_stack) > 1 and screen.app.screen is screen:
        screen.app.pop_screen()


def recaps_folder(screen: Screen, db_path: Any = None) -> Any:
    """The folder beside the workbook where recaps and reports are saved (not created here).

    ``db_path`` is the screen's own workbook path when it was given one; else the app's.
    Raises OSError when there is no workbook file to save beside."""
    from pathlib import Path

    from .. import paths

    db_path = db_path or getattr(screen.app, "db_path", None)
    if db_path is None:
        raise OSError("this workbook has no file to save beside")
    return paths.recaps_dir(Path(db_path))
