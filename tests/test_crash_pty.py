"""Crash safety, for real: the app in a pseudo-terminal, killed with SIGKILL.

Each round starts ``python -m relworkbook --db X`` on a pty (100x30,
xterm-256color), opens an exercise with a text prompt through the command
palette, types a marker no round used before (and sees it echoed), then types
like a steady typist: one letter every 0.25 s, never pausing long enough for a
plain debounce to fire. At a random moment (mostly between two keys, now and
then after a pause of up to 1.4 s) the process is killed with SIGKILL (no
shutdown code runs). The workbook is then opened with the store: every letter
sent more than a second before the kill must be in the answer, right after its
round's marker and in order, and every earlier round's saved words must still
be there. Twenty rounds, two at a time on two workbooks, to keep the wall time
down; the random moments come from a seed that a failure prints
(``CRASH_SEED=...`` replays it).

A second test ends the app with SIGHUP (the terminal closed first) and with
SIGTERM 0.05 s after the last key: there nothing typed may be lost at all; a
third does the same in a partner's notes for one.

The test waits for text on the screen (the home screen, the palette hit, the
attendance dialog, the intro, the prompt) rather than sleeping; the only
deliberate waits are the typist's own rhythm and the pause before the kill.
"""

from __future__ import annotations

import fcntl
import os
import random
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
KEY_EVERY = 0.25  # the steady typist: one letter every quarter second
PROMISE = 1.0  # a crash loses at most the last second of typing
LETTERS = "abcdefghijklmnopqrstuvwxyz"
SEED = int(os.environ.get("CRASH_SEED") or time.time_ns() % 1_000_000)
QUIET = 0.3  # seconds without output that count as "the app is idle"
STEP_TIMEOUT = 20.0  # generous: a slow CI machine, never a fixed sleep
ECHO_TIMEOUT = 3.0  # for the typed word to show in the text box
ROOT = Path(__file__).resolve().parent.parent
ANSI = re.compile(rb"\x1b\[[0-9;?<>=$ ]*[@-~]|\x1b\][^\x07\x1b]*(?:\x07|\x1b\\)|\x1b[()][0-9A-Za-z]|\x1b[=>78]")
PAGE_DOWN = b"\x1b[6~"
CONTROLLING_TTY = "import fcntl, os, sys, termios; fcntl.ioctl(0, termios.TIOCSCTTY, 0); os.execv(sys.argv[1], sys.argv[1:])"
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

    def __init__(self, db: Path, home: Path, *, controlling: bool = False) -> None:
        master, slave = os.openpty()
        fcntl.ioctl(slave, termios.TIOCSWINSZ, struct.pack("HHHH", 30, 100, 0, 0))
        env = dict(os.environ, TERM="xterm-256color", RELWORKBOOK_HOME=str(home), COLUMNS="100", LINES="30")
        env.pop("TEXTUAL", None)
        env["PYTHONPATH"] = str(ROOT) + os.pathsep + env.get("PYTHONPATH", "")
        argv = [sys.executable, "-m", "relworkbook", "--db", str(db)]
        if controlling:
            # As in a terminal window: the pty becomes the app's controlling
            # terminal, so closing it makes the kernel hang it up (SIGHUP, then
            # SIGCONT). Done by a tiny exec wrapper: preexec_fn is not safe with threads.
            argv = [sys.executable, "-c", CONTROLLING_TTY, *argv]
        self.process = subprocess.Popen(
            argv, stdin=slave, stdout=slave, stderr=slave, env=env, cwd=str(ROOT),
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
        code = self.process.poll()
        self.kill()
        ended = "still running" if code is None else f"the app ended with {code}"
        raise AssertionError(f"never saw {marker!r} on the screen ({ended}); the last output was:\n{tail}")

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

    def steady_typing(self, seconds: float) -> list[tuple[str, float]]:
        """One letter every KEY_EVERY seconds for ``seconds``: [(letter, monotonic time sent)]."""
        sent: list[tuple[str, float]] = []
        start = time.monotonic()
        while len(sent) * KEY_EVERY <= seconds and len(sent) < len(LETTERS):
            self.linger(start + len(sent) * KEY_EVERY - time.monotonic())
            letter = LETTERS[len(sent)]
            os.write(self.master, letter.encode())
            sent.append((letter, time.monotonic()))
        return sent

    def open_text_prompt(self, exercise) -> None:
        """From the home screen to the first text prompt of ``exercise``."""
        self.wait_for("Last check-in")  # the home screen is drawn
        self.send(CTRL_P)
        self.wait_for("Search for commands")
        self.send(exercise.title.encode())
        self.wait_for(f"Start exercise: {exercise.title}")
        self.send(ENTER)
        self.wait_for("Who is here")
        self.send(ENTER)  # "Both of us" has the focus
        self.wait_for("Press PgDn")
        self.send(PAGE_DOWN)
        self.wait_for(exercise.prompts[0].text[:24])

    def open_notes(self) -> None:
        """From the home screen to Alex's (empty, unlocked) notes, through the palette."""
        self.wait_for("Last check-in")
        self.send(CTRL_P)
        self.wait_for("Search for commands")
        self.send(b"Notes for one")
        self.wait_for("never revealed (locked")  # the hit's description, not the typed words
        self.send(ENTER)
        self.wait_for("Whose notes?")
        self.send(ENTER)  # the first partner's button has the focus
        head = "Alex's notes, for Alex alone"
        deadline = time.monotonic() + STEP_TIMEOUT
        while time.monotonic() < deadline and "Open the notes" not in self.text(self.seen) and head not in self.text(self.seen):
            self._pump(0.05)
        if "Open the notes" in self.text(self.seen):  # notes already written: the look-away step first
            self.send(ENTER)  # "Open the notes" has the focus
        self.wait_for(head)

    def close_master(self) -> None:
        # Once only: closing the same number twice could close another round's
        # terminal, whose pty took that number meanwhile (rounds run side by side).
        master, self.master = self.master, -1
        if master < 0:
            return
        try:
            os.close(master)
        except OSError:
            pass

    def kill(self) -> None:
        if self.process.poll() is None:
            os.kill(self.process.pid, signal.SIGKILL)
        self.process.wait(timeout=10)
        self.close_master()


def one_round(
    db: Path, home: Path, exercise, marker: str, rng: random.Random, *, notes: bool = False,
) -> tuple[list[tuple[str, float]], float]:
    """Open the prompt (or with ``notes`` Alex's notes), type ``marker``, then type
    steadily; SIGKILL at a random moment.

    Returns the letters typed after the marker, each with the time it was sent,
    and the time of the kill.
    """
    term = Terminal(db, home)
    try:
        if notes:
            term.open_notes()
        else:
            term.open_text_prompt(exercise)
        # The text box takes the keyboard one refresh after the prompt is drawn:
        # letters only (a space on a still-focused Next button would press it),
        # seen echoed before the steady typing starts.
        term.type_into_text_box(marker)
        sent = term.steady_typing(rng.uniform(1.2, 3.0))
        if rng.random() < 0.75:
            pause = rng.uniform(0.02, KEY_EVERY - 0.02)  # between two keys of the steady typist
        else:
            pause = rng.uniform(0.5, 1.4)  # the typist stopped a moment before the kill
        term.linger(sent[-1][1] + pause - time.monotonic())
        killed = time.monotonic()
    finally:
        term.kill()
    return sent, killed


def saved_text(db: Path, exercise_id: str, prompt_id: str) -> str:
    store = Store.open(db)
    try:
        answers = [a for a in store.answers_for_exercise(exercise_id) if a.prompt_id == prompt_id and a.partner == "a"]
    finally:
        store.close()
    assert len(answers) <= 1, "two answers for one slot: the rounds did not share the sitting"
    return answers[0].value if answers else ""


def kept_after(text: str, marker: str, sent: list[tuple[str, float]]) -> int:
    """How many of the letters ``sent`` are saved right after ``marker``, in order.

    The last ``marker``: on a loaded machine it may have been typed twice (no
    echo within ECHO_TIMEOUT), and the steady typing follows the last one.
    """
    at = text.rfind(marker)
    if at < 0:
        return -1
    rest = text[at + len(marker):]
    kept = 0
    while kept < len(sent) and kept < len(rest) and rest[kept] == sent[kept][0]:
        kept += 1
    return kept


def new_workbook(db: Path) -> None:
    store = Store.open(db)
    store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    store.close()


def saved_notes(db: Path) -> str:
    with Store.open(db) as store:
        return store.read_notes("a")


def run_rounds(tmp: Path, rounds: int, tag: str, exercise, *, notes: bool = False) -> list[str]:
    db = tmp / f"workbook-{tag}.db"
    new_workbook(db)
    rng = random.Random(f"{SEED}-{tag}")
    kept_words: list[str] = []
    for n in range(rounds):
        marker = f"K{tag.upper()}{n}Q"
        sent, killed = one_round(db, tmp / f"home-{tag}", exercise, marker, rng, notes=notes)
        text = saved_notes(db) if notes else saved_text(db, exercise.id, exercise.prompts[0].id)
        must = sum(1 for _letter, when in sent if when <= killed - PROMISE)
        kept = kept_after(text, marker, sent)
        timing = ", ".join(f"{letter}@{killed - when:.2f}s" for letter, when in sent)
        assert kept >= must, (
            f"round {n + 1} (CRASH_SEED={SEED}): {must} letters were typed more than {PROMISE}s before "
            f"SIGKILL but {max(kept, 0)} were saved after {marker!r} (letter@seconds before the kill: {timing}); "
            f"the answer holds {text!r}"
        )
        word = marker + "".join(letter for letter, _ in sent[:kept])
        kept_words.append(word)
        missing = [w for w in kept_words if w not in text]
        assert not missing, f"round {n + 1} (CRASH_SEED={SEED}): lost {missing} saved earlier; the answer holds {text!r}"
    return kept_words


def test_sigkill_at_random_moments_of_steady_typing_loses_at_most_the_last_second_twenty_times(tmp_path):
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


def signal_round(tmp: Path, exercise, number: int, *, notes: bool = False) -> None:
    """Type steadily, then SIGHUP (terminal closed first) or SIGTERM 0.05 s after the last key;
    in the first prompt of ``exercise``, or with ``notes`` in Alex's notes for one."""
    tag = signal.Signals(number).name.lower() + ("-notes" if notes else "")
    db = tmp / f"workbook-{tag}.db"
    new_workbook(db)
    term = Terminal(db, tmp / f"home-{tag}")
    marker = f"{'N' if notes else 'S'}{number}Q"
    try:
        if notes:
            term.open_notes()
        else:
            term.open_text_prompt(exercise)
        term.type_into_text_box(marker)
        sent = term.steady_typing(1.0)
        term.linger(0.05)
        if number == signal.SIGHUP:
            term.close_master()  # the terminal window is gone
        os.kill(term.process.pid, number)
        code = term.process.wait(timeout=STEP_TIMEOUT)
    finally:
        term.kill()
    text = saved_notes(db) if notes else saved_text(db, exercise.id, exercise.prompts[0].id)
    assert kept_after(text, marker, sent) == len(sent), f"{tag}: typed {marker}+{''.join(l for l, _ in sent)}, saved {text!r}"
    assert code == 128 + number, f"{tag}: the app ended with {code}"


def test_sighup_and_sigterm_save_everything_typed(tmp_path):
    exercise = text_exercise()
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(signal_round, tmp_path, exercise, number) for number in (signal.SIGHUP, signal.SIGTERM)]
        for job in jobs:
            job.result()


