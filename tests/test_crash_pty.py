"""Crash safety, for real: the app in a pseudo-terminal, killed with SIGKILL.

Each round starts ``python -m relworkbook --db X`` on a pty (100x30,
xterm-256color), opens an exercise with a text prompt through the command
palette, types a word no round used before, waits a little over a second and
kills the process with SIGKILL (no shutdown code runs). The workbook is then
opened with the store: every word typed in every round must be in the answer.
Twenty rounds, run two at a time on two workbooks to keep the wall time down.

The test waits for text on the screen (the home screen, the palette hit, the
attendance dialog, the intro, the prompt) rather than sleeping, except for the
one deliberate pause between the last key and the kill: that pause is the
promise ("a crash loses at most the last second of typing"), and a short
settle before typing (the text box takes the keyboard one refresh after the
prompt is drawn).
"""

from __future__ import annotations

import fcntl
import os
import re
import select
import signal
import struct
import subprocess
import sys
import termios
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from relworkbook.catalog import load_catalog
from relworkbook.store import Store

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="needs a POSIX pty")

ROUNDS = 20
WORKERS = 2
AFTER_TYPING = 1.2  # seconds between the last key and SIGKILL
QUIET = 0.3  # seconds without output that count as "the app is idle"
STEP_TIMEOUT = 20.0  # generous: a slow CI machine, never a fixed sleep
ECHO_TIMEOUT = 3.0  # for the typed word to show in the text box
ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=$ ]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
PAGE_DOWN = b"\x1b[6~"
CTRL_P = b"\x10"
ENTER = b"\r"


def text_exercise():
    """A shipped exercise whose first answer is free text from each partner."""
    catalog = load_catalog(())
    for exercise in catalog.exercises:
        first = exercise.prompts[0]
        if exercise.kind == "exercise" and first.type == "text" and first.who == "each":
            return exercise
    pytest.skip("no shipped exercise starts with a text prompt")


class Terminal:
    """One run of the real app on a pseudo-terminal."""

    def __init__(self, db: Path, home: Path) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", RELWORKBOOK_HOME=str(home), COLUMNS="100", LINES="30")
        env.pop("TEXTUAL", None)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        self.process = subprocess.Popen(
            [sys.executable, "-m", "relworkbook", "--db", str(db)],
            stdin=slave, stdout=slave, stderr=slave, env=env, cwd=str(ROOT),
            start_new_session=True, close_fds=True,
        )
        os.close(slave)
        self.master = master
        self.raw = bytearray()
        self.seen = 0  # wait_for looks only at output after this offset

    def _pump(self, timeout: float) -> None:
        ready, _, _ = select.select([self.master], [], [], timeout)
        if ready:
            try:
                self.raw.extend(os.read(self.master, 1 << 16))
            except OSError:  # the child closed its side
                time.sleep(timeout)

    def text(self, since: int = 0) -> str:
        return ANSI.sub(b"", bytes(self.raw[since:])).decode("utf-8", "replace")

    def wait_for(self, marker: str, timeout: float = STEP_TIMEOUT, *, must: bool = True) -> bool:
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if marker in self.text(self.seen):
                self.seen = len(self.raw)
                return True
            if self.process.poll() is not None:
                break
            self._pump(0.05)
        if not must and self.process.poll() is None:
            return False
        tail = self.text()[-1500:]
        self.kill()
        raise AssertionError(f"never saw {marker!r} on the screen; the last output was:\n{tail}")

    def send(self, data: bytes) -> None:
        self.seen = len(self.raw)
        os.write(self.master, data)

    def settle(self) -> None:
        """Wait until the app has drawn everything it had to (no output for QUIET seconds)."""
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline:
            before = len(self.raw)
            self.linger(QUIET)
            if len(self.raw) == before:
                return

    def type_into_text_box(self, word: str) -> None:
        """Type letters into the focused text box and see them echoed.

        On a loaded machine "quiet" can come before the focus moves; letters
        sent to the Next button do nothing there, so the word is typed again
        until it is echoed (the answer is then checked to contain it).
        """
        for _attempt in range(4):
            self.settle()
            self.send(word.encode())
            if self.wait_for(word, ECHO_TIMEOUT, must=False):
                return
        self.wait_for(word)  # fails, with the screen in the message

    def linger(self, seconds: float) -> None:
        """Keep draining the terminal (so the app never blocks on output) for a while."""
        end = time.monotonic() + seconds
        while time.monotonic() < end:
            self._pump(min(0.05, max(0.0, end - time.monotonic())))

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        try:
            os.close(self.master)
        except OSError:
            pass


def one_round(db: Path, home: Path, exercise, word: str) -> int:
    term = Terminal(db, home)
    try:
        term.wait_for("Last check-in")  # the home screen is drawn
        term.send(CTRL_P)
        term.wait_for("Search for commands")
        term.send(exercise.title.encode())
        term.wait_for(f"Start exercise: {exercise.title}")
        term.send(ENTER)
        term.wait_for("Who is here")
        term.send(ENTER)  # "Both of us" has the focus
        term.wait_for("Press PgDn")
        term.send(PAGE_DOWN)
        term.wait_for(exercise.prompts[0].text[:24])
        # The text box takes the keyboard one refresh after the prompt is drawn
        # (exercise.py focuses it with call_after_refresh): wait for the app to
        # go quiet, then type letters only (a space on a still-focused Next
        # button would press it) and see them echoed before the separator.
        term.type_into_text_box(word)
        term.send(b" ")
        term.linger(AFTER_TYPING)
    finally:
        pid = term.process.pid
        term.kill()
    return pid


def saved_text(db: Path, exercise_id: str, prompt_id: str) -> str:
    store = Store.open(db)
    try:
        answers = [a for a in store.answers_for_exercise(exercise_id) if a.prompt_id == prompt_id and a.partner == "a"]
    finally:
        store.close()
    assert len(answers) <= 1, "two answers for one slot: the rounds did not share the sitting"
    return answers[0].value if answers else ""


def run_rounds(tmp: Path, rounds: int, tag: str, exercise) -> list[str]:
    db = tmp / f"workbook-{tag}.db"
    store = Store.open(db)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    store.close()
    typed: list[str] = []
    for n in range(rounds):
        word = f"kept{tag}x{n}z"
        one_round(db, tmp / f"home-{tag}", exercise, word)
        typed.append(word)
        text = saved_text(db, exercise.id, exercise.prompts[0].id)
        missing = [w for w in typed if w not in text]
        assert not missing, f"round {n + 1}: lost {missing} after SIGKILL; the answer holds {text!r}"
    return typed


def test_sigkill_a_second_after_typing_loses_nothing_twenty_times(tmp_path):
    exercise = text_exercise()
    per_worker = ROUNDS // WORKERS
    with ThreadPoolExecutor(WORKERS) as pool:
        jobs = [pool.submit(run_rounds, tmp_path, per_worker, chr(ord("a") + i), exercise) for i in range(WORKERS)]
        typed = [word for job in jobs for word in job.result()]
    assert len(typed) == ROUNDS
    # The workbook is still a sound SQLite file after twenty kills.
    for i in range(WORKERS):
        store = Store.open(tmp_path / f"workbook-{chr(ord('a') + i)}.db")
        try:
            assert store.conn.execute("PRAGMA integrity_check").fetchone()[0] == "ok"
            assert store.open_sitting() is not None
            assert len(store.list_sittings()) == 1  # every round joined the sitting left open
        finally:
            store.close()
