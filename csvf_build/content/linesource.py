"""Where each link of a Markdown text stands in the source, for problems with the right line.

Python-Markdown keeps no positions, so the links it renders are matched, in
document order and by target, to the links found here by a small scanner of
the same syntax: inline links and images (`[x](target "title")`, targets
split over lines or in `<...>`), reference links (`[x][ref]`, `[x][]`,
`[ref]`) whose target stands on their definition line (`[ref]: target`, where
the fix goes), and autolinks (`<https://...>`, `<name@example.com>`). Targets
are compared as the renderer sees them: backslash escapes and HTML entities
undone. Code spans and fenced code are blanked first: links there are not links.
"""

from __future__ import annotations

import html
import re
from dataclasses import dataclass

_FENCE = re.compile(r"^[ ]{0,3}(`{3,}|~{3,})[^\n]*\n.*?(?:^[ ]{0,3}\1[ \t]*$|\Z)", re.MULTILINE | re.DOTALL)
_CODE_SPAN = re.compile(r"(?<![\\`])(`+)(?!`)(.+?)(?<!`)\1(?!`)", re.DOTALL)
_DEFINITION = re.compile(r"^[ ]{0,3}\[([^\]\n]+)\]:[ \t]*\n?[ \t]*(<[^>\n]*>|\S+)", re.MULTILINE)
_START = re.compile(r"\\.|!?\[|<", re.DOTALL)
_AUTOLINK = re.compile(r"<([A-Za-z][A-Za-z0-9.+-]{1,31}:[^\s<>]*)>")
_AUTOMAIL = re.compile(r"<(?:mailto:)?([^\s<>!@]+@[^\s<>@]+)>")
_TITLED = re.compile(r"^(.*?)\s+([\"']).*\2$", re.DOTALL)
_PARAGRAPH_END = re.compile(r"\n[ \t]*\n")
_ESCAPE = re.compile(r"\\([!\"#$%&'()*+,\-./:;<=>?@\[\\\]^_`{|}~])")


@dataclass(frozen=True)
class SourceLink:
    """A link as the source writes it: its target as rendered, and the 0-based line of that target."""

    target: str
    line: int


def source_links(text: str) -> list[SourceLink]:
    """Every link of `text` in document order, each with the line its target is written on."""
    visible = _blank_code(text)
    definitions = {_label(m.group(1)): (m.group(2), m.start(2)) for m in reversed(list(_DEFINITION.finditer(visible)))}
    defined_at = {m.start() for m in _DEFINITION.finditer(visible)}
    found: list[tuple[str, int]] = []
    for start in _START.finditer(visible):
        token, pos = start.group(0), start.start()
        if token.startswith("\\") or pos in defined_at:
            continue
        if token == "<":
            found += _autolink(visible, pos)
        else:
            found += _bracketed(visible, start.end() - 1, definitions)
    return [SourceLink(normalize(raw), text.count("\n", 0, offset)) for raw, offset in found]


def normalize(raw: str) -> str:
    """A target as the renderer hands it on: brackets, escapes and entities undone, blank space stripped."""
    target = raw.strip()
    if target.startswith("<") and target.endswith(">"):
        target = target[1:-1].strip()
    return html.unescape(_ESCAPE.sub(r"\1", target))


def _label(text: str) -> str:
    return " ".join(text.split()).lower()


def _blank_code(text: str) -> str:
    """`text` with code spans and fenced code replaced by spaces (newlines kept, so offsets still hold)."""

    def blank(match: re.Match[str]) -> str:
        return re.sub(r"[^\n]", " ", match.group(0))

    return _CODE_SPAN.sub(blank, _FENCE.sub(blank, text))


def _autolink(text: str, pos: int) -> list[tuple[str, int]]:
    if match := _AUTOLINK.match(text, pos):
        return [(match.group(1), pos + 1)]
    if match := _AUTOMAIL.match(text, pos):
        return [("mailto:" + match.group(1), pos + 1)]
    return []


def _bracketed(text: str, open_at: int, definitions: dict[str, tuple[str, int]]) -> list[tuple[str, int]]:
    """The link starting with the `[` at `open_at`, if it is one: inline, full, collapsed or shortcut reference."""
    close = _matching(text, open_at, "[", "]")
    if close is None:
        return []
    after = close + 1
    if text.startswith("(", after):
        inline = _inline_target(text, after)
        return [inline] if inline else []
    label_at = after + 1 if text[after : after + 1] in (" ", "\n") and text.startswith("[", after + 1) else after
    if text.startswith("[", label_at):
        label_close = _matching(text, label_at, "[", "]")
        if label_close is not None:
            label = text[label_at + 1 : label_close] or text[open_at + 1 : close]
            return [definitions[_label(label)]] if _label(label) in definitions else []
    shortcut = _label(text[open_at + 1 : close])
    return [definitions[shortcut]] if shortcut in definitions else []


def _inline_target(text: str, paren: int) -> tuple[str, int] | None:
    """(raw target, offset of its first character) of the `(...)` at `paren`, title left out."""
    close = _matching(text, paren, "(", ")")
    if close is None:
        return None
    inside = text[paren + 1 : close]
    lead = len(inside) - len(inside.lstrip())
    body = inside.strip()
    if body.startswith("<") and ">" in body:
        body = body[: body.index(">") + 1]
    elif titled := _TITLED.match(body):
        body = titled.group(1)
    return body, paren + 1 + lead


def _matching(text: str, start: int, opener: str, closer: str) -> int | None:
    """The offset of the `closer` balancing the `opener` at `start`, within its paragraph; escapes skipped."""
    depth = 0
    index = start
    found = _PARAGRAPH_END.search(text, start)
    end = found.start() if found else len(text)
    while index < end:
        char = text[index]
        if char == "\\":
            index += 2
            continue
        if char == opener:
            depth += 1
        elif char == closer:
            depth -= 1
            if depth == 0:
                return index
        index += 1
    return None
