"""The check step: load the content tree and apply every rule that what loaded allows."""

from __future__ import annotations

from datetime import date

from csvf_build.content.load import Content, read_content
from csvf_build.content.parsecache import ParseCache
from csvf_build.content.rules import check_rules
from csvf_build.content.tree import ContentTree
from csvf_build.problems import Problem


def check(tree: ContentTree, today: date, cache: ParseCache | None = None) -> tuple[Content | None, list[Problem]]:
    """Checked content, or None and every problem found (sorted by file and line).

    The rules run on whatever loaded, even beside broken files, so that one run
    reports every problem it can rather than one file's worth at a time.
    `cache` reuses the parse of every file read before (problems included).
    """
    loaded, problems = read_content(tree, cache)
    problems += check_rules(loaded, today)
    content = loaded.content()
    return (content if not problems and content is not None else None), sorted(set(problems))
