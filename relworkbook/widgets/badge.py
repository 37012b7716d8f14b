"""The partner badge: whose turn it is, in that partner's colour."""

from __future__ import annotations

from textual.color import Color, ColorParseError
from textual.widgets import Static

from ..model import TOGETHER, Couple


class PartnerBadge(Static):
    """Shows a name on the partner's colour; "together" uses the theme accent."""

    DEFAULT_CSS = """
    PartnerBadge {
        width: auto;
        min-width: 10;
        height: 1;
        padding: 0 1;
        text-style: bold;
        background: $accent;
        color: $text;
    }
    """

    def __init__(self, couple: Couple | None = None, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__("", id=id, classes=classes)
        self.couple = couple
        self.partner: str | None = None

    def show(self, partner: str | None, text: str | None = None) -> None:
        """Colour the badge for ``partner`` ("a", "b", "together" or None) and set its text."""
        self.partner = partner
        colour = None
        if partner in ("a", "b") and self.couple is not None:
            colour = self.couple.partner(partner).colour
        if text is None:
            if partner in ("a", "b") and self.couple is not None:
                text = self.couple.name(partner)
            elif partner == TOGETHER:
                text = "Together"
            else:
                text = ""
        self.set_class(partner == TOGETHER, "-together")
        parsed: Color | None = None
        if colour:
            try:
                parsed = Color.parse(colour)
            except ColorParseError:
                parsed = None
        if parsed is not None:
            from ..colour import contrast

            # White or black, whichever reads better on the partner's colour (full strength).
            parsed = parsed.with_alpha(1.0)
            white, black = Color(255, 255, 255), Color(0, 0, 0)
            self.styles.background = parsed
            self.styles.color = white if contrast(white, parsed) >= contrast(black, parsed) else black
        else:
            self.styles.clear_rule("background")
            self.styles.clear_rule("color")
        self.update(text)
