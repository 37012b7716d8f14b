"""The exercise catalogue: YAML files in, frozen model objects out.

A program folder holds ``steps.yaml`` (steps and metric declarations),
``support.yaml`` (where to find help) and one exercise per YAML file, usually in
a folder per step. ``load_catalog`` reads the shipped program plus any
counsellor packs; ``load_dir`` reads one folder alone; ``validate_dirs`` lists
every problem. The format is documented in ``docs/exercises.md``.

Files are read as YAML node trees (``yaml.compose``) rather than plain data so
every problem can name its line. A broken exercise file is skipped and reported
as a ``LoadError``; everything else still loads. In ``steps.yaml`` only the
broken step or metric entry is skipped, so one typo does not orphan a whole
step's exercises.

Nothing here imports Textual; ``yaml`` is imported on first use.
"""

from __future__ import annotations

import os
import stat
import sys
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Iterable, Sequence

from .escapes import PACK_CONTROL, escaped_char, one_line
from .kinds import KINDS
from .model import (
    BLANK_RE,
    EXERCISE_KINDS,
    PROMPT_TYPES,
    WHO,
    Band,
    Exercise,
    Instrument,
    LoadError,
    Metric,
    Prompt,
    Step,
    SupportLine,
    jacobson_truax,
)

__all__ = [
    "Catalog",
    "load_catalog",
    "load_dir",
    "validate_dirs",
    "format_errors",
    "STEPS_FILE",
    "SUPPORT_FILE",
]

STEPS_FILE = "steps.yaml"
SUPPORT_FILE = "support.yaml"
YAML_SUFFIXES = (".yaml", ".yml")
INSTRUMENT_METHODS = ("sum", "mean")

PROMPT_FIELDS: dict[str, tuple[str, ...]] = {t: k.fields for t, k in KINDS.items()}
_ALL_PROMPT_FIELDS = tuple(dict.fromkeys(f for fs in PROMPT_FIELDS.values() for f in fs))
EXERCISE_FIELDS = (
    "id", "title", "step", "order", "minutes", "kind", "intro", "tips", "prompts", "instruments",
)
STEP_FIELDS = ("id", "title", "order", "intro")
METRIC_FIELDS = ("title", "min", "max")
INSTRUMENT_FIELDS = ("id", "title", "prompts", "method", "bands", "reliable_change", "sd", "reliability", "note")
LOW_NOTE_FIELDS = ("at_most", "text")
BAND_FIELDS = ("name", "min", "max")
SUPPORT_FIELDS = ("intro", "lines")
SUPPORT_LINE_FIELDS = ("where", "service", "how")
STEPS_TOP_FIELDS = ("metrics", "steps")

DEFAULT_SCALE = (1, 10)

# What the app can draw, and read, without freezing: a pack beyond these is
# refused with FILE:LINE (docs/exercises.md lists them).
MAX_FILE_BYTES = 256 * 1024      # refused before it is read
MAX_SCALE_POINTS = 21            # e.g. 0..20; one button per point
MAX_OPTIONS = 30                 # checklist and choice
MAX_BLANKS = 20                  # template blanks
MAX_PROMPTS = 40                 # per exercise
MAX_ROUNDS = 10                  # turns
MAX_TIPS = 20
MAX_INSTRUMENTS = 10
MAX_BANDS = 12
MAX_TEXT = 10_000                # characters in one text field
MAX_ERRORS_PER_FILE = 25         # then one line says how many more

_TAG = "tag:yaml.org,2002:"
_STR, _INT, _FLOAT, _BOOL, _NULL = (_TAG + t for t in ("str", "int", "float", "bool", "null"))


# --------------------------------------------------------------------------- the catalogue


@dataclass(frozen=True)
class Catalog:
    """Everything the app knows about the program. Built by ``load_*``; never changed."""

    steps: tuple[Step, ...] = ()  # sorted by order
    exercises: tuple[Exercise, ...] = ()  # by step order, exercise order, id
    errors: tuple[LoadError, ...] = ()
    metrics: tuple[Metric, ...] = ()
    support_intro: str = ""
    support: tuple[SupportLine, ...] = ()
    _index: dict = field(default_factory=dict, init=False, repr=False, compare=False, hash=False)

    def __post_init__(self) -> None:
        self._index["steps"] = {s.id: s for s in self.steps}
        self._index["exercises"] = {e.id: e for e in self.exercises}
        self._index["metrics"] = {m.key: m for m in self.metrics}
        by_step: dict[str, list[Exercise]] = {}
        for exercise in self.exercises:
            by_step.setdefault(exercise.step, []).append(exercise)
        self._index["by_step"] = {k: tuple(v) for k, v in by_step.items()}

    def step(self, step_id: str) -> Step | None:
        return self._index["steps"].get(step_id)

    def exercise(self, exercise_id: str) -> Exercise | None:
        return self._index["exercises"].get(exercise_id)

    def exercises_for(self, step_id: str) -> tuple[Exercise, ...]:
        return self._index["by_step"].get(step_id, ())

    def checkin(self) -> Exercise | None:
        """The weekly check-in: the first exercise whose kind is ``checkin``."""
        for exercise in self.exercises:
            if exercise.kind == "checkin":
                return exercise
        return None

    def metric(self, key: str) -> Metric | None:
        return self._index["metrics"].get(key)

    def metric_title(self, key: str) -> str:
        metric = self.metric(key)
        return metric.title if metric else key.capitalize()

    def instruments(self) -> list[tuple[Exercise, Instrument]]:
        return [(e, i) for e in self.exercises for i in e.instruments]

    def prompt(self, exercise_id: str, prompt_id: str) -> Prompt | None:
        exercise = self.exercise(exercise_id)
        return exercise.prompt(prompt_id) if exercise else None


def format_errors(errors: Iterable[LoadError]) -> str:
    """One ``FILE:LINE: message`` per line (``FILE: message`` where no line applies).

    Every problem is one line: text from the file or its name is shown escaped.
    """
    lines = []
    for error in errors:
        file, message = one_line(error.file), one_line(error.message)
        if error.line > 0:
            lines.append(f"{file}:{error.line}: {message}")
        else:
            lines.append(f"{file}: {message}")
    return "\n".join(lines)


def _problem(file: str, line: int, message: str) -> LoadError:
    """A LoadError whose file name and message are one line, control characters escaped."""
    return LoadError(one_line(file), line, one_line(message))


# --------------------------------------------------------------------------- public loaders


