"""Checks that need more than one file, or the build date.

Each rule returns problems located in the file a user must change, and runs on
whatever loaded: a rule that needs company.yaml runs when it loaded, one that
needs the catalog when the catalog did, one that needs a customer's contacts
when its customer.yaml validated; a record's dates and links are checked
whatever else is broken. So one run shows every problem it can.
"""

from __future__ import annotations

import difflib
from collections import Counter
from datetime import date

from csvf_build.calendar import fiscal_year
from csvf_build.content.facts import CustomerFacts, RecordFacts
from csvf_build.content.load import CustomerParts, LoadedContent
from csvf_build.content.markup import Link
from csvf_build.content.schema import Catalog, Company, ServiceRecord
from csvf_build.content.yamlread import Path, YamlDocument
from csvf_build.problems import Problem
from csvf_build.training.live import Names, reference_issues
from csvf_build.training.shipped import GENERATED_TRAINING


def check_rules(content: LoadedContent, today: date) -> list[Problem]:
    """Every cross-file and date rule of the content format that the loaded files allow."""
    problems = _company_rules(content) + _catalog_rules(content)
    for parts in content.customers:
        problems += _customer_rules(content, parts, today)
        for facts in parts.record_facts:
            problems += _record_rules(content, parts, facts, today)
        if content.catalog is not None:
            problems += _priced_rules(content, content.catalog, parts)
        for path, markup in parts.bodies:
            problems += _link_problems(content, parts, path, markup.links)
    pages = {page.path for page in content.training} | set(GENERATED_TRAINING)
    for path, markup in content.training_bodies:
        problems += _training_links(content, path, markup.links, pages)
    problems += _training_references(content, today)
    return problems


def reference_names(content: LoadedContent, today: date) -> Names:
    """What live figures may name in this content: its customers and their expectations, segments, tiers, years."""
    customers = {
        parts.id: (frozenset(e.id for e in parts.customer.expectations) if parts.customer is not None else None)
        for parts in content.customers
        if parts.valid_id
    }
    company = content.company
    if company is None:
        return Names(customers)
    sinces = [parts.customer.since for parts in content.customers if parts.customer is not None]
    first = fiscal_year(min(sinces, default=today), company.fiscal_year_start)
    years = (min(first, fiscal_year(today, company.fiscal_year_start)), fiscal_year(today, company.fiscal_year_start))
    return Names(customers, tuple(company.segments), tuple(company.tiers), years)


def _training_references(content: LoadedContent, today: date) -> list[Problem]:
    """Every live figure of every training page names a known rule, customer, figure and period (live-figures.md)."""
    names = reference_names(content, today)
    return [
        Problem(page.display or content.display.get(page.path, page.path), issue.line, issue.col, issue.message, issue.hint)
        for page in content.training
        for issue in reference_issues(page.doc, names)
    ]


def _at(content: LoadedContent, path: str, doc_locate: tuple[int, int], message: str, hint: str = "") -> Problem:
    return Problem(content.display[path], doc_locate[0], doc_locate[1], message, hint)


def _duplicates(values: list[str] | tuple[str, ...]) -> list[str]:
    return [value for value, count in Counter(values).items() if count > 1]


def _company_rules(content: LoadedContent) -> list[Problem]:
    company, doc = content.company, content.company_doc
    if company is None or doc is None:
        return []
    problems = []
    for name in ("segments", "tiers", "presentation_required"):
        for dup in _duplicates(getattr(company, name)):
            problems.append(_at(content, "company.yaml", doc.locate((name,)), f"`{name}` lists '{dup}' twice", "list each name once"))
    for index, segment in enumerate(company.presentation_required):
        if segment not in company.segments:
            problems.append(
                _at(
                    content,
                    "company.yaml",
                    doc.locate(("presentation_required", index)),
                    f"'{segment}' is not one of the segments",
                    f"segments are: {', '.join(company.segments)}",
                )
            )
    return problems


