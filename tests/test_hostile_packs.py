"""Exercise packs that would hang or flood the app, or drive the terminal, are refused.

``validate`` and the loader refuse, with FILE:LINE, what the app cannot draw (a
scale wider than 21 points; too many blanks, options, prompts or rounds), read
only regular files no bigger than 256 KiB (never a FIFO, a device or a link to
one), and refuse control characters in pack text; every message is one line
with such text escaped. Real YAML files, the real command line as a process
(with a timeout, so a hang is a failure), and the real app through Pilot.
See docs/reliability.md.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
from pathlib import Path

import pytest
from textual.widgets import Static

from relworkbook import catalog as catalog_mod
from relworkbook.app import make_app
from relworkbook.catalog import load_dir
from relworkbook.store import Store
from test_catalog import GOOD, STEPS, make_pack

ROOT = Path(__file__).resolve().parent.parent
CONTROL = re.compile("[\x00-\x1f\x7f-\x9f]")


def exercise(ex_id: str, prompts: str, **fields: str) -> str:
    head = {"id": ex_id, "title": "T", "step": "s1", "minutes": "5", **fields}
    return "".join(f"{k}: {v}\n" for k, v in head.items()) + "prompts:\n" + prompts


def validate(pack: Path, timeout: float = 60) -> subprocess.CompletedProcess:
    env = dict(os.environ)
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", "validate", str(pack)],
        capture_output=True, cwd=ROOT, env=env, stdin=subprocess.DEVNULL, timeout=timeout,
    )


def problems(result: subprocess.CompletedProcess) -> dict[str, list[tuple[int, str]]]:
    """file name -> [(line, message)] from validate's FILE:LINE: message lines."""
    found: dict[str, list[tuple[int, str]]] = {}
    for raw in result.stdout.decode("utf-8").splitlines():
        match = re.match(r"^(.*?):(\d+): (.*)$", raw)
        assert match, raw
        found.setdefault(Path(match.group(1)).name, []).append((int(match.group(2)), match.group(3)))
    return found


# Each: file -> (its text, the line the problem is on, words in the message)
TOO_MUCH = {
    "wide-scale.yaml": (exercise("wide", "  - id: p\n    type: scale\n    text: Q\n    min: 0\n    max: 1000000\n"),
                        10, "1,000,001 points"),
    "blanks.yaml": (exercise("blanks", "  - id: p\n    type: template\n    template: \"" + "{a}" * 3000 + "\"\n"),
                    8, "3,000 blanks"),
    "options.yaml": (exercise("options", "  - id: p\n    type: checklist\n    text: Q\n    options: ["
                              + ", ".join(f"o{n}" for n in range(500)) + "]\n"), 9, "500 options"),
    "prompts.yaml": (exercise("prompts", "".join(f"  - {{id: p{n}, type: text, text: Q}}\n" for n in range(300))),
                     5, "300 prompts"),
    "rounds.yaml": (exercise("rounds", "  - {id: p, type: turns, text: Q, rounds: 1000000}\n"), 6, "1,000,000 rounds"),
    "scale-21.yaml": (exercise("fine21", "  - {id: p, type: scale, text: Q, min: 0, max: 20}\n"), 0, ""),
}


