"""The PDF engine edge: the pack's document and drawings to PDF bytes, through Typst.

Typst (the `typst` package: the compiler itself, no system library) was chosen
for a document to trust: about 0.1 s a pack, the same bytes for the same
input and timestamp, tagged PDF/UA-1 and PDF/A-2a. The data goes in as JSON
through `sys.inputs`, never as source. Fonts are Typst's own and the DejaVu
Sans that matplotlib ships (the charts' font), never the system's; the
project root is an empty temporary folder, so the document can read nothing.
"""

from __future__ import annotations

import functools
import json
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib import resources
from pathlib import Path
from typing import Any

import typst

# Archivable and accessible: tags, alt text, a title and a language.
STANDARDS: list[typst.PDFStandard] = ["a-2a", "ua-1"]
TEMPLATE = "pack.typ"


@dataclass(frozen=True)
class RenderedPdf:
    data: bytes
    warnings: tuple[str, ...]  # what Typst warned about (a glyph no font has, say); none on the example content


@functools.cache
def template() -> bytes:
    return resources.files("csvf_build.present").joinpath("templates", TEMPLATE).read_bytes()


def font_folder() -> Path:
    """matplotlib's own fonts (DejaVu Sans among them): pinned with it, the same on every machine."""
    import matplotlib  # here, not at the top: `csvf check` and `csvf build` start faster without it

    return Path(matplotlib.get_data_path()) / "fonts" / "ttf"


@functools.cache
def drawable() -> frozenset[int]:
    """The characters the pack's font (DejaVu Sans, regular and bold) has glyphs for."""
    from matplotlib import ft2font

    faces = [ft2font.FT2Font(str(font_folder() / name)) for name in ("DejaVuSans.ttf", "DejaVuSans-Bold.ttf")]
    return frozenset(code for face in faces for code in face.get_charmap())


def missing_glyphs(document: dict[str, Any]) -> list[str]:
    """Each character of the document the pack's font cannot draw (it would print as a box), once, in order."""
    text = json.dumps(document, ensure_ascii=False)
    have = drawable()
    return list(dict.fromkeys(ch for ch in text if not ch.isspace() and ord(ch) >= 0x20 and ord(ch) not in have))


def glyph_warning(missing: list[str]) -> str:
    shown = "".join(missing[:12]) + ("…" if len(missing) > 12 else "")
    return (
        f"{len(missing)} characters have no glyph in the pack's font and print as empty boxes: {shown} "
        "(the pack's font, DejaVu Sans, has Latin, Greek and Cyrillic but no Chinese, Japanese or Korean; the site shows them)"
    )


@functools.cache
def fonts() -> typst.Fonts:
    return typst.Fonts(include_system_fonts=False, include_embedded_fonts=True, font_paths=[str(font_folder())])


def timestamp(build_date: date) -> datetime:
    """The document date: midnight UTC of the build date, so a rebuild gives the same bytes."""
    return datetime(build_date.year, build_date.month, build_date.day, tzinfo=UTC)


def render_pdf(document: dict[str, Any], drawings: dict[str, bytes], build_date: date) -> RenderedPdf:
    """Lay out `document` (see `present.document`) with its SVG drawings by path."""
    inputs = {
        "document": json.dumps(document, ensure_ascii=False, sort_keys=True),
        "drawings": json.dumps({path: svg.decode("utf-8") for path, svg in sorted(drawings.items())}, ensure_ascii=False),
    }
    with tempfile.TemporaryDirectory(prefix="csvf-pack-") as root:
        compiler = typst.Compiler(
            template(),
            root=root,
            font_paths=fonts(),
            ignore_system_fonts=True,
            sys_inputs=inputs,
            package_path=root,
            package_cache_path=root,
        )
        data, warnings = compiler.compile_with_warnings(format="pdf", pdf_standards=STANDARDS, timestamp=timestamp(build_date))
    assert isinstance(data, bytes)  # one document, written to memory
    missing = missing_glyphs(document)
    said = tuple(str(w.message) for w in warnings) + ((glyph_warning(missing),) if missing else ())
    return RenderedPdf(data, said)
