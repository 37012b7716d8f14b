"""Is this JSON a relworkbook export the app can use? Every field checked, before anything is imported.

``check_export(data)`` raises ``ExportError`` with one line naming the first
thing wrong and where (``answers[3].number: 'abc' is not a number``); an
import refuses the file whole. ``parse_export(text)`` reads the JSON itself,
refusing NaN/Infinity, huge numbers and nesting too deep to walk.

The schema below follows ``Store.export_data``: a new section or field in the
export needs its line here too (``tests/test_import_check.py`` round-trips a
demo workbook through both, so a missing line shows at once). Plain Python: no
SQL, no Textual.

``settings`` holds only the keys the app writes, each checked as the code that
reads it expects (``SETTINGS``): the resume point (its sittings in this export,
its attendees partners, its slot a whole number), the weekly rhythm
(``rhythm.py``), the calendar's id and count (``ics.py``) and the theme. Any of
them may be null (the app's default). An unknown key is refused, as an unknown
field is anywhere else: every version's export holds only keys its own code
writes, and a newer version's export is refused by its ``schema`` number.
"""

from __future__ import annotations

import json
import math
from datetime import date, datetime
from typing import Any, Callable

from . import rhythm
from .escapes import one_line
from .migrations import SCHEMA_VERSION
from .model import COMMITMENT_STATUSES, LOCKED, PARTNERS, PROMPT_TYPES, TOGETHER

EXPORT_FORMAT = "relworkbook-export"
EXPORT_VERSION = 1
MAX_ID = 2**63 - 1           # SQLite's INTEGER
MAX_NUMBER = 1e12            # a rating, a count; far beyond any real one
MAX_DEPTH = 32               # nesting of any value (answers, settings)
MAX_NAME = 200               # partner names (the first-run form allows 40)
OWNERS = ("a", "b", "both")


class ExportError(ValueError):
    """One line: where in the file, and what is wrong there.

    ``kind``: "missing" (a required field is absent), "dangling" (a reference to
    a sitting or answer that is not in the file), or "bad" (anything else).
    """

    def __init__(self, message: str, kind: str = "bad") -> None:
        super().__init__(message)
        self.kind = kind


def _show(value: Any) -> str:
    text = repr(value)
    if len(text) > 40:
        text = text[:37] + "..."
    return one_line(text)


def _fail(where: str, message: str, kind: str = "bad") -> None:
    raise ExportError(f"{where}: {message}", kind)


# ------------------------------------------------------------------ parsing


def parse_export(text: str) -> Any:
    """The JSON, or ExportError: NaN/Infinity, numbers too large, nesting too deep."""

    def constant(name: str) -> Any:
        raise ExportError(f"the file holds {name}, which is not a number relworkbook writes")

    try:
        return json.loads(text, parse_constant=constant)
    except ExportError:
        raise
    except RecursionError:
        raise ExportError("the JSON is nested far too deep to be an export") from None
    except ValueError as error:  # JSONDecodeError, or an integer of thousands of digits
        raise ExportError(f"not valid JSON ({one_line(str(error).splitlines()[0])})") from None


# ------------------------------------------------------------------ field kinds


def _string(value: Any, where: str, *, empty: bool = True, limit: int | None = None) -> str:
    if not isinstance(value, str):
        _fail(where, f"{_show(value)} is not text")
    if not empty and not value.strip():
        _fail(where, "is empty")
    if limit is not None and len(value) > limit:
        _fail(where, f"is {len(value):,} characters long, over {limit:,}")
    try:
        value.encode("utf-8")
    except UnicodeEncodeError:
        _fail(where, "holds a lone surrogate, which is not text")
    return value


def _ident(value: Any, where: str) -> int:
    if type(value) is not int:
        _fail(where, f"{_show(value)} is not a whole number")
    if not 1 <= value <= MAX_ID:
        _fail(where, f"{_show(value)} is out of range (1 to {MAX_ID})")
    return value


def _count(value: Any, where: str) -> int:
    if type(value) is not int or not 1 <= value <= 1_000_000:
        _fail(where, f"{_show(value)} is not a whole number from 1 to 1,000,000")
    return value


