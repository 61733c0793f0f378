"""The pack as PDF and HTML: the customer-facing figures, nothing internal, the same bytes twice, text that stays text."""

from __future__ import annotations

import io
import os
import re
import shutil
import subprocess
from datetime import date
from pathlib import Path

import pytest
from PIL import Image
from pypdf import PdfReader

from csvf_build.check import check
from csvf_build.content.load import Content
from csvf_build.content.tree import FolderTree
from csvf_build.model.compute import CustomerModel, Model, compute_model
from csvf_build.model.periods import fiscal_year
from csvf_build.present.command import Job, make_pack, make_packs
from csvf_build.present.document import pack_document, plain
from csvf_build.present.note import parse_pack_note, plain_blocks
from csvf_build.present.pack import RenderedPack, render_pack
from csvf_build.present.view import customer_view, default_year, pack_years, public_model
from csvf_build.render import fmt
from tests.conftest import ContentBuilder
from tests.present_support import (
    CONTACT_NOTE,
    INTERNAL_BODY,
    INTERNAL_TITLE,
    NOTES_TEXT,
    RIVAL,
    TODAY,
    folder_of,
    load,
    pack_content,
    pdf_pages,
    pdf_text,
)

EXAMPLE = Path(__file__).resolve().parent.parent / "content"
BUILD_DATE = date(2026, 11, 23)
IN_CI = os.environ.get("CI") == "true"


def pack_year(content: Content, customer_id: str, today: date) -> int:
    """The default year, or the running one for a customer too new to have had it."""
    start = content.company.fiscal_year_start
    year = default_year(today, start)
    return year if year in pack_years(folder_of(content, customer_id).customer.since, today, start) else fiscal_year(today, start)


@pytest.fixture(scope="module")
def example() -> tuple[Content, Model, dict[str, RenderedPack]]:
    """Every example customer's PDF, made as `csvf present --all` makes them (in parallel)."""
    content = load_example()
    jobs = [Job(f.id, pack_year(content, f.id, BUILD_DATE), None) for f in content.customers]
    packs = make_packs(content, jobs, BUILD_DATE, "pdf")
    return content, compute_model(content, BUILD_DATE), {p.customer_id: p for p in packs}


def load_example() -> Content:
    """The repository's example content, checked at the build date the golden pages use."""
    content, problems = check(FolderTree(EXAMPLE), BUILD_DATE)
    assert content is not None, "\n".join(p.as_text() for p in problems)
    return content


def _public(content: Content, customer_id: str) -> CustomerModel:
    return public_model(
        folder_of(content, customer_id), content.company, content.catalog, pack_year(content, customer_id, BUILD_DATE), BUILD_DATE
    )


def test_every_example_pack_shows_the_customer_facing_figures(example: tuple[Content, Model, dict[str, RenderedPack]]) -> None:
    content, _, packs = example
    currency = content.company.currency
    assert len(packs) == len(content.customers) >= 10
    for cid, pack in packs.items():
        text = pdf_text(pack.data)
        year = pack_year(content, cid, BUILD_DATE)
        public = _public(content, cid)
        f = public.years[year]
        expected = [
            plain(fmt.money(f.benefits, currency)),
            plain(fmt.money(f.cost_avoided, currency)),
            plain(fmt.money(f.return_, currency)),
            plain(fmt.money(f.spend, currency)),
            f"value ratio is {plain(fmt.ratio(f.value_ratio))}" if f.value_ratio is not None else "Value ratio",
            f"for every 100 spent, {plain(fmt.score(f.service_value_rate))} came back" if f.spend else "no service value rate",
            f"since {public.break_even.month.label()}" if public.break_even.month else "not reached yet",
            plain(fmt.money(public.all_time.benefits)),
        ]
        missing = [e for e in expected if e not in text]
        assert not missing, (cid, missing)
        assert 4 <= pdf_pages(pack.data) <= 8, cid
        assert not pack.warnings, (cid, pack.warnings)


def test_no_example_pack_holds_another_customer_or_anything_internal(example: tuple[Content, Model, dict[str, RenderedPack]]) -> None:
    content, model, packs = example
    currency = content.company.currency
    for c in model.customers:
        text = pdf_text(packs[c.id].data)
        lowered = text.lower()
        others = [o.customer.name for o in model.customers if o.id != c.id and o.customer.name in text]
        assert not others, (c.id, others)
        assert "cost to serve" not in lowered and "service hours" not in lowered and "health" not in lowered, c.id
        year = pack_year(content, c.id, BUILD_DATE)
        internal_money = [c.all_time.cost_to_serve, c.years[year].cost_to_serve] if year in c.years else [c.all_time.cost_to_serve]
        shown = [m for m in internal_money if m and re.search(rf"(?<![0-9,.]){re.escape(plain(fmt.money(m, currency)))}", text)]
        assert not shown, (c.id, shown)
        for r in c.folder.records:
            if r.record.internal:
                assert r.record.title not in text, (c.id, r.path)
                for block in plain_blocks(r.body.html):
                    assert block.text[:60] not in text, (c.id, r.path)
        if c.folder.notes:
            for block in plain_blocks(c.folder.notes.html):
                assert block.text[:60] not in text, (c.id, "notes.md")
        for contact in c.customer.contacts:
            if contact.note:
                assert " ".join(contact.note.split())[:50] not in text, (c.id, contact.name)
    assert any(r.record.internal for c in model.customers for r in c.folder.records)  # the example has internal records to leave out
    assert sum(1 for c in model.customers if c.folder.notes) >= 2


