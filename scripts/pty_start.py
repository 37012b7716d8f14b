"""Start-up as a person meets it: an app on a pseudo-terminal, Textual's own driver.

Used by scripts/bench.py. ``pty_start(argv, env)`` starts one process on a new
pseudo-terminal (100x30, xterm-256color, Textual's Linux driver: the same code
path as a person's terminal, not the headless driver), reads everything it
writes, and stops the clock when the terminal has been sent the whole first
screen: the end of the first frame that carries the footer's "palette" key,
which both apps in the benchmark draw last. The pty answers Textual's question
"do you support synchronized output?" (DECRQM 2026) with yes, as most terminals
in use do (kitty, WezTerm, foot, iTerm2, Windows Terminal, Ghostty, tmux 3.4):
Textual then wraps each frame in begin/end marks, so the clock stops at the end
mark of that frame. A frame drawn before the answer has been read carries no
marks; it is over once the footer's row is: at the first cursor move after
"palette" (Textual moves the cursor before each line or piece it draws, and
once after the last, and the footer is the bottom row). (Guessing the end of a
frame from a pause in the output instead counted the small repaints that
follow the first frame -- a scrollbar, the footer, a second whole frame 30 ms
later -- and the pairs wandered from 0.9x to 2.5x.) If neither comes, 30 ms
without output ends the frame. Then the process is killed. Returns (seconds,
peak RSS in KiB, CPU seconds).

Nothing in either app knows it is timed.
"""

from __future__ import annotations

import fcntl
import os
import pty
import re
import select
import signal
import struct
import termios
import time

MARK = b"palette"
SYNC_QUERY = b"\x1b[?2026$p"
SYNC_YES = b"\x1b[?2026;2$y"  # DECRPM: mode 2026 recognised, currently reset
SYNC_END = b"\x1b[?2026l"
GIVE_UP_AFTER = 60.0


# After the footer's "palette", the first thing that is not part of the footer's
# row: a cursor move (Textual moves the cursor before every line or piece it
# draws, and once after the last), or the mark that ends a synchronized frame.
_CURSOR_MOVE = re.compile(rb"\x1b\[\d+;\d+H")


def _row_done(after_mark: bytes) -> bool:
    return SYNC_END in after_mark or _CURSOR_MOVE.search(after_mark) is not None


def _set_size(fd: int, cols: int, rows: int) -> None:
    fcntl.ioctl(fd, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))


def pty_start(argv: list[str], env: dict, size: tuple[int, int] = (100, 30)) -> tuple[float, int, float]:
    env = dict(env, TERM="xterm-256color", COLUMNS=str(size[0]), LINES=str(size[1]))
    env.pop("TEXTUAL_DRIVER", None)  # Textual's own terminal driver
    master, slave = pty.openpty()
    _set_size(slave, *size)
    start = time.perf_counter()
    pid = os.fork()
    if pid == 0:  # the child: the pty is its terminal
        try:
            os.setsid()
            fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
            for fd in (0, 1, 2):
                os.dup2(slave, fd)
            os.close(master)
            os.close(slave)
            os.execvpe(argv[0], argv, env)
        finally:
            os._exit(127)
    os.close(slave)
    seen = b""
    done_at = None
    answered = False
    try:
        while True:
            elapsed = time.perf_counter() - start
            if elapsed > GIVE_UP_AFTER:
                raise SystemExit(f"bench: {' '.join(argv[:4])} drew no whole first screen on a pty "
                                 f"within {GIVE_UP_AFTER:.0f} s; it wrote: {seen[-300:]!r}")
            wait = 0.03 if MARK in seen else 1.0
            ready, _, _ = select.select([master], [], [], wait)
            if not ready:
                if MARK in seen:
                    break  # the frame with the footer is over: nothing more came
                continue
            try:
                chunk = os.read(master, 65536)
            except OSError:
                chunk = b""
            if not chunk:
                raise SystemExit(f"bench: {' '.join(argv[:4])} ended before its first screen: {seen[-300:]!r}")
            now = time.perf_counter()
            seen += chunk
            if not answered and SYNC_QUERY in seen:
                answered = True
                os.write(master, SYNC_YES)
            if MARK in seen:
                done_at = now
                if _row_done(seen[seen.index(MARK):]):  # the end of the first frame with it
                    break
        # the time of the last byte of the frame that carried the footer
        elapsed = (done_at or time.perf_counter()) - start
    finally:
        try:
            os.kill(pid, signal.SIGKILL)
        except ProcessLookupError:
            pass
        _, status, usage = os.wait4(pid, 0)
        os.close(master)
    return elapsed, usage.ru_maxrss, usage.ru_utime + usage.ru_stime
