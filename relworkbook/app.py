"""The Textual app: wiring, app-wide keys, the sitting, theme, command palette.

``make_app(db_path)`` is the one factory, used by the command line and by the
tests. ``WorkbookApp`` owns the store and the catalogue and hands them to each
screen through its constructor; screens call back into the app for the few
things that span screens (opening an exercise inside the current sitting,
ending a sitting, time-out, quick hide).

Key scheme: every app-wide key is a function key bound with ``priority=True``
so it works while someone is typing in a text box:

    f1 Help   f2 Time-out   f3 Safety and support   f4 Home
    f5 End sitting   f12 Quick hide   ctrl+p Command palette   ctrl+q Quit

``?`` also opens Help when no text box has the keyboard (it is not a priority
binding, so typing a question mark still works), and ``ctrl+t`` is a second
time-out key for keyboards where the function keys need a modifier.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path
from typing import TYPE_CHECKING, Any, Callable, Collection, Iterable, Sequence

from textual import on
from textual.app import App
from textual.binding import Binding
from textual.screen import Screen
from textual.theme import Theme

from . import keynames, messages
from .commands import WorkbookCommands
from .model import PARTNERS, TOGETHER, Couple, Exercise, partner_name

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog
    from .store import Store

THEME_SETTING = "theme"
# Offered on the time-out screen once the break is over (when the program has it).
DEBRIEF_EXERCISE = "co-after-hard-moment"
# Shown quietly on the time-out screen: each partner's plan for calming down, once they have one.
CALMING_PLAN = ("co-calming-down", "plan")
DEFAULT_TIMEOUT_MINUTES = 20
INDEX_CHECK_DELAY = 0.5  # seconds after Home is pushed: the first screen is out by then
_UNREAD = object()


class WorkbookApp(App[None]):
    """Two partners, one keyboard, one workbook file."""

    CSS_PATH = "app.tcss"
    TITLE = "Relationship workbook"
    COMMANDS = App.COMMANDS | {WorkbookCommands}

    BINDINGS = [
        Binding("f1", "help", "Help", id="help", priority=True),
        Binding("question_mark", "help", "Help", id="help-question", show=False),
        Binding("f2,ctrl+t", "time_out", "Time-out", id="time-out", priority=True),
        Binding("f3", "safety", "Safety", id="safety", priority=True),
        # Not in every footer (80 columns hold the keys above, a screen's own and
        # the palette): esc goes back on every screen, and Home shows f5 while a
        # sitting is open. Both are in Help and the palette, and work everywhere.
        Binding("f4", "home", "Home", id="home", priority=True, show=False),
        Binding("f5", "end_sitting", "End sitting", id="end-sitting", priority=True, show=False),
        Binding("f12", "hide", "Hide", id="hide", priority=True),
    ]

    def __init__(self, store: Store, catalog: Catalog, *, db_path: Path | str, config: Any = None) -> None:
        super().__init__()
        keynames.install()  # Textual's key-name look-ups, without walking the Unicode name table
        # The config file's settings (config.Config): keymap, default theme.
        self.config = config
        self.store = store
        self.catalog = catalog
        self.db_path = Path(db_path)
        # The sitting this run works in, chosen the first time an exercise opens.
        self.sitting_id: int | None = None
        self.attendees: tuple[str, ...] = ()
        self.home_screen: Screen | None = None
        # make_app opened the store, so the app closes it when it ends.
        self.owns_store = False
        self._couple_seen = False  # once the names are in, they stay in
        # The sitting an earlier run left open, as last read (None: none; _UNREAD: not read yet).
        self._left_open: object = _UNREAD
        # The real run (start.py) sets this: SIGHUP (the terminal was closed) and
        # SIGTERM save what is on screen and end the app. Tests leave it off.
        self.catch_signals = False
        # A workbook problem that reached no handler (see _handle_exception):
        # the app ends and the start prints this one line.
        self.problem: str | None = None
        # What "today" is for what is due (Home); tests set a fixed day.
        self.today: Callable[[], date] = date.today

    # ------------------------------------------------------------------ start

    def on_mount(self) -> None:
        if self.catch_signals:
            self._catch_signals()
        self._apply_config()
        if self.store.search_index_rebuilt:
            from .store import SEARCH_INDEX_MISSING

            self.notify(SEARCH_INDEX_MISSING, severity="warning", timeout=10)
        saved = self._setting(THEME_SETTING)
        if isinstance(saved, str) and saved in self.available_themes:
            self.theme = saved
        self.theme_changed_signal.subscribe(self, self._remember_theme)
        errors = self.catalog.errors
        if errors:
            count = len(errors)
            self.notify(
                f"{count} problem{'s' if count != 1 else ''} in the exercise files: "
                "some exercises were skipped. Press f1 to see which.",
                title="Exercises skipped",
                severity="warning",
                timeout=10,
            )
        if self.couple is None:
            from .screens.first_run import FirstRunScreen

            self.push_screen(FirstRunScreen(first=True), callback=self._first_run_done)
        else:
            # After Textual's start-up batch, not inside it: a screen drawn
            # within the batch is drawn and thrown away (App._display skips
            # it), so Home would be laid out and drawn twice before the first
            # frame (about 20 ms of a start).
            self.call_later(self._show_home)

    def _apply_config(self) -> None:
        """The config file's keymap (binding ids to keys) and default theme; a problem is said once."""
        config = self.config
        if config is None:
            return
        if config.problem:
            self.notify(config.problem, title="Config file not used", severity="warning", timeout=10)
            return
        if config.keymap:
            self.set_keymap(config.keymap)
        if config.theme:
            if config.theme in self.available_themes:
                self.theme = config.theme
            else:
                self.notify(
                    f"The config file's theme {config.theme!r} is not a theme here; "
                    "ctrl+p then \"Theme\" lists them.",
                    severity="warning",
                    timeout=10,
                )

    def _catch_signals(self) -> None:
        """Save and end on SIGHUP and SIGTERM, from the event loop (never in the middle of a write),
        and when the terminal is gone without a signal (``_watch_terminal``)."""
        import asyncio
        import signal

        loop = asyncio.get_running_loop()
        for number in (signal.SIGHUP, signal.SIGTERM):
            try:
                loop.add_signal_handler(number, self._signalled, number)
            except (NotImplementedError, RuntimeError, ValueError):
                pass  # not on this platform, or not the main thread: SQLite's commits still hold
        _watch_terminal()

    def _signalled(self, number: int) -> None:
        import signal

        # Each save is a commit, so once this returns the words are in the file,
        # whatever happens to the terminal while the app ends.
        self.flush_all()
        code = 128 + number
        if number == signal.SIGHUP:
            # The terminal is gone. Textual's orderly shutdown writes to it and
            # can then wait for ever on its output thread (the hang-up also sends
            # SIGCONT, which restarts that thread), holding the workbook's window
            # lock: seen as an app that outlived its closed terminal. Everything
            # is saved; close the file and leave at once.
            self._leave_now(code)
        # An orderly end restores the terminal; if it has not ended in a few
        # seconds, leave anyway (the saves above are already in the file).
        _leave_after(3.0, code)
        self.exit(return_code=code)

    def _leave_now(self, code: int) -> None:
        import os

        try:
            if self.owns_store:
                self.store.close()
        finally:
            os._exit(code)

    def _handle_exception(self, error: Exception) -> None:
        """A workbook problem met anywhere ends the app with one line, never a traceback.

        The store raises ``WorkbookError`` (``DamagedWorkbook`` for a file found
        damaged after today's backup was made, say) from any read; a screen that
        does not expect it would otherwise stop the app with Textual's traceback.
        The app ends instead, and the start prints the same line as at start,
        with its way out (the newest backup). Anything else is Textual's to show.
        """
        problem = _workbook_problem(error)
        if problem is None:
            super()._handle_exception(error)
            return
        if self.problem is None:
            self.problem = problem
        self.exit(return_code=1)

    def _fatal_error(self) -> None:
        """Any other unexpected error: one line too, never Textual's traceback.

        Textual's traceback shows every frame's local variables, printed on the
        shared terminal once the app ends; a frame of ours may be holding a
        private answer or a partner's notes. The line names only the kind of
        error and where (the start prints it as it prints a workbook problem).
        Tests still get the exception itself from ``run_test``.
        """
        if self.problem is None:
            self.problem = unexpected_problem(sys.exc_info()[1] or self._exception)
        self.bell()
        self._close_messages_no_wait()

    def on_unmount(self) -> None:
        self.flush_all()
        if self.owns_store:
            self.store.close()

    def _first_run_done(self, couple: Couple | None) -> None:
        self._show_home()
        self.refresh_bindings()
        if couple is not None:
            # After the names: each partner may set a lock now (or later, from the palette).
            from .screens.locks import LocksScreen

            self.push_screen(LocksScreen(self.store, couple, first=True))

    def _show_home(self) -> None:
        from .screens.home import HomeScreen

        self.home_screen = HomeScreen()
        self.push_screen(self.home_screen)
        # Off the start: the walk that finds an index rebuilt by an outside tool
        # (which would hold private answers) runs once the first screen is out.
        self.set_timer(INDEX_CHECK_DELAY, self._check_search_index)

    def _check_search_index(self) -> None:
        if self.store.mend_search_index():
            from .store import SEARCH_INDEX_MISSING

            self.notify(SEARCH_INDEX_MISSING, severity="warning", timeout=10)

    def _pop_to_home(self) -> None:
        """Close every screen above Home (callers have saved what they hold)."""
        if self.home_screen is None:
            return
        while len(self.screen_stack) > 1 and self.screen is not self.home_screen:
            self.pop_screen()

    def _remember_theme(self, theme: Theme) -> None:
        # Partner colours are adjusted to each theme (colour.partner_colour): redraw Home's names.
        self.refresh_home()
        try:
            self.store.set_setting(THEME_SETTING, theme.name)
        except Exception as error:  # a read-only file must not stop a theme change
            self.notify(f"Could not remember the theme: {error}", severity="warning")

    def _setting(self, key: str, default: Any = None) -> Any:
        try:
            return self.store.get_setting(key, default)
        except Exception:
            return default

    # ------------------------------------------------------------- helpers

    @property
    def couple(self) -> Couple | None:
        return self.store.get_couple()

    def has_couple(self) -> bool:
        """Cheap enough for check_action, which runs on every key and refresh."""
        if not self._couple_seen:
            self._couple_seen = self.store.get_couple() is not None
        return self._couple_seen

    def partner_name(self, key: str) -> str:
        return partner_name(self.couple, key if key in PARTNERS else TOGETHER)

    def current_sitting_id(self) -> int | None:
        """This run's sitting, or one left open by an earlier run."""
        if self.sitting_id is not None:
            return self.sitting_id
        sitting = self.store.open_sitting()
        found = sitting.id if sitting is not None else None
        if found != self._left_open:
            if self._left_open is not _UNREAD:
                self.refresh_bindings()  # f5 End sitting shows only while a sitting is open
            self._left_open = found
        return found

    def sitting_open(self) -> bool:
        """Cheap enough for check_action: the workbook is read once, then again only
        when something asks ``current_sitting_id`` (Home does on every refresh)."""
        if self.sitting_id is not None:
            return True
        if self._left_open is _UNREAD:
            try:
                self.current_sitting_id()
            except Exception:
                return True  # cannot tell: keep the key; pressing it says what is wrong
        return self._left_open is not None

    def flush_all(self) -> bool:
        """Save whatever any screen is holding: called before anything that covers it.

        False when something could not be written (the screen holding it has
        said why and keeps it): callers that would close that screen stay put.
        """
        saved = True
        from .screens import HoldsAnswers

        for screen in list(self.screen_stack):
            if isinstance(screen, HoldsAnswers):
                try:
                    if not screen.flush_saves():
                        saved = False
                except Exception as error:
                    saved = False
                    self.notify(f"Could not save: {error}", severity="error")
        return saved

    def _unsaved_stay(self) -> None:
        self.notify(
            "An answer is not saved yet, so it stays open: fix the problem above, then try again.",
            severity="warning",
            timeout=10,
        )

    def refresh_home(self) -> None:
        if self.home_screen is not None and self.home_screen.is_mounted:
            self.home_screen.refresh_view()  # type: ignore[attr-defined]

    def _covering(self, kind: type) -> bool:
        return isinstance(self.screen, kind)

    def on_break(self) -> bool:
        """A time-out is open (perhaps under Help or Safety): nothing but its own keys ends it."""
        timeout = sys.modules.get(f"{__package__}.screens.timeout")
        return timeout is not None and any(isinstance(s, timeout.TimeoutScreen) for s in self.screen_stack)

    # -------------------------------------------------------------- checks

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        # Runs for every key and footer refresh: look at the screens' modules
        # only if they are loaded (no such screen can be showing otherwise),
        # so Home's first paint does not import the names form.
        hide = sys.modules.get(f"{__package__}.screens.hide")
        first_run = sys.modules.get(f"{__package__}.screens.first_run")
        if hide is not None and isinstance(self.screen, hide.HideScreen):
            # While hidden, only the hide key (to come back) and quit do anything.
            return action in ("hide", "quit")
        if action in ("home", "end_sitting") and self.on_break():
            return False  # a break ends when its timer does, or when everyone present is ready
        if action == "home" and self.home_screen is not None and self.screen is self.home_screen:
            return False  # already home: the footer has no key that goes nowhere
        if not self.has_couple() or (
            first_run is not None
            and isinstance(self.screen, first_run.FirstRunScreen)
            and self.home_screen is None
        ):
            # Before the names are in there is no home, sitting or exercise.
            if action in (
                "home", "end_sitting", "command_palette",
                "history", "search", "trends", "report", "commitments", "settings",
            ):
                return False
        if action == "end_sitting" and not self.sitting_open():
            return False  # no sitting to end: f5 is not offered (one starts when an exercise opens)
        return True

    # -------------------------------------------------------------- actions

    def action_help(self) -> None:
        from .screens.help import HelpScreen

        if isinstance(self.screen, HelpScreen):
            self.pop_screen()
            return
        self.push_screen(HelpScreen(self.key_rows(self.screen), self.catalog.errors, self.db_path))

    def action_safety(self) -> None:
        from .screens.safety import SafetyScreen

        if isinstance(self.screen, SafetyScreen):
            self.pop_screen()
            return
        self.push_screen(SafetyScreen())

    def action_time_out(self) -> None:
        from .screens.timeout import TimeoutScreen

        if isinstance(self.screen, TimeoutScreen):
            self.screen.action_back()  # the break ends when the timer does, or when both are ready
            return
        from .rhythm import read_rhythm
        from .sitting import calming_plans
        from .store import WorkbookError

        self.flush_all()
        try:
            minutes = read_rhythm(self.store).timeout_minutes  # the length chosen in Settings
        except Exception:
            minutes = DEFAULT_TIMEOUT_MINUTES
        debrief = self.catalog.exercise(DEBRIEF_EXERCISE)
        try:
            plans = [(self.partner_name(p), plan) for p, plan in calming_plans(self.store, *CALMING_PLAN)]
        except WorkbookError:
            plans = []  # a break always opens: the plans are a help, not a need

        def after(result: str | None) -> None:
            if result == "debrief" and debrief is not None:
                self.open_exercise(debrief)

        present = self.attendees or PARTNERS
        screen = TimeoutScreen(
            minutes, debrief.title if debrief else None, present=present, couple=self.couple, plans=plans
        )
        self.look_away_after_break()
        self.push_screen(screen, callback=after)

    def look_away_after_break(self) -> None:
        """Before a break over a private answer or notes: a look-away screen goes under the
        time-out, so that when the break ends the private words come back only after Enter."""
        if not self.private_on_screen():
            return
        from .screens import private
        from .screens.look_away import LookAwayScreen

        whose = other = None
        screen = self.screen
        if isinstance(screen, private.ShowsPrivate):
            owner = screen.private_owner()
            if owner in PARTNERS:
                whose = self.partner_name(owner)
                other = self.partner_name("b" if owner == "a" else "a")
        self.push_screen(LookAwayScreen(whose, other))

    def action_hide(self) -> None:
        from .screens.hide import HideScreen

        if isinstance(self.screen, HideScreen):
            self.pop_screen()
            return
        self.flush_all()
        self.push_screen(HideScreen())

    def action_home(self) -> None:
        if self.home_screen is None:
            return
        if not self.flush_all():
            self._unsaved_stay()
            return
        self._pop_to_home()
        self.refresh_home()

    def action_edit_names(self) -> None:
        from .screens.first_run import FirstRunScreen

        self.push_screen(FirstRunScreen(first=False), callback=lambda _: self.refresh_home())

    def action_locks(self) -> None:
        from .screens.locks import LocksScreen

        self.flush_all()
        self.push_screen(LocksScreen(self.store, self.couple), callback=lambda _: self.refresh_home())

    def action_notes(self) -> None:
        from .screens.notes import WhoseNotesScreen, open_notes

        self.flush_all()
        couple = self.couple

        def chosen(partner: str | None) -> None:
            if partner in PARTNERS:
                open_notes(self, self.store, couple, partner)

        self.push_screen(WhoseNotesScreen(couple), callback=chosen)

    # Screenshots (Textual's palette command): never while private text is on
    # the screen, and saved owner-only beside the recaps, not in the working folder.

    def private_on_screen(self) -> bool:
        private = sys.modules.get(f"{__package__}.screens.private")
        if private is None:
            return False  # no such screen has been opened in this run
        # The top screen, and those a dialog on top lets show through.
        for screen in reversed(self.screen_stack):
            if isinstance(screen, private.ShowsPrivate) and screen.shows_private():
                return True
            if not screen.is_modal:
                break
        return False

    def save_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str:
        from datetime import datetime

        from . import files, paths

        if self.private_on_screen():
            raise PermissionError("a private answer or notes are on the screen")
        folder = files.make_private_dir(Path(path) if path else paths.recaps_dir(self.db_path))
        name = filename or f"screenshot-{datetime.now():%Y%m%d-%H%M%S}.svg"
        target = folder / name
        files.write_atomic(target, self.export_screenshot())
        return str(target)

    def deliver_screenshot(
        self, filename: str | None = None, path: str | None = None, time_format: str | None = None
    ) -> str | None:
        if self.private_on_screen():
            self.notify(
                "No screenshot while a private answer or notes are on the screen.",
                title="Screenshot", severity="warning",
            )
            return None
        try:
            saved = self.save_screenshot(filename, path, time_format)
        except OSError as error:
            self.notify(f"Could not save the screenshot: {error.strerror or error}", severity="error")
            return None
        self.notify(f"Saved screenshot to {saved}", title="Screenshot")
        return saved

    def action_continue(self) -> None:
        from .progress import get_resume

        resume = get_resume(self.store)
        if not resume:
            self.notify("Nothing to continue: pick an exercise on Home.")
            return
        exercise = self.catalog.exercise(resume["exercise_id"])
        if exercise is None:
            self.notify("The exercise you were in is no longer in the program.", severity="warning")
            return
        # The slot number counts answers for the attendees it was saved with,
        # so the same people are assumed rather than asked again.
        attendees = resume.get("attendees") or None
        self.open_exercise(
            exercise,
            start_slot=int(resume.get("slot") or 0),
            answer_sitting_id=resume.get("answer_sitting_id") or resume.get("sitting_id"),
            attendees=tuple(attendees) if attendees else None,
        )

    def action_next(self) -> None:
        from .progress import next_exercise

        last = self.store.last_sitting()
        exercise = next_exercise(self.store, self.catalog, just_done=last.exercises if last else ())
        if exercise is None:
            self.notify("Every exercise has been done. The weekly check-in is always there.")
            return
        self.open_exercise(exercise)

    def action_checkin(self) -> None:
        exercise = self.catalog.checkin()
        if exercise is None:
            self.notify("This program has no weekly check-in.", severity="warning")
            return
        self.open_exercise(exercise)

    # Intents from screens (relworkbook/messages.py), handled here.

    def app_actions(self) -> dict[messages.Go, Callable[[], None]]:
        """What each ``messages.Go`` does (a test checks every one has its handler)."""
        Go = messages.Go
        return {
            Go.CONTINUE: self.action_continue,
            Go.NEXT: self.action_next,
            Go.CHECKIN: self.action_checkin,
            Go.HISTORY: self.action_history,
            Go.TRENDS: self.action_trends,
            Go.COMMITMENTS: self.action_commitments,
            Go.SEARCH: self.action_search,
            Go.SETTINGS: self.action_settings,
        }

    @on(messages.AppAction)
    def _app_action(self, message: messages.AppAction) -> None:
        self.app_actions()[message.action]()

    @on(messages.OpenExercise)
    def _open_exercise(self, message: messages.OpenExercise) -> None:
        self.action_open_exercise(message.exercise_id)

    @on(messages.CatchUp)
    def _catch_up(self, message: messages.CatchUp) -> None:
        if self.attendees and message.partner not in self.attendees:
            self.notify(f"This waits for {self.partner_name(message.partner)}; it opens when they are here.")
            return
        exercise = self.catalog.exercise(message.exercise_id)
        if exercise is not None:
            self.open_exercise(exercise, answer_sitting_id=message.sitting_id)

    def action_open_exercise(self, exercise_id: str) -> None:
        exercise = self.catalog.exercise(exercise_id)
        if exercise is None:
            self.notify(f"No exercise called {exercise_id}.", severity="warning")
            return
        self.open_exercise(exercise)

    # Looking back: the screens live in their own modules (history, search,
    # trends, commitments) and take (store, catalog, couple).

    def _look_back(self, module: str, cls: str, **kwargs: Any) -> None:
        import importlib

        try:
            screen_type = getattr(importlib.import_module(f"{__package__}.screens.{module}"), cls)
        except (ImportError, AttributeError) as error:
            self.notify(f"That screen could not open: {error}", severity="error")
            return
        self.flush_all()
        self.push_screen(screen_type(self.store, self.catalog, self.couple, **kwargs))

    def action_history(self) -> None:
        self._look_back("history", "HistoryScreen")

    def action_last_recap(self) -> None:
        last = self.store.last_sitting()
        if last is None:
            self.notify("No sittings yet: a recap appears once you have done an exercise.")
            return
        self._look_back("recap", "RecapScreen", sitting_id=last.id, db_path=self.db_path)

    def action_search(self) -> None:
        self._look_back("search", "SearchScreen")

    def action_trends(self) -> None:
        self._look_back("trends", "TrendsScreen")

    def action_report(self) -> None:
        self._look_back("report", "ReportScreen", db_path=self.db_path)

    def action_commitments(self) -> None:
        self._look_back("commitments", "CommitmentsScreen", sitting_id=self.current_sitting_id())

    def action_settings(self) -> None:
        from .screens.settings import SettingsScreen

        if isinstance(self.screen, SettingsScreen):
            return
        self.flush_all()
        self.push_screen(SettingsScreen(self.store))

    def action_add_to_calendar(self) -> None:
        """Save the weekly check-in and dated commitments as calendar.ics beside the recaps."""
        from .ics import save_beside_recaps

        try:
            written = save_beside_recaps(self.store, self.db_path)
        except Exception as error:  # a full disk, a read-only folder: one line, the app goes on
            reason = getattr(error, "strerror", None) or str(error)
            self.notify(f"Could not save the calendar file: {reason}.", severity="error", timeout=10)
            return
        self.notify(
            f"Saved {written.name} in {written.parent}. Open it with your calendar app; "
            "saving again later updates the same events.",
            title="Calendar file saved",
            timeout=12,
        )

    def action_end_sitting(self) -> None:
        from .screens.confirm import ConfirmScreen

        sitting_id = self.current_sitting_id()
        if sitting_id is None:
            self.notify("No sitting is open. One starts when you open an exercise.")
            return
        self.flush_all()

        def decided(yes: bool | None) -> None:
            if yes:
                self.end_sitting(sitting_id)

        self.push_screen(
            ConfirmScreen(
                "End this sitting?",
                "Everything is saved. You will see a summary of what you did.",
                yes="End sitting",
                no="Keep going",
            ),
            callback=decided,
        )

    def end_sitting(self, sitting_id: int) -> None:
        from .screens.sitting_end import SittingEndScreen

        if not self.flush_all():
            self._unsaved_stay()
            return
        # Leave any exercise first, so nothing writes into a closed sitting.
        self._pop_to_home()
        from .sitting import end_sitting

        try:
            end_sitting(self.store, sitting_id)  # and it is never resumed
        except Exception as error:
            self.notify(f"Could not end the sitting: {error}", severity="error")
            return
        self.sitting_id = None
        self.attendees = ()
        self._left_open = None
        self.refresh_bindings()
        self.refresh_home()
        self.push_screen(SittingEndScreen(self.store, self.catalog, self.couple, sitting_id))

    # ---------------------------------------------------------- exercises

    def open_exercise(
        self,
        exercise: Exercise,
        *,
        start_slot: int = 0,
        answer_sitting_id: int | None = None,
        attendees: Sequence[str] | None = None,
    ) -> None:
        """Open an exercise in this run's sitting, asking who is here the first time."""
        from .screens.attendance import AttendanceScreen

        def go(chosen: tuple[str, ...] | None) -> None:
            if not chosen:
                return
            try:
                sitting_id = self._ensure_sitting(tuple(chosen))
            except Exception as error:
                self.notify(f"Could not start a sitting: {error}", severity="error")
                return
            self._push_exercise(exercise, sitting_id, start_slot, answer_sitting_id)

        if self.sitting_id is None:
            if attendees is not None:
                go(tuple(attendees))
            else:
                self.push_screen(AttendanceScreen(), callback=go)
        else:
            go(self.attendees)

    def _ensure_sitting(self, attendees: tuple[str, ...]) -> int:
        if self.sitting_id is not None and attendees == self.attendees:
            return self.sitting_id
        from .sitting import join_sitting

        self.sitting_id = join_sitting(self.store, attendees)
        self.attendees = attendees
        self.refresh_home()
        self.refresh_bindings()
        return self.sitting_id

    def _push_exercise(
        self,
        exercise: Exercise,
        sitting_id: int,
        start_slot: int,
        answer_sitting_id: int | None,
    ) -> None:
        from .screens.exercise import ExerciseScreen
        from .sitting import step_to_introduce

        if answer_sitting_id == sitting_id:
            answer_sitting_id = None
        # One exercise at a time: one opened from the palette replaces the one on screen.
        if not self.flush_all():
            self._unsaved_stay()
            return
        self._pop_to_home()
        screen = ExerciseScreen(
            self.store,
            exercise,
            sitting_id,
            self.attendees,
            start_slot=start_slot,
            answer_sitting_id=answer_sitting_id,
            step=step_to_introduce(self.store, self.catalog, exercise, start_slot=start_slot),
            catalog=self.catalog,
        )
        self.push_screen(screen, callback=lambda done: self._exercise_closed(exercise, screen, bool(done)))

    def _exercise_closed(self, exercise: Exercise, screen: Any, done: bool) -> None:
        """Back on Home; a finished exercise ends on a short "done" moment (what next, a breath)."""
        self.refresh_home()
        if not done:
            return
        from .progress import next_exercise
        from .screens.done import DoneScreen

        try:
            upcoming = next_exercise(self.store, self.catalog, just_done=[exercise.id])
        except Exception:  # the moment is a courtesy: never a reason to fail
            upcoming = None
        if upcoming is None or upcoming.id == exercise.id:
            next_line = "Next: whatever helps most; Home lists every exercise."
        elif upcoming.kind == "checkin":
            next_line = f"Next: the {upcoming.title.lower()}, about {upcoming.minutes} minutes."
        else:
            next_line = f"Next: {upcoming.title}, about {upcoming.minutes} minutes."
        alone = len(self.attendees) == 1
        self.push_screen(DoneScreen(exercise.title, screen.run.given_count(), next_line, alone=alone))

    # ------------------------------------------------------------- keys

    def key_rows(self, screen: Screen | None = None) -> list[tuple[str, str, str]]:
        """(where, keys, what) for every described binding: the app's and the screen's.

        Read from the screen's live binding chain (keymap applied, keys a text
        box would swallow left out), so Help never disagrees with what a key does.
        """
        chain = list(screen._binding_chain) if screen is not None else [(self, self._bindings)]
        app_maps = [bindings for node, bindings in chain if node is self] or [self._bindings]
        rows: list[tuple[str, str, str]] = []
        rows.extend(
            ("Anywhere", keys, what)
            for keys, what in _describe(self, app_maps[0], node=self if self.on_break() else None, owner=self)
        )
        seen = {what for _, _, what in rows}
        # A key bound nearer the focus is taken there first (the chain runs from the
        # focused widget out): the same key further out never does its thing, so it
        # is not listed (the sitting view's answers take the arrows before its scroll).
        def passed_on(node: Any) -> tuple[str, ...]:
            # A list that cannot scroll sideways passes the arrows on (Home's
            # steps open and close with them): do not list what they do not do.
            sideways = getattr(node, "allow_horizontal_scroll", True)
            return () if sideways else ("scroll_left", "scroll_right", "page_left", "page_right")

        from textual.actions import parse

        def takes(node: Any, binding: Any, skip: Sequence[str]) -> bool:
            if binding.priority or binding.action in skip:
                return False
            target, name, parameters = parse(binding.action)
            return bool(target) or node.check_action(name, parameters) is not False  # an action off passes the key on

        taken: dict[int, set[str]] = {}
        nearer: set[str] = set()
        for node, bindings in chain:
            taken[id(node)] = set(nearer)
            skip = passed_on(node)
            nearer.update(key for key, binding in bindings if takes(node, binding, skip))
        for node, bindings in reversed(chain):
            if node is self:
                continue
            for keys, what in _describe(self, bindings, passed_on(node), node, taken[id(node)], owner=node):
                if what not in seen:
                    seen.add(what)
                    rows.append(("On the screen you came from", keys, what))
        return rows

    async def action_quit(self) -> None:
        import time

        if not self.flush_all():
            # Quitting now would lose the words on screen: stay open and say so,
            # unless this is the second quit in a row (the problem may not be fixable now).
            asked = getattr(self, "_quit_unsaved_at", None)
            if asked is None or time.monotonic() - asked > 15:
                self._quit_unsaved_at = time.monotonic()
                self.notify(
                    "An answer is not saved yet, so the workbook stays open: fix the problem above, "
                    "or quit again to leave without it.",
                    severity="warning",
                    timeout=15,
                )
                return
        await super().action_quit()