def load_catalog(extra_dirs: Sequence[Path | str] = (), *, shipped: bool = True) -> Catalog:
    """The shipped program (unless ``shipped=False``) plus counsellor packs, in order.

    A pack adds steps, metrics and exercises; it may have no ``steps.yaml`` and only
    add exercises to existing steps. A pack's ``support.yaml`` replaces the shipped one.
    """
    dirs: list[Path | str] = []
    if shipped:
        from .paths import shipped_exercises_dir

        dirs.append(shipped_exercises_dir())
    dirs.extend(extra_dirs)
    return _load_cached(dirs)


# --------------------------------------------------------------------------- the parsed-catalogue cache

# Reading forty YAML files (and importing PyYAML) was a third of the app's
# start-up. The assembled Catalog is kept in one owner-only file in the user
# cache folder (paths.cache_dir, never the data folder beside the workbook), with the size and modification time of every file under each
# exercise folder (and of the code that parses them); any change to any of
# them, a file added or removed, and the files are read again.

CACHE_NAME = "catalog.pickle"
_CACHE_FORMAT = 1


def _tree_stamp(folder: Path | str) -> tuple:
    base = Path(folder)
    found: list[tuple[str, int, int]] = []
    try:
        for root, dirnames, filenames in os.walk(base):
            dirnames.sort()
            for name in sorted(filenames):
                path = os.path.join(root, name)
                st = os.stat(path)
                found.append((path, st.st_mtime_ns, st.st_size))
    except OSError:
        return (str(base), None)
    return (str(base), base.is_dir(), tuple(found))


def _cache_key(dirs: Sequence[Path | str]) -> tuple:
    code = []
    for module in (__file__, os.path.join(os.path.dirname(__file__), "model.py")):
        try:
            st = os.stat(module)
            code.append((module, st.st_mtime_ns, st.st_size))
        except OSError:
            code.append((module, None))
    return (_CACHE_FORMAT, sys.version, tuple(code), tuple(_tree_stamp(d) for d in dirs))


def _cache_file() -> Path:
    from .paths import cache_dir

    return cache_dir() / CACHE_NAME


def _load_cached(dirs: Sequence[Path | str]) -> Catalog:
    import pickle

    try:
        key = _cache_key(dirs)
        path = _cache_file()
    except Exception:
        return _assemble(dirs)
    try:
        st = os.stat(path)
        # Only a file this user wrote and nobody else can change is trusted.
        owner = os.getuid() if hasattr(os, "getuid") else st.st_uid
        if st.st_uid == owner and not st.st_mode & 0o022:
            with open(path, "rb") as handle:
                stored_key, catalog = pickle.load(handle)
            if stored_key == key and isinstance(catalog, Catalog):
                return catalog
    except Exception:  # missing, damaged or from another version: read the files
        pass
    catalog = _assemble(dirs)
    try:
        from .files import make_private_dir, write_atomic

        make_private_dir(path.parent)
        write_atomic(path, pickle.dumps((key, catalog), protocol=pickle.HIGHEST_PROTOCOL))
    except Exception:  # a read-only cache folder only costs the next start its speed
        pass
    return catalog


def load_dir(path: Path | str) -> Catalog:
    """One folder alone, nothing shipped."""
    return _assemble([path])


def validate_dirs(dirs: Sequence[Path | str], *, shipped: bool | None = None) -> list[LoadError]:
    """Every problem found when the given folders are loaded together.

    ``shipped=None`` (the default) loads a pack the way the app would: on top of
    the shipped program, so a pack that only adds exercises to shipped steps is
    valid. The shipped folder is never loaded twice. ``shipped=False`` checks the
    folders alone.
    """
    folders: list[Path | str] = list(dirs)
    if shipped is None or shipped:
        from .paths import shipped_exercises_dir

        home = shipped_exercises_dir()
        if not any(_same_dir(d, home) for d in folders):
            folders.insert(0, home)
    return list(_assemble(folders).errors)


def _same_dir(a: Path | str, b: Path | str) -> bool:
    try:
        return Path(a).resolve() == Path(b).resolve()
    except OSError:
        return False


# --------------------------------------------------------------------------- assembling


# The parsed-file records below are plain classes rather than dataclasses: they are
# private, and building dataclasses costs startup time on every launch.


class _Record:
    __slots__ = ()

    def __init__(self, *args, **kwargs) -> None:
        names = self.__slots__
        defaults = getattr(type(self), "_defaults", {})
        values = dict(zip(names, args))
        values.update(kwargs)
        for name in names:
            object.__setattr__(self, name, values[name] if name in values else defaults[name])

    def __repr__(self) -> str:
        inner = ", ".join(f"{n}={getattr(self, n)!r}" for n in self.__slots__)
        return f"{type(self).__name__}({inner})"


class _MetricUse(_Record):
    __slots__ = ("key", "range", "line")


class _ParsedExercise(_Record):
    __slots__ = ("file", "exercise", "errors", "id", "id_line", "step", "step_line", "metric_uses")
    _defaults = {"id": None, "id_line": 0, "step": None, "step_line": 0, "metric_uses": ()}


class _ParsedSteps(_Record):
    # steps with the line of each id; metrics as (Metric, line of its key)
    __slots__ = ("file", "steps", "id_lines", "metrics", "errors")


class _ParsedSupport(_Record):
    __slots__ = ("file", "intro", "lines", "errors")