def _catalog_rules(content: LoadedContent) -> list[Problem]:
    catalog, doc = content.catalog, content.catalog_doc
    if catalog is None or doc is None:
        return []
    problems = []
    for kind, ids in (("groups", [g.id for g in catalog.groups]), ("services", [s.id for s in catalog.services])):
        seen: set[str] = set()
        for index, item_id in enumerate(ids):
            if item_id in seen:
                problems.append(
                    _at(
                        content,
                        "catalog.yaml",
                        doc.locate((kind, index, "id")),
                        f"id '{item_id}' is used twice in {kind}",
                        "ids must be unique",
                    )
                )
            seen.add(item_id)
    group_ids = {group.id for group in catalog.groups}
    for index, service in enumerate(catalog.services):
        if service.group not in group_ids:
            problems.append(
                _at(
                    content,
                    "catalog.yaml",
                    doc.locate(("services", index, "group")),
                    f"service '{service.id}' names unknown group '{service.group}'",
                    f"groups are: {', '.join(sorted(group_ids))}",
                )
            )
    return problems


def _customer_rules(content: LoadedContent, parts: CustomerParts, today: date) -> list[Problem]:
    facts, doc, path = parts.facts, parts.doc, parts.path
    if facts is None or doc is None:
        return []
    problems = []
    if content.company is not None:
        problems += _company_settings_rules(content, content.company, path, facts, doc, today)
    if facts.since is not None and facts.since > today:
        problems.append(
            _at(
                content,
                path,
                doc.locate(("since",)),
                f"since {facts.since} is after the build date {today}",
                "a relationship cannot start in the future",
            )
        )
    for dup in _duplicates(facts.expectation_ids):
        problems.append(
            _at(content, path, doc.locate(("expectations",)), f"expectation id '{dup}' is used twice", "give each expectation its own id")
        )
    return problems


def _company_settings_rules(
    content: LoadedContent, company: Company, path: str, facts: CustomerFacts, doc: YamlDocument, today: date
) -> list[Problem]:
    """The customer.yaml rules that need company.yaml's segments, tiers and fiscal year."""
    problems = []
    for name, value, allowed in (("segment", facts.segment, company.segments), ("tier", facts.tier, company.tiers)):
        if value is not None and value not in allowed:
            problems.append(
                _at(content, path, doc.locate((name,)), f"{name} '{value}' is not in company.yaml", f"use one of: {', '.join(allowed)}")
            )
    if facts.since is None:
        return problems
    first_fy = fiscal_year(facts.since, company.fiscal_year_start)
    last_fy = fiscal_year(today, company.fiscal_year_start)
    for year, key in facts.revenue_years:
        if not first_fy <= year <= last_fy:
            problems.append(
                _at(
                    content,
                    path,
                    doc.locate(("revenue", key), key=True),
                    f"revenue for FY{year} is outside FY{first_fy} (the fiscal year of `since`) to FY{last_fy} (the build date's)",
                    "fix the year, or move `since` back if the relationship began earlier",
                )
            )
    return problems


def _record_rules(content: LoadedContent, parts: CustomerParts, record: RecordFacts, today: date) -> list[Problem]:
    """The rules on one record's front matter: its dates always, the rest when the files they name loaded."""
    doc, path = record.doc, record.path
    problems = []

    def add(where: Path, message: str, hint: str = "") -> None:
        problems.append(_at(content, path, doc.locate(where), message, hint))

    if record.date is not None and record.date > today:
        add(("date",), f"date {record.date} is after the build date {today}", "record what happened, once it has happened")
    since = parts.facts.since if parts.facts else None
    if record.date is not None and since is not None and record.date < since:
        add(
            ("date",),
            f"date {record.date} is before the customer's `since` ({since})",
            "fix the date, or move `since` in customer.yaml back",
        )
    if record.resolved is not None and record.date is not None and record.resolved < record.date:
        add(
            ("resolved",),
            f"resolved {record.resolved} is before the escalation's date {record.date}",
            "an escalation is resolved after it is raised",
        )
    elif record.resolved is not None and record.resolved > today:
        add(("resolved",), f"resolved {record.resolved} is after the build date {today}", "leave `resolved` out until it is resolved")
    if parts.customer is not None:
        customer = parts.customer
        names = {c.name for c in customer.contacts if c.side == "customer"}
        if record.contact is not None and record.contact not in names:
            add(
                ("contact",),
                f"contact '{record.contact}' is not a customer-side contact in customer.yaml",
                "add them to `contacts`, or use one of: " + (", ".join(sorted(names)) or "(none listed)"),
            )
        if record.confirmed_by is not None and record.confirmed_by not in names:
            add(
                ("confirmed_by",),
                f"confirmed_by '{record.confirmed_by}' is not a customer-side contact in customer.yaml",
                "name the customer's person who confirmed the figure, as written in `contacts`: "
                + (", ".join(sorted(names)) or "(none listed)"),
            )
        if record.expectation is not None and record.expectation not in {e.id for e in customer.expectations}:
            add(
                ("expectation",),
                f"expectation '{record.expectation}' is not in customer.yaml",
                "use an id from `expectations`: " + (", ".join(e.id for e in customer.expectations) or "(none defined yet)"),
            )
    if record.service is not None and content.catalog is not None and content.catalog.service(record.service) is None:
        ids = [s.id for s in content.catalog.services]
        close = difflib.get_close_matches(record.service, ids, n=1)
        add(
            ("service",),
            f"service '{record.service}' is not in catalog.yaml",
            (f"did you mean `{close[0]}`? " if close else "") + "use a service id from the catalog, or add the service there",
        )
    return problems