def _number(value: Any, where: str) -> float:
    if type(value) not in (int, float):
        _fail(where, f"{_show(value)} is not a number")
    if not math.isfinite(value) or abs(value) > MAX_NUMBER:
        _fail(where, f"{_show(value)} is not a number relworkbook could have written")
    return value


def _when(value: Any, where: str) -> str:
    _string(value, where)
    try:
        datetime.fromisoformat(value)
    except ValueError:
        _fail(where, f"{_show(value)} is not a date and time (YYYY-MM-DDTHH:MM:SS)")
    return value


def _day(value: Any, where: str) -> str:
    _string(value, where)
    try:
        date.fromisoformat(value)
    except ValueError:
        _fail(where, f"{_show(value)} is not a date (YYYY-MM-DD)")
    return value


def _one_of(choices: tuple) -> Callable[[Any, str], Any]:
    def check(value: Any, where: str) -> Any:
        if not isinstance(value, str) or value not in choices:
            _fail(where, f"{_show(value)} is not one of: {', '.join(choices)}")
        return value
    return check


def _boolean(value: Any, where: str) -> bool:
    if not isinstance(value, bool) and value not in (0, 1):
        _fail(where, f"{_show(value)} is not true or false")
    return bool(value)


def _json(value: Any, where: str, depth: int = 0) -> Any:
    """Any JSON value of strings, finite numbers, booleans, null, lists and objects."""
    if depth > MAX_DEPTH:
        _fail(where, "is nested too deep")
    if value is None or isinstance(value, bool):
        return value
    if isinstance(value, str):
        return _string(value, where)
    if type(value) is int:
        if abs(value) > MAX_ID:
            _fail(where, f"{_show(value)} is out of range")
        return value
    if type(value) is float:
        return _number(value, where)
    if isinstance(value, list):
        for n, item in enumerate(value):
            _json(item, f"{where}[{n}]", depth + 1)
        return value
    if isinstance(value, dict):
        for key, item in value.items():
            _string(key, f"{where} (a key)")
            _json(item, f"{where}.{one_line(key)}", depth + 1)
        return value
    _fail(where, f"{_show(value)} is not a JSON value")


def _optional(check: Callable[[Any, str], Any]) -> Callable[[Any, str], Any]:
    def maybe(value: Any, where: str) -> Any:
        return None if value is None else check(value, where)
    return maybe


def _partner_keys(value: Any, where: str) -> list:
    if not isinstance(value, list):
        _fail(where, f"{_show(value)} is not a list of partners")
    for n, key in enumerate(value):
        _one_of(PARTNERS)(key, f"{where}[{n}]")
    if len(set(value)) != len(value):
        _fail(where, "names a partner twice")
    return value


# ------------------------------------------------------------------ answer values


def _value(prompt_type: str, value: Any, where: str) -> None:
    """An answer's value fits its prompt type (a locked value is sealed text)."""
    _json(value, where)
    if value is None:
        return
    if isinstance(value, dict) and LOCKED in value:
        _string(value[LOCKED], f"{where} (locked)")
        return
    ok = {
        "text": lambda v: isinstance(v, str),
        "choice": lambda v: isinstance(v, str),
        "scale": lambda v: type(v) in (int, float),
        "checklist": lambda v: isinstance(v, list) and all(isinstance(i, str) for i in v),
        "template": lambda v: isinstance(v, dict) and all(isinstance(i, (str, type(None))) for i in v.values()),
        "commitment": lambda v: isinstance(v, dict) and all(isinstance(i, (str, type(None))) for i in v.values()),
        "turns": lambda v: isinstance(v, list) and all(isinstance(i, dict) for i in v),
    }[prompt_type](value)
    if not ok:
        _fail(where, f"{_show(value)} is not an answer to a {prompt_type} prompt")


# ------------------------------------------------------------------ records

Fields = dict[str, tuple[Callable[[Any, str], Any], bool]]  # name -> (check, required)

