"""The content format as data: one pydantic model per file kind and record type.

These models are the checker's field rules (unknown keys, required fields,
types, closed sets). Rules that need other files or the build date live in
`rules.py`. `json_schemas()` will feed editors' YAML validation.
"""

from __future__ import annotations

import datetime
import functools
from decimal import Decimal
from typing import Annotated, Any, Literal

from pydantic import BaseModel, ConfigDict, Field, PlainValidator, WithJsonSchema, model_validator

from csvf_build.content.values import (
    Currency,
    Day,
    FiscalYearKey,
    Flag,
    KeyName,
    Line,
    Money,
    NonNegative,
    Number,
    PackReference,
    Slug,
    Text,
    fail,
    parse_number,
    parse_whole,
)

MATERIAL_COLOURS = [
    "red",
    "pink",
    "purple",
    "deep-purple",
    "indigo",
    "blue",
    "light-blue",
    "cyan",
    "teal",
    "green",
    "light-green",
    "lime",
    "yellow",
    "amber",
    "orange",
    "deep-orange",
    "brown",
    "grey",
    "blue-grey",
    "black",
    "white",
]


class Strict(BaseModel):
    """Unknown keys are errors: they are almost always typos."""

    model_config = ConfigDict(extra="forbid", frozen=True, populate_by_name=False)


# ---------------------------------------------------------------- company.yaml


class SiteOptions(Strict):
    """Optional look of the site (csvf extension to the format)."""

    title: Line | None = None
    primary: Literal[tuple(MATERIAL_COLOURS)] | None = None  # type: ignore[valid-type]
    accent: Literal[tuple(MATERIAL_COLOURS)] | None = None  # type: ignore[valid-type]


def _parse_month(value: Any) -> int:
    number = parse_number(value)
    if number != number.to_integral_value() or not 1 <= number <= 12:
        raise fail(
            "month",
            f"fiscal_year_start must be a month number from 1 to 12, got {number}",
            "1 = fiscal years are calendar years; 4 = they start on April 1",
        )
    return int(number)


def _parse_positive(value: Any) -> Decimal:
    number = parse_number(value)
    if number <= 0:
        raise fail("positive", f"must be more than 0, got {number}", "write a number above 0")
    return number


def _parse_positive_whole(value: Any) -> int:
    number = parse_whole(value)
    if number <= 0:
        raise fail("positive", f"must be a whole number above 0, got {number}", "a number of days, like 365")
    return number


PositiveWhole = Annotated[int, PlainValidator(_parse_positive_whole), WithJsonSchema({"type": "integer", "minimum": 1})]
Month = Annotated[int, PlainValidator(_parse_month), WithJsonSchema({"type": "integer", "minimum": 1, "maximum": 12})]
Positive = Annotated[Decimal, PlainValidator(_parse_positive), WithJsonSchema({"type": "number", "exclusiveMinimum": 0})]


class Company(Strict):
    name: Line
    currency: Currency
    fiscal_year_start: Month
    internal_hour_cost: Money
    customer_hour_cost: Money
    presentation_interval_days: PositiveWhole
    stale_after_days: PositiveWhole
    over_servicing_ratio: Positive
    segments: list[Slug] = Field(min_length=1)
    presentation_required: list[Slug]
    tiers: list[Slug] = Field(min_length=1)
    site: SiteOptions | None = None

    @property
    def site_title(self) -> str:
        return (self.site and self.site.title) or f"{self.name} value files"


# ---------------------------------------------------------------- catalog.yaml

Benefit = Literal["cost-avoided", "return"]


class ServiceGroup(Strict):
    id: Slug
    name: Line


class Service(Strict):
    id: Slug
    group: Slug
    name: Line
    unit: Line
    rate: Money | None = None
    benefit: Benefit
    description: Text


class Catalog(Strict):
    groups: list[ServiceGroup]
    services: list[Service]

    def service(self, service_id: str) -> Service | None:
        """The service with this id (ids are checked unique), or None."""
        return self._by_id.get(service_id)

    @functools.cached_property
    def _by_id(self) -> dict[str, Service]:
        return {s.id: s for s in reversed(self.services)}  # the first of duplicate ids wins


# ---------------------------------------------------------------- customer.yaml


class Contact(Strict):
    name: Line
    role: Line
    side: Literal["customer", "us"] = "customer"
    from_: Day = Field(alias="from")
    to: Day | None = None
    email: Line | None = None
    note: Text | None = None

    @property
    def current(self) -> bool:
        return self.to is None

    def active_on(self, day: datetime.date) -> bool:
        """In the role on `day` (from and to are both days in the role)."""
        return self.from_ <= day and (self.to is None or day <= self.to)


