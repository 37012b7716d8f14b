"""The command line: parse, resolve paths, open the store, run.

``python -m relworkbook`` with no sub-command is handled by ``start.py``
without importing click; this module gets everything else, and the plain
start too when it comes through ``cli`` (the same checks, from ``start``).

Every failure a person can cause (a missing file, a folder given as ``--db``, a
damaged workbook, a broken exercise file) ends as one line on stderr and a
non-zero exit, never a traceback. Textual is imported only when the app opens.
"""

from __future__ import annotations

import json
import os
import shutil
import stat
import subprocess
import sys
import tempfile
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

import click

from . import paths, start
from .escapes import for_terminal, json_safe, one_line

EXIT_ERROR = 1
EXIT_USAGE = 2


class CliError(click.ClickException):
    """One line for the person, exit status 1."""

    exit_code = EXIT_ERROR

    def show(self, file=None) -> None:  # noqa: D401 - click's signature
        click.echo(f"relworkbook: {one_line(self.message)}", err=True)


class _OneLineClickError(CliError):
    """click's own error (a usage error, a bad value, an unknown option) as one line.

    click shows these over several lines (the usage, a hint, then the error) and
    quotes what was typed raw, so a value holding a line break or an escape
    sequence would reach the terminal as is. Here: the command, the message with
    every control character escaped, and the hint, on one line; click's exit status.
    """

    def __init__(self, error: click.ClickException) -> None:
        super().__init__(error.format_message())
        self.exit_code = error.exit_code
        ctx = getattr(error, "ctx", None)
        self.where = ctx.command_path if ctx is not None else "relworkbook"
        self.hint = f" (see `{self.where} --help`)" if ctx is not None else ""

    def show(self, file=None) -> None:  # noqa: D401 - click's signature
        click.echo(f"{one_line(self.where)}: {one_line(self.message)}{self.hint}", err=True)


@contextmanager
def _one_line_errors() -> Iterator[None]:
    try:
        yield
    except CliError:
        raise
    except click.ClickException as error:
        raise _OneLineClickError(error) from None


class _Group(click.Group):
    """The command line's group: every error click itself makes is one line too."""

    def make_context(self, *args, **kwargs) -> click.Context:
        with _one_line_errors():
            return super().make_context(*args, **kwargs)

    def invoke(self, ctx: click.Context):
        with _one_line_errors():
            return super().invoke(ctx)


def _resolve_db(ctx: click.Context, db: str | None, *, make_folder: bool = True) -> Path:
    """The workbook path: this command's --db, the group's --db, or the default.

    Commands that only read (``make_folder=False``) never create the data folder.
    """
    chosen = db or (ctx.obj or {}).get("db")
    if chosen:
        return Path(chosen).expanduser()
    if not make_folder:
        return start.default_db_path()
    try:
        return start.default_db()
    except start.StartError as error:
        raise CliError(str(error)) from None


def _exercise_dirs(ctx: click.Context, extra: Sequence[str] = ()) -> list[Path]:
    dirs = list((ctx.obj or {}).get("exercises", ())) + list(extra)
    try:
        return start.exercise_dirs(dirs)
    except start.StartError as error:
        raise CliError(str(error)) from None


@contextmanager
def _window_lock(db: Path) -> Iterator[None]:
    """The app's window lock (``start.only_window``), for commands that fill a workbook.

    ``demo`` and ``import`` write a whole workbook; with the app open on the
    same file (even at the first-run form, whose Begin would then overwrite the
    imported names) they are told, in one line, that it is in use.
    """
    try:
        with start.only_window(db):
            yield
    except start.StartError as error:
        raise CliError(str(error)) from None


