"""Milliseconds per chart, per kind: `python -m tests.bench_charts [PER_KIND] [CUSTOMERS]`.

Draws up to PER_KIND (default 40) charts of every kind, one process, kinds
interleaved as a build meets them: the customer charts of a synthetic
portfolio (CUSTOMERS, default 100, 50 records each; see tests/bench.py), the
expectation charts of the example content and both portfolios' 80/20 and
over-servicing charts. Reports process CPU time (steadier than the wall clock
on a shared machine). Not a test: a timing goal is never a unit test.
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections import defaultdict
from datetime import date
from pathlib import Path

from csvf_build.charts.customer import customer_charts
from csvf_build.charts.draw import Drawer
from csvf_build.charts.portfolio import portfolio_charts
from csvf_build.charts.spec import ChartSpec
from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import check_and_compute
from tests.bench import write_portfolio

EXAMPLE = Path(__file__).resolve().parent.parent / "content"
BUILD_DATE = date(2026, 11, 23)


def specs_of(root: Path) -> list[ChartSpec]:
    checked, _ = check_and_compute(FolderTree(root), BUILD_DATE)
    assert checked is not None, f"{root} has problems"
    model = checked.model
    charts = [chart for customer in model.customers for chart in customer_charts(customer, model)]
    charts += [chart for group in portfolio_charts(model).values() for chart in group]
    return [chart for chart in charts if isinstance(chart, ChartSpec)]


def main(per_kind: int, customers: int) -> None:
    with tempfile.TemporaryDirectory() as folder:
        root = Path(folder) / "content"
        write_portfolio(root, customers, 50)
        specs = specs_of(root) + specs_of(EXAMPLE)
    by_kind: dict[str, list[ChartSpec]] = defaultdict(list)
    for spec in specs:
        if len(by_kind[spec.kind]) < per_kind:
            by_kind[spec.kind].append(spec)
    drawer = Drawer()
    for spec in (charts[0] for charts in by_kind.values()):
        drawer.draw(spec)  # each kind's figure made before the clock starts: a build makes it once per process
    seconds: dict[str, float] = defaultdict(float)
    for i in range(per_kind):
        for kind, charts in by_kind.items():
            if i < len(charts):
                started = time.process_time()
                drawer.draw(charts[i])
                seconds[kind] += time.process_time() - started
    for kind, charts in by_kind.items():
        print(f"{kind:14} {1000 * seconds[kind] / len(charts):6.1f} ms a chart ({len(charts)} charts)")
    count = sum(len(charts) for charts in by_kind.values())
    print(f"{'all':14} {1000 * sum(seconds.values()) / count:6.1f} ms a chart ({count} charts)")


if __name__ == "__main__":
    main(int(sys.argv[1]) if len(sys.argv) > 1 else 40, int(sys.argv[2]) if len(sys.argv) > 2 else 100)
