"""A Textual driver for scripts/bench.py: the app leaves at its first complete frame.

It is Textual's headless driver, except that it says it is not headless, so
the app renders and writes its frames as it would to a terminal; the frames
go nowhere, and the app is asked to leave as soon as a frame shows the
footer's key for the command palette, which both apps in the benchmark draw
last (a footer fills in its keys after the screen's first paint). So both the
bare Textual app and relworkbook are timed to the same point: the first frame
with their whole first screen on it. Nothing in the app knows it is timed.
"""

from __future__ import annotations

import asyncio
import os

from textual.drivers.headless_driver import HeadlessDriver

MARK = "palette"  # "^p palette", in both apps' footers
GIVE_UP_AFTER = 60.0  # seconds: a frame that never comes must not hang the benchmark


class FirstFrameDriver(HeadlessDriver):
    _leaving = False

    @property
    def is_headless(self) -> bool:
        return False

    def start_application_mode(self) -> None:
        super().start_application_mode()
        asyncio.get_running_loop().call_later(GIVE_UP_AFTER, self._give_up)

    def _give_up(self) -> None:
        if not self._leaving:
            self._leaving = True
            # Straight to fd 2: Textual captures sys.stderr while the app runs.
            os.write(2, f"first_frame: no frame showed {MARK!r} within {GIVE_UP_AFTER:.0f} s\n".encode())
            self._app.exit(return_code=1)

    def write(self, data: str) -> None:
        if not self._leaving and MARK in data:
            self._leaving = True
            self._app.exit()

    def flush(self) -> None:
        pass
