"""Writing records fast and right: init, new customer/record/contact, schemas, pre-commit."""

from __future__ import annotations

import json
import subprocess
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
import yaml
from click.testing import CliRunner, Result
from jsonschema import Draft202012Validator, FormatChecker

from csvf_build.cli import main
from csvf_build.content.load import split_front_matter
from csvf_build.content.yamlread import read_yaml
from csvf_build.scaffold import RECORD_TYPES, free_record_name, schema_files, slugify
from tests.conftest import ContentBuilder, problem_texts, run_check
from tests.gitrepo import PROJECT

AS_OF = "2026-06-30"
SCHEMAS = PROJECT / "schemas"


def cli(*args: str) -> Result:
    return CliRunner().invoke(main, list(args), catch_exceptions=False)


def as_json(value: Any) -> Any:
    """YAML as csvf reads it (YAML 1.2, numbers exact) to the JSON an editor validates."""
    if isinstance(value, dict):
        return {str(k): as_json(v) for k, v in value.items()}
    if isinstance(value, list):
        return [as_json(v) for v in value]
    if isinstance(value, Decimal):
        return int(value) if value == value.to_integral_value() else float(value)
    return value


def validator(kind: str) -> Draft202012Validator:
    schema = json.loads((SCHEMAS / f"{kind}.schema.json").read_text())
    Draft202012Validator.check_schema(schema)
    return Draft202012Validator(schema, format_checker=FormatChecker())


def instance(path: Path) -> tuple[str, Any]:
    """(schema kind, JSON instance) of a content file."""
    text = path.read_text(encoding="utf-8")
    if path.suffix == ".md":
        split = split_front_matter(text)
        assert split is not None
        text = split[0]
    doc, problems = read_yaml(text, str(path))
    assert doc is not None and not problems
    data = as_json(doc.data)
    kind = f"record-{data['type']}" if path.suffix == ".md" else path.stem
    return kind, data


# ---------------------------------------------------------------- schemas


def test_the_shipped_schemas_are_the_checkers_rules() -> None:
    assert {p.name: p.read_bytes() for p in SCHEMAS.glob("*.json")} == schema_files(), "run: csvf schema schemas"


def test_csvf_schema_writes_every_schema(tmp_path: Path) -> None:
    result = cli("schema", str(tmp_path / "out"))
    assert result.exit_code == 0
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == sorted(schema_files())
    assert "0 written, 11 unchanged" in cli("schema", str(tmp_path / "out")).output


def test_the_schemas_accept_every_example_file() -> None:
    content = PROJECT / "content"
    paths = [content / "company.yaml", content / "catalog.yaml", *content.glob("customers/*/customer.yaml")]
    paths += sorted(content.glob("customers/*/records/*.md"))
    kinds = set()
    for path in paths:
        kind, data = instance(path)
        kinds.add(kind)
        errors = [e.message for e in validator(kind).iter_errors(data)]
        assert errors == [], f"{path}: {errors}"
    assert len(paths) > 400 and kinds == {"company", "catalog", "customer"} | {f"record-{t}" for t in RECORD_TYPES}


REJECTED = [
    ("an unknown key", "meeting", "kind: review\nstage: after\nhourz: 2"),
    ("a value outside the closed set", "meeting", "kind: chat\nstage: after"),
    ("a missing required field", "service", "quantity: 2"),
    ("a quoted money amount", "service", "service: training\nvalue: '100'"),
    ("a negative quantity", "service", "service: training\nquantity: -3"),
    ("money with three decimals", "service", "service: training\nvalue: 10.125"),
    ("a survey scale other than 5, 10, 100", "survey", "score: 3\nscale: 7"),
    ("a presentation without attendees", "presentation", "attendees: []"),
    ("a date that is no date", "meeting", "kind: review\nstage: after\ndate: 2026-13-01"),
]


@pytest.mark.parametrize(("what", "kind", "fields"), REJECTED, ids=[r[0] for r in REJECTED])
def test_the_schemas_reject_what_the_checker_rejects(content: ContentBuilder, what: str, kind: str, fields: str) -> None:
    front = f"type: {kind}\ndate: 2026-02-01\ntitle: A record\n{fields}"
    if "\ndate: " in fields:
        front = front.replace("date: 2026-02-01\n", "", 1)
    content.customer("acme", revenue={2026: "100"})
    path = content.record("acme", "2026-02-01-x.md", front)
    _, problems = run_check(content, AS_OF)
    assert problems, f"the checker accepts {what}"
    kind_name, data = instance(path)
    assert list(validator(kind_name).iter_errors(data)), f"the schema accepts {what}"


