"""YAML 1.2 reading and the limits that keep hostile or runaway content cheap to refuse."""

from __future__ import annotations

import time
from decimal import Decimal
from pathlib import Path

import pytest

from csvf_build.content.yamlread import MAX_NODES, YamlKey, YamlNumber, read_yaml
from csvf_build.problems import Problem
from tests.conftest import MEETING, ContentBuilder, line_of, problem_texts, run_check

FAST = 2.0  # seconds; refusals should take milliseconds


def billion_laughs(levels: int = 9) -> str:
    """The classic alias bomb: 9**levels strings once expanded."""
    lines = ['lol0: &lol0 ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]']
    for level in range(1, levels + 1):
        lines.append(f"lol{level}: &lol{level} [" + ", ".join([f"*lol{level - 1}"] * 9) + "]")
    return "\n".join(lines) + "\n"


def value(text: str):
    """The value of `v` in the one-line document `v: <text>`."""
    doc, problems = read_yaml(f"v: {text}\n", "test.yaml")
    assert not problems, problems
    assert doc is not None
    return doc.data["v"]


def refused(text: str, line_offset: int = 0) -> Problem:
    doc, problems = read_yaml(text, "test.yaml", line_offset=line_offset)
    assert doc is None
    assert len(problems) == 1, problems
    assert problems[0].file == "test.yaml"
    return problems[0]


def timed_check(builder: ContentBuilder) -> tuple[object, list[Problem], float]:
    start = time.perf_counter()
    content, problems = run_check(builder)
    return content, problems, time.perf_counter() - start


def only_problem_in(problems: list[Problem], builder: ContentBuilder, path: Path) -> Problem:
    assert len(problems) == 1, problem_texts(problems)
    assert problems[0].file == f"{builder.root}/{path.relative_to(builder.root).as_posix()}", problems[0].as_text()
    return problems[0]


# ---------------------------------------------------------------- YAML 1.2 core schema resolution


@pytest.mark.parametrize(
    "text",
    [
        "yes",
        "no",
        "on",
        "off",
        "y",
        "n",
        "Yes",
        "NO",
        "On",
        "OFF",
        "1_000",
        "1:30",
        "12:30:00",
        "0b101",
        "2024-02-01",
        "nul",
        "tru",
        "TRUE!",
        "0x",
        "1,000",
        "$5",
    ],
)
def test_plain_scalars_that_stay_strings(text: str) -> None:
    got = value(text)
    assert isinstance(got, str) and not isinstance(got, YamlNumber)
    assert got == text.strip()


@pytest.mark.parametrize("text", ["~", "null", "Null", "NULL", ""])
def test_null(text: str) -> None:
    assert value(text) is None


@pytest.mark.parametrize(
    ("text", "expected"), [("true", True), ("True", True), ("TRUE", True), ("false", False), ("False", False), ("FALSE", False)]
)
def test_booleans(text: str, expected: bool) -> None:
    assert value(text) is expected


@pytest.mark.parametrize(
    ("text", "number"),
    [
        ("12", Decimal(12)),
        ("-3", Decimal(-3)),
        ("+5", Decimal(5)),
        ("12.50", Decimal("12.50")),
        ("0.1", Decimal("0.1")),
        (".5", Decimal("0.5")),
        ("1e3", Decimal(1000)),
        ("0x1F", Decimal(31)),
        ("0o17", Decimal(15)),
        ("012", Decimal(12)),  # core schema: decimal, not octal
    ],
)
def test_numbers_keep_their_source_text(text: str, number: Decimal) -> None:
    got = value(text)
    assert isinstance(got, YamlNumber)
    assert got == number
    assert got.raw == text


def test_numbers_are_exact_decimals_not_floats() -> None:
    got = value("0.1")
    assert not isinstance(got, float)
    assert got + value("0.2") == Decimal("0.3")


@pytest.mark.parametrize("text", ['"12"', "'12'", '"yes"', "'true'", '"~"', "'null'", '"0x1F"', '"2024-02-01"', "''"])
def test_quoted_scalars_are_always_strings(text: str) -> None:
    got = value(text)
    assert isinstance(got, str) and not isinstance(got, YamlNumber)
    assert got == text[1:-1]


