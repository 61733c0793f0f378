"""`csvf import`: CSV rows to records, checked in memory first; bad rows named; comments kept."""

from __future__ import annotations

from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from csvf_build.cli import main
from tests.conftest import ContentBuilder, problem_texts, run_check

AS_OF = "2026-06-30"

CRM_EXPORT = """\
Account,Activity date,Subject,Engineer hours,Activity,Notes
acme,2026-03-02,Line 3 audit,6,line-service,They ran five samples per shift.
Acme Foods Inc.,2026-03-09,"Operator course: shift B, part 2",8,training,
acme,2026-04-01,Seal study,,study,
"""

MAPPING = """\
columns:
  Account: customer
  Activity date: date
  Subject: title
  Engineer hours: quantity
  Activity: service
  Notes: body
set:
  type: service
"""


@pytest.fixture
def builder(content: ContentBuilder) -> ContentBuilder:
    content.customer("acme", revenue={2026: "1000"})
    return content


def run_import(builder: ContentBuilder, csv_text: str, *args: str, name: str = "export.csv") -> Result:
    csv_path = builder.root.parent / name
    csv_path.write_text(csv_text, encoding="utf-8")
    mapping = builder.root.parent / "mapping.yaml"
    mapping.write_text(MAPPING)
    return CliRunner().invoke(
        main, ["import", str(csv_path), "--content", str(builder.root), "--as-of", AS_OF, *args], catch_exceptions=False
    )


def records(builder: ContentBuilder) -> dict[str, str]:
    folder = builder.root / "customers/acme/records"
    return {p.name: p.read_text() for p in sorted(folder.iterdir())} if folder.is_dir() else {}


def test_a_crm_export_becomes_records_that_pass_the_check(builder: ContentBuilder) -> None:
    export = CRM_EXPORT.replace("Activity,Notes", "Activity,Notes,Price").replace("Seal study,,study,", "Seal study,,study,,2400")
    result = run_import(builder, export, "--mapping", str(builder.root.parent / "mapping.yaml"), "--map", "Price=value", "--set", "hours=2")
    assert result.exit_code == 0, result.output
    assert "Imported 3 records and 0 revenue years from 3 rows" in result.output
    written = records(builder)
    assert sorted(written) == ["2026-03-02-line-3-audit.md", "2026-03-09-operator-course-shift-b-part-2.md", "2026-04-01-seal-study.md"]
    assert written["2026-03-02-line-3-audit.md"] == (
        '---\ntype: service\ndate: 2026-03-02\ntitle: "Line 3 audit"\nservice: line-service\nquantity: 6\nhours: 2\n---\n'
        "They ran five samples per shift.\n"
    )
    course = written["2026-03-09-operator-course-shift-b-part-2.md"]  # the account matched by its name
    assert 'title: "Operator course: shift B, part 2"' in course and "Imported from export.csv, row 3." in course
    checked, problems = run_check(builder, AS_OF)
    assert problems == [], problem_texts(problems)
    acme = checked.customers[0]  # type: ignore[attr-defined]
    assert [(r.record.title, r.record.quantity, r.record.value) for r in acme.records] == [
        ("Line 3 audit", 6, None),
        ("Operator course: shift B, part 2", 8, None),
        ("Seal study", None, 2400),
    ]


def test_columns_named_like_fields_need_no_mapping_and_dry_run_writes_nothing(builder: ContentBuilder) -> None:
    export = "customer,type,date,title,kind,stage,tags\nacme,meeting,2026-05-05,QBR,review,after,qbr; 2026\n"
    dry = run_import(builder, export, "--dry-run")
    assert dry.exit_code == 0, dry.output
    assert "new " in dry.output and "customers/acme/records/2026-05-05-qbr.md" in dry.output and "nothing was written" in dry.output
    assert records(builder) == {}
    assert run_import(builder, export).exit_code == 0
    assert 'tags: ["qbr", "2026"]' in records(builder)["2026-05-05-qbr.md"]


