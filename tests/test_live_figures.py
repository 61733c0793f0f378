"""Live figures in training and handbook pages (docs/live-figures.md): checked with positions, resolved from the model."""

from __future__ import annotations

import json
import re
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import Generated, generate
from csvf_build.site import read_handbook
from csvf_build.training.figures import all_names
from csvf_build.training.live import Names, reference_issues
from csvf_build.training.rules import RULES
from csvf_build.training.shipped import shipped_pages
from csvf_build.training.syntax import parse
from tests.conftest import ContentBuilder, generate_docs, line_of, problem_texts, run_check

ROOT = Path(__file__).resolve().parent.parent
EXAMPLE = ROOT / "content"
EXAMPLE_DATE = date(2026, 11, 23)
SPAN = re.compile(r'<span class="csvf-live" data-figure="([a-z_0-9]+)" data-of="([a-z0-9:_-]+)" data-in="([0-9]+|all)">([^<]*)</span>')
MONEY = {"cost_avoided", "return", "benefits", "spend", "time_cost", "total_cost", "cost_to_serve", "revenue_per_service_hour"}
TWO_DECIMALS = {"value_ratio"}
ONE_DECIMAL = {"service_value_rate", "csat", "revenue_share", "cost_to_serve_share"}


def small_tree(content: ContentBuilder) -> ContentBuilder:
    """Two customers, no training folder: the shipped pages alone must make sense of it."""
    content.customer("acme", segment="key", tier="premium", revenue={2025: "40000", 2026: "30000"})
    content.customer("tiny", name="Tiny Tools", segment="standard", tier="basic", revenue={2026: "500"})
    content.record(
        "acme",
        "2026-03-02-training.md",
        "type: service\ndate: 2026-03-02\ntitle: Operator course\nservice: training\nquantity: 40\nhours: 8\ncustomer_hours: 10\n",
    )
    content.record(
        "acme",
        "2026-04-01-scrap.md",
        "type: service\ndate: 2026-04-01\ntitle: Scrap cut\nservice: scrap-reduction\nvalue: 52000\nhours: 12\n",
    )
    content.record("acme", "2026-05-01-survey.md", "type: survey\ndate: 2026-05-01\ntitle: Survey\nscore: 4\n")
    content.record(
        "tiny", "2026-02-01-line.md", "type: service\ndate: 2026-02-01\ntitle: Line visit\nservice: line-service\nquantity: 10\nhours: 30\n"
    )
    return content


def example_build() -> Generated:
    generated, problems = generate(FolderTree(EXAMPLE), EXAMPLE_DATE, read_handbook(ROOT / "docs"))
    assert generated is not None, problem_texts(problems)
    return generated


def page_number(text: str) -> Decimal | None:
    if text in ("\u2014", "&mdash;"):
        return None
    return Decimal(text.replace(",", "").removesuffix("%"))


def export_value(period: dict, figure: str) -> Decimal | None:
    value = period[figure]
    return None if value is None else Decimal(str(value))


def tolerance(figure: str) -> Decimal:
    """Half a unit of the page's rounding (the export is rounded to 4 decimals, or money to 2, first)."""
    if figure in MONEY:
        return Decimal("0.5")
    if figure in TWO_DECIMALS:
        return Decimal("0.005")
    if figure in ONE_DECIMAL:
        return Decimal("0.05")
    return Decimal(0)


def live_figures_agree_with_export(generated: Generated) -> int:
    """Every customer figure shown live on a training or handbook page is the export's figure, rounded as pages round."""
    export = json.loads(generated.files["exports/value-files.json"])
    customers = {c["id"]: c for c in export["customers"]}
    checked = 0
    for path, data in generated.files.items():
        if not (path.startswith(("training/", "handbook/")) and path.endswith(".md")):
            continue
        for figure, of, period, text in SPAN.findall(data.decode()):
            if of not in customers:
                continue  # portfolio and group figures: checked against the portfolio export below
            record = customers[of]["all_time"] if period == "all" else customers[of]["years"][period]
            if figure not in record:
                continue  # counts the export does not carry (surveys, records, servicing_index)
            shown, exported = page_number(text), export_value(record, figure)
            assert (shown is None) == (exported is None), (path, figure, of, period, text)
            if shown is not None and exported is not None:
                assert abs(shown - exported) <= tolerance(figure), (path, figure, of, period, text, exported)
            checked += 1
    return checked


def test_examples_show_the_exports_numbers_on_the_example_content() -> None:
    generated = example_build()
    assert live_figures_agree_with_export(generated) > 50


def test_examples_show_the_exports_numbers_on_a_small_tree_without_training_pages(content: ContentBuilder) -> None:
    generated = generate_docs(small_tree(content), "2026-06-30", read_handbook(ROOT / "docs"))
    assert live_figures_agree_with_export(generated) > 20
    glossary = generated.files["training/glossary.md"].decode()
    # The highest value ratio of FY2026 by hand: tiny 10 x 150 = 1,500 / 500 = 3.00,
    # above acme's (40 x 90 + 52,000) / (30,000 + 10 h x 50) = 55,600 / 30,500 = 1.82.
    assert 'data-figure="value_ratio" data-of="tiny" data-in="2026">3.00</span>' in glossary
    for name in shipped_pages():
        assert f"training/{name.removesuffix('.md')}.md" in generated.files