def unexpected_problem(error: BaseException | None) -> str:
    """One line for an unexpected error: its kind and the innermost line of ours it passed
    through, never its message or anything a frame held (they may hold private words)."""
    import traceback

    kind = type(error).__name__ if error is not None else "an error"
    where = ""
    package = Path(__file__).resolve().parent
    frames = traceback.extract_tb(error.__traceback__) if error is not None else []
    for frame in reversed(frames):
        try:
            where = f" in {package.name}/{Path(frame.filename).resolve().relative_to(package)}:{frame.lineno}"
            break
        except ValueError:
            continue
    return f"unexpected problem ({kind}{where}). Please report it."


def _workbook_problem(error: BaseException) -> str | None:
    """The one line of the ``WorkbookError`` behind ``error`` (itself, its cause or context), if any."""
    from .store import WorkbookError

    seen: set[int] = set()
    current: BaseException | None = error
    while current is not None and id(current) not in seen:
        if isinstance(current, WorkbookError):
            text = str(current).strip()
            return text.splitlines()[0] if text else "The workbook could not be used."
        seen.add(id(current))
        current = current.__cause__ or current.__context__
    return None


_NAMES = {
    "command_palette": "Command palette: every action by name",
    "quit": "Quit (everything is already saved)",
    "help": "Help: this list of keys",
    "time_out": "Time-out: a calm screen and a timer; back to the same place after",
    "safety": "Safety and support: where to find help",
    "home": "Home",
    "end_sitting": "End the sitting and see what you did",
    "hide": "Quick hide: blank the screen; the same key brings it back",
}


