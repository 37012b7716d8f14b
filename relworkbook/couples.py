"""The counsellor's desk: one line per workbook in a folder (``relworkbook couples DIR``).

Each workbook is opened read-only (``Store.open_read_only``: no migration, no
backup, no -wal or -shm made) while a shared ``flock`` is held on it for the
few milliseconds the reading takes, so a relworkbook window that has the
workbook open (it holds the same lock exclusively) is seen and left alone.
A damaged, foreign, in-use or newer-version file gets one line with its reason
and the rest still list.

A line holds the names, the last sitting's day, the sittings in the last four
weeks, the last check-in total per partner with its band and its change since
the previous total (reliable or not, as Trends decides) and the day of that
total (a total needs a whole check-in answered and revealed, so it can be far
older than the last sitting), and how many commitments are overdue. Every
format has one line (one CSV row) per workbook; the CSV flattens the two
partners into a_... and b_... columns. Lines are sorted by who most needs attention: a drop
in a partner's last total past the instrument's threshold first (Trends' test;
"reliable change" only where the pack declares sd and reliability), then the
longest since a sitting; files that could not be read come last.

Nothing here imports Textual.
"""

from __future__ import annotations

import csv
import io
import json
import os
from dataclasses import asdict, dataclass, field
from datetime import date, timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, Iterator

from . import trends
from .model import PARTNERS

if TYPE_CHECKING:  # pragma: no cover
    from .catalog import Catalog

SQLITE_HEADER = b"SQLite format 3\x00"
SUFFIXES = (".db", ".sqlite", ".sqlite3")
RECENT_DAYS = 28
IN_USE = "in use: open in another relworkbook window"


@dataclass(frozen=True)
class PartnerTotal:
    name: str
    total: float | None
    band: str | None
    change: float | None
    reliable: bool  # past the threshold (Trends' test)
    words: str = ""  # what Trends calls it: "reliable change" or "bigger than a usual week"
    day: str | None = None  # ISO day of this total
    partner: str = ""  # "a" or "b"

    @property
    def drop(self) -> bool:
        return self.reliable and self.change is not None and self.change < 0


@dataclass(frozen=True)
class CoupleLine:
    file: str
    names: str = ""
    last_sitting: str | None = None  # ISO day
    recent: int = 0  # sittings in the last four weeks
    totals: tuple[PartnerTotal, ...] = ()
    overdue: int = 0
    problem: str = ""  # why the file could not be read; empty when it was

    @property
    def reliable_drop(self) -> bool:
        return any(t.drop for t in self.totals)

    def days_since(self, today: date) -> int | None:
        if not self.last_sitting:
            return None
        return (today - date.fromisoformat(self.last_sitting)).days


@dataclass(frozen=True)
class Desk:
    folder: str
    today: str
    lines: tuple[CoupleLine, ...] = field(default=())


def workbook_files(folder: Path) -> list[Path]:
    """Files in ``folder`` that look like workbooks: a workbook suffix, or an SQLite header."""
    found = []
    for entry in sorted(Path(folder).iterdir(), key=lambda p: p.name):
        name = entry.name
        if name.startswith(".") or name.endswith(("-wal", "-shm", "-journal")):
            continue
        try:
            if not entry.is_file():
                continue
            if entry.suffix.lower() in SUFFIXES:
                found.append(entry)
                continue
            with open(entry, "rb") as handle:
                if handle.read(16) == SQLITE_HEADER:
                    found.append(entry)
        except OSError:
            continue
    return found


class _Busy(Exception):
    pass