PARTNER: Fields = {
    "key": (_one_of(PARTNERS), True),
    "name": (lambda v, w: _string(v, w, empty=False, limit=MAX_NAME), True),
    "colour": (lambda v, w: _string(v, w, empty=False, limit=64), True),
}
SITTING: Fields = {
    "id": (_ident, True), "started": (_when, True), "ended": (_optional(_when), False),
    "attendees": (_partner_keys, True),
}
REVISION: Fields = {
    "revision": (_count, True), "value": (_json, True), "text": (_optional(_string), False),
    "number": (_optional(_number), False), "created": (_when, True),
}
ANSWER: Fields = {
    "id": (_ident, True), "sitting_id": (_ident, True),
    "exercise_id": (lambda v, w: _string(v, w, empty=False, limit=200), True),
    "prompt_id": (lambda v, w: _string(v, w, empty=False, limit=200), True),
    "partner": (_one_of((*PARTNERS, TOGETHER)), True), "prompt_type": (_one_of(PROMPT_TYPES), True),
    "value": (_json, True), "text": (_optional(_string), False), "private": (_boolean, False),
    "metric": (_optional(lambda v, w: _string(v, w, limit=200)), False),
    "number": (_optional(_number), False), "revision": (_count, False), "created": (_when, True),
    "updated": (_when, False), "revisions": (lambda v, w: v, False),
}
REVEAL: Fields = {
    "sitting_id": (_ident, True), "exercise_id": (_string, True), "prompt_id": (_string, True),
    "revealed": (_when, True),
}
COMMITMENT: Fields = {
    "id": (_ident, True), "sitting_id": (_ident, True), "exercise_id": (_string, True),
    "prompt_id": (_string, True), "answer_id": (_optional(_ident), False),
    "what": (lambda v, w: _string(v, w, empty=False), True), "owner": (_one_of(OWNERS), True),
    "due": (_optional(_day), False), "status": (_one_of(COMMITMENT_STATUSES), False),
    "created": (_when, True), "reviewed": (_optional(_when), False),
    "reviewed_sitting_id": (_optional(_ident), False),
}
KEPT: Fields = {
    "sitting_id": (_ident, True), "exercise_id": (_string, True), "prompt_id": (_string, True),
    "partner": (_one_of(PARTNERS), True), "kept": (_when, True),
}
LOCK: Fields = {
    "partner": (_one_of(PARTNERS), True), "kdf": (_string, True), "salt": (_string, True),
    "key_check": (_string, True), "public_key": (_string, True), "private_key": (_string, True),
    "created": (_when, True),
}
NOTE: Fields = {"partner": (_one_of(PARTNERS), True), "value": (_json, True), "updated": (_when, True)}

SECTIONS: dict[str, Fields] = {
    "partners": PARTNER, "sittings": SITTING, "answers": ANSWER, "reveals": REVEAL,
    "commitments": COMMITMENT, "locks": LOCK, "notes": NOTE, "kept_private": KEPT,
}
TOP_FIELDS = ("format", "version", "schema", "note", "settings", *SECTIONS)


def _record(item: Any, where: str, fields: Fields) -> dict:
    if not isinstance(item, dict):
        _fail(where, f"{_show(item)} is not an object")
    for name in item:
        if name not in fields:
            _fail(where, f"unknown field {_show(name)}")
    for name, (check, required) in fields.items():
        if name in item:
            check(item[name], f"{where}.{name}")
        elif required:
            _fail(where, f"has no {name!r}", "missing")
    return item


def _unique(items: list[dict], key: Callable[[dict], Any], where: str, what: str) -> set:
    seen: set = set()
    for n, item in enumerate(items):
        k = key(item)
        if k in seen:
            _fail(f"{where}[{n}]", f"the {what} {_show(k)} appears twice")
        seen.add(k)
    return seen


# ------------------------------------------------------------------ settings

MAX_SLOT = 100_000  # a resume point's slot: far beyond any exercise's prompts times rounds
RESUME_FIELDS = ("sitting_id", "exercise_id", "slot", "answer_sitting_id", "attendees")
CALENDAR_ID_CHARS = frozenset("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ-_")


