"""The table of prompt kinds: every type has every entry, and each entry works on its example."""

from __future__ import annotations

import dataclasses
import logging
import os

import pytest

from relworkbook import kinds
from relworkbook.catalog import PROMPT_FIELDS
from relworkbook.model import PROMPT_TYPES, Prompt
from relworkbook.widgets import WIDGETS

NAMES = {"a": "Alex", "b": "Sam", "together": "Together", "both": "Both of us"}


def _prompt(ptype: str) -> Prompt:
    return Prompt(
        id="p", type=ptype, text="?", min=1, max=5, labels=((5, "very"),), metric="m",
        options=("one", "two"), template="I feel {feeling} when {situation}", rounds=2,
    )


def test_every_type_has_one_kind_and_one_widget():
    assert tuple(kinds.KINDS) == PROMPT_TYPES
    assert set(WIDGETS) == set(PROMPT_TYPES)
    assert PROMPT_FIELDS == {t: k.fields for t, k in kinds.KINDS.items()}


@pytest.mark.parametrize("ptype", PROMPT_TYPES)
def test_every_kind_implements_every_entry(ptype):
    kind = kinds.kind(ptype)
    for field in dataclasses.fields(kinds.Kind):
        assert getattr(kind, field.name) is not None, f"{ptype} has no {field.name}"
    prompt = _prompt(ptype)
    example = kind.example(prompt)
    assert kind.answered(example)
    assert kinds.is_answered(ptype, example)
    assert not kinds.is_answered(ptype, None)
    text = kinds.answer_text(ptype, example)
    assert text
    if not isinstance(example, (str, int)):
        assert text != str(example), f"{ptype} text falls back to str(value)"
    pieces = kinds.pieces_for(prompt, ptype, example, NAMES)
    assert pieces and all(isinstance(p, kinds.Piece) and p.text for p in pieces)
    number = kinds.number_for(prompt, example)
    if prompt.is_scored:
        assert isinstance(number, (int, float))
    else:
        assert number is None
    assert {"id", "type", "text", "who"} <= set(kind.fields)


def test_an_unknown_type_is_an_error_not_a_fallback():
    with pytest.raises(KeyError):
        kinds.kind("drawing")


def test_scored_numbers_are_worked_out_from_the_value():
    scale = _prompt("scale")
    assert kinds.number_for(scale, 4) == 4
    assert kinds.number_for(scale._replace(metric=None), 4) is None
    checklist = _prompt("checklist")
    assert kinds.number_for(checklist, []) == 0
    assert kinds.number_for(checklist, ["one", "two"]) == 2


def test_commitment_pieces_name_the_owner_and_the_day():
    (piece,) = kinds.pieces_for(None, "commitment", {"what": "Walk", "owner": "b", "due": "2026-05-01"}, NAMES)
    assert piece.text == "Walk \u2014 Sam \u2014 by 1 May 2026"


# The number a scored answer feeds its metric has one source, kinds.number_for:
# the store works it out there too when a caller passes none (a correction, a
# locked answer opened at its reveal).
ODD_VALUES = {"scale": [4, 2.5, True, "5", None], "checklist": [["one", "two"], [], "one", {"one": 1}, None]}


def _stored_number(tmp_path, prompt: Prompt, value, lock: bool) -> float | None:
    from relworkbook.store import Store

    with Store.open(tmp_path / f"{prompt.type}-{lock}-{len(list(tmp_path.iterdir()))}.db") as store:
        store.set_couple("Alex", "blue", "Sam", "green")
        sitting = store.start_sitting(["a", "b"])
        first = kinds.kind(prompt.type).example(prompt)
        saved = store.save_answer(sitting.id, "ex", prompt.id, "a", first, prompt_type=prompt.type,
                                  private=lock, metric=prompt.metric)
        if lock:
            store.set_lock("a", "a long enough passphrase")
            store.save_answer(sitting.id, "ex", prompt.id, "a", value, prompt_type=prompt.type, private=True,
                              metric=prompt.metric)
            assert store.get_answer(saved.id).number is None  # sealed: no number in the file
            store.reveal(sitting.id, "ex", prompt.id, keys={"a": store.unlock("a", "a long enough passphrase")})
            return store.get_answer(saved.id).number
        return store.revise_answer(saved.id, value, prompt_type=prompt.type).number