class Expectation(Strict):
    id: Slug
    metric: Line
    expected: Number
    unit: Line
    better: Literal["higher", "lower"] = "higher"
    baseline: Number | None = None  # the level before our work began


class Customer(Strict):
    name: Line
    segment: Slug
    tier: Slug
    industry: Line | None = None
    since: Day
    account_manager: Line
    team: dict[KeyName, Line] = {}
    revenue: dict[FiscalYearKey, Money]
    contacts: list[Contact]
    expectations: list[Expectation] = []


# ---------------------------------------------------------------- records


class RecordBase(Strict):
    type: str
    date: Day
    title: Line
    by: Line | None = None
    contact: Line | None = None
    customer_hours: NonNegative | None = None
    tags: list[Line] = []
    internal: Flag = False


class ServiceRecord(RecordBase):
    type: Literal["service"]
    service: Slug
    quantity: NonNegative | None = None
    value: Money | None = None
    rate: Money | None = None
    benefit: Benefit | None = None
    hours: NonNegative | None = None
    our_cost: Money | None = None

    @model_validator(mode="after")
    def _quantity_or_value(self) -> ServiceRecord:
        if self.quantity is None and self.value is None:
            raise fail(
                "service_amount",
                "a service record needs `quantity`, `value`, or both",
                "add quantity (in the catalog unit) or value (money)",
            )
        return self


class MeetingRecord(RecordBase):
    type: Literal["meeting"]
    kind: Literal["review", "governance", "visit", "call", "other"]
    stage: Literal["before", "during", "after"]


def _parse_scale(value: Any) -> int:
    number = parse_number(value)
    if number not in (5, 10, 100):
        raise fail("scale", f"scale must be 5, 10 or 100, got {number}", "leave scale out for a 1-5 answer")
    return int(number)


Scale = Annotated[int, PlainValidator(_parse_scale), WithJsonSchema({"enum": [5, 10, 100]})]


class SurveyRecord(RecordBase):
    type: Literal["survey"]
    score: NonNegative
    scale: Scale = 5

    @model_validator(mode="after")
    def _score_in_scale(self) -> SurveyRecord:
        if self.score > self.scale:
            raise fail(
                "score",
                f"score {self.score} is above the scale of {self.scale}",
                "set `scale: 10` or `scale: 100` for other survey scales",
                field="score",
            )
        return self


class EscalationRecord(RecordBase):
    type: Literal["escalation"]
    level: Literal["team", "manager", "director", "executive"]
    raised_to: Line
    resolved: Day | None = None


class AppreciationRecord(RecordBase):
    type: Literal["appreciation"]
    from_: Line = Field(alias="from")
    about: Line | None = None


class BusinessChangeRecord(RecordBase):
    type: Literal["business-change"]
    direction: Literal["expansion", "reduction", "new-line", "lost-line"]
    amount: Money | None = None


class MeasurementRecord(RecordBase):
    type: Literal["measurement"]
    expectation: Slug
    actual: Number
    confirmed_by: Line | None = None  # the customer-side contact who confirmed the figure


class PresentationRecord(RecordBase):
    type: Literal["presentation"]
    attendees: list[Line] = Field(min_length=1)
    outcome: Text | None = None
    pack: PackReference | None = None  # the reference of the pack that was shown (printed on its cover)


class RecordCommon(RecordBase):
    """The fields every record has: checked on a record whose `type` is unknown, so its other
    mistakes show in the same run (its own keys are left to the type, once it is fixed)."""

    model_config = ConfigDict(extra="ignore", frozen=True, populate_by_name=False)
    type: Any = None


RECORD_TYPES: dict[str, type[RecordBase]] = {
    "service": ServiceRecord,
    "meeting": MeetingRecord,
    "survey": SurveyRecord,
    "escalation": EscalationRecord,
    "appreciation": AppreciationRecord,
    "business-change": BusinessChangeRecord,
    "measurement": MeasurementRecord,
    "presentation": PresentationRecord,
}

AnyRecord = (
    ServiceRecord
    | MeetingRecord
    | SurveyRecord
    | EscalationRecord
    | AppreciationRecord
    | BusinessChangeRecord
    | MeasurementRecord
    | PresentationRecord
)


def json_schemas() -> dict[str, dict[str, Any]]:
    """JSON Schemas of every file kind, for editors and `csvf schema` later."""
    schemas: dict[str, type[BaseModel]] = {"company": Company, "catalog": Catalog, "customer": Customer}
    out = {name: model.model_json_schema(by_alias=True) for name, model in schemas.items()}
    out.update({f"record-{name}": model.model_json_schema(by_alias=True) for name, model in RECORD_TYPES.items()})
    return out
