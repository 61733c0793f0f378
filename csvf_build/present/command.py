"""`csvf present`: the yearly presentation pack of one customer, or one per customer.

A thin shell: parse the options, check the content as `csvf check` does,
read the reps' `pack.md` notes, make each pack (on every core with `--all`)
and write it. Exit 0 ok, 1 content problems (printed like `csvf check`), 2 usage.
"""

from __future__ import annotations

import multiprocessing
import os
import re
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass
from datetime import date
from pathlib import Path

import click
from rich.text import Text

from csvf_build.check import check
from csvf_build.content.load import Content, CustomerFolder
from csvf_build.content.tree import FolderTree
from csvf_build.model.compute import compute_model
from csvf_build.options import content_options
from csvf_build.present.note import PackNote, read_pack_note
from csvf_build.present.pack import FORMATS, PackSource, RenderedPack, lay_out, pack_file_name, pack_source
from csvf_build.present.view import customer_view, default_year, pack_years
from csvf_build.problems import Problem

EXIT_CONTENT = 1
YEAR = re.compile(r"(?:FY)?([0-9]{4})", re.IGNORECASE)
ALL_FOLDER = Path("packs")


# -- content, with the reps' notes


# -- making packs


@dataclass(frozen=True)
class Job:
    customer_id: str
    year: int
    note: PackNote | None


@dataclass(frozen=True)
class _Work:
    content: Content
    today: date


_WORK: _Work | None = None  # what forked workers make pack sources from (set before the pool starts)


def make_source(content: Content, job: Job, today: date) -> PackSource:
    folder = _folder(content, job.customer_id)
    return pack_source(customer_view(folder, content.company, content.catalog, job.year, today, job.note))


def make_pack(content: Content, job: Job, today: date, output_format: str) -> RenderedPack:
    return lay_out(make_source(content, job, today), output_format)


def _source_of(job: Job) -> PackSource:
    assert _WORK is not None
    return make_source(_WORK.content, job, _WORK.today)


def make_packs(content: Content, jobs: list[Job], today: date, output_format: str) -> list[RenderedPack]:
    """Every job's pack, in order.

    The views, documents and drawings (most of the time) are made on every
    core by forked workers, which share the checked content; the parent lays
    them out, since Typst's thread pool does not survive a fork.
    """
    global _WORK
    workers = min(os.cpu_count() or 1, len(jobs))
    if workers < 2 or os.name != "posix":
        sources = [make_source(content, job, today) for job in jobs]
    else:
        _WORK = _Work(content, today)
        try:
            with ProcessPoolExecutor(max_workers=workers, mp_context=multiprocessing.get_context("fork")) as pool:
                sources = list(pool.map(_source_of, jobs))
        finally:
            _WORK = None
    return [lay_out(source, output_format) for source in sources]


def _folder(content: Content, customer_id: str) -> CustomerFolder:
    return next(f for f in content.customers if f.id == customer_id)


# -- the command


def _year(_ctx: click.Context, _param: click.Parameter, value: str | None) -> int | None:
    if value is None:
        return None
    match = YEAR.fullmatch(value.strip())
    if not match:
        raise click.BadParameter(f"'{value}' is not a fiscal year (write it like 2026 or FY2026)")
    return int(match.group(1))


@click.command("present")
@click.argument("customer", required=False)
@click.option("--all", "every", is_flag=True, help="One pack per customer, written into the --output folder.")
@click.option("--due", is_flag=True, help="With --all: only the customers whose yearly presentation is due.")
@click.option("--year", "year", callback=_year, metavar="FY", help="Fiscal year, like 2026 or FY2026 (default: the last complete one).")
@click.option(
    "--format",
    "output_format",
    type=click.Choice(FORMATS),
    default="pdf",
    show_default=True,
    help="PDF to send or print, or one HTML file.",
)
@click.option(
    "--output",
    type=click.Path(),
    help="The file to write, or a folder for it (default: CUSTOMER-FY2026.pdf here); with --all, the folder (default: packs).",
)
@content_options
def present_command(
    customer: str | None, every: bool, due: bool, year: int | None, output_format: str, output: str | None, content_dir: Path, today: date
) -> None:
    """Make the yearly presentation pack for a customer: only what belongs to that customer, nothing internal."""
    if every == (customer is not None):
        raise click.UsageError("name one CUSTOMER, or use --all for one pack per customer")
    if due and not every:
        raise click.UsageError("--due goes with --all (it picks the customers whose presentation is due)")
    started = time.perf_counter()
    tree, content = _checked(content_dir, today)
    fiscal = year if year is not None else default_year(today, content.company.fiscal_year_start)
    folders = _chosen(content, customer, due, today)
    jobs, skipped = _jobs(folders, fiscal, today, content.company.fiscal_year_start, strict=not every)
    if due:
        chosen = {f.id for f in folders}
        not_due = [f.id for f in content.customers if f.id not in chosen]
        if not_due:
            skipped.append(
                f"{len(not_due)} customer{'s' if len(not_due) != 1 else ''} whose presentation is not due at {today}: {', '.join(not_due)}"
            )
    notes, problems, existing = {}, [], frozenset(tree.files())
    for job in jobs:
        notes[job.customer_id], found = read_pack_note(tree, job.customer_id, existing)
        problems += found
    _stop_on(problems)
    jobs = [Job(job.customer_id, job.year, notes[job.customer_id]) for job in jobs]
    targets = _targets(jobs, output, every, output_format)
    packs = make_packs(content, jobs, today, output_format)
    _write(packs, targets, skipped, time.perf_counter() - started)