def test_sighup_and_sigterm_save_notes_typed(tmp_path):
    """Notes for one are saved as an answer is: a closed terminal or `kill -TERM` 0.05 s
    after the last key keeps every letter (before, the notes were not among what the
    app flushes, and their own save ran after the workbook was closed)."""
    with ThreadPoolExecutor(2) as pool:
        jobs = [pool.submit(signal_round, tmp_path, None, number, notes=True) for number in (signal.SIGHUP, signal.SIGTERM)]
        for job in jobs:
            job.result()


NOTES_ROUNDS = 4  # the notes share the typing and the debounce with the answers: a few rounds show it


def test_sigkill_during_steady_typing_in_notes_loses_at_most_the_last_second(tmp_path):
    per_worker = NOTES_ROUNDS // WORKERS
    with ThreadPoolExecutor(WORKERS) as pool:
        jobs = [
            pool.submit(run_rounds, tmp_path, per_worker, f"n{chr(ord('a') + i)}", None, notes=True)
            for i in range(WORKERS)
        ]
        typed = [word for job in jobs for word in job.result()]
    assert len(typed) == NOTES_ROUNDS


HANGUP_ROUNDS = 8


def hangup_round(tmp: Path, n: int, rng: random.Random) -> str | None:
    """Start the app on its own terminal, close that terminal at a random moment; None if it ended."""
    db = tmp / f"workbook-hup-{n}.db"
    term = Terminal(db, tmp / f"home-hup-{n}", controlling=True)
    try:
        term.wait_for("Last check-in")  # the home screen is drawn
        term.linger(rng.uniform(0.0, 0.4))
        term.close_master()  # the window is closed: the kernel hangs the terminal up
        try:
            code = term.process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            return f"round {n + 1}: still running 10 s after its terminal was closed"
    finally:
        term.kill()
    if code not in (128 + signal.SIGHUP, -signal.SIGHUP):
        return f"round {n + 1}: ended with {code}"
    # The window lock went with it: the workbook opens in another window.
    store = Store.open(db)
    store.close()
    return None


