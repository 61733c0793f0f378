"""The live-figure syntax of training and handbook pages, parsed with positions.

Pure text to a tree; nothing here knows the content or the model, so the
checker can parse before any model exists and the generator resolves later
(`live.py`). The syntax (docs/live-figures.md):

- inline: `{{ WHAT [of SUBJECT] [in PERIOD] }}`, e.g. `{{ value_ratio of acme-foods in FY2026 }}`;
- blocks, each on a line of its own:
  `::: example RULE [among segment:NAME|tier:NAME] [in PERIOD]` ... `::: otherwise` ... `:::`
  (the subject picked by RULE, and a fallback when nothing matches), and
  `::: question TEXT` ... `:::` (a self-check question, its answer collapsed).

Inside code (a fenced block or a `code span`) nothing is a reference: that is
how the docs show the syntax as typed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

REFERENCE = re.compile(r"\{\{(.*?)\}\}")
DIRECTIVE = re.compile(r"^(\s*):::(.*)$")
FENCE = re.compile(r"^\s*(```|~~~)")
PERIOD = re.compile(r"^(FY\d{4}|all-time|this-year|last-year)$")
NAME = re.compile(r"^[a-z][a-z0-9_]*$")
SUBJECT = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*(/[a-z0-9_-]+)?$|^(segment|tier):[A-Za-z0-9_-]+$")
PERIOD_HINT = "a period is FY2026 (a fiscal year), all-time, this-year or last-year"


@dataclass(frozen=True)
class Issue:
    """A syntax problem at a line and column of the page."""

    line: int
    col: int
    message: str
    hint: str = ""


@dataclass(frozen=True)
class Ref:
    """One `{{ }}` reference: what to show, of whom, for which period, and where it stands."""

    what: str
    subject: str | None
    period: str | None
    line: int
    col: int
    index: int  # its number in the page, for placeholders


@dataclass(frozen=True)
class Text:
    """Markdown written as is, with references among it; `first_line` is its first line in the file."""

    parts: tuple[str | Ref, ...]
    first_line: int


@dataclass(frozen=True)
class Example:
    """A worked example about the subject a rule picks, and what to say when none fits."""

    rule: str
    among: str | None  # "segment:key" or "tier:premium"
    period: str | None
    line: int
    col: int
    body: tuple[Node, ...]
    fallback: tuple[Node, ...]


@dataclass(frozen=True)
class Question:
    """A self-check question (its text may hold references) and its answer."""

    parts: tuple[str | Ref, ...]
    line: int
    answer: tuple[Node, ...]


Node = Text | Example | Question


@dataclass
class LiveDoc:
    nodes: tuple[Node, ...]
    refs: list[Ref] = field(default_factory=list)
    issues: list[Issue] = field(default_factory=list)


@dataclass
class _Open:
    kind: str  # "root", "example", "question"
    line: int
    col: int
    head: tuple = ()
    nodes: list[Node] = field(default_factory=list)
    fallback: list[Node] | None = None
    text: list[tuple[str, bool]] = field(default_factory=list)  # lines, and whether each is code
    text_line: int = 0


def _code_spans(line: str) -> list[tuple[int, int]]:
    """Column ranges of the line's `code spans` (a backtick run up to the next run of the same length)."""
    spans, i = [], 0
    runs = [(m.start(), m.end()) for m in re.finditer(r"`+", line)]
    while i < len(runs):
        start, end = runs[i]
        width = end - start
        close = next((j for j in range(i + 1, len(runs)) if runs[j][1] - runs[j][0] == width), None)
        if close is None:
            i += 1
            continue
        spans.append((start, runs[close][1]))
        i = close + 1
    return spans


