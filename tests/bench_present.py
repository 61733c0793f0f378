"""Time the customer pack on the example content: `python -m tests.bench_present [RUNS]`.

Prints the median of RUNS (default 5) for one pack at a time, per step (view,
document, drawings, layout) and in total, for PDF and HTML, then `--all` on
every core (seconds per pack, wall clock). Not a test: `make bench` times the
site; this times the pack.
"""

from __future__ import annotations

import dataclasses
import statistics
import sys
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from csvf_build.charts.cache import draw_charts
from csvf_build.check import check
from csvf_build.content.load import Content
from csvf_build.content.tree import FolderTree
from csvf_build.model.periods import fiscal_year
from csvf_build.present.command import Job, make_packs
from csvf_build.present.document import charts_of
from csvf_build.present.pack import lay_out, pack_source
from csvf_build.present.view import customer_view, default_year, pack_years

EXAMPLE = Path(__file__).resolve().parent.parent / "content"
BUILD_DATE = date(2026, 11, 23)


def jobs_for(content: Content) -> list[Job]:
    start = content.company.fiscal_year_start
    jobs = []
    for folder in content.customers:
        year = default_year(BUILD_DATE, start)
        if year not in pack_years(folder.customer.since, BUILD_DATE, start):
            year = fiscal_year(BUILD_DATE, start)
        jobs.append(Job(folder.id, year, None))
    return jobs


def one_at_a_time(content: Content, jobs: list[Job], output_format: str) -> dict[str, float]:
    """Seconds per pack for each step, averaged over the customers."""
    spent: dict[str, float] = defaultdict(float)
    folders = {f.id: f for f in content.customers}
    for job in jobs:
        t0 = time.perf_counter()
        view = customer_view(folders[job.customer_id], content.company, content.catalog, job.year, BUILD_DATE)
        t1 = time.perf_counter()
        undrawn = pack_source(view, draw=False)  # the document and its reference
        t2 = time.perf_counter()
        drawings = draw_charts(charts_of(view).values())
        t3 = time.perf_counter()
        lay_out(dataclasses.replace(undrawn, drawings=drawings), output_format)
        t4 = time.perf_counter()
        for step, seconds in (("view", t1 - t0), ("document", t2 - t1), ("drawings", t3 - t2), ("layout", t4 - t3), ("total", t4 - t0)):
            spent[step] += seconds / len(jobs)
    return spent


def main(runs: int = 5) -> None:
    content, problems = check(FolderTree(EXAMPLE), BUILD_DATE)
    assert content is not None, problems
    jobs = jobs_for(content)
    print(f"csvf present on the example content: {len(jobs)} customers, build date {BUILD_DATE}, median of {runs} runs")
    for output_format in ("pdf", "html"):
        samples = [one_at_a_time(content, jobs, output_format) for _ in range(runs)]
        steps = ", ".join(
            f"{step} {statistics.median(s[step] for s in samples):.3f}" for step in ("view", "document", "drawings", "layout")
        )
        print(f"  {output_format}, one at a time: {statistics.median(s['total'] for s in samples):.3f} s a pack ({steps})")
    walls = []
    for _ in range(runs):
        started = time.perf_counter()
        make_packs(content, jobs, BUILD_DATE, "pdf")
        walls.append((time.perf_counter() - started) / len(jobs))
    print(f"  pdf, --all on every core: {statistics.median(walls):.3f} s a pack (wall clock)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 5)