def test_a_pack_made_twice_or_in_a_worker_has_the_same_bytes(example: tuple[Content, Model, dict[str, RenderedPack]]) -> None:
    content, _, packs = example
    cid = "bluecrest-bottling"
    job = Job(cid, pack_year(content, cid, BUILD_DATE), None)
    first = make_pack(content, job, BUILD_DATE, "pdf").data
    assert first == make_pack(content, job, BUILD_DATE, "pdf").data
    assert first == packs[cid].data  # made in a forked worker by make_packs
    assert make_pack(content, job, BUILD_DATE, "html").data == make_pack(content, job, BUILD_DATE, "html").data


def test_the_pdf_is_tagged_accessible_and_archivable(example: tuple[Content, Model, dict[str, RenderedPack]]) -> None:
    _, _, packs = example
    reader = PdfReader(io.BytesIO(packs["corvane-auto"].data))
    root = reader.trailer["/Root"]
    assert bool(root["/MarkInfo"]["/Marked"])
    assert root["/Lang"] == "en"
    assert "/StructTreeRoot" in root and "/Outlines" in root
    assert reader.metadata is not None and reader.metadata.title == "Corvane Automotive Systems: value delivered in FY2026"
    assert reader.metadata["/CreationDate"] == "D:20261123000000Z"  # the build date, not the clock
    assert reader.xmp_metadata is not None
    xmp = reader.xmp_metadata.stream.get_data().decode()
    assert "<pdfuaid:part>1</pdfuaid:part>" in xmp
    assert "<pdfaid:part>2</pdfaid:part>" in xmp and "<pdfaid:conformance>A</pdfaid:conformance>" in xmp


def test_every_font_is_embedded_and_none_comes_from_the_system(example: tuple[Content, Model, dict[str, RenderedPack]]) -> None:
    _, _, packs = example
    reader = PdfReader(io.BytesIO(packs["harbor-foods"].data))
    fonts: dict[str, bool] = {}

    def walk(resources: object) -> None:
        if resources is None:
            return
        resources = resources.get_object()  # type: ignore[attr-defined]
        for font in (resources.get("/Font") or {}).values():  # type: ignore[attr-defined]
            font = font.get_object()
            descendants = font.get("/DescendantFonts")
            descriptor = (descendants[0].get_object() if descendants else font)["/FontDescriptor"].get_object()
            fonts[str(font["/BaseFont"])] = "/FontFile2" in descriptor or "/FontFile3" in descriptor
        for form in (resources.get("/XObject") or {}).values():  # type: ignore[attr-defined]
            walk(form.get_object().get("/Resources"))

    for page in reader.pages:
        walk(page.get("/Resources"))
    assert fonts and all(fonts.values()), fonts
    assert {name.split("+", 1)[1] for name in fonts} <= {"DejaVuSans", "DejaVuSans-Bold", "DejaVuSans-Oblique"}, fonts


def _hostile_content(root: Path) -> ContentBuilder:
    b = pack_content(root)
    b.record(
        "acme",
        "2025-08-01-hostile.md",
        'type: service\ndate: 2025-08-01\ntitle: "#import \\"@preview/cetz:0.3.0\\": * and #eval(\\"1+1\\")"\nservice: study\nvalue: 7000',
        'Seen: #read("/etc/passwd") <script>alert(1)</script> $x^2$ ] #{1+1} // not a comment\n',
    )
    return b


HOSTILE_NOTE = 'Dear team #read("/etc/hostname") <img src=x onerror=alert(1)>\n\n## Next year\n\n- Cut scrap to 1% #sys.inputs\n'


def _hostile_view(tmp_path: Path) -> object:
    content = load(_hostile_content(tmp_path / "content"))
    return customer_view(folder_of(content, "acme"), content.company, content.catalog, 2025, TODAY, parse_pack_note(HOSTILE_NOTE))


def test_typst_shows_user_text_as_typed_and_runs_none_of_it(tmp_path: Path) -> None:
    pack = render_pack(_hostile_view(tmp_path), "pdf")  # type: ignore[arg-type]
    text = pdf_text(pack.data)
    assert '#import "@preview/cetz:0.3.0": * and #eval("1+1")' in text
    assert 'Seen: #read("/etc/passwd") <script>alert(1)</script> $x^2$ ] #{1+1} // not a comment' in text
    assert 'Dear team #read("/etc/hostname") <img src=x onerror=alert(1)>' in text
    assert "Cut scrap to 1% #sys.inputs" in text
    assert "root:x:0" not in text


