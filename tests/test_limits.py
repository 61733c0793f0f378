"""Bounds on what content may hold, so that no input gives a traceback or a hang.

Numbers are bounded in digits (exact arithmetic stays exact), Markdown in what
makes Python-Markdown slow or recursive, and the content folder in the kinds of
entry it may hold (a FIFO would block the check forever). Each bound is an
error with the file, a line and column where they mean something, and a hint.
"""

from __future__ import annotations

import os
import socket
import threading
import time
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest

from csvf_build.check import check
from csvf_build.content.mdbounds import (
    MAX_BLOCKS,
    MAX_BRACKET_SCAN,
    MAX_MARKUP,
    MAX_NESTING,
    MAX_TABLE_CELLS,
    markdown_overruns,
)
from csvf_build.content.tree import FolderTree
from csvf_build.content.values import MAX_DECIMALS, MAX_INTEGER_DIGITS
from csvf_build.model.compute import compute_model
from csvf_build.problems import Problem
from tests.conftest import MEETING, ContentBuilder, build_model, line_of, problem_texts, run_check

MIB = 1024 * 1024
FAST = 1.0  # seconds: a refusal is a linear pre-scan


@pytest.fixture
def acme(content: ContentBuilder) -> ContentBuilder:
    content.customer("acme")
    return content


def only_problem(builder: ContentBuilder, path: Path) -> Problem:
    checked, problems = run_check(builder)
    assert checked is None
    assert len(problems) == 1, problem_texts(problems)
    assert problems[0].file == f"{builder.root}/{path.relative_to(builder.root).as_posix()}", problems[0].as_text()
    assert problems[0].hint, problems[0].as_text()
    return problems[0]


# ---------------------------------------------------------------- digits of numbers


BIG = "9" * MAX_INTEGER_DIGITS


@pytest.mark.parametrize("amount", ["1" + "0" * MAX_INTEGER_DIGITS, "1" * 35, "1" * 400 + ".50"])
def test_money_with_too_many_digits_is_refused(content: ContentBuilder, amount: str) -> None:
    path = content.customer("acme", revenue={2024: amount})
    problem = only_problem(content, path)
    assert (problem.line, problem.col) == (line_of(path, "2024:"), len("  2024: ") + 1)
    assert f"at most {MAX_INTEGER_DIGITS}" in problem.message
    assert len(problem.message) < 200  # a 400-digit value is not repeated in full


@pytest.mark.parametrize(
    ("field", "value", "what"),
    [
        ("quantity", "1" * 400, f"at most {MAX_INTEGER_DIGITS}"),
        ("quantity", "1." + "5" * (MAX_DECIMALS + 1), f"{MAX_DECIMALS + 1} decimals; at most {MAX_DECIMALS}"),
        ("hours", "0." + "1" * 400, f"400 decimals; at most {MAX_DECIMALS}"),
        ("customer_hours", "-" + "1" * 30, f"at most {MAX_INTEGER_DIGITS}"),
        ("value", "1" * 30, f"at most {MAX_INTEGER_DIGITS}"),
    ],
)
def test_record_numbers_with_too_many_digits_are_refused(acme: ContentBuilder, field: str, value: str, what: str) -> None:
    front = f"type: service\ndate: 2024-02-01\ntitle: Audit\nservice: training\nquantity: 1\n{field}: {value}\n".replace(
        "quantity: 1\nquantity", "quantity"
    )
    path = acme.record("acme", "2024-02-01-x.md", front)
    problem = only_problem(acme, path)
    assert problem.line == line_of(path, f"{field}:")
    assert what in problem.message


def test_company_settings_with_too_many_digits_are_refused(content: ContentBuilder) -> None:
    path = content.root / "company.yaml"
    path.write_text(path.read_text().replace("stale_after_days: 180", "stale_after_days: " + "9" * 400), encoding="utf-8")
    problem = only_problem(content, path)
    assert problem.line == line_of(path, "stale_after_days")


def test_numbers_at_the_limits_compute_exactly(content: ContentBuilder) -> None:
    """The largest values allowed everywhere at once: the model's exact arithmetic must not trap."""
    quantity = f"{BIG}.{'9' * MAX_DECIMALS}"
    content.customer(
        "acme",
        revenue={2024: f"{BIG}.99", 2025: f"{BIG}.99"},
        extra=f"expectations:\n  - id: e\n    metric: M\n    expected: -{quantity}\n    unit: u\n",
    )
    for day in ("2024-02-01", "2024-03-01", "2025-02-01"):
        content.record(
            "acme",
            f"{day}-s.md",
            f"type: service\ndate: {day}\ntitle: S\nservice: training\nquantity: {quantity}\nrate: {BIG}.99\nhours: {quantity}\ncustomer_hours: {quantity}\n",
        )
    content.record("acme", "2025-03-01-m.md", f"type: measurement\ndate: 2025-03-01\ntitle: M\nexpectation: e\nactual: {quantity}\n")
    model = build_model(content)
    assert model.customers[0].all_time.benefits > 0


