"""Periods and the build date (value-model.md: build date, period; content-format.md: fiscal year).

The calendar lives in `csvf_build.calendar`, below both the content layer and
the model; `csvf_build.model.periods` re-exports it for the model and the CLI.
"""

from __future__ import annotations

import ast
import time
from datetime import UTC, date, datetime, timedelta
from pathlib import Path

import pytest

import csvf_build.calendar as calendar
import csvf_build.model.periods as periods
from csvf_build.calendar import build_date, fiscal_year, fiscal_year_bounds
from tests.conftest import ContentBuilder, build_model

D = date.fromisoformat


# ---------------------------------------------------------------- fiscal_year


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        ("2026-01-01", 2026),  # start 1 = calendar years
        ("2026-03-31", 2026),
        ("2026-04-01", 2026),
        ("2026-12-31", 2026),
    ],
)
def test_start_1_fiscal_years_are_calendar_years(day: str, expected: int) -> None:
    assert fiscal_year(D(day), 1) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # start 4: FY2026 runs 2025-04-01 to 2026-03-31 (named by the year it ends in)
        ("2025-03-31", 2025),
        ("2025-04-01", 2026),
        ("2025-12-31", 2026),
        ("2026-01-01", 2026),
        ("2026-03-31", 2026),
        ("2026-04-01", 2027),
    ],
)
def test_start_4_fiscal_year_is_named_by_the_year_it_ends_in(day: str, expected: int) -> None:
    assert fiscal_year(D(day), 4) == expected


@pytest.mark.parametrize(
    ("day", "expected"),
    [
        # start 10: FY2026 runs 2025-10-01 to 2026-09-30
        ("2025-09-30", 2025),
        ("2025-10-01", 2026),
        ("2026-09-30", 2026),
        ("2026-10-01", 2027),
    ],
)
def test_start_10_fiscal_years(day: str, expected: int) -> None:
    assert fiscal_year(D(day), 10) == expected


def test_start_12_december_opens_the_next_fiscal_year() -> None:
    # start 12: FY2026 runs 2025-12-01 to 2026-11-30
    assert fiscal_year(D("2025-11-30"), 12) == 2025
    assert fiscal_year(D("2025-12-01"), 12) == 2026
    assert fiscal_year(D("2026-11-30"), 12) == 2026


# ---------------------------------------------------------------- fiscal_year_bounds


@pytest.mark.parametrize(
    ("start", "year", "first", "last"),
    [
        (1, 2026, "2026-01-01", "2026-12-31"),
        (4, 2026, "2025-04-01", "2026-03-31"),  # the content-format.md example
        (10, 2026, "2025-10-01", "2026-09-30"),
        (12, 2026, "2025-12-01", "2026-11-30"),
        (3, 2024, "2023-03-01", "2024-02-29"),  # ends on a leap day
        (3, 2023, "2022-03-01", "2023-02-28"),
    ],
)
def test_fiscal_year_bounds(start: int, year: int, first: str, last: str) -> None:
    assert fiscal_year_bounds(year, start) == (D(first), D(last))


@pytest.mark.parametrize("start", range(1, 13))
def test_bounds_and_fiscal_year_agree_at_both_ends(start: int) -> None:
    first, last = fiscal_year_bounds(2026, start)
    assert fiscal_year(first, start) == 2026
    assert fiscal_year(last, start) == 2026
    assert fiscal_year(first - timedelta(days=1), start) == 2025
    assert fiscal_year(last + timedelta(days=1), start) == 2027


def test_model_current_year_follows_fiscal_year_start(tmp_path) -> None:
    builder = ContentBuilder(tmp_path / "content", fiscal_year_start=4)
    builder.customer("acme", since="2025-01-01", revenue={2025: "100"})
    # 2026-03-31 is the last day of FY2026; 2026-04-01 the first of FY2027
    assert build_model(builder, today="2026-03-31").current_year == 2026
    assert build_model(builder, today="2026-04-01").current_year == 2027


# ---------------------------------------------------------------- build date


def test_as_of_wins_over_source_date_epoch() -> None:
    # 1767225600 = 2026-01-01T00:00:00Z
    assert build_date(D("2024-05-06"), {"SOURCE_DATE_EPOCH": "1767225600"}) == D("2024-05-06")


def test_as_of_wins_over_today() -> None:
    assert build_date(D("2001-02-03"), {}) == D("2001-02-03")


def test_source_date_epoch_when_no_as_of() -> None:
    # 1767225600 = 2026-01-01T00:00:00Z
    assert build_date(None, {"SOURCE_DATE_EPOCH": "1767225600"}) == D("2026-01-01")


@pytest.fixture
def far_east_local_time(monkeypatch: pytest.MonkeyPatch):
    """Local time UTC+14, so a local-time date would differ from the UTC date."""
    monkeypatch.setenv("TZ", "Pacific/Kiritimati")
    time.tzset()
    yield
    monkeypatch.undo()
    time.tzset()


def test_source_date_epoch_is_read_as_a_utc_date(far_east_local_time) -> None:
    # 1767225599 = 2025-12-31T23:59:59Z, which is already 2026-01-01 13:59 at UTC+14
    assert build_date(None, {"SOURCE_DATE_EPOCH": "1767225599"}) == D("2025-12-31")


def test_source_date_epoch_is_read_from_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    # 0 = 1970-01-01T00:00:00Z
    monkeypatch.setenv("SOURCE_DATE_EPOCH", "0")
    assert build_date(None) == D("1970-01-01")


def test_today_in_utc_without_as_of_or_epoch(far_east_local_time) -> None:
    before = datetime.now(UTC).date()
    got = build_date(None, {})
    after = datetime.now(UTC).date()
    assert got in (before, after)


def test_today_without_as_of_or_epoch_in_the_process_environment(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("SOURCE_DATE_EPOCH", raising=False)
    before = datetime.now(UTC).date()
    got = build_date(None)
    after = datetime.now(UTC).date()
    assert got in (before, after)


# ---------------------------------------------------------------- the calendar is neutral


def test_model_periods_re_exports_the_calendar() -> None:
    for name in ("Month", "build_date", "fiscal_year", "fiscal_year_bounds", "months_between"):
        assert getattr(periods, name) is getattr(calendar, name)
    assert periods.ALL_TIME == "all"


def imported_modules(path: Path) -> set[str]:
    tree = ast.parse(path.read_text(encoding="utf-8"))
    names = {node.module or "" for node in ast.walk(tree) if isinstance(node, ast.ImportFrom)}
    return names | {alias.name for node in ast.walk(tree) if isinstance(node, ast.Import) for alias in node.names}


def test_the_content_layer_never_imports_the_model_or_the_pages() -> None:
    package = Path(calendar.__file__).parent
    upward = {
        f"{path.name}: {module}"
        for path in sorted((package / "content").glob("*.py"))
        for module in imported_modules(path)
        if module.startswith(("csvf_build.model", "csvf_build.render"))
    }
    assert upward == set()
    assert not any(m.startswith("csvf_build.") for m in imported_modules(package / "calendar.py"))
