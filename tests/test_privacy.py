"""Privacy: owner-only files, no network, private answers kept private until the reveal.

See docs/reliability.md for the promise each test keeps.
"""

from __future__ import annotations

import json
import os
import socket
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Button, Input, OptionList, Static, TextArea

from relworkbook import paths, recap
from relworkbook.app import make_app
from relworkbook.catalog import load_catalog
from relworkbook.screens.home import HomeScreen
from relworkbook.store import EXPORT_NOTE, Store
from test_crash_pty import Terminal

ROOT = Path(__file__).resolve().parent.parent
FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
SECRET = "zebra-umbrella-secret"
SEEN = "visible-shared-words"


def mode(path: Path) -> int:
    return stat.S_IMODE(path.stat().st_mode)


def run(*args: str, home: Path, umask: int = 0) -> subprocess.CompletedProcess:
    env = dict(os.environ, RELWORKBOOK_HOME=str(home))
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", *args], capture_output=True, text=True, cwd=ROOT,
        env=env, stdin=subprocess.DEVNULL, timeout=60, preexec_fn=lambda: os.umask(umask),
    )


# ---------------------------------------------------------------- owner-only


def test_every_file_is_owner_only_under_umask_zero(tmp_path):
    home = tmp_path / "home"
    db = tmp_path / "workbook.db"
    made = run("demo", "--db", str(db), "--weeks", "3", home=home)
    assert made.returncode == 0, made.stderr
    outputs = {
        "export": ["export", "--db", str(db), "--output", str(tmp_path / "all.json")],
        "recap": ["recap", "--db", str(db), "--format", "html", "--output", str(tmp_path / "recap.html")],
        "recap-md": ["recap", "--db", str(db), "--format", "markdown", "--output", str(tmp_path / "recap.md")],
        "backup": ["backup", "--db", str(db)],
    }
    for name, args in outputs.items():
        result = run(*args, home=home)
        assert result.returncode == 0, (name, result.stderr)
    # The app itself, running (its -wal and -shm exist while it is open), under umask 0.
    old = os.umask(0)
    try:
        term = Terminal(db, home)
    finally:
        os.umask(old)
    try:
        term.wait_for("Last check-in")
        live = [Path(f"{db}{suffix}") for suffix in ("", "-wal", "-shm")]
        assert all(p.exists() for p in live)
        assert {str(p): mode(p) for p in live} == {str(p): 0o600 for p in live}
    finally:
        term.kill()
    # The recap files the app saves for a sitting.
    old = os.umask(0)
    try:
        with Store.open(db) as store:
            built = recap.build_recap(store, load_catalog(()), store.last_sitting().id)
            saved = recap.save_recap_files(built, paths.recaps_dir(db))
            # A backup written by the store's API: its transient -journal is made under the same umask.
            store.backup()
    finally:
        os.umask(old)
    assert saved
    files = [p for p in tmp_path.rglob("*") if p.is_file()]  # the data folder's cache too
    kinds = {p.suffix for p in files}
    assert {".db", ".json", ".html", ".md"} <= kinds
    assert len([p for p in files if p.parent == paths.backups_dir(db)]) >= 2
    loose = {str(p): oct(mode(p)) for p in files if mode(p) != 0o600}
    assert not loose, f"readable by others: {loose}"
    for folder in (paths.backups_dir(db), paths.recaps_dir(db)):
        assert mode(folder) == 0o700, folder


# ---------------------------------------------------------------- no network


class NetworkUsed(AssertionError):
    pass


