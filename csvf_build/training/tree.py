"""Training-page Markdown rendered chunk by chunk, with placeholders where live figures go.

Model-free, so the content loader can render pages before any model exists;
`live.resolve_html` fills the placeholders in at render time.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from dataclasses import dataclass, field
from html.parser import HTMLParser

from csvf_build.training.syntax import Example, Issue, LiveDoc, Node, Ref, Text

TOKEN = re.compile(r"CSVFLIVE(\d+)X")


def token(ref: Ref) -> str:
    """A placeholder of letters and digits: Markdown and nh3 pass it through unchanged."""
    return f"CSVFLIVE{ref.index}X"


@dataclass(frozen=True)
class HtmlText:
    html: str  # sanitised HTML with placeholders in text nodes


@dataclass(frozen=True)
class HtmlExample:
    example: Example
    body: tuple[HtmlNode, ...]
    fallback: tuple[HtmlNode, ...]


@dataclass(frozen=True)
class HtmlQuestion:
    parts: tuple[str | Ref, ...]
    answer: tuple[HtmlNode, ...]


HtmlNode = HtmlText | HtmlExample | HtmlQuestion


@dataclass
class RenderedTree:
    nodes: tuple[HtmlNode, ...]
    refs: dict[int, Ref]
    issues: list[Issue] = field(default_factory=list)


class _TokenFinder(HTMLParser):
    """Which placeholders stand in text, and which ended up inside a tag's attributes."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.in_text: list[int] = []
        self.in_attribute: set[int] = set()

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        for _, value in attrs:
            self.in_attribute |= {int(m.group(1)) for m in TOKEN.finditer(value or "")}

    def handle_data(self, data: str) -> None:
        self.in_text += [int(m.group(1)) for m in TOKEN.finditer(data)]


def render_tree(doc: LiveDoc, render: Callable[[str, int], str]) -> RenderedTree:
    """Each Markdown chunk rendered (`render(markdown, first_line)` gives sanitised HTML), placeholders checked."""
    refs = {ref.index: ref for ref in doc.refs}
    issues: list[Issue] = []

    def chunk(node: Text) -> HtmlText:
        source = "".join(part if isinstance(part, str) else token(part) for part in node.parts)
        html = render(source, node.first_line)
        finder = _TokenFinder()
        finder.feed(html)
        finder.close()
        expected = [part.index for part in node.parts if isinstance(part, Ref)]
        for index in expected:
            ref = refs[index]
            if index in finder.in_attribute or finder.in_text.count(index) != 1:
                issues.append(
                    Issue(
                        ref.line,
                        ref.col,
                        "a live figure cannot stand in a link target or image",
                        "put it in the text, like: see {{ link of acme }}",
                    )
                )
        for index in finder.in_attribute:
            html = html.replace(f"CSVFLIVE{index}X", "")
        return HtmlText(html)

    def nodes(items: tuple[Node, ...]) -> tuple[HtmlNode, ...]:
        result: list[HtmlNode] = []
        for node in items:
            if isinstance(node, Text):
                result.append(chunk(node))
            elif isinstance(node, Example):
                result.append(HtmlExample(node, nodes(node.body), nodes(node.fallback)))
            else:
                result.append(HtmlQuestion(node.parts, nodes(node.answer)))
        return tuple(result)

    return RenderedTree(nodes(doc.nodes), refs, issues)
