"""The progress report: a real workbook file in tmp_path, the fixture catalogue, real rendering."""

from __future__ import annotations

import re
import shutil
import stat
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from relworkbook import report
from relworkbook.catalog import load_dir
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"
ROOT = Path(__file__).resolve().parent.parent
SECRET = "Zanzibar-secret-words"
SECRET_TOTAL_A, SECRET_TOTAL_B = 1, 2  # unrevealed ratings that must count nowhere


@pytest.fixture
def catalog():
    cat = load_dir(FIXTURES)
    assert not cat.errors, cat.errors
    return cat


def _checkin(store: Store, day: str, a: tuple[int, int], b: tuple[int, int], *, reveal: bool = True, commitment: str = "") -> int:
    sitting = store.start_sitting(["a", "b"], started=f"{day}T19:00:00")
    for n, prompt_id in enumerate(("communication", "closeness")):
        for partner, values in (("a", a), ("b", b)):
            store.save_answer(sitting.id, "fx-checkin", prompt_id, partner, values[n], prompt_type="scale",
                              private=True, metric=prompt_id)
        if reveal:
            store.reveal(sitting.id, "fx-checkin", prompt_id)
    if commitment:
        store.save_answer(sitting.id, "fx-checkin", "next-step", "together",
                          {"what": commitment, "owner": "both", "due": None}, prompt_type="commitment")
    store.end_sitting(sitting.id, ended=f"{day}T19:25:00")
    return sitting.id


@pytest.fixture
def workbook(tmp_path):
    """Check-ins from January to April 2026; one in March never revealed."""
    store = Store.open(tmp_path / "workbook.db")
    store.set_couple("Alex", "blue", "Sam", "green")
    _checkin(store, "2026-01-05", (3, 3), (5, 5), commitment="Walk on Sunday (before range)")
    _checkin(store, "2026-02-02", (3, 4), (6, 5), commitment="Cook together on Friday")
    _checkin(store, "2026-02-16", (5, 5), (6, 6))
    hidden = _checkin(store, "2026-03-02", (SECRET_TOTAL_A, SECRET_TOTAL_A), (SECRET_TOTAL_B, SECRET_TOTAL_B), reveal=False)
    # A private text answer in the same sitting, never revealed.
    store.save_answer(hidden, "fx-checkin", "thanks", "a", SECRET, prompt_type="text", private=True)
    _checkin(store, "2026-03-16", (6, 6), (6, 5), commitment="Phones away at dinner")
    _checkin(store, "2026-04-20", (9, 9), (9, 9), commitment="After the range")
    solo = store.start_sitting(["a"], started="2026-02-20T10:00:00")
    store.save_answer(solo.id, "fx-hopes", "hope", "a", "Quiet mornings", prompt_type="text")
    store.end_sitting(solo.id, ended="2026-02-20T10:15:00")
    yield store
    store.close()


def _build(store, catalog, **kw):
    return report.build_report(store, catalog, "2026-02-01", "2026-03-31", today=date(2026, 4, 1), **kw)


def test_report_holds_only_revealed_answers(workbook, catalog):
    built = _build(workbook, catalog)
    total = built.totals[0]
    # The unrevealed March check-in (1+1 and 2+2) counts nowhere.
    days = {day for line in total.lines for day, _ in line.points}
    assert "2026-03-02" not in days
    for chart in built.areas:
        for line in chart.lines:
            assert "2026-03-02" not in {day for day, _ in line.points}
    assert not any(item.day == "2026-03-02" for item in built.low_items)
    for fmt in report.FORMATS:
        text = report.render(built, fmt)
        assert SECRET not in text
        assert "Zanzibar" not in text


def test_date_range_is_respected(workbook, catalog):
    built = _build(workbook, catalog)
    assert (built.start, built.end) == ("2026-02-01", "2026-03-31")
    # Four sittings fall inside (three check-ins, the hidden one, the solo one: five in all).
    assert built.sittings == 5
    assert built.together == 4
    assert dict(built.alone) == {"Alex": 1, "Sam": 0}
    a = built.totals[0].line("a")
    assert [day for day, _ in a.points] == ["2026-02-02", "2026-02-16", "2026-03-16"]
    assert (a.first, a.last, a.change) == (7, 12, 5)
    assert a.reliable  # threshold 4
    assert (a.first_band, a.last_band) == ("Needs attention", "Steady")
    b = built.totals[0].line("b")
    assert (b.first, b.last, b.change, b.reliable) == (11, 11, 0, False)
    whats = [c.what for c in built.commitments]
    assert whats == ["Cook together on Friday", "Phones away at dinner"]
    text = report.render_text(built)
    assert "Walk on Sunday" not in text and "After the range" not in text
    assert "7 → 12 (+5) *" in text and "bigger than a usual week" in text
    # Single ratings at 3 or below, only inside the range.
    assert [(i.day, i.name, i.area, i.value) for i in built.low_items] == [("2026-02-02", "Alex", "Communication", 3)]


