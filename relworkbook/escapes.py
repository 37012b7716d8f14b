"""Text from outside (a pack, a file name, a typed key) shown in a message, on one line.

``one_line(text)`` writes every control character as an escape: a line break
as ``\\n``, a tab as ``\\t``, ESC as ``\\x1b``, a C1 control or a line/paragraph
separator as ``\\u0085``/``\\u2028``, a lone surrogate as ``\\udc80``. So a
message is always one line, and no escape sequence in a pack or a path ever
reaches the terminal raw. Every message that quotes such text goes through it
(``LoadError``s from the catalogue, the command line's one-line errors).
"""

from __future__ import annotations

import re

# C0 (all, line breaks and tabs included), DEL, C1, the Unicode line and
# paragraph separators, and lone surrogates.
_UNSHOWN = re.compile("[\x00-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# In pack text: the same but line breaks and tabs, which a prompt may hold.
PACK_CONTROL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\ud800-\udfff]")
_NAMED = {"\n": "\\n", "\t": "\\t", "\r": "\\r"}


def _escape(match: re.Match) -> str:
    char = match.group(0)
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def one_line(text: object) -> str:
    """``text`` with every control character escaped (see the module's doc)."""
    return _UNSHOWN.sub(_escape, str(text))


def escaped_char(char: str) -> str:
    """One character as it is named in a message: ``U+001B (\\x1b)``."""
    return f"U+{ord(char):04X} ({_escape(_UNSHOWN.match(char)) if _UNSHOWN.match(char) else char})"


# What a terminal would act on in output that keeps its lines (history, reports,
# trends): every control character but the line break and the tab.
_TERMINAL = re.compile("[\x00-\x08\x0b-\x1f\x7f-\x9f\u2028\u2029\ud800-\udfff]")
# In JSON text, json.dumps already writes C0 as \u00XX; these it leaves raw.
_JSON_RAW = re.compile("[\x7f-\x9f\u2028\u2029]")


def for_terminal(text: str) -> str:
    """Text for the terminal, lines kept: other control characters shown escaped (``\\x1b``)."""
    return _TERMINAL.sub(_escape, text)


def json_safe(text: str) -> str:
    """JSON text with DEL, C1 and the line separators written as ``\\u`` escapes:
    the same data when read back, and nothing a terminal would act on."""
    return _JSON_RAW.sub(lambda m: f"\\u{ord(m.group(0)):04x}", text)