def _describe(app: App, bindings: Any, skip: Sequence[str] = (), node: Any = None,
              taken: Collection[str] = (), owner: Any = None) -> list[tuple[str, str]]:
    """Group a BindingsMap by action: [(\"f2 / ^t\", \"Time-out\"), ...]; actions in ``skip`` left out,
    and those ``node`` hides now (its ``check_action`` says False: a key that would do nothing);
    keys in ``taken`` (bound nearer the focus) left out unless the binding has priority.

    In the order ``owner`` (whose bindings these are) declares them: a keymap moves a
    remapped key to the end of the map, but Help keeps it in its usual row."""
    from textual.actions import parse

    grouped: dict[str, tuple[list[str], str]] = {}
    for key, binding in bindings:
        if binding.system or binding.action in skip:
            continue
        if key in taken and not binding.priority:
            continue
        if node is not None:
            target, name, parameters = parse(binding.action)
            if not target and node.check_action(name, parameters) is False:
                continue
        # A screen's own copy of an app key (Home's f5) reads as the app's, and is listed once.
        what = _NAMES.get(binding.action.removeprefix("app.")) or binding.description
        if not what:
            continue
        display = app.get_key_display(binding)
        keys, _ = grouped.setdefault(binding.action, ([], what))
        if display not in keys:
            keys.append(display)
    declared = owner._bindings if owner is not None else None  # its own map: no keymap applied
    if declared is not None:
        place: dict[str, int] = {}
        for index, (_key, binding) in enumerate(declared):
            place.setdefault(binding.action, index)
        order = sorted(grouped, key=lambda action: place.get(action, len(place)))  # stable
        grouped = {action: grouped[action] for action in order}
    return [(" / ".join(keys), what) for keys, what in grouped.values()]


