"""Caches between runs: a cached run reports and builds exactly what a clean run does.

The parse cache (`content/parsecache.py`) stores each record's parse with its
problems; these tests compare cached runs with runs that use no cache at all.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import time
from datetime import date
from pathlib import Path

import pytest

from csvf_build.check import check
from csvf_build.content.parsecache import RACY_SECONDS, ParseCache
from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import generate
from tests.conftest import MEETING, ContentBuilder
from tests.test_site import AS_OF, csvf, make_project

TODAY = date(2026, 6, 30)


def broken_content(root: Path) -> ContentBuilder:
    """Valid records beside each kind of broken one the loader reports."""
    content = ContentBuilder(root)
    content.customer("acme")
    content.record("acme", "2024-02-01-review.md", MEETING, "We met. See [the plan](missing.pdf).\n")
    content.record("acme", "2024-03-01-bad-type.md", MEETING.replace("type: meeting", "type: party"))
    content.record("acme", "2024-04-01-bad-yaml.md", "type: meeting\ndate: [2024-04-01\n")
    content.record("acme", "2024-05-01-bad-date.md", MEETING.replace("2024-02-01", "2024-02-30"))
    content.write("customers/acme/records/2024-06-01-no-front.md", "Just text.\n")
    (root / "customers/acme/records/2024-07-01-latin1.md").write_bytes(b"---\ntype: meeting\ntitle: caf\xe9\n---\n")
    return content


def cached_check(root: Path, cache_dir: Path) -> tuple[list[str], ParseCache]:
    tree = FolderTree(root)
    cache = ParseCache(cache_dir, tree.label)
    _, problems = check(tree, TODAY, cache)
    return [p.as_text() for p in problems], cache


def clean_check(root: Path) -> list[str]:
    return [p.as_text() for p in check(FolderTree(root), TODAY)[1]]


def age(root: Path) -> None:
    """Date every file back past the racy window, as if written well before the last run."""
    old = time.time() - 10 * RACY_SECONDS
    for path in root.rglob("*"):
        os.utime(path, (old, old))


def test_cached_runs_report_every_problem_a_clean_run_does(tmp_path: Path) -> None:
    content = broken_content(tmp_path / "content")
    age(content.root)
    clean = clean_check(content.root)
    assert len(clean) >= 5
    first, cold = cached_check(content.root, tmp_path / "cache")
    second, warm = cached_check(content.root, tmp_path / "cache")
    assert first == clean and second == clean
    assert cold.hits == 0 and cold.misses == 6
    assert warm.hits == 6 and warm.misses == 0


def test_an_edited_record_is_parsed_again(tmp_path: Path) -> None:
    content = broken_content(tmp_path / "content")
    age(content.root)
    cached_check(content.root, tmp_path / "cache")
    content.record("acme", "2024-03-01-bad-type.md", MEETING.replace("2024-02-01", "2024-03-01"))  # fixed, same size or not
    again, cache = cached_check(content.root, tmp_path / "cache")
    assert again == clean_check(content.root)
    assert cache.misses == 1
    assert not any("party" in line for line in again)


def test_a_file_saved_within_the_same_clock_tick_is_read_again(tmp_path: Path) -> None:
    content = broken_content(tmp_path / "content")
    cached_check(content.root, tmp_path / "cache")
    path = content.root / "customers/acme/records/2024-05-01-bad-date.md"
    stat = path.stat()
    path.write_text(path.read_text().replace("2024-02-30", "2024-02-28"))  # same size
    os.utime(path, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same modification time
    again, _ = cached_check(content.root, tmp_path / "cache")
    assert again == clean_check(content.root)
    assert not any("2024-02-30" in line for line in again)


def test_cached_and_clean_docs_trees_are_identical(tmp_path: Path) -> None:
    content = ContentBuilder(tmp_path / "content")
    content.customer("acme")
    content.customer("bolt", name="Bolt Works")
    content.record("acme", "2024-02-01-review.md", MEETING)
    content.record("bolt", "2024-03-01-review.md", MEETING.replace("2024-02-01", "2024-03-01"), "A **bold** start.\n")
    tree = FolderTree(content.root)
    for _ in range(2):
        cached, problems = generate(FolderTree(content.root), TODAY, {}, cache=ParseCache(tmp_path / "cache", tree.label))
        assert cached is not None, problems
    clean, _ = generate(FolderTree(content.root), TODAY, {})
    assert clean is not None
    assert cached.files == clean.files


def built(project: Path, env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """`csvf build` in `project`, which must succeed."""
    result = csvf("build", "--as-of", AS_OF, cwd=project, env=env)
    assert result.returncode == 0, result.stdout + result.stderr
    return result


def site_files(site: Path) -> dict[str, bytes]:
    return {str(p.relative_to(site)): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


@pytest.mark.site
def test_cached_and_clean_builds_give_the_same_site(tmp_path: Path) -> None:
    """Build, rebuild unchanged, edit a record and add a customer, rebuild: the whole site/ equals a clean build's."""
    project = make_project(tmp_path / "cached")
    env = {"CSVF_CACHE_DIR": str(tmp_path / "cache")}
    built(project, env)
    again = built(project, env)
    assert "the site was kept as it was" in again.stdout
    assert "nothing it is made from changed" in again.stdout
    record = sorted((project / "content/customers/harbor-foods/records").glob("*.md"))[0]
    record.write_text(record.read_text(encoding="utf-8").replace("\ntitle: ", "\ntitle: Revised ", 1), encoding="utf-8")
    finished = set((tmp_path / "cache" / "pages" / "html").rglob("*.pickle"))
    built(project, env)
    rendered = set((tmp_path / "cache" / "pages" / "html").rglob("*.pickle")) - finished
    pages = len(list((project / "site").rglob("*.html")))
    # The theme's template ran again only for the pages whose Markdown changed (the value file, the pages
    # that list records or customers); every other page's finished HTML was reused, in a new staging folder.
    assert 0 < len(rendered) <= 12 < pages, (len(rendered), pages)
    shutil.copytree(project / "content/customers/harbor-foods", project / "content/customers/harbor-foods-two")
    edited = built(project, env)
    assert "kept as it was" not in edited.stdout

    cached_site, clean_site = site_files(project / "site"), clean_site_of(project, tmp_path)
    assert cached_site.keys() == clean_site.keys()
    assert [path for path in cached_site if cached_site[path] != clean_site[path]] == []
    assert b"Revised " in cached_site["customers/harbor-foods/index.html"]


