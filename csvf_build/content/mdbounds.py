"""Bounds that keep rendering user Markdown fast, measured before Python-Markdown sees the text.

Python-Markdown is fine on real prose but has super-linear corners that a
single pasted or hostile body can hit (a 60 KB body of unclosed `[` never
finished; 400 nested list levels overflow the stack):

* every unclosed or deeply nested `[` (and `](`) makes it scan the rest of the
  paragraph (a closed one to its `]` or `)`) in a Python loop: `MAX_BRACKET_SCAN`
  bounds the characters scanned, which thousands of ordinary links stay well under;
* every inline match (emphasis, code, link, escape, entity) costs tens of
  microseconds and rebuilds the paragraph's string, so the work grows with
  markup characters x paragraph length: `MAX_INLINE_WORK` bounds that product,
  summed over the text, and `MAX_MARKUP` the markup characters themselves;
* its block parser handles each block in turn at a cost that grows with their
  number: `MAX_BLOCKS` bounds paragraphs, list items, headings and code fences,
  and `MAX_TABLE_CELLS` the `|` of tables (each cell is an element);
* lists and quotes nest by recursion: `MAX_NESTING` bounds their depth.

The measures are linear, conservative (they may count more than Python-Markdown
does, never less) and computed on the text as written, so a refusal can name
the line and column to change. No real record, note or training page comes
near them; the limits are documented in the handbook.
"""

from __future__ import annotations

import itertools
import re
from dataclasses import dataclass

MAX_NESTING = 16
MAX_BLOCKS = 1_000
MAX_TABLE_CELLS = 3_000
MAX_BRACKET_SCAN = 250_000
MAX_INLINE_WORK = 50_000_000
MAX_MARKUP = 10_000

MARKUP_CHARS = "[]*_`\\&<"  # characters that start or end an inline match
_QUOTES = r"(?:[ ]{0,3}>)*"
_MARKER = r"[ \t]*(?:[-*+]|\d{1,9}[.)])(?:[ \t]|$)"
# A line Python-Markdown starts a block at: after a blank line, or a list item, heading or code fence anywhere.
_BLOCK_START = re.compile(
    rf"^(?:(?<![^\n]\n)(?=[^\n])|(?={_QUOTES}(?:{_MARKER}|[ ]{{0,3}}#{{1,6}}(?:[ \t]|$)|[ ]{{0,3}}(?:```|~~~))))", re.MULTILINE
)
_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*$", re.MULTILINE)
_LIST_ITEM = re.compile(rf"^({_QUOTES})([ \t]*)(?:[-*+]|\d{{1,9}}[.)])(?:[ \t]|$)", re.MULTILINE)
_DEEP_QUOTE = re.compile(rf"^(?:[ ]{{0,3}}>){{{MAX_NESTING + 1},}}", re.MULTILINE)
_BLANK_LINES = re.compile(r"^[ \t]+$", re.MULTILINE)
_PARAGRAPH = re.compile(r"[^\n]+(?:\n[^\n]+)*")
_SQUARE = re.compile(r"\\.|[\[\]]", re.DOTALL)
_ROUND = re.compile(r"\\.|[()]", re.DOTALL)


@dataclass(frozen=True)
class Overrun:
    """A bound the text goes past: where (1-based, in the text), what, and how to fix it."""

    line: int
    col: int
    message: str
    hint: str


@dataclass(frozen=True)
class _Unit:
    """A run of lines Python-Markdown handles as one inline text (a paragraph, a list item)."""

    line: int  # 0-based line of its start in the text
    text: str


def markdown_overruns(text: str) -> list[Overrun]:
    """Every bound this Markdown text goes past, at most one problem per kind.

    The block count comes first and stops the rest when exceeded: every later
    measure then runs over a bounded number of blocks, so the whole check stays
    linear in the text.
    """
    blocks = _blocks(text)
    if blocks:
        return [blocks]
    visible = _without_fenced_code(text)
    problems = [p for p in (_table_cells(visible), _nesting(visible)) if p]
    units = _units(visible)
    work = _inline_work(units)
    if work:
        return [*problems, work]
    return problems + [p for p in (_bracket_scan(units),) if p]


def _line_col(text: str, offset: int) -> tuple[int, int]:
    """1-based line and column of `offset` in `text`."""
    return text.count("\n", 0, offset) + 1, offset - (text.rfind("\n", 0, offset) + 1) + 1


def _blocks(text: str) -> Overrun | None:
    for count, match in enumerate(_BLOCK_START.finditer(text), start=1):
        if count > MAX_BLOCKS:
            line, _ = _line_col(text, match.start())
            return Overrun(
                line,
                1,
                f"this text has more than {MAX_BLOCKS} paragraphs, list items, headings and code fences",
                "split it: a record tells one event, and a long list or table belongs in an attachment (CSV or PDF)",
            )
    return None


def _without_fenced_code(text: str) -> str:
    """The text with the inside of fenced code blocks blanked (lines kept), since no Markdown rule reads it.

    Runs after the block count, so there are at most MAX_BLOCKS fences to visit.
    """
    pieces: list[str] = []
    done = 0
    opened: re.Match[str] | None = None
    for fence in _FENCE.finditer(text):
        mark = fence.group(1)
        if opened is None:
            opened = fence
        elif mark[0] == opened.group(1)[0] and len(mark) >= len(opened.group(1)) and not fence.group(0).strip(" `~"):
            pieces += [text[done : opened.start()], "\n" * text.count("\n", opened.start(), fence.end())]
            done, opened = fence.end(), None
    if opened is not None:  # an unclosed fence runs to the end of the text
        pieces += [text[done : opened.start()], "\n" * text.count("\n", opened.start())]
        done = len(text)
    return "".join([*pieces, text[done:]])


