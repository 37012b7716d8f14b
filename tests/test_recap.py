"""Recap: real sittings in a real workbook file, with the fixture catalogue."""

from __future__ import annotations

import re
import stat
from pathlib import Path

import pytest

from relworkbook import paths, recap
from relworkbook.catalog import load_dir
from relworkbook.store import Store

FIXTURES = Path(__file__).parent / "fixtures" / "exercises"

HOPE_A = (
    "Slow breakfasts on Sunday, *no phones*, and a walk | maybe two.\n"
    "- not a list item\n"
    "# not a heading\n"
    "1. not numbered either\n"
    "Some <b>tags</b> & a <script>alert(1)</script> to stay inert. "
    + "A-very-long-unbroken-word-" * 6
    + " and then a long tail of ordinary words so that this paragraph has to wrap onto several lines."
)
HOPE_B = "More evenings that are just ours, without the week's lists between us."


@pytest.fixture
def catalog():
    cat = load_dir(FIXTURES)
    assert not cat.errors, cat.errors
    return cat


def _checkin(store: Store, sitting: int, scores: dict[str, tuple[int, int]], *, reveal: bool = True, thanks=("", "")) -> None:
    for prompt_id, (a, b) in scores.items():
        for partner, value in (("a", a), ("b", b)):
            store.save_answer(
                sitting, "fx-checkin", prompt_id, partner, value, prompt_type="scale", private=True, metric=prompt_id
            )
        if reveal:
            store.reveal(sitting, "fx-checkin", prompt_id)
    for partner, text in zip(("a", "b"), thanks):
        if text:
            store.save_answer(sitting, "fx-checkin", "thanks", partner, text, prompt_type="text")


@pytest.fixture
def workbook(tmp_path, catalog):
    """Two sittings: a check-in, then a long sitting with all three exercises."""
    store = Store.open(tmp_path / "workbook.db")
    store.set_couple("Alex", "blue", "Sam", "green")

    first = store.start_sitting(["a", "b"], started="2026-01-05T19:00:00")
    _checkin(store, first.id, {"communication": (5, 6), "closeness": (4, 7)}, thanks=("Cooked for me", "Fixed the bike"))
    store.save_answer(
        first.id, "fx-checkin", "next-step", "together",
        {"what": "Walk after dinner", "owner": "both", "due": "2026-01-12"}, prompt_type="commitment",
    )
    store.end_sitting(first.id, ended="2026-01-05T19:12:00")

    second = store.start_sitting(["a", "b"], started="2026-01-12T19:00:00")
    # communication revealed; closeness answered but NOT revealed
    _checkin(store, second.id, {"communication": (7, 6)})
    _checkin(store, second.id, {"closeness": (9, 2)}, reveal=False)
    walk = [c for c in store.list_commitments() if c.what == "Walk after dinner"][0]
    store.review_commitment(walk.id, "kept", second.id)
    store.save_answer(second.id, "fx-hopes", "hope", "a", HOPE_A, prompt_type="text")
    store.save_answer(second.id, "fx-hopes", "hope", "b", HOPE_B, prompt_type="text")
    store.save_answer(second.id, "fx-hopes", "ready", "a", "Unsure", prompt_type="choice", private=True)
    store.save_answer(second.id, "fx-hopes", "ready", "b", "Not yet", prompt_type="choice", private=True)
    store.save_answer(
        second.id, "fx-hopes", "habits", "a", ["Saying thank you", "Laughing together"],
        prompt_type="checklist", metric="kind-habits",
    )
    store.save_answer(
        second.id, "fx-i-statements", "feeling", "b",
        {"feeling": "left out", "situation": "plans change without a word", "request": "a quick message"},
        prompt_type="template",
    )
    store.save_answer(
        second.id, "fx-i-statements", "listen", "together",
        [
            {"speaker": "a", "said": "I miss our walks.", "paraphrase": "You miss walking together.", "confirmed": True, "correction": ""},
            {"speaker": "b", "said": "I get tired by nine.", "paraphrase": "You don't want to walk.", "confirmed": False, "correction": "I do, just earlier."},
        ],
        prompt_type="turns",
    )
    store.save_answer(
        second.id, "fx-i-statements", "promise", "together",
        {"what": "Text when plans change", "owner": "b", "due": None}, prompt_type="commitment",
    )
    store.end_sitting(second.id, ended="2026-01-12T19:47:00")
    yield store, first.id, second.id
    store.close()


