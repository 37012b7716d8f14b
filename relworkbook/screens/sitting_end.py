"""The end of a sitting: its recap, read back once before leaving.

``SittingEndScreen`` is a ``RecapScreen`` (screens/recap.py) built from
``recap.build_recap``; if the recap cannot be made, a plain summary of the
answers stands in (private ones only once revealed). ``recap_text`` is the
plain-text recap for anything that wants one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from textual.binding import Binding

from .recap import RecapScreen

if TYPE_CHECKING:  # pragma: no cover
    from ..store import Store
    from ..catalog import Catalog


def recap_text(store: Store | None, catalog: Catalog | None, sitting_id: int, width: int = 80) -> str:
    """The recap of one sitting as plain text, ``width`` columns wide (at least 30)."""
    from ..recap import build_recap, render_text

    return render_text(build_recap(store, catalog, sitting_id), width=max(30, width))


def plain_summary(store: Store | None, catalog: Catalog | None, sitting_id: int) -> str:
    """One line per answer, from the same Recap as every other recap (private ones only once revealed).

    Without the catalogue (the reason a full recap may have failed), the Recap
    is built from the workbook alone: prompt ids stand in for their wording.
    """
    from ..recap import build_recap, render_plain

    try:
        built = build_recap(store, catalog, sitting_id)
    except LookupError:
        return "This sitting is not in the workbook."
    except Exception:
        built = build_recap(store, None, sitting_id)
    return render_plain(built)


class SittingEndScreen(RecapScreen):
    """The recap, shown once as a sitting ends; Enter or Escape goes Home."""

    BINDINGS = [Binding("escape,enter", "close", "Home", id="sitting-end-close")]

    title_text = "Sitting ended"
    close_label = "Back to Home"

    def load(self) -> None:
        sitting = self.store.get_sitting(self.sitting_id)
        if sitting is not None and len(sitting.attendees) == 1:
            self.own = sitting.attendees[0]  # alone: their own recap, their private answers marked
        super().load()

    def note(self) -> str:
        return "Everything is saved. s saves this recap as HTML and Markdown."

    def fallback(self) -> str:
        # Without a recap, still show what was written (private answers kept hidden).
        try:
            summary = plain_summary(self.store, self.catalog, self.sitting_id)
        except Exception as error:
            summary = f"The sitting is saved, but its summary could not be made: {error}"
        return f"{self.problem}\n\n{summary}" if self.problem else summary

    def action_close(self) -> None:
        self.app.pop_screen()
