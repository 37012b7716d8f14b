"""Partner colours: as Rich understands them, and readable on the theme they are drawn on.

A partner picks a colour once; the themes they may use go from near-black to
near-white. ``partner_colour`` gives the colour to draw a partner's name or line
in: the chosen one when it already stands out from the theme's backgrounds by
at least 4.5:1 (WCAG's contrast ratio for text), otherwise the same hue made
lighter (dark themes) or darker (light themes) until it does. The colour is
never the only sign of who is who: names, markers and marks say it too.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Iterable

MINIMUM_CONTRAST = 4.5


def rich_colour(name: str) -> str:
    """A colour name as Rich understands it (hex): Textual knows more names than Rich."""
    from textual.color import Color

    try:
        return Color.parse(name).hex
    except Exception:
        return ""


def _luminance(colour: Any) -> float:
    """WCAG relative luminance of a textual Color."""

    def channel(value: int) -> float:
        c = value / 255
        return c / 12.92 if c <= 0.04045 else ((c + 0.055) / 1.055) ** 2.4

    return 0.2126 * channel(colour.r) + 0.7152 * channel(colour.g) + 0.0722 * channel(colour.b)


def contrast(first: Any, second: Any) -> float:
    """WCAG contrast ratio of two textual Colors (1 to 21)."""
    a, b = _luminance(first), _luminance(second)
    light, dark = max(a, b), min(a, b)
    return (light + 0.05) / (dark + 0.05)


# Tints laid over those grounds where names are drawn: a focused list or table
# (Textual's ``background-tint: $foreground 5%``) and the sitting view's chosen
# answer (``$accent 15%``, sitting_view.AnswerBlock).
GROUND_TINTS = (("foreground", 0.05), ("accent", 0.15))


def theme_backgrounds(theme: Any) -> tuple[Any, ...]:
    """The backgrounds text is drawn on in ``theme``: background, surface and panel,
    each also under the tints of ``GROUND_TINTS``.

    The ANSI themes use the terminal's own background, which the app cannot
    know: black is assumed for a dark one and white for a light one.
    """
    from textual.color import Color

    variables = theme.to_color_system().generate()

    def parsed(name: str) -> Any:
        try:
            colour = Color.parse(variables[name])
        except Exception:
            return None
        if colour.a > 0 and colour.ansi is None:  # "ansi_default" is the terminal's own
            return colour.with_alpha(1.0)
        return None

    found = [colour for colour in map(parsed, ("background", "surface", "panel")) if colour is not None]
    if not found:
        found.append(Color(0, 0, 0) if theme.dark else Color(255, 255, 255))
    tinted = []
    for name, amount in GROUND_TINTS:
        tint = parsed(name)
        if tint is not None:
            tinted.extend(ground.blend(tint, amount) for ground in found)
    return tuple(found + tinted)


def readable_on(colour: Any, ground: Any, minimum: float = MINIMUM_CONTRAST) -> Any:
    """``colour`` moved toward white or black (whichever stands out more from ``ground``)
    until it reads on ``ground``: for a name on a highlighted row, whose colour
    the theme chose, not us."""
    from textual.color import Color

    white, black = Color(255, 255, 255), Color(0, 0, 0)
    return readable(colour, (ground,), contrast(white, ground) >= contrast(black, ground), minimum)


def readable(colour: Any, backgrounds: Iterable[Any], dark: bool, minimum: float = MINIMUM_CONTRAST) -> Any:
    """``colour``, or the nearest lighter (dark) / darker (light) shade with ``minimum`` contrast on every background."""
    from textual.color import Color

    grounds = tuple(backgrounds)
    target = Color(255, 255, 255) if dark else Color(0, 0, 0)
    colour = colour.with_alpha(1.0)
    for step in range(0, 41):
        candidate = colour.blend(target, step / 40) if step else colour
        if min(contrast(candidate, ground) for ground in grounds) >= minimum:
            return candidate
    return target


@lru_cache(maxsize=256)
def _for_theme(name: str, theme_name: str) -> str:
    from textual.color import Color
    from textual.theme import BUILTIN_THEMES

    try:
        colour = Color.parse(name)
    except Exception:
        return ""
    theme = _THEMES.get(theme_name) or BUILTIN_THEMES.get(theme_name)
    if theme is None:
        return colour.hex
    return readable(colour, theme_backgrounds(theme), theme.dark).hex


_THEMES: dict[str, Any] = {}


def for_theme(name: str, theme: Any) -> str:
    """``name`` (a partner's colour) as a hex readable on ``theme``; "" when it is not a colour."""
    if theme is None:
        return rich_colour(name)
    _THEMES.setdefault(theme.name, theme)
    return _for_theme(name, theme.name)


def partner_colour(name: str) -> str:
    """A partner's colour, readable on the running app's theme (or as chosen, outside an app)."""
    try:
        from textual._context import active_app

        theme = active_app.get().current_theme
    except Exception:
        theme = None
    return for_theme(name, theme)


def terminal_coloured(theme: Any) -> bool:
    """True on a theme drawn in the terminal's own colours (ANSI): their real shades are
    the terminal's, so a name on one of its coloured grounds (a cursor, a chosen
    card) takes the terminal's text colour there rather than a partner colour."""
    from textual.color import Color

    try:
        return Color.parse(theme.background).ansi is not None
    except Exception:
        return False