def _assemble(dirs: Sequence[Path | str]) -> Catalog:
    errors: list[LoadError] = []
    steps: dict[str, tuple[Step, str, int]] = {}  # id -> (step, file, line)
    step_pos: dict[str, int] = {}
    metrics: dict[str, tuple[Metric, str, int]] = {}
    support: _ParsedSupport | None = None
    exercise_files: list[tuple[str, Path]] = []

    for folder in dirs:
        display = str(folder)
        base = Path(folder)
        if not base.is_dir():
            errors.append(_problem(display, 0, "folder not found — check the path to the exercises folder"))
            continue
        steps_path = base / STEPS_FILE
        if _present(steps_path):
            parsed = _cached(_parse_steps, str(Path(display) / STEPS_FILE), steps_path)
            errors.extend(parsed.errors)
            for step, id_line in zip(parsed.steps, parsed.id_lines):
                if step.id in steps:
                    _, other_file, other_line = steps[step.id]
                    errors.append(_problem(parsed.file, id_line,
                        f"duplicate step id '{step.id}' — already used at {other_file}:{other_line}; "
                        "give this step its own id"))
                    continue
                steps[step.id] = (step, parsed.file, id_line)
                step_pos[step.id] = len(step_pos)
            for metric, line in parsed.metrics:
                known = metrics.get(metric.key)
                if known is None:
                    metrics[metric.key] = (metric, parsed.file, line)
                elif (known[0].min, known[0].max) != (metric.min, metric.max):
                    errors.append(_problem(parsed.file, line,
                        f"metric '{metric.key}' is declared as {metric.min}..{metric.max} here but as "
                        f"{known[0].min}..{known[0].max} at {known[1]}:{known[2]} — a metric has one "
                        "range everywhere; use the same min and max or another key"))
        support_path = base / SUPPORT_FILE
        if _present(support_path):
            parsed_support = _cached(_parse_support, str(Path(display) / SUPPORT_FILE), support_path)
            errors.extend(parsed_support.errors)
            if not parsed_support.errors:
                support = parsed_support
        for path in _exercise_files(base):
            rel = path.relative_to(base)
            exercise_files.append((str(Path(display) / rel), path))

    exercises: list[Exercise] = []
    seen_ids: dict[str, tuple[str, int]] = {}
    seen_instruments: dict[str, tuple[str, int]] = {}
    for display, path in exercise_files:
        parsed_ex = _cached(_parse_exercise, display, path)
        problems = list(parsed_ex.errors)
        if parsed_ex.id is not None:
            if parsed_ex.id in seen_ids:
                other = seen_ids[parsed_ex.id]
                problems.append(_problem(display, parsed_ex.id_line,
                    f"duplicate exercise id '{parsed_ex.id}' — already used at {other[0]}:{other[1]}; "
                    "give this exercise its own id"))
            else:
                seen_ids[parsed_ex.id] = (display, parsed_ex.id_line)
        if parsed_ex.step is not None and parsed_ex.step not in steps:
            known_steps = ", ".join(steps) or "(none: add steps to steps.yaml)"
            problems.append(_problem(display, parsed_ex.step_line,
                f"unknown step '{parsed_ex.step}' — use one of: {known_steps}"))
        for use in parsed_ex.metric_uses:
            declared = metrics.get(use.key)
            if declared is None:
                problems.append(_problem(display, use.line,
                    f"metric '{use.key}' is not declared — add it to steps.yaml under metrics:, "
                    f"e.g. {use.key}: {{title: {use.key.capitalize()}, min: {use.range[0]}, max: {use.range[1]}}}"))
            else:
                metric, mfile, mline = declared
                if (metric.min, metric.max) != use.range:
                    problems.append(_problem(display, use.line,
                        f"metric '{use.key}' runs {use.range[0]}..{use.range[1]} here but "
                        f"{metric.min}..{metric.max} as declared at {mfile}:{mline} — a metric has one "
                        "range everywhere; change min/max (or the options) here, or use another metric"))
        exercise = parsed_ex.exercise
        if exercise is not None and not problems:
            for instrument in exercise.instruments:
                if instrument.id in seen_instruments:
                    other = seen_instruments[instrument.id]
                    problems.append(_problem(display, instrument.line,
                        f"duplicate instrument id '{instrument.id}' — already used at {other[0]}:{other[1]}; "
                        "give this instrument its own id"))
            if not problems:
                for instrument in exercise.instruments:
                    seen_instruments[instrument.id] = (display, instrument.line)
        errors.extend(problems)
        if exercise is not None and not problems:
            exercises.append(exercise)

    # A suggestion must name an exercise that loaded (from any folder).
    known = {e.id for e in exercises}
    kept: list[Exercise] = []
    for exercise in exercises:
        bad = [(p, target) for p in exercise.prompts for _, target in p.suggests if target not in known]
        for prompt, target in bad:
            errors.append(_problem(exercise.source, prompt.line,
                f"prompt '{prompt.id}' suggests exercise '{target}', which does not exist — use the id "
                "of an exercise in the program"))
        if not bad:
            kept.append(exercise)
    exercises = kept

    ordered_steps = sorted((s for s, _, _ in steps.values()), key=lambda s: (s.order, step_pos[s.id]))
    rank = {s.id: i for i, s in enumerate(ordered_steps)}
    exercises.sort(key=lambda e: (rank.get(e.step, len(rank)), e.order, e.id))
    return Catalog(
        steps=tuple(ordered_steps),
        exercises=tuple(exercises),
        errors=tuple(errors),
        metrics=tuple(m for m, _, _ in metrics.values()),
        support_intro=support.intro if support else "",
        support=support.lines if support else (),
    )


def _present(path: Path) -> bool:
    """There is something by this name that is not a folder (a FIFO, a device or a
    dangling link is read and refused with a line, never silently skipped)."""
    return os.path.lexists(path) and not path.is_dir()


def _exercise_files(base: Path) -> list[Path]:
    """Every YAML file under ``base`` except the top-level steps and support files."""
    found: list[Path] = []
    for root, dirnames, filenames in os.walk(base):
        dirnames[:] = sorted(d for d in dirnames if not d.startswith((".", "_")))
        for name in sorted(filenames):
            if name.startswith(".") or not name.endswith(YAML_SUFFIXES):
                continue
            path = Path(root) / name
            if Path(root) == base and name in (STEPS_FILE, SUPPORT_FILE):
                continue
            found.append(path)
    return found


# Parsing one file depends only on that file, so the result is kept until the file
# changes: reloading a catalogue (or validating after an edit) only re-reads edits.
_CACHE: dict[tuple[str, str, str], tuple[tuple[int, int], Any]] = {}


def _cached(parse, display: str, path: Path):
    key = (parse.__name__, display, str(path.resolve()))
    try:
        st = path.stat()
        stamp = (st.st_mtime_ns, st.st_size)
    except OSError:
        stamp = (-1, -1)
    hit = _CACHE.get(key)
    if hit is not None and hit[0] == stamp and stamp != (-1, -1):
        return hit[1]
    try:
        result = parse(display, path)
    except Exception as exc:  # a file must never stop the app from starting
        error = _problem(display, 1, f"could not read this file ({type(exc).__name__}: {exc}) — "
                                      "check it against docs/exercises.md")
        if parse is _parse_steps:
            result = _ParsedSteps(display, (), (), (), (error,))
        elif parse is _parse_support:
            result = _ParsedSupport(display, "", (), (error,))
        else:
            result = _ParsedExercise(display, None, (error,))
    result = _capped(result)
    _CACHE[key] = (stamp, result)
    return result


