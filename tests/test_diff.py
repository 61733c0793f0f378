"""`csvf diff`: records added, changed and removed, and the figures before and after, from git."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from csvf_build.cli import main
from tests.conftest import ContentBuilder
from tests.gitrepo import GitRepo

AS_OF = "2026-06-30"
XSS = "<img src=x onerror=alert(1)> | x |"


def diff(repo: GitRepo, *args: str) -> Result:
    return CliRunner().invoke(main, ["diff", *args, "--content", str(repo.root / "content"), "--as-of", AS_OF], catch_exceptions=False)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    """Base commit: acme (four records over two fiscal years) and beta (no records)."""
    repo = GitRepo(tmp_path / "repo")
    builder = ContentBuilder(repo.root / "content")
    builder.customer("acme", name="Acme *Foods* <b>Inc</b>", revenue={2025: "5000", 2026: "10000"})
    builder.customer("beta", name="Beta Bottling", revenue={2026: "1000"})
    builder.record(
        "acme", "2025-06-01-study.md", "type: service\ndate: 2025-06-01\ntitle: Seal study\nservice: study\nvalue: 2000\nhours: 1"
    )
    builder.record(
        "acme", "2026-02-01-course.md", "type: service\ndate: 2026-02-01\ntitle: Operator course\nservice: training\nquantity: 10\nhours: 2"
    )
    builder.record(
        "acme", "2026-03-01-line.md", "type: service\ndate: 2026-03-01\ntitle: Line visit\nservice: line-service\nquantity: 4\nhours: 4"
    )
    builder.record("acme", "2026-04-01-review.md", "type: meeting\ndate: 2026-04-01\ntitle: Review\nkind: review\nstage: after")
    repo.commit("base content")
    repo.git("branch", "base")
    return repo


def change_acme(repo: GitRepo) -> ContentBuilder:
    """Remove the course, change the line visit (4 -> 6 engineer-hours), add a 20,000 scrap reduction."""
    builder = ContentBuilder(repo.root / "content")  # rewrites company.yaml and catalog.yaml as they were
    (builder.root / "customers/acme/records/2026-02-01-course.md").unlink()
    builder.record(
        "acme", "2026-03-01-line.md", "type: service\ndate: 2026-03-01\ntitle: Line visit\nservice: line-service\nquantity: 6\nhours: 4"
    )
    builder.record(
        "acme", "2026-05-01-scrap.md", f"type: service\ndate: 2026-05-01\ntitle: '{XSS}'\nservice: scrap-reduction\nvalue: 20000"
    )
    return builder


def table_row(markdown: str, label: str, nth: int = 1) -> list[str]:
    """The cells of the `nth` table row whose first cell is `label`."""
    rows = [line for line in markdown.splitlines() if line.startswith(f"| {label} |")]
    return [cell.strip() for cell in rows[nth - 1].strip("|").split("|")][1:]


def test_added_changed_and_removed_records_with_figures_before_and_after(repo: GitRepo) -> None:
    change_acme(repo)
    result = diff(repo, "base")
    assert result.exit_code == 0, result.output
    md = result.stdout
    assert "**1 customer changed** (0 added, 1 changed, 0 removed); records: 1 added, 1 changed, 1 removed; 1 customer unchanged." in md
    assert "- record added: 2026-05-01 " in md
    assert "- record changed: 2026-03-01 Line visit" in md
    assert "- record removed: 2026-02-01 Operator course" in md
    # Hand-computed. Before: FY2026 900 (course) + 600 (4 x 150) = 1,500 on 10,000 spend; cost to serve (2 + 4) x 100.
    # All time adds the 2025 study: 2,000 benefits, 5,000 spend, 1 hour. After: 900 (6 x 150) + 20,000 return.
    # Columns: FY2026 before, after, all time before, after (the portfolio table comes first, acme's second).
    assert table_row(md, "Benefits", 2) == ["1,500", "20,900", "3,500", "22,900"]
    assert table_row(md, "Spend", 2) == ["10,000", "10,000", "15,000", "15,000"]
    assert table_row(md, "Value ratio", 2) == ["0.15", "2.09", "0.23", "1.53"]  # 3,500 / 15,000 = 0.2333; 22,900 / 15,000 = 1.5267
    assert table_row(md, "Cost to serve", 2) == ["600", "400", "700", "500"]
    # Spend 5,000 over 2025's 12 months, 10,000 over Jan-Jun 2026: by 2026-05 cost is 13,333 and benefits 22,900.
    assert "Break-even: none → 2026-05 · health: green → green · presentation due: no → no" in md
    # The portfolio: beta's 1,000 spend joins; acme alone is the top 20% (ceil(2 / 5) = 1) with 10,000 / 11,000.
    assert table_row(md, "Benefits") == ["1,500", "20,900", "3,500", "22,900"]
    assert table_row(md, "Spend") == ["11,000", "11,000", "16,000", "16,000"]
    assert table_row(md, "Top 20% of paying customers bring")[:2] == ["90.9% of revenue (1 of 2)"] * 2
    assert "Health: 0 red, 1 amber, 1 green → 0 red, 1 amber, 1 green" in md  # beta: no record in 180 days


def test_user_text_stays_inert_in_the_markdown(repo: GitRepo) -> None:
    change_acme(repo)
    md = diff(repo, "base").stdout
    assert "<img" not in md and "<b>" not in md and "*Foods*" not in md
    assert "| x |" not in md
    assert "&#60;img src&#61;x onerror&#61;alert&#40;1&#41;&#62; &#124; x &#124;" in md
    assert "### Acme &#42;Foods&#42; &#60;b&#62;Inc&#60;/b&#62; (acme): changed" in md
    for line in md.splitlines():
        if line.startswith("| Benefits |"):
            assert line.count("|") == 6  # no cell was split by user text


def test_two_revisions_are_read_from_git_without_a_checkout(repo: GitRepo) -> None:
    change_acme(repo)
    repo.commit("change acme")
    (repo.root / "content/customers/acme/customer.yaml").unlink()  # the work tree no longer matters
    result = diff(repo, "base", "HEAD")
    assert result.exit_code == 0, result.output
    assert table_row(result.stdout, "Benefits", 2) == ["1,500", "20,900", "3,500", "22,900"]


def test_a_broken_head_lists_its_problems_and_exits_1(repo: GitRepo) -> None:
    builder = ContentBuilder(repo.root / "content")  # rewrites company.yaml and catalog.yaml as they were
    builder.record("acme", "2026-05-02-bad.md", "type: meeting\ndate: 2026-05-02\ntitle: Call\nkind: call\nstage: after\nhourz: 1")
    repo.commit("a typo")
    result = diff(repo, "base", "HEAD")
    assert result.exit_code == 1
    assert "**Check: 1 problem in the head.**" in result.stdout
    assert "- content/customers/acme/records/2026-05-02-bad.md&#58;7&#58;1&#58; unknown key `hourz`" not in result.stdout
    assert "content/customers/acme/records/2026-05-02-bad.md&#58;7&#58;1: unknown key &#96;hourz&#96;" in result.stdout
    assert "shown once the head passes the check" in result.stdout


def test_json_format_has_every_figure_as_the_export_writes_it(repo: GitRepo) -> None:
    change_acme(repo)
    result = diff(repo, "base", "--format", "json")
    data = json.loads(result.stdout)
    assert data["build_date"] == AS_OF and data["current_fiscal_year"] == 2026 and data["head"]["ok"] is True
    assert data["counts"] == {
        "customers": {"added": 0, "changed": 1, "removed": 0, "unchanged": 1},
        "records": {"added": 1, "changed": 1, "removed": 1},
    }
    (acme,) = data["customers"]
    assert acme["before"]["current_year"] == {"benefits": "1500.00", "spend": "10000.00", "value_ratio": 0.15, "cost_to_serve": "600.00"}
    assert acme["after"]["all_time"] == {"benefits": "22900.00", "spend": "15000.00", "value_ratio": 1.5267, "cost_to_serve": "500.00"}
    assert acme["after"]["break_even"] == "2026-05" and acme["before"]["break_even"] is None
    assert acme["benefits_change"] == "19400.00"
    assert [(r["change"], r["title"]) for r in acme["records"]] == [
        ("added", XSS),
        ("changed", "Line visit"),
        ("removed", "Operator course"),
    ]
    assert data["portfolio"]["after"]["current_year"]["top_20_percent_share"] == 90.9091


def test_a_change_to_many_customers_is_summarised_largest_first(repo: GitRepo) -> None:
    builder = ContentBuilder(repo.root / "content")  # rewrites company.yaml and catalog.yaml as they were
    for n in range(1, 26):
        builder.customer(f"c{n:02d}", name=f"Customer {n}", revenue={2026: "1000"})
        builder.record(
            f"c{n:02d}", "2026-05-01-study.md", f"type: service\ndate: 2026-05-01\ntitle: Study\nservice: study\nvalue: {n * 100}"
        )
    result = diff(repo, "base")
    md = result.stdout
    assert "**25 customers changed** (25 added, 0 changed, 0 removed)" in md
    assert "### The 20 largest changes of 25" in md
    rows = [line for line in md.splitlines() if line.startswith("| Customer ")]
    assert rows[1].startswith("| Customer 25 (c25) | added | 1/0/0 | &mdash; | 2,500 | +2,500 |")
    assert len(rows) == 1 + 20 and not any("(c05)" in row for row in rows)
    assert "And 5 more customers (5 added, 0 changed, 0 removed); their records: 5 added, 0 changed, 0 removed" in md
    assert "### Customer" not in md  # no per-customer sections


def test_catalog_change_moves_figures_of_customers_whose_files_did_not_change(repo: GitRepo) -> None:
    catalog = repo.root / "content/catalog.yaml"
    catalog.write_text(catalog.read_text().replace("rate: 150", "rate: 200"))
    md = diff(repo, "base").stdout
    assert "no file of this customer changed; the company settings or the catalog moved its figures" in md
    assert table_row(md, "Benefits", 2) == ["1,500", "1,700", "3,500", "3,700"]


def test_a_base_without_content_shows_every_customer_as_added(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    (repo.root / "README.md").write_text("new content repository\n")
    repo.commit("empty")
    builder = ContentBuilder(repo.root / "content")
    builder.customer("acme", revenue={2026: "100"})
    result = diff(repo, "HEAD")
    assert result.exit_code == 0, result.output
    assert "no content yet" in result.stdout
    assert "### Acme Foods Inc. (acme): added" in result.stdout


def test_a_bad_revision_is_a_usage_error(repo: GitRepo) -> None:
    result = diff(repo, "no-such-branch")
    assert result.exit_code == 2
    assert "'no-such-branch' is not a commit" in result.output
