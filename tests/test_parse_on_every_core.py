"""Records parsed on every core give what a serial parse gives: the same problems in the same order, the same content.

A cold `csvf check` of a large tree parses records in a pool of workers
(`content/parallel.py`); these tests lower the threshold so that a small tree
takes that path, and compare it with a serial run, with and without the parse cache.
"""

from __future__ import annotations

import subprocess
import sys
import time
from datetime import date
from pathlib import Path

import pytest

from csvf_build.content import load, parallel
from csvf_build.content.load import read_content
from csvf_build.content.parsecache import ParseCache
from csvf_build.content.tree import FolderTree
from tests.conftest import MEETING, ContentBuilder
from tests.test_build_cache import age

TODAY = date(2026, 6, 30)


def mixed_content(root: Path) -> ContentBuilder:
    """Two customers with valid records beside each kind of broken one, enough of them to be split among workers."""
    content = ContentBuilder(root)
    for cid in ("acme", "bolt"):
        content.customer(cid)
        for day in range(1, 13):
            content.record(cid, f"2024-02-{day:02d}-review.md", MEETING.replace("2024-02-01", f"2024-02-{day:02d}"), f"Met **{day}**.\n")
        content.record(cid, "2024-03-01-bad-type.md", MEETING.replace("type: meeting", "type: party"))
        content.record(cid, "2024-04-01-bad-yaml.md", "type: meeting\ndate: [2024-04-01\n")
        content.record(cid, "2024-05-01-bad-date.md", MEETING.replace("2024-02-01", "2024-02-30"), "See [the plan](missing.pdf).\n")
        content.write(f"customers/{cid}/records/2024-06-01-no-front.md", "Just text.\n")
        (root / f"customers/{cid}/records/2024-07-01-latin1.md").write_bytes(b"---\ntype: meeting\ntitle: caf\xe9\n---\n")
    return content


def seen(root: Path, cache: ParseCache | None = None) -> tuple[list[str], list[tuple[str, str, str, int]]]:
    """Every problem in the loader's order, and each customer's records as the pages see them."""
    loaded, problems = read_content(FolderTree(root), cache)
    records = [(c.id, r.path, r.anchor, len(r.body.html)) for c in loaded.customers for r in c.records]
    return [p.as_text() for p in problems], records


@pytest.fixture
def pooled(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(load, "PARALLEL_FROM", 4)
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "idle_cores", lambda: 2.0)


def serial(root: Path) -> tuple[list[str], list[tuple[str, str, str, int]]]:
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(load, "PARALLEL_FROM", 10**9)
        return seen(root)


@pytest.mark.usefixtures("pooled")
def test_a_pooled_parse_reports_and_loads_what_a_serial_one_does(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    content = mixed_content(tmp_path / "content")
    expected = serial(content.root)
    assert len(expected[0]) >= 8 and len(expected[1]) == 24
    pooled_sizes: list[int] = []
    original = load.ordered_map
    monkeypatch.setattr(load, "ordered_map", lambda f, items, n: pooled_sizes.append(len(items)) or original(f, items, n))
    assert seen(content.root) == expected
    assert pooled_sizes == [34]


@pytest.mark.usefixtures("pooled")
def test_a_pooled_cold_run_fills_the_cache_a_warm_run_replays(tmp_path: Path) -> None:
    content = mixed_content(tmp_path / "content")
    age(content.root)
    expected = serial(content.root)
    cold = ParseCache(tmp_path / "cache", FolderTree(content.root).label)
    assert seen(content.root, cold) == expected
    assert cold.misses == 34 and cold.hits == 0
    warm = ParseCache(tmp_path / "cache", FolderTree(content.root).label)
    assert seen(content.root, warm) == expected
    assert warm.hits == 34 and warm.misses == 0


def test_one_changed_record_rewrites_only_its_customers_shard(tmp_path: Path) -> None:
    content = mixed_content(tmp_path / "content")
    age(content.root)
    label = FolderTree(content.root).label
    seen(content.root, ParseCache(tmp_path / "cache", label))
    shards = {p: p.stat().st_mtime_ns for p in (tmp_path / "cache").rglob("*.pickle")}
    assert len(shards) == 3  # one per customer, and one for the shipped training pages
    content.record("bolt", "2024-03-01-bad-type.md", MEETING.replace("2024-02-01", "2024-03-01"))
    again = ParseCache(tmp_path / "cache", label)
    assert seen(content.root, again) == serial(content.root)
    assert again.misses == 1
    rewritten = [p for p, mtime in shards.items() if p.stat().st_mtime_ns != mtime]
    assert len(rewritten) == 1


def test_a_removed_customers_shard_is_removed(tmp_path: Path) -> None:
    content = mixed_content(tmp_path / "content")
    label = FolderTree(content.root).label
    seen(content.root, ParseCache(tmp_path / "cache", label))
    for path in sorted((content.root / "customers/bolt").rglob("*"), reverse=True):
        path.unlink() if path.is_file() else path.rmdir()
    (content.root / "customers/bolt").rmdir()
    seen(content.root, ParseCache(tmp_path / "cache", label))
    assert len(list((tmp_path / "cache").rglob("*.pickle"))) == 2  # acme's and the shipped training pages'


def test_ordered_map_keeps_the_order_of_its_items(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(parallel, "cores", lambda: 2)
    monkeypatch.setattr(parallel, "idle_cores", lambda: 2.0)
    items = list(range(50))
    assert parallel.ordered_map(lambda n: n * n, items, parallel_from=10) == [n * n for n in items]


WORKER = """
import os, sys, time
from pathlib import Path
from csvf_build.content import parallel
parallel.cores = lambda: 2
parallel.idle_cores = lambda: 2.0
def slow(n):
    Path(sys.argv[1], str(os.getpid())).touch()
    time.sleep(60)
    return n
parallel.ordered_map(slow, list(range(8)), parallel_from=2)
"""


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="workers die with their parent through Linux's PR_SET_PDEATHSIG")
def test_a_killed_parent_leaves_no_worker_running(tmp_path: Path) -> None:
    parent = subprocess.Popen([sys.executable, "-c", WORKER, str(tmp_path)])
    try:
        deadline = time.monotonic() + 60
        while len(list(tmp_path.iterdir())) < 2 and time.monotonic() < deadline:
            time.sleep(0.1)
        workers = [int(p.name) for p in tmp_path.iterdir()]
        assert len(workers) == 2
    finally:
        parent.kill()
        parent.wait()
    deadline = time.monotonic() + 10
    while any(_running(pid) for pid in workers) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert not any(_running(pid) for pid in workers)


def _running(pid: int) -> bool:
    """Whether `pid` is a live process (a zombie, dead but not yet reaped by init, is not)."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().split(") ", 1)[1][0] != "Z"
    except (OSError, IndexError):
        return False


def test_a_cached_customer_yaml_reports_what_a_fresh_read_does(tmp_path: Path) -> None:
    content = mixed_content(tmp_path / "content")
    path = content.root / "customers/acme/customer.yaml"
    path.write_text(path.read_text().replace("tier: ", "tier: [unclosed ", 1))
    age(content.root)
    label = FolderTree(content.root).label
    expected = serial(content.root)
    assert any("customer.yaml" in line for line in expected[0])
    for _ in range(2):
        assert seen(content.root, ParseCache(tmp_path / "cache", label)) == expected
    path.write_text(path.read_text().replace("tier: [unclosed ", "tier: ", 1))
    fixed = seen(content.root, ParseCache(tmp_path / "cache", label))
    assert fixed == serial(content.root)
    assert not any("customer.yaml" in line for line in fixed[0])