def _capped(result):
    """At most MAX_ERRORS_PER_FILE problems per file, then one line with how many more."""
    errors = result.errors
    if len(errors) <= MAX_ERRORS_PER_FILE:
        return result
    kept = tuple(errors[:MAX_ERRORS_PER_FILE])
    more = len(errors) - MAX_ERRORS_PER_FILE
    last = max(e.line for e in kept)
    kept += (_problem(kept[0].file, last, f"... and {more} more problems in this file (only the first "
                                          f"{MAX_ERRORS_PER_FILE} are listed) — fix these and check again"),)
    object.__setattr__(result, "errors", kept)
    return result


# --------------------------------------------------------------------------- reading YAML


class _Reader:
    """Reads one file's node tree, collecting problems with their lines."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.errors: list[LoadError] = []

    def error(self, where: Any, message: str) -> None:
        line = where if isinstance(where, int) else _line(where)
        self.errors.append(_problem(self.file, line, message))

    # -- loading

    def read(self, path: Path) -> bytes | None:
        """The file's bytes: only a regular file (links followed; never a FIFO or
        a device, which could block or never end) of at most MAX_FILE_BYTES,
        which is checked before reading and again while reading."""
        limit = f"{MAX_FILE_BYTES // 1024} KiB"
        size = 0
        data = b""
        try:
            st = os.stat(path)
            size = st.st_size
            if stat.S_ISREG(st.st_mode) and size <= MAX_FILE_BYTES:
                flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_NOCTTY", 0)
                fd = os.open(path, flags)
                try:
                    st = os.fstat(fd)  # the file actually opened (it may have been swapped)
                    size = st.st_size
                    if stat.S_ISREG(st.st_mode) and size <= MAX_FILE_BYTES:
                        chunks: list[bytes] = []
                        size = 0
                        while size <= MAX_FILE_BYTES:  # a file that grows is cut off here
                            chunk = os.read(fd, 65536)
                            if not chunk:
                                break
                            chunks.append(chunk)
                            size += len(chunk)
                        data = b"".join(chunks)
                finally:
                    os.close(fd)
        except OSError as exc:
            self.error(1, f"cannot read the file ({exc.strerror or exc}) — check it exists and is readable")
            return None
        if not stat.S_ISREG(st.st_mode):
            kind = ("a named pipe (FIFO)" if stat.S_ISFIFO(st.st_mode) else
                    "a device" if stat.S_ISCHR(st.st_mode) or stat.S_ISBLK(st.st_mode) else
                    "a socket" if stat.S_ISSOCK(st.st_mode) else "not a plain file")
            self.error(1, f"this is {kind}, not a regular file — an exercise file must be a plain YAML file")
            return None
        if size > MAX_FILE_BYTES:
            self.error(1, f"the file is {size:,} bytes, over the limit of {limit} — split it into "
                          "smaller exercise files")
            return None
        return data

    def compose(self, path: Path):
        """The file's root node, or None (with an error) if it cannot be read."""
        import yaml

        data = self.read(path)
        if data is None:
            return None
        try:
            text = data.decode("utf-8-sig")
        except UnicodeDecodeError as exc:
            line = data.count(b"\n", 0, exc.start) + 1
            self.error(line, f"not UTF-8 text (byte 0x{data[exc.start]:02x} on this line) — "
                             "save the file as UTF-8")
            return None
        loader = getattr(yaml, "CSafeLoader", None) or yaml.SafeLoader
        try:
            node = yaml.compose(text, Loader=loader)
        except yaml.MarkedYAMLError as exc:
            mark = exc.problem_mark or exc.context_mark
            line = mark.line + 1 if mark is not None else 1
            what = exc.problem or exc.context or "invalid YAML"
            context = exc.context_mark
            if exc.problem and exc.context and context is not None and context.line + 1 != line:
                what += f" ({exc.context} that starts on line {context.line + 1})"
            self.error(line, f"YAML syntax error: {what} — check indentation, colons, quotes and brackets")
            return None
        except yaml.reader.ReaderError as exc:  # a raw control character in the file
            position = getattr(exc, "position", 0) or 0
            char = exc.character if isinstance(exc.character, str) else chr(exc.character or 0)
            self.error(text.count("\n", 0, position) + 1,
                       f"the control character {escaped_char(char)} is in the file, which could drive the "
                       "terminal (an escape sequence) — remove it; only line breaks and tabs may be written")
            return None
        except yaml.YAMLError as exc:
            self.error(1, f"YAML error: {exc} — check the file's syntax")
            return None
        if node is None:
            self.error(1, "the file is empty — write the fields described in docs/exercises.md")
        return node

    # -- structure

    def mapping(self, node, what: str, allowed: Sequence[str]) -> dict[str, tuple[Any, Any]] | None:
        """Keys of a mapping node -> (key node, value node); reports unknown and repeated keys."""
        if not _is(node, "mapping"):
            self.error(node, f"{what} should be a mapping of fields (name: value), not {_kind(node)}")
            return None
        out: dict[str, tuple[Any, Any]] = {}
        for key_node, value_node in node.value:
            if not _is(key_node, "scalar"):
                self.error(key_node, f"a field name in {what} should be a plain word, not {_kind(key_node)}")
                continue
            name = key_node.value
            if name in out:
                self.error(key_node, f"field '{name}' appears twice in {what} — keep one")
                continue
            if name not in allowed:
                self.error(key_node, _unknown_field(name, what, allowed))
                continue
            out[name] = (key_node, value_node)
        return out

    def sequence(self, fields, name: str, what: str) -> list | None:
        if name not in fields:
            return None
        node = fields[name][1]
        if _is_null(node):
            return []
        if not _is(node, "sequence"):
            self.error(node, f"'{name}' in {what} should be a list, not {_kind(node)} — write it as [a, b] or '- a' lines")
            return None
        return list(node.value)

    # -- scalars

    def text(self, fields, name: str, what: str, *, required: bool = False, where=None) -> str | None:
        if name not in fields:
            if required:
                self.error(where, f"{what} has no '{name}' — add {name}: ...")
            return None
        node = fields[name][1]
        value = self.scalar_text(node, f"'{name}' in {what}")
        if value is None:
            return None
        if required and not value.strip():
            self.error(node, f"'{name}' in {what} is empty — write something after {name}:")
            return None
        return value

    def scalar_text(self, node, what: str) -> str | None:
        if not _is(node, "scalar"):
            self.error(node, f"{what} should be text, not {_kind(node)} — put it in quotes if it has a colon or brackets")
            return None
        if node.tag == _NULL:
            return ""
        # The source text as written: `Yes` stays "Yes", `1.10` stays "1.10".
        value = node.value
        bad = PACK_CONTROL.search(value)
        if bad:
            self.error(node, f"{what} holds the control character {escaped_char(bad.group(0))}, which could "
                             "drive the terminal (an escape sequence) — remove it; only line breaks and tabs "
                             "may be written")
            return None
        if len(value) > MAX_TEXT:
            self.error(node, f"{what} is {len(value):,} characters long, over the limit of {MAX_TEXT:,} — "
                             "shorten it or split the exercise")
            return None
        return value

    def ident(self, fields, name: str, what: str, *, required: bool = True, where=None) -> str | None:
        value = self.text(fields, name, what, required=required, where=where)
        if value is None:
            return None
        value = value.strip()
        if not _is_ident(value):
            self.error(fields[name][1], f"'{name}' '{value}' in {what} should be one word of letters, digits, "
                                        "'-' or '_' (like rc-signs)")
            return None
        return value

    def integer(self, fields, name: str, what: str, *, default: int | None = None,
                required: bool = False, where=None, minimum: int | None = None) -> int | None:
        if name not in fields:
            if required:
                self.error(where, f"{what} has no '{name}' — add {name}: followed by a whole number")
            return default
        node = fields[name][1]
        value = _as_int(node)
        if value is None:
            self.error(node, f"'{name}' in {what} should be a whole number, not {_show(node)}")
            return default
        if minimum is not None and value < minimum:
            self.error(node, f"'{name}' in {what} should be at least {minimum}, not {value}")
            return default
        return value

    def number(self, fields, name: str, what: str, *, default: float | None = None) -> float | None:
        if name not in fields:
            return default
        node = fields[name][1]
        value = _as_number(node)
        if value is None:
            self.error(node, f"'{name}' in {what} should be a number, not {_show(node)}")
            return default
        return value

    def boolean(self, fields, name: str, what: str, *, default: bool = False) -> bool:
        if name not in fields:
            return default
        node = fields[name][1]
        if getattr(node, "tag", None) == _BOOL:
            return node.value.lower() in ("true", "yes", "on", "y")
        self.error(node, f"'{name}' in {what} should be true or false, not {_show(node)}")
        return default

    def text_list(self, fields, name: str, what: str) -> tuple[str, ...] | None:
        items = self.sequence(fields, name, what)
        if items is None:
            return None
        out: list[str] = []
        ok = True
        for item in items:
            value = self.scalar_text(item, f"each item of '{name}' in {what}")
            if value is None:
                ok = False
                continue
            if not value.strip():
                self.error(item, f"an item of '{name}' in {what} is empty — remove it or write it out")
                ok = False
                continue
            out.append(value)
        return tuple(out) if ok else None


