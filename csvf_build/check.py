"""The check step: load the content tree and apply every rule."""

from __future__ import annotations

from datetime import date

from csvf_build.content.load import Content, load_content
from csvf_build.content.rules import check_rules
from csvf_build.content.tree import ContentTree
from csvf_build.problems import Problem


def check(tree: ContentTree, today: date) -> tuple[Content | None, list[Problem]]:
    """Checked content, or None and every problem found (sorted by file and line)."""
    content, problems = load_content(tree)
    if content is not None:  # partly loaded content still gets every rule that can run
        problems += check_rules(content, today)
    return (content if not problems else None), sorted(problems)