@pytest.mark.parametrize("ptype", [t for t in PROMPT_TYPES if _prompt(t).is_scored])
@pytest.mark.parametrize("lock", [False, True], ids=["corrected", "revealed-locked"])
def test_the_store_numbers_an_answer_as_kinds_does(tmp_path, ptype, lock):
    prompt = _prompt(ptype)
    assert ptype in ODD_VALUES, "a new scored kind: add its odd values here"
    for value in [kind_example := kinds.kind(ptype).example(prompt), *ODD_VALUES[ptype]]:
        expected = kinds.number_for(prompt, value)
        number = _stored_number(tmp_path, prompt, value, lock)
        assert number == expected and type(number) is type(expected), (ptype, value, number, expected)
    assert kinds.number_for(prompt, kind_example) is not None


def test_the_store_has_no_number_rules_of_its_own():
    from pathlib import Path

    import relworkbook.store as store_module

    source = Path(store_module.__file__).read_text(encoding="utf-8")
    found = [rule for rule in ("_derive_number", '== "checklist"', '== "scale"') if rule in source]
    assert not found, f"store.py works out numbers itself: {found}"


# An unknown prompt type is loud in tests (conftest sets RELWORKBOOK_STRICT); in
# the app, a damaged workbook row is logged (its type, never its words) and shown
# as a neutral line, and a value a kind cannot read shows its words, never a Python repr.


def test_an_unknown_prompt_type_is_an_error_in_tests():
    assert os.environ.get("RELWORKBOOK_STRICT") == "1"  # conftest: every test runs strict
    with pytest.raises(kinds.UnknownKind):
        kinds.answer_text("drawing", "a sketch")
    with pytest.raises(kinds.UnknownKind):
        kinds.pieces_for(None, "drawing", "a sketch", NAMES)
    with pytest.raises(kinds.UnknownKind):
        kinds.number_of("drawing", "calm", 4)


def test_a_damaged_row_is_logged_and_shown_neutrally_in_the_app(monkeypatch, caplog):
    monkeypatch.delenv("RELWORKBOOK_STRICT")
    caplog.set_level(logging.WARNING, logger="relworkbook")
    assert kinds.answer_text("drawing", "our secret words") == kinds.NOT_SHOWN == "(answer could not be shown)"
    assert kinds.pieces_for(None, "drawing", "our secret words", NAMES) == (kinds.Piece(kinds.NOT_SHOWN),)
    assert kinds.number_of("drawing", "calm", 4) is None
    logged = [r.getMessage() for r in caplog.records]
    assert len(logged) == 3 and all("drawing" in m for m in logged)
    assert not any("secret" in m for m in logged)  # what was written never reaches a log


def test_a_value_a_kind_cannot_read_shows_its_words_not_a_repr(monkeypatch, caplog):
    monkeypatch.delenv("RELWORKBOOK_STRICT")
    caplog.set_level(logging.WARNING, logger="relworkbook")
    odd = ["walk on Sunday", {"owner": "b"}]
    for ptype in ("commitment", "template", "turns"):
        text = kinds.answer_text(ptype, odd)
        (piece, *_) = kinds.pieces_for(_prompt(ptype), ptype, odd, NAMES)
        for shown in (text, piece.text):
            assert "[" not in shown and "{" not in shown and "'" not in shown, (ptype, shown)
            assert "walk on Sunday" in shown, (ptype, shown)


def test_a_damaged_locked_row_opens_at_its_reveal_without_a_crash(tmp_path, monkeypatch):
    import sqlite3

    from relworkbook.store import Store

    monkeypatch.delenv("RELWORKBOOK_STRICT")
    path = tmp_path / "w.db"
    with Store.open(path) as store:
        store.set_couple("Alex", "blue", "Sam", "green")
        sitting = store.start_sitting(["a", "b"])
        store.set_lock("a", "a long enough passphrase")
        saved = store.save_answer(sitting.id, "ex", "p", "a", "my words", prompt_type="text", private=True,
                                  metric="calm")
    with sqlite3.connect(path) as raw:  # a foreign tool (or damage) changed the row's type
        raw.execute("UPDATE answers SET prompt_type = 'drawing' WHERE id = ?", (saved.id,))
    with Store.open(path) as store:
        store.reveal(sitting.id, "ex", "p", keys={"a": store.unlock("a", "a long enough passphrase")})
        opened = store.get_answer(saved.id)
        assert opened.value == "my words" and opened.number is None and opened.text == kinds.NOT_SHOWN
