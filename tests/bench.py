"""`make bench`: csvf's build against the engine's floor, at growing portfolio sizes.

For each size it writes a synthetic portfolio from a seed (the example's
company and catalog, N customers with 50 records each over five fiscal
years) into a project folder (this repository's mkdocs.yml, theme/ and
docs/), and runs the real `csvf` command:

- `csvf check`, cold (empty cache) and with nothing changed;
- `csvf build`, cold (empty cache, no docs tree, no site: charts are drawn);
- a rebuild with nothing changed, and a rebuild after one record changed;
- the floor: plain MkDocs-Material (search and offline plugins) building N
  one-paragraph pages, in the same run, so the ratios compare like with like.

Medians of `--runs` runs (cold runs: `--cold-runs`), peak memory of the
largest process of each run (csvf or the engine). Writes docs/benchmarks.md
(or `--out`) and prints the ratios. Not a test: nothing here asserts.

    .venv/bin/python -m tests.bench --sizes 100,800 --runs 3
"""

from __future__ import annotations

import argparse
import contextlib
import math
import os
import platform
import random
import re
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from importlib.metadata import version
from pathlib import Path
from typing import Any

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
FIRST_DAY = date(2022, 1, 1)  # five fiscal years (calendar years 2022-2026) up to TODAY
SEGMENTS = ["key", "strategic", "growth", "standard"]
TIERS = ["basic", "standard", "premium"]
SERVICES = ["training", "applications-engineering", "line-service", "parts-testing", "product-samples"]
WORDS = [
    "seal",
    "pump",
    "line",
    "filler",
    "audit",
    "valve",
    "gasket",
    "survey",
    "review",
    "training",
    "course",
    "crew",
    "shift",
    "sample",
    "test",
    "cartridge",
]


def write_portfolio(root: Path, customers: int, records: int, seed: int = 7) -> None:
    """N customers with `records` records each, the same for the same seed."""
    rng = random.Random(seed)
    root.mkdir(parents=True)
    shutil.copy(REPO / "content" / "company.yaml", root / "company.yaml")
    shutil.copy(REPO / "content" / "catalog.yaml", root / "catalog.yaml")
    span = (TODAY - FIRST_DAY).days
    for n in range(customers):
        folder = root / "customers" / f"customer-{n:05d}"
        (folder / "records").mkdir(parents=True)
        revenue = "\n".join(f"  {year}: {rng.randint(20, 900) * 1000}" for year in range(2022, 2028))
        (folder / "customer.yaml").write_text(
            f"name: Customer {n} {rng.choice(WORDS).title()} Works\nsegment: {rng.choice(SEGMENTS)}\ntier: {rng.choice(TIERS)}\n"
            f"since: 2021-04-01\naccount_manager: Rep {n % 40}\nrevenue:\n{revenue}\n"
            f"contacts:\n  - name: Buyer {n}\n    role: Purchasing\n    from: 2021-04-01\n"
        )
        for r in range(records):
            day = FIRST_DAY + timedelta(days=rng.randint(0, span))
            kind = rng.random()
            if kind < 0.6:
                front = (
                    f"type: service\nservice: {rng.choice(SERVICES)}\nquantity: {rng.randint(1, 40)}\n"
                    f"hours: {rng.randint(1, 16)}\ncustomer_hours: {rng.randint(0, 8)}"
                )
            elif kind < 0.8:
                front = f"type: meeting\nkind: review\nstage: {rng.choice(['before', 'during', 'after'])}\ncontact: Buyer {n}"
            else:
                front = f"type: survey\nscore: {rng.randint(1, 5)}"
            title = " ".join(rng.sample(WORDS, 3)).capitalize() + f" {r}"
            (folder / "records" / f"{day}-r{r}.md").write_text(
                f"---\n{front}\ndate: {day}\ntitle: {title}\n---\nWe did **something** useful on line {r % 7}.\n"
            )


