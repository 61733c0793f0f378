"""`csvf import FILE.csv`: bulk records from a CRM or spreadsheet export, checked before anything is written."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from csvf_build.check import check
from csvf_build.commands.common import EXIT_CONTENT, content_options, fail_usage, out, replace_file, report, write_new
from csvf_build.content.load import load_content
from csvf_build.content.overlay import OverlayTree
from csvf_build.content.tree import FolderTree
from csvf_build.importer import MappingError, locate, parse_mapping, plan_import, read_csv


@click.command("import")
@click.argument("csv_file", type=click.Path(dir_okay=False, exists=True, path_type=Path))
@click.option("--map", "pairs", multiple=True, metavar="COLUMN=FIELD", help="CSV column to record field (repeatable).")
@click.option(
    "--mapping", "mapping_file", type=click.Path(dir_okay=False, exists=True, path_type=Path), help="YAML: columns: {...}, set: {...}."
)
@click.option("--set", "sets", multiple=True, metavar="FIELD=VALUE", help="A field with one value for every row, like type=service.")
@click.option("--dry-run", is_flag=True, help="Check and list what would be written; write nothing.")
@content_options
def import_command(
    csv_file: Path, pairs: tuple[str, ...], mapping_file: Path | None, sets: tuple[str, ...], dry_run: bool, content_dir: Path, today: date
) -> None:
    """Turn each CSV row into a record (type `revenue`: a fiscal year's revenue in customer.yaml).

    Columns named like fields need no mapping. The whole content is checked with
    the new records in memory first; a bad row is named by its row and column,
    and nothing is written unless every row passes. No file is ever overwritten.
    """
    if not content_dir.is_dir():
        raise fail_usage(f"content folder '{content_dir}' not found", "use --content DIR")
    try:
        mapping = parse_mapping(pairs, mapping_file.read_text(encoding="utf-8") if mapping_file else None, sets)
        header, rows = read_csv(csv_file.read_text(encoding="utf-8-sig"))
    except MappingError as error:
        raise fail_usage(error.message, error.hint) from None
    except UnicodeDecodeError:
        raise fail_usage(f"{csv_file} is not UTF-8 text", "export the CSV as UTF-8 (most spreadsheets offer 'CSV UTF-8')") from None
    tree = FolderTree(content_dir)
    content, problems = load_content(tree)
    if content is None:
        report(problems)
        sys.exit(EXIT_CONTENT)
    existing = {c.id: {Path(r.path).name for r in c.records} for c in content.customers}
    for c in content.customers:  # files that failed to load still take their names
        records = tree.root / "customers" / c.id / "records"
        if records.is_dir():
            existing[c.id] |= {p.name for p in records.iterdir()}
    plan = plan_import(content, existing, tree.read, str(csv_file), header, rows, mapping, today)
    if plan.problems:
        report(plan.problems)
        sys.exit(EXIT_CONTENT)
    _, checked = check(OverlayTree(tree, plan.files), today)
    if checked:
        display = {path: tree.display(path) for path in plan.files}
        report(sorted(locate(p, plan, display, str(csv_file)) for p in checked))
        sys.exit(EXIT_CONTENT)
    edits = sorted(set(plan.files) - plan.new)
    summary = f"{_n(plan.records, 'record')} and {_n(plan.revenue_years, 'revenue year')} from {_n(len(rows), 'row')} of {csv_file}"
    if dry_run:
        for path in sorted(plan.new):
            out.print(f"  new {tree.display(path)}")
        for path in edits:
            out.print(f"  edit {tree.display(path)}")
        out.print(f"[green]Dry run[/]: {summary} pass the check; nothing was written.")
        return
    for path in sorted(plan.new):
        write_new(tree.root / path, plan.files[path])
    for path in edits:
        replace_file(tree.root / path, plan.files[path])
    out.print(f"[green]Imported[/] {summary}; the content passes the check.")


def _n(count: int, noun: str) -> str:
    return f"{count} {noun}{'' if count == 1 else 's'}"