def _checked(content_dir: Path, today: date) -> tuple[FolderTree, Content]:
    if not content_dir.is_dir():
        raise click.UsageError(f"content folder '{content_dir}' not found (use --content DIR)")
    tree = FolderTree(content_dir)
    content, problems = check(tree, today)
    _stop_on(problems)
    assert content is not None
    return tree, content


def _stop_on(problems: list[Problem]) -> None:
    if problems:
        from csvf_build.cli import report  # the CLI imports this module to register the command

        report(problems)
        sys.exit(EXIT_CONTENT)


def _chosen(content: Content, customer: str | None, due: bool, today: date) -> list[CustomerFolder]:
    if customer is not None:
        found = [f for f in content.customers if f.id == customer]
        if not found:
            known = ", ".join(f.id for f in content.customers[:8]) + (", ..." if len(content.customers) > 8 else "")
            raise click.BadParameter(f"no customer '{customer}' in the content (customers: {known})", param_hint="CUSTOMER")
        return found
    if not due:
        return list(content.customers)
    model = compute_model(content, today)  # presentation due is the internal model's call, at the build date
    due_ids = {c.id for c in model.customers if c.presentation_due}
    return [f for f in content.customers if f.id in due_ids]


def _jobs(folders: list[CustomerFolder], year: int, today: date, start: int, strict: bool) -> tuple[list[Job], list[str]]:
    """A job per customer that has the fiscal year; the others are skipped (or, for one customer, refused)."""
    jobs, skipped = [], []
    for folder in folders:
        years = pack_years(folder.customer.since, today, start)
        if year in years:
            jobs.append(Job(folder.id, year, None))
            continue
        why = (
            f"FY{year} is after the build date's fiscal year, FY{years.stop - 1}"
            if year >= years.stop
            else f"{folder.id} became a customer on {folder.customer.since}, after FY{year}"
        )
        if strict:
            can = f"FY{years.start}" + (f" to FY{years.stop - 1}" if len(years) > 1 else " only")
            raise click.BadParameter(f"{why}; packs can be made for {can}", param_hint="--year")
        skipped.append(f"{folder.id}: {why}")
    return jobs, skipped


def _targets(jobs: list[Job], output: str | None, every: bool, output_format: str) -> list[Path]:
    """Where each pack goes, settled before any is made: a wrong --output costs no work."""
    names = [pack_file_name(job.customer_id, job.year, output_format) for job in jobs]
    if every:
        folder = Path(output) if output else ALL_FOLDER
        if folder.exists() and not folder.is_dir():
            raise click.BadParameter(f"'{folder}' is a file; with --all, --output names a folder", param_hint="--output")
        return [folder / name for name in names]
    if output is None:
        return [Path(names[0])]
    target = Path(output)
    return [target / names[0] if target.is_dir() or output.endswith(("/", os.sep)) else target]


def _write(packs: list[RenderedPack], targets: list[Path], skipped: list[str], seconds: float) -> None:
    from csvf_build.cli import err, out

    for pack, target in zip(packs, targets, strict=True):
        _replace(target, pack.data)
        out.print(Text(f"Wrote {target} ({len(pack.data) // 1024} KB, reference {pack.reference})"))
        for warning in pack.warnings:
            err.print(Text(f"  warning: {warning}", style="yellow"))
    for line in skipped:
        err.print(Text(f"skipped {line}", style="yellow"))
    if not packs:
        out.print("No pack to make: no customer matched.")
        return
    count = f"{len(packs)} pack{'s' if len(packs) != 1 else ''}"
    out.print(Text(f"{count} in {seconds:.2f} s" + (f" ({seconds / len(packs):.2f} s a pack)" if len(packs) > 1 else "")))


def _replace(path: Path, data: bytes) -> None:
    """Write in one step: a reader (or a mail client) never sees half a pack."""
    path.parent.mkdir(parents=True, exist_ok=True)
    temporary = path.with_name(f".{path.name}.csvf-tmp")
    temporary.write_bytes(data)
    temporary.replace(path)