def test_the_schemas_reject_bad_customer_and_company_files() -> None:
    customer = {"name": "X", "segment": "key", "tier": "basic", "since": "2024-01-01", "account_manager": "D", "contacts": []}
    assert not list(validator("customer").iter_errors(customer | {"revenue": {"2025": 100}}))
    assert list(validator("customer").iter_errors(customer | {"revenue": {"FY25": 100}}))  # revenue keys are years
    assert list(validator("customer").iter_errors(customer))  # revenue is required
    company = as_json(read_yaml((PROJECT / "content/company.yaml").read_text(), "company.yaml")[0].data)  # type: ignore[union-attr]
    assert list(validator("company").iter_errors(company | {"fiscal_year_start": 13}))


# ---------------------------------------------------------------- init


def test_init_starts_a_content_repository_that_passes_the_check(tmp_path: Path) -> None:
    target = tmp_path / "northwind"
    result = cli("init", str(target), "--name", "Northwind: Components", "--fiscal-year-start", "4", "--as-of", AS_OF)
    assert result.exit_code == 0, result.output
    assert (target / "content/customers").is_dir()
    assert (target / "content/company.yaml").read_text().startswith("# yaml-language-server: $schema=../schemas/company.schema.json\n")
    shipped = (PROJECT / "content/catalog.yaml").read_bytes()
    assert (PROJECT / "csvf_build/starter/catalog.yaml").read_bytes() == shipped  # the package data is the example catalog
    assert (target / "content/catalog.yaml").read_bytes().endswith(shipped)
    assert sorted(p.name for p in (target / "schemas").iterdir()) == sorted(schema_files())
    workflow = target / ".github/workflows/pull-request.yml"
    hooks = yaml.safe_load((target / ".pre-commit-config.yaml").read_text())
    assert hooks["repos"][0]["hooks"] == [{"id": "csvf-check"}]
    assert "csvf" in (target / "requirements.txt").read_text()
    bin_dir = Path(sys.executable).parent
    schema_check = subprocess.run(
        [bin_dir / "check-jsonschema", "--builtin-schema", "vendor.github-workflows", workflow], capture_output=True
    )
    assert schema_check.returncode == 0, schema_check.stdout
    zizmor = subprocess.run([bin_dir / "zizmor", "--offline", "--format", "json", workflow], capture_output=True, text=True)
    assert [f for f in json.loads(zizmor.stdout) if f["determinations"]["severity"] in ("Medium", "High")] == []


def test_init_refuses_to_overwrite_anything(tmp_path: Path) -> None:
    target = tmp_path / "existing"
    (target / "content").mkdir(parents=True)
    (target / "content/company.yaml").write_text("name: Ours\n")
    result = cli("init", str(target))
    assert result.exit_code == 2
    assert "content/company.yaml" in result.output and "nothing was written" in result.output
    assert sorted(p.relative_to(target).as_posix() for p in target.rglob("*")) == ["content", "content/company.yaml"]
    assert (target / "content/company.yaml").read_text() == "name: Ours\n"


# ---------------------------------------------------------------- new


@pytest.fixture
def repo_content(tmp_path: Path) -> ContentBuilder:
    """A content folder with a customer that has a contact and an expectation."""
    builder = ContentBuilder(tmp_path / "content")
    builder.customer(
        "acme",
        revenue={2026: "1000"},
        extra="""\
        expectations:
          - id: samples-per-shift
            metric: Samples per shift
            expected: 10
            unit: samples
        """,
    )
    return builder


