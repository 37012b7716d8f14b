"""relworkbook.keynames answers Textual's key-name look-ups exactly as the Unicode table would."""

from __future__ import annotations

import unicodedata

import pytest
from textual import keys

from relworkbook import keynames

# Every key a screen or the app binds, and Textual's own, as Textual names them.
KEYS = sorted(
    {f"f{n}" for n in range(1, 25)}
    | {"tab", "enter", "escape", "backspace", "delete", "insert", "home", "end", "pageup", "pagedown",
       "up", "down", "left", "right", "slash", "space", "minus", "question_mark", "plus_sign", "full_stop",
       "exclamation_mark", "reverse_solidus", "vertical_line", "low_line", "a", "z", "0", "9", "p", "plus",
       "circumflex_accent", "ctrl+p", "shift+tab", "number_sign", "hyphen_minus", "apostrophe", "comma"}
    | set(keys.KEY_TO_UNICODE_NAME)
)


@pytest.mark.parametrize("name", sorted(keynames.NOT_CHARACTERS))
def test_names_said_missing_are_missing_from_the_table(name):
    for spelled in (name, name.lower()):
        with pytest.raises(KeyError):
            unicodedata.lookup(spelled)
        with pytest.raises(KeyError):
            keynames.KeyNames(unicodedata).lookup(spelled)


def test_names_answered_here_are_the_tables_own():
    assert set(keys.KEY_TO_UNICODE_NAME.values()) <= set(keynames.CHARACTERS)
    for name, character in keynames.CHARACTERS.items():
        assert unicodedata.lookup(name) == character
        assert keynames.KeyNames(unicodedata).lookup(name.lower()) == character


def test_other_names_go_to_the_table():
    names = keynames.KeyNames(unicodedata)
    assert names.lookup("SNOWMAN") == "☃"
    assert names.name("☃") == "SNOWMAN"
    with pytest.raises(KeyError):
        names.lookup("NO SUCH CHARACTER AT ALL")


def test_textuals_key_lookups_give_the_same_answers(monkeypatch):
    def answers():
        return {key: (keys.key_to_character.__wrapped__(key), keys.format_key.__wrapped__(key)) for key in KEYS}

    monkeypatch.setattr(keys, "unicodedata", unicodedata)
    plain = answers()
    monkeypatch.setattr(keys, "unicodedata", keynames.KeyNames(unicodedata))
    assert answers() == plain


def test_the_app_installs_it_once(tmp_path, monkeypatch):
    from relworkbook.app import make_app

    monkeypatch.setattr(keys, "unicodedata", unicodedata)
    make_app(tmp_path / "w.db", [])
    installed = keys.unicodedata
    assert isinstance(installed, keynames.KeyNames)
    make_app(tmp_path / "w.db", [])
    assert keys.unicodedata is installed
