"""The command palette's workbook commands (ctrl+p): every action, by name.

One provider, ``WorkbookCommands``, offers every action of the screen the
palette was opened on (read from its live bindings: next prompt, reveal, correct,
versions, kept / partly / not kept, save the recap, ...), the app-wide actions
(home, continue, next, check-in, end sitting, time-out, hide, history, last recap,
search, trends, progress report, commitments, safety, help, names and colours, settings, add to calendar) and one "Start
exercise: <title>" per exercise in the catalogue. Each command runs the same
action its key does, so a key and its command can never drift apart. The theme
is Textual's own "Theme" command.
"""

from __future__ import annotations

from functools import partial
from typing import TYPE_CHECKING, Any, Callable, Iterator, Protocol, cast

from textual.command import DiscoveryHit, Hit, Hits, Provider

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog


class Workbook(Protocol):
    """What the palette reads of the app (``WorkbookApp``; named here, as app.py imports this module)."""

    catalog: Catalog

    def on_break(self) -> bool: ...

    def action_open_exercise(self, exercise_id: str) -> None: ...

# (name, help, action) — the action is an App method name without "action_".
APP_COMMANDS: tuple[tuple[str, str, str], ...] = (
    ("Home", "The steps, what comes next, commitments (f4)", "home"),
    ("Continue where you left off", "Open the exercise you were in, at the same prompt", "continue"),
    ("Next suggested exercise", "Open the next exercise in the program", "next"),
    ("Weekly check-in", "Ratings, appreciations, last week's commitments", "checkin"),
    ("End sitting", "Finish this sitting and see what you did (f5)", "end_sitting"),
    ("Time-out", "Take a break: a calm screen and a timer; everything is saved (f2)", "time_out"),
    ("Hide the screen", "Blank the screen at once; the same key brings it back (f12)", "hide"),
    ("History: every sitting", "Read any past sitting, newest first; correct an answer", "history"),
    ("Recap of the last sitting", "What was written, how the numbers moved, what comes next; save it as files", "last_recap"),
    ("Search everything written", "Full-text search over every answer", "search"),
    ("Trends", "Each rating over time, per partner, with the change and the gap", "trends"),
    ("Progress report", "Attendance, check-in totals and areas over a date range, commitments; save it to print", "report"),
    ("Commitments", "Every promise made; mark them kept, partly or not kept", "commitments"),
    ("Safety and support", "Where to find help, at any time (f3)", "safety"),
    ("Help: keys", "Every key and what it does (f1)", "help"),
    ("Edit names and colours", "Change the partners' names or colours", "edit_names"),
    ("Locks: passphrases for private answers", "Set, change, remove or reset each partner's lock", "locks"),
    ("Notes for one", "Each partner's own notes, never revealed (locked with their passphrase)", "notes"),
    ("Settings", "The check-in day, time and length; how long a time-out lasts", "settings"),
    ("Add to calendar", "Save the weekly check-in and dated commitments as an .ics file beside the recaps", "add_to_calendar"),
)
# The theme is Textual's own "Theme" command (one, not two); the app remembers the choice.


class WorkbookCommands(Provider):
    """Workbook actions and exercises for Textual's command palette."""

    def _screen_commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        """Every action of the screen the palette was opened on (and its widgets), as its keys run them.

        Read from the screen's live bindings, so a screen's new key is in the
        palette without being listed here, a disabled one is not, and a key
        remapped in the config file is shown as it is now.
        """
        app = self.app
        screen = self.screen
        seen: set[str] = set()
        place = type(screen).__name__.removesuffix("Screen") or "This screen"
        for active in screen.active_bindings.values():
            node, binding = active.node, active.binding
            if node is app or not active.enabled or binding.system or not binding.description:
                continue
            action_name = binding.action.split("(", 1)[0].rsplit(".", 1)[-1]
            method = getattr(node, f"action_{action_name}", None)
            if not getattr(method, "__module__", "").startswith(__package__ or "relworkbook"):
                continue  # Textual's own keys (cursor moves, text editing, copy)
            if binding.action.startswith("app.") or binding.action in seen:
                continue  # app-wide actions are listed once, below
            seen.add(binding.action)
            keys = app.get_key_display(binding)
            name = binding.tooltip or binding.description
            yield name, f"{place}: {keys}", partial(app.run_action, binding.action, node)

    def _commands(self) -> Iterator[tuple[str, str, Callable[[], Any]]]:
        app = cast(Workbook, self.app)  # the provider is the workbook's own (WorkbookApp.COMMANDS)
        yield from self._screen_commands()
        if app.on_break():
            return  # no exercise or other screen in place of the break
        for name, help_text, action in APP_COMMANDS:
            method = getattr(app, f"action_{action}", None)
            if callable(method):
                yield name, help_text, method
        catalog = app.catalog
        titles = {step.id: step.title for step in catalog.steps}
        opener = app.action_open_exercise
        for exercise in catalog.exercises:
            step = titles.get(exercise.step, exercise.step)
            yield (
                f"Start exercise: {exercise.title}",
                f"{step} · about {exercise.minutes} min",
                partial(opener, exercise.id),
            )

    async def discover(self) -> Hits:
        for name, help_text, command in self._commands():
            if not name.startswith("Start exercise"):
                yield DiscoveryHit(name, command, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, command in self._commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), command, text=name, help=help_text)