def test_validate_and_the_loader_refuse_what_the_app_cannot_draw(tmp_path):
    pack = make_pack(tmp_path / "pack", {"s1/good.yaml": GOOD, **{f"s1/{k}": v[0] for k, v in TOO_MUCH.items()}},
                     steps=STEPS)
    result = validate(pack)  # the timeout turns a hang into a failure
    assert result.returncode == 1, result
    found = problems(result)
    for name, (_text, line, words) in TOO_MUCH.items():
        if not words:
            assert name not in found, found.get(name)  # a 21-point scale (0..20) is fine
            continue
        assert [ln for ln, message in found[name] if words in message] == [line], (name, found[name])
    catalog = load_dir(pack)
    assert {e.id for e in catalog.exercises} == {"ex", "fine21"}


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_fifos_devices_links_and_huge_files_are_refused_without_hanging(tmp_path):
    pack = make_pack(tmp_path / "pack", {"s1/good.yaml": GOOD}, steps=STEPS)
    os.mkfifo(pack / "s1" / "fifo.yaml")
    (pack / "s1" / "zero.yaml").symlink_to("/dev/zero")
    (pack / "s1" / "to-fifo.yaml").symlink_to(pack / "s1" / "fifo.yaml")
    (pack / "s1" / "dangling.yaml").symlink_to(pack / "s1" / "nowhere.yaml")
    (pack / "s1" / "huge.yaml").write_text("# padding\n" * 30_000)  # 300 KB, over 256 KiB
    second = make_pack(tmp_path / "second", {})
    (second / "steps.yaml").unlink()
    os.mkfifo(second / "steps.yaml")
    result = validate(pack)  # the timeout turns a hang into a failure
    found = problems(result)
    assert result.returncode == 1
    assert found["fifo.yaml"] == [(1, found["fifo.yaml"][0][1])] and "FIFO" in found["fifo.yaml"][0][1]
    assert "device" in found["zero.yaml"][0][1] and found["zero.yaml"][0][0] == 1
    assert "FIFO" in found["to-fifo.yaml"][0][1]
    assert "cannot read" in found["dangling.yaml"][0][1]
    assert "over the limit of 256 KiB" in found["huge.yaml"][0][1]
    both = subprocess.run([sys.executable, "-m", "relworkbook", "validate", str(pack), str(second)],
                          capture_output=True, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=60)
    assert "FIFO" in problems(both)["steps.yaml"][0][1]
    # The loader the app uses, in a process of its own so a hang is a failure.
    code = ("import sys; from relworkbook.catalog import load_dir; c = load_dir(sys.argv[1]); "
            "print(sorted(e.id for e in c.exercises), len(c.errors))")
    loaded = subprocess.run([sys.executable, "-c", code, str(pack)], capture_output=True, text=True,
                            cwd=ROOT, timeout=60)
    assert loaded.stdout.strip() == "['ex'] 5", loaded


CONTROLS = {
    "osc-title.yaml": (exercise("osc", "  - {id: p, type: text, text: \"Hi \\e]0;owned\\a there\"}\n"), 6),
    "csi-colour.yaml": (exercise("csi", "  - {id: p, type: text, text: Q}\n", title='"\\e[31mRed title"'), 2),
    "c1.yaml": (exercise("c1", "  - {id: p, type: choice, text: Q, options: [\"a\\x9b2J\", b]}\n"), 6),
    "del.yaml": (exercise("del", "  - {id: p, type: text, text: Q, help: \"x\\x7fy\"}\n"), 6),
    "bell-in-block.yaml": (exercise("bell", "  - id: p\n    type: text\n    text: |\n      line one\n      ding \x07\n"), 10),
}


def test_control_characters_in_pack_text_are_refused_and_never_printed_raw(tmp_path):
    files = {f"s1/{k}": v[0] for k, v in CONTROLS.items()}
    files["s1/tab-and-newlines.yaml"] = exercise("fine", "  - {id: p, type: text, text: \"one\\ttwo\\nthree\"}\n")
    files["s1/new\x1b[2Jline\nname.yaml"] = "id: [\n"  # a file name with an escape sequence and a line break
    files["s1/keys.yaml"] = '"a\\nb": 1\nid: "two\\nlines"\n'
    pack = make_pack(tmp_path / "pack", {"s1/good.yaml": GOOD, **files}, steps=STEPS)
    result = validate(pack)
    assert result.returncode == 1
    out = result.stdout + result.stderr
    assert not CONTROL.search(out.decode("utf-8").replace("\n", "")), out  # nothing raw but line ends
    found = problems(result)  # every line parses as FILE:LINE: message
    for name, (_text, line) in CONTROLS.items():
        assert [ln for ln, message in found[name] if "control character" in message] == [line], (name, found[name])
    assert "tab-and-newlines.yaml" not in found
    assert any("new\\x1b[2Jline\\nname.yaml" == name for name in found), list(found)
    assert any("'a\\nb'" in message for _ln, message in found["keys.yaml"])
    assert any("'two\\nlines'" in message for _ln, message in found["keys.yaml"])
    catalog = load_dir(pack)
    assert {e.id for e in catalog.exercises} == {"ex", "fine"}
    for error in catalog.errors:
        assert not CONTROL.search(str(error)), error


