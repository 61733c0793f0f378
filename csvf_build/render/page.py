"""A generated page as the engine reads it: front matter, Markdown headings, HTML blocks.

The generator renders every page body itself. The engine only sees

- front matter with the page `title`, already HTML-escaped, so that a theme
  printing it raw shows the text and one that decodes it first still gets no
  tag (our `theme/` escapes again where Material decodes);
- Markdown headings of our own words and escaped user text, so the engine's
  table of contents and permalinks still work;
- HTML blocks, each written on one line: no engine extension (fences,
  attribute lists, indented code, lists) can find a block inside what the
  generator already rendered and sanitized, so nothing is parsed twice.
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from markupsafe import Markup, escape

from csvf_build.render.text import escape as inline


@dataclass(frozen=True)
class Heading:
    level: int
    text: object  # user text or our Markup; escaped for Markdown
    anchor: str = ""


@dataclass(frozen=True)
class Html:
    html: Markup


Block = Heading | Html


def engine_title(text: str) -> str:
    """A title for the engine's front matter and `<title>`: HTML-escaped, one line."""
    return str(escape(" ".join(text.split())))


# What PyYAML (the engine's YAML reader) refuses to read unescaped.
_NOT_PRINTABLE = re.compile("[^\x09\x0a\x0d\x20-\x7e\x85\xa0-\ud7ff\ue000-\ufffd\U00010000-\U0010ffff]")


def yaml_string(text: str) -> str:
    """A double-quoted YAML scalar holding exactly `text`."""
    quoted = json.dumps(text, ensure_ascii=False)
    return _NOT_PRINTABLE.sub(lambda m: f"\\u{ord(m.group()):04x}", quoted)


def one_line(html: str) -> str:
    """Rendered HTML as one line: newlines and tabs become character references.

    Inside `<pre>` they still show as typed; elsewhere they are whitespace,
    as before. Our serializers never break a line inside a tag.
    """
    return html.replace("\r", "&#13;").replace("\n", "&#10;").replace("\t", "&#9;")


def page_markdown(title: str, blocks: Iterable[Block], *, hide: tuple[str, ...] = ()) -> str:
    """The page's Markdown: front matter, the H1, then each block."""
    front = [f"title: {yaml_string(engine_title(title))}"]
    if hide:
        front.append("hide:")
        front += [f"  - {item}" for item in hide]
    lines = ["---", *front, "---", "", f"# {inline(title)}", ""]
    for block in blocks:
        if isinstance(block, Heading):
            anchor = f" {{ #{block.anchor} }}" if block.anchor else ""
            lines += [f"{'#' * block.level} {inline(block.text)}{anchor}", ""]
        elif block.html.strip():
            lines += [one_line(f'<div class="csvf-block" markdown="0">{block.html.strip()}</div>'), ""]
    return "\n".join(lines)