# --------------------------------------------------------------------------- steps.yaml


def _parse_steps(display: str, path: Path) -> _ParsedSteps:
    r = _Reader(display)
    steps: list[Step] = []
    id_lines: list[int] = []
    metrics: list[tuple[Metric, int]] = []
    root = r.compose(path)
    top = r.mapping(root, "steps.yaml", STEPS_TOP_FIELDS) if root is not None else None
    if top is not None:
        for item in r.sequence(top, "steps", "steps.yaml") or []:
            before = len(r.errors)
            f = r.mapping(item, "a step", STEP_FIELDS)
            if f is None:
                continue
            step_id = r.ident(f, "id", "a step", where=item)
            what = f"step '{step_id}'" if step_id else "a step"
            title = r.text(f, "title", what, required=True, where=item)
            order = r.integer(f, "order", what, default=None)
            intro = r.text(f, "intro", what) or ""
            if len(r.errors) > before or step_id is None or title is None:
                continue
            if step_id in {s.id for s in steps}:
                continue  # reported when assembling, with the first one's line
            steps.append(Step(id=step_id, title=title.strip(), order=order if order is not None else len(steps) + 1,
                              intro=intro.strip(), source=display, line=_line(item)))
            id_lines.append(_line(f["id"][1]))
        if "metrics" in top:
            node = top["metrics"][1]
            m = r.mapping(node, "metrics", _AnyKey()) if not _is_null(node) else {}
            seen: set[str] = set()
            for key, (key_node, value_node) in (m or {}).items():
                before = len(r.errors)
                if not _is_ident(key):
                    r.error(key_node, f"metric key '{key}' should be one word of letters, digits, '-' or '_'")
                    continue
                what = f"metric '{key}'"
                f = r.mapping(value_node, what, METRIC_FIELDS) if not _is_null(value_node) else {}
                if f is None:
                    continue
                title = r.text(f, "title", what) or key.capitalize()
                lo = r.integer(f, "min", what, default=DEFAULT_SCALE[0])
                hi = r.integer(f, "max", what, default=DEFAULT_SCALE[1])
                if len(r.errors) > before:
                    continue
                if lo >= hi:
                    r.error(f.get("min", (key_node, key_node))[1],
                            f"{what} has min {lo} and max {hi} — min must be below max")
                    continue
                seen.add(key)
                metrics.append((Metric(key=key, title=title.strip(), min=lo, max=hi), _line(key_node)))
    # Duplicate step ids inside this one file are reported here, with their lines.
    errors = list(r.errors)
    if top is not None:
        counted: dict[str, int] = {}
        for item in r.sequence(top, "steps", "steps.yaml") or []:
            f = _quiet_mapping(item)
            if f is None or "id" not in f:
                continue
            sid = getattr(f["id"][1], "value", None)
            if not isinstance(sid, str):
                continue
            sid = sid.strip()
            if sid in counted:
                errors.append(_problem(display, _line(f["id"][1]),
                    f"duplicate step id '{sid}' — already used at {display}:{counted[sid]}; give this step its own id"))
            else:
                counted[sid] = _line(f["id"][1])
    return _ParsedSteps(display, tuple(steps), tuple(id_lines), tuple(metrics), tuple(errors))


class _AnyKey(tuple):
    """An ``allowed`` list that accepts every key (metric names are free)."""

    def __contains__(self, item) -> bool:  # noqa: D401
        return True


def _quiet_mapping(node) -> dict | None:
    if not _is(node, "mapping"):
        return None
    return {k.value: (k, v) for k, v in node.value if _is(k, "scalar")}


# --------------------------------------------------------------------------- support.yaml


