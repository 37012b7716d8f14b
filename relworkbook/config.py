"""The config file: TOML in the platform's user config folder (``paths.config_file``).

```toml
theme = "textual-light"                 # the theme to start with (one picked in the app wins)
workbook = "~/Documents/us.db"          # the default workbook (--db and RELWORKBOOK_HOME win)

[keymap]                                # binding id = keys, as Textual's App.set_keymap takes them
time-out = "f2,ctrl+b"
home = "f6"
```

Read on every start, so it costs almost nothing: a missing file is one
``stat`` and ``tomllib`` is imported only when there is a file to read. A file
that cannot be read or says something this version does not understand is one
line (``Config.problem``) and the defaults, never a traceback.
"""

from __future__ import annotations

import os
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


def load(path: Path | None = None) -> Config:
    """The config in force: the file's settings, or the defaults and one line saying why."""
    path = paths.config_file() if path is None else Path(path)
    try:
        os.stat(path)
    except FileNotFoundError:
        return Config(path)
    except OSError as error:
        return Config(path, True, problem=f"cannot read the config file {path}: {error.strerror or error}; using the defaults.")
    import tomllib

    try:
        with open(path, "rb") as handle:
            data = tomllib.load(handle)
    except OSError as error:
        return Config(path, True, problem=f"cannot read the config file {path}: {error.strerror or error}; using the defaults.")
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
