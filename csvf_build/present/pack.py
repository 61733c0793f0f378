"""One pack, end to end: view, then document and drawings (the source), then the engine for the format.

The source is plain data and drawn SVG bytes; the engine step lays it out.
They are separate so that `csvf present --all` can make sources in forked
workers and lay them out in the parent: a worker forked from a process that
has run Typst must never run Typst itself (its thread pool is not forked).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import date

from csvf_build.charts.cache import draw_charts
from csvf_build.charts.spec import ChartSpec
from csvf_build.present.document import Document, charts_of, pack_document
from csvf_build.present.html import render_html
from csvf_build.present.pdf import render_pdf
from csvf_build.present.reference import pack_reference
from csvf_build.present.view import CustomerView

FORMATS = ("pdf", "html")
Drawer = Callable[[list[ChartSpec]], dict[str, bytes]]


@dataclass(frozen=True)
class PackSource:
    """What the engine lays out: the document and its drawings (SVG by path)."""

    customer_id: str
    fiscal_year: int
    prepared: date
    reference: str  # what the pack says, as a short hash (`present.reference`)
    document: Document
    drawings: dict[str, bytes]


@dataclass(frozen=True)
class RenderedPack:
    customer_id: str
    fiscal_year: int
    output_format: str
    data: bytes
    reference: str
    warnings: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return pack_file_name(self.customer_id, self.fiscal_year, self.output_format)


def pack_file_name(customer_id: str, fiscal_year: int, output_format: str) -> str:
    """`bluecrest-bottling-FY2026.pdf`: the customer, the year and the format, nothing else."""
    return f"{customer_id}-FY{fiscal_year}.{output_format}"


def pack_source(view: CustomerView, draw: bool = True, drawer: Drawer = draw_charts) -> PackSource:
    """The document of `view`, its reference, and its charts drawn (deterministic SVG); `draw=False` leaves them undrawn.

    `drawer` is how charts become SVG: the site build passes one that reuses its chart cache.
    """
    document = pack_document(view)
    reference = pack_reference(view)
    document["cover"]["reference"] = f"Reference {reference}"
    drawings = drawer(list(charts_of(view).values())) if draw else {}
    return PackSource(view.customer_id, view.fiscal_year, view.prepared, reference, document, drawings)


def lay_out(source: PackSource, output_format: str) -> RenderedPack:
    """The source as PDF or HTML bytes; the same source gives the same bytes."""
    if output_format == "pdf":
        pdf = render_pdf(source.document, source.drawings, source.prepared)
        return RenderedPack(source.customer_id, source.fiscal_year, output_format, pdf.data, source.reference, pdf.warnings)
    if output_format == "html":
        return RenderedPack(
            source.customer_id, source.fiscal_year, output_format, render_html(source.document, source.drawings), source.reference
        )
    raise ValueError(f"unknown pack format {output_format!r}; expected one of {', '.join(FORMATS)}")


def render_pack(view: CustomerView, output_format: str) -> RenderedPack:
    return lay_out(pack_source(view), output_format)