class _Parser:
    def __init__(self, first_line: int):
        self.first_line = first_line
        self.refs: list[Ref] = []
        self.issues: list[Issue] = []

    def inline(self, line: str, number: int, offset: int = 0) -> list[str | Ref]:
        """The line split into text and references (none inside code spans); `offset` is the column of line[0] minus 1."""
        code = _code_spans(line)
        parts: list[str | Ref] = []
        last = 0
        for match in REFERENCE.finditer(line):
            if any(a <= match.start() < b for a, b in code):
                continue
            parts.append(line[last : match.start()])
            ref = self.reference(match.group(1), number, offset + match.start() + 1)
            parts.append(ref if ref is not None else match.group(0))
            last = match.end()
        parts.append(line[last:])
        return [p for p in parts if p != ""]

    def reference(self, inner: str, line: int, col: int) -> Ref | None:
        words = inner.split()
        if not words:
            self.issues.append(
                Issue(line, col, "empty live figure {{ }}", "write what to show, like {{ value_ratio of acme-foods in FY2026 }}")
            )
            return None
        what, rest = words[0], words[1:]
        values: dict[str, str] = {}
        while rest:
            if len(rest) < 2 or rest[0] not in ("of", "in") or rest[0] in values:
                self.issues.append(
                    Issue(
                        line,
                        col,
                        f"cannot read the live figure {{{{{inner}}}}}",
                        "write {{ FIGURE of SUBJECT in PERIOD }}, each part once, like {{ benefits of acme-foods in FY2026 }}",
                    )
                )
                return None
            values[rest[0]] = rest[1]
            rest = rest[2:]
        if not NAME.match(what):
            self.issues.append(
                Issue(line, col, f"'{what}' is not a figure name", "figure names are lowercase with underscores, like value_ratio")
            )
            return None
        subject, period = values.get("of"), values.get("in")
        if subject is not None and not SUBJECT.match(subject):
            self.issues.append(
                Issue(
                    line, col, f"'{subject}' is not a customer id", "write a customer's folder name, portfolio, segment:NAME or tier:NAME"
                )
            )
            return None
        if period is not None and not PERIOD.match(period):
            self.issues.append(Issue(line, col, f"'{period}' is not a period", PERIOD_HINT))
            return None
        ref = Ref(what, subject, period, line, col, len(self.refs))
        self.refs.append(ref)
        return ref

    def parse(self, text: str) -> LiveDoc:
        stack = [_Open("root", 0, 0)]
        fenced = False
        for index, raw in enumerate(text.split("\n")):
            number = self.first_line + index
            top = stack[-1]
            fence = bool(FENCE.match(raw))
            if fence:
                fenced = not fenced
            directive = None if fenced or fence else DIRECTIVE.match(raw)
            if directive is None:
                if not top.text:
                    top.text_line = number
                top.text.append((raw, fenced or fence))
                continue
            self._flush(top)
            col = len(directive.group(1)) + 1
            words = directive.group(2).split()
            if not words:
                if len(stack) == 1:
                    self.issues.append(
                        Issue(number, col, "':::' closes nothing here", "remove it, or open a block first with ::: example or ::: question")
                    )
                else:
                    self._close(stack)
            elif words[0] == "example":
                self._open_example(stack, words[1:], number, col)
            elif words[0] == "question":
                question = " ".join(words[1:])
                if not question:
                    self.issues.append(
                        Issue(
                            number,
                            col,
                            "a question block needs its question",
                            "write it on the same line: ::: question What is a value ratio?",
                        )
                    )
                start = raw.index("question") + len("question")
                start += len(raw[start:]) - len(raw[start:].lstrip())
                parts = tuple(self.inline(raw[start:].rstrip(), number, start))
                stack.append(_Open("question", number, col, head=parts))
            elif words[0] == "otherwise":
                if top.kind != "example" or top.fallback is not None:
                    self.issues.append(
                        Issue(
                            number,
                            col,
                            "'::: otherwise' stands only inside an example, once",
                            "put it between ::: example and its closing :::",
                        )
                    )
                else:
                    top.fallback = []
            else:
                self.issues.append(
                    Issue(
                        number,
                        col,
                        f"unknown block '::: {words[0]}'",
                        "blocks are ::: example, ::: otherwise, ::: question and ::: to close",
                    )
                )
        self._flush(stack[-1])
        while len(stack) > 1:
            self.issues.append(
                Issue(stack[-1].line, stack[-1].col, f"this {stack[-1].kind} block is never closed", "end it with a line ':::'")
            )
            self._close(stack)
        return LiveDoc(tuple(stack[0].nodes), self.refs, self.issues)

    def _open_example(self, stack: list[_Open], words: list[str], number: int, col: int) -> None:
        if not words:
            self.issues.append(
                Issue(number, col, "an example needs a rule that picks its subject", "like ::: example highest-value-ratio in this-year")
            )
            words = ["?"]
        rule, among, period, rest = words[0], None, None, words[1:]
        while rest:
            if len(rest) >= 2 and rest[0] == "among" and among is None:
                among = rest[1]
                if not re.match(r"^(segment|tier):[A-Za-z0-9_-]+$|^top-segment$", among):
                    self.issues.append(
                        Issue(number, col, f"'{among}' is not a segment or tier", "write among segment:NAME, tier:NAME or top-segment")
                    )
                    among = None
            elif len(rest) >= 2 and rest[0] == "in" and period is None:
                period = rest[1]
                if not PERIOD.match(period):
                    self.issues.append(Issue(number, col, f"'{period}' is not a period", PERIOD_HINT))
                    period = None
            else:
                self.issues.append(
                    Issue(
                        number, col, f"cannot read '{' '.join(rest)}' after the rule", "write ::: example RULE among segment:NAME in PERIOD"
                    )
                )
                break
            rest = rest[2:]
        stack.append(_Open("example", number, col, head=(rule, among, period)))

    def _flush(self, top: _Open) -> None:
        if not top.text:
            return
        parts: list[str | Ref] = []
        for offset, (line, code) in enumerate(top.text):
            if offset:
                parts.append("\n")
            parts += [line] if code else self.inline(line, top.text_line + offset)
        merged: list[str | Ref] = []
        for part in parts:
            if isinstance(part, str) and merged and isinstance(merged[-1], str):
                merged[-1] += part
            else:
                merged.append(part)
        (top.fallback if top.fallback is not None else top.nodes).append(Text(tuple(merged), top.text_line))
        top.text = []

    def _close(self, stack: list[_Open]) -> None:
        block = stack.pop()
        node: Node
        if block.kind == "example":
            rule, among, period = block.head
            node = Example(rule, among, period, block.line, block.col, tuple(block.nodes), tuple(block.fallback or ()))
        else:
            node = Question(block.head, block.line, tuple(block.nodes))
        parent = stack[-1]
        (parent.fallback if parent.fallback is not None else parent.nodes).append(node)


def parse(text: str, first_line: int = 1) -> LiveDoc:
    """The page's tree of Markdown and live blocks, every reference, and every syntax issue."""
    return _Parser(first_line).parse(text)


def walk(nodes: tuple[Node, ...]) -> list[tuple[Node, Example | None]]:
    """Every node with its nearest enclosing example (None at the top), in document order."""
    found: list[tuple[Node, Example | None]] = []

    def visit(items: tuple[Node, ...], scope: Example | None) -> None:
        for node in items:
            found.append((node, scope))
            if isinstance(node, Example):
                visit(node.body, node)
                visit(node.fallback, scope)
            elif isinstance(node, Question):
                visit(node.answer, scope)

    visit(nodes, None)
    return found
