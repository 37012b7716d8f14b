"""The config file: TOML in the platform's user config folder (``paths.config_file``).

```toml
theme = "textual-light"                 # the theme to start with (one picked in the app wins)
workbook = "~/Documents/us.db"          # the default workbook (--db and RELWORKBOOK_HOME win)

[keymap]                                # binding id = keys, as Textual's App.set_keymap takes them
time-out = "f2,ctrl+b"
home = "f6"
```

Read on every start, so it costs almost nothing: a missing file is one
``stat`` and ``tomllib`` is imported only when there is a file to read. Only a
regular file of at most 64 KiB is read (a FIFO, a device or a huge file at the
path would hang or flood the start). A file
that cannot be read or says something this version does not understand is one
line (``Config.problem``) and the defaults, never a traceback.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import NamedTuple

from . import paths


class Config(NamedTuple):
    path: Path
    exists: bool = False
    theme: str | None = None
    workbook: Path | None = None
    keymap: dict[str, str] = {}
    problem: str | None = None  # one line: why the file was not used (the defaults are in force)


_KNOWN = ("theme", "workbook", "keymap")
# A config file is a few lines; anything bigger is not one (and is not read).
MAX_BYTES = 64 * 1024


def _read_small(path: Path) -> bytes | None:
    """The file's bytes, or None when what was opened is not a regular file of
    at most MAX_BYTES (it changed since the stat). Opened without blocking, so
    a FIFO swapped in after the stat cannot hang the start."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_CLOEXEC", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode) or info.st_size > MAX_BYTES:
            return None
        chunks, size = [], 0
        while size <= MAX_BYTES:
            chunk = os.read(fd, MAX_BYTES + 1 - size)
            if not chunk:
                break
            chunks.append(chunk)
            size += len(chunk)
        return None if size > MAX_BYTES else b"".join(chunks)
    finally:
        os.close(fd)


def load(path: Path | None = None) -> Config:
    """The config in force: the file's settings, or the defaults and one line saying why."""
    path = paths.config_file() if path is None else Path(path)
    try:
        info = os.stat(path)
    except FileNotFoundError:
        return Config(path)
    except OSError as error:
        return Config(path, True, problem=f"cannot read the config file {path}: {error.strerror or error}; using the defaults.")
    # A FIFO, a device (a link to /dev/zero), a folder or a huge file at the
    # config path would hang or flood the start: only a small regular file is read.
    if not stat.S_ISREG(info.st_mode):
        return Config(path, True, problem=f"the config file {path} is not a regular file; using the defaults.")
    if info.st_size > MAX_BYTES:
        return Config(path, True, problem=f"the config file {path} is {info.st_size} bytes, over the {MAX_BYTES // 1024} KiB a config file may be; using the defaults.")
    import tomllib

    try:
        raw = _read_small(path)
    except OSError as error:
        return Config(path, True, problem=f"cannot read the config file {path}: {error.strerror or error}; using the defaults.")
    if raw is None:
        return Config(path, True, problem=f"the config file {path} is not a regular file of at most {MAX_BYTES // 1024} KiB; using the defaults.")
    try:
        data = tomllib.loads(raw.decode("utf-8"))
    except (tomllib.TOMLDecodeError, UnicodeDecodeError) as error:
        reason = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        return Config(path, True, problem=f"the config file {path} is not valid TOML ({reason}); using the defaults.")
    try:
        return _parse(path, data)
    except ValueError as error:
        return Config(path, True, problem=f"the config file {path}: {error}; using the defaults.")


def _parse(path: Path, data: dict) -> Config:
    unknown = [key for key in data if key not in _KNOWN]
    if unknown:
        raise ValueError(f"unknown setting {unknown[0]!r} (known: {', '.join(_KNOWN)})")
    theme = data.get("theme")
    if theme is not None and (not isinstance(theme, str) or not theme.strip()):
        raise ValueError("theme must be a theme's name in quotes, e.g. theme = \"textual-light\"")
    workbook = data.get("workbook")
    if workbook is not None:
        if not isinstance(workbook, str) or not workbook.strip():
            raise ValueError("workbook must be a file path in quotes, e.g. workbook = \"~/us.db\"")
        workbook_path = Path(workbook).expanduser()
        if not workbook_path.is_absolute():
            # Relative to the config file, not to wherever the command was run.
            workbook_path = path.parent / workbook_path
    else:
        workbook_path = None
    keymap = data.get("keymap", {})
    if not isinstance(keymap, dict):
        raise ValueError("keymap must be a table: [keymap] then lines like home = \"f6\"")
    for binding_id, keys in keymap.items():
        if not isinstance(keys, str) or not keys.strip():
            raise ValueError(f"keymap: {binding_id} must be keys in quotes, e.g. {binding_id} = \"f6\" or \"f6,ctrl+h\"")
    return Config(path, True, theme.strip() if theme else None, workbook_path, dict(keymap))


def describe(config: Config, db: Path | None = None) -> str:
    """What ``relworkbook config`` prints: where the file is and what is in force, as TOML."""
    lines = [f"# config file: {config.path}"]
    if not config.exists:
        lines.append("# (no file there: the defaults are in force)")
    elif config.problem:
        lines.append(f"# not used: {config.problem}")
    lines.append("")
    theme = config.theme
    lines.append(f"theme = {_quote(theme)}" if theme else "# theme: not set (Textual's default, or the one last picked in the app)")
    if db is not None:
        lines.append(f"workbook = {_quote(str(db))}" + ("" if config.workbook == db else "  # in force (not from this file)"))
    lines.append("")
    lines.append("[keymap]")
    if config.keymap:
        lines.extend(f"{_key(binding_id)} = {_quote(keys)}" for binding_id, keys in sorted(config.keymap.items()))
    else:
        lines.append("# none: every key is as in the README and the Help screen (f1)")
    return "\n".join(lines) + "\n"


def _quote(text: str) -> str:
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def _key(name: str) -> str:
    import re

    return name if re.fullmatch(r"[A-Za-z0-9_-]+", name) else _quote(name)