@contextmanager
def _filling(db: Path) -> Iterator:
    """The store on ``db`` for ``demo``/``import``, under the window lock.

    The lock is taken before the store opens when the file exists (nothing is
    touched while a window holds it); a file that does not exist yet is made by
    the store first, then locked before anything is written into it.
    """
    from contextlib import ExitStack

    with ExitStack() as stack:
        locked = db.exists()
        if locked:
            stack.enter_context(_window_lock(db))
        store = stack.enter_context(_open_store(db))
        if not locked:
            stack.enter_context(_window_lock(db))
        yield store


@contextmanager
def _open_store(db: Path, *, create: bool = True, must_exist: bool = False) -> Iterator:
    """The store on ``db``. ``must_exist`` (every command that only reads, and
    ``backup``): a missing or empty (0-byte) file is one line and nothing is
    written; only the app's first run, ``demo`` and ``import`` make a workbook."""
    from .store import Store, WorkbookError

    if must_exist and not db.exists():
        raise CliError(f"no workbook at {db}. Check the path, or run `relworkbook` to start one.")
    try:
        store = Store.open(db, create=create and not must_exist)
    except WorkbookError as error:
        raise CliError(str(error)) from None
    try:
        yield store
    except WorkbookError as error:
        raise CliError(str(error)) from None
    finally:
        store.close()


def _load_catalog(dirs: Sequence[Path]):
    from .catalog import load_catalog

    return load_catalog(dirs)


def check_output(output: str | None, db: Path) -> Path | None:
    """The --output file, or None for stdout; a path that would overwrite the
    workbook, its -wal/-shm, a backup or another workbook is refused in one
    line. Every command with --output calls this before it does any work."""
    if not output or output == "-":
        return None
    target = Path(output).expanduser()
    if target.is_dir():
        raise CliError(f"{target} is a folder; give a file name for --output.")
    if target.exists() and not target.is_file():
        # Files are replaced whole (temp file, rename): never a device or a pipe.
        raise CliError(f"{target} is not a regular file; --output writes files (use --output - for the screen).")
    clash = paths.output_clash(target, db)
    if clash:
        raise CliError(clash)
    return target


def _write_output(text: str, output: str | None, db: Path, *, as_json: bool = False) -> None:
    """Print to stdout, or write an owner-only file (whole, through files.write_atomic)."""
    target = check_output(output, db)
    # Typed text can hold escape sequences: JSON keeps its data with them as \u
    # escapes; anything else shown on the terminal has them written out visibly.
    if as_json:
        text = json_safe(text)
    if target is None:
        click.echo(for_terminal(text), nl=not text.endswith("\n"))
        return
    try:
        paths.write_private(target, text)
    except OSError as error:
        raise CliError(f"cannot write {target}: {error.strerror or error}.") from None
    click.echo(f"Wrote {one_line(target)}", err=True)


@click.group(cls=_Group, invoke_without_command=True, context_settings={"help_option_names": ["-h", "--help"]})
@click.option("--db", "db", metavar="PATH", help="The workbook file (default: workbook.db in the user data folder, or $RELWORKBOOK_HOME).")
@click.option("--exercises", "exercises", metavar="DIR", multiple=True, help="Add a folder of your own exercises to the shipped program (repeatable).")
@click.version_option(package_name="relworkbook")
@click.pass_context
def cli(ctx: click.Context, db: str | None, exercises: tuple[str, ...]) -> None:
    """A guided relationship-repair workbook for two partners at one keyboard.

    With no command, opens the workbook.
    """
    ctx.ensure_object(dict)
    ctx.obj["db"] = db
    ctx.obj["exercises"] = exercises
    if ctx.invoked_subcommand is None:
        _run_app(_resolve_db(ctx, None), _exercise_dirs(ctx))


def _run_app(db: Path, exercise_dirs: Sequence[Path]) -> None:
    """The app on this workbook (start.run_app), its one-line errors as click's."""
    try:
        start.run_app(db, exercise_dirs)
    except start.StartError as error:
        raise CliError(str(error)) from None


