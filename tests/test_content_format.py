"""The content checker against content-format.md: one test per rule and kind of bad input.

Every test asserts the problem names the file a user must change and the line
to look at (and the hint, where the checker gives one), and that no content
comes out of a check that found problems.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from csvf_build.problems import Problem
from tests.conftest import MEETING, ContentBuilder, line_of, problem_texts, run_check

LAYOUT_HINT = "customers/<id>/records/*.md"


# ---------------------------------------------------------------- helpers


def edit(builder: ContentBuilder, rel: str, old: str, new: str) -> Path:
    """Replace `old` (which must occur) by `new` in a file of the tree."""
    path = builder.root / rel
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {rel}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")
    return path


def append(builder: ContentBuilder, rel: str, text: str) -> Path:
    path = builder.root / rel
    path.write_text(path.read_text(encoding="utf-8") + text, encoding="utf-8")
    return path


def rel(builder: ContentBuilder, path: Path | str) -> str:
    """`path` relative to the content root, as a POSIX string."""
    return path if isinstance(path, str) else path.relative_to(builder.root).as_posix()


def on_file(problems: list[Problem], builder: ContentBuilder, path: Path | str) -> list[Problem]:
    """The problems whose display path is `path` (a Path in the tree or a content-relative string)."""
    return [p for p in problems if p.file == f"{builder.root}/{rel(builder, path)}"]


def check_fails(builder: ContentBuilder, today: str = "2026-06-30") -> list[Problem]:
    content, problems = run_check(builder, today)
    assert problems, "expected at least one problem"
    assert content is None, "content must be None when there are problems"
    return problems


def check_passes(builder: ContentBuilder, today: str = "2026-06-30"):
    content, problems = run_check(builder, today)
    assert not problems, problem_texts(problems)
    assert content is not None
    return content


def the_problem(
    builder: ContentBuilder, path: Path | str, *, line: int | None, message: str, hint: str | None = None, today: str = "2026-06-30"
) -> Problem:
    """Exactly one problem in the run; it is in `path` at `line`, its message contains `message`."""
    problems = check_fails(builder, today)
    assert len(problems) == 1, problem_texts(problems)
    found = on_file(problems, builder, path)
    assert found, f"no problem in {path}:\n{problem_texts(problems)}"
    problem = found[0]
    if line is not None:
        assert problem.line == line, problem.as_text()
    assert message.lower() in problem.message.lower(), problem.as_text()
    if hint is not None:
        assert hint.lower() in problem.hint.lower(), problem.as_text()
    return problem


def a_problem(problems: list[Problem], builder: ContentBuilder, path: Path | str, message: str) -> Problem:
    """One of several problems: the first one in `path` whose message contains `message`."""
    for problem in on_file(problems, builder, path):
        if message.lower() in problem.message.lower():
            return problem
    raise AssertionError(f"no problem {message!r} in {path}:\n{problem_texts(problems)}")


@pytest.fixture
def acme(content: ContentBuilder) -> ContentBuilder:
    """A valid tree with one customer `acme` (since 2023-01-01, revenue FY2024)."""
    content.customer("acme")
    return content


def test_the_fixture_tree_is_valid(acme: ContentBuilder) -> None:
    acme.record("acme", "2024-02-01-review.md", MEETING)
    checked = check_passes(acme)
    assert [c.id for c in checked.customers] == ["acme"]


# ---------------------------------------------------------------- unknown keys, at every level


def test_unknown_key_in_company(content: ContentBuilder) -> None:
    path = append(content, "company.yaml", "segmnts: [key]\n")
    problem = the_problem(content, path, line=line_of(path, "segmnts:"), message="unknown key `segmnts`", hint="did you mean `segments`")
    assert problem.col == 1


def test_unknown_key_in_company_site_options(content: ContentBuilder) -> None:
    path = append(content, "company.yaml", "site:\n  titel: Our files\n")
    the_problem(content, path, line=line_of(path, "titel:"), message="unknown key `titel`", hint="did you mean `title`")


def test_unknown_key_in_catalog_top_level(content: ContentBuilder) -> None:
    path = append(content, "catalog.yaml", "service:\n  - id: x\n")
    the_problem(content, path, line=line_of(path, "service:"), message="unknown key `service`", hint="did you mean `services`")


def test_unknown_key_in_catalog_group(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "    name: Engineering\n", "    name: Engineering\n    nmae: Eng\n")
    the_problem(content, path, line=line_of(path, "nmae:"), message="unknown key `nmae`", hint="did you mean `name`")


def test_unknown_key_in_catalog_service(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "    rate: 150\n", "    rate: 150\n    descripton: typo\n")
    the_problem(content, path, line=line_of(path, "descripton:"), message="unknown key `descripton`", hint="did you mean `description`")


def test_unknown_key_in_customer(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="segmnt: key\n")
    the_problem(content, path, line=line_of(path, "segmnt:"), message="unknown key `segmnt`", hint="did you mean `segment`")


def test_unknown_key_in_contact(content: ContentBuilder) -> None:
    path = content.customer("acme")
    append(
        content, "customers/acme/customer.yaml", "  - name: Tom Becker\n    role: Buyer\n    from: 2024-01-01\n    emial: tom@example.com\n"
    )
    the_problem(content, path, line=line_of(path, "emial:"), message="unknown key `emial`", hint="did you mean `email`")


def test_unknown_key_in_expectation(content: ContentBuilder) -> None:
    path = content.customer(
        "acme",
        extra="""\
        expectations:
          - id: samples-per-shift
            metric: Samples per shift
            expected: 10
            unit: samples
            beter: higher
        """,
    )
    the_problem(content, path, line=line_of(path, "beter:"), message="unknown key `beter`", hint="did you mean `better`")


def test_unknown_key_in_record(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-review.md", MEETING + "contcat: Priya Raman\n")
    problem = the_problem(acme, path, line=line_of(path, "contcat:"), message="unknown key `contcat`", hint="did you mean `contact`")
    assert problem.line == 7  # front matter starts on line 2


def test_unknown_key_of_another_record_type(acme: ContentBuilder) -> None:
    """`service` is a key of service records only."""
    path = acme.record("acme", "2024-02-01-review.md", MEETING + "service: training\n")
    the_problem(acme, path, line=line_of(path, "service:"), message="unknown key `service`")


def test_unknown_key_without_a_close_match_lists_the_allowed_keys(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-review.md", MEETING + "zzz: 1\n")
    problem = the_problem(acme, path, line=line_of(path, "zzz:"), message="unknown key `zzz`")
    assert "kind" in problem.hint and "stage" in problem.hint


# ---------------------------------------------------------------- missing required fields


def test_missing_required_company_field(content: ContentBuilder) -> None:
    path = edit(content, "company.yaml", "currency: USD\n", "")
    the_problem(content, path, line=1, message="missing required key `currency`", hint="currency:")


def test_missing_required_catalog_service_field(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "    unit: engineer-hour\n", "")
    the_problem(content, path, line=line_of(path, "- id: line-service"), message="missing required key `unit`")


def test_missing_required_catalog_group_name(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "    name: Engineering\n", "")
    the_problem(content, path, line=line_of(path, "- id: engineering"), message="missing required key `name`")


def test_missing_required_customer_field(content: ContentBuilder) -> None:
    path = content.customer("acme")
    edit(content, "customers/acme/customer.yaml", "account_manager: Dana Whitfield\n", "")
    the_problem(content, path, line=1, message="missing required key `account_manager`")


def test_missing_required_contact_field(content: ContentBuilder) -> None:
    path = content.customer("acme")
    edit(content, "customers/acme/customer.yaml", "    role: Purchasing manager\n", "")
    the_problem(content, path, line=line_of(path, "- name: Priya Raman"), message="missing required key `role`")


def test_missing_required_expectation_field(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="expectations:\n  - id: uptime\n    expected: 99\n    unit: percent\n")
    the_problem(content, path, line=line_of(path, "- id: uptime"), message="missing required key `metric`")


@pytest.mark.parametrize(
    ("front", "missing"),
    [
        (MEETING.replace("date: 2024-02-01\n", ""), "date"),
        (MEETING.replace("title: Quarterly review\n", ""), "title"),
        ("type: service\ndate: 2024-02-01\ntitle: Audit\nquantity: 3\n", "service"),
        ("type: escalation\ndate: 2024-02-01\ntitle: Late parts\nlevel: team\n", "raised_to"),
        ("type: measurement\ndate: 2024-02-01\ntitle: Uptime\nactual: 3\n", "expectation"),
        ("type: survey\ndate: 2024-02-01\ntitle: CSAT\n", "score"),
        ("type: appreciation\ndate: 2024-02-01\ntitle: Thanks\n", "from"),
        ("type: business-change\ndate: 2024-02-01\ntitle: New line\n", "direction"),
        ("type: presentation\ndate: 2024-02-01\ntitle: Value file\n", "attendees"),
    ],
)
def test_missing_required_record_field(acme: ContentBuilder, front: str, missing: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", front)
    the_problem(acme, path, line=2, message=f"missing required key `{missing}`", hint=f"{missing}:")


def test_missing_record_type(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("type: meeting\n", ""))
    the_problem(acme, path, line=2, message="type", hint="meeting")


@pytest.mark.parametrize("drop", ["kind", "stage"])
def test_meeting_needs_kind_and_stage(acme: ContentBuilder, drop: str) -> None:
    front = "\n".join(line for line in MEETING.splitlines() if not line.startswith(drop + ":"))
    path = acme.record("acme", "2024-02-01-x.md", front)
    the_problem(acme, path, line=2, message=f"missing required key `{drop}`")


def test_missing_company_yaml(content: ContentBuilder) -> None:
    (content.root / "company.yaml").unlink()
    the_problem(content, "company.yaml", line=None, message="company.yaml is missing")


# ---------------------------------------------------------------- money


@pytest.mark.parametrize(
    ("amount", "message", "hint"),
    [
        ('"1000"', "quoted", "remove the quotes"),
        ("'1000'", "quoted", "remove the quotes"),
        ("-5", "negative", ""),
        ("1000.123", "money", "2 decimals"),
        ("1,000", "money", "separators"),
        ("1e3", "money", "2 decimals"),
        ("1_000", "money", "separators"),
        ("$1000", "money", "symbols"),
        ("0x3E8", "money", ""),
        (".5", "money", ""),
        ("+5", "money", ""),
        ("1000.", "money", ""),
        ("true", "money", ""),
    ],
)
def test_bad_money_in_revenue(content: ContentBuilder, amount: str, message: str, hint: str) -> None:
    path = content.customer("acme", revenue={2024: amount})
    problem = the_problem(content, path, line=line_of(path, "2024:"), message=message, hint=hint)
    assert problem.col == len("  2024: ") + 1  # points at the value


@pytest.mark.parametrize("amount", ["0", "1250000", "4800.5", "4800.50"])
def test_good_money(content: ContentBuilder, amount: str) -> None:
    content.customer("acme", revenue={2024: amount})
    check_passes(content)


@pytest.mark.parametrize(
    ("field", "value"),
    [("value", '"300"'), ("value", "-300"), ("rate", "12.345"), ("our_cost", "1,200"), ("value", "1e3")],
)
def test_bad_money_in_a_service_record(acme: ContentBuilder, field: str, value: str) -> None:
    front = f"type: service\ndate: 2024-02-01\ntitle: Audit\nservice: training\nquantity: 3\n{field}: {value}\n"
    path = acme.record("acme", "2024-02-01-x.md", front)
    the_problem(acme, path, line=line_of(path, f"{field}:"), message="money")


def test_bad_money_in_company(content: ContentBuilder) -> None:
    path = edit(content, "company.yaml", "internal_hour_cost: 100", 'internal_hour_cost: "100"')
    the_problem(content, path, line=line_of(path, "internal_hour_cost"), message="quoted", hint="remove the quotes")


def test_bad_money_in_catalog_rate(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "    rate: 150\n", "    rate: 150.001\n")
    the_problem(content, path, line=line_of(path, "rate: 150.001"), message="money")


def test_business_change_amount_is_money(acme: ContentBuilder) -> None:
    front = "type: business-change\ndate: 2024-02-01\ntitle: Lost line 2\ndirection: reduction\namount: -20000\n"
    path = acme.record("acme", "2024-02-01-x.md", front)
    the_problem(acme, path, line=line_of(path, "amount:"), message="negative")


# ---------------------------------------------------------------- revenue keys and years


@pytest.mark.parametrize("key", ['"2024"', "'2024'", "202", "20245", "02024", "2024.0", "fy2024"])
def test_revenue_key_must_be_a_bare_four_digit_year(content: ContentBuilder, key: str) -> None:
    path = content.customer("acme", revenue={key: "1000"})  # type: ignore[dict-item]
    the_problem(content, path, line=line_of(path, f"  {key}: 1000"), message="not a fiscal year", hint="four-digit")


@pytest.mark.parametrize(
    ("start", "since", "year", "ok"),
    [
        (1, "2023-01-01", 2022, False),  # before the FY of since
        (1, "2023-01-01", 2023, True),
        (1, "2023-12-31", 2023, True),
        (1, "2023-01-01", 2026, True),  # the build date's FY
        (1, "2023-01-01", 2027, False),  # after it
        (4, "2023-01-01", 2022, False),  # 2023-01-01 is in FY2023 (2022-04-01..2023-03-31)
        (4, "2023-01-01", 2023, True),
        (4, "2023-04-01", 2023, False),  # 2023-04-01 starts FY2024
        (4, "2023-04-01", 2024, True),
        (4, "2023-01-01", 2027, True),  # 2026-06-30 is in FY2027
        (4, "2023-01-01", 2028, False),
    ],
)
def test_revenue_year_within_since_and_build_date(tmp_path: Path, start: int, since: str, year: int, ok: bool) -> None:
    builder = ContentBuilder(tmp_path / "content", fiscal_year_start=start)
    path = builder.customer("acme", since=since, revenue={year: "1000"})
    if ok:
        check_passes(builder)
    else:
        the_problem(builder, path, line=line_of(path, f"{year}:"), message=f"FY{year}")


# ---------------------------------------------------------------- dates


def test_since_after_the_build_date(content: ContentBuilder) -> None:
    path = content.customer("acme", since="2026-07-01", revenue={})
    the_problem(content, path, line=line_of(path, "since:"), message="after the build date")


def test_since_on_the_build_date_is_fine(content: ContentBuilder) -> None:
    content.customer("acme", since="2026-06-30", revenue={2026: "10"})
    check_passes(content)


@pytest.mark.parametrize(("day", "message"), [("2022-12-31", "before"), ("2026-07-01", "after the build date")])
def test_record_date_outside_since_and_build_date(acme: ContentBuilder, day: str, message: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("2024-02-01", day))
    the_problem(acme, path, line=line_of(path, "date:"), message=message)


@pytest.mark.parametrize("day", ["2023-01-01", "2026-06-30", "'2024-02-01'", '"2024-02-01"'])
def test_record_date_on_the_edges_and_quoted_is_fine(acme: ContentBuilder, day: str) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING.replace("2024-02-01", day))
    check_passes(acme)


@pytest.mark.parametrize(
    ("day", "message"), [("2024-02-30", "not a real calendar date"), ("2024-2-1", "expected a date"), ("01.02.2024", "expected a date")]
)
def test_bad_dates(acme: ContentBuilder, day: str, message: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("2024-02-01", day))
    the_problem(acme, path, line=3, message=message, hint="")


ESCALATION = "type: escalation\ndate: 2024-02-01\ntitle: Late parts\nlevel: manager\nraised_to: Kim Ng\n"


def test_resolved_before_the_escalation_date(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", ESCALATION + "resolved: 2024-01-31\n")
    the_problem(acme, path, line=line_of(path, "resolved:"), message="before")


def test_resolved_after_the_build_date(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", ESCALATION + "resolved: 2026-07-01\n")
    the_problem(acme, path, line=line_of(path, "resolved:"), message="after the build date")


def test_resolved_on_the_same_day_is_fine(acme: ContentBuilder) -> None:
    acme.record("acme", "2024-02-01-x.md", ESCALATION + "resolved: 2024-02-01\n")
    check_passes(acme)


def test_build_date_is_the_today_passed_in(acme: ContentBuilder) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING.replace("2024-02-01", "2025-01-10"))
    check_passes(acme, today="2025-01-10")
    check_fails(acme, today="2025-01-09")


# ---------------------------------------------------------------- people


def test_contact_must_be_listed(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + "contact: Nobody Known\n")
    the_problem(acme, path, line=line_of(path, "contact:"), message="Nobody Known", hint="Priya Raman")


def test_contact_must_be_on_the_customer_side(content: ContentBuilder) -> None:
    content.customer("acme")
    append(content, "customers/acme/customer.yaml", "  - name: Sam Ortiz\n    role: Field engineer\n    side: us\n    from: 2023-01-01\n")
    path = content.record("acme", "2024-02-01-x.md", MEETING + "contact: Sam Ortiz\n")
    the_problem(content, path, line=line_of(path, "contact:"), message="customer-side")


def test_two_contacts_may_share_a_name(content: ContentBuilder) -> None:
    content.customer("acme")
    append(content, "customers/acme/customer.yaml", "  - name: Priya Raman\n    role: Plant director\n    from: 2025-01-01\n")
    content.record("acme", "2024-02-01-x.md", MEETING + "contact: Priya Raman\n")
    check_passes(content)


def test_contact_dates_are_not_checked_against_records(content: ContentBuilder) -> None:
    content.customer("acme")
    append(content, "customers/acme/customer.yaml", "  - name: Tom Becker\n    role: Buyer\n    from: 2025-01-01\n    to: 2025-06-30\n")
    content.record("acme", "2024-02-01-x.md", MEETING + "contact: Tom Becker\n")  # before Tom's `from`
    check_passes(content)


def test_other_person_fields_are_free_text(content: ContentBuilder) -> None:
    content.customer("acme", extra="team:\n  day-to-day: Kim Ng\n  new-business: Someone Else\n")
    content.record("acme", "2024-02-01-a.md", ESCALATION.replace("Kim Ng", "A Stranger") + "by: Not A Contact\n")
    content.record("acme", "2024-02-02-b.md", "type: appreciation\ndate: 2024-02-02\ntitle: Thanks\nfrom: Anyone\nabout: The whole team\n")
    content.record(
        "acme", "2024-02-03-c.md", "type: presentation\ndate: 2024-02-03\ntitle: Value file\nattendees: [Jo Bloggs, Priya Raman]\n"
    )
    check_passes(content)


def test_team_keys_are_lowercase_names(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="team:\n  Day To Day: Kim Ng\n")
    the_problem(content, path, line=line_of(path, "Day To Day"), message="lowercase")


@pytest.mark.parametrize("kind", ["meeting", "survey", "escalation", "service", "appreciation"])
def test_customer_hours_on_any_record_type(acme: ContentBuilder, kind: str) -> None:
    fronts = {
        "meeting": MEETING,
        "survey": "type: survey\ndate: 2024-02-01\ntitle: CSAT\nscore: 4\n",
        "escalation": ESCALATION,
        "service": "type: service\ndate: 2024-02-01\ntitle: Audit\nservice: training\nquantity: 3\n",
        "appreciation": "type: appreciation\ndate: 2024-02-01\ntitle: Thanks\nfrom: Tom\n",
    }
    acme.record("acme", "2024-02-01-x.md", fronts[kind] + "customer_hours: 2.5\n")
    check_passes(acme)


def test_customer_hours_not_negative(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + "customer_hours: -1\n")
    the_problem(acme, path, line=line_of(path, "customer_hours:"), message="0 or more")


# ---------------------------------------------------------------- services


def test_service_not_in_catalog(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", "type: service\ndate: 2024-02-01\ntitle: Audit\nservice: line-servce\nquantity: 3\n")
    the_problem(acme, path, line=line_of(path, "service:"), message="line-servce", hint="catalog")


def test_no_value_and_no_rate(acme: ContentBuilder) -> None:
    """`study` has no catalog rate: a quantity alone gives no value."""
    path = acme.record("acme", "2024-02-01-x.md", "type: service\ndate: 2024-02-01\ntitle: Study\nservice: study\nquantity: 1\n")
    problem = the_problem(acme, path, line=None, message="no value", hint="value:")
    assert problem.line == line_of(path, "quantity:"), problem.as_text()


@pytest.mark.parametrize("extra", ["value: 4000\n", "rate: 4000\n", "value: 4000\nrate: 10\n"])
def test_value_or_rate_rescues_a_rateless_service(acme: ContentBuilder, extra: str) -> None:
    acme.record("acme", "2024-02-01-x.md", "type: service\ndate: 2024-02-01\ntitle: Study\nservice: study\nquantity: 1\n" + extra)
    check_passes(acme)


def test_service_needs_quantity_or_value(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", "type: service\ndate: 2024-02-01\ntitle: Audit\nservice: training\nhours: 4\n")
    the_problem(acme, path, line=2, message="quantity", hint="quantity")


def test_value_alone_is_enough(acme: ContentBuilder) -> None:
    acme.record("acme", "2024-02-01-x.md", "type: service\ndate: 2024-02-01\ntitle: Audit\nservice: training\nvalue: 900\n")
    check_passes(acme)


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("quantity", "-1", "0 or more"),
        ("hours", "-2", "0 or more"),
        ("quantity", '"3"', "quoted"),
        ("quantity", "1_000", "expected a number"),
    ],
)
def test_service_numbers(acme: ContentBuilder, field: str, value: str, message: str) -> None:
    front = "type: service\ndate: 2024-02-01\ntitle: Audit\nservice: training\nvalue: 10\n" + f"{field}: {value}\n"
    path = acme.record("acme", "2024-02-01-x.md", front)
    the_problem(acme, path, line=line_of(path, f"{field}:"), message=message)


def test_service_benefit_is_a_closed_set(acme: ContentBuilder) -> None:
    path = acme.record(
        "acme", "2024-02-01-x.md", "type: service\ndate: 2024-02-01\ntitle: Audit\nservice: training\nvalue: 10\nbenefit: profit\n"
    )
    the_problem(acme, path, line=line_of(path, "benefit:"), message="profit", hint="return")


# ---------------------------------------------------------------- record types and their fields


def test_unknown_record_type(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("type: meeting", "type: visit"))
    problem = the_problem(acme, path, line=line_of(path, "type:"), message="visit", hint="meeting")
    assert problem.line == 2


@pytest.mark.parametrize(
    ("front", "field", "bad"),
    [
        (MEETING.replace("kind: review", "kind: lunch"), "kind", "lunch"),
        (MEETING.replace("stage: after", "stage: later"), "stage", "later"),
        (ESCALATION.replace("level: manager", "level: ceo"), "level", "ceo"),
        ("type: business-change\ndate: 2024-02-01\ntitle: x\ndirection: sideways\n", "direction", "sideways"),
    ],
)
def test_closed_sets_in_records(acme: ContentBuilder, front: str, field: str, bad: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", front)
    the_problem(acme, path, line=line_of(path, f"{field}:"), message=bad)


def test_measurement_expectation_unknown(content: ContentBuilder) -> None:
    content.customer("acme", extra="expectations:\n  - id: samples-per-shift\n    metric: Samples\n    expected: 10\n    unit: samples\n")
    path = content.record("acme", "2024-02-01-x.md", "type: measurement\ndate: 2024-02-01\ntitle: Count\nexpectation: samples\nactual: 9\n")
    the_problem(content, path, line=line_of(path, "expectation:"), message="samples", hint="samples-per-shift")


def test_measurement_of_a_known_expectation(content: ContentBuilder) -> None:
    content.customer(
        "acme",
        extra="expectations:\n  - id: samples-per-shift\n    metric: Samples\n    expected: 10\n    unit: samples\n    better: lower\n",
    )
    content.record(
        "acme", "2024-02-01-x.md", "type: measurement\ndate: 2024-02-01\ntitle: Count\nexpectation: samples-per-shift\nactual: 9.5\n"
    )
    check_passes(content)


def test_duplicate_expectation_ids(content: ContentBuilder) -> None:
    expectation = "  - id: uptime\n    metric: Uptime\n    expected: 99\n    unit: percent\n"
    path = content.customer("acme", extra="expectations:\n" + expectation + expectation)
    problem = the_problem(content, path, line=None, message="uptime")
    assert problem.line >= line_of(path, "expectations:"), problem.as_text()


def test_survey_scale_7(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", "type: survey\ndate: 2024-02-01\ntitle: CSAT\nscore: 4\nscale: 7\n")
    the_problem(acme, path, line=line_of(path, "scale:"), message="5, 10 or 100")


def test_survey_score_above_scale(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", "type: survey\ndate: 2024-02-01\ntitle: CSAT\nscore: 6\n")
    the_problem(acme, path, line=line_of(path, "score:"), message="above the scale", hint="scale")


@pytest.mark.parametrize(("score", "scale"), [("4.5", ""), ("0", ""), ("5", ""), ("9.5", "scale: 10\n"), ("100", "scale: 100\n")])
def test_survey_good_scores(acme: ContentBuilder, score: str, scale: str) -> None:
    acme.record("acme", "2024-02-01-x.md", f"type: survey\ndate: 2024-02-01\ntitle: CSAT\nscore: {score}\n{scale}")
    check_passes(acme)


def test_presentation_needs_an_attendee(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", "type: presentation\ndate: 2024-02-01\ntitle: Value file\nattendees: []\n")
    the_problem(acme, path, line=line_of(path, "attendees:"), message="at least one")


@pytest.mark.parametrize("value", ["yes", "on", "1", '"true"'])
def test_internal_must_be_true_or_false(acme: ContentBuilder, value: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + f"internal: {value}\n")
    the_problem(acme, path, line=line_of(path, "internal:"), message="true or false")


def test_title_is_one_line(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("title: Quarterly review\n", "title: |\n  one\n  two\n"))
    the_problem(acme, path, line=line_of(path, "title:"), message="one line")


# ---------------------------------------------------------------- company and catalog rules


def test_customer_segment_not_in_company(content: ContentBuilder) -> None:
    path = content.customer("acme", segment="vip")
    the_problem(content, path, line=line_of(path, "segment:"), message="vip", hint="strategic")


def test_customer_tier_not_in_company(content: ContentBuilder) -> None:
    path = content.customer("acme", tier="gold")
    the_problem(content, path, line=line_of(path, "tier:"), message="gold", hint="premium")


def test_presentation_required_not_in_segments(content: ContentBuilder) -> None:
    path = edit(content, "company.yaml", "presentation_required: [key, strategic]", "presentation_required: [key, vip]")
    the_problem(content, path, line=line_of(path, "presentation_required:"), message="vip", hint="segments")


def test_fiscal_year_start_is_a_month(content: ContentBuilder) -> None:
    path = edit(content, "company.yaml", "fiscal_year_start: 1", "fiscal_year_start: 13")
    the_problem(content, path, line=line_of(path, "fiscal_year_start"), message="1 to 12")


def test_catalog_duplicate_service_ids(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "  - id: study\n", "  - id: training\n")
    the_problem(content, path, line=line_of(path, "- id: training", nth=3), message="used twice", hint="unique")


def test_catalog_duplicate_group_ids(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "  - id: outcomes\n", "  - id: training\n")
    problems = check_fails(content)
    problem = a_problem(problems, content, path, "used twice")
    assert problem.line == line_of(path, "- id: training", nth=2), problem.as_text()


def test_catalog_service_names_unknown_group(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "    group: outcomes\n", "    group: outcome\n")
    the_problem(content, path, line=line_of(path, "group: outcome"), message="unknown group 'outcome'", hint="outcomes")


def test_catalog_benefit_is_a_closed_set(content: ContentBuilder) -> None:
    path = edit(content, "catalog.yaml", "    benefit: return\n", "    benefit: profit\n")
    the_problem(content, path, line=line_of(path, "benefit: profit"), message="profit", hint="cost-avoided")


# ---------------------------------------------------------------- customer folders


@pytest.mark.parametrize("cid", ["Acme", "a", "acme--foods", "-acme", "acme-", "acme_foods", "acme.foods", "a" * 65])
def test_invalid_customer_id(content: ContentBuilder, cid: str) -> None:
    content.customer(cid)
    problems = check_fails(content)
    problem = a_problem(problems, content, f"customers/{cid}", "not a valid customer id")
    assert "lowercase" in problem.hint


@pytest.mark.parametrize("cid", ["ab", "a" * 64, "acme-foods-2", "3m"])
def test_valid_customer_ids(content: ContentBuilder, cid: str) -> None:
    content.customer(cid)
    check_passes(content)


def test_customer_folder_without_customer_yaml(content: ContentBuilder) -> None:
    content.record("beta", "2024-02-01-x.md", MEETING)
    problems = check_fails(content)
    problem = a_problem(problems, content, "customers/beta", "no customer.yaml")
    assert "customer.yaml" in problem.hint


def test_empty_customer_folder(content: ContentBuilder) -> None:
    (content.root / "customers" / "gamma").mkdir(parents=True)
    the_problem(content, "customers/gamma", line=None, message="no customer.yaml")


# ---------------------------------------------------------------- layout


@pytest.mark.parametrize(
    "stray",
    [
        "README.md",
        "notes.md",
        "customers/acme/extra.txt",
        "customers/acme/notes.txt",
        "customers/acme/records/x.txt",
        "customers/acme/records/sub/a.md",
        "training/img/a.png",
        "training/notes.txt",
        "misc/x.md",
        "customers/readme.md",
    ],
)
def test_unexpected_file(acme: ContentBuilder, stray: str) -> None:
    acme.write(stray, "stray\n")
    problems = check_fails(acme)
    problem = a_problem(problems, acme, stray, "not part of the content layout")
    assert LAYOUT_HINT in problem.hint, problem.as_text()


@pytest.mark.parametrize("folder", ["misc", "customers/acme/other", "customers/acme/records/old", "training/img"])
def test_unexpected_empty_folder(acme: ContentBuilder, folder: str) -> None:
    (acme.root / folder).mkdir(parents=True)
    problems = check_fails(acme)
    problem = on_file(problems, acme, folder)
    assert problem, problem_texts(problems)
    assert LAYOUT_HINT in problem[0].hint, problem[0].as_text()


def test_dotfiles_are_ignored(acme: ContentBuilder) -> None:
    acme.write(".DS_Store", "\x00junk")
    acme.write(".git/config", "[core]\n")
    acme.write("customers/acme/.keep", "")
    acme.write("customers/acme/records/.draft.md", "no front matter at all {{{")
    acme.write("customers/.hidden/customer.yaml", "not: [valid")
    check_passes(acme)


def test_allowed_files(acme: ContentBuilder) -> None:
    acme.write("customers/acme/notes.md", "# Account story\n\nLong relationship.\n")
    acme.write("customers/acme/files/report.pdf", "%PDF-1.4")
    acme.write("customers/acme/files/photos/line-3.png", "png")
    acme.write("training/presenting.md", "# Presenting the value file\n\nHow to.\n")
    acme.record("acme", "2024-02-01-x.md", MEETING)
    check_passes(acme)


def test_binary_attachment_is_not_read_as_text(acme: ContentBuilder) -> None:
    (acme.root / "customers/acme/files").mkdir(parents=True)
    (acme.root / "customers/acme/files/photo.png").write_bytes(b"\x89PNG\r\n\x1a\n\xff\xfe\x00")
    check_passes(acme)


# ---------------------------------------------------------------- files that cannot be read


def test_record_without_front_matter(acme: ContentBuilder) -> None:
    path = acme.write("customers/acme/records/2024-02-01-x.md", "We met and talked.\n")
    the_problem(acme, path, line=1, message="no front matter", hint="---")


def test_record_with_unclosed_front_matter(acme: ContentBuilder) -> None:
    path = acme.write("customers/acme/records/2024-02-01-x.md", "---\n" + MEETING + "We met.\n")
    the_problem(acme, path, line=1, message="front matter")


def test_record_front_matter_not_a_mapping(acme: ContentBuilder) -> None:
    path = acme.write("customers/acme/records/2024-02-01-x.md", "---\n- a\n- b\n---\nBody\n")
    the_problem(acme, path, line=2, message="key: value")


def test_empty_front_matter(acme: ContentBuilder) -> None:
    path = acme.write("customers/acme/records/2024-02-01-x.md", "---\n---\nBody\n")
    the_problem(acme, path, line=2, message="key: value")


def test_empty_customer_yaml(content: ContentBuilder) -> None:
    path = content.write("customers/acme/customer.yaml", "")
    the_problem(content, path, line=1, message="key: value")


def test_non_utf8_record(acme: ContentBuilder) -> None:
    path = acme.root / "customers/acme/records/2024-02-01-x.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(("---\n" + MEETING + "---\n").encode() + "Caf\xe9 visit\n".encode("latin-1"))
    # the bad byte is on line 8 (the body's first line)
    the_problem(acme, path, line=8, message="UTF-8", hint="UTF-8")


def test_non_utf8_customer_yaml(content: ContentBuilder) -> None:
    path = content.customer("acme", name="Acme")
    path.write_bytes(path.read_bytes().replace(b"name: Acme", b"name: Caf\xe9"))
    the_problem(content, path, line=1, message="UTF-8", hint="UTF-8")


def test_utf8_bom_and_crlf_are_fine(acme: ContentBuilder) -> None:
    path = acme.root / "customers/acme/records/2024-02-01-x.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(("\ufeff---\r\n" + MEETING.replace("\n", "\r\n") + "---\r\nBody \u00e9\r\n").encode("utf-8"))
    check_passes(acme)


def test_crlf_keeps_line_numbers(acme: ContentBuilder) -> None:
    path = acme.root / "customers/acme/records/2024-02-01-x.md"
    path.parent.mkdir(parents=True)
    path.write_bytes(("---\r\n" + MEETING.replace("\n", "\r\n") + "colour: red\r\n---\r\nBody\r\n").encode())
    the_problem(acme, path, line=7, message="unknown key `colour`")


# ---------------------------------------------------------------- YAML errors


def test_yaml_syntax_error_in_record(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("title: Quarterly review", "title: Review: Q1"))
    problem = the_problem(acme, path, line=line_of(path, "title:"), message="YAML syntax error", hint="quote")
    assert problem.col > 0


def test_yaml_syntax_error_in_customer(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="industry: [Food\nteam: {}\n")
    problems = check_fails(content)
    problem = a_problem(problems, content, path, "YAML syntax error")
    assert problem.line == line_of(path, "team:"), problem.as_text()  # where the parser noticed it
    assert f"the `[` opened on line {line_of(path, 'industry:')}" in problem.hint, problem.as_text()  # where it began


def test_yaml_tab_indentation(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + "tags:\n\t- a\n")
    problems = check_fails(acme)
    problem = a_problem(problems, acme, path, "YAML")
    assert (problem.line, problem.col) == (line_of(path, "\t- a"), 1), problem.as_text()
    assert "spaces, not tabs" in problem.hint


def test_duplicate_key_in_record(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + "title: Again\n")
    the_problem(acme, path, line=line_of(path, "title: Again"), message="duplicate key 'title'", hint="once")


def test_duplicate_key_in_customer(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="name: Acme Again\n")
    the_problem(content, path, line=line_of(path, "name: Acme Again"), message="duplicate key 'name'")


def test_duplicate_key_in_a_contact(content: ContentBuilder) -> None:
    path = content.customer("acme")
    append(content, "customers/acme/customer.yaml", "  - name: Tom\n    role: Buyer\n    role: Director\n    from: 2024-01-01\n")
    the_problem(content, path, line=line_of(path, "role: Director"), message="duplicate key 'role'")


def test_duplicate_revenue_year(content: ContentBuilder) -> None:
    path = content.customer("acme")
    edit(content, "customers/acme/customer.yaml", "  2024: 1000\n", "  2024: 1000\n  2024: 2000\n")
    the_problem(content, path, line=line_of(path, "2024: 2000"), message="duplicate key '2024'")


def test_anchor_in_customer(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="industry: &ind Food processing\n")
    the_problem(content, path, line=line_of(path, "&ind"), message="anchor", hint="anchors")


def test_anchor_and_alias_in_record(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("title: Quarterly review", "title: &t Review") + "by: *t\n")
    the_problem(acme, path, line=line_of(path, "&t"), message="anchor")


def test_alias_alone_in_record(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + "by: *someone\n")
    the_problem(acme, path, line=line_of(path, "*someone"), message="")


def test_merge_key_in_customer(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="expectations:\n  - &e {id: a, metric: M, expected: 1, unit: u}\n  - <<: *e\n    id: b\n")
    problems = check_fails(content)
    problem = a_problem(problems, content, path, "anchor")
    assert problem.line == line_of(path, "&e")


@pytest.mark.parametrize(
    "tagged", ["by: !!str Kim", "customer_hours: !!float 2", "by: !!python/object:os.system x", "tags: !!set {a: null}", "by: !custom Kim"]
)
def test_explicit_tag_in_record(acme: ContentBuilder, tagged: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + tagged + "\n")
    the_problem(acme, path, line=line_of(path, tagged.split(":", 1)[0] + ":"), message="tag", hint="remove the tag")


def test_explicit_tag_in_company(content: ContentBuilder) -> None:
    path = edit(content, "company.yaml", "currency: USD", "currency: !!str USD")
    the_problem(content, path, line=line_of(path, "currency:"), message="tag")


def test_two_yaml_documents_in_customer(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="---\nname: Other\n")
    the_problem(content, path, line=line_of(path, "---"), message="more than one YAML document")


# ---------------------------------------------------------------- all problems together


def test_all_problems_of_a_run_are_reported_together(content: ContentBuilder) -> None:
    """Five independent mistakes in four files, some found per file (quoted money,
    unknown record type), some by the cross-file/date rules (unknown catalog
    group, duplicate service id, record after the build date): all five come
    out of one run, sorted by file then line."""
    catalog = edit(content, "catalog.yaml", "    group: outcomes\n", "    group: outcome\n")
    edit(content, "catalog.yaml", "  - id: study\n", "  - id: line-service\n")
    acme = content.customer("acme", revenue={2024: '"1000"'})
    content.customer("beta")
    late = content.record("beta", "2024-02-01-late.md", MEETING.replace("2024-02-01", "2026-07-01"))
    content.customer("gamma")
    odd = content.record("gamma", "2024-02-01-odd.md", MEETING.replace("type: meeting", "type: visit"))
    problems = check_fails(content)
    expected = [
        (catalog, "used twice", line_of(catalog, "- id: line-service", nth=2)),
        (catalog, "unknown group", line_of(catalog, "group: outcome")),
        (acme, "quoted", line_of(acme, "2024:")),
        (late, "after the build date", line_of(late, "date:")),
        (odd, "visit", line_of(odd, "type:")),
    ]
    for path, message, line in expected:
        problem = a_problem(problems, content, path, message)
        assert problem.line == line, problem.as_text()
    assert len(problems) == 5, problem_texts(problems)
    assert [(p.file, p.line) for p in problems] == sorted((p.file, p.line) for p in problems)


def test_all_per_file_problems_are_reported_together(content: ContentBuilder) -> None:
    company = append(content, "company.yaml", "colour: red\n")
    catalog = edit(content, "catalog.yaml", "    benefit: return\n", "    benefit: profit\n")
    acme = content.customer("acme", revenue={2024: '"1000"'})
    content.customer("beta")
    first = content.record("beta", "2024-02-01-a.md", MEETING + "internal: yes\n")
    second = content.record("beta", "2024-03-01-b.md", MEETING.replace("meeting", "visit"))
    problems = check_fails(content)
    assert len(problems) == 5, problem_texts(problems)
    expected = [
        (catalog, line_of(catalog, "benefit: profit")),
        (company, line_of(company, "colour:")),
        (acme, line_of(acme, "2024:")),
        (first, line_of(first, "internal:")),
        (second, line_of(second, "type:")),
    ]
    assert [(p.file, p.line) for p in problems] == [(f"{content.root}/{rel(content, path)}", line) for path, line in expected]


def test_all_rule_problems_are_reported_together(content: ContentBuilder) -> None:
    catalog = edit(content, "catalog.yaml", "    group: outcomes\n", "    group: outcome\n")
    acme = content.customer("acme", segment="vip", revenue={2027: "5"})
    beta = content.customer("beta")
    first = content.record("beta", "2024-02-01-a.md", MEETING.replace("2024-02-01", "2026-07-01"))
    second = content.record("beta", "2024-03-01-b.md", ESCALATION + "resolved: 2024-01-01\n")
    problems = check_fails(content)
    assert len(problems) == 5, problem_texts(problems)
    got = [(p.file, p.line) for p in problems]
    assert got == sorted(got)
    assert a_problem(problems, content, catalog, "unknown group").line == line_of(catalog, "group: outcome")
    assert a_problem(problems, content, acme, "vip").line == line_of(acme, "segment:")
    assert a_problem(problems, content, acme, "FY2027").line == line_of(acme, "2027:")
    assert a_problem(problems, content, first, "after the build date").line == line_of(first, "date:")
    assert a_problem(problems, content, second, "resolved").line == line_of(second, "resolved:")
    assert not on_file(problems, content, beta)


def test_a_problem_in_one_record_does_not_hide_another_records_problem(acme: ContentBuilder) -> None:
    first = acme.record("acme", "2024-02-01-a.md", MEETING + "colour: red\n")
    second = acme.record("acme", "2024-02-02-b.md", MEETING.replace("stage: after", "stage: later"))
    problems = check_fails(acme)
    assert a_problem(problems, acme, first, "colour").line == line_of(first, "colour:")
    assert a_problem(problems, acme, second, "later").line == line_of(second, "stage:")


def test_problem_file_is_the_display_path(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + "colour: red\n")
    problem = the_problem(acme, path, line=7, message="colour")
    assert problem.file == f"{acme.root}/customers/acme/records/2024-02-01-x.md"
    assert problem.as_text().startswith(f"{acme.root}/customers/acme/records/2024-02-01-x.md:7:1: ")


# ---------------------------------------------------------------- bad content never gives a traceback


@pytest.mark.parametrize("body", ["", "\n", "\n\n   \n"])
def test_record_with_front_matter_only(acme: ContentBuilder, body: str) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING, body)
    checked = check_passes(acme)
    [record] = checked.customers[0].records
    assert record.body.html.strip() == "" and record.body.links == ()


@pytest.mark.parametrize("text", ["", "\n"])
def test_empty_notes(acme: ContentBuilder, text: str) -> None:
    acme.write("customers/acme/notes.md", text)
    checked = check_passes(acme)
    notes = checked.customers[0].notes
    assert notes is not None and notes.html.strip() == ""


@pytest.mark.parametrize("text", ["# Title only", "# Title only\n"])
def test_training_page_with_a_title_only(content: ContentBuilder, text: str) -> None:
    content.write("training/short.md", text)
    checked = check_passes(content)
    [page] = [page for page in checked.training if not page.shipped]  # beside the pages csvf ships
    assert (page.slug, page.title, page.body.html.strip()) == ("short", "Title only", "")


# ---------------------------------------------------------------- training page names


@pytest.mark.parametrize(
    ("name", "suggested"),
    [("Presenting.md", "presenting"), ("q&a #1.md", "q-a-1"), ("why?.md", "why"), ("two words.md", "two-words"), ("100%.md", "100")],
)
def test_training_page_names_must_be_page_addresses(content: ContentBuilder, name: str, suggested: str) -> None:
    path = content.write(f"training/{name}", "# A page\n\nText.\n")
    problem = the_problem(content, path, line=None, message="cannot be a page address", hint=f"training/{suggested}.md")
    assert "lowercase" in problem.hint


def test_training_index_is_reserved(content: ContentBuilder) -> None:
    path = content.write("training/index.md", "# Our index\n")
    the_problem(content, path, line=None, message="reserved", hint="generates the training index")


def test_a_misnamed_training_page_still_has_its_links_checked(content: ContentBuilder) -> None:
    path = content.write("training/Page One.md", "# One\n\nSee [two](missing.md).\n")
    problems = check_fails(content)
    assert [p.message for p in on_file(problems, content, path)] == [
        "the training page name 'Page One.md' cannot be a page address",
        "link 'missing.md' is not a training page",
    ]


def test_broken_symlink_is_a_problem_not_a_crash(acme: ContentBuilder) -> None:
    files = acme.root / "customers/acme/files"
    files.mkdir(parents=True)
    link = files / "scan.pdf"
    try:
        link.symlink_to(acme.root / "does-not-exist.pdf")
    except OSError:
        pytest.skip("no symlinks here")
    content, problems = run_check(acme)  # a traceback here is a bug
    assert content is None
    assert on_file(problems, acme, "customers/acme/files/scan.pdf"), problem_texts(problems)


def test_revenue_year_of_zeros_is_located_on_its_line(content: ContentBuilder) -> None:
    path = content.customer("acme", revenue={"0000": "1"})  # type: ignore[dict-item]
    the_problem(content, path, line=line_of(path, "0000:"), message="FY")


def test_a_mistyped_service_id_gets_the_catalog_id_it_meant(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", "type: service\ndate: 2024-02-01\ntitle: Audit\nservice: line-servce\nquantity: 3\n")
    the_problem(acme, path, line=line_of(path, "service:"), message="not in catalog.yaml", hint="did you mean `line-service`?")