def test_a_closed_terminal_ends_the_app_every_time(tmp_path):
    """Closing the terminal window ends the app within seconds, eight times out of eight.

    The kernel's hang-up sends SIGHUP and then SIGCONT; Textual's orderly
    shutdown after that could wait for ever on its output thread, and the app
    lived on, holding the workbook's window lock ("in use" at the next open).
    """
    rng = random.Random(f"{SEED}-hup")
    seeds = [rng.random() for _ in range(HANGUP_ROUNDS)]
    for n in range(HANGUP_ROUNDS):  # made one by one, before the rounds run side by side
        new_workbook(tmp_path / f"workbook-hup-{n}.db")
    with ThreadPoolExecutor(WORKERS) as pool:
        problems = list(pool.map(lambda n: hangup_round(tmp_path, n, random.Random(seeds[n])), range(HANGUP_ROUNDS)))
    problems = [p for p in problems if p]
    assert not problems, f"(CRASH_SEED={SEED}) " + "; ".join(problems)



def test_a_terminal_gone_without_a_hangup_signal_still_ends_the_app(tmp_path):
    """The terminal disappears and no SIGHUP comes (the app was not in the terminal's
    session, e.g. started by a `make run` whose shell went first): the app notices the
    terminal is gone and ends within seconds, its window lock with it.

    Before, Textual's output thread died on the first write to the dead terminal, the
    app then waited for ever to hand it the next frame, and the input thread spun on
    the closed terminal: 100 % of a core for good, and the workbook "in use".
    """
    db = tmp_path / "workbook-gone.db"
    new_workbook(db)
    term = Terminal(db, tmp_path / "home-gone")  # not its controlling terminal: no SIGHUP when it closes
    try:
        term.wait_for("Last check-in")
        term.linger(0.2)
        term.close_master()
        try:
            code = term.process.wait(timeout=15)
        except subprocess.TimeoutExpired:
            pytest.fail("still running 15 s after its terminal was gone")
    finally:
        term.kill()
    assert code == 128 + signal.SIGHUP  # ended as on a hang-up
    store = Store.open(db)  # the window lock went with it
    store.close()
