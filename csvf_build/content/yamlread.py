"""YAML 1.2 with exact positions, at C speed, refusing what content never needs.

libyaml's event stream (through PyYAML) gives every node its line and column.
We build plain Python values from the events ourselves, so that:

* plain scalars resolve by the YAML 1.2 core schema (`yes`, `1_000`, `1:30`
  stay strings), whatever YAML 1.1 rules the parser itself would apply;
* numbers keep their source text (`YamlNumber.raw`), so money can insist on
  `1250.50` and refuse `"1250"`, `1e3` or `0x4E2`;
* anchors, aliases, tags and duplicate keys are refused, and a document is
  capped in nodes and depth, so an alias bomb or a runaway file fails fast.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any

import yaml
from yaml import events

from csvf_build.problems import Problem

MAX_NODES = 20_000
MAX_DEPTH = 32

_Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)

_NULL = re.compile(r"^(?:~|null|Null|NULL|)$")
_BOOL_TRUE = re.compile(r"^(?:true|True|TRUE)$")
_BOOL_FALSE = re.compile(r"^(?:false|False|FALSE)$")
_NUMBER = re.compile(
    r"^(?:[-+]?(?:\.[0-9]+|[0-9]+(?:\.[0-9]*)?)(?:[eE][-+]?[0-9]+)?"
    r"|0o[0-7]+|0x[0-9a-fA-F]+|[-+]?\.(?:inf|Inf|INF)|\.(?:nan|NaN|NAN))$"
)


class YamlNumber(Decimal):
    """A number as YAML 1.2 reads it, remembering how it was written."""

    __slots__ = ("raw",)
    raw: str

    @classmethod
    def of(cls, raw: str) -> YamlNumber:
        if raw.startswith(("0x", "0o")):
            value = cls(int(raw[2:], 16 if raw[1] == "x" else 8))
        else:
            value = cls(raw.lower().replace(".inf", "Infinity").replace(".nan", "NaN"))
        value.raw = raw
        return value

    def __reduce__(self) -> tuple[Any, tuple[str], tuple[None, dict[str, str]]]:  # type: ignore[override]
        """Pickled (the parse cache) as its value and its source text, rebuilt without calling Python code."""
        return (YamlNumber, (str(self),), (None, {"raw": self.raw}))


class YamlKey(str):
    """A mapping key; `quoted` tells `2024` from `"2024"` (a class, not a field: keys pickle as plain strings do)."""

    __slots__ = ()
    quoted: bool = False


class QuotedKey(YamlKey):
    """A mapping key written in quotes."""

    __slots__ = ()
    quoted = True


Path = tuple[str | int, ...]


@dataclass(eq=False)
class YamlDocument:
    """Plain values, and where each one (and each mapping key) stands.

    Positions are only needed to name where a problem is, so they are not kept:
    the first `locate` finds them again from the source (the same text gives
    the same events). Tens of thousands of records then cost their values, not
    a table of positions each.
    """

    data: Any
    source: str = ""  # the YAML text that was read
    line_offset: int = 0
    _positions: tuple[dict[Path, tuple[int, int]], dict[Path, tuple[int, int]]] | None = field(default=None, repr=False)

    @property
    def value_at(self) -> dict[Path, tuple[int, int]]:
        return self._located()[0]

    @property
    def key_at(self) -> dict[Path, tuple[int, int]]:
        return self._located()[1]

    def _located(self) -> tuple[dict[Path, tuple[int, int]], dict[Path, tuple[int, int]]]:
        if self._positions is None:
            builder = _Builder(self.line_offset, locate=True)
            for event in yaml.parse(self.source, Loader=_Loader):
                builder.feed(event)
            self._positions = builder.value_at, builder.key_at
        return self._positions

    def __getstate__(self) -> dict[str, Any]:
        """Pickled (the parse cache) without the positions, which are found again when needed."""
        return {"data": self.data, "source": self.source, "line_offset": self.line_offset, "_positions": None}

    def locate(self, path: Path, *, key: bool = False) -> tuple[int, int]:
        """The 1-based line and column of `path`, or of its nearest parent."""
        value_at, key_at = self._located()
        table = key_at if key else value_at
        while path:
            if path in table:
                return table[path]
            if not key and path in key_at:
                return key_at[path]
            path = path[:-1]
        return value_at.get((), (1, 1))


class _RefusedError(Exception):
    def __init__(self, mark: Any, message: str, hint: str):
        super().__init__(message)
        self.line = mark.line + 1
        self.col = mark.column + 1
        self.hint = hint


def resolve_plain(text: str) -> Any:
    """A plain scalar's value under the YAML 1.2 core schema."""
    if _NULL.match(text):
        return None
    if _BOOL_TRUE.match(text):
        return True
    if _BOOL_FALSE.match(text):
        return False
    if _NUMBER.match(text):
        try:
            return YamlNumber.of(text)
        except (InvalidOperation, ValueError):
            return text
    return text


