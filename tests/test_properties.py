"""Property-based tests: whatever a content file holds, the check answers with values.

Random and mutated front matter, YAML (records, customer.yaml, catalog.yaml,
company.yaml) and Markdown (record bodies, notes, training pages): inserted
and deleted characters, YAML syntax, control characters, huge numbers, deep
nesting, random values under known keys. Each must give either checked
content or problems that each name the file and a line of it; never an
exception, never a long wait (a deadline per example). Where a test builds,
the build's pipeline must agree with the check: pages exactly when it
passes, and the same problems when it does not.
"""

from __future__ import annotations

import tempfile
from datetime import date, timedelta
from pathlib import Path

import yaml
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from csvf_build.check import check
from csvf_build.content.load import Content
from csvf_build.content.tree import FolderTree
from csvf_build.model.compute import compute_model
from csvf_build.pipeline import generate
from tests.conftest import CATALOG, COMPANY, ContentBuilder

TODAY = date(2026, 6, 30)
SETTINGS = settings(
    max_examples=150,
    deadline=timedelta(seconds=5),  # examples take tens of milliseconds; the margin is for shared cores
    database=None,
    suppress_health_check=[HealthCheck.too_slow],
)

RECORD_FRONT = """\
type: service
date: 2024-02-01
title: Line 3 audit
service: line-service
quantity: 16
hours: 16
by: Sam Ortiz
contact: Priya Raman
customer_hours: 4
tags: [line-3, audit]
"""

CUSTOMER = """\
name: Acme Foods Inc.
segment: growth
tier: standard
industry: Food processing
since: 2023-01-01
account_manager: Dana Whitfield
team:
  day-to-day: Kim Ng
revenue:
  2024: 1000
  2025: 1250.50
contacts:
  - name: Priya Raman
    role: Purchasing manager
    from: 2023-01-01
expectations:
  - id: samples-per-shift
    metric: Samples per shift
    expected: 10
    unit: samples
"""

BODY = "They ran [five samples](../files/plan.pdf) per shift.\n\n- reset the dwell time\n- trained both shifts\n"

# Characters that mean something to YAML or Markdown, a few that YAML refuses, and some text.
PIECES = st.one_of(
    st.sampled_from([*":-[]{}#&*!|>'\"%@`,?\n\t ", "\x00", "\x01", "\x0b", "\ufffe", "\u2028", "---", "...", "\\"]),
    st.sampled_from(["9" * 40, "1" * 400, "0x1F", "1e999", ".inf", "-0", "2024-02-30", "yes", "~", "<<: *a", "&a", "!!str", "[" * 50]),
    st.text(max_size=12),
)


@st.composite
def mutated(draw: st.DrawFn, base: str) -> str:
    """`base` with a few random insertions, deletions and line swaps."""
    text = base
    for _ in range(draw(st.integers(min_value=1, max_value=6))):
        position = draw(st.integers(min_value=0, max_value=max(len(text), 0)))
        operation = draw(st.sampled_from(["insert", "delete", "line"]))
        if operation == "insert":
            text = text[:position] + draw(PIECES) + text[position:]
        elif operation == "delete":
            text = text[:position] + text[position + draw(st.integers(min_value=1, max_value=20)) :]
        else:
            lines = text.split("\n")
            index = draw(st.integers(min_value=0, max_value=len(lines) - 1))
            lines[index] = draw(st.one_of(PIECES, st.just(lines[index - 1] if index else "")))
            text = "\n".join(lines)
    return text


SCALARS = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(min_value=-(10**400), max_value=10**400),
    st.floats(allow_nan=False, allow_infinity=False),
    st.text(max_size=20),
    st.dates(min_value=date(1900, 1, 1), max_value=date(2100, 1, 1)).map(str),
)
VALUES = st.recursive(
    SCALARS, lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=8), inner, max_size=4), max_leaves=12
)
RECORD_KEYS = ["type", "date", "title", "service", "quantity", "value", "rate", "hours", "contact", "tags", "internal", "resolved", "score"]


@st.composite
def random_front(draw: st.DrawFn) -> str:
    """Front matter of known and unknown keys with random values, dumped as YAML."""
    data = draw(st.dictionaries(st.sampled_from(RECORD_KEYS) | st.text(min_size=1, max_size=8), VALUES, max_size=8))
    data.setdefault("type", draw(st.sampled_from(["service", "meeting", "survey", "escalation", "measurement", "visit"])))
    return yaml.safe_dump(data, allow_unicode=True, default_flow_style=draw(st.booleans()))


def no_charts(specs: list) -> dict[str, bytes]:
    """Charts are drawn by matplotlib (tested elsewhere); here every chart is a blank SVG so a case stays fast."""
    return {spec.path: b'<svg xmlns="http://www.w3.org/2000/svg"/>' for spec in specs}


def run(
    front: str | None = None,
    customer: str = CUSTOMER,
    body: str = BODY,
    extra: dict[str, str] | None = None,
    build: bool = False,
) -> tuple[object, list, Path]:
    """Check a tree with one customer and one record; the record's front matter, the customer.yaml or any file varied.

    With `build`, the build's pipeline runs too and must agree with the check: pages exactly when it passes, the same problems.
    """
    with tempfile.TemporaryDirectory() as tmp:
        builder = ContentBuilder(Path(tmp) / "content")
        for rel, text in (extra or {}).items():
            builder.write(rel, text)
        builder.write("customers/acme/customer.yaml", customer)
        builder.write("customers/acme/files/plan.pdf", "%PDF-1.4")
        builder.write("customers/acme/records/2024-02-01-x.md", f"---\n{RECORD_FRONT if front is None else front}---\n{body}")
        content, problems = check(FolderTree(builder.root), TODAY)
        if build:
            generated, build_problems = generate(FolderTree(builder.root), TODAY, {}, draw=no_charts)
            assert build_problems == problems and (generated is None) == (content is None)
        return content, problems, builder.root