@pytest.fixture
def no_network(monkeypatch):
    """Record every socket; any internet socket, connection or name lookup fails the test."""
    made: list[tuple[int, int]] = []
    tried: list[object] = []
    real = socket.socket

    class Watched(real):  # type: ignore[misc, valid-type]
        def __init__(self, family=-1, type=-1, proto=-1, fileno=None):
            super().__init__(family, type, proto, fileno)
            made.append((int(self.family), int(self.type)))
            if self.family not in (socket.AF_UNIX,):
                tried.append(("socket", self.family))
                raise NetworkUsed(f"an internet socket was created: {self.family!r}")

        def connect(self, address):  # noqa: D401
            tried.append(("connect", address))
            raise NetworkUsed(f"a connection was attempted to {address!r}")

    def refuse(name):
        def inner(*args, **kwargs):
            tried.append((name, args))
            raise NetworkUsed(f"{name} was called with {args!r}")

        return inner

    monkeypatch.setattr(socket, "socket", Watched)
    for name in ("create_connection", "getaddrinfo", "gethostbyname", "create_server"):
        monkeypatch.setattr(socket, name, refuse(name))
    yield made, tried


async def test_a_whole_run_opens_no_network_connection(tmp_path, no_network):
    made, tried = no_network
    db = tmp_path / "workbook.db"
    app = make_app(db, [FIXTURES], shipped=False)
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        # First run: names.
        await pilot.press(*"Jo")
        await pilot.click("#name-b")
        await pilot.press(*"Kim", "enter")
        await pilot.pause()
        await pilot.press("escape")  # the locks, offered once after the names
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        # An exercise: a written answer.
        app.action_open_exercise("fx-hopes")
        await pilot.pause()
        await pilot.click("#both")
        await pilot.pause()
        await pilot.press("pagedown")
        await pilot.pause()
        app.screen.query(TextArea).first().focus()
        await pilot.press(*"a quiet walk")
        await pilot.press("pagedown")
        await pilot.pause()
        # Looking back: history, search, trends.
        for action in ("history", "search", "trends"):
            await app.run_action(action)
            await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        await pilot.press("f4")
        await pilot.pause()
        # End of sitting, with its recap.
        await pilot.press("f5")
        await pilot.pause()
        await pilot.click("#yes")
        await pilot.pause()
        assert "a quiet walk" in str(app.screen.query_one("#recap").render())
    assert not tried, tried
    # asyncio's own wake-up pipe is an AF_UNIX socketpair on some platforms: allowed, nothing else is.
    assert all(family == socket.AF_UNIX for family, _ in made), made


def test_the_package_never_imports_a_network_library():
    names = ("urllib.request", "http.client", "requests", "httpx", "aiohttp", "urllib3", "socket.create_connection")
    for source in (ROOT / "relworkbook").rglob("*.py"):
        text = source.read_text(encoding="utf-8")
        for name in names:
            assert f"import {name}" not in text and f"from {name} import" not in text, (source, name)


# ------------------------------------------------------ private answers


@pytest.fixture
def private_workbook(tmp_path):
    """A past sitting with a shared answer and a private one that was never revealed."""
    catalog = load_catalog(())
    chosen = None
    for exercise in catalog.exercises:
        shared = [p for p in exercise.prompts if p.type == "text" and p.who == "each"]
        secret = [p for p in exercise.prompts if p.type == "text" and p.who == "private"]
        if shared and secret:
            chosen = exercise, shared[0], secret[0]
            break
    assert chosen, "the shipped program needs an exercise with an 'each' and a 'private' text prompt"
    exercise, shared, secret = chosen
    db = tmp_path / "workbook.db"
    store = Store.open(db)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    sitting = store.start_sitting(["a", "b"])
    store.save_answer(sitting.id, exercise.id, shared.id, "a", SEEN, prompt_type="text")
    store.save_answer(sitting.id, exercise.id, secret.id, "a", f"alex {SECRET}", prompt_type="text", private=True)
    store.save_answer(sitting.id, exercise.id, secret.id, "b", f"sam {SECRET}", prompt_type="text", private=True)
    store.end_sitting(sitting.id)
    yield {"db": db, "store": store, "catalog": catalog, "sitting": sitting.id, "exercise": exercise, "secret": secret}
    store.close()


