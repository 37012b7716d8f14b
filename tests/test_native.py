"""Native to its ecosystem (issue 19): shell completion, printing, paths, config, pipes."""

from __future__ import annotations

import json
import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None, input: str | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        timeout=timeout,
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("native") / "demo.db"
    result = run("demo", "--db", str(db), "--weeks", "8", "--seed", "5")
    assert result.returncode == 0, result.stderr
    return db


# ------------------------------------------------------------------ 1. shell completion


@pytest.mark.parametrize(
    "shell, marker",
    [("bash", "complete -o nosort -F _relworkbook_completion relworkbook"),
     ("zsh", "#compdef relworkbook"),
     ("fish", "complete --no-files --command relworkbook")],
)
def test_completion_script_never_opens_the_app(tmp_path, shell, marker):
    """click's line for a shell's rc file prints the script and creates nothing."""
    home = tmp_path / "home"
    result = run(env={"_RELWORKBOOK_COMPLETE": f"{shell}_source", "RELWORKBOOK_HOME": str(home)}, timeout=30)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert not home.exists()  # no workbook, not even its folder


def test_completion_completes_commands_and_options(tmp_path):
    home = tmp_path / "home"
    env = {"_RELWORKBOOK_COMPLETE": "bash_complete", "COMP_WORDS": "relworkbook hi", "COMP_CWORD": "1",
           "RELWORKBOOK_HOME": str(home)}
    result = run(env=env, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["plain,history"]
    env.update(COMP_WORDS="relworkbook recap --fo", COMP_CWORD="2")
    assert "plain,--format" in run(env=env, timeout=30).stdout.split()
    # Even with the plain start's own options on the line, completion stays click's.
    env.update(COMP_WORDS="relworkbook --db x.db ", COMP_CWORD="3")
    result = run("--db", "x.db", env=env, timeout=30)
    assert result.returncode == 0 and "plain,trends" in result.stdout.split()
    assert not home.exists()


# ------------------------------------------------------------------ 12. --print


def test_print_sends_the_recap_to_lp(demo_db, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    received = tmp_path / "received.txt"
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\ncat "$1" > {received}\necho "request id is fake-1"\n', encoding="utf-8")
    lp.chmod(0o755)
    result = run("recap", "--db", str(demo_db), "--last", "--print",
                 env={"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "Sent to the printer" in result.stderr
    printed = received.read_text(encoding="utf-8")
    assert printed == run("recap", "--db", str(demo_db), "--last").stdout


def test_print_without_a_printer_is_one_line(demo_db, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    line = one_line_error(run("recap", "--db", str(demo_db), "--print", env={"PATH": str(empty)}))
    assert "no system printer" in line and "--output" in line


def test_print_refused_by_the_printer_is_one_line(demo_db, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lp = bin_dir / "lp"
    lp.write_text('#!/bin/sh\necho "lp: Error - no default destination available." >&2\nexit 1\n', encoding="utf-8")
    lp.chmod(0o755)
    line = one_line_error(run("recap", "--db", str(demo_db), "--print", env={"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin"}))
    assert "no default destination" in line


# ------------------------------------------------------------------ 3, 4. config file and paths


def test_config_load_defaults_without_a_file_and_without_tomllib(tmp_path):
    code = ("import sys; from relworkbook import config; c = config.load();"
            "print(c.exists, c.theme, c.keymap, c.problem, 'tomllib' in sys.modules)")
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, cwd=ROOT)
    assert out.stdout.split() == ["False", "None", "{}", "None", "False"]


def test_config_file_settings_and_bad_files(tmp_path):
    from relworkbook import config

    path = tmp_path / "config.toml"
    path.write_text('theme = "textual-light"\nworkbook = "us.db"\n[keymap]\nhome-history = "y"\n', encoding="utf-8")
    loaded = config.load(path)
    assert loaded.problem is None
    assert (loaded.theme, loaded.workbook, loaded.keymap) == ("textual-light", tmp_path / "us.db", {"home-history": "y"})
    # What `relworkbook config` prints is TOML that reads back the same.
    again = tomllib.loads(config.describe(loaded, loaded.workbook))
    assert again == {"theme": "textual-light", "workbook": str(tmp_path / "us.db"), "keymap": {"home-history": "y"}}
    for text, words in [
        ("theme = \n", "not valid TOML"),
        ("colour = 'red'\n", "unknown setting 'colour'"),
        ("theme = 3\n", "theme must be"),
        ("keymap = 'f6'\n", "keymap must be a table"),
        ("[keymap]\nhome = 6\n", "home must be keys"),
        (b"\xff\xfe theme", "not valid TOML"),
    ]:
        if isinstance(text, bytes):
            path.write_bytes(text)
        else:
            path.write_text(text, encoding="utf-8")
        bad = config.load(path)
        assert words in bad.problem and "using the defaults" in bad.problem
        assert (bad.theme, bad.workbook, bad.keymap) == (None, None, {})
        assert "\n" not in bad.problem


def test_bad_config_is_one_line_and_the_defaults(tmp_path, demo_db):
    cfg = tmp_path / "config.toml"
    cfg.write_text("[keymap\n", encoding="utf-8")
    result = run("path", "workbook", env={"RELWORKBOOK_CONFIG": str(cfg), "RELWORKBOOK_HOME": ""})
    assert result.returncode == 0
    assert result.stdout.strip().endswith(os.path.join("relworkbook", "workbook.db"))  # the platform's default
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "not valid TOML" in lines[0] and str(cfg) in lines[0]
    assert "Traceback" not in result.stderr
    shown = run("config", env={"RELWORKBOOK_CONFIG": str(cfg)})
    assert shown.returncode == 0 and "# not used:" in shown.stdout and "[keymap]" in shown.stdout


@pytest.mark.parametrize("kind", ["fifo", "dev-zero-link", "huge", "folder"])
def test_config_path_that_is_not_a_small_regular_file_is_one_line_and_the_defaults(tmp_path, kind):
    """A FIFO, a link to /dev/zero, a huge file or a folder at the config path: not
    read (reading it would hang or flood the start), one line and the defaults."""
    cfg = tmp_path / "config.toml"
    if kind == "fifo":
        os.mkfifo(cfg)
    elif kind == "dev-zero-link":
        os.symlink("/dev/zero", cfg)
    elif kind == "huge":
        with open(cfg, "wb") as handle:
            handle.write(b'theme = "nord"\n')
            handle.truncate(200 * 1024 * 1024)  # sparse: no disk used
    else:
        cfg.mkdir()
    result = run("path", "workbook", env={"RELWORKBOOK_CONFIG": str(cfg), "RELWORKBOOK_HOME": ""}, timeout=20)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().endswith(os.path.join("relworkbook", "workbook.db"))
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1 and "using the defaults" in lines[0] and str(cfg) in lines[0], result.stderr
    assert ("over the 64 KiB" if kind == "huge" else "not a regular file") in lines[0]


def test_config_just_under_the_size_limit_is_still_read(tmp_path):
    from relworkbook import config

    path = tmp_path / "config.toml"
    text = 'theme = "nord"\n'
    path.write_text(text + "#" * (config.MAX_BYTES - len(text) - 1) + "\n", encoding="utf-8")
    assert path.stat().st_size == config.MAX_BYTES
    loaded = config.load(path)
    assert loaded.problem is None and loaded.theme == "nord"
    path.write_text(text + "#" * (config.MAX_BYTES - len(text)) + "\n", encoding="utf-8")
    assert "over the 64 KiB" in config.load(path).problem


def test_config_command_and_workbook_from_config(tmp_path):
    cfg = tmp_path / "cfg" / "config.toml"
    cfg.parent.mkdir()
    cfg.write_text('workbook = "ours.db"\ntheme = "nord"\n[keymap]\n"time-out" = "f2,ctrl+b"\n', encoding="utf-8")
    env = {"RELWORKBOOK_CONFIG": str(cfg), "RELWORKBOOK_HOME": ""}
    shown = run("config", env=env)
    assert shown.returncode == 0, shown.stderr
    assert tomllib.loads(shown.stdout) == {
        "theme": "nord", "workbook": str(cfg.parent / "ours.db"), "keymap": {"time-out": "f2,ctrl+b"}}
    assert f"# config file: {cfg}" in shown.stdout
    # The config's workbook is the default for every command; --db still wins.
    made = run("demo", "--db", str(cfg.parent / "ours.db"), "--weeks", "1", env=env)
    assert made.returncode == 0, made.stderr
    listed = run("history", env=env)
    assert listed.returncode == 0 and "Weekly check-in" in listed.stdout
    assert run("path", "workbook", env=env).stdout.strip() == str(cfg.parent / "ours.db")
    # RELWORKBOOK_HOME beats the config file.
    home = tmp_path / "home"
    assert run("path", "workbook", env={**env, "RELWORKBOOK_HOME": str(home)}).stdout.strip() == str(home / "workbook.db")


def test_path_lists_every_place_and_creates_nothing(tmp_path):
    home = tmp_path / "home"
    result = run("path", env={"RELWORKBOOK_HOME": str(home)})
    assert result.returncode == 0, result.stderr
    places = {line.split()[0]: line.split()[1] for line in result.stdout.splitlines()}
    assert places == {
        "workbook": str(home / "workbook.db"),
        "backups": str(home / "workbook-backups"),
        "recaps": str(home / "workbook-recaps"),
        "screenshots": str(home / "workbook-recaps"),
        "config": os.environ["RELWORKBOOK_CONFIG"],
        "cache": os.environ["RELWORKBOOK_CACHE"],
    }
    assert "(not there yet)" in result.stdout
    assert not home.exists()
    one = run("--db", str(tmp_path / "x.db"), "path", "backups")
    assert one.stdout.strip() == str(tmp_path / "x-backups")
    assert run("path", "nowhere").returncode == 2


async def test_config_keymap_and_theme_work_in_the_app(tmp_path):
    from relworkbook import config
    from relworkbook.app import make_app
    from relworkbook.screens.history import HistoryScreen
    from relworkbook.screens.home import HomeScreen
    from relworkbook.screens.timeout import TimeoutScreen
    from relworkbook.store import Store

    db = tmp_path / "workbook.db"
    store = Store.open(db)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    store.close()
    cfg = tmp_path / "config.toml"
    cfg.write_text('theme = "textual-light"\n[keymap]\nhome-history = "y"\n"time-out" = "f9"\n', encoding="utf-8")
    app = make_app(db, [ROOT / "tests" / "fixtures" / "exercises"], shipped=False, config=config.load(cfg))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        assert app.theme == "textual-light"
        await pilot.press("h")  # no longer history
        await pilot.pause()
        assert isinstance(app.screen, HomeScreen)
        await pilot.press("y")
        await pilot.pause()
        assert isinstance(app.screen, HistoryScreen)
        await pilot.press("escape")
        await pilot.pause()
        await pilot.press("f2")  # replaced by f9
        await pilot.pause()
        assert not isinstance(app.screen, TimeoutScreen)
        await pilot.press("f9")
        await pilot.pause()
        assert isinstance(app.screen, TimeoutScreen)
        # Help tells the keys as they are now.
        rows = app.key_rows(app.home_screen)
        assert any(keys == "f9" and "Time-out" in what for _, keys, what in rows)
    # A theme picked in the app is remembered in the workbook and wins over the config's.
    store = Store.open(db)
    store.set_setting("theme", "nord")
    store.close()
    app = make_app(db, [ROOT / "tests" / "fixtures" / "exercises"], shipped=False, config=config.load(cfg))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        assert app.theme == "nord"


# ------------------------------------------------------------------ 6, 7. pipes, JSON, the true count


def test_import_from_standard_input(demo_db, tmp_path):
    exported = run("export", "--db", str(demo_db))
    assert exported.returncode == 0
    target = tmp_path / "copy.db"
    result = run("import", "--db", str(target), "-", input=exported.stdout)
    assert result.returncode == 0, result.stderr
    assert "standard input" in result.stderr
    assert run("export", "--db", str(target)).stdout == exported.stdout
    bad = run("import", "--db", str(tmp_path / "other.db"), "-", input="not json")
    line = one_line_error(bad)
    assert line.startswith("relworkbook: standard input") and "not valid JSON" in line
    assert not (tmp_path / "other.db").exists()  # a bad export imports nothing


def test_history_json(demo_db):
    plain = run("history", "--db", str(demo_db))
    result = run("history", "--db", str(demo_db), "--json")
    assert result.returncode == 0, result.stderr
    sittings = json.loads(result.stdout)
    assert len(sittings) == len(plain.stdout.strip().splitlines()) - 1
    first = sittings[0]
    assert set(first) == {"id", "started", "ended", "minutes", "attendees", "exercises"}
    assert f"{first['id']:>5}  {first['started'].replace('T', ' ')[:16]}" in plain.stdout.splitlines()[1]
    assert all(set(e) == {"id", "title"} for s in sittings for e in s["exercises"])


def test_history_search_has_no_markers_when_piped_and_tells_the_count(demo_db):
    word = "listened"
    everything = json.loads(run("history", "--db", str(demo_db), "--search", word, "--json", "--limit", "0").stdout)
    total = everything["total"]
    assert total == len(everything["matches"]) > 3
    assert all("[[" not in m["snippet"] and "]]" not in m["snippet"] for m in everything["matches"])
    page = run("history", "--db", str(demo_db), "--search", word, "--limit", "2")
    assert page.returncode == 0
    assert "[[" not in page.stdout and "]]" not in page.stdout and "\x1b[" not in page.stdout
    assert len([line for line in page.stdout.splitlines() if line.startswith("#")]) == 2
    assert f"1-2 of {total} matches; the next with --offset 2" in page.stderr
    nxt = run("history", "--db", str(demo_db), "--search", word, "--limit", "2", "--offset", "2")
    first_two = [m["answer_id"] for m in everything["matches"][:4]]
    assert first_two  # the pages follow the same order as the whole list
    listed = json.loads(run("history", "--db", str(demo_db), "--search", word, "--json", "--limit", "2", "--offset", "2").stdout)
    assert [m["answer_id"] for m in listed["matches"]] == first_two[2:4]
    assert f"3-4 of {total} matches" in nxt.stderr
    whole = run("history", "--db", str(demo_db), "--search", word, "--limit", "0")
    assert len([line for line in whole.stdout.splitlines() if line.startswith("#")]) == total
    assert f"{total} matches." in whole.stderr


def test_history_search_is_bold_on_a_terminal(demo_db):
    """On a terminal (a pty) the matched words are bold, with no markers."""
    import pty

    controller, terminal = pty.openpty()
    try:
        proc = subprocess.Popen([sys.executable, "-m", "relworkbook", "history", "--db", str(demo_db),
                                 "--search", "listened", "--limit", "1"],
                                stdout=terminal, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL, cwd=ROOT)
        os.close(terminal)
        terminal = -1
        out = b""
        while True:
            try:
                chunk = os.read(controller, 4096)
            except OSError:
                break
            if not chunk:
                break
            out += chunk
        assert proc.wait(timeout=60) == 0
    finally:
        os.close(controller)
        if terminal >= 0:
            os.close(terminal)
    text = out.decode()
    assert "\x1b[1m" in text and "[[" not in text
    assert "listened" in text.split("\x1b[1m", 1)[1].lower()


def test_trends_json_matches_the_text(demo_db):
    result = run("trends", "--db", str(demo_db), "--format", "json")
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["window"] == "all" and data["partners"] == {"a": "Alex", "b": "Sam"}
    assert data["metrics"]
    csv_rows = run("trends", "--db", str(demo_db), "--format", "csv").stdout.strip().splitlines()[1:]
    from_json = {(point["date"], p["name"], m["metric"]) for m in data["metrics"] for p in m["partners"]
                 for point in p["series"]}
    assert from_json == {tuple(row.split(",")[:3]) for row in csv_rows}
    for metric in data["metrics"]:
        for partner in metric["partners"]:
            if partner["series"]:
                assert partner["latest"] == partner["series"][-1]["value"]


# ------------------------------------------------------------------ 5. screenshots through the palette


async def test_palette_screenshot_is_owner_only_beside_the_recaps_and_says_where(tmp_path):
    from relworkbook import paths
    from relworkbook.app import make_app
    from relworkbook.store import Store

    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    app = make_app(db, [ROOT / "tests" / "fixtures" / "exercises"], shipped=False)
    downloads = tmp_path / "Downloads"
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"screenshot")
        await pilot.pause(0.3)
        await pilot.press("enter")
        await pilot.pause(0.5)
        shots = list(paths.recaps_dir(db).glob("*.svg"))
        assert len(shots) == 1
        assert stat.S_IMODE(shots[0].stat().st_mode) == 0o600
        assert stat.S_IMODE(shots[0].parent.stat().st_mode) == 0o700
        assert any(str(shots[0]) in str(n.message) for n in app._notifications)
    assert not downloads.exists()


@pytest.mark.parametrize("xdg", [None, "", "/tmp/xdg-config-here"])
def test_config_file_is_where_platformdirs_says(monkeypatch, xdg):
    from platformdirs import user_config_dir

    from relworkbook import paths

    monkeypatch.delenv("RELWORKBOOK_CONFIG", raising=False)
    if xdg is None:
        monkeypatch.delenv("XDG_CONFIG_HOME", raising=False)
    else:
        monkeypatch.setenv("XDG_CONFIG_HOME", xdg)
    assert paths.config_file() == Path(user_config_dir("relworkbook", appauthor=False)) / "config.toml"


def test_config_lists_binding_ids_and_flags_unknown_ones(tmp_path):
    listed = run("config", "--ids")
    assert listed.returncode == 0, listed.stderr
    ids = set(listed.stdout.split())
    assert {"home-history", "time-out", "exercise.next", "recap-save", "commitments-kept"} <= ids
    cfg = tmp_path / "config.toml"
    cfg.write_text('[keymap]\nhome-history = "y"\nhome-histroy = "z"\n', encoding="utf-8")
    shown = run("config", env={"RELWORKBOOK_CONFIG": str(cfg)})
    assert "'home-histroy' is not a binding id" in shown.stdout
    assert "'home-history' is not" not in shown.stdout


async def test_homes_own_key_hints_and_help_follow_the_keymap(tmp_path):
    """Home's list says the keys in force, and Help keeps a remapped key in its usual row."""
    from textual.widgets import OptionList

    from relworkbook import config
    from relworkbook.app import make_app
    from relworkbook.screens.home import HomeScreen
    from relworkbook.store import Store

    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    fixtures = [ROOT / "tests" / "fixtures" / "exercises"]

    async def home_texts_and_help(cfg: Path | None) -> tuple[dict[str, str], list[str]]:
        app = make_app(db, fixtures, shipped=False, config=config.load(cfg) if cfg else None)
        async with app.run_test(size=(80, 24)) as pilot:
            await pilot.pause()
            assert isinstance(app.screen, HomeScreen)
            olist = app.screen.query_one("#home-list", OptionList)
            texts = {
                option.id: str(option.prompt) for option in olist.options
                if option.id and option.id.startswith("go:")
            }
            return texts, [what for _, _, what in app.key_rows(app.home_screen)]

    texts, help_order = await home_texts_and_help(None)
    assert texts["go:history"].endswith("(h)") and texts["go:search"].endswith("(/)")
    cfg = tmp_path / "config.toml"
    cfg.write_text(
        '[keymap]\nhome-history = "y"\nhome-trends = "ctrl+g"\nhome-commitments = "z"\n'
        'home-search = "f7"\nhome-settings = "o"\n',
        encoding="utf-8",
    )
    remapped, remapped_order = await home_texts_and_help(cfg)
    assert remapped["go:history"] == texts["go:history"].replace("(h)", "(y)")
    assert remapped["go:trends"] == texts["go:trends"].replace("(t)", "(^g)")
    assert remapped["go:commitments"] == texts["go:commitments"].replace("(m)", "(z)")
    assert remapped["go:search"] == texts["go:search"].replace("(/)", "(f7)")
    assert remapped["go:settings"] == texts["go:settings"].replace("(s)", "(o)")
    assert remapped_order == help_order  # the remapped keys stay in their usual places
