"""The packs the internal site carries, and what each presentation record says it showed.

The site links each value file to the pack of the last complete fiscal year,
for the customers whose segment needs a yearly presentation, and shows beside
it the figures that pack gives the customer (computed without internal
records, from the same view that lays the pack out). A `presentation` record
that names a pack by its reference is told apart: the pack as it stands
today, or an earlier version of it.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date
from functools import partial

from csvf_build.charts.cache import draw_charts
from csvf_build.content.load import Content, CustomerFolder
from csvf_build.content.schema import PresentationRecord
from csvf_build.content.tree import ContentTree
from csvf_build.memo import Remember, fresh
from csvf_build.model.compute import Model
from csvf_build.model.periods import fiscal_year_bounds
from csvf_build.present.note import PackNote, read_pack_note
from csvf_build.present.pack import Drawer, PackSource, lay_out, pack_file_name, pack_source
from csvf_build.present.view import CustomerView, PeriodFigures, customer_view, default_year, pack_years
from csvf_build.problems import Problem


@dataclass(frozen=True)
class SitePack:
    """One customer's pack as the value file presents it."""

    fiscal_year: int
    reference: str
    figures: PeriodFigures  # what the pack shows for its year: the customer-facing figures
    internal_records: int  # records of the year the pack leaves out (`internal: true`)
    path: str | None  # its PDF in the docs tree; None when the build made no pack files


@dataclass(frozen=True)
class ShownPack:
    """A presentation record's `pack:`, set against the packs today's records give for that day.

    A pack made on the presentation's day from the same records has the same
    reference (its figures stop at that day), so a match says the customer saw
    exactly what these records still say; no match says something behind the
    pack changed since (or the reference was mistyped).
    """

    reference: str
    day: date
    matched_year: int | None  # the fiscal year whose pack it is, if one matches
    candidates: tuple[tuple[int, str], ...]  # (fiscal year, reference) of the packs that day: the last complete year and the running one


@dataclass(frozen=True)
class SitePacks:
    packs: dict[str, SitePack] = field(default_factory=dict)  # by customer id
    shown: dict[str, ShownPack] = field(default_factory=dict)  # by record path
    files: dict[str, bytes] = field(default_factory=dict)  # docs-tree path -> PDF
    warnings: list[str] = field(default_factory=list)  # what the PDF engine warned about, by customer (a glyph no font has)


@dataclass(frozen=True)
class CustomerPacks:
    """One customer's part of `SitePacks`: computed from its own files alone, so a build can reuse it."""

    pack: SitePack | None
    shown: dict[str, ShownPack]
    files: dict[str, bytes]
    warnings: list[str]


def site_packs(
    tree: ContentTree,
    content: Content,
    model: Model,
    make_files: bool,
    drawer: Drawer = draw_charts,
    remember: Remember = fresh,
) -> tuple[SitePacks, list[Problem]]:
    """The pack of every customer that needs a presentation (laid out as PDF if `make_files`), and every pack shown.

    `drawer` draws the packs' charts (the build passes the one that reuses its
    chart cache); `remember` may reuse a customer's packs made from the same
    files (`csvf_build/memo.py`).
    """
    notes: dict[str, PackNote | None] = {}
    problems: list[Problem] = []
    existing = frozenset(tree.files())
    for c in model.customers:
        notes[c.id], found = read_pack_note(tree, c.id, existing)
        problems += found
    if problems:
        return SitePacks(), problems
    result = SitePacks()
    for c in model.customers:
        made = remember(
            "packs",
            c.folder,
            f"files={make_files}",
            partial(customer_packs, c.folder, c.presentation_required, content, model.build_date, notes[c.id], make_files, drawer),
        )
        if made.pack is not None:
            result.packs[c.id] = made.pack
        result.shown.update(made.shown)
        result.files.update(made.files)
        result.warnings.extend(made.warnings)
    return result, []


def customer_packs(
    folder: CustomerFolder, required: bool, content: Content, today: date, note: PackNote | None, make_files: bool, drawer: Drawer
) -> CustomerPacks:
    """The customer's pack of the last complete year (if its segment needs one), and what each presentation record showed."""
    start = content.company.fiscal_year_start
    year = default_year(today, start)
    made: dict[tuple[int, date], tuple[CustomerView, PackSource]] = {}

    def pack_of(fiscal: int, day: date, draw: bool = False) -> tuple[CustomerView, PackSource] | None:
        """The view and source of one pack as made on `day`, made once (drawn only when its file is made)."""
        if fiscal not in pack_years(folder.customer.since, day, start):
            return None
        if (fiscal, day) not in made:
            view = customer_view(folder, content.company, content.catalog, fiscal, day, note)
            made[(fiscal, day)] = view, pack_source(view, draw=draw, drawer=drawer)
        return made[(fiscal, day)]

    site_pack: SitePack | None = None
    files: dict[str, bytes] = {}
    warnings: list[str] = []
    pack = pack_of(year, today, draw=make_files) if required else None
    if pack is not None:
        view, source = pack
        path = f"customers/{folder.id}/pack/{pack_file_name(folder.id, year, 'pdf')}" if make_files else None
        if path is not None:
            pdf = lay_out(source, "pdf")
            files[path] = pdf.data
            warnings.extend(f"pack of {folder.id}: {warning}" for warning in pdf.warnings)
        site_pack = SitePack(year, source.reference, view.year, internal_in(folder, year, start), path)
    shown: dict[str, ShownPack] = {}
    for r in folder.records:
        record = r.record
        if isinstance(record, PresentationRecord) and record.pack is not None:
            years = (default_year(record.date, start), default_year(record.date, start) + 1)
            that_day = [(fiscal, made_then[1].reference) for fiscal in years if (made_then := pack_of(fiscal, record.date))]
            matched = next((fiscal for fiscal, reference in that_day if reference == record.pack), None)
            shown[r.path] = ShownPack(record.pack, record.date, matched, tuple(that_day))
    return CustomerPacks(site_pack, shown, files, warnings)


def internal_in(folder: CustomerFolder, year: int, start: int) -> int:
    first, last = fiscal_year_bounds(year, start)
    return sum(1 for r in folder.records if r.record.internal and first <= r.record.date <= last)
