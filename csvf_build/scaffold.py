"""Skeletons that are right the first time: a content repository, a customer, a record.

Pure: every function returns text (or path -> bytes); the commands check the
content with the new files added (in memory) and write only what passes, never
over an existing file. Every skeleton carries comments that say what each
field means and what to change; values that a person must fill in are marked.
"""

from __future__ import annotations

import json
import re
import unicodedata
from datetime import date
from importlib import resources
from typing import Any

from csvf_build.content.schema import Catalog, Company, Customer, json_schemas

SCHEMA_DIALECT = "https://json-schema.org/draft/2020-12/schema"
RECORD_TYPES = ("service", "meeting", "survey", "escalation", "appreciation", "business-change", "measurement", "presentation")
FILL_IN = "# <- fill in"


def yaml_text(value: str) -> str:
    """A string as a YAML 1.2 double-quoted scalar (JSON is valid YAML): any text stays exactly that text."""
    return json.dumps(value, ensure_ascii=False)


def starter(name: str) -> bytes:
    """A file shipped with csvf for new content repositories (csvf_build/starter/)."""
    return resources.files("csvf_build").joinpath("starter", name).read_bytes()


# ---------------------------------------------------------------- schemas


def _closed_maps(node: Any) -> Any:
    """Maps keyed by a pattern (revenue years, team roles) take no other key: the checker refuses them too."""
    if isinstance(node, dict):
        closed = {key: _closed_maps(value) for key, value in node.items()}
        if "patternProperties" in closed and "additionalProperties" not in closed and "properties" not in closed:
            closed["additionalProperties"] = False
        return closed
    if isinstance(node, list):
        return [_closed_maps(item) for item in node]
    return node


def schema_files() -> dict[str, bytes]:
    """`<kind>.schema.json` for every file kind and record type, from the checker's own models."""
    files = {}
    for name, schema in json_schemas().items():
        document = {"$schema": SCHEMA_DIALECT, **_closed_maps(schema)}
        files[f"{name}.schema.json"] = (json.dumps(document, indent=2, ensure_ascii=False, sort_keys=True) + "\n").encode()
    return files


def schema_comment(kind: str, schemas: str | None) -> str:
    """The editor line that binds a YAML file to its schema; `schemas` is the schemas folder relative to the file."""
    return f"# yaml-language-server: $schema={schemas}/{kind}.schema.json\n" if schemas else ""


# ---------------------------------------------------------------- csvf init

COMPANY = """\
{schema}# Who "we" are and the settings of the value model (docs: writing-records.md).
name: {name}
currency: {currency}                 # ISO 4217 code, used in every figure
fiscal_year_start: {start}           # month 1-12; 4 = FY2026 runs 2025-04-01 to 2026-03-31
internal_hour_cost: 100         # our cost of one staff hour (cost to serve)         {fill}
customer_hour_cost: 75          # what an hour of the customer's time is worth         {fill}
presentation_interval_days: 365 # a formal value presentation is due this often
stale_after_days: 180           # a value file with no new record for this long is stale
over_servicing_ratio: 2.0       # cost-to-serve share / revenue share that flags a customer
segments: [key, strategic, growth, standard]   # ordered, most important first
presentation_required: [key, strategic]        # segments that must get the yearly presentation
tiers: [basic, standard, premium]              # service tiers sold or granted
"""


def init_files(company_name: str, currency: str = "USD", fiscal_year_start: int = 1) -> dict[str, bytes]:
    """Every file of a new content repository (paths relative to its top)."""
    company = COMPANY.format(
        schema=schema_comment("company", "../schemas"),
        name=yaml_text(company_name),
        currency=currency,
        start=fiscal_year_start,
        fill=FILL_IN,
    )
    files = {
        "content/company.yaml": company.encode(),
        "content/catalog.yaml": schema_comment("catalog", "../schemas").encode() + starter("catalog.yaml"),
        "content/customers/.gitkeep": b"",  # git keeps no empty folder; the check ignores dotfiles
        ".github/workflows/pull-request.yml": starter("content-pull-request.yml"),
        ".pre-commit-config.yaml": starter("pre-commit-config.yaml"),
        "requirements.txt": starter("requirements.txt"),
        ".gitignore": starter("gitignore"),
    }
    files.update({f"schemas/{name}": data for name, data in schema_files().items()})
    return files


