"""`csvf init DIR`: start a company's own content repository; nothing that exists is overwritten."""

from __future__ import annotations

import sys
from datetime import date
from pathlib import Path

import click

from csvf_build.check import check
from csvf_build.commands.common import EXIT_CONTENT, as_of_option, fail_usage, out, report, write_new
from csvf_build.content.tree import FolderTree
from csvf_build.scaffold import init_files


@click.command("init")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
@click.option("--name", "company_name", default="Your Company Ltd.", show_default=True, help="The company's name (company.yaml).")
@click.option("--currency", default="USD", show_default=True, help="ISO 4217 code used in every figure.")
@click.option("--fiscal-year-start", type=click.IntRange(1, 12), default=1, show_default=True, help="Month the fiscal year starts in.")
@as_of_option
def init_command(directory: Path, company_name: str, currency: str, fiscal_year_start: int, today: date) -> None:
    """Create content/ (company.yaml, the default catalog, customers/), schemas/, CI and pre-commit in DIR."""
    files = init_files(company_name, currency.upper(), fiscal_year_start)
    existing = sorted(rel for rel in files if (directory / rel).exists() or (directory / rel).is_symlink())
    if existing:
        raise fail_usage(
            f"{directory} already has {', '.join(existing)}; nothing was written",
            "csvf init never overwrites: pick an empty folder, or move those files away",
        )
    for rel, data in files.items():
        write_new(directory / rel, data)
    content, problems = check(FolderTree(directory / "content"), today)
    if content is None:  # the company name or currency given did not pass
        report(problems, "fix company.yaml by hand")
        sys.exit(EXIT_CONTENT)
    out.print(f"[green]Created[/] {len(files)} files in {directory}/: content/ passes the check.")
    out.print("Next: fill in content/company.yaml, set your csvf in requirements.txt and .pre-commit-config.yaml,")
    out.print(f"then add a customer: csvf new customer acme-foods --content {directory / 'content'}")
