"""User Markdown (record bodies, notes, training pages) to safe HTML.

This is the one path by which text a user wrote as Markdown reaches the site:
raw HTML is not interpreted (it shows as typed), links are resolved against
the source file so attachments can be checked, images must be local (no
request may leave the site), and nh3 sanitizes the result as a second wall.
"""

from __future__ import annotations

import functools
import html
import posixpath
import re
from collections import deque
from dataclasses import dataclass
from urllib.parse import unquote, urlsplit
from xml.etree.ElementTree import Element

import markdown
import nh3
from markdown.extensions import Extension
from markdown.treeprocessors import Treeprocessor
from markdown.util import AMP_SUBSTITUTE

from csvf_build.content.linesource import source_links

SAFE_TAGS = {
    "a", "abbr", "b", "blockquote", "br", "code", "dd", "del", "div", "dl", "dt", "em", "h1", "h2",
    "h3", "h4", "h5", "h6", "hr", "i", "img", "kbd", "li", "ol", "p", "pre", "s", "span", "strong",
    "sub", "sup", "table", "tbody", "td", "tfoot", "th", "thead", "tr", "ul",
}  # fmt: skip
SAFE_ATTRIBUTES = {
    # No `title`: Material's tooltips put a title's decoded text into the page as HTML.
    "*": set(),  # no generic attributes either (nh3 would allow `title` and `lang` on every tag)
    "a": {"href"},
    "img": {"src", "alt"},
    "th": {"align", "style"},
    "td": {"align", "style"},
    "code": {"class"},
    "div": {"class"},
    "span": {"class"},
}
_TEXT_ALIGN = re.compile(r"^text-align: (left|right|center);?$")


@dataclass(frozen=True)
class Link:
    """A link or image in user Markdown, as written and as resolved."""

    target: str
    line: int
    is_image: bool
    resolved: str | None  # path in the content tree for a local target, else None
    problem: str = ""  # why this target is not allowed, if it is not


@dataclass(frozen=True)
class Markup:
    html: str
    links: tuple[Link, ...]


class _LinkCollector(Treeprocessor):
    """Resolve local links against the source file and re-point them for the page.

    Runs after Markdown has undone its own escapes, so it sees each target as
    the reader's browser would (`a\\_b.pdf` is `a_b.pdf`; an e-mail autolink is
    `mailto:` however Markdown obfuscated it).
    """

    def __init__(self, source_dir: str, page_dir: str):
        super().__init__()
        self.source_dir = source_dir
        self.page_dir = page_dir
        self.found: list[tuple[str, bool, str | None, str]] = []

    def run(self, root: Element) -> None:
        for element in root.iter():
            attribute = {"a": "href", "img": "src"}.get(element.tag)
            if attribute and element.get(attribute) is not None:
                raw = element.get(attribute, "")
                target = html.unescape(raw.replace(AMP_SUBSTITUTE, "&"))
                rewritten = self._visit(target, element.tag == "img")
                element.set(attribute, raw if rewritten == target else rewritten)

    def _visit(self, target: str, is_image: bool) -> str:
        parts = urlsplit(target)
        if parts.scheme or target.startswith("//"):
            problem = ""
            if is_image:
                problem = "images must be attachments in the customer's files/ folder: the site never loads anything from outside"
            elif target.startswith("//"):
                problem = "a link starting with '//' leaves the site without saying how; write https://..."
            elif parts.scheme not in ("http", "https", "mailto"):
                problem = f"links may use http, https or mailto, not '{parts.scheme}:'"
            self.found.append((target, is_image, None, problem))
            return "#" if problem else target
        if not parts.path:  # '#anchor' or '?query'
            return target
        if parts.path.startswith("/"):
            self.found.append((target, is_image, None, "write local links relative to this file, not starting with '/'"))
            return "#"
        resolved = posixpath.normpath(posixpath.join(self.source_dir, unquote(parts.path)))
        self.found.append((target, is_image, resolved, ""))
        page_target = _page_url(resolved)
        return posixpath.relpath(page_target, self.page_dir) + (f"#{parts.fragment}" if parts.fragment else "")


def _page_url(path: str) -> str:
    """Where a content path ends up in the site: Markdown pages become .html files."""
    return path[: -len(".md")] + ".html" if path.endswith(".md") else path