def _all(built) -> dict[str, str]:
    return {fmt: recap.render(built, fmt) for fmt in recap.FORMATS}


def test_header_facts(workbook, catalog):
    store, _, second = workbook
    built = recap.build_recap(store, catalog, second)
    assert built.date == "Monday 12 January 2026, 19:00"
    assert built.attendees == ("Alex", "Sam")
    assert built.minutes == 47
    for text in _all(built).values():
        assert "Monday 12 January 2026, 19:00" in text
        assert "Alex and Sam" in text
        assert "47 minutes" in text


def test_both_partners_answers_in_every_format(workbook, catalog):
    store, _, second = workbook
    outputs = _all(recap.build_recap(store, catalog, second))
    for fmt, text in outputs.items():
        flat = " ".join(text.split())
        assert "just ours" in flat, fmt  # Sam's hope
        assert "Slow breakfasts on Sunday" in flat, fmt  # Alex's hope
        assert "What we hope for" in flat and "Saying it kindly" in flat, fmt
        # every value type, readably; ratings once, in the table
        assert "5 → 7 (+2)" in flat and "How well did we talk" not in flat, fmt
        assert "Saying thank you" in flat and "Laughing together" in flat, fmt
        assert "I feel left out when plans change without a word, and I would like a quick message." in flat, fmt
        assert "Text when plans change" in flat and "Sam" in flat, fmt
        assert "Walk after dinner" in flat, fmt  # reviewed commitment
        assert "kept" in flat, fmt
        assert "Sam heard" in flat and "You miss walking together." in flat, fmt
        assert "Alex confirmed" in flat and "Sam corrected" in flat and "I do, just earlier." in flat, fmt
        # together answers appear once, not per partner
        assert flat.count("Text when plans change") == 2, fmt  # in the prompt and under commitments made


def test_text_lists_partners_one_after_the_other(workbook, catalog):
    store, _, second = workbook
    text = recap.render_text(recap.build_recap(store, catalog, second))
    lines = text.splitlines()
    prompt_at = next(i for i, line in enumerate(lines) if line.startswith("What would a good week together"))
    alex = next(i for i in range(prompt_at, len(lines)) if lines[i].strip() == "Alex:")
    sam = next(i for i in range(alex, len(lines)) if lines[i].strip() == "Sam:")
    assert prompt_at < alex < sam
    assert "just ours" in " ".join(lines[sam:sam + 4])


def test_text_fits_80_columns(workbook, catalog):
    store, _, second = workbook
    text = recap.render_text(recap.build_recap(store, catalog, second))
    assert max(len(line) for line in text.splitlines()) <= 80
    narrow = recap.render_text(recap.build_recap(store, catalog, second), width=40)
    assert max(len(line) for line in narrow.splitlines()) <= 40


def test_private_hidden_until_revealed(workbook, catalog):
    store, _, second = workbook
    built = recap.build_recap(store, catalog, second)
    for fmt, text in _all(built).items():
        assert recap.PRIVATE_HIDDEN in text, fmt
        assert "Unsure" not in text and "Not yet" not in text.replace("not yet revealed", ""), fmt
    # the unrevealed closeness ratings stay out of the numbers too
    assert [m.key for m in built.metrics] == ["communication", "kind-habits"]
    hidden = [a for e in built.exercises for p in e.prompts for a in p.answers if a.status == "private"]
    assert {(a.partner) for a in hidden} == {"a", "b"}
    assert all(a.pieces == (recap.Piece(recap.PRIVATE_HIDDEN),) for a in hidden)

    store.reveal(second, "fx-hopes", "ready")
    store.reveal(second, "fx-checkin", "closeness")
    built = recap.build_recap(store, catalog, second)
    for fmt, text in _all(built).items():
        assert "Unsure" in text and "Not yet" in text, fmt
        assert recap.PRIVATE_HIDDEN not in text, fmt
    assert [m.key for m in built.metrics] == ["communication", "closeness", "kind-habits"]