def test_new_customer_and_every_record_type_pass_the_check(repo_content: ContentBuilder) -> None:
    root = str(repo_content.root)
    result = cli("new", "customer", "beta-bottling", "--content", root, "--as-of", AS_OF, "--account-manager", "Dana Whitfield")
    assert result.exit_code == 0, result.output
    written = (repo_content.root / "customers/beta-bottling/customer.yaml").read_text()
    assert 'name: "Beta Bottling"' in written and "segment: standard" in written and "tier: basic" in written
    for kind in RECORD_TYPES:
        extra = ["--service", "training"] if kind == "service" else []
        result = cli("new", "record", "acme", "--type", kind, *extra, "--content", root, "--as-of", AS_OF, "--by", "Sam Ortiz")
        assert result.exit_code == 0, f"{kind}: {result.output}"
    checked, problems = run_check(repo_content, AS_OF)
    assert problems == [], problem_texts(problems)
    acme = next(c for c in checked.customers if c.id == "acme")  # type: ignore[attr-defined]
    assert sorted(r.record.type for r in acme.records) == sorted(RECORD_TYPES)
    service = (repo_content.root / "customers/acme/records/2026-06-30-training-to-the-customer.md").read_text()
    assert "quantity: 1" in service and "# in attendee-hour; value = quantity x 90" in service and 'by: "Sam Ortiz"' in service


def test_new_record_picks_a_free_file_name_and_quotes_any_title(repo_content: ContentBuilder) -> None:
    root = str(repo_content.root)
    title = "Line 3: 'audit' #2 | <b>"
    for _ in range(2):
        result = cli(
            "new", "record", "acme", "--type", "meeting", "--title", title, "--date", "2026-05-04", "--content", root, "--as-of", AS_OF
        )
        assert result.exit_code == 0, result.output
    names = sorted(p.name for p in (repo_content.root / "customers/acme/records").iterdir())
    assert names == ["2026-05-04-line-3-audit-2-b-2.md", "2026-05-04-line-3-audit-2-b.md"]
    checked, problems = run_check(repo_content, AS_OF)
    assert problems == []
    assert {r.record.title for c in checked.customers for r in c.records} == {title}  # type: ignore[attr-defined]


def test_new_writes_nothing_that_would_fail_the_check(repo_content: ContentBuilder) -> None:
    root = str(repo_content.root)
    future = cli("new", "record", "acme", "--type", "meeting", "--date", "2026-07-01", "--content", root, "--as-of", AS_OF)
    assert future.exit_code == 1
    assert "2026-07-01-quarterly-review.md:3:7: error: date 2026-07-01 is after the build date 2026-06-30" in future.output
    early = cli("new", "record", "acme", "--type", "meeting", "--date", "2020-01-01", "--content", root, "--as-of", AS_OF)
    assert early.exit_code == 1 and "before the customer's `since` (2023-01-01)" in early.output
    assert "nothing was written" in early.output
    assert not (repo_content.root / "customers/acme/records").exists()
    no_service = cli("new", "record", "acme", "--type", "service", "--content", root, "--as-of", AS_OF)
    assert no_service.exit_code == 2 and "one of: training, line-service, study, scrap-reduction" in no_service.output
    assert cli("new", "customer", "acme", "--content", root).exit_code == 2  # exists
    assert cli("new", "customer", "Not_An_Id", "--content", root).exit_code == 2


def test_new_contact_keeps_comments_key_order_and_layout(repo_content: ContentBuilder) -> None:
    path = repo_content.root / "customers/acme/customer.yaml"
    original = path.read_text().replace("tier: standard", "tier: standard   # sold in 2023\n# a note a person wrote")
    path.write_text(original)
    result = cli(
        "new", "contact", "acme", "--name", "Tom Becker", "--role", "Buyer", "--from", "2026-03-01", "--content", str(repo_content.root)
    )
    assert result.exit_code == 0, result.output
    head, tail = original.split("    from: 2023-01-01\n", 1)
    assert path.read_text() == head + "    from: 2023-01-01\n  - name: Tom Becker\n    role: Buyer\n    from: 2026-03-01\n" + tail
    _, problems = run_check(repo_content, AS_OF)
    assert problems == []


def test_file_names_from_titles() -> None:
    assert slugify("Café Crème: Line #3 — audit") == "cafe-creme-line-3-audit"
    assert slugify("???") == "record"
    assert free_record_name({"2026-01-02-x.md", "2026-01-02-x-2.md"}, __import__("datetime").date(2026, 1, 2), "X") == "2026-01-02-x-3.md"


def test_the_repository_offers_csvf_check_as_a_pre_commit_hook() -> None:
    (hook,) = yaml.safe_load((PROJECT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "csvf-check" and hook["entry"] == "csvf check" and hook["pass_filenames"] is False
    assert hook["language"] == "python" and hook["files"] == "^content/"
