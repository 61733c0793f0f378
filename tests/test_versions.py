"""Versions with mike: deployed into a local branch, no network, no push."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from tests.gitrepo import PROJECT, GitRepo, git_env

AS_OF = "2026-11-23"
pytestmark = pytest.mark.site


def run(repo: GitRepo, *args: str) -> subprocess.CompletedProcess[str]:
    """A command in the repo with the virtualenv's bin first on PATH: mike runs `mkdocs build` itself."""
    env = git_env({"PATH": f"{Path(sys.executable).parent}:/usr/bin:/bin"})
    return subprocess.run(list(args), cwd=repo.root, env=env, capture_output=True, text=True, check=False)


@pytest.fixture(scope="module")
def published(tmp_path_factory: pytest.TempPathFactory) -> GitRepo:
    """The project copied into a fresh repository: built once, then three versions deployed."""
    repo = GitRepo(tmp_path_factory.mktemp("versions") / "repo")
    for name in ("mkdocs.yml", "mkdocs-versions.yml"):
        shutil.copy(PROJECT / name, repo.root / name)
    for name in ("theme", "docs", "content"):
        shutil.copytree(PROJECT / name, repo.root / name)
    (repo.root / ".gitignore").write_text("build/\nsite/\n")
    repo.commit("the content repository")
    for command in (
        ("csvf", "build", "--as-of", AS_OF),
        ("csvf", "publish", "1.0", "--as-of", AS_OF),
        ("csvf", "publish", "fy2026", "--frozen", "--title", "FY2026 as presented", "--as-of", AS_OF),
        ("csvf", "publish", "2.0", "latest", "--default", "latest", "--as-of", AS_OF),
    ):
        result = run(repo, *command)
        assert result.returncode == 0, f"{command}: {result.stdout}{result.stderr}"
    return repo


def test_mike_lists_every_deployed_version_with_its_alias(published: GitRepo) -> None:
    listed = run(published, "mike", "list", "-F", "mkdocs-versions.yml", "--json")
    assert listed.returncode == 0, listed.stderr
    versions = {v["version"]: v for v in json.loads(listed.stdout)}
    assert set(versions) == {"1.0", "fy2026", "2.0"}
    assert versions["2.0"]["aliases"] == ["latest"]
    assert versions["fy2026"]["title"] == "FY2026 as presented"
    plain = run(published, "mike", "list", "-F", "mkdocs-versions.yml").stdout
    assert "2.0 [latest]" in plain and "1.0" in plain


def test_each_version_is_a_whole_site_with_the_version_selector(published: GitRepo) -> None:
    files = published.git("ls-tree", "-r", "--name-only", "gh-pages").splitlines()
    for version in ("1.0", "fy2026", "2.0", "latest"):
        assert f"{version}/index.html" in files
        assert f"{version}/exports/value-files.json" in files
    assert "versions.json" in files and "index.html" in files  # the root opens the default, latest
    page = published.git("show", "gh-pages:1.0/index.html")
    assert '"version": {"provider": "mike"}' in page
    assert "<title>Calder Flow value files" in page  # the company's site name reached mike's build
    assert "url=latest/" in published.git("show", "gh-pages:index.html")


def test_a_frozen_version_is_never_replaced_and_nothing_was_pushed(published: GitRepo) -> None:
    before = published.git("rev-parse", "gh-pages").strip()
    again = run(published, "csvf", "publish", "fy2026", "--frozen", "--as-of", "2026-12-01")
    assert again.returncode == 0, again.stderr
    assert "already published" in again.stdout
    assert published.git("rev-parse", "gh-pages").strip() == before
    assert published.git("remote").strip() == ""  # no remote: nothing could have been pushed
    assert published.git("status", "--porcelain").strip() == ""  # the work tree's branch is untouched


def test_publish_without_the_site_configuration_says_so(tmp_path: Path) -> None:
    """Publish renders its own docs tree; without mkdocs.yml beside the versions file it stops with a message."""
    repo = GitRepo(tmp_path / "repo")
    shutil.copy(PROJECT / "mkdocs-versions.yml", repo.root / "mkdocs-versions.yml")
    shutil.copytree(PROJECT / "content", repo.root / "content")
    result = run(repo, "csvf", "publish", "1.0", "--as-of", AS_OF)
    assert result.returncode == 1
    assert "mkdocs.yml" in result.stderr and "Traceback" not in result.stderr
    assert "gh-pages was left as it was" in result.stderr