class _shared_lock:
    """A shared flock for the time of the read; ``_Busy`` when a window holds it exclusively."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self.fd: int | None = None

    def __enter__(self) -> "_shared_lock":
        try:
            import fcntl
        except ImportError:  # no flock here: SQLite's own locking still applies
            return self
        try:
            self.fd = os.open(self.path, os.O_RDONLY)
        except OSError:
            return self  # the open below says why
        try:
            fcntl.flock(self.fd, fcntl.LOCK_SH | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(self.fd)
            self.fd = None
            raise _Busy() from None
        except OSError:
            pass  # a filesystem without flock
        return self

    def __exit__(self, *exc: object) -> None:
        if self.fd is not None:
            os.close(self.fd)  # closing releases the lock
            self.fd = None


def _reason(error: Exception) -> str:
    from .store import NEWER_VERSION, DamagedWorkbook

    text = str(error)
    if isinstance(error, DamagedWorkbook):
        if "another program" in text:
            return "not a workbook: an SQLite file of another program"
        return "damaged, or not a workbook file"
    if text == NEWER_VERSION:
        return "written by a newer version of relworkbook; update to read it"
    if "in use" in text.lower():
        return IN_USE
    first = text.split(". ")[0].split("; ")[0].strip().rstrip(".")
    return first or error.__class__.__name__


def _checkin_instrument(catalog: Catalog | None) -> str | None:
    pairs = list(catalog.instruments()) if catalog is not None else []
    pairs.sort(key=lambda pair: 0 if pair[0].kind == "checkin" else 1)
    return pairs[0][1].id if pairs else None


def read_one(path: Path, catalog: Catalog | None, today: date) -> CoupleLine:
    """One workbook's line; never raises for a file that cannot be read (its line says why)."""
    from .store import Store, WorkbookError

    try:
        if path.stat().st_size == 0:
            return CoupleLine(path.name, problem="an empty file, not a workbook yet")
        with _shared_lock(path):
            store = Store.open_read_only(path)
            try:
                return _line(store, path, catalog, today)
            finally:
                store.close()
    except _Busy:
        return CoupleLine(path.name, problem=IN_USE)
    except WorkbookError as error:
        return CoupleLine(path.name, problem=_reason(error))
    except OSError as error:
        return CoupleLine(path.name, problem=f"could not be read ({error.strerror or error})")
    except Exception as error:  # an older file missing a column, a disk error: one line, carry on
        detail = str(error).splitlines()[0] if str(error) else error.__class__.__name__
        return CoupleLine(path.name, problem=f"could not be read ({detail})")


def _line(store: Store, path: Path, catalog: Catalog | None, today: date) -> CoupleLine:
    couple = store.get_couple()
    names = f"{couple.a.name} and {couple.b.name}" if couple else "(no names yet)"
    last = store.last_sitting()
    since = (today - timedelta(days=RECENT_DAYS - 1)).isoformat()
    recent = sum(1 for s in store.list_sittings(limit=RECENT_DAYS * 3) if since <= s.started[:10] <= today.isoformat())
    wanted = _checkin_instrument(catalog)
    totals: list[PartnerTotal] = []
    if wanted is not None:
        summary = trends.summary(store, catalog, "all")
        for inst in summary.instruments:
            if inst.id != wanted:
                continue
            for partner in PARTNERS:
                t = inst.partner(partner)
                if t is not None:
                    words = trends.change_words(t.change, inst.reliable_change, inst.established)
                    day = t.series[-1][0][:10] if t.series else None
                    totals.append(PartnerTotal(t.name, t.latest, t.band, t.change, t.reliable, words, day, partner))
    overdue = sum(1 for c in store.open_commitments() if c.due and c.due < today.isoformat())
    return CoupleLine(
        file=path.name,
        names=names,
        last_sitting=last.started[:10] if last else None,
        recent=recent,
        totals=tuple(totals),
        overdue=overdue,
    )


def _attention(line: CoupleLine, today: date) -> tuple:
    if line.problem:
        return (2, 0, line.file)
    days = line.days_since(today)
    # A reliable drop first; then the longest since a sitting (never is longest).
    return (0 if line.reliable_drop else 1, -(days if days is not None else 10**6), line.file)


def build_desk(folder: Path, catalog: Catalog | None, today: date | None = None) -> Desk:
    today = today or date.today()
    lines = [read_one(path, catalog, today) for path in workbook_files(Path(folder))]
    lines.sort(key=lambda line: _attention(line, today))
    return Desk(str(folder), today.isoformat(), tuple(lines))


# --------------------------------------------------------------------------
# Rendering


def ago(day: str | None, today: date) -> str:
    """'today', '5 d ago' (under two weeks), '7 wk ago' (under a year), '3 yr ago'."""
    if not day:
        return ""
    days = (today - date.fromisoformat(day[:10])).days
    if days <= 0:
        return "today"
    if days < 14:
        return f"{days} d ago"
    if days < 365:
        return f"{days // 7} wk ago"
    return f"{days // 365} yr ago"