def write_floor(root: Path, pages: int) -> None:
    """The floor: plain MkDocs-Material, search and offline plugins, `pages` one-paragraph pages."""
    docs = root / "docs"
    docs.mkdir(parents=True)
    (root / "mkdocs.yml").write_text(
        "site_name: Floor\nuse_directory_urls: false\ntheme:\n  name: material\n  font: false\n"
        "  features: [navigation.prune]\nplugins:\n  - search\n  - offline\nnot_in_nav: |\n  /p*.md\nnav:\n  - index.md\n"
    )
    (docs / "index.md").write_text("# Floor\n\nThe index page.\n")
    for n in range(pages):
        (docs / f"p{n:05d}.md").write_text(f"# Page {n}\n\nOne paragraph of plain text for page {n}, about pumps and seals.\n")


@dataclass
class Run:
    seconds: float
    peak_mb: float
    output: str


def run(command: list[str], cwd: Path, env: dict[str, str]) -> Run:
    """Run `command`; its wall time and the peak memory of its largest process (it or a child)."""
    with tempfile.TemporaryFile() as output:
        started = time.perf_counter()
        process = subprocess.Popen(command, cwd=cwd, env=env, stdout=output, stderr=subprocess.STDOUT)
        _, status, usage = os.wait4(process.pid, 0)
        seconds = time.perf_counter() - started
        process.returncode = os.waitstatus_to_exitcode(status)
        output.seek(0)
        text = output.read().decode("utf-8", "replace")
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(command)} failed:\n{text}")
    return Run(seconds, usage.ru_maxrss / 1024, text)