def test_non_specific_tag_makes_a_string() -> None:
    assert value("! 12") == "12"


def test_keys_remember_quoting() -> None:
    doc, problems = read_yaml('2024: 1\n"2025": 2\n', "test.yaml")
    assert not problems and doc is not None
    keys = list(doc.data)
    assert all(isinstance(k, YamlKey) for k in keys)
    assert keys == ["2024", "2025"]
    assert [k.quoted for k in keys] == [False, True]


def test_positions_are_one_based_and_shift_with_line_offset() -> None:
    text = "a: 1\nb:\n  - x\n  - y\n"
    doc, _ = read_yaml(text, "test.yaml")
    assert doc is not None
    assert doc.key_at[("b",)] == (2, 1)
    assert doc.value_at[("a",)] == (1, 4)
    assert doc.value_at[("b", 1)] == (4, 5)
    shifted, _ = read_yaml(text, "test.yaml", line_offset=1)
    assert shifted is not None and shifted.value_at[("b", 1)] == (5, 5)


# ---------------------------------------------------------------- what read_yaml refuses


@pytest.mark.parametrize(
    ("text", "line", "message"),
    [
        ("a: &x 1\n", 1, "anchor"),
        ("a: 1\nb: *x\n", 2, "alias"),
        ("a: 1\nb: !!str 2\n", 2, "tag"),
        ("a: !!python/object/apply:os.system [ls]\n", 1, "tag"),
        ("a: 1\nb: !local x\n", 2, "tag"),
        ("a: !!map {b: 1}\n", 1, "tag"),
        ("a: 1\nb: 2\na: 3\n", 3, "duplicate key 'a'"),
        ("a:\n  b: 1\n  b: 2\n", 3, "duplicate key 'b'"),
        ("a: 1\n---\nb: 2\n", 2, "more than one YAML document"),
        ("? [a, b]\n: c\n", 1, "key"),
        ("a: [1, 2\nb: 3\n", 2, "syntax"),
        ("a: b: c\n", 1, "syntax"),
    ],
)
def test_read_yaml_refuses(text: str, line: int, message: str) -> None:
    problem = refused(text)
    assert problem.line == line, problem
    assert message.lower() in problem.message.lower(), problem
    assert problem.hint


def test_refusal_lines_shift_with_line_offset() -> None:
    assert refused("a: 1\nb: &x 2\n", line_offset=1).line == 3


def test_node_limit_boundary() -> None:
    # a mapping, its key and a list: 3 nodes plus the items
    items = MAX_NODES - 3
    doc, problems = read_yaml("a: [" + ", ".join(["x"] * items) + "]\n", "test.yaml")
    assert not problems and doc is not None and len(doc.data["a"]) == items
    problem = refused("a: [" + ", ".join(["x"] * (items + 1)) + "]\n")
    assert f"more than {MAX_NODES}" in problem.message


@pytest.mark.parametrize("depth", [40, 10_000, 500_000])
def test_deep_flow_nesting_refused_fast(depth: int) -> None:
    start = time.perf_counter()
    problem = refused("a: " + "[" * depth + "]" * depth + "\n")
    assert time.perf_counter() - start < FAST
    assert "nested deeper" in problem.message


def test_deep_block_nesting_refused() -> None:
    text = "".join("  " * level + f"k{level}:\n" for level in range(60)) + "  " * 60 + "leaf\n"
    assert "nested deeper" in refused(text).message


def test_billion_laughs_refused_by_read_yaml() -> None:
    start = time.perf_counter()
    problem = refused(billion_laughs())
    assert time.perf_counter() - start < FAST
    assert problem.line == 1
    assert "anchor" in problem.message.lower()


def test_fifty_thousand_items_refused_by_read_yaml() -> None:
    start = time.perf_counter()
    problem = refused("tags:\n" + "  - x\n" * 50_000)
    assert time.perf_counter() - start < FAST
    assert "more than" in problem.message and "values" in problem.message


# ---------------------------------------------------------------- YAML 1.2 through the checker


