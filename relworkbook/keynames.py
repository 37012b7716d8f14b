"""Key names Textual would look up in the Unicode name table, answered without it.

To draw a footer and to decide which keys a focused widget takes, Textual
(8.2) asks ``unicodedata.lookup`` about every bound key's name: "F1", "TAB",
"LEFT", "QUESTION MARK", ... Most of these are not character names, and a name
that is not there is only known to be missing after a walk through the name
table; each such walk pulled another part of that table into memory, about
0.7 MiB of a start for the dozen keys on Home.

Here the names of keys that are not characters (function and navigation keys,
a lone letter or digit), the punctuation names Textual itself spells out
(``textual.keys.KEY_TO_UNICODE_NAME``) and the four key names that are also
aliases in the table (TAB, ESCAPE, BACKSPACE, DELETE) are answered from this module; every
other name goes to ``unicodedata`` as before. The answers are the table's own:
``tests/test_keynames.py`` checks each one against ``unicodedata``, and that
Textual's key look-ups give the same results with and without this.
"""

from __future__ import annotations

import string
from typing import Any

# Names of keys that are not characters: unicodedata.lookup raises KeyError for each.
NOT_CHARACTERS = frozenset(
    [f"F{n}" for n in range(1, 25)]
    + "ENTER INSERT HOME END PAGEUP PAGEDOWN UP DOWN LEFT RIGHT SLASH".split()
    + list(string.ascii_uppercase)
    + list(string.digits)
)

# The character names textual.keys.KEY_TO_UNICODE_NAME uses, and the keys whose
# names are also names (aliases) in the table, with their characters.
CHARACTERS = {
    "TAB": "\t",
    "ESCAPE": "\x1b",
    "BACKSPACE": "\b",
    "DELETE": "\x7f",
    "EXCLAMATION MARK": "!",
    "QUOTATION MARK": '"',
    "NUMBER SIGN": "#",
    "DOLLAR SIGN": "$",
    "PERCENT SIGN": "%",
    "LEFT PARENTHESIS": "(",
    "RIGHT PARENTHESIS": ")",
    "PLUS SIGN": "+",
    "HYPHEN-MINUS": "-",
    "FULL STOP": ".",
    "LESS-THAN SIGN": "<",
    "EQUALS SIGN": "=",
    "GREATER-THAN SIGN": ">",
    "QUESTION MARK": "?",
    "COMMERCIAL AT": "@",
    "LEFT SQUARE BRACKET": "[",
    "REVERSE SOLIDUS": "\\",
    "RIGHT SQUARE BRACKET": "]",
    "CIRCUMFLEX ACCENT": "^",
    "LOW LINE": "_",
    "GRAVE ACCENT": "`",
    "LEFT CURLY BRACKET": "{",
    "VERTICAL LINE": "|",
    "RIGHT CURLY BRACKET": "}",
}


class KeyNames:
    """``unicodedata`` as textual.keys uses it, with the names above answered here."""

    def __init__(self, real: Any) -> None:
        self._real = real

    def lookup(self, name: str) -> str:
        upper = name.upper()  # unicodedata.lookup ignores case
        if upper in NOT_CHARACTERS:
            raise KeyError(f"undefined character name '{name}'")
        found = CHARACTERS.get(upper)
        return found if found is not None else self._real.lookup(name)

    def __getattr__(self, attribute: str) -> Any:
        return getattr(self._real, attribute)


def install() -> None:
    """Answer Textual's key-name look-ups from here (once; a no-op after)."""
    from textual import keys

    if not isinstance(keys.unicodedata, KeyNames):
        keys.unicodedata = KeyNames(keys.unicodedata)