# ---------------------------------------------------------------- csvf new customer

CUSTOMER = """\
{schema}name: {name}{fill_name}
segment: {segment}{pad_segment} # one of: {segments}
tier: {tier}{pad_tier} # one of: {tiers}
# industry: Food processing     # optional
since: {since}               # start of the relationship
account_manager: {manager}
# expectations:                 # optional: what the customer expects to achieve, measured by records
#   - id: samples-per-shift
#     metric: Samples run per 8-hour shift
#     expected: 10
#     unit: samples
#     better: higher            # higher | lower
revenue: {{}}                     # our sales to them per fiscal year, bare numbers, one line each like  {year}: 125000
contacts: []                    # the customer's people: csvf new contact {id} --name "Priya Raman" --role "Purchasing manager"
"""


def title_from_id(customer_id: str) -> str:
    return " ".join(part.capitalize() for part in customer_id.split("-"))


def customer_yaml(
    customer_id: str,
    company: Company,
    *,
    name: str | None,
    segment: str | None,
    tier: str | None,
    since: date,
    account_manager: str,
    current_year: int,
    schemas: str | None = None,
) -> str:
    """A customer.yaml that passes the check: the company's own segments and tiers, no revenue yet."""
    chosen_segment = segment or company.segments[-1]
    chosen_tier = tier or company.tiers[0]
    return CUSTOMER.format(
        schema=schema_comment("customer", schemas),
        name=yaml_text(name or title_from_id(customer_id)),
        fill_name="" if name else f"   {FILL_IN}: the customer's name as they write it",
        segment=chosen_segment,
        pad_segment=" " * max(1, 22 - len(chosen_segment)),
        segments=", ".join(company.segments),
        tier=chosen_tier,
        pad_tier=" " * max(1, 25 - len(chosen_tier)),
        tiers=", ".join(company.tiers),
        id=customer_id,
        since=since.isoformat(),
        manager=yaml_text(account_manager),
        year=current_year,
    )


# ---------------------------------------------------------------- csvf new record


def slugify(text: str, limit: int = 48) -> str:
    """A file-name part: lowercase ASCII letters and digits joined by hyphens."""
    ascii_text = unicodedata.normalize("NFKD", text).encode("ascii", "ignore").decode()
    slug = re.sub(r"[^a-z0-9]+", "-", ascii_text.lower()).strip("-")
    return slug[:limit].rstrip("-") or "record"


def free_record_name(existing: set[str], day: date, title: str) -> str:
    """`YYYY-MM-DD-title.md`, or with -2, -3 ... when that name is taken: never an existing file."""
    stem = f"{day.isoformat()}-{slugify(title)}"
    name, n = f"{stem}.md", 1
    while name in existing:
        n += 1
        name = f"{stem}-{n}.md"
    return name


DEFAULT_TITLES = {
    "meeting": "Quarterly review",
    "survey": "Customer survey",
    "escalation": "Escalation",
    "appreciation": "Thanks from the customer",
    "business-change": "Business change",
    "measurement": "Measurement",
    "presentation": "Value presentation",
}


