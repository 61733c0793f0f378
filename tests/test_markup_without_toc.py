"""A body without headings renders without the toc extension, to exactly the HTML it renders to with it.

`markup.may_hold_heading` picks the cheaper renderer only when the toc
extension could not change anything; these tests render every Markdown file
of the example content and the hostile corpus, and some tricky texts, both
ways and compare.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from csvf_build.content import markup
from csvf_build.content.markup import may_hold_heading, render_markdown

REPO = Path(__file__).resolve().parent.parent
TRICKY = [
    "Plain text with **bold**, _em_ and `code`.\n",
    "Setext heading\n===\n\nand text\n",
    "Setext two\n---\n",
    "- item\n\n    Inner heading\n    -------------\n",
    "> quoted\n> heading\n> ===\n",
    "[TOC]\n",
    "\\[TOC\\]\n",
    "Text with a `#` in code and [a link](../files/a.pdf).\n",
    "| a | b |\n|---|---|\n| 1 | 2 |\n",
    "```\n# not a heading\n```\n",
    "A rule below\n\n***\n\nthen text\n",
    "Mail <someone@example.com> and <https://example.com>.\n",
]


def bodies() -> list[str]:
    files = sorted([*(REPO / "content").rglob("*.md"), *(REPO / "tests/corpus").rglob("*.md")])
    texts = [path.read_bytes().decode("utf-8", "replace") for path in files]
    return [text.split("\n---\n", 1)[-1] for text in texts] + TRICKY


def rendered(text: str, level: int) -> markup.Markup:
    return render_markdown(text, source="customers/acme/records/x.md", page_dir="customers/acme", first_line=3, heading_level=level)


@pytest.mark.parametrize("level", [1, 4])
def test_with_and_without_toc_the_html_is_the_same(level: int, monkeypatch: pytest.MonkeyPatch) -> None:
    texts = bodies()
    chosen = [rendered(text, level) for text in texts]
    monkeypatch.setattr(markup, "may_hold_heading", lambda _text: True)
    with_toc = [rendered(text, level) for text in texts]
    assert [c == t for c, t in zip(chosen, with_toc, strict=True)] == [True] * len(texts)
    assert sum(not may_hold_heading(text) for text in texts) >= 50  # the cheaper path is taken, and compared


def test_a_heading_in_a_body_still_gets_its_level() -> None:
    assert rendered("Intro\n\n# Findings\n", 4).html == "<p>Intro</p>\n<h4>Findings</h4>"
    assert "<h5" in rendered("Findings\n--------\n", 4).html