# ---------------------------------------------------------------- Markdown bounds


def timed(builder: ContentBuilder, attempts: int = 3) -> tuple[list[Problem], float]:
    """The problems of a check and its time: the best of a few runs once one is slow, as the
    cores are shared and one run can be held up by something else entirely."""
    best = float("inf")
    for _ in range(attempts):
        start = time.perf_counter()
        _checked, problems = run_check(builder)
        best = min(best, time.perf_counter() - start)
        if best < FAST:
            break
    return problems, best


HOSTILE_BODIES = {
    "unclosed brackets": "[" * MIB,
    "unclosed link targets": "[a](" * (MIB // 4),
    "bracket-paren soup": "](" * (MIB // 2),
    "emphasis soup": "*_" * (MIB // 2),
    "unclosed code spans": "`a " * (MIB // 3),
    "tiny paragraphs": "word\n\n" * (MIB // 6),
    "deep lists": "".join("  " * (i % 400) + "- x\n" for i in range(MIB // 1000)),
    "deep quotes": "".join(">" * (i % 1000) + " x\n" for i in range(MIB // 600)),
    "table cells": "|a" * (MIB // 2),
    "code fences": "```\n" * (MIB // 4),
}


@pytest.mark.parametrize("kind", HOSTILE_BODIES)
def test_a_hostile_one_mib_body_is_refused_fast(acme: ContentBuilder, kind: str) -> None:
    head = "---\n" + MEETING + "---\n"
    body = HOSTILE_BODIES[kind][: MIB - len(head) - 1]
    path = acme.write("customers/acme/records/2024-02-01-x.md", head + body)
    assert path.stat().st_size <= MIB
    problems, seconds = timed(acme)
    assert seconds < FAST, f"{kind}: {seconds:.2f} s"
    [problem] = problems
    assert problem.file.endswith("2024-02-01-x.md") and problem.line >= 8 and problem.col >= 1 and problem.hint, problem.as_text()


def test_sixty_kb_of_unclosed_brackets_used_to_never_finish(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "Intro.\n\n" + "[" * 60_000 + "\n")
    problems, seconds = timed(acme)
    assert seconds < FAST
    [problem] = problems
    assert problem.file.endswith(path.name) and problem.line == 10


def test_a_few_hundred_unclosed_brackets_name_the_first(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "Intro.\n\nSee " + "[x " * 700 + "\n")
    problem = only_problem(acme, path)
    assert (problem.line, problem.col) == (10, 5)
    assert "unclosed" in problem.message and "\\[" in problem.hint


def test_list_nested_400_levels_is_an_error_not_a_recursion_error(acme: ContentBuilder) -> None:
    body = "".join("    " * level + "- x\n" for level in range(400))
    path = acme.record("acme", "2024-02-01-x.md", MEETING, body)
    problem = only_problem(acme, path)
    assert problem.line == 8 + MAX_NESTING and problem.col == 4 * MAX_NESTING + 1
    assert f"at most {MAX_NESTING}" in problem.message


@pytest.mark.parametrize("rel", ["customers/acme/notes.md", "training/deep.md"])
def test_notes_and_training_pages_have_the_same_bounds(acme: ContentBuilder, rel: str) -> None:
    path = acme.write(rel, "# Deep\n" + "".join(">" * level + " x\n" for level in range(1, 30)))
    problem = only_problem(acme, path)
    assert problem.line == 1 + MAX_NESTING + 1
    assert "nested" in problem.message


def test_bounds_are_not_reached_by_a_long_real_page() -> None:
    """A long but ordinary page: 300 paragraphs of prose with links, lists and emphasis."""
    paragraph = "The line ran **five** samples per shift against a target of ten; see [the audit](../files/audit.pdf).\n\n"
    items = "".join(f"- step {i}: reset the *dwell time*\n" for i in range(20)) + "\n"
    table = "| a | b |\n|---|---|\n" + "| 1 | 2 |\n" * 50 + "\n"
    text = (paragraph * 10 + items) * 10 + table + "```\n" + "[[[[ code is not scanned\n" * 500 + "```\n"
    assert markdown_overruns(text) == []


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("x\n\n" * (MAX_BLOCKS + 1), f"more than {MAX_BLOCKS}"),
        ("*a* " * (MAX_MARKUP // 2 + 1), f"more than {MAX_MARKUP:,}"),
        ("|" * (MAX_TABLE_CELLS + 1), f"more than {MAX_TABLE_CELLS}"),
        ("[" * 1000, "unclosed"),
    ],
)
def test_each_bound_has_its_own_message(text: str, message: str) -> None:
    [overrun] = markdown_overruns(text)
    assert message in overrun.message and overrun.hint


def test_bounds_just_inside_pass() -> None:
    assert markdown_overruns("x\n\n" * MAX_BLOCKS) == []
    assert markdown_overruns("|" * MAX_TABLE_CELLS) == []
    assert markdown_overruns("".join("    " * level + "- x\n" for level in range(MAX_NESTING))) == []
    assert markdown_overruns("[" + "x" * (MAX_BRACKET_SCAN - 10)) == []


# ---------------------------------------------------------------- entries that are not files


def check_in_thread(root: Path, seconds: float = 10) -> tuple[object, list[Problem]]:
    """Run the check, failing (not hanging) if it blocks."""
    result: list[tuple[object, list[Problem]]] = []
    worker = threading.Thread(target=lambda: result.append(check(FolderTree(root), date(2026, 6, 30))), daemon=True)
    worker.start()
    worker.join(seconds)
    assert not worker.is_alive(), "the check hung"
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
@pytest.mark.parametrize("rel", ["customers/acme/files/scan.pdf", "customers/acme/records/2024-02-01-x.md", "company.yaml"])
def test_a_fifo_is_refused_without_being_opened(acme: ContentBuilder, rel: str) -> None:
    path = acme.root / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    path.unlink(missing_ok=True)
    os.mkfifo(path)
    checked, problems = check_in_thread(acme.root)
    assert checked is None
    [problem] = [p for p in problems if p.file == f"{acme.root}/{rel}"]
    assert "named pipe (FIFO)" in problem.message and "remove it" in problem.hint


def test_a_socket_is_refused(acme: ContentBuilder) -> None:
    path = acme.root / "customers/acme/files/s.sock"
    path.parent.mkdir(parents=True)
    server = socket.socket(socket.AF_UNIX)
    try:
        server.bind(str(path))
    except OSError:
        pytest.skip("socket path too long here")
    try:
        checked, problems = check_in_thread(acme.root)
    finally:
        server.close()
    assert checked is None
    assert ["socket" in p.message for p in problems] == [True], problem_texts(problems)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs on this system")
def test_a_file_replaced_by_a_fifo_after_listing_is_not_read(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING)
    tree = FolderTree(acme.root)
    path.unlink()
    os.mkfifo(path)
    result: list[tuple[object, list[Problem]]] = []
    worker = threading.Thread(target=lambda: result.append(check(tree, date(2026, 6, 30))), daemon=True)
    worker.start()
    worker.join(10)
    assert not worker.is_alive(), "the check hung on the FIFO"
    checked, problems = result[0]
    assert checked is None
    assert [p.message for p in problems] == ["this file cannot be read (a named pipe (FIFO), not a file)"]


def test_a_folder_that_cannot_be_listed_is_reported(acme: ContentBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING)
    real_scandir = os.scandir

    def scandir(path: os.PathLike[str] | str):  # type: ignore[no-untyped-def]
        if str(path).endswith("records"):
            raise PermissionError(13, "Permission denied")
        return real_scandir(path)

    monkeypatch.setattr(os, "scandir", scandir)
    checked, problems = check(FolderTree(acme.root), date(2026, 6, 30))
    assert checked is None
    [problem] = problems
    assert problem.file == f"{acme.root}/customers/acme/records"
    assert "cannot be listed" in problem.message


def test_compute_model_on_checked_content_at_the_limits_does_not_trap(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2024: f"{BIG}.99"})
    content.record(
        "acme", "2024-02-01-s.md", f"type: service\ndate: 2024-02-01\ntitle: S\nservice: study\nvalue: {BIG}.99\nour_cost: {BIG}.99\n"
    )
    checked, problems = run_check(content)
    assert not problems, problem_texts(problems)
    assert compute_model(checked, date(2026, 6, 30)).customers[0].all_time.benefits == Decimal(f"{BIG}.99")  # type: ignore[arg-type]