@cli.command()
@click.argument("dirs", nargs=-1, type=click.Path(file_okay=False, path_type=Path))
@click.option("--exercises", "extra", metavar="DIR", multiple=True, help="A counsellor's pack to check together with the shipped program.")
@click.pass_context
def validate(ctx: click.Context, dirs: tuple[Path, ...], extra: tuple[str, ...]) -> None:
    """Check exercise files; print FILE:LINE: message for each problem.

    With no DIR, checks the shipped program (plus any --exercises packs). A DIR
    without its own steps.yaml is checked together with the shipped program.
    """
    from .catalog import format_errors, validate_dirs

    packs = _exercise_dirs(ctx, extra)
    for folder in dirs:
        if not folder.is_dir():
            raise CliError(f"{folder} does not exist or is not a folder.")
    targets: list[Path] = list(dirs) + packs
    # A folder with its own steps.yaml is a whole program and is checked alone;
    # a pack without one adds to the shipped program and is checked on top of it.
    standalone = bool(dirs) and any((Path(d) / "steps.yaml").is_file() for d in targets)
    if not standalone:
        targets.insert(0, paths.shipped_exercises_dir())
    errors = validate_dirs(targets, shipped=False)
    if errors:
        click.echo(format_errors(errors))
        click.echo(f"{len(errors)} problem{'s' if len(errors) != 1 else ''} found.", err=True)
        sys.exit(EXIT_ERROR)
    click.echo(f"OK: {', '.join(one_line(t) for t in targets)}", err=True)


@cli.command()
@click.option("--db", metavar="PATH", help="Write the demo workbook here (must not hold a workbook yet).")
@click.option("--weeks", type=click.IntRange(1, 2000), default=12, show_default=True, help="Weeks of weekly check-ins.")
@click.option("--seed", type=int, default=0, show_default=True, help="Same seed, same workbook.")
@click.option("--lock", is_flag=True, help="Also set both partners' locks (their passphrases are printed).")
@click.pass_context
def demo(ctx: click.Context, db: str | None, weeks: int, seed: int, lock: bool) -> None:
    """Make a workbook for Alex and Sam with N weeks of sample history.

    The history ends yesterday evening, one sitting a week before that: the
    same seed gives the same answers on any day, only the dates follow today.
    With no --db, uses a temporary file and opens the app on it. With --lock,
    the same workbook (same seed, same answers) with both partners' locks set.
    """
    from .demo import generate, lock_demo

    catalog = _load_catalog(_exercise_dirs(ctx))
    target_dir: str | None = None
    if db:
        target = Path(db).expanduser()
        if target.is_dir():
            raise CliError(f"{target} is a folder, not a workbook file.")
    else:
        target_dir = tempfile.mkdtemp(prefix="relworkbook-demo-")
        target = Path(target_dir) / "demo.db"
    try:
        with _filling(target) as store:
            if not store.is_empty():
                raise CliError(f"{target} already holds a workbook; pick a new file for the demo.")
            generate(store, catalog, weeks=weeks, seed=seed)
            if lock:
                for name, passphrase in lock_demo(store):
                    click.echo(f"{name}'s passphrase: {passphrase}", err=True)
        if db:
            click.echo(f"Demo workbook with {weeks} weeks written to {one_line(target)}", err=True)
        else:
            _run_app(target, _exercise_dirs(ctx))
    finally:
        if target_dir:
            shutil.rmtree(target_dir, ignore_errors=True)


@cli.command()
@click.option("--db", metavar="PATH", help="The workbook file.")
@click.option("--search", "search", metavar="WORDS", help="Full-text search over everything written.")
@click.option("--limit", type=click.IntRange(min=0), default=50, show_default=True,
              help="With --search: at most N matches (0: all of them).")