def make_app(
    db_path: Path | str,
    exercise_dirs: Sequence[Path | str] = (),
    *,
    shipped: bool = True,
    store: Store | None = None,
    config: Any = None,
) -> WorkbookApp:
    """Open the workbook file and the exercise program, and build the app on them.

    ``shipped=False`` leaves the shipped program out (tests use a fixture pack).
    ``store``, already open on ``db_path`` (the start has checked the file with
    it), is taken over instead of opening the file again; the app closes it.
    ``config`` is the config file's settings (``config.load()``), if any.
    """
    from .catalog import load_catalog
    from .store import Store

    db_path = Path(db_path)
    if store is None:
        store = Store.open(db_path, check_index=False)  # the app checks the index once Home is drawn
    try:
        catalog = load_catalog(tuple(Path(d) for d in exercise_dirs), shipped=shipped)
    except BaseException:
        store.close()
        raise
    app = WorkbookApp(store, catalog, db_path=db_path, config=config)
    app.owns_store = True
    return app


__all__ = ["WorkbookApp", "make_app", "PARTNERS"]


def _watch_terminal(every: float = 0.5) -> None:
    """End the app when its terminal is gone, even when no SIGHUP says so.

    A terminal can vanish without a hang-up signal reaching the app (it was not
    in the terminal's session: started by a ``make run`` whose shell went
    first, say). Textual's output thread then dies on its first write, the app
    waits for ever to hand it the next frame, and the input thread spins on the
    closed terminal: a core at 100 % for good, and the workbook "in use". A
    daemon thread asks the terminal for its settings every ``every`` seconds;
    once that fails, it sends the app the SIGHUP it missed (save, close, leave,
    from the event loop), and if the loop is stuck and cannot take it, ends the
    process 3 seconds later (each save is a commit: what was saved stays).
    """
    import os
    import signal
    import threading
    import time

    try:
        import termios

        fd = sys.__stdin__.fileno()
        termios.tcgetattr(fd)
    except Exception:
        return  # no terminal to watch (a test, a pipe, another platform)

    def watch() -> None:
        while True:
            time.sleep(every)
            try:
                termios.tcgetattr(fd)
            except (termios.error, OSError):
                break
        os.kill(os.getpid(), signal.SIGHUP)
        time.sleep(3.0)
        os._exit(128 + signal.SIGHUP)

    threading.Thread(target=watch, name="relworkbook-terminal", daemon=True).start()


def _leave_after(seconds: float, code: int) -> None:
    """End the process after ``seconds`` unless it has ended by then (a daemon timer)."""
    import os
    import threading

    timer = threading.Timer(seconds, os._exit, args=(code,))
    timer.daemon = True
    timer.start()