def test_default_range_is_the_last_twelve_weeks():
    first, last = report.date_range(today=date(2026, 4, 1))
    assert last == date(2026, 4, 1)
    assert (last - first).days + 1 == 84
    with pytest.raises(report.ReportError):
        report.date_range("2026-05-01", "2026-04-01")
    with pytest.raises(report.ReportError, match="YYYY-MM-DD"):
        report.date_range("soon")


def test_html_is_self_contained_with_a_print_stylesheet(workbook, catalog):
    page = report.render_html(_build(workbook, catalog))
    assert "<script" not in page.lower()
    # No external references of any kind: links, sources, imports, url().
    assert not re.search(r"""(?:src|href)\s*=|@import|url\(|<link|<iframe|<object|<img""", page, re.I)
    assert "<svg" in page and "</svg>" in page
    assert "@page" in page and "counter(page)" in page and "@top-left" in page
    assert "Alex and Sam · progress report · 1 February 2026 to 31 March 2026" in page
    assert "break-inside: avoid" in page
    # The total chart has both partners, told apart by dash and marker shape too.
    assert 'stroke-dasharray="6 3"' in page and "<rect x=" in page and "<circle" in page


def test_names_that_look_like_markup_stay_inert(tmp_path, catalog):
    store = Store.open(tmp_path / "w.db")
    store.set_couple('Al</style><script>x()</script>"', "blue", "S*m | <b>", "green")
    _checkin(store, "2026-02-02", (3, 4), (6, 5))
    built = _build(store, catalog)
    page = report.render_html(built)
    assert "<script>" not in page and "</style><" not in page
    assert "S\\*m \\| \\<b\\>" in report.render_markdown(built)
    store.close()


def test_text_fits_eighty_columns(workbook, catalog, tmp_path):
    store = workbook
    store.set_couple("Alexandra-Maximiliana", "blue", "Samuel-Bartholomew", "green")
    long = "A long commitment " * 12
    sid = _checkin(store, "2026-03-20", (2, 2), (10, 10), commitment=long.strip())
    assert sid
    text = report.render_text(_build(store, catalog))
    widths = [len(line) for line in text.splitlines()]
    assert max(widths) <= 80, [line for line in text.splitlines() if len(line) > 80]
    assert "bigger than a usual week" in text and "→" in text


def test_empty_range_says_so(workbook, catalog):
    built = report.build_report(workbook, catalog, "2030-01-01", "2030-02-01")
    assert built.sittings == 0 and not built.totals and not built.areas
    text = report.render_text(built)
    assert "No sittings in these dates." in text
    assert "No commitments were made in these dates." in text
    assert "not a clinical measure" in report.render_markdown(built)


def test_cli_report_writes_owner_only_file(workbook, tmp_path):
    db = str(workbook.path)
    out = tmp_path / "out" / "report.html"
    out.parent.mkdir()
    run = lambda *args: subprocess.run([sys.executable, "-m", "relworkbook", *args], capture_output=True, text=True,
                                      cwd=ROOT, stdin=subprocess.DEVNULL, timeout=120)
    result = run("report", "--db", db, "--from", "2026-02-01", "--to", "2026-03-31", "--output", str(out))
    assert result.returncode == 0, result.stderr
    assert stat.S_IMODE(out.stat().st_mode) == 0o600
    assert out.read_text().startswith("<!doctype html>")
    assert not [p for p in out.parent.iterdir() if p.name != "report.html"]  # no temporary file left
    result = run("report", "--db", db, "--from", "2026-02-01", "--to", "2026-03-31", "--format", "text")
    assert result.returncode == 0 and "Progress report: Alex and Sam" in result.stdout
    result = run("report", "--db", db, "--output", db)
    assert result.returncode == 1 and "Traceback" not in result.stderr and len(result.stderr.strip().splitlines()) == 1
    result = run("report", "--db", db, "--from", "2026-04-01", "--to", "2026-02-01")
    assert result.returncode == 1 and len(result.stderr.strip().splitlines()) == 1