def read_yaml(text: str, file: str, line_offset: int = 0) -> tuple[YamlDocument | None, list[Problem]]:
    """Parse one YAML document; on failure return the problem instead.

    `line_offset` shifts positions when the YAML sits inside a larger file
    (front matter starts on line 2 of a record).
    """
    builder = _Builder(line_offset)
    try:
        for event in yaml.parse(text, Loader=_Loader):
            builder.feed(event)
    except _RefusedError as refused:
        return None, [Problem(file, refused.line + line_offset, refused.col, str(refused), refused.hint)]
    except yaml.MarkedYAMLError as error:
        return None, [_syntax_problem(error, text, file, line_offset)]
    except yaml.reader.ReaderError as error:
        return None, [_reader_problem(error, text, file, line_offset)]
    except yaml.YAMLError as error:  # pragma: no cover (libyaml raises the two kinds above)
        return None, [Problem(file, 1 + line_offset, 1, f"YAML error: {error}", SYNTAX_HINT)]
    return YamlDocument(builder.root, text, line_offset), []


SYNTAX_HINT = "check indentation, and quote text that contains ': ', '#', or starts with '[', '{', '*', '&', '!', '%' or '@'"


def _syntax_problem(error: yaml.MarkedYAMLError, text: str, file: str, line_offset: int) -> Problem:
    """The problem where the parser noticed it, the hint naming where the broken construct began."""
    mark = error.problem_mark or error.context_mark
    line, col = (mark.line + 1, mark.column + 1) if mark else (1, 1)
    began = _where_it_began(error, text, line_offset)
    hint = f"{began}; {SYNTAX_HINT}" if began else SYNTAX_HINT
    return Problem(file, line + line_offset, col, f"YAML syntax error: {error.problem or error.context}", hint)


def _where_it_began(error: yaml.MarkedYAMLError, text: str, line_offset: int) -> str:
    """Where the construct the parser was reading started, when that is not where it failed."""
    context = error.context or ""
    problem, start = error.problem_mark, error.context_mark
    if "flow" in context and problem is not None:
        opener = _unclosed_flow_opener(text, problem.line, problem.column)
        if opener:
            char, line, col = opener
            where = f"the `{char}` opened on line {line + line_offset}, column {col}"
            unclosed = any(words in (error.problem or "") for words in ("expected ','", "end of stream", "expected node content"))
            return f"{where} is never closed" if unclosed else f"this is inside {where}"
    if start is None or problem is None or (start.line, start.column) == (problem.line, problem.column):
        return "indent with spaces, not tabs" if _char_at(text, problem) == "\t" else ""
    where = f"line {start.line + 1 + line_offset}, column {start.column + 1}"
    if "quoted scalar" in context and "escape" in (error.problem or ""):
        return (
            f"the quoted text opened on {where} holds a backslash escape YAML cannot read; write \\\\ for a backslash, or use single quotes"
        )
    if "quoted scalar" in context:
        return f"the quote opened on {where} is never closed"
    return f"this is inside {context.removeprefix('while parsing ').removeprefix('while scanning ')} that starts on {where}"


def _char_at(text: str, mark: Any) -> str:
    if mark is None:
        return ""
    lines = text.split("\n")
    source = lines[mark.line] if mark.line < len(lines) else ""
    return source[mark.column] if mark.column < len(source) else ""


def _unclosed_flow_opener(text: str, line: int, column: int) -> tuple[str, int, int] | None:
    """The innermost `[` or `{` still open at (0-based) `line`, `column`: (char, 1-based line, column)."""
    stack: list[tuple[str, int, int]] = []
    for number, source in enumerate(text.split("\n")[: line + 1]):
        quote = ""
        limit = column if number == line else len(source)
        for index, char in enumerate(source[:limit]):
            if quote:
                quote = "" if char == quote else quote
            elif char in "'\"" and (index == 0 or source[index - 1] in " \t[{,:"):
                quote = char
            elif char == "#" and (index == 0 or source[index - 1] in " \t"):
                break
            elif char in "[{":
                stack.append((char, number + 1, index + 1))
            elif char in "]}" and stack:
                stack.pop()
    return stack[-1] if stack else None


def _reader_problem(error: yaml.reader.ReaderError, text: str, file: str, line_offset: int) -> Problem:
    """A character YAML refuses, located in the file (libyaml counts its position in UTF-8 bytes)."""
    before = text.encode("utf-8")[: error.position].decode("utf-8", "ignore")
    line = before.count("\n") + 1
    col = len(before) - (before.rfind("\n") + 1) + 1
    character = error.character if isinstance(error.character, int) else ord(str(error.character)[:1] or "?")
    return Problem(
        file,
        line + line_offset,
        col,
        f"the control character U+{character:04X} is not allowed in YAML",
        "remove it: it is usually invisible, pasted from another program; retype the text around it",
    )