def test_an_answer_kept_just_for_me_says_so_after_the_reveal(workbook, catalog):
    """Kept back at the reveal: the recap says it was kept (it will never be revealed), shows
    nothing of it, and shows the other partner's answer; before, it said "not yet revealed"."""
    store, _, second = workbook
    store.keep_private(second, "fx-hopes", "ready", "a")
    store.reveal(second, "fx-hopes", "ready")
    built = recap.build_recap(store, catalog, second)
    ready = next(p for e in built.exercises for p in e.prompts if p.id == "ready")
    cells = {a.partner: a for a in ready.answers}
    assert cells["a"].status == "kept" and cells["a"].pieces == (recap.Piece(recap.KEPT_PRIVATE),)
    assert cells["b"].status == "answered"
    for fmt, text in _all(built).items():
        assert recap.KEPT_PRIVATE in text, fmt
        assert "Unsure" not in text, fmt  # the kept answer's words
        assert "Not yet" in text, fmt  # the other partner's revealed answer


def test_metric_changes_since_previous_sitting(workbook, catalog):
    store, first, second = workbook
    built = recap.build_recap(store, catalog, second)
    comm = {v.partner: v for v in built.metrics[0].values}
    assert (comm["a"].value, comm["a"].previous, comm["a"].change) == (7, 5, 2)
    assert (comm["b"].value, comm["b"].previous, comm["b"].change) == (6, 6, 0)
    habits = built.metrics[1]
    assert habits.title == "Kind habits"
    assert [(v.partner, v.value, v.change) for v in habits.values] == [("a", 2, None)]
    rows = {row.area: row for row in built.ratings.rows}
    assert [c.text for c in rows["Communication"].cells] == ["5 → 7 (+2)", "6 → 6 (0)"]
    assert [c.text for c in rows["Kind habits"].cells] == ["2 (first rating)", "-"]
    # the unrevealed closeness ratings have a row that says so, and nothing more
    assert [c.text for c in rows["Closeness"].cells] == ["not yet revealed", "not yet revealed"]
    text = recap.render_text(built)
    line = next(l for l in text.splitlines() if l.strip().startswith("Communication"))
    assert "5 → 7 (+2)" in line and "6 → 6 (0)" in line

    store.reveal(second, "fx-checkin", "closeness")
    close = {v.partner: v for v in recap.build_recap(store, catalog, second).metrics[1].values}
    assert (close["a"].change, close["b"].change) == (5, -5)  # 9 - 4, 2 - 7

    # the first sitting has nothing before it
    early = recap.build_recap(store, catalog, first)
    assert all(v.previous is None and v.change is None for m in early.metrics for v in m.values)


def test_commitments_made_and_reviewed(workbook, catalog):
    store, first, second = workbook
    early = recap.build_recap(store, catalog, first)
    assert [c.line for c in early.commitments_made] == ["Walk after dinner — Both of us — by 12 January 2026"]
    assert early.commitments_reviewed == ()
    later = recap.build_recap(store, catalog, second)
    assert [c.line for c in later.commitments_made] == ["Text when plans change — Sam"]
    assert [(c.what, c.status) for c in later.commitments_reviewed] == [("Walk after dinner", "kept")]


def test_next_step(workbook, catalog):
    store, first, second = workbook
    assert recap.build_recap(store, catalog, first).next_step.startswith("What we hope for (Getting started")
    # after the second sitting every exercise has been started: the check-in comes next
    assert recap.build_recap(store, catalog, second).next_step == (
        "Next week's Weekly check-in (about 10 minutes), around 19 January 2026."
    )


def test_markdown_escapes_user_text(workbook, catalog):
    store, _, second = workbook
    md = recap.render_markdown(recap.build_recap(store, catalog, second))
    assert r"\*no phones\*" in md
    assert r"walk \| maybe two" in md
    assert r"\<b\>tags\</b\>" in md and r"\<script\>" in md
    alex = "Slow" + md.split("**Alex:** Slow", 1)[1].split("**Sam:**", 1)[0]
    assert "Slow breakfasts" in alex and not re.search(r"(?<!\\)[<>|*_\[\]&]", alex)
    assert "\n\\- not a list item" in md
    assert "\n\\# not a heading" in md
    assert "\n1\\. not numbered either" in md
    assert r"\&" in md
    # our own structure is real markdown
    assert md.startswith("# Recap: ")
    assert "\n## What we hope for\n" in md
    assert "\n### What would a good week together look like for you?\n" in md
    assert "| Area | Alex | Sam |" in md


def test_md_escape_unit():
    assert recap.md_escape("a|b") == r"a\|b"
    assert recap.md_escape("+ plus\n> quote\n2) two") == "\\+ plus\n\\> quote\n2\\) two"
    assert recap.md_escape("[link](x)") == r"\[link\](x)"