def test_html_escapes_every_user_string_and_loads_nothing(tmp_path: Path) -> None:
    html = render_pack(_hostile_view(tmp_path), "html").data.decode()  # type: ignore[arg-type]
    assert "<script" not in html and "onerror=alert" not in html.replace("onerror=alert(1)&gt;", "")
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(1)&gt;" in html
    assert "default-src &#39;none&#39;" in html or "default-src 'none'" in html
    sources = re.findall(r'\b(?:src|href)="([^"]*)"', html)
    assert sources and all(s.startswith("data:image/svg+xml;base64,") for s in sources), sources
    assert "url(" not in html and "@import" not in html and "http://" not in html.split("<body>", 1)[1].replace("http://www.w3.org", "")


def test_the_test_customer_pack_leaves_out_everything_internal(tmp_path: Path) -> None:
    view = _hostile_view(tmp_path)
    for output in ("pdf", "html"):
        pack = render_pack(view, output)  # type: ignore[arg-type]
        text = pdf_text(pack.data) if output == "pdf" else pack.data.decode()
        for secret in (RIVAL, INTERNAL_TITLE, INTERNAL_BODY, NOTES_TEXT, CONTACT_NOTE, "777,700", "7,777", "123,456", "Kim Lowe"):
            assert secret not in text, (output, secret)
        assert "8,900 USD" not in text  # the hostile service adds 7,000: benefits 15,900
        assert "15,900 USD" in text


def test_document_text_comes_only_from_the_view(tmp_path: Path) -> None:
    """The document is plain JSON-ready data: strings, numbers, lists, dicts and nulls."""
    document = pack_document(_hostile_view(tmp_path))  # type: ignore[arg-type]

    def check(value: object) -> int:
        if isinstance(value, dict):
            return sum(check(k) + check(v) for k, v in value.items())
        if isinstance(value, list):
            return sum(check(v) for v in value)
        assert value is None or type(value) in (str, int, bool), type(value)
        return 1

    assert check(document) > 100


def _require(tool: str) -> str:
    found = shutil.which(tool)
    if found is None:
        if IN_CI:
            pytest.fail(f"{tool} (Debian's poppler-utils) is missing in CI: .ci/run installs it")
        pytest.skip(f"{tool} is not installed (apt-get install poppler-utils)")
    return found


def test_poppler_reads_the_same_figures_and_renders_every_page(
    tmp_path: Path, example: tuple[Content, Model, dict[str, RenderedPack]]
) -> None:
    pdftotext, pdftoppm = _require("pdftotext"), _require("pdftoppm")
    content, _, packs = example
    pack = packs["ferrous-ridge-mining"]
    path = tmp_path / pack.file_name
    path.write_bytes(pack.data)
    text = " ".join(subprocess.run([pdftotext, str(path), "-"], capture_output=True, text=True, check=True).stdout.split())
    f = _public(content, "ferrous-ridge-mining").years[2026]
    assert plain(fmt.money(f.benefits, content.company.currency)) in text
    assert f"for every 100 spent, {plain(fmt.score(f.service_value_rate))} came back" in text
    subprocess.run([pdftoppm, "-png", "-r", "30", str(path), str(tmp_path / "page")], check=True)
    pages = sorted(tmp_path.glob("page-*.png"))
    assert len(pages) == pdf_pages(pack.data)
    for page in pages:
        with Image.open(page) as image:
            grey = image.convert("L")
            assert grey.getextrema()[0] < 100, page.name  # something dark is drawn on every page


def test_six_expectations_with_a_year_of_readings_still_fit_in_eight_pages(tmp_path: Path) -> None:
    builder = pack_content(tmp_path / "content")
    customer = builder.root / "customers" / "acme" / "customer.yaml"
    customer.write_text(
        customer.read_text()
        + "".join(
            f"  - id: e{i}\n    metric: Measured outcome number {i}\n    expected: {i + 2}\n    unit: percent\n    better: lower\n    baseline: 9\n"
            for i in range(5)
        )
    )
    for i in range(5):
        for month in range(1, 13):
            builder.record(
                "acme",
                f"2025-{month:02d}-05-e{i}.md",
                f"type: measurement\ndate: 2025-{month:02d}-05\ntitle: Outcome {i}, month {month}\nexpectation: e{i}\nactual: {3 + month % 4}",
            )
    content = load(builder)
    view = customer_view(folder_of(content, "acme"), content.company, content.catalog, 2025, TODAY)
    assert len(view.expectations) == 6
    pdf = render_pack(view, "pdf").data
    assert pdf_pages(pdf) <= 8
    text = pdf_text(pdf)
    assert text.count("The latest 4 of 12 readings") == 5  # the scrap expectation has 2 readings: all shown
    assert all(f"Measured outcome number {i}" in text for i in range(5))


def test_the_pack_benchmark_times_every_step_of_a_real_pack() -> None:
    from tests import bench_present

    content = load_example()
    jobs = bench_present.jobs_for(content)[:1]
    spent = bench_present.one_at_a_time(content, jobs, "pdf")
    steps = ("view", "document", "drawings", "layout")
    assert all(spent[step] > 0 for step in steps)
    assert abs(sum(spent[step] for step in steps) - spent["total"]) < 1e-6