class _Builder:
    """Turns the event stream into plain values, recording positions when asked to (`locate`)."""

    def __init__(self, line_offset: int, locate: bool = False):
        self.line_offset = line_offset
        self.locate = locate
        self.stack: list[tuple[Any, Path]] = []
        self.root: Any = None
        self.value_at: dict[Path, tuple[int, int]] = {}
        self.key_at: dict[Path, tuple[int, int]] = {}
        self.documents = 0
        self.nodes = 0
        self.pending_key: list[YamlKey | None] = []

    def _pos(self, mark: Any) -> tuple[int, int]:
        return mark.line + 1 + self.line_offset, mark.column + 1

    def feed(self, event: events.Event) -> None:
        if isinstance(event, events.DocumentStartEvent):
            self.documents += 1
            if self.documents > 1:
                raise _RefusedError(event.start_mark, "more than one YAML document in this file", "remove the extra '---' line")
            return
        if isinstance(event, events.AliasEvent):
            raise _RefusedError(
                event.start_mark,
                f"YAML alias '*{event.anchor}' is not allowed",
                "write the value out in full; content never needs anchors or aliases",
            )
        if isinstance(event, (events.ScalarEvent, events.MappingStartEvent, events.SequenceStartEvent)):
            self._check_node(event)
        if isinstance(event, events.ScalarEvent):
            self._add(self._scalar(event), event)
        elif isinstance(event, events.MappingStartEvent):
            self._open({}, event)
        elif isinstance(event, events.SequenceStartEvent):
            self._open([], event)
        elif isinstance(event, (events.MappingEndEvent, events.SequenceEndEvent)):
            container, _ = self.stack.pop()
            if isinstance(container, dict):
                self.pending_key.pop()

    def _check_node(self, event: Any) -> None:
        self.nodes += 1
        if self.nodes > MAX_NODES:
            raise _RefusedError(
                event.start_mark, f"YAML document has more than {MAX_NODES} values", "content files are small; split or shorten this file"
            )
        if event.anchor is not None:
            raise _RefusedError(
                event.start_mark,
                f"YAML anchor '&{event.anchor}' is not allowed",
                "remove the anchor; content never needs anchors or aliases",
            )
        if event.tag is not None and not (isinstance(event, events.ScalarEvent) and event.tag == "!"):
            raise _RefusedError(
                event.start_mark, f"YAML tag '{event.tag}' is not allowed", "remove the tag; quote text instead of tagging it '!!str'"
            )

    @staticmethod
    def _scalar(event: events.ScalarEvent) -> Any:
        if not event.style and event.tag != "!":  # plain: '' from libyaml, None from pure Python
            return resolve_plain(event.value)
        return event.value

    def _open(self, container: Any, event: Any) -> None:
        if len(self.stack) >= MAX_DEPTH:
            raise _RefusedError(
                event.start_mark, f"YAML nested deeper than {MAX_DEPTH} levels", "content is never nested this deep; check the indentation"
            )
        path = self._add(container, event)
        self.stack.append((container, path))
        if isinstance(container, dict):
            self.pending_key.append(None)

    def _add(self, value: Any, event: Any) -> Path:
        """Place a finished value (or a just-opened container) in its parent."""
        if not self.stack:
            self.root = value
            if self.locate:
                self.value_at[()] = self._pos(event.start_mark)
            return ()
        parent, parent_path = self.stack[-1]
        if isinstance(parent, list):
            path = (*parent_path, len(parent))
            parent.append(value)
            if self.locate:
                self.value_at[path] = self._pos(event.start_mark)
            return path
        key = self.pending_key[-1]
        if key is None:
            self.pending_key[-1] = self._key(value, event, parent, parent_path)
            return parent_path
        path = (*parent_path, str(key))
        parent[key] = value
        if self.locate:
            self.value_at[path] = self._pos(event.start_mark)
        self.pending_key[-1] = None
        return path

    def _key(self, value: Any, event: Any, parent: dict, parent_path: Path) -> YamlKey:
        if not isinstance(event, events.ScalarEvent):
            raise _RefusedError(
                event.start_mark, "a mapping key must be a plain value, not a list or mapping", "check the indentation of this line"
            )
        text = event.value  # as written: `true:` is the key "true", `0000:` is "0000"
        key = QuotedKey(text) if event.style else YamlKey(text)
        if key in parent:
            raise _RefusedError(
                event.start_mark, f"duplicate key '{text}'", "each key may appear once in a mapping; merge or rename one of them"
            )
        if self.locate:
            self.key_at[(*parent_path, str(key))] = self._pos(event.start_mark)
        return key
