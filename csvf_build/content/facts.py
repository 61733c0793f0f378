"""What the cross-file and date rules need, read from a YAML file even when it failed validation.

A customer.yaml with one bad field must not hide that a record is dated in
the future, nor a record with a bad title that its `resolved` date is before
its `date`. Each fact is parsed on its own with the same value rules as the
schema; a fact that is itself invalid is left out (validation reported it).
"""

from __future__ import annotations

import datetime
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any, TypeVar

from pydantic_core import PydanticCustomError

from csvf_build.content.values import parse_date, parse_fiscal_year_key, parse_line, parse_slug
from csvf_build.content.yamlread import YamlDocument

T = TypeVar("T")


def lenient(parse: Callable[[Any], T], value: Any) -> T | None:
    """`parse(value)`, or None when the value is missing or invalid."""
    if value is None:
        return None
    try:
        return parse(value)
    except (PydanticCustomError, ValueError, TypeError):
        return None


@dataclass(frozen=True)
class RecordFacts:
    """A record's front matter as far as the rules need it; each field None unless valid on its own."""

    path: str
    doc: YamlDocument
    type: str | None
    date: datetime.date | None
    resolved: datetime.date | None  # escalations only
    contact: str | None
    service: str | None  # service records only
    expectation: str | None  # measurement records only
    confirmed_by: str | None = None  # measurement records only: a customer-side contact


def record_facts(path: str, doc: YamlDocument) -> RecordFacts:
    data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
    kind = data.get("type") if isinstance(data.get("type"), str) else None
    return RecordFacts(
        path=path,
        doc=doc,
        type=kind,
        date=lenient(parse_date, data.get("date")),
        resolved=lenient(parse_date, data.get("resolved")) if kind == "escalation" else None,
        contact=lenient(parse_line, data.get("contact")),
        service=lenient(parse_slug, data.get("service")) if kind == "service" else None,
        expectation=lenient(parse_slug, data.get("expectation")) if kind == "measurement" else None,
        confirmed_by=lenient(parse_line, data.get("confirmed_by")) if kind == "measurement" else None,
    )


@dataclass(frozen=True)
class CustomerFacts:
    """customer.yaml as far as the rules need it, each field None (or empty) unless valid on its own."""

    since: datetime.date | None
    segment: str | None
    tier: str | None
    revenue_years: tuple[tuple[int, str], ...]  # (fiscal year, the key as written)
    expectation_ids: tuple[str, ...]


def customer_facts(doc: YamlDocument) -> CustomerFacts:
    data: dict[str, Any] = doc.data if isinstance(doc.data, dict) else {}
    revenue = data.get("revenue")
    years = [(lenient(parse_fiscal_year_key, key), str(key)) for key in revenue] if isinstance(revenue, dict) else []
    expectations = data.get("expectations")
    ids = [lenient(parse_slug, e.get("id")) for e in expectations if isinstance(e, dict)] if isinstance(expectations, list) else []
    return CustomerFacts(
        since=lenient(parse_date, data.get("since")),
        segment=lenient(parse_slug, data.get("segment")),
        tier=lenient(parse_slug, data.get("tier")),
        revenue_years=tuple((year, key) for year, key in years if year is not None),
        expectation_ids=tuple(i for i in ids if i is not None),
    )