@dataclass
class Size:
    customers: int
    records: int
    times: dict[str, list[Run]] = field(default_factory=dict)
    search_bytes: int = 0
    site_pages: int = 0

    def split(self, step: str) -> str:
        """The build's own split of its median run: generating the docs tree, then the engine."""
        ordered = sorted(self.times[step], key=lambda r: r.seconds)
        found = SPLIT.search(ordered[len(ordered) // 2].output)
        return f"{float(found[1]):.1f} + {float(found[2]):.1f}" if found else "?"

    def median(self, step: str) -> float:
        return statistics.median(r.seconds for r in self.times[step])

    def peak(self, step: str) -> float:
        return max(r.peak_mb for r in self.times[step])


SPLIT = re.compile(r"check \+ model \+ pages: ([0-9.]+) s.*?site: ([0-9.]+) s", re.DOTALL)
STEPS = {
    "floor": "floor: MkDocs-Material, N one-paragraph pages",
    "check cold": "csvf check, empty cache",
    "check one record": "csvf check, one record changed",
    "check unchanged": "csvf check, nothing changed",
    "build cold": "csvf build, nothing cached (charts drawn)",
    "build unchanged": "csvf build, nothing changed",
    "build one record": "csvf build, one record changed",
    "serve one record": "csvf serve: a saved record seen in the page",
}


def measure(customers: int, records: int, runs: int, cold_runs: int, work: Path) -> Size:
    size = Size(customers, records)
    root = work / f"n{customers}"
    project = root / "project"
    project.mkdir(parents=True)
    for name in ("mkdocs.yml", "theme", "docs"):
        (shutil.copytree if (REPO / name).is_dir() else shutil.copy)(REPO / name, project / name)
    write_portfolio(project / "content", customers, records)
    write_floor(root / "floor", customers)
    cache = root / "cache"
    env = {**os.environ, "CSVF_CACHE_DIR": str(cache), "NO_MKDOCS_2_WARNING": "1"}
    csvf = [sys.executable, "-m", "csvf_build.cli"]
    floor = [sys.executable, "-m", "mkdocs", "build", "--strict", "--quiet"]
    say = printer(customers)
    build = [*csvf, "build", "--as-of", str(TODAY)]

    for step in STEPS:
        size.times[step] = []
    for _ in range(cold_runs):
        size.times["floor"].append(run(floor, root / "floor", env))
        shutil.rmtree(cache, ignore_errors=True)
        size.times["check cold"].append(run([*csvf, "check", "--as-of", str(TODAY)], project, env))
        size.times["floor"].append(run(floor, root / "floor", env))
        for folder in (cache, project / "build", project / "site"):
            shutil.rmtree(folder, ignore_errors=True)
        size.times["build cold"].append(run(build, project, env))
    say("check cold", size)
    say("build cold", size)
    record = sorted((project / "content" / "customers" / f"customer-{customers // 2:05d}" / "records").glob("*.md"))[0]
    original = record.read_text()
    # The warm steps interleaved with the floor: the machine is shared, so each ratio compares runs made under the same load.
    for n in range(runs):
        record.write_text(original.replace("\ntitle: ", f"\ntitle: Edited {n} ", 1))
        size.times["check one record"].append(run([*csvf, "check", "--as-of", str(TODAY)], project, env))
        size.times["check unchanged"].append(run([*csvf, "check", "--as-of", str(TODAY)], project, env))
        size.times["build one record"].append(run(build, project, env))
        size.times["build unchanged"].append(run(build, project, env))
        size.times["floor"].append(run(floor, root / "floor", env))
    try:
        size.times["serve one record"] = serve_latency(project, env, record, runs)
    except SystemExit as failed:  # the preview never showed the save: say so in the table, keep every other figure
        print(failed, flush=True)
        size.times["serve one record"] = [Run(float("nan"), 0.0, str(failed))]
    for step in ("floor", "check one record", "check unchanged", "build one record", "build unchanged", "serve one record"):
        say(step, size)
    index = project / "site" / "search" / "search_index.json"
    size.search_bytes = index.stat().st_size
    size.site_pages = sum(1 for _ in (project / "site").rglob("*.html"))
    return size


def serve_latency(project: Path, env: dict[str, str], record: Path, runs: int) -> list[Run]:
    """`csvf serve` running: from saving a record to the served page holding its new title, `runs` times.

    What a person sees after pressing save, less the browser's reload (the
    preview server's livereload asks it to reload once the site is rebuilt).
    """
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    customer = record.parent.parent.name
    url = f"http://127.0.0.1:{port}/customers/{customer}/index.html"
    command = [sys.executable, "-m", "csvf_build.cli", "serve", "--as-of", str(TODAY), "--dev-addr", f"127.0.0.1:{port}"]
    original = record.read_text()
    with tempfile.TemporaryFile() as output:
        server = subprocess.Popen(command, cwd=project, env=env, stdout=output, stderr=subprocess.STDOUT, start_new_session=True)
        try:
            _wait_for(url, "</html>", server, output, timeout=1800)
            measured = []
            for n in range(runs):
                token = f"Served{n}x{os.getpid()}"
                started = time.perf_counter()
                record.write_text(original.replace("\ntitle: ", f"\ntitle: {token} ", 1))
                _wait_for(url, token, server, output, timeout=600)
                measured.append(Run(time.perf_counter() - started, 0.0, ""))
                time.sleep(2)  # let the preview settle before the next save
            return measured
        finally:
            record.write_text(original)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(server.pid, signal.SIGTERM)
            try:
                server.wait(20)
            except subprocess.TimeoutExpired:
                os.killpg(server.pid, signal.SIGKILL)
                server.wait()


def _wait_for(url: str, text: str, server: subprocess.Popen[bytes], output: Any, timeout: float) -> None:
    """Poll `url` every 50 ms until its body holds `text`."""
    deadline = time.perf_counter() + timeout
    while time.perf_counter() < deadline:
        if server.poll() is not None:
            output.seek(0)
            raise SystemExit("csvf serve stopped:\n" + output.read().decode("utf-8", "replace"))
        with contextlib.suppress(OSError), urllib.request.urlopen(url, timeout=5) as response:
            if text in response.read().decode("utf-8", "replace"):
                return
        time.sleep(0.05)
    raise SystemExit(f"{url} did not show {text!r} within {timeout:.0f} s")


def printer(customers: int) -> Callable[[str, Size], None]:
    def say(step: str, size: Size) -> None:
        print(f"{customers:>6} customers  {STEPS[step]:<46} {size.median(step):8.2f} s  peak {size.peak(step):6.0f} MB", flush=True)

    return say


def versions() -> str:
    names = ("mkdocs", "mkdocs-material", "markdown", "matplotlib", "PyYAML", "pydantic")
    return ", ".join(f"{name} {version(name)}" for name in names)


def report(sizes: list[Size], runs: int, cold_runs: int, seconds: float) -> str:
    """docs/benchmarks.md's measured part: the table and the ratios against the targets."""
    lines = [
        "## Measured",
        "",
        f"Measured {datetime.now(UTC).strftime('%Y-%m-%d %H:%M')} UTC by `make bench` ({seconds / 60:.0f} min) on "
        f"{platform.machine()}, {os.cpu_count()} cores ({platform.platform()}), Python {platform.python_version()}; {versions()}.",
        f"Medians of {runs} runs ({cold_runs} for the cold steps); peak memory is the largest process (csvf or the engine).",
        "",
        "| customers | records | " + " | ".join(STEPS) + " | search index |",
        "|---:|---:|" + "---:|" * (len(STEPS) + 1),
    ]
    for s in sizes:
        cells = [
            "did not finish"
            if math.isnan(s.median(step))
            else f"{s.median(step):.2f} s" + (f" ({s.peak(step):.0f} MB)" if s.peak(step) else "")
            for step in STEPS
        ]
        lines.append(f"| {s.customers} | {s.customers * s.records} | " + " | ".join(cells) + f" | {s.search_bytes / 1e6:.2f} MB |")
    lines += [
        "",
        "Where a build's time goes (its own report of the median run: docs tree + engine, seconds; the rest is starting Python):",
        "",
    ]
    for s in sizes:
        parts = ", ".join(f"{step} {s.split(step)}" for step in ("build cold", "build unchanged", "build one record"))
        lines.append(f"- {s.customers} customers: {parts}")
    lines += ["", "Ratios (each measured within one run):", ""]
    for s in sizes:
        floor = s.median("floor")
        unchanged = s.median("build unchanged")
        lines.append(
            f"- {s.customers} customers: cold build {s.median('build cold') / floor:.1f}x the floor (target at most 10x at 800); "
            f"nothing changed {unchanged / floor:.2f}x the floor (target 1.5x); one record changed "
            f"{s.median('build one record') / unchanged:.1f}x nothing changed (target 1.2x); "
            f"check of {s.customers * s.records} records {s.median('check cold'):.1f} s cold, "
            f"{s.median('check unchanged'):.1f} s unchanged; csvf serve shows a saved record in "
            f"{s.median('serve one record'):.1f} s (target 2 s at 1,000)."
        )
    if len(sizes) > 1:
        small, large = sizes[0], sizes[-1]
        factor = large.customers / small.customers
        per_customer = (large.search_bytes - small.search_bytes) / (large.customers - small.customers)
        fixed = small.search_bytes - per_customer * small.customers
        lines.append(
            f"- search index: {fixed / 1e3:.0f} KB for the handbook and other pages plus {per_customer:.0f} bytes a customer: "
            f"{(fixed + per_customer * 5000) / 1e6:.1f} MB at 5,000 customers (target under 5 MB)."
        )
        for step in ("check cold", "build cold", "build one record"):
            lines.append(
                f"- {step}: {large.customers} customers cost {large.median(step) / small.median(step):.1f}x "
                f"{small.customers} ({factor:.0f}x the customers)."
            )
    return "\n".join(lines) + "\n"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", default="100,800", help="customer counts, comma-separated (default 100,800)")
    parser.add_argument("--records", type=int, default=50, help="records per customer (default 50)")
    parser.add_argument("--runs", type=int, default=3, help="runs of each warm step and of the floor (default 3)")
    parser.add_argument("--cold-runs", type=int, default=1, help="runs of each cold step (default 1)")
    parser.add_argument("--out", type=Path, default=None, help="write the measured table here (default: print only)")
    parser.add_argument("--keep", type=Path, default=None, help="work in this folder and keep it (default: a temporary one)")
    args = parser.parse_args()
    sizes = sorted(int(n) for n in args.sizes.split(","))
    started = time.perf_counter()
    with tempfile.TemporaryDirectory(prefix="csvf-bench-") as tmp:
        work = args.keep or Path(tmp)
        measured = [measure(n, args.records, args.runs, args.cold_runs, work) for n in sizes]
    text = report(measured, args.runs, args.cold_runs, time.perf_counter() - started)
    print("\n" + text)
    if args.out is not None:
        page = args.out.read_text(encoding="utf-8") if args.out.exists() else ""
        head = page.split("## Measured")[0].rstrip() + "\n\n" if "## Measured" in page else page
        tail = (
            page.split("## Measured", 1)[1].split("\n## ", 1)[1]
            if "## Measured" in page and "\n## " in page.split("## Measured", 1)[1]
            else ""
        )
        args.out.write_text(head + text + (f"\n## {tail}" if tail else ""), encoding="utf-8")


if __name__ == "__main__":
    main()