@click.option("--offset", type=click.IntRange(min=0), default=0, help="With --search: skip the first N matches (the next page).")
@click.option("--json", "as_json", is_flag=True, help="JSON instead of text (for scripts and jq).")
@click.pass_context
def history(ctx: click.Context, db: str | None, search: str | None, limit: int, offset: int, as_json: bool) -> None:
    """List sittings, newest first (or search what was written).

    Search results say how many match in all; page with --limit and --offset.
    Matches are bold on a terminal and plain when piped.
    """
    path = _resolve_db(ctx, db, make_folder=False)
    catalog = None
    with _open_store(path, must_exist=True) as store:
        couple = store.get_couple()

        def name(key: str) -> str:
            return couple.name(key) if couple else key

        def title(exercise_id: str) -> str:
            nonlocal catalog
            if catalog is None:
                catalog = _load_catalog(_exercise_dirs(ctx))
            exercise = catalog.exercise(exercise_id)
            return exercise.title if exercise else exercise_id

        if search is not None:
            from .store import SEARCH_INDEX_MISSING, SearchIndexMissing

            try:
                total = store.search_count(search)
            except SearchIndexMissing:  # lost since the open (which mends a missing one)
                store.rebuild_search_index()
                store.search_index_rebuilt = True
                total = store.search_count(search)
            if store.search_index_rebuilt:
                # Never a silent "No matches": say the index was made again, as the app does.
                click.echo(SEARCH_INDEX_MISSING, err=True)
            hits = store.search(search, limit=limit or max(total, 1), offset=offset)
            if as_json:
                click.echo(json.dumps({
                    "query": search, "total": total, "offset": offset,
                    "matches": [{
                        "answer_id": hit.answer_id, "sitting_id": hit.sitting_id, "date": hit.sitting_started[:10],
                        "exercise_id": hit.exercise_id, "exercise": title(hit.exercise_id),
                        "prompt_id": hit.prompt_id, "partner": hit.partner, "name": name(hit.partner),
                        "snippet": _unmarked(hit.snippet),
                    } for hit in hits],
                }, ensure_ascii=False, indent=2))
                return
            if not hits:
                click.echo("No matches." if not total else f"No matches past the first {total}.")
                return
            for hit in hits:
                click.echo(for_terminal(f"#{hit.sitting_id} {hit.sitting_started[:10]}  {title(hit.exercise_id)} · {name(hit.partner)}"))
                click.echo(f"    {_marked(for_terminal(hit.snippet))}")
            end = offset + len(hits)
            if offset or end < total:
                more = f"; the next with --offset {end}" if end < total else ""
                click.echo(f"{offset + 1}-{end} of {total} matches{more} (--limit 0 for all).", err=True)
            else:
                click.echo(f"{total} match{'es' if total != 1 else ''}.", err=True)
            return
        sittings = store.list_sittings()
        if as_json:
            click.echo(json.dumps([{
                "id": sitting.id, "started": sitting.started, "ended": sitting.ended,
                "minutes": sitting.minutes, "attendees": [name(k) for k in sitting.attendees],
                "exercises": [{"id": e, "title": title(e)} for e in sitting.exercises],
            } for sitting in sittings], ensure_ascii=False, indent=2))
            return
        if not sittings:
            click.echo("No sittings yet.")
            return
        click.echo(f"{'#':>5}  {'date':<16}  {'who':<20}  {'min':>4}  exercises")
        for sitting in sittings:
            who = " & ".join(name(k) for k in sitting.attendees) or "-"
            done = ", ".join(title(e) for e in sitting.exercises) or "-"
            started = sitting.started.replace("T", " ")[:16]
            click.echo(for_terminal(f"{sitting.id:>5}  {started:<16}  {who[:20]:<20}  {sitting.minutes:>4}  {done}"))


def _unmarked(snippet: str) -> str:
    """The store's snippet without its ``[[ ]]`` match markers, on one line."""
    return " ".join(snippet.replace("[[", "").replace("]]", "").split())


def _marked(snippet: str) -> str:
    """The snippet with its matches in bold; click.echo drops the styling when not on a terminal."""
    out: list[str] = []
    rest = " ".join(snippet.split())
    while rest:
        start = rest.find("[[")
        end = rest.find("]]", start + 2) if start >= 0 else -1
        if start < 0 or end < 0:
            out.append(rest)
            break
        out.append(rest[:start])
        out.append(click.style(rest[start + 2:end], bold=True))
        rest = rest[end + 2:]
    return "".join(out)


