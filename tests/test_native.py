"""Native to its ecosystem (issue 19): shell completion, printing, paths, config, pipes."""

from __future__ import annotations

import os
import stat
import subprocess
import sys
import tomllib
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str, env: dict | None = None, input: str | None = None, timeout: int = 120) -> subprocess.CompletedProcess:
    full_env = dict(os.environ)
    full_env.update(env or {})
    return subprocess.run(
        [sys.executable, "-m", "relworkbook", *args],
        capture_output=True,
        text=True,
        cwd=ROOT,
        env=full_env,
        input=input,
        stdin=None if input is not None else subprocess.DEVNULL,
        timeout=timeout,
    )


def one_line_error(result: subprocess.CompletedProcess) -> str:
    assert result.returncode == 1, result
    assert "Traceback" not in result.stderr
    lines = [line for line in result.stderr.splitlines() if line.strip()]
    assert len(lines) == 1, result.stderr
    return lines[0]


@pytest.fixture(scope="module")
def demo_db(tmp_path_factory) -> Path:
    db = tmp_path_factory.mktemp("native") / "demo.db"
    result = run("demo", "--db", str(db), "--weeks", "8", "--seed", "5")
    assert result.returncode == 0, result.stderr
    return db


# ------------------------------------------------------------------ 1. shell completion


@pytest.mark.parametrize(
    "shell, marker",
    [("bash", "complete -o nosort -F _relworkbook_completion relworkbook"),
     ("zsh", "#compdef relworkbook"),
     ("fish", "complete --no-files --command relworkbook")],
)
def test_completion_script_never_opens_the_app(tmp_path, shell, marker):
    """click's line for a shell's rc file prints the script and creates nothing."""
    home = tmp_path / "home"
    result = run(env={"_RELWORKBOOK_COMPLETE": f"{shell}_source", "RELWORKBOOK_HOME": str(home)}, timeout=30)
    assert result.returncode == 0, result.stderr
    assert marker in result.stdout
    assert not home.exists()  # no workbook, not even its folder


def test_completion_completes_commands_and_options(tmp_path):
    home = tmp_path / "home"
    env = {"_RELWORKBOOK_COMPLETE": "bash_complete", "COMP_WORDS": "relworkbook hi", "COMP_CWORD": "1",
           "RELWORKBOOK_HOME": str(home)}
    result = run(env=env, timeout=30)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["plain,history"]
    env.update(COMP_WORDS="relworkbook recap --fo", COMP_CWORD="2")
    assert "plain,--format" in run(env=env, timeout=30).stdout.split()
    # Even with the plain start's own options on the line, completion stays click's.
    env.update(COMP_WORDS="relworkbook --db x.db ", COMP_CWORD="3")
    result = run("--db", "x.db", env=env, timeout=30)
    assert result.returncode == 0 and "plain,trends" in result.stdout.split()
    assert not home.exists()


# ------------------------------------------------------------------ 12. --print


def test_print_sends_the_recap_to_lp(demo_db, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    received = tmp_path / "received.txt"
    lp = bin_dir / "lp"
    lp.write_text(f'#!/bin/sh\ncat "$1" > {received}\necho "request id is fake-1"\n', encoding="utf-8")
    lp.chmod(0o755)
    result = run("recap", "--db", str(demo_db), "--last", "--print",
                 env={"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin"})
    assert result.returncode == 0, result.stderr
    assert "Sent to the printer" in result.stderr
    printed = received.read_text(encoding="utf-8")
    assert printed == run("recap", "--db", str(demo_db), "--last").stdout


def test_print_without_a_printer_is_one_line(demo_db, tmp_path):
    empty = tmp_path / "empty-bin"
    empty.mkdir()
    line = one_line_error(run("recap", "--db", str(demo_db), "--print", env={"PATH": str(empty)}))
    assert "no system printer" in line and "--output" in line


def test_print_refused_by_the_printer_is_one_line(demo_db, tmp_path):
    bin_dir = tmp_path / "bin"
    bin_dir.mkdir()
    lp = bin_dir / "lp"
    lp.write_text('#!/bin/sh\necho "lp: Error - no default destination available." >&2\nexit 1\n', encoding="utf-8")
    lp.chmod(0o755)
    line = one_line_error(run("recap", "--db", str(demo_db), "--print", env={"PATH": f"{bin_dir}{os.pathsep}/usr/bin:/bin"}))
    assert "no default destination" in line