def _parse_support(display: str, path: Path) -> _ParsedSupport:
    r = _Reader(display)
    root = r.compose(path)
    top = r.mapping(root, "support.yaml", SUPPORT_FIELDS) if root is not None else None
    intro = ""
    lines: list[SupportLine] = []
    if top is not None:
        intro = (r.text(top, "intro", "support.yaml") or "").strip()
        for item in r.sequence(top, "lines", "support.yaml") or []:
            f = r.mapping(item, "a support line", SUPPORT_LINE_FIELDS)
            if f is None:
                continue
            values = [r.text(f, name, "a support line", required=True, where=item) for name in SUPPORT_LINE_FIELDS]
            if all(v is not None for v in values):
                lines.append(SupportLine(*(v.strip() for v in values)))
    return _ParsedSupport(display, intro, tuple(lines), tuple(r.errors))


# --------------------------------------------------------------------------- one exercise


def _parse_exercise(display: str, path: Path) -> _ParsedExercise:
    r = _Reader(display)
    root = r.compose(path)
    if root is None:
        return _ParsedExercise(display, None, tuple(r.errors))
    f = r.mapping(root, "an exercise file (the top level)", EXERCISE_FIELDS)
    if f is None:
        return _ParsedExercise(display, None, tuple(r.errors))

    ex_id = r.ident(f, "id", "the exercise", where=root)
    what = f"exercise '{ex_id}'" if ex_id else "the exercise"
    title = r.text(f, "title", what, required=True, where=root)
    step = r.ident(f, "step", what, where=root)
    order = r.integer(f, "order", what, default=0)
    minutes = r.integer(f, "minutes", what, required=True, where=root, minimum=1)
    kind = r.text(f, "kind", what)
    if kind is not None:
        kind = kind.strip()
        if kind not in EXERCISE_KINDS:
            r.error(f["kind"][1], f"unknown kind '{kind}' — use one of: {', '.join(EXERCISE_KINDS)}")
            kind = None
    intro = r.text(f, "intro", what) or ""
    tips = r.text_list(f, "tips", what) or ()
    if len(tips) > MAX_TIPS:
        r.error(f["tips"][1], f"{what} has {len(tips):,} tips; at most {MAX_TIPS} — keep the best ones")

    prompts: list[Prompt] = []
    all_prompt_ids: set[str] = set()
    metric_uses: list[_MetricUse] = []
    prompt_nodes = r.sequence(f, "prompts", what)
    if prompt_nodes is None and "prompts" not in f:
        r.error(root, f"{what} has no prompts — add a 'prompts:' list with at least one prompt")
    elif prompt_nodes == []:
        r.error(f["prompts"][0], f"{what} has an empty prompts list — add at least one prompt")
    elif prompt_nodes is not None and len(prompt_nodes) > MAX_PROMPTS:
        r.error(f["prompts"][0], f"{what} has {len(prompt_nodes):,} prompts; at most {MAX_PROMPTS} — "
                                 "split it into several exercises")
        prompt_nodes = []
    seen_prompt_lines: dict[str, int] = {}
    for node in prompt_nodes or []:
        prompt, use, pid = _parse_prompt(r, node, what)
        if pid is not None:
            if pid in seen_prompt_lines:
                id_node = _quiet_mapping(node)["id"][1]
                r.error(id_node, f"duplicate prompt id '{pid}' in {what} — already used on line "
                                 f"{seen_prompt_lines[pid]}; give each prompt its own id")
                continue
            seen_prompt_lines[pid] = _line(_quiet_mapping(node)["id"][1])
            all_prompt_ids.add(pid)
        if prompt is not None:
            if use is not None:
                twice = next((u for u in metric_uses if u.key == use.key), None)
                if twice is not None:
                    # One rating per partner per metric per sitting: a second would never count (trends.counting_order).
                    r.error(_quiet_mapping(node)["metric"][1],
                            f"prompt '{prompt.id}' feeds metric '{use.key}', which the prompt on line "
                            f"{twice.line} already feeds — one prompt per metric in an exercise; "
                            "take 'metric' off one of them")
                    continue
                metric_uses.append(use)
            prompts.append(prompt)

    instruments: list[Instrument] = []
    by_id = {p.id: p for p in prompts}
    seen_instruments: set[str] = set()
    instrument_nodes = r.sequence(f, "instruments", what) or []
    if len(instrument_nodes) > MAX_INSTRUMENTS:
        r.error(f["instruments"][1], f"{what} has {len(instrument_nodes):,} instruments; at most {MAX_INSTRUMENTS}")
        instrument_nodes = []
    for node in instrument_nodes:
        instrument = _parse_instrument(r, node, what, by_id, all_prompt_ids)
        if instrument is None:
            continue
        if instrument.id in seen_instruments:
            r.error(instrument.line, f"duplicate instrument id '{instrument.id}' in {what} — give each its own id")
            continue
        seen_instruments.add(instrument.id)
        instruments.append(instrument)

    id_line = _line(f["id"][1]) if "id" in f else _line(root)
    step_line = _line(f["step"][1]) if "step" in f else _line(root)
    exercise = None
    if not r.errors and ex_id and title is not None and step and minutes is not None:
        exercise = Exercise(
            id=ex_id, title=title.strip(), step=step, intro=intro.strip(), minutes=minutes,
            prompts=tuple(prompts), order=order or 0, kind=kind or "exercise",
            tips=tuple(t.strip() for t in tips), instruments=tuple(instruments),
            source=display, line=_line(root),
        )
    return _ParsedExercise(display, exercise, tuple(r.errors), id=ex_id, id_line=id_line,
                           step=step, step_line=step_line, metric_uses=tuple(metric_uses))


