"""User text on the terminal and in GitHub annotations: shown visibly, never a command.

A newline followed by `::error …` in a file name or a value would forge an
annotation on a pull request; an ESC sequence or a bidi override would
repaint the terminal or reorder what a reviewer reads.
"""

from __future__ import annotations

import re

import pytest
from click.testing import CliRunner

from csvf_build.cli import main, report
from csvf_build.console import annotation_data, annotation_property, visible
from csvf_build.problems import Problem
from tests.conftest import ContentBuilder

RAW = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
"""Characters that must never reach the output raw (a line feed only as our own line break)."""

HOSTILE = [
    Problem(
        file="content/customers/acme/records/a.md\n::error file=forged.md,line=1::forged",
        line=3,
        col=1,
        message="bad value\n::error::forged from a message",
        hint="\x1b[2J\x1b]0;pwned\x07 clears the screen",
    ),
    Problem(file="content/\u202edm.exe", message="value \x1b[31mred\x1b[0m and a C1 CSI \x9b31m", hint="line\r::warning::overwritten"),
    Problem(file="::error file=y.md::a file named like a command", message="##[error]legacy command", hint="  ::notice::after spaces"),
    Problem(file="content/a\u2028b.md", message="50% done\r\n::group::x", hint="\u2066isolated\u2069 \x00 \x7f"),
]


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("\x1b[31m", "\\x1b[31m"),
        ("a\nb\rc\td", "a\\nb\\rc\\td"),
        ("\x00\x07\x7f\x85\x9b", "\\x00\\x07\\x7f\\x85\\x9b"),
        ("\u202eevil\u202c \u2066x\u2069 \u200f \u061c", "\\u202eevil\\u202c \\u2066x\\u2069 \\u200f \\u061c"),
        ("one\u2028two\u2029", "one\\u2028two\\u2029"),
    ],
)
def test_the_terminal_sees_control_characters_as_text(text: str, shown: str) -> None:
    assert visible(text) == shown


@pytest.mark.parametrize("text", ["::error file=a::b", "  ::warning::b", "\t::notice::c", "x\n::error::d"])
def test_terminal_text_never_starts_a_workflow_command(text: str) -> None:
    line = visible(text)
    assert "\n" not in line and not line.lstrip().startswith("::")


def test_terminal_text_never_holds_a_legacy_workflow_command() -> None:
    assert "##[" not in visible("see ##[error]forged and ###[x")


@pytest.mark.parametrize("text", ["Acme Foods Inc.", "Zürich – 東京 ✓", "a::b, c:d", "50% of #1 [done]", ""])
def test_ordinary_text_is_left_as_it_is(text: str) -> None:
    assert visible(text) == text


def test_annotation_data_uses_githubs_encoding() -> None:
    assert annotation_data("100% sure\r\n::error::x") == "100%25 sure%0D%0A::error::x"
    assert annotation_data("\x1b[2J \u202e") == "\\x1b[2J \\u202e"


def test_annotation_properties_also_encode_colon_and_comma() -> None:
    assert annotation_property("a:b,c%\n") == "a%3Ab%2Cc%25%0A"


def output_lines(text: str) -> list[str]:
    """Lines as GitHub's runner splits them (on line feeds only)."""
    return text.replace("\r\n", "\n").split("\n")


def assert_harmless(text: str, annotations: int) -> None:
    """Exactly `annotations` lines are workflow commands (ours), and no raw control character is left."""
    lines = output_lines(text)
    commands = [line for line in lines if line.lstrip().startswith("::")]
    assert len(commands) == annotations, commands
    assert all(line.startswith("::error file=") for line in commands), commands
    assert not [line for line in lines if "##[" in line and line not in commands]  # inside a `::` command it is only data
    assert not RAW.findall(text.replace("\n", "")), sorted(set(RAW.findall(text)))


def test_hostile_problems_forge_no_annotation_and_reach_no_terminal(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    report(HOSTILE)
    captured = capsys.readouterr()
    assert captured.out == ""
    assert_harmless(captured.err, annotations=len(HOSTILE))
    assert "\\x1b[2J\\x1b]0;pwned\\x07" in captured.err  # shown, not obeyed
    assert "content/\\u202edm.exe" in captured.err


def test_annotations_keep_file_line_and_column_apart_from_the_message(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    report(HOSTILE[:1])
    (annotation,) = [line for line in output_lines(capsys.readouterr().err) if line.startswith("::")]
    props, _, data = annotation.removeprefix("::error ").partition("::")
    assert props == "file=content/customers/acme/records/a.md%0A%3A%3Aerror file=forged.md%2Cline=1%3A%3Aforged,line=3,col=1"
    assert data.startswith("bad value%0A::error::forged from a message (hint: \\x1b[2J")


def test_problem_text_for_a_terminal_is_one_line_plus_its_hint() -> None:
    for problem in HOSTILE:
        first, hint = problem.as_text().split("\n")
        assert hint.startswith("    hint: ")
        assert not RAW.findall(first + hint) and not first.lstrip().startswith("::")


def test_hostile_file_names_and_keys_in_content_are_shown_not_obeyed(content: ContentBuilder) -> None:
    """End to end: a record named with a newline and `::error`, and a YAML key holding ESC and a bidi override."""
    content.customer("acme")
    content.record(
        "acme",
        "2024-02-01-review.md",
        'type: meeting\ndate: 2024-02-01\ntitle: Review\nkind: review\nstage: after\n"k\\e[2J\\u202e\\n::error::x": 1',
    )
    name = "2024-03-01-x\n::error file=forged.md::forged.md"
    try:
        content.record("acme", name, "type: survey\ndate: 2024-03-01\ntitle: Survey")
    except OSError:
        pytest.skip("this file system takes no newline in a file name")
    result = CliRunner().invoke(
        main, ["check", "--content", str(content.root), "--as-of", "2026-06-30"], env={"GITHUB_ACTIONS": "true"}, catch_exceptions=False
    )
    assert result.exit_code == 1
    problems = [line for line in output_lines(result.output) if ": error: " in line]
    assert len(problems) >= 2
    assert_harmless(result.output, annotations=len(problems))
    assert "k\\x1b[2J\\u202e\\n::error::x" in result.output


def test_usage_errors_show_typed_text_visibly() -> None:
    result = CliRunner().invoke(main, ["check", "--content", "no-such\n::error::forged", "--as-of", "2026-06-30"], catch_exceptions=False)
    assert result.exit_code == 2
    assert_harmless(result.output, annotations=0)
    assert "no-such\\n::error::forged" in result.output