def test_report_couples_and_charts_do_not_import_textual():
    code = (
        "import sys\n"
        "import relworkbook.report, relworkbook.charts, relworkbook.couples, relworkbook.recap\n"
        "bad = sorted(m for m in sys.modules if m == 'textual' or m.startswith('textual.'))\n"
        "print(bad)\n"
        "sys.exit(1 if bad else 0)\n"
    )
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stdout + result.stderr


def test_a_commitment_written_in_a_private_prompt_waits_for_the_reveal(tmp_path):
    """A pack may ask for a commitment privately: its words stay out of the report and the recap."""
    from relworkbook import recap

    pack = tmp_path / "pack"
    shutil.copytree(FIXTURES, pack)
    (pack / "getting-started" / "quiet-promise.yaml").write_text(
        "id: fx-quiet-promise\ntitle: A promise to myself\nstep: getting-started\norder: 5\nminutes: 5\n"
        "intro: Something you will do, kept to yourself for now.\n"
        "prompts:\n  - id: promise\n    type: commitment\n    who: private\n"
        "    text: What will you do this week?\n",
        encoding="utf-8",
    )
    cat = load_dir(pack)
    assert not cat.errors, cat.errors
    store = Store.open(tmp_path / "w.db")
    store.set_couple("Alex", "blue", "Sam", "green")
    sitting = store.start_sitting(["a", "b"], started="2026-02-10T19:00:00")
    for partner in ("a", "b"):
        store.save_answer(sitting.id, "fx-quiet-promise", "promise", partner,
                          {"what": f"{SECRET} {partner}", "owner": partner, "due": None},
                          prompt_type="commitment", private=True)
    store.end_sitting(sitting.id, ended="2026-02-10T19:10:00")
    built = _build(store, cat)
    outputs = [report.render(built, fmt) for fmt in report.FORMATS]
    outputs += [recap.render(recap.build_recap(store, cat, sitting.id), fmt) for fmt in recap.FORMATS]
    assert not any(SECRET in out for out in outputs)
    store.reveal(sitting.id, "fx-quiet-promise", "promise")
    assert SECRET in report.render_text(_build(store, cat))
    store.close()


def test_the_area_note_is_printed_only_when_an_area_is_marked(workbook, catalog):
    """'* bigger than a usual week' under the area charts explains a mark: every format prints
    it only when some area has one (HTML printed it always)."""
    marked = _build(workbook, catalog)
    assert any(line.reliable for chart in marked.areas for line in chart.lines)
    calm = report.build_report(workbook, catalog, "2026-02-10", "2026-03-31", today=date(2026, 4, 1))
    assert calm.areas and not any(line.reliable for chart in calm.areas for line in chart.lines)
    for fmt in report.FORMATS:
        assert report.AREA_NOTE.split(":")[1].strip() in " ".join(report.render(marked, fmt).split()), fmt
        assert report.AREA_NOTE.split(":")[1].strip() not in " ".join(report.render(calm, fmt).split()), fmt
    # The line that says how to read the small charts stays, mark or not.
    assert "Each small chart runs over the whole date range" in report.render_html(calm)


def _labels(svg: str) -> list[str]:
    return re.findall(r'text-anchor="middle" fill="[^"]*">([^<]*)</text>', svg)