def assert_clean_answer(content: object, problems: list, root: Path) -> None:
    """Either content (that the model computes) and no problems, or no content and problems that each name a file and a line."""
    assert (content is None) == bool(problems)
    if isinstance(content, Content):
        compute_model(content, TODAY)  # what the check passes, the model must compute
    for problem in problems:
        assert problem.file.startswith(f"{root}/"), problem
        assert problem.line >= 1, problem.as_text()
        assert problem.message, problem


def test_the_unmutated_tree_is_valid() -> None:
    content, problems, _root = run()
    assert problems == [] and content is not None


@SETTINGS
@given(mutated(RECORD_FRONT))
def test_mutated_record_front_matter(front: str) -> None:
    assert_clean_answer(*run(front=front if front.endswith("\n") else front + "\n"))


@SETTINGS
@given(random_front())
def test_random_record_front_matter(front: str) -> None:
    assert_clean_answer(*run(front=front))


def number_text(negative: bool, whole: int, decimals: int, digit: int) -> str:
    """A plain number with `whole` digits before the point and `decimals` after."""
    text = str(digit or 1) + str(digit) * (whole - 1) + ("." + str(digit) * decimals if decimals else "")
    return ("-" if negative else "") + text


NUMBERS = st.builds(
    number_text, st.booleans(), st.integers(min_value=1, max_value=400), st.integers(min_value=0, max_value=40), st.integers(0, 9)
)
SERVICE_NUMBERS = ["quantity", "value", "rate", "hours", "our_cost", "customer_hours"]


@SETTINGS
@given(st.sampled_from(SERVICE_NUMBERS), NUMBERS, st.sampled_from(SERVICE_NUMBERS), NUMBERS)
def test_any_numbers_in_a_service_record(first: str, a: str, second: str, b: str) -> None:
    front = "type: service\ndate: 2024-02-01\ntitle: Audit\nservice: line-service\n"
    front += f"{first}: {a}\n" + (f"{second}: {b}\n" if second != first else "")
    assert_clean_answer(*run(front=front))


@SETTINGS
@given(NUMBERS, NUMBERS)
def test_any_numbers_in_customer_yaml(revenue: str, expected: str) -> None:
    customer = CUSTOMER.replace("2025: 1250.50", f"2025: {revenue}").replace("expected: 10", f"expected: {expected}")
    assert_clean_answer(*run(customer=customer))


@SETTINGS
@given(mutated(CUSTOMER))
def test_mutated_customer_yaml(customer: str) -> None:
    assert_clean_answer(*run(customer=customer))


@SETTINGS
@given(mutated(BODY))
def test_mutated_record_body(body: str) -> None:
    assert_clean_answer(*run(body=body))


@SETTINGS
@given(st.text(max_size=300))
def test_any_text_as_a_record(text: str) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        builder = ContentBuilder(Path(tmp) / "content")
        builder.write("customers/acme/customer.yaml", CUSTOMER)
        builder.write("customers/acme/records/x.md", text)
        content, problems = check(FolderTree(builder.root), TODAY)
        assert_clean_answer(content, problems, builder.root)


# Each of these also renders every page when the mutation stays valid: fewer examples, the same bound per example.
BUILD_SETTINGS = settings(SETTINGS, max_examples=60)
COMPANY_TEXT = COMPANY.format(fiscal_year_start=4)
NOTES = "# Story\n\nThey wanted [the plan](files/plan.pdf) and *fewer* stops.\n\n| a | b |\n|---|---|\n| 1 | 2 |\n"
TRAINING = "# Logging a visit\n\nWrite what you did. See [the other page](other.md).\n\n> A quote\n\n```\ncode\n```\n"


@BUILD_SETTINGS
@given(mutated(CATALOG))
def test_mutated_catalog_yaml(catalog: str) -> None:
    assert_clean_answer(*run(extra={"catalog.yaml": catalog}, build=True))


@BUILD_SETTINGS
@given(mutated(COMPANY_TEXT))
def test_mutated_company_yaml(company: str) -> None:
    assert_clean_answer(*run(extra={"company.yaml": company}, build=True))


@BUILD_SETTINGS
@given(mutated(NOTES))
def test_mutated_notes(notes: str) -> None:
    assert_clean_answer(*run(extra={"customers/acme/notes.md": notes}, build=True))


@BUILD_SETTINGS
@given(mutated(TRAINING))
def test_mutated_training_page(page: str) -> None:
    assert_clean_answer(*run(extra={"training/intro.md": page, "training/other.md": "# Other\n\nText.\n"}, build=True))


@BUILD_SETTINGS
@given(mutated(RECORD_FRONT), mutated(BODY))
def test_check_and_build_agree_on_a_mutated_record(front: str, body: str) -> None:
    assert_clean_answer(*run(front=front if front.endswith("\n") else front + "\n", body=body, build=True))
