"""Home: where the couple are and what comes next.

One list holds everything that can be opened (continue, the next suggested
exercise, the check-in, work waiting for a partner, then every step with its
progress), so the keyboard needs only the arrows and Enter. A step opens to
show its exercises (Enter, a click or the right arrow; the left arrow closes
it); at first only the step of the next suggested exercise is open. The side
panel shows the last check-in at a glance and the open commitments.
"""

from __future__ import annotations

from datetime import date
from functools import partial
from typing import TYPE_CHECKING, Any, Callable

from rich.text import Text
from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Container, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.geometry import Size
from textual.widget import Widget
from textual.widgets import Footer, Header, OptionList, Static
from textual.widgets.option_list import Option, OptionDoesNotExist

from .. import messages
from ..colour import partner_colour
from ..messages import Go
from ..model import PARTNERS, TOGETHER, Commitment

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog

MAX_COMMITMENTS = 8
CHECKIN_LOOKBACK = 26  # sittings scanned for the latest check-in


def short_title(title: str) -> str:
    """"Trust (10 = I can fully rely on us)" -> "Trust"."""
    return title.split(" (", 1)[0].strip() or title


class RatingsGlance(Widget):
    """The last check-in at a glance: a heading, then a row per rating and a column per partner.

    Drawn as Content for the width it has (when the panel is narrow, names and
    then labels are cut with "…"; the numbers always show whole), rather than
    as a Rich table: it is on the first screen, and laying out a Rich table was
    a noticeable share of the start.
    """

    DEFAULT_CSS = """
    RatingsGlance {
        height: auto;
    }
    """

    GAP = 2  # cells between columns
    LABEL_MIN = 8

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._message: Content = Content()
        self._names: list[str] = []
        self._rows: list[tuple[str, list[str]]] = []
        self._note: Content | None = None

    def show_message(self, message: Content) -> None:
        """Lines of text instead of ratings (no check-in yet, no ratings given)."""
        self._message, self._names, self._rows, self._note = message, [], [], None
        self.refresh(layout=True)

    def show_ratings(
        self, heading: Content, names: list[str], rows: list[tuple[str, list[str]]], note: Content | None = None
    ) -> None:
        self._message, self._names, self._rows, self._note = heading, names, rows, note
        self.refresh(layout=True)

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        if not self._rows:
            return super().get_content_height(container, viewport, width)
        return 2 + len(self._rows) + (1 if self._note is not None else 0)

    def render(self) -> Content:
        if not self._rows:
            return self._message
        available = self.content_region.width
        longest = max(Content(label).cell_length for label, _ in self._rows)
        numbers = [max(Content(cells[i]).cell_length for _, cells in self._rows) for i in range(len(self._names))]
        widths = [max(Content(name).cell_length, need) for name, need in zip(self._names, numbers)]
        # Narrow: names give way first (cut with "…", never below their numbers
        # or three cells), then labels; the numbers always show whole.
        label_wanted = min(longest, self.LABEL_MIN)
        while label_wanted + sum(width + self.GAP for width in widths) > available:
            widest = max(range(len(widths)), key=lambda i: widths[i] - max(numbers[i], 3))
            if widths[widest] <= max(numbers[widest], 3):
                break
            widths[widest] -= 1
        label_width = max(1, min(longest, available - sum(width + self.GAP for width in widths)))

        def row(label: Content, cells: list[Content]) -> Content:
            line = label.truncate(label_width, ellipsis=True, pad=True)
            for cell, width in zip(cells, widths):
                cell = cell.truncate(width, ellipsis=True)
                line += " " * (self.GAP + width - cell.cell_length) + cell
            return line

        lines = [
            self._message.truncate(available, ellipsis=True),
            row(Content(""), [Content.styled(name, "bold") for name in self._names]),
            *(row(Content(label), [Content(cell) for cell in cells]) for label, cells in self._rows),
        ]
        if self._note is not None:
            lines.append(self._note)
        return Content("\n").join(lines)


WIDE_FROM = 72  # columns: from here the side panel sits beside the list


