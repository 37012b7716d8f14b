"""`make bench`: the speed and size targets of PRODUCT.md, measured and printed.

Builds a demo workbook of 520 weeks (ten years), then measures, as medians of
several runs in this one run of the script:

- start to the drawn home screen, as a whole process, against a bare Textual app
  (header, label, footer) started the same way, and the ratio;
- peak memory (max RSS) of both processes, and the ratio;
- trends for all metrics; opening the oldest sitting; a full-text search;
  a recap in each format; an export; the size of the file.

Both apps run headless and exit as soon as their first screen has been drawn
(``RELWORKBOOK_EXIT_AFTER_DRAW=1`` for ours). Nothing here is a test: it prints.
"""

from __future__ import annotations

import json
import os
import platform
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

RUNS = int(os.environ.get("BENCH_RUNS", "7"))

BARE_APP = r"""
import sys
from textual.app import App
from textual.widgets import Footer, Header, Label

class Bare(App):
    def compose(self):
        yield Header()
        yield Label("Hello")
        yield Footer()

    def on_mount(self):
        self.call_after_refresh(self.exit)

Bare().run(headless=True, size=(80, 24))
"""

OUR_APP = r"""
import sys
from pathlib import Path
from relworkbook.app import make_app

app = make_app(Path(sys.argv[1]))
app.run(headless=True, size=(80, 24))
"""


def run_process(code: str, *args: str, env: dict | None = None) -> tuple[float, int]:
    """Wall time (s) and peak RSS (KiB) of one child process."""
    start = time.perf_counter()
    proc = subprocess.Popen([sys.executable, "-c", code, *args], env=env, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(proc.pid, 0)
    elapsed = time.perf_counter() - start
    proc.returncode = os.waitstatus_to_exitcode(status)
    err = proc.stderr.read().decode(errors="replace") if proc.stderr else ""
    if proc.returncode != 0:
        raise SystemExit(f"bench: child process failed ({proc.returncode}):\n{err[-2000:]}")
    return elapsed, usage.ru_maxrss


def median_ms(fn, runs: int = RUNS) -> float:
    samples = []
    for _ in range(runs):
        start = time.perf_counter()
        fn()
        samples.append((time.perf_counter() - start) * 1000)
    return statistics.median(samples)


def main() -> None:
    from relworkbook import recap as recap_mod
    from relworkbook import trends as trends_mod
    from relworkbook.catalog import load_catalog
    from relworkbook.demo import generate
    from relworkbook.store import Store

    work = Path(tempfile.mkdtemp(prefix="relworkbook-bench-"))
    db = work / "bench.db"
    env = dict(os.environ, RELWORKBOOK_HOME=str(work), RELWORKBOOK_EXIT_AFTER_DRAW="1")
    rows: list[tuple[str, str, str, bool | None]] = []

    catalog = load_catalog()
    start = time.perf_counter()
    store = Store.open(db)
    generate(store, catalog, weeks=520, seed=1)
    store.close()
    build_s = time.perf_counter() - start

    # Whole-process start-up, both apps, interleaved so machine noise hits both.
    ours_t, ours_m, bare_t, bare_m = [], [], [], []
    run_process(OUR_APP, str(db), env=env)  # warm the OS file cache and bytecode
    run_process(BARE_APP, env=env)
    for _ in range(RUNS):
        t, m = run_process(OUR_APP, str(db), env=env)
        ours_t.append(t), ours_m.append(m)
        t, m = run_process(BARE_APP, env=env)
        bare_t.append(t), bare_m.append(m)
    ours_start, bare_start = statistics.median(ours_t) * 1000, statistics.median(bare_t) * 1000
    ours_mem, bare_mem = statistics.median(ours_m) / 1024, statistics.median(bare_m) / 1024
    rows.append(("start to home screen, drawn", f"{ours_start:.0f} ms", "", None))
    rows.append(("bare Textual app, same", f"{bare_start:.0f} ms", "", None))
    rows.append(("start-up ratio", f"{ours_start / bare_start:.2f}x", "<= 1.2x", ours_start / bare_start <= 1.2))
    rows.append(("memory at home screen", f"{ours_mem:.1f} MiB", "", None))
    rows.append(("bare Textual app memory", f"{bare_mem:.1f} MiB", "", None))
    rows.append(("memory ratio", f"{ours_mem / bare_mem:.2f}x", "<= 1.3x", ours_mem / bare_mem <= 1.3))

    store = Store.open(db)
    try:
        ms = median_ms(lambda: trends_mod.summary(store, catalog, window="all"))
        rows.append(("trends, all metrics, 10 years", f"{ms:.1f} ms", "< 50 ms", ms < 50))

        oldest = store.list_sittings()[-1]
        ms = median_ms(lambda: (store.get_sitting(oldest.id), store.answers_for_sitting(oldest.id)))
        rows.append(("open the oldest sitting", f"{ms:.1f} ms", "< 20 ms", ms < 20))

        ms = median_ms(lambda: store.search("listened"))
        rows.append(("full-text search", f"{ms:.1f} ms", "< 20 ms", ms < 20))

        last = store.last_sitting()
        for fmt in ("text", "markdown", "html"):
            ms = median_ms(lambda: recap_mod.render(recap_mod.build_recap(store, catalog, last.id), fmt))
            rows.append((f"recap, {fmt}", f"{ms:.1f} ms", "< 50 ms", ms < 50))

        ms = median_ms(lambda: json.dumps(store.export_data()), runs=3)
        rows.append(("export (JSON)", f"{ms:.0f} ms", "", None))
    finally:
        store.close()

    size_mb = sum(p.stat().st_size for p in work.glob("bench.db*")) / 1_000_000
    rows.append(("workbook file, 520 weeks", f"{size_mb:.1f} MB", "< 20 MB", size_mb < 20))

    print(f"relworkbook bench: {platform.node() or 'this machine'}, {platform.machine()}, "
          f"{os.cpu_count()} cores, Python {platform.python_version()}, {platform.system()} {platform.release()}")
    print(f"demo workbook of 520 weeks built in {build_s:.1f} s; medians of {RUNS} runs\n")
    print(f"{'figure':<32} {'value':>12} {'target':>10}  result")
    print("-" * 64)
    for name, value, target, ok in rows:
        verdict = "" if ok is None else ("pass" if ok else "MISS")
        print(f"{name:<32} {value:>12} {target:>10}  {verdict}")
    misses = [r for r in rows if r[3] is False]
    print(f"\n{len(misses)} target(s) missed." if misses else "\nAll targets met.")


if __name__ == "__main__":
    main()
