"""The site and the yearly packs: the value file links to its pack, shows what the pack tells the
customer beside its own figures, and tells which pack a presentation showed (by its reference)."""

from __future__ import annotations

import html
import re
from datetime import date
from pathlib import Path

import pytest

from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import Generated, check_and_compute, generate
from csvf_build.present.on_site import site_packs
from csvf_build.render import fmt
from tests.conftest import ContentBuilder, run_check
from tests.present_support import INTERNAL_BODY, INTERNAL_TITLE, RIVAL, TODAY, pack_content, pdf_text

REPO = Path(__file__).resolve().parent.parent
EXAMPLE_DATE = date(2026, 12, 1)


def page_text(generated: Generated, path: str) -> str:
    """A generated page as a reader sees its words: tags dropped, entities decoded, whitespace collapsed."""
    raw = generated.files[path].decode()
    return " ".join(html.unescape(re.sub(r"<[^>]+>", " ", raw.replace("&#10;", " "))).split())


@pytest.fixture(scope="module")
def example() -> Generated:
    generated, problems = generate(FolderTree(REPO / "content"), EXAMPLE_DATE, {}, packs=True)
    assert generated is not None, problems
    return generated


@pytest.fixture
def acme(tmp_path: Path) -> tuple[ContentBuilder, Generated]:
    builder = pack_content(tmp_path / "content")
    generated, problems = generate(FolderTree(builder.root), TODAY, {}, packs=True)
    assert generated is not None, problems
    return builder, generated


def test_every_customer_whose_segment_needs_a_presentation_gets_its_pack_linked(example: Generated) -> None:
    model = example.model
    year = EXAMPLE_DATE.year - 1 if EXAMPLE_DATE.month < model.company.fiscal_year_start else EXAMPLE_DATE.year
    packed = {path.split("/")[1] for path in example.files if "/pack/" in path}
    required = {c.id for c in model.customers if c.presentation_required}
    assert packed and packed <= required
    for c in model.customers:
        page = example.files[f"customers/{c.id}/index.md"].decode()
        name = f"{c.id}-FY{year}.pdf"
        if c.id in packed:
            assert example.files[f"customers/{c.id}/pack/{name}"].startswith(b"%PDF-")
            assert f'href="pack/{name}"' in page
        else:
            assert "pack/" not in page
    # Each required customer without a pack became a customer during the running year, and the page says so.
    for customer_id in required - packed:
        assert "No pack yet" in page_text(example, f"customers/{customer_id}/index.md")


def test_the_pdf_the_site_links_shows_the_figures_its_value_file_quotes(example: Generated) -> None:
    packs, _ = site_packs(FolderTree(REPO / "content"), example.content, example.model, make_files=False)
    currency = example.model.company.currency
    for customer_id, pack in packs.packs.items():
        assert pack.path is None  # asked for no files: the figures and the reference are still known
        pdf = pdf_text(example.files[f"customers/{customer_id}/pack/{customer_id}-FY{pack.fiscal_year}.pdf"])
        page = page_text(example, f"customers/{customer_id}/index.md")
        benefits = html.unescape(str(fmt.money(pack.figures.benefits, currency)))
        cost_avoided = html.unescape(str(fmt.money(pack.figures.cost_avoided, currency)))
        assert f"Benefits {benefits}" in page and f"Cost avoided {cost_avoided}" in page
        assert benefits in pdf and cost_avoided in pdf
        assert f"Reference {pack.reference}" in pdf and pack.reference in page


def test_a_pack_leaves_internal_records_out_and_its_value_file_says_how_many(acme: tuple[ContentBuilder, Generated]) -> None:
    _, generated = acme
    page = page_text(generated, "customers/acme/index.md")
    # FY2025 in the pack: training 10 x 90 + line service 20 x 150 + scrap 5,000 = 8,900; on the site the
    # internal study's 123,456 counts too: 132,356.
    assert "Benefits 8,900 USD 132,356 USD" in page
    assert "computed without internal records (1 in FY2025)" in page
    pdf = pdf_text(generated.files["customers/acme/pack/acme-FY2025.pdf"])
    assert "8,900" in pdf and "132,356" not in pdf
    assert INTERNAL_TITLE not in pdf and INTERNAL_BODY not in pdf and RIVAL not in pdf
    assert not any("/pack/" in path for path in generated.files if path.startswith("customers/rival/"))  # standard segment


def test_the_reference_names_what_the_pack_says_not_the_day_it_was_made(tmp_path: Path) -> None:
    builder = pack_content(tmp_path / "content")

    def reference(today: date) -> str:
        checked, problems = check_and_compute(FolderTree(builder.root), today)
        assert checked is not None, problems
        packs, _ = site_packs(FolderTree(builder.root), checked.content, checked.model, make_files=False)
        return packs.packs["acme"].reference

    first = reference(TODAY)
    assert re.fullmatch(r"[0-9a-f]{12}", first)
    assert reference(date(2026, 9, 30)) == first  # FY2025 is complete at both dates
    builder.record("acme", "2026-03-01-after.md", "type: service\ndate: 2026-03-01\ntitle: After the year\nservice: training\nquantity: 2")
    assert reference(TODAY) == first  # a record after FY2025 is not in its pack
    builder.record("acme", "2025-07-01-late.md", "type: service\ndate: 2025-07-01\ntitle: Logged late\nservice: training\nquantity: 2")
    assert reference(TODAY) != first  # a record of the year, logged late, changes what the pack says