def test_a_portfolio_figure_is_the_portfolios(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2026: "3000"})
    content.customer("beta", name="Beta", revenue={2026: "1000"})
    content.write("training/mix.md", "# Mix\n\nTogether {{ spend of portfolio in FY2026 }}; acme {{ revenue_share of acme in FY2026 }}.\n")
    page = generate_docs(content).files["training/mix.md"].decode()
    assert ">4,000</span>" in page  # 3,000 + 1,000
    assert ">75.0%</span>" in page  # 3,000 / 4,000


def test_broken_references_are_content_errors_with_page_line_and_column(content: ContentBuilder) -> None:
    content.customer("acme")
    path = content.write(
        "training/broken.md",
        "# Broken\n\n"
        "One {{ value_ratio of acme-fods in FY2024 }} and {{ valeu_ratio of acme in FY2024 }}.\n"
        "A period {{ spend of acme in FY1990 }} and a bad one {{ spend of acme in 2024 }}.\n"
        "::: example best-ratio in this-year\nHi.\n:::\n"
        "Whose? {{ benefits }}.\n",
    )
    _, problems = run_check(content)
    found = {(p.line, p.col, p.message) for p in problems if p.file.endswith("training/broken.md")}
    line = line_of(path, "acme-fods")
    assert (line, 5, "unknown customer 'acme-fods'") in found
    assert (line, 50, "unknown figure 'valeu_ratio'") in found
    assert (line_of(path, "FY1990"), 10, "unknown period 'FY1990'") in found
    assert (line_of(path, "in 2024"), 54, "'2024' is not a period") in found
    assert (line_of(path, "best-ratio"), 1, "unknown rule 'best-ratio'") in found
    assert any(message.startswith("whose benefits?") for _, _, message in found)
    texts = problem_texts(problems)
    assert "did you mean acme?" in texts
    assert "did you mean value_ratio?" in texts
    assert "rules: " in texts and "highest-value-ratio" in texts


def test_check_reports_reference_problems_with_every_other_problem(content: ContentBuilder) -> None:
    content.customer("acme")
    content.record("acme", "2026-01-01-x.md", "type: survey\ndate: 2026-01-01\ntitle: S\nscore: 9\n")  # 9 of 5: invalid
    content.write("training/a.md", "# A\n\n{{ spend of nobody in this-year }}\n")
    _, problems = run_check(content)
    texts = problem_texts(problems)
    assert "unknown customer 'nobody'" in texts
    assert "records/2026-01-01-x.md" in texts


def test_a_rule_that_matches_nothing_builds_with_its_fallback(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2026: "1000"})
    content.write(
        "training/fallback.md",
        "# Fallback\n\n::: example most-over-serviced in this-year\n{{ name }} is over-serviced.\n::: otherwise\nNobody is over-serviced in {{ period }}.\n:::\n",
    )
    page = generate_docs(content).files["training/fallback.md"].decode()
    assert "Nobody is over-serviced in FY2026 (to date)." in page
    assert "is over-serviced.</p>" not in page.replace("Nobody is over-serviced", "")


def test_a_rule_picks_by_the_models_figures(content: ContentBuilder) -> None:
    content.customer("big", name="Big Co", revenue={2026: "100000"})
    content.customer("small", name="Small Co", revenue={2026: "1000"})
    content.record(
        "small", "2026-02-01-a.md", "type: service\ndate: 2026-02-01\ntitle: Visits\nservice: line-service\nquantity: 4\nhours: 40\n"
    )
    content.write(
        "training/pick.md", "# Pick\n\n::: example most-over-serviced in this-year\n{{ link }} takes {{ cost_to_serve_share }}.\n:::\n"
    )
    page = generate_docs(content).files["training/pick.md"].decode()
    assert '<a href="../customers/small/index.html">Small Co</a> takes' in page
    assert ">100.0%</span>" in page  # the only cost to serve


def test_a_company_page_replaces_a_shipped_page_by_its_file_name(content: ContentBuilder) -> None:
    content.customer("acme")
    name = next(iter(shipped_pages()))
    content.write(f"training/{name}", "# Our own version\n\nWritten by us.\n")
    content.write("training/extra.md", "# Extra\n\nMore.\n")
    files = generate_docs(content).files
    assert "Written by us." in files[f"training/{name}"].decode()
    index = files["training/index.md"].decode()
    assert "Our own version" in index and "Extra" in index
    assert index.count(f'href="{name.removesuffix(".md")}.html"') == 1


