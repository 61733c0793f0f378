"""Each customer's results reused between builds (`csvf_build/memo.py`): a reused build is a clean build, byte for byte.

Every test builds the example content once with the memo (filling it),
edits the content, builds again with the same memo and compares every file
of the docs tree with a build that uses no memo at all. The edits are the
ones that reach other customers' pages (a revenue change moves every
portfolio share), the shared files (company and catalog), the build date
and the yearly packs.
"""

from __future__ import annotations

import shutil
from collections.abc import Callable
from datetime import date
from pathlib import Path
from typing import Any

import pytest

from csvf_build.content.parsecache import FileDigests
from csvf_build.content.tree import FolderTree
from csvf_build.memo import Memo
from csvf_build.pipeline import Generated, content_digests, customer_memo, generate

REPO = Path(__file__).resolve().parent.parent
TODAY = date(2026, 11, 23)


def build(
    root: Path, cache: Path | None, today: date = TODAY, packs: bool = False, held: dict[Path, Any] | None = None
) -> tuple[Generated, Memo | None]:
    tree = FolderTree(root)
    memo = None
    if cache is not None:
        memo = customer_memo(cache / "customers", today, content_digests(tree, FileDigests(cache / "digests", tree.label)))
        if held is not None:
            memo.held = held
    generated, problems = generate(tree, today, {}, packs=packs, memo=memo)
    assert generated is not None, [p.as_text() for p in problems]
    return generated, memo


def replace(path: Path, old: str, new: str) -> None:
    text = path.read_text(encoding="utf-8")
    assert old in text, f"{old!r} not in {path}"
    path.write_text(text.replace(old, new, 1), encoding="utf-8")


def differing(a: Generated, b: Generated) -> list[str]:
    assert a.files.keys() == b.files.keys()
    return [path for path in a.files if a.files[path] != b.files[path]]


KEPT = ("altona-sugar", "bluecrest-bottling", "corvane-auto", "harbor-foods", "tamarack-paper")  # a third of the example: quicker


@pytest.fixture(scope="module")
def filled(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path, Generated]:
    """Part of the example content, built once with the memo: the content, the filled cache and what it built."""
    root = tmp_path_factory.mktemp("memo") / "content"
    shutil.copytree(
        REPO / "content", root, ignore=lambda folder, names: [n for n in names if folder.endswith("customers") and n not in KEPT]
    )
    cache = root.parent / "cache"
    generated, _ = build(root, cache)
    return root, cache, generated


@pytest.fixture
def content(filled: tuple[Path, Path, Generated], tmp_path: Path) -> Path:
    """A copy of the filled content and its cache (`cache` beside it), for one test to edit."""
    shutil.copytree(filled[0], tmp_path / "content")
    shutil.copytree(filled[1], tmp_path / "cache")
    return tmp_path / "content"


def first_record(root: Path, customer: str) -> Path:
    return sorted((root / "customers" / customer / "records").glob("*.md"))[0]


EDITS: dict[str, Callable[[Path], None]] = {
    "a record's title": lambda root: replace(first_record(root, "harbor-foods"), "\ntitle: ", "\ntitle: Revised "),
    # Harbor's revenue moves every customer's revenue share, and so the over-servicing notices of others.
    "one customer's revenue": lambda root: replace(root / "customers/harbor-foods/customer.yaml", "2027: 500000", "2027: 50000000"),
    "the company file": lambda root: replace(root / "company.yaml", "over_servicing_ratio: 2.0", "over_servicing_ratio: 1.1"),
    "a pack reference": lambda root: replace(
        root / "customers/corvane-auto/records/2026-03-10-value-presentation-fy2026.md", "pack: 81b7ef442bf4", "pack: 000000000000"
    ),
    "a customer removed": lambda root: shutil.rmtree(root / "customers/tamarack-paper"),
}


