"""Partner colours as Rich understands them (shared by Home and the names form)."""

from __future__ import annotations


def rich_colour(name: str) -> str:
    """A colour name as Rich understands it (hex): Textual knows more names than Rich."""
    from textual.color import Color

    try:
        return Color.parse(name).hex
    except Exception:
        return ""