@cli.command()
@click.option("--db", metavar="PATH", help="The workbook file.")
@click.option("--sitting", "--session", "session", type=int, metavar="ID", help="The sitting to recap (its # in `relworkbook history`).")
@click.option("--last", is_flag=True, help="The most recent sitting (the default).")
@click.option("--format", "fmt", type=click.Choice(["text", "markdown", "html"]), default="text", show_default=True)
@click.option("--output", metavar="FILE", help="Write to FILE (owner-only) instead of stdout.")
@click.option("--print", "to_printer", is_flag=True, help="Send the recap to the system printer (lp or lpr).")
@click.pass_context
def recap(ctx: click.Context, db: str | None, session: int | None, last: bool, fmt: str, output: str | None, to_printer: bool) -> None:
    """Print the recap of a sitting as text, Markdown or HTML."""
    from . import recap as recap_mod

    if session is not None and last:
        raise click.UsageError("give --sitting ID or --last, not both.")
    path = _resolve_db(ctx, db, make_folder=False)
    check_output(output, path)
    with _open_store(path, must_exist=True) as store:
        if session is None:
            sitting = store.last_sitting()
            if sitting is None:
                raise CliError("this workbook has no sittings yet, so there is nothing to recap.")
        else:
            sitting = store.get_sitting(session)
            if sitting is None:
                raise CliError(f"no sitting #{session} in this workbook; `relworkbook history` lists them.")
        catalog = _load_catalog(_exercise_dirs(ctx))
        built = recap_mod.build_recap(store, catalog, sitting.id)
        text = recap_mod.render(built, fmt)
    if to_printer:
        _print(text, fmt)
        return
    _write_output(text, output, path)


def _print(text: str, fmt: str) -> None:
    printer = shutil.which("lp") or shutil.which("lpr")
    if printer is None:
        raise CliError(
            "no system printer command (lp or lpr) was found. Save the recap with "
            "--format html --output recap.html and print it from a browser."
        )
    suffix = {"html": ".html", "markdown": ".md"}.get(fmt, ".txt")
    handle, name = tempfile.mkstemp(suffix=suffix, prefix="relworkbook-recap-")
    os.close(handle)
    try:
        paths.write_private(Path(name), text)
        result = subprocess.run([printer, name], capture_output=True, text=True)
    finally:
        os.unlink(name)
    if result.returncode != 0:
        reason = (result.stderr or result.stdout).strip().splitlines()
        raise CliError(f"the printer refused the recap: {reason[-1] if reason else 'no reason given'}.")
    click.echo("Sent to the printer.", err=True)


@cli.command()
@click.option("--db", metavar="PATH", help="The workbook file.")
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.option("--window", type=click.Choice(["3m", "1y", "all"]), default="all", show_default=True, help="Last 3 months, last year, or everything.")
@click.pass_context
def trends(ctx: click.Context, db: str | None, fmt: str, window: str) -> None:
    """Print each metric per partner: latest, change, gap, reliable change.

    One rating per partner per metric per sitting, in every format: where two
    exercises of one sitting rated a metric, the check-in's rating counts, or
    else the first given (the CSV has one row per sitting, partner and metric).
    """
    from . import trends as trends_mod

    path = _resolve_db(ctx, db, make_folder=False)
    with _open_store(path, must_exist=True) as store:
        catalog = _load_catalog(_exercise_dirs(ctx))
        summary = trends_mod.summary(store, catalog, window=window)
        if fmt == "csv":
            text = trends_mod.render_csv(summary)
        elif fmt == "json":
            text = trends_mod.render_json(summary)
        else:
            text = trends_mod.render_text(summary)
    text = json_safe(text) if fmt == "json" else for_terminal(text)
    click.echo(text, nl=not text.endswith("\n"))


