"""Search: full-text over everything written (``store.search``), results as a list.

Each result shows the sitting date, the exercise, whose answer, and a snippet with
the match highlighted. The status line gives the true count; results come fifty at a
time, and the list's last line ("show 50 more") loads the next ones. The store marks matches with ``[[`` and ``]]``; the
snippet is built as a Rich ``Text`` piece by piece, so nothing a partner wrote is
ever read as markup. Enter or a click opens the sitting with that answer focused.
Unrevealed private answers never appear (the store leaves them out).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any, Callable

from rich.text import Text
from textual.app import ComposeResult
from textual.binding import Binding
from textual.color import Color
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Footer, Header, Input, OptionList, Static
from textual.widgets.option_list import Option

from ..colour import readable_on
from ..model import Couple, SearchHit
from .lookback import exercise_title, go_back, name_text, partner_colour, short_when
from .sitting_view import SittingViewScreen

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog

HIGHLIGHT = "bold reverse"
PAGE = 50  # results loaded at a time; the list's last line loads the next ones


def snippet_text(snippet: str) -> Text:
    """'a [[word]] b' -> Text with 'word' highlighted; unbalanced markers are kept as written."""
    out = Text()
    rest = " ".join(str(snippet or "").split())
    while rest:
        start = rest.find("[[")
        end = rest.find("]]", start + 2) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(rest)
            break
        out.append(rest[:start])
        out.append(rest[start + 2 : end], style=HIGHLIGHT)
        rest = rest[end + 2 :]
    return out


class Result(Option):
    """A search result; on the highlighted row its partner's name is drawn by ``lit``.

    A partner's colour is made to read on the theme's grounds, not on the
    cursor's: there it could be 1.1:1 (and the cursor's own text colour is
    below 4.5:1 on some themes too).
    """

    def __init__(self, prompt: Text, lit: Callable[[Color | None, Color | None], Text], id: str) -> None:
        super().__init__(prompt, id=id)
        self.lit = lit


class ResultList(OptionList):
    """The results list: the highlighted row is drawn with its name readable on the cursor."""

    def _get_option_render(self, option: Option, style: Any) -> list:
        highlighted = self.highlighted
        if (
            not isinstance(option, Result) or highlighted is None
            or self.get_option_at_index(highlighted) is not option or style.background is None
        ):
            return super()._get_option_render(option, style)
        # Textual renders an option from its cached visual; for this one render (and
        # its cache entry, keyed by the highlighted style) it is the lit one.
        if style.background.ansi is not None:
            lit = option.lit(None, None)  # the terminal's own cursor: its own text colour
        else:
            ground = self.background_colors[1] + style.background
            fore = ground + style.foreground if style.foreground is not None else ground.get_contrast_text()
            lit = option.lit(ground, fore)
        plain = option._visual
        option._visual = Content.from_rich_text(lit)
        try:
            return super()._get_option_render(option, style)
        finally:
            option._visual = plain


class SearchScreen(Screen[None]):
    DEFAULT_CSS = """
    SearchScreen #search-input {
        margin: 0 0 0 0;
    }
    SearchScreen #search-status {
        height: auto;
        padding: 0 1;
        color: $text-muted;
    }
    SearchScreen #search-results {
        height: 1fr;
    }
    """

    BINDINGS = [
        Binding("escape", "back", "Back", id="search-back"),
        Binding("ctrl+f", "focus_input", "Search box", id="search-focus", show=False),
    ]

    def __init__(self, store: Store, catalog: Catalog, couple: Couple | None, query: str = "") -> None:
        super().__init__()
        self.store = store
        self.catalog = catalog
        self.couple = couple
        self.query_text = query
        self.hits: list[SearchHit] = []
        self.total = 0  # every match, of which ``hits`` are the ones loaded so far
        self._titles: dict[str, str] = {}

    def compose(self) -> ComposeResult:
        yield Header()
        yield Input(self.query_text, placeholder="Search everything you have written", id="search-input")
        yield Static("Type a word or two; Enter moves to the results.", id="search-status")
        yield ResultList(id="search-results")
        yield Footer()

    def on_mount(self) -> None:
        self.query_one("#search-input", Input).focus()
        if self.query_text:
            self.run_search(self.query_text)
        # Partner colours are adjusted to each theme: draw the results again in the new one.
        self.app.theme_changed_signal.subscribe(self, lambda _theme: self._redraw())

    def _redraw(self) -> None:
        if self.hits:
            self._show(highlight=self.query_one("#search-results", OptionList).highlighted)

    def _rebuilt_index(self, error: Exception) -> bool:
        """The search index was missing: rebuild it and say so. False if this is another problem."""
        from ..store import SEARCH_INDEX_MISSING, SearchIndexMissing

        if not isinstance(error, SearchIndexMissing):
            return False
        try:
            self.store.rebuild_search_index()
        except Exception as problem:
            self.notify(f"The search index is missing and could not be rebuilt: {problem}".splitlines()[0], severity="error")
            return False
        self.notify(SEARCH_INDEX_MISSING, severity="warning", timeout=8)
        return True

    def run_search(self, query: str) -> None:
        self.query_text = query
        try:
            try:
                self._search_first_page(query)
            except Exception as error:
                if not self._rebuilt_index(error):
                    raise
                self._search_first_page(query)  # once more, on the new index
        except Exception as error:  # one clear line, never a traceback
            self.hits = []
            self.total = 0
            self.query_one("#search-status", Static).update(f"Search failed: {error}".splitlines()[0])
            return
        self._show()

    def _search_first_page(self, query: str) -> None:
        if query.strip():
            self.total = self.store.search_count(query)
            self.hits = self.store.search(query, limit=PAGE)
        else:
            self.total, self.hits = 0, []

    def show_more(self) -> None:
        """The next page of results under the ones shown, the first new one highlighted."""
        shown = len(self.hits)
        try:
            more = self.store.search(self.query_text, limit=PAGE, offset=shown)
        except Exception as error:
            self.notify(f"Search failed: {error}".splitlines()[0], severity="error")
            return
        if not more:
            self.total = shown  # the workbook changed under us: what is shown is all there is
        self.hits = self.hits + more
        self._show(highlight=shown)

    def _show(self, highlight: int | None = None) -> None:
        query = self.query_text
        results = self.query_one("#search-results", OptionList)
        results.clear_options()
        options = [Result(self._line(hit), self._line(hit, lit=True), id=f"hit-{index}") for index, hit in enumerate(self.hits)]
        shown = len(self.hits)
        total = max(self.total, shown)
        if shown < total:
            step = min(PAGE, total - shown)
            options.append(Option(Text(f"\u2026 show {step} more ({shown} of {total} shown)", style="bold"), id="more"))
        results.add_options(options)
        if highlight is not None and options:
            results.highlighted = min(highlight, len(options) - 1)
        if not query.strip():
            status = "Type a word or two; Enter moves to the results."
        elif not self.hits:
            status = "Nothing found. Try fewer or shorter words."
        elif shown < total:
            status = f"{total} results, newest first; {shown} shown (the last line shows more). Enter opens one."
        else:
            status = f"{total} result{'s' if total != 1 else ''}, newest first. Enter opens one."
        self.query_one("#search-status", Static).update(status)

    def _line(self, hit: SearchHit, *, lit: bool = False) -> Text | Callable[[Color | None, Color | None], Text]:
        """A result: when and where (dim), whose (not dim: a dimmed name reads below 4.5:1), the words.

        ``lit``: the same, made for the highlighted row's colours (see ``Result``).
        """
        if hit.exercise_id not in self._titles:
            self._titles[hit.exercise_id] = exercise_title(self.catalog, hit.exercise_id)
        head = f"{short_when(hit.sitting_started)[:10]}  {self._titles[hit.exercise_id]} \u00b7 "
        name = name_text(self.couple, hit.partner)

        def line(name: Text) -> Text:
            text = Text()
            text.append(head, style="dim")
            text.append_text(name)
            text.append("\n  ")
            text.append_text(snippet_text(hit.snippet))
            return text

        if not lit:
            return line(name)
        chosen = partner_colour(self.couple, hit.partner)

        def on_cursor(ground: Color | None, fore: Color | None) -> Text:
            # The partner's colour (or the cursor's own) moved until it reads on the cursor.
            if ground is None or fore is None:
                return line(Text(name.plain, style="bold"))
            colour = readable_on(Color.parse(chosen) if chosen else fore, ground)
            return line(Text(name.plain, style=f"bold {colour.hex}"))

        return on_cursor

    def on_input_changed(self, event: Input.Changed) -> None:
        event.stop()
        self.run_search(event.value)

    def on_input_submitted(self, event: Input.Submitted) -> None:
        event.stop()
        results = self.query_one("#search-results", OptionList)
        if self.hits:
            results.focus()
            if results.highlighted is None:
                results.highlighted = 0

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id == "more":
            self.show_more()
            return
        self.open_hit(event.option_index)

    def open_hit(self, index: int) -> None:
        if not 0 <= index < len(self.hits):
            return
        hit = self.hits[index]
        self.app.push_screen(
            SittingViewScreen(self.store, self.catalog, self.couple, hit.sitting_id, focus_answer=hit.answer_id)
        )

    def action_focus_input(self) -> None:
        self.query_one("#search-input", Input).focus()

    def action_back(self) -> None:
        go_back(self)
