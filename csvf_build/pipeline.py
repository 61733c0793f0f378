"""The build pipeline, put together once: load and check, compute, render.

The CLI (check, build, serve), the benchmark and the tests all call these
functions, so there is one order of steps and one way to gather what the
pages need. Pure: content comes from a `ContentTree`, the result is values
(the docs tree as path to bytes); writing it and running an engine is
`site.py`'s job.
"""

from __future__ import annotations

import functools
import hashlib
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import date
from importlib.metadata import version
from pathlib import Path

from csvf_build import __version__
from csvf_build.charts.cache import draw_charts
from csvf_build.check import check
from csvf_build.content.load import Content
from csvf_build.content.parsecache import FileDigests, ParseCache
from csvf_build.content.tree import ContentTree, FolderTree
from csvf_build.history import History
from csvf_build.memo import Memo, Remember, fresh
from csvf_build.model.compute import Model, compute_model
from csvf_build.present.on_site import site_packs
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
    warnings: tuple[str, ...] = ()  # worth saying, not worth stopping for: what the PDF engine warned about


def _ignore(_step: str) -> None:
    """The default step callback: nothing to report."""


def check_and_compute(
    tree: ContentTree, today: date, on_step: Step = _ignore, cache: ParseCache | None = None, remember: Remember = fresh
) -> tuple[Checked | None, list[Problem]]:
    """The checked content and its model, or None and every problem found.

    `cache` reuses earlier parses; `remember` each customer's figures computed from the same files.
    """
    content, problems = check(tree, today, cache)
    on_step("load + check")
    if content is None:
        return None, problems
    model = compute_model(content, today, remember)
    on_step("model")
    return Checked(content, model), []


def generate(
    tree: ContentTree,
    today: date,
    handbook: Mapping[str, bytes],
    on_step: Step = _ignore,
    draw: ChartDrawer = draw_charts,
    history: History | None = None,
    packs: bool = False,
    cache: ParseCache | None = None,
    memo: Memo | None = None,
) -> tuple[Generated | None, list[Problem]]:
    """Check, compute and render the docs tree, or None and every problem found.

    `handbook` holds the project's own docs pages by file name; `draw` turns
    chart specs into SVG (the CLI passes one that reuses a cache); `history`
    is the content's git history (read once for the whole tree), if any;
    `packs` lays out the yearly pack (PDF) of every customer that needs one;
    `cache` reuses the parse of every content file read before; `memo` each
    customer's figures, charts, page and packs made from the same inputs.
    """
    remember: Remember = memo if memo is not None else fresh
    checked, problems = check_and_compute(tree, today, on_step, cache, remember)
    if checked is None:
        return None, problems
    yearly_packs, problems = site_packs(tree, checked.content, checked.model, make_files=packs, drawer=draw, remember=remember)
    if problems:
        return None, problems
    if packs:
        on_step("packs")
    files = render_site(
        checked.model, checked.content, attachments(tree, checked.content), dict(handbook), draw, history, yearly_packs, remember
    )
    on_step("pages + export")
    if memo is not None:
        memo.prune()
    return Generated(checked.content, checked.model, files, tuple(yearly_packs.warnings)), []


def attachments(tree: ContentTree, content: Content) -> dict[str, bytes]:
    """The bytes of every customer's files/, by content path, as the pages carry them."""
    return {path: tree.read(path) for customer in content.customers for path in sorted(customer.attachments)}


@functools.cache
def code_salt() -> str:
    """csvf's own code and templates and the libraries that shape its output: a change to any of them is a new build."""
    root = Path(__file__).resolve().parent
    digest = hashlib.sha256(__version__.encode())
    for path in sorted(p for p in root.rglob("*") if p.is_file() and "__pycache__" not in p.parts):
        digest.update(str(path.relative_to(root)).encode() + b"\0" + path.read_bytes())
    for name in ("jinja2", "markupsafe", "matplotlib", "markdown", "nh3", "pydantic", "PyYAML", "typst"):
        digest.update(f"{name} {version(name)}".encode())
    return digest.hexdigest()


def content_digests(tree: FolderTree, digests: FileDigests) -> dict[str, str]:
    """The SHA-256 of every content file, by content path (a file with an unchanged stat signature is not read again).

    Raises OSError when a file cannot be read (the check then reports it properly).
    """
    found = {path: digests.digest(path, tree.signature(path), functools.partial(tree.read, path)) for path in tree.files()}
    digests.save()
    return found


def inputs_key(
    tree: FolderTree, today: date, handbook: Mapping[str, bytes], history: History | None, digests: Mapping[str, str], packs: bool = False
) -> str:
    """A hash of everything `generate` reads: every content file (`digests`, from `content_digests`), the build date,
    the handbook, the git history, csvf itself, and whether it makes the yearly packs.

    `generate` is a pure function of these, so a docs tree made from the same
    key is the docs tree it would make again.
    """
    digest = hashlib.sha256(code_salt().encode())

    def add(*parts: str | bytes) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape")
            digest.update(len(data).to_bytes(8, "little") + data)

    add(tree.label, today.isoformat(), repr(history), f"packs={packs}")
    add(repr(tree.folders()), repr(tree.links()), repr(tree.special_files()))
    for path in tree.files():
        add(path, digests[path])
    for name, data in sorted(handbook.items()):
        add(name, data)
    return digest.hexdigest()


def customer_memo(folder: Path, today: date, digests: Mapping[str, str]) -> Memo:
    """Each customer's results kept in `folder`, for this build date (see `csvf_build/memo.py`).

    Where the content folder lies is no part of the key: no page shows it (pages name files by the folder's own name).
    """
    return Memo(folder, digests, f"{code_salt()}\0{today.isoformat()}")