@cli.command()
@click.option("--db", metavar="PATH", help="The workbook file.")
@click.option("--from", "start", metavar="DATE", help="First day (YYYY-MM-DD); default 12 weeks before --to.")
@click.option("--to", "end", metavar="DATE", help="Last day (YYYY-MM-DD); default today.")
@click.option("--format", "fmt", type=click.Choice(["html", "markdown", "text"]), default="html", show_default=True)
@click.option("--output", metavar="FILE", help="Write to FILE (owner-only); - or nothing for stdout.")
@click.pass_context
def report(ctx: click.Context, db: str | None, start: str | None, end: str | None, fmt: str, output: str | None) -> None:
    """A progress report over a date range, for the two of you or a counsellor.

    Attendance, exercises done, the check-in totals and each area per partner
    (with bands and reliable change), single low ratings, and commitments.
    Revealed answers only; never a private answer or a partner's notes.
    """
    from . import report as report_mod

    path = _resolve_db(ctx, db, make_folder=False)
    check_output(output, path)
    try:
        report_mod.date_range(start, end)
    except report_mod.ReportError as error:
        raise CliError(str(error)) from None
    with _open_store(path, must_exist=True) as store:
        catalog = _load_catalog(_exercise_dirs(ctx))
        built = report_mod.build_report(store, catalog, start, end)
        text = report_mod.render(built, fmt)
    _write_output(text, output, path)


@cli.command()
@click.argument("folder", metavar="DIR", type=click.Path(path_type=Path))
@click.option("--format", "fmt", type=click.Choice(["text", "csv", "json"]), default="text", show_default=True)
@click.pass_context
def couples(ctx: click.Context, folder: Path, fmt: str) -> None:
    """One line per workbook in DIR, those most in need of attention first.

    Names, last sitting, sittings in the last four weeks, the last check-in
    total per partner with its change, overdue commitments. Only reads: no
    backup, no migration; a file that cannot be read is listed with why.
    """
    from . import couples as couples_mod

    if not folder.is_dir():
        raise CliError(f"{folder} does not exist or is not a folder.")
    catalog = _load_catalog(_exercise_dirs(ctx))
    try:
        desk = couples_mod.build_desk(folder, catalog)
    except OSError as error:
        raise CliError(f"cannot read the folder {folder}: {error.strerror or error}.") from None
    text = couples_mod.render(desk, fmt)
    text = json_safe(text) if fmt == "json" else for_terminal(text)
    click.echo(text, nl=not text.endswith("\n"))


@cli.command("calendar")
@click.option("--db", metavar="PATH", help="The workbook file.")
@click.option("--output", metavar="FILE", help="Write to FILE (owner-only); - for stdout. Default: calendar.ics beside the recaps.")
@click.pass_context
def calendar_cmd(ctx: click.Context, db: str | None, output: str | None) -> None:
    """The weekly check-in (repeating) and dated commitments as one .ics file.

    Open it with your calendar app. Titles are neutral ("Our weekly hour",
    "A plan we made") unless Settings says to use the commitments' own words;
    no answer, rating or note ever goes into it. Importing it again after a
    change updates the same events.
    """
    from . import ics

    path = _resolve_db(ctx, db, make_folder=False)
    target = check_output(output, path) if output else None
    with _open_store(path, must_exist=True) as store:
        try:
            if output == "-":
                data = ics.build_calendar(store)
                sys.stdout.flush()
                sys.stdout.buffer.write(data)
                sys.stdout.buffer.flush()
                return
            if target is None:
                written = ics.save_beside_recaps(store, path)
            else:
                written = ics.write_calendar(store, target)
        except OSError as error:
            where = target if target is not None else ics.calendar_path(path)
            raise CliError(f"cannot write {where}: {error.strerror or error}.") from None
    click.echo(f"Wrote {one_line(written)}. Open it with your calendar app.", err=True)