def clean_site_of(project: Path, tmp_path: Path) -> dict[str, bytes]:
    """The site a build of a copy of `project` makes with no cache but the drawn charts."""
    clean_project = tmp_path / "clean"
    clean_project.mkdir()
    for name in ("mkdocs.yml", "theme", "docs", "content"):
        source = project / name
        (shutil.copytree if source.is_dir() else shutil.copy)(source, clean_project / name)
    # Only the drawn charts are shared (their own cache has its own tests): parses, pages and the site start empty.
    shutil.copytree(tmp_path / "cache" / "charts", tmp_path / "clean-cache" / "charts")
    clean = csvf("build", "--as-of", AS_OF, cwd=clean_project, env={"CSVF_CACHE_DIR": str(tmp_path / "clean-cache")})
    assert clean.returncode == 0, clean.stdout + clean.stderr
    return site_files(clean_project / "site")


@pytest.mark.site
def test_a_changed_navigation_renders_every_page_again(tmp_path: Path) -> None:
    """Every page carries the navigation: a renamed entry must reach pages whose own Markdown did not change."""
    project = make_project(tmp_path / "cached")
    env = {"CSVF_CACHE_DIR": str(tmp_path / "cache")}
    built(project, env)
    assert b"Service catalog" in (project / "site/customers/harbor-foods/index.html").read_bytes()
    config = project / "mkdocs.yml"
    config.write_text(config.read_text(encoding="utf-8").replace("- Service catalog:", "- Our services:"), encoding="utf-8")
    built(project, env)
    cached_site = site_files(project / "site")
    assert b"Our services" in cached_site["customers/harbor-foods/index.html"]
    clean_site = clean_site_of(project, tmp_path)
    assert cached_site.keys() == clean_site.keys()
    assert [path for path in cached_site if cached_site[path] != clean_site[path]] == []


def test_csvf_check_remembers_a_pass_but_never_a_problem(tmp_path: Path) -> None:
    content = ContentBuilder(tmp_path / "content")
    content.customer("acme")
    record = content.record("acme", "2024-02-01-review.md", MEETING)
    env = {"CSVF_CACHE_DIR": str(tmp_path / "cache")}
    for _ in range(2):
        passed = csvf("check", "--content", str(content.root), "--as-of", "2026-06-30", cwd=tmp_path, env=env)
        assert passed.returncode == 0 and "OK 1 customers, 1 records" in passed.stdout, passed.stdout + passed.stderr
    record.write_text(record.read_text(encoding="utf-8").replace("type: meeting", "type: party"), encoding="utf-8")
    for _ in range(2):
        broken = csvf("check", "--content", str(content.root), "--as-of", "2026-06-30", cwd=tmp_path, env=env)
        assert broken.returncode == 1 and "unknown record type 'party'" in broken.stderr, broken.stdout + broken.stderr
    record.write_text(record.read_text(encoding="utf-8").replace("type: party", "type: meeting"), encoding="utf-8")
    fixed = csvf("check", "--content", str(content.root), "--as-of", "2026-06-30", cwd=tmp_path, env=env)
    assert fixed.returncode == 0, fixed.stdout + fixed.stderr