@pytest.fixture
def acme(content: ContentBuilder) -> ContentBuilder:
    content.customer("acme")
    return content


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "2024", "1_000", "1:30", "0x1F"])
def test_yaml11_words_are_text_where_text_is_expected(acme: ContentBuilder, word: str) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING.replace("Quarterly review", word) + f"by: {word}\n")
    content, problems = run_check(acme)
    assert not problems, problem_texts(problems)
    record = content.customers[0].records[0].record  # type: ignore[union-attr]
    assert record.title == word and record.by == word


@pytest.mark.parametrize("word", ["yes", "no", "on", "off", "Yes", "y"])
def test_yaml11_booleans_are_not_flags(acme: ContentBuilder, word: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + f"internal: {word}\n")
    content, problems = run_check(acme)
    assert content is None
    problem = only_problem_in(problems, acme, path)
    assert problem.line == line_of(path, "internal:")
    assert "true or false" in problem.message


@pytest.mark.parametrize("word", ["true", "false", "True", "FALSE"])
def test_core_booleans_are_flags(acme: ContentBuilder, word: str) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING + f"internal: {word}\n")
    content, problems = run_check(acme)
    assert not problems, problem_texts(problems)
    assert content.customers[0].records[0].record.internal is (word.lower() == "true")  # type: ignore[union-attr]


@pytest.mark.parametrize(
    ("field", "text"), [("customer_hours", "1:30"), ("customer_hours", "1_000"), ("customer_hours", '"2"'), ("customer_hours", "0x1F")]
)
def test_numbers_must_be_plain_decimals(acme: ContentBuilder, field: str, text: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING + f"{field}: {text}\n")
    content, problems = run_check(acme)
    assert content is None
    problem = only_problem_in(problems, acme, path)
    assert problem.line == line_of(path, f"{field}:")
    assert "number" in problem.message


@pytest.mark.parametrize("text", ["1_000", "0x1F", "1e3", '"1000"', "1:30"])
def test_money_is_a_bare_decimal(content: ContentBuilder, text: str) -> None:
    path = content.customer("acme", revenue={2024: text})
    checked, problems = run_check(content)
    assert checked is None
    problem = only_problem_in(problems, content, path)
    assert problem.line == line_of(path, "2024:")
    assert "money" in problem.message


@pytest.mark.parametrize("text", ["~", "null", ""])
def test_null_leaves_an_optional_field_out(acme: ContentBuilder, text: str) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING + f"by: {text}\n")
    content, problems = run_check(acme)
    assert not problems, problem_texts(problems)
    assert content.customers[0].records[0].record.by is None  # type: ignore[union-attr]


@pytest.mark.parametrize("text", ["~", "null", ""])
def test_null_is_not_a_required_value(acme: ContentBuilder, text: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("title: Quarterly review", f"title: {text}"))
    content, problems = run_check(acme)
    assert content is None
    assert only_problem_in(problems, acme, path).line == line_of(path, "title:")


def test_quoted_tilde_is_text(acme: ContentBuilder) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING.replace("Quarterly review", '"~"'))
    content, problems = run_check(acme)
    assert not problems, problem_texts(problems)
    assert content.customers[0].records[0].record.title == "~"  # type: ignore[union-attr]


@pytest.mark.parametrize(("score", "ok"), [("4", True), ("4.5", True), ('"4"', False), ("'4'", False)])
def test_quoted_versus_plain_numbers(acme: ContentBuilder, score: str, ok: bool) -> None:
    path = acme.record("acme", "2024-02-01-x.md", f"type: survey\ndate: 2024-02-01\ntitle: CSAT\nscore: {score}\n")
    _content, problems = run_check(acme)
    if ok:
        assert not problems, problem_texts(problems)
    else:
        problem = only_problem_in(problems, acme, path)
        assert problem.line == line_of(path, "score:")
        assert "quote" in problem.message + problem.hint


@pytest.mark.parametrize("date_text", ["2024-02-01", "'2024-02-01'", '"2024-02-01"'])
def test_dates_plain_or_quoted(acme: ContentBuilder, date_text: str) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING.replace("2024-02-01", date_text))
    _content, problems = run_check(acme)
    assert not problems, problem_texts(problems)


