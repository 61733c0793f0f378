"""The training pages shipped with csvf (package data), in reading order.

Every site gets them whatever its content; a company adds its own pages in
content/training/, or replaces a shipped page by giving its page the same
file name.
"""

from __future__ import annotations

import functools
from pathlib import Path

PAGES = Path(__file__).parent / "pages"
SHIPPED_DIR = "csvf_build/training/pages"  # as problems name a shipped page
GENERATED_TRAINING = ("training/index.md", "training/glossary.md")  # pages the generator writes itself
ORDER = (
    "what-is-a-value-file.md",
    "customer-value.md",
    "cost-avoided-and-return.md",
    "break-even.md",
    "expected-and-actual.md",
    "eighty-twenty.md",
    "segments-and-tiers.md",
    "satisfaction-signals.md",
    "selling-cycle.md",
    "yearly-presentation.md",
    "new-to-an-account.md",
    "contributing.md",
)


@functools.cache
def shipped_pages() -> dict[str, str]:
    """File name -> text of every shipped page that exists, in reading order (the rest after, by name)."""
    found = {path.name: path.read_text(encoding="utf-8") for path in sorted(PAGES.glob("*.md"))}
    ordered = [name for name in ORDER if name in found] + sorted(name for name in found if name not in ORDER)
    return {name: found[name] for name in ordered}