@pytest.mark.parametrize("edit", EDITS, ids=list(EDITS))
def test_a_reused_build_after_an_edit_equals_a_clean_build(
    filled: tuple[Path, Path, Generated], content: Path, tmp_path: Path, edit: str
) -> None:
    EDITS[edit](content)
    reused, memo = build(content, tmp_path / "cache")
    clean, _ = build(content, None)
    assert memo is not None
    assert differing(reused, clean) == []
    before = filled[2]
    assert differing(before, clean) if edit != "a customer removed" else before.files.keys() != clean.files.keys()
    if edit == "the company file":
        assert memo.stats.reused == 0  # every customer's figures read it
    else:
        assert memo.stats.reused > 0  # the memo was really used


def test_one_record_changed_recomputes_one_customer(content: Path, tmp_path: Path) -> None:
    EDITS["a record's title"](content)
    _, memo = build(content, tmp_path / "cache")
    assert memo is not None
    # figures, charts, value file, packs and export figures: five results for Harbor Foods, every other customer's reused
    assert memo.stats.made == 5
    assert memo.stats.reused == 5 * len(KEPT) - 5


def test_the_revenue_shares_reach_other_customers_pages(filled: tuple[Path, Path, Generated], content: Path, tmp_path: Path) -> None:
    """Harbor's revenue a hundredfold: the others' revenue shares shrink, and some of them become over-serviced."""
    EDITS["one customer's revenue"](content)
    after, memo = build(content, tmp_path / "cache")
    before = filled[2]

    def over_serviced(generated: Generated) -> set[str]:
        pages = {path.split("/")[1]: data for path, data in generated.files.items() if path.endswith("/index.md") and "/" in path[10:]}
        return {customer for customer, page in pages.items() if b"Over-serviced in FY" in page}

    flipped = over_serviced(before) ^ over_serviced(after)
    changed = {path.split("/")[1] for path in differing(before, after) if path.startswith("customers/") and path.endswith("/index.md")}
    assert flipped - {"harbor-foods"}, "the edit should move another customer's over-servicing notice"
    assert flipped <= changed
    assert memo is not None and memo.stats.made > 5


def test_another_build_date_reuses_nothing(content: Path, tmp_path: Path) -> None:
    later, memo = build(content, tmp_path / "cache", today=date(2026, 11, 24))
    clean, _ = build(content, None, today=date(2026, 11, 24))
    assert memo is not None and memo.stats.reused == 0
    assert differing(later, clean) == []


def test_reused_packs_equal_clean_packs(content: Path, tmp_path: Path) -> None:
    build(content, tmp_path / "cache", packs=True)  # the filled memo was made without pack files
    EDITS["a pack reference"](content)
    reused, memo = build(content, tmp_path / "cache", packs=True)
    clean, _ = build(content, None, packs=True)
    assert memo is not None and memo.stats.reused > 0
    assert any(path.endswith(".pdf") for path in clean.files)
    assert differing(reused, clean) == []


def test_a_damaged_entry_is_made_again(content: Path, tmp_path: Path) -> None:
    entries = sorted((tmp_path / "cache" / "customers").rglob("*.pickle"))
    assert entries
    for path in entries:
        path.write_bytes(b"not a pickle")
    again, memo = build(content, tmp_path / "cache")
    clean, _ = build(content, None)
    assert memo is not None and memo.stats.reused == 0
    assert differing(again, clean) == []


def test_a_preview_holds_every_customer_in_memory_between_builds(content: Path, tmp_path: Path) -> None:
    """`csvf serve` keeps one dict for all its builds: an unchanged customer costs a lookup, not a file read."""
    held: dict[Path, Any] = {}
    build(content, tmp_path / "cache", held=held)
    assert len(held) == 5 * len(KEPT)
    shutil.rmtree(tmp_path / "cache" / "customers")  # nothing left on disk: what is reused comes from memory
    EDITS["a record's title"](content)
    again, memo = build(content, tmp_path / "cache", held=held)
    clean, _ = build(content, None)
    assert memo is not None and memo.stats.made == 5 and memo.stats.reused == 0
    assert differing(again, clean) == []
    assert len(held) == 5 * len(KEPT)  # Harbor's results before the edit were let go