def _parse_prompt(r: _Reader, node, exercise_what: str) -> tuple[Prompt | None, _MetricUse | None, str | None]:
    before = len(r.errors)
    raw = _quiet_mapping(node)
    if raw is None:
        r.error(node, f"each prompt in {exercise_what} should be a mapping (id: ..., type: ...), not {_kind(node)}")
        return None, None, None
    # Work out the type first so unknown fields can be judged against it.
    ptype = None
    if "type" in raw:
        ptype = r.scalar_text(raw["type"][1], "'type' of a prompt")
        if ptype is not None:
            ptype = ptype.strip()
            if ptype not in PROMPT_TYPES:
                r.error(raw["type"][1], f"unknown prompt type '{ptype}' — use one of: {', '.join(PROMPT_TYPES)}")
                ptype = None
    allowed = PROMPT_FIELDS[ptype] if ptype else _ALL_PROMPT_FIELDS
    what_type = f"a {ptype} prompt" if ptype else "a prompt"
    f = r.mapping(node, what_type, allowed)
    if f is None:
        return None, None, None
    pid = r.ident(f, "id", f"a prompt in {exercise_what}", where=node)
    what = f"prompt '{pid}'" if pid else what_type
    if "type" not in f:
        r.error(node, f"{what} has no 'type' — add type: with one of: {', '.join(PROMPT_TYPES)}")
    text = r.text(f, "text", what, required=ptype not in (None, "template"), where=node)
    who = r.text(f, "who", what)
    if who is not None:
        who = who.strip()
        if who not in WHO:
            r.error(f["who"][1], f"unknown who '{who}' — use one of: {', '.join(WHO)}")
            who = None
    help_text = r.text(f, "help", what) or ""
    optional = r.boolean(f, "optional", what)

    kwargs: dict[str, Any] = {}
    use: _MetricUse | None = None
    metric = r.ident(f, "metric", what, required=False) if "metric" in f else None
    if ptype == "scale":
        lo = r.integer(f, "min", what, default=DEFAULT_SCALE[0])
        hi = r.integer(f, "max", what, default=DEFAULT_SCALE[1])
        labels: list[tuple[int, str]] = []
        if lo is not None and hi is not None and lo >= hi:
            r.error(f["min"][1] if "min" in f else f["max"][1] if "max" in f else node,
                    f"{what} has min {lo} and max {hi} — min must be below max")
        elif lo is not None and hi is not None and hi - lo + 1 > MAX_SCALE_POINTS:
            r.error(f["max"][1] if "max" in f else f["min"][1],
                    f"{what} runs {lo}..{hi}, {hi - lo + 1:,} points; the app draws at most "
                    f"{MAX_SCALE_POINTS} (one button each) — use a narrower scale, such as 0..10")
        elif "labels" in f:
            lnode = f["labels"][1]
            lmap = r.mapping(lnode, f"the labels of {what}", _AnyKey()) if not _is_null(lnode) else {}
            for key, (key_node, value_node) in (lmap or {}).items():
                number = _as_int(key_node)
                if number is None:
                    r.error(key_node, f"label key '{key}' in {what} should be a whole number on the scale")
                    continue
                if not lo <= number <= hi:
                    r.error(key_node, f"label {number} in {what} is outside the scale {lo}..{hi} — "
                                      f"use a number from {lo} to {hi}")
                    continue
                label = r.scalar_text(value_node, f"label {number} in {what}")
                if label is not None:
                    labels.append((number, label.strip()))
        kwargs.update(min=lo, max=hi, labels=tuple(sorted(labels)))
        if "low_note" in f:
            lnf = r.mapping(f["low_note"][1], f"the low_note of {what}", LOW_NOTE_FIELDS)
            if lnf is not None:
                at_most = r.integer(lnf, "at_most", f"the low_note of {what}", required=True,
                                    where=f["low_note"][1])
                note_text = r.text(lnf, "text", f"the low_note of {what}", required=True,
                                   where=f["low_note"][1])
                if at_most is not None and lo is not None and hi is not None and not lo <= at_most < hi:
                    r.error(lnf["at_most"][1], f"at_most {at_most} in the low_note of {what} is not on the "
                                               f"scale — use a number from {lo} to {hi - 1}")
                if at_most is not None and note_text:
                    kwargs.update(low_at=at_most, low_note=" ".join(note_text.split()))
        if metric and lo is not None and hi is not None:
            use = _MetricUse(metric, (lo, hi), _line(f["metric"][1]))
    elif ptype in ("checklist", "choice"):
        options = r.text_list(f, "options", what)
        need = 1 if ptype == "checklist" else 2
        if "options" not in f:
            r.error(node, f"{what} has no options — add options: [first, second, ...]")
        elif options is not None and len(options) < need:
            r.error(f["options"][1], f"{what} needs at least {need} option{'s' if need > 1 else ''} — "
                                     "add them under options:")
        elif options is not None and len(options) > MAX_OPTIONS:
            r.error(f["options"][1], f"{what} has {len(options):,} options; the app shows at most {MAX_OPTIONS} "
                                     "— keep the ones that matter, or split the prompt")
        elif options is not None and len(set(options)) != len(options):
            r.error(f["options"][1], f"{what} lists the same option twice — each option must be different")
        kwargs["options"] = options or ()
        if metric and options:
            use = _MetricUse(metric, (0, len(options)), _line(f["metric"][1]))
        if "suggests" in f:
            snode = f["suggests"][1]
            smap = r.mapping(snode, f"the suggests of {what}", _AnyKey())
            pairs: list[tuple[str, str]] = []
            for key, (key_node, value_node) in (smap or {}).items():
                option = r.scalar_text(key_node, f"an option in the suggests of {what}")
                target = r.scalar_text(value_node, f"an exercise id in the suggests of {what}")
                if option is None or target is None:
                    continue
                if options is not None and option not in options:
                    r.error(key_node, f"suggests in {what} names '{option}', which is not one of its options — "
                                      "copy the option exactly")
                    continue
                if not _is_ident(target.strip()):
                    r.error(value_node, f"'{target}' in the suggests of {what} is not an exercise id")
                    continue
                pairs.append((option, target.strip()))
            kwargs["suggests"] = tuple(pairs)
    elif ptype == "template":
        template = r.text(f, "template", what, required=True, where=node)
        if template is not None:
            names = [n.strip() for n in BLANK_RE.findall(template)]
            tnode = f["template"][1]
            if any(not n for n in names):
                r.error(tnode, f"{what} has a blank with no name '{{}}' — write a name inside the braces, "
                               "like {feeling}")
            elif not names:
                r.error(tnode, f"{what} has no blanks — mark each blank with a name in braces, like "
                               "\"I feel {feeling} when {situation}\"")
            elif len(names) > MAX_BLANKS:
                r.error(tnode, f"{what} has {len(names):,} blanks; the app shows at most {MAX_BLANKS} "
                               "— split it into several prompts")
            kwargs["template"] = template.strip()
    elif ptype == "turns":
        kwargs["rounds"] = r.integer(f, "rounds", what, default=2, minimum=1)
        if kwargs["rounds"] > MAX_ROUNDS:
            r.error(f["rounds"][1], f"{what} has {kwargs['rounds']:,} rounds; at most {MAX_ROUNDS} — "
                                    "a couple of rounds each is usually enough")

    if len(r.errors) > before or ptype is None or pid is None:
        return None, None, pid
    prompt = Prompt(id=pid, type=ptype, text=(text or "").strip(), who=who or "each",
                    help=help_text.strip(), optional=optional, metric=metric or None,
                    line=_line(node), **kwargs)
    return prompt, use, pid


