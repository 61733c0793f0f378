"""One pack, end to end: view, then document, then drawings, then the engine for the format."""

from __future__ import annotations

from dataclasses import dataclass

from csvf_build.charts.cache import draw_charts
from csvf_build.present.document import charts_of, pack_document
from csvf_build.present.html import render_html
from csvf_build.present.pdf import render_pdf
from csvf_build.present.view import CustomerView

FORMATS = ("pdf", "html")


@dataclass(frozen=True)
class RenderedPack:
    customer_id: str
    fiscal_year: int
    output_format: str
    data: bytes
    warnings: tuple[str, ...] = ()

    @property
    def file_name(self) -> str:
        return f"{self.customer_id}-FY{self.fiscal_year}.{self.output_format}"


def render_pack(view: CustomerView, output_format: str) -> RenderedPack:
    """The pack of `view` as PDF or HTML bytes; the same view gives the same bytes."""
    document = pack_document(view)
    drawings = draw_charts(charts_of(view).values())
    if output_format == "pdf":
        pdf = render_pdf(document, drawings, view.prepared)
        return RenderedPack(view.customer_id, view.fiscal_year, output_format, pdf.data, pdf.warnings)
    if output_format == "html":
        return RenderedPack(view.customer_id, view.fiscal_year, output_format, render_html(document, drawings))
    raise ValueError(f"unknown pack format {output_format!r}; expected one of {', '.join(FORMATS)}")