class _Csvf(Extension):
    def __init__(self, collector: _LinkCollector):
        super().__init__()
        self.collector = collector

    def extendMarkdown(self, md: markdown.Markdown) -> None:  # noqa: N802 (Markdown's API)
        md.preprocessors.deregister("html_block")
        md.inlinePatterns.deregister("html")
        md.treeprocessors.register(self.collector, "csvf_links", -10)  # after "unescape" (0)


def _attribute_filter(tag: str, attribute: str, value: str) -> str | None:
    if attribute == "style":
        return value if _TEXT_ALIGN.match(value) else None
    if tag == "img" and attribute == "src" and (urlsplit(value).scheme or value.startswith("//")):
        return None
    return value


def sanitize(html: str) -> str:
    """The last wall before HTML reaches a page: only known-safe tags and URLs."""
    return nh3.clean(
        html,
        tags=SAFE_TAGS,
        attributes=SAFE_ATTRIBUTES,
        url_schemes={"http", "https", "mailto"},
        link_rel="noopener noreferrer",
        attribute_filter=_attribute_filter,
        strip_comments=True,
    )


def render_markdown(text: str, *, source: str, page_dir: str, first_line: int = 1, heading_level: int = 1) -> Markup:
    """Render user Markdown found in content file `source` for the page in `page_dir`.

    `heading_level` is the level a `#` heading gets (4 puts a body's headings
    under the record's own title); `first_line` is the line the text starts on.
    """
    md, collector = _renderer(heading_level, toc=may_hold_heading(text))
    collector.source_dir, collector.page_dir, collector.found = posixpath.dirname(source), page_dir, []
    md.reset()
    rendered = sanitize(md.convert(text))
    finder = _LineFinder(text)
    links = tuple(
        Link(target, first_line + finder.line_of(target), is_image, resolved, problem)
        for target, is_image, resolved, problem in collector.found
    )
    return Markup(rendered, links)


_SETEXT_LINE = re.compile(r"^[ \t>]*(?:=+|-+)[ \t]*$", re.MULTILINE)


def may_hold_heading(text: str) -> bool:
    """Whether Markdown could find a heading (or the `[TOC]` marker) in `text`; without one, the toc extension changes nothing.

    Conservative: any `#`, any line of only `=` or `-` (a setext underline, also in
    a list or quote) or the word TOC counts, so the toc-less renderer is only used
    where its HTML is the same. It skips a fifth of a short body's conversion.
    """
    return "#" in text or "TOC" in text or _SETEXT_LINE.search(text) is not None


@functools.cache
def _renderer(heading_level: int, toc: bool = True) -> tuple[markdown.Markdown, _LinkCollector]:
    """One Markdown instance per heading level (and with or without toc), reused: building one costs more than most conversions."""
    collector = _LinkCollector("", "")
    extensions: list[str | Extension] = ["tables", "fenced_code", "sane_lists", *(["toc"] if toc else []), _Csvf(collector)]
    md = markdown.Markdown(
        extensions=extensions,
        extension_configs={"toc": {"baselevel": heading_level, "anchorlink": False, "permalink": False}} if toc else {},
        output_format="html",
    )
    return md, collector


class _LineFinder:
    """The source line of each rendered link, taken in document order.

    The n-th rendered link to a target is matched to the n-th link of the
    source with that target (`linesource`); one the scanner did not see is
    looked for where Markdown syntax puts a target (`](target`, `<target>`,
    `]: target`).
    """

    def __init__(self, text: str):
        self.lines = text.split("\n")
        self.sources: dict[str, deque[int]] = {}
        for link in source_links(text):
            self.sources.setdefault(link.target, deque()).append(link.line)

    def line_of(self, target: str) -> int:
        lines = self.sources.get(target)
        return lines.popleft() if lines else self._search(target)

    def _search(self, target: str) -> int:
        forms = [target, target.removeprefix("mailto:")]
        for number, line in enumerate(self.lines):
            plain = _unescaped(line)
            if any(f"]({form}" in plain or f"<{form}>" in plain or f"]: {form}" in plain for form in forms):
                return number
        return 0


def _unescaped(line: str) -> str:
    """A source line with Markdown's backslash escapes undone, as targets are compared."""
    return re.sub(r"\\(.)", r"\1", line)