def _priced_rules(content: LoadedContent, catalog: Catalog, parts: CustomerParts) -> list[Problem]:
    """A valid service record must have a value: its own, or quantity x a rate from it or the catalog."""
    problems = []
    for record_file in parts.records:
        record = record_file.record
        if not isinstance(record, ServiceRecord):
            continue
        service = catalog.service(record.service)
        if service is not None and record.value is None and record.rate is None and service.rate is None:
            problems.append(
                _at(
                    content,
                    record_file.path,
                    record_file.doc.locate(("quantity",)),
                    f"no value: service '{record.service}' has no catalog rate and this record gives neither `value` nor `rate`",
                    "add `value:` (money) or `rate:` (money per unit)",
                )
            )
    return problems


def _link_problems(content: LoadedContent, parts: CustomerParts, path: str, links: tuple[Link, ...]) -> list[Problem]:
    problems = []
    files_dir = f"customers/{parts.id}/files/"
    for link in links:
        if link.problem:
            problems.append(
                Problem(content.display.get(path, path), link.line, 0, f"link '{link.target}': {link.problem}", link_hint(link, files_dir))
            )
        elif link.resolved is not None and not link.resolved.startswith(files_dir):
            problems.append(
                Problem(
                    content.display[path],
                    link.line,
                    0,
                    f"link '{link.target}' points outside this customer's files/ folder",
                    f"put the file in {files_dir} and link it relative to this file",
                )
            )
        elif link.resolved is not None and link.resolved not in parts.attachments:
            problems.append(
                Problem(
                    content.display[path],
                    link.line,
                    0,
                    f"link '{link.target}': no such file {link.resolved}",
                    f"add the file to {files_dir} or fix the name",
                )
            )
    return problems


def link_hint(link: Link, files_dir: str) -> str:
    """How to fix a link the check refuses: every problem carries a hint, these too."""
    where = f"copy the file into {files_dir} and link it relative to this file, like ../files/NAME" if files_dir else ""
    if link.is_image:
        return where or "training pages show no images from outside the site; describe the picture in words"
    if link.target.startswith("//"):
        return "write the whole address, starting with https://"
    if link.target.startswith("/"):
        return where or "link another training page by its file name, like other-page.md"
    return "link a web page with https://, or " + (where or "link another training page by its file name, like other-page.md")


def _training_links(content: LoadedContent, path: str, links: tuple[Link, ...], pages: set[str]) -> list[Problem]:
    """A training page may link the web and other training pages, nothing else local."""
    problems = []
    for link in links:
        if link.problem:
            problems.append(
                Problem(content.display.get(path, path), link.line, 0, f"link '{link.target}': {link.problem}", link_hint(link, ""))
            )
        elif link.resolved is not None and link.resolved not in pages:
            hint = "link another training page by its file name, like other-page.md" + (
                f"; existing pages: {', '.join(sorted(p.removeprefix('training/') for p in pages))}" if pages else ""
            )
            problems.append(Problem(content.display.get(path, path), link.line, 0, f"link '{link.target}' is not a training page", hint))
    return problems