@pytest.mark.parametrize("hostile", ["<img src=x onerror=alert(1)>", "**x** [y](javascript:alert(1)) {{ spend }}"])
def test_hostile_customer_names_stay_inert_in_training_and_handbook_pages(content: ContentBuilder, hostile: str) -> None:
    content.customer("acme", name=json.dumps(hostile), revenue={2026: "1000"})
    content.write(
        "training/h.md",
        "# H\n\nMeet {{ link of acme }} and {{ name of acme }}.\n\n::: question Who is <b>{{ name of acme }}</b>?\nThem.\n:::\n",
    )
    handbook = {"page.md": b"# Page\n\nMeet {{ link of acme }} and {{ name of acme }}.\n"}
    files = generate_docs(content, handbook=handbook).files
    training = files["training/h.md"].decode()
    assert "<img" not in training and "<strong>" not in training and "<b>" not in training
    assert 'href="javascript' not in training
    assert "&lt;img src=x onerror=alert(1)&gt;" in training or "**x**" in training
    md = files["handbook/page.md"].decode()
    assert "<img" not in md and "**x**" not in md and "](javascript" not in md


def test_references_in_code_are_shown_as_typed(content: ContentBuilder) -> None:
    content.customer("acme")
    content.write("training/code.md", "# Code\n\nWrite `{{ spend of nobody }}`.\n\n```\n{{ spend of nobody }}\n::: example x\n```\n")
    _, problems = run_check(content)
    assert problems == [], problem_texts(problems)
    page = generate_docs(content).files["training/code.md"].decode()
    assert page.count("{{ spend of nobody }}") == 2


def test_a_live_figure_in_a_link_target_is_refused(content: ContentBuilder) -> None:
    content.customer("acme")
    path = content.write("training/l.md", "# L\n\n![{{ name of acme }}](x.png)\n")
    _, problems = run_check(content)
    assert any(p.line == line_of(path, "x.png") and "cannot stand in a link target or image" in p.message for p in problems), problem_texts(
        problems
    )


def test_shipped_pages_check_clean_and_end_with_a_self_check(content: ContentBuilder) -> None:
    content.customer("acme")
    _, problems = run_check(content)
    assert problems == [], problem_texts(problems)
    for name, text in shipped_pages().items():
        assert "::: question" in text.rsplit("## ", 1)[-1], name


def handbook_names(generated: Generated) -> Names:
    model = generated.model
    return Names(
        {c.id: frozenset(e.expectation.id for e in c.expectations) for c in model.customers},
        tuple(model.company.segments),
        tuple(model.company.tiers),
        (min(model.fiscal_years, default=model.current_year), model.current_year),
    )


def test_the_handbook_uses_the_sites_own_settings_and_data(content: ContentBuilder) -> None:
    handbook = read_handbook(ROOT / "docs")
    generated = generate_docs(small_tree(content), "2026-06-30", handbook)
    for name, data in handbook.items():
        if name.endswith(".md"):
            assert reference_issues(parse(data.decode()), handbook_names(generated)) == [], name
    page = generated.files["handbook/value-model.md"].decode()
    note = page[page.index('!!! note "Setting for all examples"') :].split("\n\n", 1)[0]
    # conftest's company: calendar fiscal years, internal hour cost 100, customer hour cost 50
    assert "fiscal years start in January" in note
    assert "internal hour cost 100" in note and "customer hour cost\n    50" in note
    assert "Build date: 2026-06-30." in note
    assert "[?]" not in page and "CSVFLIVE" not in page
    assert "{{" not in re.sub(r"```.*?```|`[^`]*`", "", page, flags=re.S)


def test_the_walk_through_reads_the_account_whose_buyer_changed_or_the_largest(content: ContentBuilder) -> None:
    content.customer("big", name="Big Co", segment="key", revenue={2026: "90000"})
    content.customer("new-buyer", name="New Buyer Ltd", segment="growth", revenue={2026: "1000"},
                     extra="  - name: Sam Lee\n    role: Buyer\n    from: 2026-05-02\nindustry: Food\n")  # fmt: skip
    page = generate_docs(content).files["training/new-to-an-account.md"].decode()
    assert '<a href="../customers/new-buyer/index.html">New Buyer Ltd</a>' in page
    assert "2026-05-02" in page


def test_the_walk_through_says_so_when_there_is_no_customer(content: ContentBuilder) -> None:
    page = generate_docs(content).files["training/new-to-an-account.md"].decode()
    assert "This site has no customer yet." in page


def test_the_docs_list_every_figure_and_rule() -> None:
    text = (ROOT / "docs" / "live-figures.md").read_text(encoding="utf-8")
    for name in [*all_names(), *RULES]:
        assert f"`{name}`" in text, name


def test_among_narrows_the_rule_to_a_segment(content: ContentBuilder) -> None:
    content.customer("big", name="Big Co", segment="growth", revenue={2026: "90000"})
    content.customer("keyco", name="Key Co", segment="key", revenue={2026: "1000"})
    content.write(
        "training/among.md",
        "# Among\n\n::: example largest-spend among top-segment in this-year\n{{ name }} is our largest {{ top_segment }} account.\n:::\n"
        "::: example largest-spend among tier:premium\n{{ name }}\n::: otherwise\nNo premium customer.\n:::\n",
    )
    page = generate_docs(content).files["training/among.md"].decode()
    assert "Key Co is our largest key account." in page  # key is conftest's first segment; Big Co spends more but is growth
    assert "No premium customer." in page
