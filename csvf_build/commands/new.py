"""`csvf new customer|record|contact`: skeletons that pass the check, never over an existing file.

The content is checked with the new file added (in memory) first: a problem in
what csvf would write is reported and nothing is written. Problems elsewhere
in the content do not block a new file; they are counted.
"""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from csvf_build.check import check
from csvf_build.commands.common import (
    EXIT_CONTENT,
    as_of_option,
    content_option,
    err,
    fail_usage,
    git_user_name,
    out,
    replace_file,
    report,
    schemas_from,
    write_new,
)
from csvf_build.content.load import CUSTOMER_ID, Content, CustomerFolder, load_content
from csvf_build.content.overlay import OverlayTree
from csvf_build.content.tree import FolderTree
from csvf_build.model.periods import fiscal_year
from csvf_build.scaffold import RECORD_TYPES, SkeletonError, contact_item, customer_yaml, free_record_name, record_markdown
from csvf_build.yamledit import EditError, append_item, edit_yaml


@click.group("new")
def new_group() -> None:
    """Write a new customer, record or contact that passes the check right away."""


def _load(content_dir: Path) -> tuple[FolderTree, Content]:
    if not content_dir.is_dir():
        raise fail_usage(f"content folder '{content_dir}' not found", "use --content DIR, or start one with csvf init")
    tree = FolderTree(content_dir)
    content, problems = load_content(tree)
    if content is None:
        report(problems)
        sys.exit(EXIT_CONTENT)
    return tree, content


def _customer(content: Content, tree: FolderTree, customer_id: str) -> CustomerFolder:
    for folder in content.customers:
        if folder.id == customer_id:
            return folder
    if (tree.root / "customers" / customer_id / "customer.yaml").is_file():
        raise fail_usage(f"customers/{customer_id}/customer.yaml does not pass the check", "run csvf check and fix it first")
    raise fail_usage(f"there is no customer '{customer_id}'", f"start it with: csvf new customer {customer_id}")


def _write_checked(tree: FolderTree, rel: str, data: bytes, today: date, *, edit: bool = False) -> None:
    """Check the content with `rel` added (or replaced); write only if `rel` itself has no problem."""
    _, problems = check(OverlayTree(tree, {rel: data}), today)
    mine = [p for p in problems if p.file == tree.display(rel)]
    if mine:
        report(mine)
        sys.exit(EXIT_CONTENT)
    target = tree.root / rel
    if edit:
        replace_file(target, data)
    else:
        write_new(target, data)
    out.print(f"[green]Wrote[/] {tree.display(rel)}")
    if problems:
        err.print(f"[yellow]note:[/] the rest of the content has {len(problems)} problem(s); run csvf check")


@new_group.command("customer")
@click.argument("customer_id")
@click.option("--name", default=None, help="The customer's name (default: from the id).")
@click.option("--segment", default=None, help="One of company.yaml's segments (default: the last).")
@click.option("--tier", default=None, help="One of company.yaml's tiers (default: the first).")
@click.option("--since", default=None, metavar="YYYY-MM-DD", help="Start of the relationship (default: the build date).")
@click.option("--account-manager", default=None, help="Default: git config user.name.")
@content_option
@as_of_option
def new_customer(
    customer_id: str,
    name: str | None,
    segment: str | None,
    tier: str | None,
    since: str | None,
    account_manager: str | None,
    content_dir: Path,
    today: date,
) -> None:
    """customers/ID/customer.yaml, commented, with the company's segments and tiers."""
    if not (CUSTOMER_ID.match(customer_id) and 2 <= len(customer_id) <= 64):
        raise fail_usage(
            f"'{customer_id}' is not a valid customer id", "2-64 lowercase letters and digits joined by single hyphens, like acme-foods"
        )
    tree, content = _load(content_dir)
    if (tree.root / "customers" / customer_id).exists():
        raise fail_usage(f"customers/{customer_id} already exists; nothing was written", "csvf new never overwrites: pick another id")
    company = content.company
    day = _day(since, today, "--since")
    rel = f"customers/{customer_id}/customer.yaml"
    text = customer_yaml(
        customer_id,
        company,
        name=name,
        segment=segment,
        tier=tier,
        since=day,
        account_manager=account_manager or git_user_name() or "Your Name",
        current_year=fiscal_year(today, company.fiscal_year_start),
        schemas=schemas_from(tree.root / "customers" / customer_id),
    )
    _write_checked(tree, rel, text.encode(), today)


@new_group.command("record")
@click.argument("customer_id")
@click.option("--type", "kind", required=True, type=click.Choice(RECORD_TYPES), help="The record type.")
@click.option("--service", default=None, help="Catalog service id (service records).")
@click.option("--title", default=None, help="One line (default: from the type or service).")
@click.option("--date", "day", default=None, metavar="YYYY-MM-DD", help="When it happened (default: the build date).")
@click.option("--by", default=None, help="Our staff member (default: git config user.name, else the account manager).")
@content_option
@as_of_option
def new_record(
    customer_id: str, kind: str, service: str | None, title: str | None, day: str | None, by: str | None, content_dir: Path, today: date
) -> None:
    """customers/CUSTOMER/records/DATE-title.md: a commented skeleton under a free file name."""
    tree, content = _load(content_dir)
    folder = _customer(content, tree, customer_id)
    when = _day(day, today, "--date")
    person = by or git_user_name() or folder.customer.account_manager
    try:
        final_title, text = record_markdown(kind, folder.customer, content.catalog, day=when, title=title, service=service, person=person)
    except SkeletonError as error:
        raise fail_usage(error.message, error.hint) from None
    records = tree.root / "customers" / customer_id / "records"
    existing = {p.name for p in records.iterdir()} if records.is_dir() else set()
    rel = f"customers/{customer_id}/records/{free_record_name(existing, when, final_title)}"
    _write_checked(tree, rel, text.encode(), today)


@new_group.command("contact")
@click.argument("customer_id")
@click.option("--name", required=True, help="The person's name as records will name them.")
@click.option("--role", required=True, help="Their role, like Purchasing manager.")
@click.option("--from", "since", default=None, metavar="YYYY-MM-DD", help="In the role since (default: the build date).")
@click.option("--email", default=None)
@click.option("--side", type=click.Choice(["customer", "us"]), default="customer", show_default=True)
@content_option
@as_of_option
def new_contact(
    customer_id: str, name: str, role: str, since: str | None, email: str | None, side: str, content_dir: Path, today: date
) -> None:
    """Add a contact to customer.yaml, keeping its comments, key order and layout."""
    tree, content = _load(content_dir)
    folder = _customer(content, tree, customer_id)
    rel = folder.path
    item = contact_item(name, role, _day(since, today, "--from"), email, side)
    try:
        text = edit_yaml(tree.read(rel).decode("utf-8"), append_item("contacts", item), "contacts")
    except EditError as error:
        raise fail_usage(f"{tree.display(rel)}: {error.message}", error.hint or "add the contact by hand") from None
    _write_checked(tree, rel, text.encode(), today, edit=True)


def _day(value: str | None, today: date, option: str) -> date:
    if value is None:
        return today
    try:
        return date.fromisoformat(value)
    except ValueError:
        raise fail_usage(f"{option} {value!r} is not a date", "write it as YYYY-MM-DD") from None
