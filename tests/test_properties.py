"""Property-based tests: whatever a record or a customer.yaml holds, the check answers with values.

Random and mutated front matter and YAML (inserted and deleted characters,
YAML syntax, control characters, huge numbers, deep nesting, random values
under known keys) must always give either checked content or problems that
each name the file and a line of it; never an exception, never a long wait.
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
from tests.conftest import ContentBuilder

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


def run(front: str | None = None, customer: str = CUSTOMER, body: str = BODY) -> tuple[object, list, Path]:
    """Check a tree with one customer and one record; the record's front matter or the customer.yaml varied."""
    with tempfile.TemporaryDirectory() as tmp:
        builder = ContentBuilder(Path(tmp) / "content")
        builder.write("customers/acme/customer.yaml", customer)
        builder.write("customers/acme/files/plan.pdf", "%PDF-1.4")
        builder.write("customers/acme/records/2024-02-01-x.md", f"---\n{RECORD_FRONT if front is None else front}---\n{body}")
        content, problems = check(FolderTree(builder.root), TODAY)
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
