"""Shared test fixtures. Every helper may add fixtures here; never remove others'."""

from __future__ import annotations

import os

import pytest
from hypothesis import HealthCheck, settings

# Property tests: derandomized in CI (CI=true), so `make test` there never
# fails at random; on a developer's machine they explore freely (a new random
# start each run, failures remembered in .hypothesis/). A failing example found
# anywhere is fixed and kept with @example. In both, nothing depends on the
# machine's speed: no deadline, and no "too slow" health check (a loaded
# machine, or xdist's two workers on two cores, is not a failure).
_UNTIMED = {"deadline": None, "suppress_health_check": [HealthCheck.too_slow]}
# Both from Hypothesis's own defaults (it loads its built-in "ci" profile by
# itself when a CI variable is merely present, even empty).
_BASE = settings.get_profile("default")
settings.register_profile("ci", parent=_BASE, derandomize=True, database=None, print_blob=True, **_UNTIMED)
settings.register_profile("dev", parent=_BASE, **_UNTIMED)
settings.load_profile(
    os.environ.get("HYPOTHESIS_PROFILE")
    or ("ci" if os.environ.get("CI", "").strip().lower() in ("true", "1", "yes") else "dev")
)


@pytest.fixture(autouse=True)
def _isolated_home(tmp_path, monkeypatch):
    """Keep every test away from the developer's real data folder, config file and cache."""
    home = tmp_path / "relworkbook-home"
    monkeypatch.setenv("RELWORKBOOK_HOME", str(home))
    monkeypatch.setenv("RELWORKBOOK_CONFIG", str(tmp_path / "relworkbook-config" / "config.toml"))
    monkeypatch.setenv("RELWORKBOOK_CACHE", str(tmp_path / "relworkbook-cache"))
    return home


@pytest.fixture(autouse=True)
def _strict_kinds(monkeypatch):
    """A prompt type with no entry in kinds.KINDS raises in every test (the app logs it and goes on)."""
    monkeypatch.setenv("RELWORKBOOK_STRICT", "1")


def _typing_as_a_terminal_delivers_it() -> None:
    """Pilot types a run of plain characters into a text box the way a terminal delivers typing.

    ``Pilot.press`` waits for the app to go idle after every single key (two
    ``wait_for_idle`` slices, 40 ms or more each), which made typing a sentence
    the slowest part of the Pilot tests. Here the characters of a run that goes
    into a focused ``Input`` or ``TextArea`` are queued at once, as a terminal
    delivers fast typing, and the same waits follow the run. The keys, the
    events and the path through the app are Textual's own; every other key
    (Enter, PgDn, a letter that is a binding on a screen with no text box
    focused, ...) still goes one at a time with every wait, as before.
    """
    import unicodedata

    from textual import app as textual_app
    from textual import events
    from textual._wait import wait_for_idle
    from textual.widgets import Input, TextArea

    original = textual_app.App._press_keys

    def typed(key: str) -> bool:
        return key == "space" or (len(key) == 1 and key.isprintable())

    def event_for(key: str) -> events.Key:
        # As App._press_keys builds it.
        if len(key) == 1 and not key.isalnum():
            key = textual_app._character_to_key(key)
        original_key = textual_app.REPLACED_KEYS.get(key, key)
        try:
            char = unicodedata.lookup(textual_app._get_unicode_name_from_key(original_key))
        except KeyError:
            char = key if len(key) == 1 else None
        return events.Key(key, char)

    async def press_keys(self, keys):
        keys = list(keys)
        index = 0
        while index < len(keys):
            key = keys[index]
            if typed(key) and isinstance(self.focused, (Input, TextArea)):
                end = index
                while end < len(keys) and typed(keys[end]):
                    end += 1
                for each in keys[index:end]:
                    event = event_for(each)
                    event.set_sender(self)
                    self._driver.send_message(event)
                await wait_for_idle(0)
                await self._animator.wait_until_complete()
                await wait_for_idle(0)
                index = end
            else:
                await original(self, [key])
                index += 1

    textual_app.App._press_keys = press_keys


_typing_as_a_terminal_delivers_it()


# The slowest tests mostly wait (the pty rounds wait on a real app's screen and
# on the steady typist's rhythm): run them first, so that under xdist they
# overlap with everything else instead of ending the run alone.
_SLOW_FIRST = ("test_crash_pty.py", "test_colours.py")  # the latter: an app run per built-in theme


def pytest_collection_modifyitems(session, config, items):
    items.sort(key=lambda item: 0 if item.path.name in _SLOW_FIRST else 1)
