"""Checks that need more than one file, or the build date.

Each rule returns problems located in the file a user must change. The rules
run only on content that passed its per-file validation.
"""

from __future__ import annotations

from collections import Counter
from datetime import date

from csvf_build.content.load import Content, CustomerFolder, RecordFile
from csvf_build.content.markup import Link
from csvf_build.content.schema import EscalationRecord, MeasurementRecord, ServiceRecord
from csvf_build.content.yamlread import Path
from csvf_build.model.periods import fiscal_year
from csvf_build.problems import Problem


def check_rules(content: Content, today: date) -> list[Problem]:
    """Every cross-file and date rule of the content format."""
    problems = _company_rules(content) + _catalog_rules(content)
    for folder in content.customers:
        problems += _customer_rules(content, folder, today)
        for record_file in folder.records:
            problems += _record_rules(content, folder, record_file, today)
        problems += _notes_links(content, folder)
    pages = {page.path for page in content.training}
    for page in content.training:
        problems += _training_links(content, page.path, page.body.links, pages)
    return problems


def _at(content: Content, path: str, doc_locate: tuple[int, int], message: str, hint: str = "") -> Problem:
    return Problem(content.display[path], doc_locate[0], doc_locate[1], message, hint)


def _duplicates(values: list[str]) -> list[str]:
    return [value for value, count in Counter(values).items() if count > 1]


def _company_rules(content: Content) -> list[Problem]:
    company, doc = content.company, content.company_doc
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


def _catalog_rules(content: Content) -> list[Problem]:
    catalog, doc = content.catalog, content.catalog_doc
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


def _customer_rules(content: Content, folder: CustomerFolder, today: date) -> list[Problem]:
    company, customer, doc, path = content.company, folder.customer, folder.doc, folder.path
    problems = []
    if customer.segment not in company.segments:
        problems.append(
            _at(
                content,
                path,
                doc.locate(("segment",)),
                f"segment '{customer.segment}' is not in company.yaml",
                f"use one of: {', '.join(company.segments)}",
            )
        )
    if customer.tier not in company.tiers:
        problems.append(
            _at(
                content,
                path,
                doc.locate(("tier",)),
                f"tier '{customer.tier}' is not in company.yaml",
                f"use one of: {', '.join(company.tiers)}",
            )
        )
    if customer.since > today:
        problems.append(
            _at(
                content,
                path,
                doc.locate(("since",)),
                f"since {customer.since} is after the build date {today}",
                "a relationship cannot start in the future",
            )
        )
    first_fy = fiscal_year(customer.since, company.fiscal_year_start)
    last_fy = fiscal_year(today, company.fiscal_year_start)
    for year in customer.revenue:
        if not first_fy <= year <= last_fy:
            problems.append(
                _at(
                    content,
                    path,
                    doc.locate(("revenue", f"{year:04d}"), key=True),
                    f"revenue for FY{year} is outside FY{first_fy} (the fiscal year of `since`) to FY{last_fy} (the build date's)",
                    "fix the year, or move `since` back if the relationship began earlier",
                )
            )
    for dup in _duplicates([e.id for e in customer.expectations]):
        problems.append(
            _at(content, path, doc.locate(("expectations",)), f"expectation id '{dup}' is used twice", "give each expectation its own id")
        )
    return problems


def _record_rules(content: Content, folder: CustomerFolder, record_file: RecordFile, today: date) -> list[Problem]:
    record, doc, path = record_file.record, record_file.doc, record_file.path
    customer = folder.customer
    problems = []

    def add(where: Path, message: str, hint: str = "") -> None:
        problems.append(_at(content, path, doc.locate(where), message, hint))

    if record.date > today:
        add(("date",), f"date {record.date} is after the build date {today}", "record what happened, once it has happened")
    if record.date < customer.since:
        add(
            ("date",),
            f"date {record.date} is before the customer's `since` ({customer.since})",
            "fix the date, or move `since` in customer.yaml back",
        )
    if record.contact is not None:
        names = {c.name for c in customer.contacts if c.side == "customer"}
        if record.contact not in names:
            add(
                ("contact",),
                f"contact '{record.contact}' is not a customer-side contact in customer.yaml",
                "add them to `contacts`, or use one of: " + (", ".join(sorted(names)) or "(none listed)"),
            )
    if isinstance(record, ServiceRecord):
        service = content.catalog.service(record.service)
        if service is None:
            add(
                ("service",),
                f"service '{record.service}' is not in catalog.yaml",
                "use a service id from the catalog, or add the service there",
            )
        elif record.value is None and record.rate is None and service.rate is None:
            add(
                ("quantity",),
                f"no value: service '{record.service}' has no catalog rate and this record gives neither `value` nor `rate`",
                "add `value:` (money) or `rate:` (money per unit)",
            )
    if isinstance(record, MeasurementRecord) and record.expectation not in {e.id for e in customer.expectations}:
        add(
            ("expectation",),
            f"expectation '{record.expectation}' is not in customer.yaml",
            "use an id from `expectations`: " + (", ".join(e.id for e in customer.expectations) or "(none defined yet)"),
        )
    if isinstance(record, EscalationRecord) and record.resolved is not None:
        if record.resolved < record.date:
            add(
                ("resolved",),
                f"resolved {record.resolved} is before the escalation's date {record.date}",
                "an escalation is resolved after it is raised",
            )
        elif record.resolved > today:
            add(("resolved",), f"resolved {record.resolved} is after the build date {today}", "leave `resolved` out until it is resolved")
    problems += _link_problems(content, folder, record_file.path, record_file.body.links)
    return problems


def _notes_links(content: Content, folder: CustomerFolder) -> list[Problem]:
    if folder.notes is None:
        return []
    return _link_problems(content, folder, f"customers/{folder.id}/notes.md", folder.notes.links)


def _link_problems(content: Content, folder: CustomerFolder, path: str, links: tuple[Link, ...]) -> list[Problem]:
    problems = []
    files_dir = f"customers/{folder.id}/files/"
    for link in links:
        if link.problem:
            problems.append(Problem(content.display[path], link.line, 0, f"link '{link.target}': {link.problem}", ""))
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
        elif link.resolved is not None and link.resolved not in folder.attachments:
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


def _training_links(content: Content, path: str, links: tuple[Link, ...], pages: set[str]) -> list[Problem]:
    """A training page may link the web and other training pages, nothing else local."""
    problems = []
    for link in links:
        if link.problem:
            problems.append(Problem(content.display[path], link.line, 0, f"link '{link.target}': {link.problem}", ""))
        elif link.resolved is not None and link.resolved not in pages:
            hint = "link another training page by its file name, like other-page.md" + (
                f"; existing pages: {', '.join(sorted(p.removeprefix('training/') for p in pages))}" if pages else ""
            )
            problems.append(Problem(content.display[path], link.line, 0, f"link '{link.target}' is not a training page", hint))
    return problems
