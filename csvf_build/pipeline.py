"""The build pipeline, put together once: load and check, compute, render.

The CLI (check, build, serve), the benchmark and the tests all call these
functions, so there is one order of steps and one way to gather what the
pages need. Pure: content comes from a `ContentTree`, the result is values
(the docs tree as path to bytes); writing it and running an engine is
`site.py`'s job.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date

from csvf_build.charts.cache import draw_charts
from csvf_build.check import check
from csvf_build.content.load import Content
from csvf_build.content.parsecache import ParseCache
from csvf_build.content.tree import ContentTree
from csvf_build.history import History
from csvf_build.model.compute import Model, compute_model
from csvf_build.problems import Problem
from csvf_build.render.pages import ChartDrawer, render_site

Step = Callable[[str], None]
"""Called with a step's name as each step ends (the benchmark times them)."""


@dataclass(frozen=True)
class Checked:
    """Content that passed every rule, and its computed model."""

    content: Content
    model: Model


@dataclass(frozen=True)
class Generated(Checked):
    """Checked content, its model and every file of the docs tree, by path."""

    files: dict[str, bytes]


def _ignore(_step: str) -> None:
    """The default step callback: nothing to report."""


def check_and_compute(
    tree: ContentTree, today: date, on_step: Step = _ignore, cache: ParseCache | None = None
) -> tuple[Checked | None, list[Problem]]:
    """The checked content and its model, or None and every problem found (`cache`: reuse earlier parses)."""
    content, problems = check(tree, today, cache)
    on_step("load + check")
    if content is None:
        return None, problems
    model = compute_model(content, today)
    on_step("model")
    return Checked(content, model), []


def generate(
    tree: ContentTree,
    today: date,
    handbook: Mapping[str, bytes],
    on_step: Step = _ignore,
    draw: ChartDrawer = draw_charts,
    history: History | None = None,
    cache: ParseCache | None = None,
) -> tuple[Generated | None, list[Problem]]:
    """Check, compute and render the docs tree, or None and every problem found.

    `handbook` holds the project's own docs pages by file name; `draw` turns
    chart specs into SVG (the CLI passes one that reuses a cache); `history`
    is the content's git history (read once for the whole tree), if any;
    `cache` reuses the parse of every content file read before.
    """
    checked, problems = check_and_compute(tree, today, on_step, cache)
    if checked is None:
        return None, problems
    files = render_site(checked.model, checked.content, attachments(tree, checked.content), dict(handbook), draw, history)
    on_step("pages + export")
    return Generated(checked.content, checked.model, files), []


def attachments(tree: ContentTree, content: Content) -> dict[str, bytes]:
    """The bytes of every customer's files/, by content path, as the pages carry them."""
    return {path: tree.read(path) for customer in content.customers for path in sorted(customer.attachments)}