def test_recaps_search_and_trends_leave_out_unrevealed_answers(private_workbook):
    w = private_workbook
    store, catalog = w["store"], w["catalog"]
    built = recap.build_recap(store, catalog, w["sitting"])
    for fmt in ("text", "markdown", "html"):
        out = recap.render(built, fmt)
        assert SEEN in out, fmt
        assert SECRET not in out, fmt
    assert store.search(SECRET) == [] and store.search("zebra") == []
    assert store.search("visible-shared")
    # After the reveal they appear.
    store.reveal(w["sitting"], w["exercise"].id, w["secret"].id)
    out = recap.render(recap.build_recap(store, catalog, w["sitting"]), "text")
    assert SECRET in out and store.search("zebra")


def test_cli_outputs_before_the_reveal(private_workbook, tmp_path):
    db = private_workbook["db"]
    home = tmp_path / "home"
    for args in (["recap", "--last"], ["recap", "--last", "--format", "html"], ["history"],
                 ["history", "--search", "zebra"], ["trends", "--format", "csv"]):
        result = run(*args, "--db", str(db), home=home)
        assert result.returncode == 0, (args, result.stderr)
        assert SECRET not in result.stdout, args
    # The full export holds them, and says so in the file.
    result = run("export", "--db", str(db), home=home)
    data = json.loads(result.stdout)
    assert SECRET in result.stdout
    assert data["note"] == EXPORT_NOTE and "private answers and notes for one included" in data["note"]
    helped = " ".join(run("export", "--help", home=home).stdout.lower().split())
    assert "private answers and notes for one included" in helped


def _everything_on_screen(app) -> str:
    parts = []
    for screen in app.screen_stack:
        for widget in screen.query("*"):
            if isinstance(widget, Button):
                parts.append(str(widget.label))
            elif isinstance(widget, Static):
                parts.append(str(widget.render()))
            elif isinstance(widget, TextArea):
                parts.append(widget.text)
            elif isinstance(widget, Input):
                parts.append(widget.value)
            elif isinstance(widget, OptionList):
                parts.extend(str(widget.get_option_at_index(i).prompt) for i in range(widget.option_count))
    parts.append("\n".join(strip.text for strip in app.screen._compositor.render_strips()))
    return "\n".join(parts)


async def test_no_screen_shows_an_unrevealed_answer(private_workbook):
    w = private_workbook
    w["store"].close()
    app = make_app(w["db"])
    seen_any = False
    async with app.run_test(size=(120, 50)) as pilot:
        await pilot.pause()
        screens = []
        for action in ("history", "trends"):
            await app.run_action(action)
            await pilot.pause()
            screens.append(_everything_on_screen(app))
            if action == "history":
                await pilot.press("enter")  # open the sitting
                await pilot.pause()
                text = _everything_on_screen(app)
                seen_any = SEEN in text
                screens.append(text)
                await pilot.press("escape")
                await pilot.pause()
            await pilot.press("escape")
            await pilot.pause()
        from relworkbook.screens.search import SearchScreen

        for query in ("zebra", "alex", "umbrella"):
            app.push_screen(SearchScreen(app.store, app.catalog, app.couple, query=query))
            await pilot.pause()
            await pilot.pause()
            screens.append(_everything_on_screen(app))
            app.pop_screen()
            await pilot.pause()
        screens.append(_everything_on_screen(app))  # home
    assert seen_any, "the sitting view never opened: the check would prove nothing"
    for text in screens:
        assert SECRET not in text


def test_the_data_folder_made_by_the_app_is_owner_only(tmp_path):
    home = tmp_path / "home"
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    # Loading the catalogue (and its cache) never creates the data folder ...
    assert run("trends", "--db", str(db), home=home, umask=0o022).returncode == 0
    assert not home.exists()
    # ... nor does a command that only reads (it says there is no workbook) ...
    assert run("history", home=home, umask=0o022).returncode == 1
    assert not home.exists()
    # ... and the default workbook's folder, when made (here by `import`), is the owner's alone.
    export = tmp_path / "export.json"
    with Store.open(db) as store:
        export.write_text(json.dumps(store.export_data()))
    assert run("import", str(export), home=home, umask=0o022).returncode == 0
    assert home.is_dir() and mode(home) == 0o700
    assert all(mode(p) == 0o700 for p in home.rglob("*") if p.is_dir())