class SkeletonError(Exception):
    """A record of this kind cannot be written for this customer yet; `hint` says why."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


Line = tuple[str, str]  # (YAML, comment)


def _type_fields(kind: str, customer: Customer, catalog: Catalog, service: str | None, person: str) -> list[Line]:
    if kind == "service":
        services = "one of: " + ", ".join(s.id for s in catalog.services)
        if service is None:
            raise SkeletonError("a service record needs --service", services)
        entry = catalog.service(service)
        if entry is None:
            raise SkeletonError(f"'{service}' is not a service of the catalog", services)
        lines = [(f"service: {entry.id}", entry.name)]
        if entry.rate is not None:
            lines.append(("quantity: 1", f"in {entry.unit}; value = quantity x {entry.rate}  {FILL_IN}"))
        else:
            lines.append(("value: 0", f"money: this service has no catalog rate  {FILL_IN}"))
        lines += [
            ("hours: 0", f"our staff hours (cost to serve)  {FILL_IN}"),
            ("# our_cost: 0", "money; replaces hours x internal_hour_cost"),
            (f"# benefit: {entry.benefit}", "cost-avoided | return: overrides the catalog"),
        ]
        return lines
    if kind == "meeting":
        return [("kind: review", "review | governance | visit | call | other"), ("stage: after", "before | during | after: the purchase")]
    if kind == "survey":
        return [("score: 5", f"the customer's answer, 0 to the scale  {FILL_IN}"), ("scale: 5", "5, 10 or 100")]
    if kind == "escalation":
        return [
            ("level: team", "team | manager | director | executive"),
            (f"raised_to: {yaml_text(person)}", "who it was raised to"),
            ("# resolved: YYYY-MM-DD", "when it was resolved"),
        ]
    if kind == "appreciation":
        return [(f"from: {yaml_text(_a_contact(customer) or person)}", f"who thanked us  {FILL_IN}"), ("# about: Kim Ng", "person or team")]
    if kind == "business-change":
        return [("direction: expansion", "expansion | reduction | new-line | lost-line"), ("# amount: 50000", "money per year")]
    if kind == "measurement":
        if not customer.expectations:
            raise SkeletonError("this customer has no expectations to measure against", "add one under `expectations:` in customer.yaml")
        first = customer.expectations[0]
        return [
            (f"expectation: {first.id}", "one of: " + ", ".join(e.id for e in customer.expectations)),
            (f"actual: {first.expected}", f"in {first.unit}  {FILL_IN}"),
        ]
    if kind == "presentation":
        return [(f"attendees: [{yaml_text(person)}]", f"who attended  {FILL_IN}"), ("# outcome: What the customer said", "")]
    raise SkeletonError(f"unknown record type '{kind}'", "type is one of: " + ", ".join(RECORD_TYPES))


def _aligned(lines: list[Line]) -> list[str]:
    """Comments in one column, as a person would write them."""
    width = max(len(code) for code, _ in lines) + 2
    return [f"{code:<{width}}# {comment}".rstrip() if comment else code for code, comment in lines]


def _a_contact(customer: Customer) -> str | None:
    current = [c.name for c in customer.contacts if c.side == "customer" and c.current]
    return current[0] if current else None


def record_markdown(
    kind: str,
    customer: Customer,
    catalog: Catalog,
    *,
    day: date,
    title: str | None,
    service: str | None = None,
    person: str,
) -> tuple[str, str]:
    """(title, file text) of a record skeleton of type `kind` that passes the check."""
    if title is None:
        entry = catalog.service(service) if kind == "service" and service else None
        title = entry.name if entry else DEFAULT_TITLES.get(kind, kind.capitalize())
    contacts = [c.name for c in customer.contacts if c.side == "customer"]
    contact_hint = f"one of: {', '.join(contacts)}" if contacts else "add the person to contacts in customer.yaml first"
    fields: list[Line] = [
        (f"type: {kind}", ""),
        (f"date: {day.isoformat()}", "when it happened"),
        (f"title: {yaml_text(title)}", "one line"),
        *_type_fields(kind, customer, catalog, service, person),
        (f"by: {yaml_text(person)}", "our staff member who did it"),
        ("# contact: Name", f"the customer's person: {contact_hint}"),
        ("# customer_hours: 0", "hours of the customer's own people"),
        ("# tags: [audit]", "words to find it by"),
        ("# internal: true", "for our staff only, never in what the customer sees"),
    ]
    lines = ["---", *_aligned(fields), "---", "What happened, the evidence, and what was learnt.", ""]
    return title, "\n".join(lines)


def contact_item(name: str, role: str, since: date, email: str | None, side: str) -> dict[str, Any]:
    """A `contacts` entry in the order the format lists its keys."""
    item: dict[str, Any] = {"name": name, "role": role}
    if side != "customer":
        item["side"] = side
    item["from"] = since
    if email:
        item["email"] = email
    return item
