"""User Markdown for the pack: a rep's cover note (`pack.md`) and record stories, as plain text.

The pack never places what a user wrote as markup. Markdown goes through the
one safe path (`content.markup`: raw HTML inert, sanitized), and the result is
reduced here to paragraphs, list items and headings of plain text, which every
output then shows as text (Typst strings, Jinja-escaped HTML).
"""

from __future__ import annotations

import re
from collections.abc import Container
from dataclasses import dataclass
from html.parser import HTMLParser

from csvf_build.content.load import MAX_TEXT_BYTES
from csvf_build.content.markup import render_markdown
from csvf_build.content.tree import ContentTree
from csvf_build.problems import Problem

PACK_NOTE = "pack.md"  # customers/<id>/pack.md
NEXT_YEAR = re.compile(r"^##\s+next\s+year\s*#*\s*$", re.IGNORECASE)
_FENCE = re.compile(r"^\s*(```|~~~)")
STORY_CHARACTERS = 600  # a story longer than this is cut at a word: the pack shows a summary, the site the whole record
_HEADINGS = {"h1", "h2", "h3", "h4", "h5", "h6"}
_BLOCKS = {"p", "li", "pre", "blockquote", "dt", "dd", "tr", "ul", "ol", "table", *_HEADINGS}


@dataclass(frozen=True)
class Block:
    """One paragraph, list item or heading of plain text."""

    kind: str  # paragraph | item | heading
    text: str


@dataclass(frozen=True)
class PackNote:
    """What a rep wrote for this customer's pack: the cover text and next year's goals."""

    cover: tuple[Block, ...] = ()
    next_year: tuple[Block, ...] = ()


def parse_pack_note(text: str) -> PackNote:
    """Split `pack.md` at its `## Next year` heading: before it the cover, after it the goals."""
    lines = text.removeprefix("\ufeff").replace("\r\n", "\n").split("\n")
    fenced = False
    for number, line in enumerate(lines):
        if _FENCE.match(line):
            fenced = not fenced
        elif not fenced and NEXT_YEAR.match(line):
            return PackNote(markdown_blocks("\n".join(lines[:number])), markdown_blocks("\n".join(lines[number + 1 :])))
    return PackNote(markdown_blocks("\n".join(lines)), ())


def markdown_blocks(text: str) -> tuple[Block, ...]:
    """User Markdown as plain blocks (links keep their words, images are left out)."""
    if not text.strip():
        return ()
    return plain_blocks(render_markdown(text, source=f"customers/{PACK_NOTE}", page_dir="customers", heading_level=2).html)


def plain_blocks(html: str) -> tuple[Block, ...]:
    """Sanitized HTML (from `content.markup`) as plain blocks, in order."""
    parser = _BlockParser()
    parser.feed(html)
    parser.close()
    parser.flush()
    return tuple(parser.blocks)


def first_paragraph(html: str, limit: int = STORY_CHARACTERS) -> str:
    """A record's short story: the first paragraph of its body, as plain text, cut at a word past `limit`."""
    blocks = plain_blocks(html)
    paragraphs = [b for b in blocks if b.kind == "paragraph"] or list(blocks)
    if not paragraphs:
        return ""
    text = paragraphs[0].text
    if len(text) <= limit:
        return text
    cut = text[:limit].rsplit(" ", 1)[0].rstrip(",;:.-")
    return cut + "\u2026"


class _BlockParser(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.blocks: list[Block] = []
        self.open: list[str] = []
        self.text: list[str] = []

    def flush(self) -> None:
        words = " ".join("".join(self.text).split())
        self.text = []
        if words:
            kind = next((_kind(tag) for tag in reversed(self.open) if tag in ("li", *_HEADINGS)), "paragraph")
            self.blocks.append(Block(kind, words))

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in _BLOCKS:
            self.flush()
            self.open.append(tag)
        elif tag in ("br", "td", "th"):
            self.text.append(" ")

    def handle_endtag(self, tag: str) -> None:
        if tag in _BLOCKS:
            self.flush()
            if tag in self.open:
                del self.open[len(self.open) - 1 - self.open[::-1].index(tag) :]

    def handle_data(self, data: str) -> None:
        self.text.append(data)


def _kind(tag: str) -> str:
    return "item" if tag == "li" else "heading"


def is_pack_note(path: str) -> bool:
    parts = path.split("/")
    return len(parts) == 3 and parts[0] == "customers" and parts[2] == PACK_NOTE


def read_pack_note(tree: ContentTree, customer_id: str, existing: Container[str] | None = None) -> tuple[PackNote | None, list[Problem]]:
    """The customer's `pack.md`, if there is one, or the problem that stops it being read.

    `existing`: the tree's files as a set, when many customers are read (a list would cost a scan each).
    """
    path = f"customers/{customer_id}/{PACK_NOTE}"
    if path not in (existing if existing is not None else tree.files()):
        return None, []
    where = tree.display(path)
    if tree.size(path) > MAX_TEXT_BYTES:
        return None, [
            Problem(where, 0, 0, f"file is larger than {MAX_TEXT_BYTES // (1024 * 1024)} MiB", "a cover note is a few paragraphs")
        ]
    try:
        text = tree.read(path).decode("utf-8")
    except UnicodeDecodeError:
        return None, [Problem(where, 1, 1, "file is not UTF-8 text", "save the file as UTF-8 (in most editors: File > Save with encoding)")]
    return parse_pack_note(text), []
