"""The `csvf` command line: exit codes, what it prints, annotations."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from csvf_build.cli import main
from tests.conftest import ContentBuilder


def run(*args: str, env: dict[str, str] | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


@pytest.fixture
def valid(content: ContentBuilder) -> ContentBuilder:
    content.customer("acme", revenue={2025: "1000", 2026: "500"})
    content.record(
        "acme", "2025-05-02-training.md", "type: service\ndate: 2025-05-02\ntitle: Operator course\nservice: training\nquantity: 12"
    )
    content.record("acme", "2026-03-01-review.md", "type: meeting\ndate: 2026-03-01\ntitle: Review\nkind: review\nstage: after")
    return content


def test_check_on_valid_content_says_what_it_checked(valid: ContentBuilder) -> None:
    result = run("check", "--content", str(valid.root), "--as-of", "2026-06-30")
    assert result.exit_code == 0
    assert "1 customers, 2 records" in result.output.replace("\n", " ")
    assert "2 fiscal years" in result.output


def test_check_reports_every_problem_with_location_and_hint(valid: ContentBuilder) -> None:
    valid.record("acme", "2026-04-01-bad.md", "type: service\ndate: 2026-04-01\ntitle: Bad\nservice: training\nquantity: 2\nvalue: '100'")
    valid.record("acme", "2026-04-02-bad.md", "type: meeting\ndate: 2026-04-02\ntitle: Bad\nkind: review\nstage: after\nhourz: 3")
    result = run("check", "--content", str(valid.root), "--as-of", "2026-06-30")
    assert result.exit_code == 1
    output = " ".join(result.output.split())
    assert "customers/acme/records/2026-04-01-bad.md:7:8: error: `value`: money must be a bare number" in output
    assert "hint: remove the quotes: 100" in output
    assert "customers/acme/records/2026-04-02-bad.md:7:1: error: unknown key `hourz`" in output
    assert "did you mean `hours`?" not in output  # a meeting has no hours field
    assert "2 problems found" in output


def test_github_annotations_in_actions(valid: ContentBuilder) -> None:
    valid.record("acme", "2026-04-02-bad.md", "type: meeting\ndate: 2026-04-02\ntitle: Bad\nkind: chat\nstage: after")
    result = run("check", "--content", str(valid.root), "--as-of", "2026-06-30", env={"GITHUB_ACTIONS": "true"})
    assert result.exit_code == 1
    annotation = next(line for line in result.output.splitlines() if line.startswith("::error "))
    assert annotation.startswith("::error file=")
    assert "2026-04-02-bad.md,line=5,col=7::" in annotation
    assert "not one of the allowed values" in annotation


def test_no_annotations_outside_actions(valid: ContentBuilder) -> None:
    valid.record("acme", "2026-04-02-bad.md", "type: meeting\ndate: 2026-04-02\ntitle: Bad\nkind: chat\nstage: after")
    result = run("check", "--content", str(valid.root), "--as-of", "2026-06-30", env={"GITHUB_ACTIONS": "false"})
    assert "::error" not in result.output


@pytest.mark.parametrize(
    "args",
    [
        ["check", "--as-of", "2026-13-01"],
        ["check", "--as-of", "yesterday"],
        ["check", "--no-such-option"],
        ["build", "--content", "/no/such/folder"],
        ["frobnicate"],
    ],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    assert run(*args).exit_code == 2


def test_bad_source_date_epoch_is_a_usage_error(valid: ContentBuilder) -> None:
    result = run("check", "--content", str(valid.root), env={"SOURCE_DATE_EPOCH": "soon"})
    assert result.exit_code == 2


def test_source_date_epoch_is_the_default_build_date(valid: ContentBuilder) -> None:
    # 2026-06-30T12:00:00Z; the March 2026 meeting is then in the past, the check passes
    ok = run("check", "--content", str(valid.root), env={"SOURCE_DATE_EPOCH": "1782820800"})
    assert ok.exit_code == 0 and "2026-06-30" in ok.output
    # 2026-02-01: the meeting of 2026-03-01 lies after the build date
    early = run("check", "--content", str(valid.root), env={"SOURCE_DATE_EPOCH": "1769904000"})
    assert early.exit_code == 1 and "after the build date 2026-02-01" in " ".join(early.output.split())


@pytest.mark.parametrize("command", [[], ["check"], ["build"], ["serve"]])
def test_every_command_has_help(command: list[str]) -> None:
    result = run(*command, "--help")
    assert result.exit_code == 0
    assert "Usage:" in result.output
    if command:
        assert "--content" in result.output and "--as-of" in result.output


@pytest.mark.parametrize(
    "value",
    [
        "20261201",
        "2026-1-01",
        "2026-01-1",
        " 2026-01-01",
        "2026-01-01T00:00",
        "２０２６-０１-０１",
        "9999-12-31",
        "2100-01-01",
        "1969-12-31",
    ],
)
def test_as_of_takes_only_yyyy_mm_dd_within_the_range(valid: ContentBuilder, value: str) -> None:
    result = run("check", "--content", str(valid.root), "--as-of", value)
    assert result.exit_code == 2
    assert "Invalid value for '--as-of'" in result.output
    assert "YYYY-MM-DD" in result.output or "outside 1970-01-01 to 2099-12-31" in result.output


@pytest.mark.parametrize("value", ["1970-01-01", "2099-12-31"])
def test_the_ends_of_the_range_are_build_dates(valid: ContentBuilder, value: str) -> None:
    result = run("check", "--content", str(valid.root), "--as-of", value)
    assert result.exit_code in (0, 1), result.output  # 1970 is before the records: content problems, not a usage error
    assert "Invalid value" not in result.output


@pytest.mark.parametrize("epoch", ["99999999999999999999", "4102444800", "-1", "1.5", "0x10", "1e9", "１７８２８２０８００"])
def test_source_date_epoch_out_of_range_or_not_whole_seconds_is_a_usage_error(valid: ContentBuilder, epoch: str) -> None:
    result = run("check", "--content", str(valid.root), env={"SOURCE_DATE_EPOCH": epoch})
    assert result.exit_code == 2, result.output
    assert "SOURCE_DATE_EPOCH" in result.output


@pytest.mark.parametrize("command", [["check"], ["build"], ["diff", "main"], ["present", "acme"], ["import", "rows.csv"]])
def test_every_command_reads_the_build_date_one_way(command: list[str]) -> None:
    """One parser for --as-of (csvf_build.options): a date not written YYYY-MM-DD is a usage error everywhere."""
    from click.testing import CliRunner

    result = CliRunner().invoke(main, [*command, "--as-of", "20261201"])
    assert result.exit_code == 2, result.output
    assert "'20261201' is not a date written YYYY-MM-DD" in result.output