# ---------------------------------------------------------------- bombs and runaway files through the checker


def test_billion_laughs_in_customer_yaml(content: ContentBuilder) -> None:
    path = content.customer("acme", extra=billion_laughs())
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST
    assert checked is None
    problem = only_problem_in(problems, content, path)
    assert problem.line == line_of(path, "&lol0")
    assert "anchor" in problem.message.lower() and "not allowed" in problem.message
    assert problem.hint


def test_billion_laughs_in_record_front_matter(content: ContentBuilder) -> None:
    content.customer("acme")
    path = content.record("acme", "2024-02-01-x.md", MEETING + billion_laughs())
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST
    assert checked is None
    problem = only_problem_in(problems, content, path)
    assert problem.line == line_of(path, "&lol0")
    assert "anchor" in problem.message.lower()


def test_merge_key_bomb_in_record(content: ContentBuilder) -> None:
    content.customer("acme")
    path = content.record("acme", "2024-02-01-x.md", MEETING + "base: &b {x: 1}\nmore:\n  <<: *b\n")
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST and checked is None
    assert only_problem_in(problems, content, path).line == line_of(path, "&b")


@pytest.mark.parametrize("rel", ["customers/acme/records/2024-02-01-x.md", "customers/acme/notes.md", "training/big.md"])
def test_two_mib_text_file_refused(content: ContentBuilder, rel: str) -> None:
    content.customer("acme")
    head = "---\n" + MEETING + "---\n" if "/records/" in rel else "# Big\n"
    path = content.write(rel, head + ("word " * 200 + "\n") * 2100)
    assert path.stat().st_size > 2 * 1024 * 1024 - 10_000
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST
    assert checked is None
    problem = only_problem_in(problems, content, path)
    assert "larger than 1 MiB" in problem.message
    assert problem.hint


def test_two_mib_customer_yaml_refused(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="note_padding: |\n" + ("  " + "x" * 1000 + "\n") * 2100)
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST
    assert checked is None
    problem = only_problem_in(problems, content, path)
    assert "larger than 1 MiB" in problem.message


def test_just_over_one_mib_refused_and_just_under_accepted(content: ContentBuilder) -> None:
    content.customer("acme")
    head = "---\n" + MEETING + "---\n"
    path = content.write("customers/acme/records/2024-02-01-x.md", head + "x" * (1024 * 1024 - len(head)))
    assert path.stat().st_size == 1024 * 1024
    checked, problems = run_check(content)
    assert not problems, problem_texts(problems)
    path.write_text(head + "x" * (1024 * 1024 - len(head) + 1), encoding="utf-8")
    checked, problems = run_check(content)
    assert checked is None
    assert "larger than 1 MiB" in only_problem_in(problems, content, path).message


def test_two_mib_attachment_is_fine(content: ContentBuilder) -> None:
    content.customer("acme")
    (content.root / "customers/acme/files").mkdir(parents=True)
    (content.root / "customers/acme/files/scan.pdf").write_bytes(b"%PDF" + b"\0" * (2 * 1024 * 1024))
    _checked, problems = run_check(content)
    assert not problems, problem_texts(problems)


def test_fifty_thousand_tags_refused(content: ContentBuilder) -> None:
    content.customer("acme")
    path = content.record("acme", "2024-02-01-x.md", MEETING + "tags:\n" + "  - t\n" * 50_000)
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST
    assert checked is None
    problem = only_problem_in(problems, content, path)
    assert f"more than {MAX_NODES} values" in problem.message
    assert problem.line > line_of(path, "tags:")


def test_fifty_thousand_items_in_customer_yaml_refused(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="industry: [" + ", ".join(["x"] * 50_000) + "]\n")
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST
    assert checked is None
    assert f"more than {MAX_NODES} values" in only_problem_in(problems, content, path).message