@cli.command("export")
@click.option("--db", metavar="PATH", help="The workbook file.")
@click.option("--output", metavar="FILE", help="Write to FILE (owner-only) instead of stdout.")
@click.pass_context
def export_cmd(ctx: click.Context, db: str | None, output: str | None) -> None:
    """Write everything as JSON, private answers and notes for one included (a locked partner's stay locked)."""
    path = _resolve_db(ctx, db, make_folder=False)
    check_output(output, path)
    with _open_store(path, must_exist=True) as store:
        data = store.export_data()
    _write_output(json.dumps(data, ensure_ascii=False, indent=2, sort_keys=True) + "\n", output, path, as_json=True)


# The largest export `import` reads. `demo --weeks 520` (ten years of weekly
# sittings) exports to 7.8 MiB (measured 29 November 2026); couples who write
# long answers for decades stay far below 256 MiB, 32 times that, while the
# parse of a file this size already takes about a GiB of memory: a bigger file
# is not an export (or not one to read whole), so it is refused before reading.
MAX_IMPORT_BYTES = 256 * 2**20


@cli.command("import")
@click.option("--db", metavar="PATH", help="The workbook file to fill (new or empty).")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path, allow_dash=True))
@click.pass_context
def import_cmd(ctx: click.Context, db: str | None, file: Path) -> None:
    """Load a JSON export into a new or empty workbook (FILE - reads standard input)."""
    from .store import WorkbookError

    from_stdin = str(file) == "-"
    too_big = (f"over the {MAX_IMPORT_BYTES // 2**20} MiB an export may be (ten years of weekly "
               f"sittings export to about 8 MiB); nothing was imported.")
    if from_stdin:
        file = Path("standard input")
        try:
            # At most one byte past the limit is read: an endless or huge stream is refused.
            raw = sys.stdin.buffer.read(MAX_IMPORT_BYTES + 1) if sys.stdin is not None else b""
        except OSError as error:
            raise CliError(f"standard input is not a relworkbook JSON export ({error.__class__.__name__}).") from None
        if len(raw) > MAX_IMPORT_BYTES:
            raise CliError(f"standard input is {too_big}")
    else:
        # The size is checked before anything is read, and the read stops one byte past it.
        try:
            info = os.stat(file)
        except OSError:
            info = None
        if info is None or not stat.S_ISREG(info.st_mode):
            raise CliError(f"{file} does not exist or is not a file.")
        if info.st_size > MAX_IMPORT_BYTES:
            raise CliError(f"{file} is {info.st_size} bytes, {too_big}")
        try:
            with open(file, "rb") as handle:
                raw = handle.read(MAX_IMPORT_BYTES + 1)
        except OSError as error:
            raise CliError(f"{file} is not a relworkbook JSON export ({error.__class__.__name__}).") from None
        if len(raw) > MAX_IMPORT_BYTES:
            raise CliError(f"{file} grew while it was read and is {too_big}")
    from .export_check import ExportError, check_export, parse_export
    from .store import export_problem

    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as error:
        raise CliError(f"{file} is not a relworkbook JSON export ({error.__class__.__name__}).") from None
    # Every field is checked before the workbook is even opened: a bad file imports nothing.
    try:
        data = parse_export(text)
        check_export(data)
    except ExportError as error:
        raise CliError(f"{file}: {export_problem(error)}") from None
    path = _resolve_db(ctx, db)
    with _filling(path) as store:
        if not store.is_empty():
            raise CliError(f"{path} is not empty; import into a new file with --db NEW.db.")
        try:
            store.import_data(data)
        except WorkbookError:
            raise
        except (KeyError, TypeError, ValueError) as error:
            raise CliError(f"{file} is not a complete relworkbook export ({error}).") from None
    click.echo(f"Imported {one_line(file)} into {one_line(path)}", err=True)


PLACES = ("workbook", "backups", "recaps", "screenshots", "config", "cache")


