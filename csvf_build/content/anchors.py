"""Record anchors: the id of each record's heading on its value file.

Derived from the file name (lowercased, punctuation collapsed), so links to a
record survive edits to its fields; unique within a customer, because file
names that differ only in case or punctuation (`Visit.md`, `visit.md`,
`visit!.md`) would otherwise share one id. The first of a clash in sorted path
order keeps the plain anchor; each other gets a short hash of its own file
name, so it stays the same whatever other records come and go.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Iterable

_PUNCTUATION = re.compile(r"[^a-z0-9]+")


def base_anchor(path: str) -> str:
    """`r-` and the file name's stem, lowercased, every run of other characters one hyphen."""
    stem = path.rsplit("/", 1)[-1].removesuffix(".md")
    return "r-" + (_PUNCTUATION.sub("-", stem.lower()).strip("-") or "record")


def record_anchors(paths: Iterable[str]) -> dict[str, str]:
    """A unique anchor for each record path of one customer, assigned in sorted path order."""
    taken: set[str] = set()
    anchors: dict[str, str] = {}
    for path in sorted(paths):
        anchor = base_anchor(path)
        if anchor in taken:
            anchor = f"{anchor}-{_short_hash(path.rsplit('/', 1)[-1])}"
        unique, count = anchor, 2
        while unique in taken:  # a hash clash, or a file really named like another's suffixed anchor
            unique, count = f"{anchor}-{count}", count + 1
        taken.add(unique)
        anchors[path] = unique
    return anchors


def _short_hash(name: str) -> str:
    return hashlib.sha256(name.encode("utf-8")).hexdigest()[:6]
