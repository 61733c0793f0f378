"""`make bench`: how the pipeline scales with the number of customers.

Generates synthetic portfolios (the example's company and catalog, N customers
with 40 records each) in a temporary folder and times each step of the build.
Reports medians of several runs and the per-customer cost, so a regression or
a quadratic step shows as a growing ratio; charts are timed on their own (ms
per chart drawn, and per chart reused from the cache), and the step timings
use a warm chart cache. Not a test: nothing here asserts.
"""

from __future__ import annotations

import argparse
import functools
import random
import shutil
import statistics
import tempfile
import time
from datetime import date, timedelta
from pathlib import Path

from csvf_build.charts.cache import ChartStats, draw_charts
from csvf_build.charts.customer import customer_charts
from csvf_build.charts.spec import ChartSpec
from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import check_and_compute, generate
from csvf_build.site import write_tree

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)
SEGMENTS = ["key", "strategic", "growth", "standard"]
TIERS = ["basic", "standard", "premium"]
SERVICES = ["training", "applications-engineering", "line-service", "parts-testing", "product-samples"]


def write_portfolio(root: Path, customers: int, records: int, seed: int = 7) -> None:
    rng = random.Random(seed)
    root.mkdir(parents=True)
    shutil.copy(REPO / "content" / "company.yaml", root / "company.yaml")
    shutil.copy(REPO / "content" / "catalog.yaml", root / "catalog.yaml")
    for n in range(customers):
        folder = root / "customers" / f"customer-{n:05d}"
        (folder / "records").mkdir(parents=True)
        revenue = "\n".join(f"  {year}: {rng.randint(20, 900) * 1000}" for year in (2024, 2025, 2026, 2027))
        (folder / "customer.yaml").write_text(
            f"name: Customer {n}\nsegment: {rng.choice(SEGMENTS)}\ntier: {rng.choice(TIERS)}\nsince: 2023-04-01\n"
            f"account_manager: Rep {n % 40}\nrevenue:\n{revenue}\ncontacts:\n  - name: Buyer {n}\n    role: Purchasing\n    from: 2023-04-01\n"
        )
        for r in range(records):
            day = date(2023, 4, 1) + timedelta(days=rng.randint(0, (TODAY - date(2023, 4, 1)).days))
            kind = rng.random()
            if kind < 0.6:
                front = f"type: service\nservice: {rng.choice(SERVICES)}\nquantity: {rng.randint(1, 40)}\nhours: {rng.randint(1, 16)}\ncustomer_hours: {rng.randint(0, 8)}"
            elif kind < 0.8:
                front = f"type: meeting\nkind: review\nstage: {rng.choice(['before', 'during', 'after'])}\ncontact: Buyer {n}"
            else:
                front = f"type: survey\nscore: {rng.randint(1, 5)}"
            (folder / "records" / f"{day}-r{r}.md").write_text(
                f"---\n{front}\ndate: {day}\ntitle: Record {r} for customer {n}\n---\nWe did **something** useful on line {r % 7}.\n"
            )


def time_steps(content_dir: Path, docs_dir: Path, chart_cache: Path) -> dict[str, float]:
    """Seconds per step of the pipeline the CLI runs (charts from a warm cache), then of writing its docs tree twice."""
    times = {}
    started = time.perf_counter()

    def step_done(name: str) -> None:
        nonlocal started
        times[name] = time.perf_counter() - started
        started = time.perf_counter()

    draw = functools.partial(draw_charts, cache_dir=chart_cache)
    generated, problems = generate(FolderTree(content_dir), TODAY, {}, on_step=step_done, draw=draw)
    assert generated is not None, problems[:3]
    write_tree(docs_dir, generated.files)
    step_done("write (first)")
    write_tree(docs_dir, generated.files)
    step_done("write (unchanged)")
    return times


def time_charts(content_dir: Path, cache: Path) -> None:
    """Milliseconds per chart drawn (every core) and per chart reused from the cache."""
    checked, problems = check_and_compute(FolderTree(content_dir), TODAY)
    assert checked is not None, problems[:3]
    specs = [s for c in checked.model.customers for s in customer_charts(c, checked.model) if isinstance(s, ChartSpec)]
    cold, warm = ChartStats(), ChartStats()
    started = time.perf_counter()
    draw_charts(specs, cache, cold)
    drawn = time.perf_counter() - started
    started = time.perf_counter()
    draw_charts(specs, cache, warm)
    reused = time.perf_counter() - started
    print(f"charts: {len(specs)} specs; drawn {cold.drawn} in {drawn:.2f} s = {drawn / len(specs) * 1000:.1f} ms per chart (all cores);")
    print(f"        reused {warm.reused} in {reused:.3f} s = {reused / len(specs) * 1000:.2f} ms per chart\n")


def draw_charts_for(content_dir: Path, cache: Path) -> None:
    """Warm the chart cache, so the step timings below measure the pipeline, not drawing."""
    checked, _ = check_and_compute(FolderTree(content_dir), TODAY)
    assert checked is not None
    draw_charts([s for c in checked.model.customers for s in customer_charts(c, checked.model) if isinstance(s, ChartSpec)], cache)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--customers", type=int, nargs="+", default=[50, 200, 800])
    parser.add_argument("--records", type=int, default=40)
    parser.add_argument("--runs", type=int, default=3)
    args = parser.parse_args()
    print(f"csvf pipeline benchmark: {args.records} records per customer, median of {args.runs} runs\n")
    print(f"{'customers':>9} {'step':<18} {'median s':>9} {'ms/customer':>12}")
    per_customer: dict[int, float] = {}
    for count in args.customers:
        with tempfile.TemporaryDirectory() as tmp:
            write_portfolio(Path(tmp) / "content", count, args.records)
            cache = Path(tmp) / "charts"
            if count == min(args.customers):
                time_charts(Path(tmp) / "content", cache)
            else:
                draw_charts_for(Path(tmp) / "content", cache)
            runs = []
            for run in range(args.runs):
                docs = Path(tmp) / f"docs-{run}"
                runs.append(time_steps(Path(tmp) / "content", docs, cache))
                shutil.rmtree(docs)
        total = 0.0
        for step in runs[0]:
            median = statistics.median(r[step] for r in runs)
            total += median if step != "write (unchanged)" else 0
            print(f"{count:>9} {step:<18} {median:>9.3f} {median / count * 1000:>12.2f}")
        per_customer[count] = total / count
        print(f"{count:>9} {'total (cold)':<18} {total:>9.3f} {total / count * 1000:>12.2f}\n")
    smallest = min(per_customer)
    for count, cost in sorted(per_customer.items()):
        print(f"per-customer cost at {count} customers: {cost / per_customer[smallest]:.2f}x that at {smallest}")


if __name__ == "__main__":
    main()