@cli.command("path")
@click.argument("which", required=False, type=click.Choice(PLACES))
@click.option("--db", metavar="PATH", help="The workbook file.")
@click.pass_context
def path_cmd(ctx: click.Context, which: str | None, db: str | None) -> None:
    """Where things live: the workbook, its backups and recaps, the config file, the cache.

    With WHICH, prints only that path (for scripts: cd "$(relworkbook path recaps)").
    Nothing is created.
    """
    chosen = db or (ctx.obj or {}).get("db")
    workbook = Path(chosen).expanduser() if chosen else start.default_db_path()
    places = {
        "workbook": workbook,
        "backups": paths.backups_dir(workbook),
        "recaps": paths.recaps_dir(workbook),
        "screenshots": paths.recaps_dir(workbook),
        "config": paths.config_file(),
        "cache": paths.cache_dir(),
    }
    if which:
        click.echo(str(places[which]))
        return
    for name, place in places.items():
        note = "" if place.exists() else "  (not there yet)"
        click.echo(f"{name:<12} {place}{note}")


@cli.command("config")
@click.option("--db", metavar="PATH", help="The workbook file (shown as the one in force).")
@click.option("--ids", is_flag=True, help="List the binding ids a [keymap] may name, and exit.")
@click.pass_context
def config_cmd(ctx: click.Context, db: str | None, ids: bool) -> None:
    """Where the config file is and the settings in force, as TOML.

    The file (TOML) may set: theme = "NAME", workbook = "PATH", and a [keymap]
    table of binding id = "keys" (--ids lists the ids).
    """
    if ids:
        click.echo("\n".join(sorted(binding_ids())))
        return
    config = start.load_config()
    chosen = db or (ctx.obj or {}).get("db")
    workbook = Path(chosen).expanduser() if chosen else start.default_db_path()
    text = _config_text(config, workbook)
    click.echo(text, nl=False)


def binding_ids() -> set[str]:
    """Every binding id the app's screens and widgets declare (what a [keymap] may name)."""
    import importlib
    import pkgutil

    from . import app as app_module, screens, widgets

    ids: set[str] = set()
    modules = [app_module]
    for package in (screens, widgets):
        for info in pkgutil.iter_modules(package.__path__):
            try:
                modules.append(importlib.import_module(f"{package.__name__}.{info.name}"))
            except Exception:  # a module that cannot load has no keys to offer
                continue
    for module in modules:
        for value in vars(module).values():
            for binding in getattr(value, "BINDINGS", ()) if isinstance(value, type) else ():
                binding_id = getattr(binding, "id", None)
                if binding_id:
                    ids.add(binding_id)
    return ids


def _config_text(config, workbook: Path) -> str:
    from .config import describe

    text = describe(config, workbook)
    if config.keymap and not config.problem:
        known = binding_ids()
        for binding_id in sorted(set(config.keymap) - known):
            text += f"# {binding_id!r} is not a binding id, so it changes nothing (`relworkbook config --ids` lists them)\n"
    if config.theme and not config.problem:
        from textual.theme import BUILTIN_THEMES

        if config.theme not in BUILTIN_THEMES:
            text += f"# theme {config.theme!r} is not one of Textual's: {', '.join(sorted(BUILTIN_THEMES))}\n"
    return text


@cli.command()
@click.option("--db", metavar="PATH", help="The workbook file.")
@click.pass_context
def backup(ctx: click.Context, db: str | None) -> None:
    """Write a consistent, owner-only copy beside the workbook."""
    path = _resolve_db(ctx, db, make_folder=False)
    with _open_store(path, must_exist=True) as store:
        target = store.backup()
    click.echo(f"Backup written to {one_line(target)}")


def main(argv: Sequence[str] | None = None) -> None:
    """The click command line (``__main__.main`` sends here all but the plain start)."""
    start.guarded(lambda: cli.main(args=list(argv) if argv is not None else None,
                                   prog_name="relworkbook", standalone_mode=True))