def test_a_few_thousand_tags_are_fine(content: ContentBuilder) -> None:
    content.customer("acme")
    content.record("acme", "2024-02-01-x.md", MEETING + "tags:\n" + "  - t\n" * 5_000)
    _checked, problems = run_check(content)
    assert not problems, problem_texts(problems)


def test_deep_nesting_in_record_refused(content: ContentBuilder) -> None:
    content.customer("acme")
    path = content.record("acme", "2024-02-01-x.md", MEETING + "tags: " + "[" * 100_000 + "]" * 100_000 + "\n")
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST
    assert checked is None
    problem = only_problem_in(problems, content, path)
    assert problem.line == line_of(path, "tags:")
    assert "nested deeper" in problem.message


def test_deep_block_nesting_in_customer_yaml_refused(content: ContentBuilder) -> None:
    nested = "".join("  " * level + f"k{level}:\n" for level in range(50)) + "  " * 50 + "leaf\n"
    path = content.customer("acme", extra=nested)
    checked, problems, seconds = timed_check(content)
    assert seconds < FAST
    assert checked is None
    assert "nested deeper" in only_problem_in(problems, content, path).message


# ---------------------------------------------------------------- where a syntax error is, and where it began


@pytest.mark.parametrize(
    ("text", "line", "col", "began"),
    [
        ("a: 1\nb: 2\nc: [x, y\nd: 4\n", 4, 2, "the `[` opened on line 3, column 4 is never closed"),
        ("a: 1\nb: {x: 1\nc: 2\n", 3, 2, "the `{` opened on line 2, column 4 is never closed"),
        ("a: [1,\n  2,\n\n", 4, 1, "the `[` opened on line 1, column 4 is never closed"),
        ("a: [x, 'y]', [z]\nb: 1\n", 2, 1, "the `[` opened on line 1, column 4 is never closed"),  # brackets in quotes do not count
        ('a: 1\nb: "abc\nc: 2\n', 4, 1, "the quote opened on line 2, column 4 is never closed"),
        ("a:\n  - x\n - y\n", 3, 2, "this is inside a block mapping that starts on line 1, column 1"),
        ("tags:\n\t- a\n", 2, 1, "indent with spaces, not tabs"),
    ],
)
def test_syntax_error_is_where_noticed_and_the_hint_names_where_it_began(text: str, line: int, col: int, began: str) -> None:
    problem = refused(text)
    assert (problem.line, problem.col) == (line, col), problem
    assert "YAML syntax error" in problem.message
    assert problem.hint.startswith(began), problem.hint


def test_began_line_shifts_with_line_offset() -> None:
    problem = refused("a: 1\nb: [x\nc: 2\n", line_offset=1)
    assert problem.line == 4 and "opened on line 3" in problem.hint


@pytest.mark.parametrize(
    ("text", "line", "col", "char"),
    [
        ("a: 1\x01\n", 1, 5, "U+0001"),
        ("name: Café\nnote: x\x02y\n", 2, 8, "U+0002"),  # a multi-byte character before it does not shift the column
        ("a: |\n  text\n\x07\n", 3, 1, "U+0007"),
        ("a: \ufffe\n", 1, 4, "U+FFFE"),
    ],
)
def test_control_character_located_by_line_and_column(text: str, line: int, col: int, char: str) -> None:
    problem = refused(text)
    assert (problem.line, problem.col) == (line, col), problem
    assert char in problem.message and "position" not in problem.message
    assert problem.hint


def test_control_character_in_a_record_is_located_in_the_file(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING.replace("Quarterly review", "Quarterly\x0breview"))
    content, problems = run_check(acme)
    assert content is None
    problem = only_problem_in(problems, acme, path)
    assert (problem.line, problem.col) == (line_of(path, "title:"), len("title: Quarterly") + 1)
    assert "U+000B" in problem.message


def test_unclosed_bracket_in_customer_yaml_names_both_lines(content: ContentBuilder) -> None:
    path = content.customer("acme", extra="industry: [Food\nteam: {}\n")
    checked, problems = run_check(content)
    assert checked is None
    problem = only_problem_in(problems, content, path)
    assert problem.line == line_of(path, "team:")
    assert f"opened on line {line_of(path, 'industry:')}" in problem.hint