def _parse_instrument(r: _Reader, node, exercise_what: str, prompts: dict[str, Prompt],
                      all_ids: set[str]) -> Instrument | None:
    before = len(r.errors)
    f = r.mapping(node, f"an instrument in {exercise_what}", INSTRUMENT_FIELDS)
    if f is None:
        return None
    iid = r.ident(f, "id", f"an instrument in {exercise_what}", where=node)
    what = f"instrument '{iid}'" if iid else "an instrument"
    title = r.text(f, "title", what, required=True, where=node)
    names: list[str] = []
    items = r.sequence(f, "prompts", what)
    if items is None and "prompts" not in f:
        r.error(node, f"{what} has no prompts — list the ids of the scored prompts it adds up")
    elif items == []:
        r.error(f["prompts"][1], f"{what} has an empty prompts list — list the ids of scored prompts")
    for item in items or []:
        name = r.scalar_text(item, f"a prompt id in {what}")
        if name is None:
            continue
        name = name.strip()
        if name not in all_ids:
            known = ", ".join(sorted(all_ids)) or "(none)"
            r.error(item, f"{what} names unknown prompt '{name}' — use prompt ids of this exercise: {known}")
        elif name in prompts and not prompts[name].is_scored:
            r.error(item, f"{what} names prompt '{name}', which is not scored — only scale or checklist "
                          "prompts with a metric can be counted")
        else:
            names.append(name)
    method = (r.text(f, "method", what) or "sum").strip()
    if method not in INSTRUMENT_METHODS:
        r.error(f["method"][1], f"unknown method '{method}' in {what} — use one of: {', '.join(INSTRUMENT_METHODS)}")
    bands: list[Band] = []
    band_nodes = r.sequence(f, "bands", what) or []
    if len(band_nodes) > MAX_BANDS:
        r.error(f["bands"][1], f"{what} has {len(band_nodes):,} bands; at most {MAX_BANDS}")
        band_nodes = []
    for bnode in band_nodes:
        b_before = len(r.errors)
        bf = r.mapping(bnode, f"a band of {what}", BAND_FIELDS)
        if bf is None:
            continue
        name = r.text(bf, "name", f"a band of {what}", required=True, where=bnode)
        lo = r.number(bf, "min", f"a band of {what}")
        hi = r.number(bf, "max", f"a band of {what}")
        for key, value in (("min", lo), ("max", hi)):
            if value is None and key not in bf:
                r.error(bnode, f"a band of {what} has no '{key}' — add {key}: followed by a number")
        if len(r.errors) > b_before:
            continue
        if lo > hi:
            r.error(bf["min"][1], f"band '{name}' of {what} has min {_num(lo)} above max {_num(hi)} — "
                                  "min must not be above max")
            continue
        bands.append(Band(name=name.strip(), min=lo, max=hi))
    reliable = r.number(f, "reliable_change", what, default=None)
    if reliable is not None and reliable <= 0:
        r.error(f["reliable_change"][1], f"reliable_change of {what} is {_num(reliable)} — it must be above 0 "
                                         "(or leave it out)")
    sd = r.number(f, "sd", what, default=None)
    rel = r.number(f, "reliability", what, default=None)
    if sd is not None and sd <= 0:
        r.error(f["sd"][1], f"sd of {what} is {_num(sd)} — the spread of the total must be above 0")
    if rel is not None and not 0 <= rel < 1:
        r.error(f["reliability"][1], f"reliability of {what} is {_num(rel)} — use a number from 0 up to "
                                     "(not including) 1, such as 0.85")
    if (sd is None) != (rel is None):
        have, lack = ("sd", "reliability") if sd is not None else ("reliability", "sd")
        r.error(f[have][1], f"{what} has {have} but no {lack} — declare both (the reliable-change "
                            "threshold is computed from them) or neither")
    elif sd is not None and reliable is not None:
        r.error(f["reliable_change"][1], f"{what} declares sd and reliability, so its reliable_change is "
                                         "computed from them — leave reliable_change out")
    note = r.text(f, "note", what) or ""
    if len(r.errors) > before or iid is None or title is None:
        return None
    if sd is not None and rel is not None:
        reliable = jacobson_truax(sd, rel)
    return Instrument(id=iid, title=title.strip(), prompts=tuple(names), method=method,
                      bands=tuple(bands), reliable_change=float(reliable or 0.0), note=note.strip(),
                      line=_line(node), sd=sd, reliability=rel)


# --------------------------------------------------------------------------- small helpers


def _line(node) -> int:
    return node.start_mark.line + 1


def _is(node, kind: str) -> bool:
    """Node kind by its ``id`` ("scalar", "sequence", "mapping"): no yaml import needed."""
    return getattr(node, "id", None) == kind


def _is_null(node) -> bool:
    return getattr(node, "tag", None) == _NULL


def _is_ident(value: str) -> bool:
    if not value or not (value[0].isalnum()):
        return False
    return all(c.isalnum() or c in "-_." for c in value)


def _as_int(node) -> int | None:
    if getattr(node, "tag", None) != _INT:
        return None
    from yaml.constructor import SafeConstructor

    return SafeConstructor().construct_yaml_int(node)


def _as_number(node) -> float | None:
    tag = getattr(node, "tag", None)
    if tag == _INT:
        return float(_as_int(node))
    if tag == _FLOAT:
        from yaml.constructor import SafeConstructor

        value = SafeConstructor().construct_yaml_float(node)
        return value if value == value and abs(value) != float("inf") else None
    return None


def _num(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)


def _kind(node) -> str:
    if _is(node, "mapping"):
        return "a mapping"
    if _is(node, "sequence"):
        return "a list"
    if _is_null(node):
        return "nothing"
    return f"'{node.value}'"


def _show(node) -> str:
    if _is(node, "scalar") and not _is_null(node):
        return f"'{node.value}'"
    return _kind(node)


def _unknown_field(name: str, what: str, allowed: Sequence[str]) -> str:
    import difflib

    close = difflib.get_close_matches(name, list(allowed), n=1)
    hint = f" — did you mean '{close[0]}'?" if close else ""
    if name in _ALL_PROMPT_FIELDS and "prompt" in what:
        hint = f" — '{name}' is not used by {what}"
    return f"unknown field '{name}' in {what}{hint} (fields here: {', '.join(allowed)})"