def totals_from(line: CoupleLine, today: date) -> str:
    """When the last totals were given: '2026-03-23 (1 wk ago)', per partner when their days differ."""
    days = [t.day for t in line.totals if t.day]
    if not days:
        return "-"
    if len(set(days)) == 1:
        return f"{days[0]} ({ago(days[0], today)})"
    return "; ".join(f"{t.name} {t.day} ({ago(t.day, today)})" for t in line.totals if t.day)


def _total_words(t: PartnerTotal) -> str:
    if t.total is None:
        return f"{t.name} -"
    bits = [trends.fmt_number(t.total)]
    if t.band:
        bits.append(t.band)
    if t.change is not None:
        bits.append(f"({trends.fmt_change(t.change)}{', ' + t.words if t.words else ''})")
    return f"{t.name} " + " ".join(bits)


def _rows(desk: Desk) -> Iterator[list[str]]:
    today = date.fromisoformat(desk.today)
    for line in desk.lines:
        if line.problem:
            continue
        days = line.days_since(today)
        yield [
            "!" if line.reliable_drop else "",
            line.names,
            line.file,
            f"{line.last_sitting} ({days} d)" if line.last_sitting else "never",
            str(line.recent),
            "; ".join(_total_words(t) for t in line.totals) or "-",
            totals_from(line, today),
            str(line.overdue),
        ]


def render_text(desk: Desk) -> str:
    head = ["", "Couple", "File", "Last sitting", "4 wk", "Last check-in total", "Total from", "Overdue"]
    rows = list(_rows(desk))
    out = [f"Workbooks in {desk.folder} on {desk.today}: most in need of attention first."]
    if rows:
        widths = [max(len(r[i]) for r in [head] + rows) for i in range(len(head))]
        right = {4, 7}

        def fmt(row: list[str]) -> str:
            cells = [row[i].rjust(widths[i]) if i in right else row[i].ljust(widths[i]) for i in range(len(row))]
            return "  ".join(cells).rstrip()

        out += ["", fmt(head)] + [fmt(r) for r in rows]
        if any(r[0] for r in rows):
            out += ["", "! a drop past the threshold in a partner's last check-in total."]
    problems = [line for line in desk.lines if line.problem]
    if problems:
        out += ["", "Not read:"] + [f"  {line.file}: {line.problem}" for line in problems]
    if not desk.lines:
        out += ["", "No workbook files here."]
    return "\n".join(out) + "\n"


CSV_PARTNER = ("name", "total", "band", "change", "past_threshold", "total_day")


def render_csv(desk: Desk) -> str:
    """One row per workbook: each partner's total in its own a_... and b_... columns."""
    buf = io.StringIO()
    writer = csv.writer(buf, lineterminator="\n")
    writer.writerow(["file", "names", "last_sitting", "sittings_4_weeks",
                     *(f"{p}_{what}" for p in PARTNERS for what in CSV_PARTNER),
                     "drop_past_threshold", "overdue", "problem"])
    for line in desk.lines:
        row: list[Any] = [line.file, line.names, line.last_sitting or "", line.recent if not line.problem else ""]
        by_partner = {t.partner: t for t in line.totals}
        for partner in PARTNERS:
            t = by_partner.get(partner)
            if t is None:
                row += [""] * len(CSV_PARTNER)
            else:
                row += [t.name, trends.fmt_number(t.total), t.band or "", trends.fmt_change(t.change),
                        "yes" if t.reliable else "no", t.day or ""]
        row += ["yes" if line.reliable_drop else "no", line.overdue if not line.problem else "", line.problem]
        writer.writerow(row)
    return buf.getvalue()


def render_json(desk: Desk) -> str:
    data = asdict(desk)
    today = date.fromisoformat(desk.today)
    for raw, line in zip(data["lines"], desk.lines):
        raw["reliable_drop"] = line.reliable_drop
        for raw_total, total in zip(raw["totals"], line.totals):
            raw_total["ago"] = ago(total.day, today)
    return json.dumps(data, ensure_ascii=False, indent=2) + "\n"


def render(desk: Desk, fmt: str) -> str:
    return {"text": render_text, "csv": render_csv, "json": render_json}[fmt](desk)