def test_a_long_chart_marks_years_and_a_year_long_one_months():
    """Ten years labelled only at their two ends cannot date a dip: the time axis
    marks each year (past two years) or month (from about five months)."""
    from datetime import timedelta

    from relworkbook.charts import ChartLine, line_chart, time_ticks

    def chart(first: str, last: str) -> str:
        start, end = date.fromisoformat(first), date.fromisoformat(last)
        points = []
        day = start
        while day <= end:
            points.append((day.isoformat(), 30 + (day.toordinal() % 9)))
            day += timedelta(weeks=1)
        return line_chart([ChartLine("a", "Alex", tuple(points))], 7, 70, title="t", first_day=first, last_day=last)

    ten = _labels(chart("2016-01-11", "2026-01-05"))
    # 2017 and 2025 sit too near the ends' own dates ('11 Jan 16', '5 Jan 26') for a label.
    assert ten == [str(y) for y in range(2018, 2025)]
    assert chart("2016-01-11", "2026-01-05").count('stroke-dasharray="2 3"') == 10  # but keeps its line
    year = _labels(chart("2025-01-06", "2026-01-05"))
    assert year[:3] == ["Mar", "Apr", "May"]  # Feb is too near "6 Jan 25" for a label
    two = _labels(chart("2024-03-11", "2026-01-05"))
    assert "2025" in two and len(two) <= 12  # January says its year; crowded months thin out
    assert _labels(chart("2025-10-13", "2026-01-05")) == []  # twelve weeks: the ends say enough
    # Labels never crowd: at least TICK_ROOM px apart on the report's 640 px chart.
    for days in (160, 400, 800, 2000, 3650, 20000):
        ticks = [x for x, label in time_ticks(0 + 700000, 700000 + days, 490) if label]
        gaps = [(b - a) * 490 / days for a, b in zip(ticks, ticks[1:])]
        assert all(gap >= 30 for gap in gaps), (days, gaps)


def test_a_long_report_lists_the_latest_commitments_and_counts_them_all(tmp_path, catalog):
    """Ten years of commitments filled ~24 printed pages: like the low ratings, every format
    lists the latest 12 and says 'the latest 12 of N'; the counts line still counts all."""
    store = Store.open(tmp_path / "w.db")
    store.set_couple("Alex", "blue", "Sam", "green")
    start = date(2026, 1, 5).toordinal()
    for week in range(20):
        day = date.fromordinal(start + 7 * week).isoformat()
        _checkin(store, day, (5, 5), (5, 5), commitment=f"Promise number {week + 1:02d}")
    built = report.build_report(store, catalog, "2026-01-01", "2026-06-30", today=date(2026, 7, 1))
    store.close()
    assert len(built.commitments) == 20  # the Report keeps them all; the renderers cut
    for fmt in report.FORMATS:
        out = report.render(built, fmt)
        flat = " ".join(out.split())
        assert "20 made: 0 kept, 0 partly kept, 0 not kept, 20 still open." in flat, fmt
        assert "the latest 12 of 20" in flat.lower(), fmt
        shown = sorted(set(re.findall(r"Promise number (\d\d)", out)))
        assert shown == [f"{n:02d}" for n in range(9, 21)], fmt
    with Store.open(tmp_path / "w.db") as again:
        few = report.build_report(again, catalog, "2026-01-01", "2026-02-28", today=date(2026, 7, 1))
    assert len(few.commitments) == 8
    for fmt in report.FORMATS:
        assert "latest 12 of" not in report.render(few, fmt).lower(), fmt


def test_the_not_clinical_note_is_under_the_dates_and_the_area_table_may_break_between_rows(workbook, catalog):
    """Printed, the note alone at the end took a page of its own, and the area table kept
    whole left page 1 half empty: the note sits under the dates in every format, and the
    area table breaks between its rows (each row, its two small charts, kept whole)."""
    built = _build(workbook, catalog)
    for fmt in report.FORMATS:
        out = " ".join(report.render(built, fmt).split())
        note = out.index("not a clinical measure")
        assert note < out.index("Who took part") and out.count("not a clinical measure") == 1, fmt
        assert "About these numbers" not in out[note:], fmt
    page = report.render_html(built)
    assert '<section class="areas">' in page and "areas keep" not in page
    assert re.search(r"[^{}]*\btr\b[^{}]*\{ break-inside: avoid", page)  # rows never split
    assert re.search(r"[^{}]*\bfigure\b[^{}]*\{ break-inside: avoid", page)  # nor charts


def test_html_low_ratings_are_one_row_per_day_with_each_partner_side_by_side(workbook, catalog):
    store = workbook
    _checkin(store, "2026-03-20", (2, 3), (1, 9))
    page = report.render_html(_build(store, catalog))
    table = page.split('<table class="low">', 1)[1].split("</table>", 1)[0]
    assert "<th>Alex</th><th>Sam</th>" in table
    row = next(r for r in table.split("<tr>") if "20 Mar 2026" in r)
    assert row.count("<td") == 3
    assert "Closeness <span class=\"nowrap\"><b>3</b></span>, Communication <span class=\"nowrap\"><b>2</b></span>" in row
    assert "Communication <span class=\"nowrap\"><b>1</b></span></td>" in row