def _resume(value: Any, where: str, sittings: set) -> None:
    """``progress.set_resume``'s point: its sittings in this export, its attendees partners."""
    if not isinstance(value, dict):
        _fail(where, f"{_show(value)} is not an object")
    for name in value:
        if name not in RESUME_FIELDS:
            _fail(where, f"unknown field {_show(name)}")
    for name in ("sitting_id", "exercise_id"):
        if name not in value:
            _fail(where, f"has no {name!r}", "missing")
    for name in ("sitting_id", "answer_sitting_id"):
        found = value.get(name)
        if found is None and name == "answer_sitting_id":
            continue
        _ident(found, f"{where}.{name}")
        if found not in sittings:
            _fail(f"{where}.{name}", f"{found} is not a sitting in this export", "dangling")
    _string(value["exercise_id"], f"{where}.exercise_id", empty=False, limit=200)
    slot = value.get("slot", 0)
    if type(slot) is not int or not 0 <= slot <= MAX_SLOT:
        _fail(f"{where}.slot", f"{_show(slot)} is not a whole number from 0 to {MAX_SLOT:,}")
    attendees = value.get("attendees")
    if attendees is not None:
        _partner_keys(attendees, f"{where}.attendees")
        if not attendees:
            _fail(f"{where}.attendees", "names nobody")


def _setting_is(test: Callable[[Any], bool], what: str) -> Callable[[Any, str, set], None]:
    def check(value: Any, where: str, sittings: set) -> None:
        if not test(value):
            _fail(where, f"{_show(value)} is not {what}")
    return check


def _calendar_id(value: Any) -> bool:
    return isinstance(value, str) and 0 < len(value) <= 64 and set(value) <= CALENDAR_ID_CHARS


# key: check(value, where, the export's sitting ids); the keys are the ones the app
# writes (progress.RESUME_KEY, rhythm's keys, ics.ID_SETTING/SEQUENCE_SETTING,
# app.THEME_SETTING: tests/test_import_check.py holds them to these names).
SETTINGS: dict[str, Callable[[Any, str, set], None]] = {
    "resume": _resume,
    rhythm.CHECKIN_DAY: _setting_is(lambda v: rhythm.parse_day(v) is not None, "a day of the week (0 to 6)"),
    rhythm.CHECKIN_TIME: _setting_is(lambda v: rhythm.parse_time(v) is not None, "a time of day (HH:MM)"),
    rhythm.CHECKIN_MINUTES: _setting_is(
        lambda v: rhythm.parse_minutes(v, most=rhythm.MAX_CHECKIN_MINUTES) is not None,
        f"a check-in length ({rhythm.MIN_MINUTES} to {rhythm.MAX_CHECKIN_MINUTES} minutes)",
    ),
    rhythm.TIMEOUT_MINUTES: _setting_is(
        lambda v: rhythm.parse_minutes(v, most=rhythm.MAX_TIMEOUT_MINUTES) is not None,
        f"a time-out length ({rhythm.MIN_MINUTES} to {rhythm.MAX_TIMEOUT_MINUTES} minutes)",
    ),
    rhythm.CALENDAR_WORDS: _setting_is(lambda v: isinstance(v, bool), "true or false"),
    "calendar_id": _setting_is(_calendar_id, "a calendar id (letters, digits, - and _; at most 64)"),
    "calendar_sequence": _setting_is(
        lambda v: type(v) is int and 0 <= v <= MAX_ID, "a count of calendars written (a whole number)"
    ),
    "theme": _setting_is(lambda v: isinstance(v, str) and 0 < len(v) <= 100, "a theme's name"),
}


def _settings(settings: dict, sittings: set) -> None:
    for key, value in settings.items():
        where = f"settings.{one_line(key)}"
        if key not in SETTINGS:
            _fail(where, "is not a setting relworkbook knows")
        if value is not None:  # null: the app's default
            SETTINGS[key](value, where, sittings)