class HomeScreen(Screen[None]):
    """Each option of the list carries its intent: ``intents`` maps an option's id to the
    message choosing it posts (the app's typed intents, ``relworkbook/messages.py``, or
    ``ToggleStep`` for Home itself). An option id names an option; it is never read back."""

    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (WIDE_FROM, "-wide")]

    class ToggleStep(Message):
        """Open the step ``step_id`` in the list, or close it."""

        def __init__(self, step_id: str) -> None:
            super().__init__()
            self.step_id = step_id

    BINDINGS = [
        # The app's f5, shown here (only) while a sitting is open: the place a sitting is ended from.
        Binding("f5", "app.end_sitting", "End sitting", id="end-sitting", priority=True),
        Binding("c", "app.continue", "Continue", id="home-continue", show=False),
        Binding("n", "app.next", "Next", id="home-next", show=False),
        Binding("w", "app.checkin", "Check-in", id="home-checkin", show=False),
        Binding("e", "app.edit_names", "Names", id="home-names", show=False),
        Binding("h", "app.history", "History", id="home-history", show=False),
        Binding("t", "app.trends", "Trends", id="home-trends", show=False),
        Binding("m", "app.commitments", "Commitments", id="home-commitments", show=False),
        Binding("slash", "app.search", "Search", id="home-search", show=False),
        Binding("s", "app.settings", "Settings", id="home-settings", show=False),
        Binding("right", "open_step", "Open the highlighted step", id="home-open-step", show=False),
        Binding("left", "close_step", "Close the step", id="home-close-step", show=False),
    ]

    def compose(self) -> ComposeResult:
        # Few widgets, none hidden: each one is styled, laid out and drawn at
        # every start (the skipped-files note only exists when there are some).
        yield Header()
        yield Static("", id="home-status")
        with Container(id="home-body"):
            yield OptionList(id="home-list")
            with Vertical(id="home-side"):
                yield Static("", id="glance-due", classes="glance")
                yield RatingsGlance(id="glance-checkin", classes="glance")
                yield Static("", id="glance-commitments", classes="glance")
                if self._app.catalog.errors:
                    yield Static("", id="glance-skipped", classes="glance")
        yield WholeFooter()

    def __init__(self) -> None:
        super().__init__()
        # Steps shown open; None until the first fill opens the next exercise's step.
        self._open_steps: set[str] | None = None
        # The top of the list and the exercises done, as the last read found them.
        self._head: list[Option | None] = []
        self._done: set[str] = set()
        # Option id -> the message choosing it posts, built when chosen (a Textual Message
        # carries its own delivery, so one is never posted twice); the top's, then the steps'.
        self._head_intents: dict[str, Callable[[], Message]] = {}
        self.intents: dict[str, Callable[[], Message]] = {}
        self._steps: dict[str, str] = {}  # a step's option id -> the step
        self._step_of: dict[str, str] = {}  # an exercise's option id -> its step
        # The class the first resize would give (HORIZONTAL_BREAKPOINTS), given
        # now: the first styling is then the final one, not redone for the class.
        wide = self.app.size.width >= WIDE_FROM
        self.set_class(wide, "-wide")
        self.set_class(not wide, "-narrow")

    def on_mount(self) -> None:
        self.refresh_view()
        # The ScreenResume that follows the first mount would read it all again.
        self._just_mounted = True
        self.query_one("#home-list", OptionList).focus()

    def on_screen_resume(self) -> None:
        if getattr(self, "_just_mounted", False):
            self._just_mounted = False
            return
        self.refresh_view()

    # ------------------------------------------------------------ content

    @property
    def _app(self) -> Any:
        return self.app

    def refresh_view(self) -> None:
        from ..progress import last_checkin_done

        app = self._app
        store, catalog = app.store, app.catalog
        try:
            self.query_one("#home-status", Static).update(self._status())
            checkin = catalog.checkin()
            # When the last check-in was completed: the list's mark and "What is due" both need it.
            last_done = last_checkin_done(store, checkin) if checkin is not None else None
            self._fill_list(store, catalog, {checkin.id: last_done} if checkin is not None else {})
            commitments = store.open_commitments()  # read once for both panels
            self.query_one("#glance-due", Static).update(self._due(store, catalog, last_done, commitments))
            self._checkin_glance(store, catalog, self.query_one("#glance-checkin", RatingsGlance))
            self.query_one("#glance-commitments", Static).update(self._commitments(commitments))
            errors = catalog.errors
            if errors:
                self.query_one("#glance-skipped", Static).update(
                    Text.assemble(
                        ("Exercises skipped\n", "bold"),
                        f"{len(errors)} problem{'s' if len(errors) != 1 else ''} in the exercise "
                        "files; press f1 to see which.",
                    )
                )
        except Exception as error:  # show one line, never a traceback
            self.query_one("#home-status", Static).update(f"Could not read the workbook: {error}")

    def _status(self) -> Text:
        app = self._app
        couple = app.store.get_couple()
        text = Text()
        if couple is not None:
            text.append(couple.a.name, style=f"bold {partner_colour(couple.a.colour)}".strip())
            text.append(" and ")
            text.append(couple.b.name, style=f"bold {partner_colour(couple.b.colour)}".strip())
        sitting_id = app.current_sitting_id()
        if sitting_id is None:
            text.append(" · no sitting open", style="dim")
        else:
            sitting = app.store.get_sitting(sitting_id)
            who = app.attendees or (sitting.attendees if sitting else ())
            names = " and ".join(app.partner_name(k) for k in who) or "?"
            since = ""
            if sitting is not None:
                day, clock = sitting.started[:10], sitting.started[11:16]
                since = clock if day == app.today().isoformat() else f"{day} {clock}"
            text.append(f" · sitting since {since}: {names}", style="dim")
        return text

    def _fill_list(self, store: Store, catalog: Catalog, checkins_done: dict[str, str | None]) -> None:
        from ..progress import done_exercises, get_resume, next_exercise, pending_for

        options: list[Option | None] = []
        intents: dict[str, Callable[[], Message]] = {}
        resume = get_resume(store)
        resumed = catalog.exercise(resume["exercise_id"]) if resume else None
        if resumed is not None:
            options.append(
                Option(
                    Content.assemble(("▶ Continue where you left off: ", "bold"), resumed.title),
                    id="continue",
                )
            )
            intents["continue"] = partial(messages.AppAction, Go.CONTINUE)
        done = done_exercises(store, catalog, checkins_done=checkins_done)
        last = store.last_sitting()
        upcoming = next_exercise(store, catalog, done, just_done=last.exercises if last else ())
        if upcoming is not None and upcoming.kind != "checkin":
            options.append(
                Option(
                    Content.assemble(("★ Next: ", "bold"), f"{upcoming.title} · {upcoming.minutes} min"),
                    id="next",
                )
            )
            intents["next"] = partial(messages.AppAction, Go.NEXT)
        checkin = catalog.checkin()
        if checkin is not None:
            options.append(
                Option(
                    Content.assemble(("◆ Weekly check-in", "bold"), f" · {checkin.minutes} min"),
                    id="checkin",
                )
            )
            intents["checkin"] = partial(messages.AppAction, Go.CHECKIN)
        present = self._app.attendees or PARTNERS
        for partner in present:
            for sitting_id, exercise in pending_for(store, catalog, partner):
                option_id = f"pending:{partner}:{sitting_id}:{exercise.id}"  # a name, never read back
                options.append(
                    Option(
                        Content.assemble(
                            (f"⧗ Waiting for {self._app.partner_name(partner)}: ", "bold"),
                            exercise.title,
                        ),
                        id=option_id,
                    )
                )
                intents[option_id] = partial(messages.CatchUp, partner, sitting_id, exercise.id)
        if options:
            options.append(None)
        if self._open_steps is None:
            self._open_steps = {upcoming.step} if upcoming is not None and upcoming.kind != "checkin" else set()
        # What this read found; opening or closing a step redraws from it, no query.
        self._head, self._done, self._head_intents = options, done, intents
        self._show_list(catalog)

    def _show_list(self, catalog: Catalog) -> None:
        """The list: what the last read put on top, then the steps (open ones with their exercises)."""
        options, done = list(self._head), self._done
        intents, steps, step_of = dict(self._head_intents), {}, {}
        for step in sorted(catalog.steps, key=lambda s: (s.order, s.id)):
            exercises = catalog.exercises_for(step.id)
            if not exercises:
                continue
            count = sum(1 for ex in exercises if ex.id in done)
            is_open = step.id in self._open_steps
            options.append(
                Option(
                    Content.assemble("▾ " if is_open else "▸ ", (step.title, "bold"), f"  {count}/{len(exercises)}"),
                    id=f"step:{step.id}",
                )
            )
            intents[f"step:{step.id}"] = partial(self.ToggleStep, step.id)
            steps[f"step:{step.id}"] = step.id
            if not is_open:
                continue
            for exercise in exercises:
                mark = "✓ " if exercise.id in done else "  "
                options.append(
                    Option(Content(f"    {mark}{exercise.title} · {exercise.minutes} min"), id=f"ex:{exercise.id}")
                )
                intents[f"ex:{exercise.id}"] = partial(messages.OpenExercise, exercise.id)
                step_of[f"ex:{exercise.id}"] = step.id
        key = self._key_hints()
        options.extend(
            [
                None,
                Option(Content.styled("Looking back", "bold underline"), id="look", disabled=True),
                Option(Content(f"  History: every sitting{key('home-history')}"), id="go:history"),
                Option(Content(f"  Trends{key('home-trends')}"), id="go:trends"),
                Option(Content(f"  Commitments{key('home-commitments')}"), id="go:commitments"),
                Option(Content(f"  Search everything written{key('home-search')}"), id="go:search"),
                None,
                Option(Content(f"Settings: check-in day, time-out{key('home-settings')}"), id="go:settings"),
            ]
        )
        for go in (Go.HISTORY, Go.TRENDS, Go.COMMITMENTS, Go.SEARCH, Go.SETTINGS):
            intents[f"go:{go.value}"] = partial(messages.AppAction, go)
        self.intents, self._steps, self._step_of = intents, steps, step_of
        olist = self.query_one("#home-list", OptionList)
        keep = olist.highlighted
        keep_id = olist.highlighted_option.id if olist.highlighted_option is not None else None
        olist.clear_options()
        olist.add_options(options)
        # The same option stays highlighted (by id: a step opening or closing
        # moves those below it), else the same place in the list.
        index = self._index_of(olist, keep_id)
        if index is None and keep is not None and keep < olist.option_count:
            index = keep
        if index is not None:
            olist.highlighted = index
        else:
            olist.action_first()

    def _checkin_glance(self, store: Store, catalog: Catalog, glance: RatingsGlance) -> None:
        """The latest check-in's ratings, one row per rating, a column per partner."""
        heading = Content.styled("Last check-in", "bold")
        checkin = catalog.checkin()
        if checkin is None:
            glance.show_message(Content.assemble(heading, ("\nThis program has no check-in.", "dim")))
            return
        from ..progress import last_complete_checkin

        # The last complete one (both ratings in, revealed) until a newer one is complete.
        last = last_complete_checkin(store, checkin, CHECKIN_LOOKBACK)
        if last is None:
            glance.show_message(
                Content.assemble(heading, (f"\nNone yet. The weekly check-in takes about {checkin.minutes} minutes.", "dim"))
            )
            return
        found, answers = last
        answers = [a for a in answers if a.exercise_id == checkin.id]
        heading = Content.assemble(heading, (f"  {found.started[:10]}", "dim"))
        scales = {p.id for p in checkin.prompts if p.type == "scale"}
        answers = [a for a in answers if a.prompt_id in scales]
        columns = [p for p in (*PARTNERS, TOGETHER) if any(a.partner == p for a in answers)]
        rows: list[tuple[str, list[str]]] = []
        waiting = False
        for prompt in checkin.prompts:
            if prompt.type != "scale":
                continue
            given = {a.partner: a for a in answers if a.prompt_id == prompt.id}
            if not any(a.value is not None for a in given.values()):
                continue
            title = short_title(catalog.metric_title(prompt.metric)) if prompt.metric else prompt.text
            cells: list[str] = []
            for partner in columns:
                answer = given.get(partner)
                if answer is None or answer.value is None:
                    cells.append("-")
                elif answer.private and not answer.revealed:
                    cells.append("?")
                    waiting = True
                else:
                    cells.append(str(answer.value))
            rows.append((title, cells))
        if not rows:
            glance.show_message(Content.assemble(heading, ("\nNo ratings were given.", "dim")))
            return
        note = Content.styled("? waiting to reveal", "dim") if waiting else None
        glance.show_ratings(heading, [self._app.partner_name(p) for p in columns], rows, note)

    def _due(self, store: Store, catalog: Catalog, found: str | None, commitments: list[Commitment]) -> Text:
        """What is due, in calm words: the check-in, commitments this week."""
        from ..rhythm import due_lines, read_rhythm

        today = self._app.today()
        checkin = catalog.checkin()
        last = started = None
        if checkin is not None:
            # found: when the last check-in was done, not merely opened (last_checkin_done)
            last = date.fromisoformat(found[:10]) if found else None
            first = store.first_started() if last is None else None
            started = date.fromisoformat(first[:10]) if first else None
        lines = due_lines(
            today, read_rhythm(store), last, started, commitments, has_checkin=checkin is not None
        )
        text = Text("What is due\n", style="bold")
        text.append("\n".join(lines) if lines else "Nothing this week.", style="" if lines else "dim")
        return text

    def _commitments(self, commitments: list[Commitment]) -> Text:
        text = Text("Open commitments\n", style="bold")
        if not commitments:
            text.append("None open.", style="dim")
            return text
        from ..rhythm import due_phrase

        today = self._app.today()
        for commitment in commitments[:MAX_COMMITMENTS]:
            owner = "both of you" if commitment.owner == "both" else self._app.partner_name(commitment.owner)
            text.append(f"• {commitment.what}", style="")
            # The name itself is not dimmed: a muted name would read below 4.5:1 on most themes.
            text.append(" (", style="dim")
            text.append(owner)
            if commitment.due:
                text.append(f", {due_phrase(commitment.due, today)}", style="dim")
            text.append(")\n", style="dim")
        if len(commitments) > MAX_COMMITMENTS:
            text.append(f"and {len(commitments) - MAX_COMMITMENTS} more", style="dim")
        return text

    def _key_hints(self) -> Any:
        """A function: binding id -> " (its key)" as in force (a config keymap applied), or ""."""
        shown: dict[str, str] = {}
        for node, bindings in self._binding_chain:
            if node is not self:
                continue
            for _key, binding in bindings:
                if binding.id and binding.id not in shown:
                    shown[binding.id] = self.app.get_key_display(binding)
        return lambda binding_id: f" ({shown[binding_id]})" if binding_id in shown else ""

    @staticmethod
    def _index_of(olist: OptionList, option_id: str | None) -> int | None:
        if option_id is None:
            return None
        try:
            return olist.get_option_index(option_id)
        except OptionDoesNotExist:
            return None

    # ------------------------------------------------------------ steps

    def _highlighted_id(self) -> str:
        olist = self.query_one("#home-list", OptionList)
        option = olist.highlighted_option
        return (option.id or "") if option is not None else ""

    def _set_step_open(self, step_id: str, is_open: bool, *, highlight: str | None = None) -> None:
        if self._open_steps is None:
            return  # the list was never read: nothing to open or close
        if is_open:
            self._open_steps.add(step_id)
        else:
            self._open_steps.discard(step_id)
        olist = self.query_one("#home-list", OptionList)
        if highlight is not None:
            index = self._index_of(olist, highlight)
            if index is not None:
                olist.highlighted = index
        self._show_list(self._app.catalog)

    def action_open_step(self) -> None:
        """Right arrow: open the highlighted step."""
        step_id = self._steps.get(self._highlighted_id())
        if step_id is not None:
            self._set_step_open(step_id, True)

    def action_close_step(self) -> None:
        """Left arrow: close the highlighted step, or the step of the highlighted exercise."""
        option_id = self._highlighted_id()
        if option_id in self._steps:
            self._set_step_open(self._steps[option_id], False)
        elif option_id in self._step_of:
            step_id = self._step_of[option_id]
            self._set_step_open(step_id, False, highlight=f"step:{step_id}")

    # ------------------------------------------------------------ choices

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        """The chosen option's intent is posted: the app's (relworkbook/messages.py) or ToggleStep."""
        event.stop()
        intent = self.intents.get(event.option.id or "")
        if intent is not None:
            self.post_message(intent())

    @on(ToggleStep)
    def _toggle_step(self, message: ToggleStep) -> None:
        message.stop()
        self._set_step_open(message.step_id, message.step_id not in (self._open_steps or ()))


class WholeFooter(Footer):
    """Textual's footer, with its keys in Home's first frame.

    Textual's footer composes empty and fills in its keys once the screen
    says its bindings are known, a whole re-layout and draw later; Home's
    bindings are known when it is composed. So the first frame a person sees
    is the whole Home screen, and the footer is composed again only when the
    keys it shows change (not for the "bindings updated" that follows every
    focus change with the same keys).
    """

    def __init__(self) -> None:
        super().__init__()
        self.set_reactive(Footer._bindings_ready, True)  # Textual 8: the footer composes its keys
        self._shown: tuple = ()

    def _keys(self) -> tuple:
        return tuple(
            (key, binding.action, binding.description, binding.show, binding.key_display, enabled, tooltip)
            for key, (_, binding, enabled, tooltip) in self.screen.active_bindings.items()
        )

    def compose(self):
        self._shown = self._keys()
        yield from super().compose()

    def bindings_changed(self, screen) -> None:
        if self.is_attached and screen is self.screen and self._keys() == self._shown:
            return
        super().bindings_changed(screen)
