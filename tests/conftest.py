"""Shared test helpers: build small content trees in tmp_path, run the pipeline."""

from __future__ import annotations

import os
import textwrap
from datetime import date
from pathlib import Path

import pytest

from csvf_build.check import check
from csvf_build.content.tree import FolderTree
from csvf_build.model.compute import Model
from csvf_build.pipeline import Generated, check_and_compute, generate
from csvf_build.problems import Problem

COMPANY = """\
name: Test Components Ltd.
currency: USD
fiscal_year_start: {fiscal_year_start}
internal_hour_cost: 100
customer_hour_cost: 50
presentation_interval_days: 365
stale_after_days: 180
over_servicing_ratio: 2.0
segments: [key, strategic, growth, standard]
presentation_required: [key, strategic]
tiers: [basic, standard, premium]
"""

CATALOG = """\
groups:
  - id: training
    name: Training
  - id: engineering
    name: Engineering
  - id: outcomes
    name: Measured outcomes
services:
  - id: training
    group: training
    name: Training to the customer
    unit: attendee-hour
    rate: 90
    benefit: cost-avoided
    description: Courses for the customer's staff.
  - id: line-service
    group: engineering
    name: Production line service
    unit: engineer-hour
    rate: 150
    benefit: cost-avoided
    description: Our engineers on the customer's line.
  - id: study
    group: engineering
    name: Engineering study
    unit: study
    benefit: cost-avoided
    description: Priced per record.
  - id: scrap-reduction
    group: outcomes
    name: Scrap reduction
    unit: usd
    rate: 1
    benefit: return
    description: Money the customer no longer loses to scrap.
"""

CUSTOMER = """\
name: {name}
segment: {segment}
tier: {tier}
since: {since}
account_manager: Dana Whitfield
revenue:
{revenue}
contacts:
  - name: Priya Raman
    role: Purchasing manager
    from: {since}
{extra}"""


MEETING = """\
type: meeting
date: 2024-02-01
title: Quarterly review
kind: review
stage: after
"""


def line_of(path: Path, needle: str, nth: int = 1) -> int:
    """1-based number of the `nth` line of `path` containing `needle`."""
    seen = 0
    for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1):
        if needle in line:
            seen += 1
            if seen == nth:
                return number
    raise AssertionError(f"{needle!r} not found in {path}")


class ContentBuilder:
    """Writes a valid content tree; tests then add or break one thing."""

    def __init__(self, root: Path, fiscal_year_start: int = 1):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.write("company.yaml", COMPANY.format(fiscal_year_start=fiscal_year_start))
        self.write("catalog.yaml", CATALOG)

    def write(self, rel: str, text: str) -> Path:
        path = self.root / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
        return path

    def customer(
        self,
        cid: str = "acme",
        *,
        name: str = "Acme Foods Inc.",
        segment: str = "growth",
        tier: str = "standard",
        since: str = "2023-01-01",
        revenue: dict[int, str] | None = None,
        extra: str = "",
    ) -> Path:
        """A customer.yaml; `revenue` maps fiscal years to money text; `extra` is appended YAML."""
        revenue = {2024: "1000"} if revenue is None else revenue
        lines = "\n".join(f"  {year}: {amount}" for year, amount in revenue.items()) or "  {}"
        text = CUSTOMER.format(name=name, segment=segment, tier=tier, since=since, revenue=lines, extra=textwrap.dedent(extra))
        if not revenue:
            text = text.replace("revenue:\n  {}", "revenue: {}")
        return self.write(f"customers/{cid}/customer.yaml", text)

    def record(self, cid: str, name: str, front: str, body: str = "What happened.\n") -> Path:
        """A record file; `front` is the YAML between the --- lines."""
        return self.write(f"customers/{cid}/records/{name}", f"---\n{textwrap.dedent(front).strip()}\n---\n{body}")


@pytest.fixture
def content(tmp_path: Path) -> ContentBuilder:
    """A valid content tree (calendar fiscal years) to add customers and records to."""
    return ContentBuilder(tmp_path / "content")


def run_check(builder: ContentBuilder, today: str = "2026-06-30") -> tuple[object, list[Problem]]:
    return check(FolderTree(builder.root), date.fromisoformat(today))


def build_model(builder: ContentBuilder, today: str = "2026-06-30") -> Model:
    """Check and compute through the pipeline; fails the test with the problems if the content is invalid."""
    checked, problems = check_and_compute(FolderTree(builder.root), date.fromisoformat(today))
    assert checked is not None, problem_texts(problems)
    return checked.model


def generate_docs(builder: ContentBuilder, today: str = "2026-06-30", handbook: dict[str, bytes] | None = None) -> Generated:
    """The whole pipeline (check, compute, render) as the CLI runs it; fails the test on problems."""
    generated, problems = generate(FolderTree(builder.root), date.fromisoformat(today), handbook or {})
    assert generated is not None, problem_texts(problems)
    return generated


def problem_texts(problems: list[Problem]) -> str:
    return "\n".join(p.as_text() for p in problems)


@pytest.fixture(autouse=True, scope="session")
def _shared_chart_cache(tmp_path_factory: pytest.TempPathFactory) -> None:
    """Builds in every test share one chart cache, as CI's builds would: each chart is drawn once per run."""
    os.environ.setdefault("CSVF_CACHE_DIR", str(tmp_path_factory.mktemp("chart-cache")))


@pytest.fixture(scope="session")
def example_build(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example project built once per test session with `csvf build --packs`, as `make site` does; tests only read it."""
    from tests.test_site import AS_OF, csvf, make_project

    project = make_project(tmp_path_factory.mktemp("example-build"))
    result = csvf("build", "--packs", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project