def test_html_is_self_contained_and_escaped(workbook, catalog):
    store, _, second = workbook
    page = recap.render_html(recap.build_recap(store, catalog, second))
    assert page.startswith("<!doctype html>")
    lowered = page.lower()
    assert "http://" not in lowered and "https://" not in lowered
    assert "<script" not in lowered
    for external in ("<link", "<img", "@import", "url(", "src=", "href="):
        assert external not in lowered, external
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in page
    assert "&lt;b&gt;tags&lt;/b&gt;" in page
    assert "*no phones*" in page  # no markdown escaping in HTML
    # side by side, printable
    assert "grid-template-columns: 1fr 1fr" in page
    assert "@media print" in page and "@page" in page and "break-inside: avoid" in page
    assert 'class="answer together"' in page
    # each partner's name heads their column
    assert page.count('<p class="who">Alex') >= 3 and page.count('<p class="who">Sam') >= 3


def test_render_dispatch_rejects_unknown(workbook, catalog):
    store, _, second = workbook
    built = recap.build_recap(store, catalog, second)
    assert recap.render(built, "md") == recap.render_markdown(built)
    with pytest.raises(ValueError):
        recap.render(built, "pdf")
    with pytest.raises(LookupError):
        recap.build_recap(store, catalog, 999)


def test_save_recap_files_owner_only(workbook, catalog):
    store, _, second = workbook
    built = recap.build_recap(store, catalog, second)
    folder = paths.recaps_dir(store.path)
    written = recap.save_recap_files(built, folder)
    assert [p.name for p in written] == ["recap-2026-01-12-sitting-2.html", "recap-2026-01-12-sitting-2.md"]
    assert stat.S_IMODE(folder.stat().st_mode) == 0o700
    for path in written:
        assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert written[0].read_text(encoding="utf-8") == recap.render_html(built)
    assert written[1].read_text(encoding="utf-8") == recap.render_markdown(built)


def test_control_codes_never_reach_the_terminal(tmp_path, catalog):
    store = Store.open(tmp_path / "w.db")
    store.set_couple("Alex", "blue", "Sam", "green")
    sitting = store.start_sitting(["a"], started="2026-02-01T10:00:00")
    store.save_answer(sitting.id, "fx-hopes", "hope", "a", "calm\x1b[2Jstill here", prompt_type="text")
    built = recap.build_recap(store, catalog, sitting.id)
    for text in _all(built).values():
        assert "\x1b" not in text
    text = recap.render_text(built)
    assert "Who was there: Alex" in text
    assert "How long: still going" in text  # never ended
    # Sam was not there: the prompt waits for them
    assert re.search(r"Sam:\n\s+No answer yet", text)
    store.close()


def test_html_tags_are_balanced(workbook, catalog):
    from html.parser import HTMLParser

    store, _, second = workbook
    page = recap.render_html(recap.build_recap(store, catalog, second))
    void = {"meta", "br", "hr", "img", "link", "input"}

    class Checker(HTMLParser):
        def __init__(self):
            super().__init__()
            self.stack: list[str] = []

        def handle_starttag(self, tag, attrs):
            if tag not in void:
                self.stack.append(tag)

        def handle_endtag(self, tag):
            assert self.stack and self.stack[-1] == tag, (tag, self.stack[-3:])
            self.stack.pop()

    checker = Checker()
    checker.feed(page)
    checker.close()
    assert checker.stack == []


def test_a_single_rating_at_3_or_below_is_flagged_in_every_format(workbook, catalog):
    store, first, second = workbook
    store.reveal(second, "fx-checkin", "closeness")  # Sam: 2 (was 7); Alex: 9
    built = recap.build_recap(store, catalog, second)
    close = {v.partner: v for v in next(m for m in built.metrics if m.key == "closeness").values}
    assert close["b"].low and not close["a"].low
    assert not any(v.low for m in built.metrics if m.key == "kind-habits" for v in m.values)  # a 0-4 count
    rows = {row.area: row for row in built.ratings.rows}
    assert [(c.text, c.low) for c in rows["Closeness"].cells] == [("4 → 9 (+5)", False), ("7 → 2 (-5)", True)]
    for fmt, out in _all(built).items():
        flat = " ".join(out.split()).replace("\\", "")  # Markdown escapes the marks
        assert "7 → 2 (-5) * !" in flat.replace("</b>", "").replace('<b class="mark">', ""), fmt
        assert "4 → 9 (+5) * !" not in flat, fmt
        assert "a single rating at 3 or below" in flat, fmt