async def test_the_app_on_a_hostile_pack_starts_and_shows_the_problems_escaped(tmp_path):
    pack = make_pack(tmp_path / "pack", {
        "s1/good.yaml": GOOD,
        "s1/wide.yaml": TOO_MUCH["wide-scale.yaml"][0],
        "s1/blanks.yaml": TOO_MUCH["blanks.yaml"][0],
        "s1/osc.yaml": CONTROLS["osc-title.yaml"][0],
        "s1/keys.yaml": '"a\\nb": 1\n',
    }, steps=STEPS)
    db = tmp_path / "workbook.db"
    with Store.open(db) as store:
        store.set_couple("Alex", "royalblue", "Sam", "darkorange")
    app = make_app(db, [pack], shipped=False)
    async with app.run_test(size=(100, 30)) as pilot:
        await pilot.pause()
        assert {e.id for e in app.catalog.exercises} == {"ex"}
        assert len(app.catalog.errors) >= 4
        await pilot.press("f1")
        await pilot.pause()
        shown = str(app.screen.query_one("#help-errors", Static).render())
        assert "wide.yaml:" in shown and "\\x1b" in shown and "'a\\nb'" in shown
        assert not CONTROL.search(shown.replace("\n", ""))
        assert len(shown.splitlines()) == len(app.catalog.errors)


def test_limits_are_what_docs_say(tmp_path):
    doc = (ROOT / "docs" / "exercises.md").read_text(encoding="utf-8")
    for value in (catalog_mod.MAX_SCALE_POINTS, catalog_mod.MAX_OPTIONS, catalog_mod.MAX_BLANKS,
                  catalog_mod.MAX_PROMPTS, catalog_mod.MAX_ROUNDS):
        assert f"| {value} |" in doc
    assert "256 KiB" in doc


def test_typed_escape_sequences_never_reach_the_terminal_from_the_command_line(tmp_path):
    """A name or answer holding escape sequences (typed, pasted or imported) is shown
    escaped by every command that prints it; JSON keeps the data exactly."""
    db = tmp_path / "workbook.db"
    name = "Al\x1b]0;owned\x07ex\x9b2J"
    words = "before \x1b[2J\x1b]0;t\x07 after\x7f words"
    with Store.open(db) as store:
        store.set_couple(name, "royalblue", "Sam", "darkorange")
        sitting = store.start_sitting(["a", "b"])
        store.save_answer(sitting.id, "fx-hopes", "hope", "a", words, prompt_type="text")
        store.end_sitting(sitting.id)
    commands = {
        "history": ["history"], "search": ["history", "--search", "words"],
        "trends": ["trends"], "trends-csv": ["trends", "--format", "csv"], "trends-json": ["trends", "--format", "json"],
        "report": ["report", "--format", "text"], "report-md": ["report", "--format", "markdown"],
        "recap": ["recap"], "export": ["export"],
    }
    outputs = {}
    for label, args in commands.items():
        result = subprocess.run([sys.executable, "-m", "relworkbook", *args, "--db", str(db)],
                                capture_output=True, cwd=ROOT, stdin=subprocess.DEVNULL, timeout=60,
                                env=dict(os.environ, RELWORKBOOK_HOME=str(tmp_path / "home")))
        assert result.returncode == 0, (label, result.stderr)
        out = result.stdout.decode("utf-8")
        assert not CONTROL.search(out.replace("\n", "").replace("\t", "")), (label, out)
        outputs[label] = out
    assert "Al\\x1b]0;owned\\x07ex" in outputs["history"]
    assert "after\\x7f words" in outputs["search"]
    exported = json.loads(outputs["export"])
    assert exported["partners"][0]["name"] == name
    assert any(a["value"] == words for a in exported["answers"])