def _table_cells(text: str) -> Overrun | None:
    if text.count("|") <= MAX_TABLE_CELLS:
        return None
    offset = -1
    for _ in range(MAX_TABLE_CELLS + 1):
        offset = text.index("|", offset + 1)
    line, col = _line_col(text, offset)
    return Overrun(
        line,
        col,
        f"this text has more than {MAX_TABLE_CELLS} `|` (table cells)",
        "put a table this large in an attachment (CSV or PDF) and link it",
    )


def _nesting(text: str) -> Overrun | None:
    deep = _DEEP_QUOTE.search(text)
    first = (deep.start(), deep.group(0).count(">"), deep.end()) if deep else None
    for item in _LIST_ITEM.finditer(text):  # list items are blocks: at most MAX_BLOCKS of them
        if first and item.start() > first[0]:
            break
        depth = item.group(1).count(">") + len(item.group(2).expandtabs(4)) // 4 + 1
        if depth > MAX_NESTING:
            first = (item.start(), depth, item.end(2))
            break
    if first is None:
        return None
    line, col = _line_col(text, first[2])
    return Overrun(
        line,
        col,
        f"lists and quotes are nested {first[1]} levels deep here; at most {MAX_NESTING} are allowed",
        "flatten the list or quote: no page needs this many levels",
    )


def _units(text: str) -> list[_Unit]:
    """Paragraphs (split at blank lines); a paragraph that starts as a list is split at each item."""
    text = _BLANK_LINES.sub("", text)
    units = []
    line = 0
    last = 0
    for paragraph in _PARAGRAPH.finditer(text):
        line += text.count("\n", last, paragraph.start())
        last = paragraph.start()
        units += _split_list(paragraph.group(0), line)
    return units


def _split_list(paragraph: str, line: int) -> list[_Unit]:
    items = list(_LIST_ITEM.finditer(paragraph)) if _LIST_ITEM.match(paragraph) else []
    if not items:
        return [_Unit(line, paragraph)]
    bounds = [item.start() for item in items] + [len(paragraph)]
    return [_Unit(line + paragraph.count("\n", 0, start), paragraph[start:end]) for start, end in itertools.pairwise(bounds)]


def _markup(text: str) -> int:
    return sum(text.count(char) for char in MARKUP_CHARS)


def _inline_work(units: list[_Unit]) -> Overrun | None:
    marks = [_markup(unit.text) for unit in units]
    if sum(marks) > MAX_MARKUP:
        unit = units[_first_past(marks, MAX_MARKUP)]
        return Overrun(
            unit.line + 1,
            1,
            f"this text has more than {MAX_MARKUP:,} markup characters such as [ ] * _ ` & < (the limit is passed in this paragraph)",
            "split the text, or move long lists of links or data into an attachment (CSV or PDF)",
        )
    works = [len(unit.text) * mark for unit, mark in zip(units, marks, strict=True)]
    if sum(works) <= MAX_INLINE_WORK:
        return None
    worst = units[works.index(max(works))]
    return Overrun(
        worst.line + 1,
        1,
        "the paragraph starting here is too long for the markup it holds "
        f"({len(worst.text):,} characters, {_markup(worst.text):,} of them markup such as [ ] * _ ` & <)",
        "split it into shorter paragraphs with blank lines; for a literal bracket or star, write \\[ or \\*",
    )


def _first_past(values: list[int], limit: int) -> int:
    """Index of the value whose running total first goes past `limit`."""
    total = 0
    for index, value in enumerate(values):
        total += value
        if total > limit:
            return index
    return len(values) - 1


def _bracket_scan(units: list[_Unit]) -> Overrun | None:
    budget = MAX_BRACKET_SCAN
    for unit in units:
        budget, unclosed = _scan_brackets(unit.text, budget)
        if budget < 0:
            line, col = _line_col(unit.text, unclosed)
            return Overrun(
                unit.line + line,
                col,
                "too many unclosed or deeply nested `[` brackets (or `](` without a closing parenthesis) in this paragraph: "
                f"the renderer would scan more than {MAX_BRACKET_SCAN:,} characters for their ends",
                "close each `[` with `]` and each link target with `)`, or write \\[ for a literal bracket",
            )
    return None


def _scan_brackets(text: str, budget: int) -> tuple[int, int]:
    """What is left of `budget` after the scans Python-Markdown makes for this unit's brackets,
    and the offset of its first unclosed `[` (0 if none)."""
    openers: list[int] = []
    for match in _SQUARE.finditer(text):
        char, pos = match.group(0), match.start()
        if char == "[":
            openers.append(pos)
        elif char == "]":
            if openers:
                budget -= pos - openers.pop()
            if text.startswith("(", pos + 1):
                budget -= _paren_scan(text, pos + 1, budget)
        if budget < 0:
            break
    budget -= sum(len(text) - pos for pos in openers)
    return budget, (openers[0] if openers else 0)


def _paren_scan(text: str, start: int, budget: int) -> int:
    """How far Python-Markdown scans for the `)` closing a link target opened at `start` (stops past `budget`)."""
    depth = 0
    for match in _ROUND.finditer(text, start):
        if match.group(0) == "(":
            depth += 1
        elif match.group(0) == ")":
            depth -= 1
            if depth == 0:
                return match.start() - start
        if match.start() - start > budget:
            break
    return len(text) - start