def test_a_bad_row_writes_nothing_and_is_named_by_row_and_column(builder: ContentBuilder) -> None:
    export = (
        "customer,type,date,title,kind,stage,customer_hours\n"
        "acme,meeting,2026-05-05,Good row,review,after,1\n"
        'acme,meeting,2026-05-06,Bad hours,review,after,"1,5"\n'
        "acme,meeting,2026-05-07,Bad kind,chat,after,\n"
        "nobody,meeting,2026-05-08,Who,review,after,\n"
        "acme,meeting,2026-07-09,Future,review,after,\n"
    )
    result = run_import(builder, export)
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "export.csv:3:7: error: row 3, column 'customer_hours' (customer_hours): '1,5' is not a plain number" in output
    assert "export.csv:5:1: error: row 5, column 'customer' (customer): 'nobody' is no customer id or name" in output
    assert records(builder) == {}
    # Once the cells are plain, the checker's own rules are told by row and column too.
    result = run_import(builder, export.replace('"1,5"', "2").replace("nobody", "acme"))
    output = " ".join(result.output.split())
    assert result.exit_code == 1
    assert "export.csv:4:5: error: row 4, column 'kind' (kind): `kind`: 'chat' is not one of the allowed values" in output
    assert "export.csv:6:3: error: row 6, column 'date' (date): date 2026-07-09 is after the build date 2026-06-30" in output
    assert "row 2" not in output and records(builder) == {}


def test_revenue_rows_edit_customer_yaml_and_keep_its_comments(builder: ContentBuilder) -> None:
    path = builder.root / "customers/acme/customer.yaml"
    original = path.read_text().replace("revenue:\n", "# Figures from finance, checked each April.\nrevenue:   # per fiscal year\n")
    original = original.replace("  2026: 1000\n", "  2026: 1000   # first year, partial\n")
    path.write_text(original)
    export = "customer,type,fiscal_year,date,amount\nacme,revenue,2025,,800.50\nacme,revenue,,2026-01-15,1000\n"
    result = run_import(builder, export)
    assert result.exit_code == 0, result.output
    assert "0 records and 2 revenue years" in result.output
    expected = original.replace("revenue:   # per fiscal year\n", "revenue:   # per fiscal year\n").replace(
        "  2026: 1000   # first year, partial\n", "  2026: 1000   # first year, partial\n  2025: 800.50\n"
    )
    assert path.read_text() == expected  # the 2026 row matched what was there: nothing replaced
    conflict = run_import(builder, "customer,type,fiscal_year,amount\nacme,revenue,2026,1200\n")
    assert conflict.exit_code == 1
    assert "row 2, column 'amount' (amount)" in conflict.output and "already has 2026: 1000" in conflict.output
    assert path.read_text() == expected
    _, problems = run_check(builder, AS_OF)
    assert problems == []


def test_an_existing_record_is_never_overwritten(builder: ContentBuilder) -> None:
    builder.record("acme", "2026-05-05-qbr.md", "type: meeting\ndate: 2026-05-05\ntitle: QBR\nkind: review\nstage: after", "Ours.\n")
    result = run_import(builder, "customer,type,date,title,kind,stage\nacme,meeting,2026-05-05,QBR,review,after\n")
    assert result.exit_code == 0, result.output
    assert records(builder)["2026-05-05-qbr.md"].endswith("Ours.\n")
    assert "2026-05-05-qbr-2.md" in records(builder)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (("--map", "Subject=titel"), "'titel' is not a record field"),
        (("--map", "Subject"), "is not NAME=VALUE"),
        (("--map", "Nope=title"), "the mapping names column 'Nope'"),
    ],
)
def test_mapping_mistakes_are_told(builder: ContentBuilder, args: tuple[str, ...], message: str) -> None:
    result = run_import(builder, CRM_EXPORT, *args)
    assert result.exit_code in (1, 2)
    assert message in " ".join(result.output.split())


def test_a_semicolon_export_from_a_european_spreadsheet(builder: ContentBuilder, tmp_path: Path) -> None:
    export = "\ufeffcustomer;type;date;title;kind;stage\nacme;meeting;2026-05-05;Visit;visit;during\n"
    result = run_import(builder, export)
    assert result.exit_code == 0, result.output
    assert "kind: visit" in records(builder)["2026-05-05-visit.md"]