def check_export(data: Any) -> None:
    """Raise ExportError (one line) unless ``data`` is a whole, consistent export."""
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise ExportError("this is not a relworkbook export (its 'format' field is missing or wrong)")
    version = data.get("version")
    if type(version) is not int or version < 1:
        _fail("version", f"{_show(version)} is not an export version")
    if version > EXPORT_VERSION:
        raise ExportError("this export was written by a newer version of relworkbook; update relworkbook to import it")
    for name in data:
        if name not in TOP_FIELDS:
            _fail(_show(name), "is not a part of a relworkbook export")
    if "schema" in data:
        schema = data["schema"]
        if type(schema) is not int or schema < 1:
            _fail("schema", f"{_show(schema)} is not a schema version")
        if schema > SCHEMA_VERSION:
            raise ExportError(
                f"schema: {schema} is newer than this relworkbook's ({SCHEMA_VERSION}); "
                "update relworkbook to import it"
            )
    if "note" in data:
        _string(data["note"], "note")
    settings = data.get("settings", {})
    if not isinstance(settings, dict):
        _fail("settings", f"{_show(settings)} is not an object")
    _json(settings, "settings")

    sections: dict[str, list[dict]] = {}
    for name, fields in SECTIONS.items():
        items = data.get(name, [])
        if not isinstance(items, list):
            _fail(name, f"{_show(items)} is not a list")
        sections[name] = [_record(item, f"{name}[{n}]", fields) for n, item in enumerate(items)]

    _unique(sections["partners"], lambda p: p["key"], "partners", "partner")
    _unique(sections["locks"], lambda p: p["partner"], "locks", "partner")
    _unique(sections["notes"], lambda p: p["partner"], "notes", "partner")
    sittings = _unique(sections["sittings"], lambda s: s["id"], "sittings", "id")
    answers = _unique(sections["answers"], lambda a: a["id"], "answers", "id")
    _unique(sections["commitments"], lambda c: c["id"], "commitments", "id")
    _settings(settings, sittings)
    _unique([c for c in sections["commitments"] if c.get("answer_id") is not None], lambda c: c["answer_id"],
            "commitments (those with an answer_id)", "answer_id")
    _unique(sections["reveals"], lambda r: (r["sitting_id"], r["exercise_id"], r["prompt_id"]),
            "reveals", "reveal")
    _unique(sections["answers"], lambda a: (a["sitting_id"], a["exercise_id"], a["prompt_id"], a["partner"]),
            "answers", "answer for")

    for n, answer in enumerate(sections["answers"]):
        where = f"answers[{n}]"
        if answer["sitting_id"] not in sittings:
            _fail(f"{where}.sitting_id", f"{answer['sitting_id']} is not a sitting in this export", "dangling")
        _value(answer["prompt_type"], answer["value"], f"{where}.value")
        revisions = answer.get("revisions", [])
        if not isinstance(revisions, list):
            _fail(f"{where}.revisions", f"{_show(revisions)} is not a list")
        for r, revision in enumerate(revisions):
            _record(revision, f"{where}.revisions[{r}]", REVISION)
            _value(answer["prompt_type"], revision["value"], f"{where}.revisions[{r}].value")
        _unique(revisions, lambda r: r["revision"], f"{where}.revisions", "revision")
    for n, reveal in enumerate(sections["reveals"]):
        if reveal["sitting_id"] not in sittings:
            _fail(f"reveals[{n}].sitting_id", f"{reveal['sitting_id']} is not a sitting in this export", "dangling")
    _unique(sections["kept_private"], lambda k: (k["sitting_id"], k["exercise_id"], k["prompt_id"], k["partner"]),
            "kept_private", "kept answer")
    for n, kept in enumerate(sections["kept_private"]):
        if kept["sitting_id"] not in sittings:
            _fail(f"kept_private[{n}].sitting_id", f"{kept['sitting_id']} is not a sitting in this export", "dangling")
    for n, commitment in enumerate(sections["commitments"]):
        where = f"commitments[{n}]"
        for name in ("sitting_id", "reviewed_sitting_id"):
            if commitment.get(name) is not None and commitment[name] not in sittings:
                _fail(f"{where}.{name}", f"{commitment[name]} is not a sitting in this export", "dangling")
        if commitment.get("answer_id") is not None and commitment["answer_id"] not in answers:
            _fail(f"{where}.answer_id", f"{commitment['answer_id']} is not an answer in this export", "dangling")
