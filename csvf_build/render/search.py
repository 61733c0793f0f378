"""What the site's search indexes for the pages that grow with the portfolio.

A value file holds tens of kilobytes of figures and stories; indexed whole,
the search index (which the browser downloads in one piece) grows by about
twenty kilobytes a customer. Such a page carries instead a short search text
in its front matter (`csvf_search`), which the MkDocs adapter
(`enginehook.py`) indexes as the page's one entry: the customer's name and
each distinct word of its record titles. The portfolio tables list every
customer, so they are indexed by their title and headings only: a customer
is found on its own page.
"""

from __future__ import annotations

import html
import re

from csvf_build.model.compute import CustomerModel
from csvf_build.render.page import engine_title, yaml_string

SEARCH_KEY = "csvf_search"
_HEADING = re.compile(r"^#{1,6} (.*?)(?: \{ #[^}]*\})?$", re.MULTILINE)


def distinct_words(texts: list[str]) -> str:
    """Each word once, in order of first use (compared without case): what search needs, at a fraction of the size."""
    seen: set[str] = set()
    words = []
    for text in texts:
        for word in text.split():
            if word.casefold() not in seen:
                seen.add(word.casefold())
                words.append(word)
    return " ".join(words)


def customer_search_text(c: CustomerModel) -> str:
    """A value file as search sees it: the customer's name, then the words of its record titles."""
    return f"{c.customer.name} · {distinct_words([r.record.title for r in c.folder.records])}"


def headings_text(markdown: str) -> str:
    """The page's Markdown headings as plain text, on one line (their Markdown escapes and character references undone)."""
    return " · ".join(html.unescape(re.sub(r"\\(.)", r"\1", text)) for text in _HEADING.findall(markdown))


def with_search_text(markdown: str, text: str) -> str:
    """The page with `csvf_search` added to its front matter (a generated page always starts with `---`).

    The text is HTML-escaped here, the one escaping path for what search
    shows: Material's index holds HTML, and no generated page ever carries
    a raw tag of user text, front matter included.
    """
    head, _, rest = markdown.partition("\n")
    return f"{head}\n{SEARCH_KEY}: {yaml_string(engine_title(text))}\n{rest}"