def test_a_presentation_record_tells_which_pack_the_customer_saw(tmp_path: Path) -> None:
    builder = pack_content(tmp_path / "content")
    presented = date(2026, 2, 10)  # in FY2026: the last complete year then is FY2025
    checked, problems = check_and_compute(FolderTree(builder.root), presented)
    assert checked is not None, problems
    made_then, _ = site_packs(FolderTree(builder.root), checked.content, checked.model, make_files=False)
    shown = made_then.packs["acme"].reference  # the FY2025 pack the rep made on the day
    builder.record(
        "acme",
        "2026-02-10-presentation.md",
        f"type: presentation\ndate: {presented}\ntitle: FY2025 presentation\nattendees: [Priya Raman]\npack: {shown}",
    )
    generated, problems = generate(FolderTree(builder.root), TODAY, {})
    assert generated is not None, problems
    assert f"Pack shown: reference {shown}: the FY2025 pack as of {presented}, and the records behind it are unchanged" in page_text(
        generated, "customers/acme/index.md"
    )
    # Priya leaves later, and a new buyer starts: on the presentation's day she was the buyer, so the pack still matches.
    customer = builder.root / "customers" / "acme" / "customer.yaml"
    customer.write_text(
        customer.read_text().replace(
            "    role: Purchasing manager\n    from: 2023-01-01\n",
            "    role: Purchasing manager\n    from: 2023-01-01\n    to: 2026-05-31\n"
            "  - name: Noor Haddad\n    role: Purchasing manager\n    from: 2026-06-01\n",
            1,
        )
    )
    assert "to: 2026-05-31" in customer.read_text()
    generated, problems = generate(FolderTree(builder.root), TODAY, {})
    assert generated is not None, problems
    assert "and the records behind it are unchanged" in page_text(generated, "customers/acme/index.md")
    # A late record of FY2025 changes what those records say: the page no longer vouches for the pack shown.
    builder.record("acme", "2025-07-01-late.md", "type: service\ndate: 2025-07-01\ntitle: Logged late\nservice: training\nquantity: 2")
    generated, problems = generate(FolderTree(builder.root), TODAY, {})
    assert generated is not None, problems
    text = page_text(generated, "customers/acme/index.md")
    assert f"reference {shown}: not a pack these records give for {presented}" in text
    assert "changed since, or the reference is mistyped" in text


def test_the_example_presentations_name_their_packs(example: Generated) -> None:
    corvane = page_text(example, "customers/corvane-auto/index.md")
    assert "the FY2026 pack as of 2026-03-10, and the records behind it are unchanged" in corvane
    ferrous = page_text(example, "customers/ferrous-ridge-mining/index.md")
    assert "the FY2026 pack as of 2026-05-19, and the records behind it are unchanged" in ferrous
    bluecrest = page_text(example, "customers/bluecrest-bottling/index.md")
    assert "reference 9b1e4c07d2a5: not a pack these records give for 2026-02-17" in bluecrest
    # The latest presentation's pack is told in Start here, and a stale one is a notice at the top.
    assert "At the last presentation the customer saw reference 81b7ef442bf4: the FY2026 pack" in corvane
    assert "The pack shown on 2026-02-17 has changed since : the records no longer give reference 9b1e4c07d2a5" in bluecrest
    assert "has changed since" not in corvane and "has changed since" not in ferrous


@pytest.mark.parametrize(
    ("written", "ok"),
    [("3f2a9c01b7de", True), ("123456789012", True), ("3F2A9C01B7DE", True), ("3f2a9c01", False), ("not-a-reference", False)],
)
def test_a_pack_reference_is_twelve_hex_digits(tmp_path: Path, written: str, ok: bool) -> None:
    builder = ContentBuilder(tmp_path / "content")
    builder.customer("acme", segment="key")
    builder.record(
        "acme", "2026-02-10-p.md", f"type: presentation\ndate: 2026-02-10\ntitle: Presentation\nattendees: [Ann]\npack: {written}"
    )
    _, problems = run_check(builder)
    if ok:
        assert problems == []
    else:
        assert len(problems) == 1
        problem = problems[0]
        assert problem.file.endswith("2026-02-10-p.md") and problem.line == 6
        assert "pack reference" in problem.message and "printed on the pack's cover" in problem.hint


def test_a_name_the_pack_font_cannot_draw_is_a_warning_not_silent_boxes(tmp_path: Path) -> None:
    builder = ContentBuilder(tmp_path / "content")
    builder.customer("tokyo", name="東京精機 Works", segment="key", since="2024-01-01")
    generated, problems = generate(FolderTree(builder.root), TODAY, {}, packs=True)
    assert generated is not None, problems
    (warning,) = generated.warnings
    assert warning.startswith("pack of tokyo: 4 characters have no glyph") and "東京精機" in warning
    example, _ = generate(FolderTree(REPO / "content"), EXAMPLE_DATE, {}, packs=True)
    assert example is not None and example.warnings == ()
