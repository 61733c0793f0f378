"""GitTree: a revision reads exactly like the same files in a folder, through two git processes."""

from __future__ import annotations

import subprocess
from datetime import date
from pathlib import Path

import pytest

from csvf_build.check import check
from csvf_build.content.gittree import GitError, GitTree
from csvf_build.content.tree import FolderTree
from tests.conftest import ContentBuilder
from tests.gitrepo import GitRepo

TODAY = date(2026, 11, 23)


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    return GitRepo(tmp_path / "repo")


def test_a_revision_lists_and_reads_like_the_folder(repo: GitRepo) -> None:
    builder = ContentBuilder(repo.root / "content")
    builder.customer("acme")
    builder.record("acme", "2024-02-01-review.md", "type: meeting\ndate: 2024-02-01\ntitle: Review\nkind: review\nstage: after")
    builder.write("customers/acme/files/plan.pdf", "%PDF-1.4 not really")
    builder.write(".hidden.yaml", "ignored: true\n")
    builder.write("customers/.drafts/x.md", "a draft in a dot-folder\n")
    repo.commit("content")
    folder = FolderTree(builder.root)
    with GitTree(repo.root, "HEAD", "content") as tree:
        assert tree.files() == folder.files()
        assert tree.folders() == folder.folders()
        assert tree.links() == folder.links() == []
        assert ".hidden.yaml" not in tree.files()
        assert all(".drafts" not in path for path in tree.files() + tree.folders())
        for path in folder.files():
            assert tree.read(path) == folder.read(path)
            assert tree.size(path) == folder.size(path)
        assert tree.display("company.yaml") == "content/company.yaml"
        assert tree.label == "content"


def test_symbolic_links_show_as_links_and_fail_the_check(repo: GitRepo) -> None:
    builder = ContentBuilder(repo.root / "content")
    builder.customer("acme")
    (builder.root / "customers/acme/notes.md").symlink_to("/etc/passwd")
    repo.commit("a link")
    with GitTree(repo.root, "HEAD", "content") as tree:
        assert tree.links() == ["customers/acme/notes.md"]
        assert "customers/acme/notes.md" not in tree.files()
        _, problems = check(tree, TODAY)
    assert [(p.file, p.message) for p in problems] == [("content/customers/acme/notes.md", "symbolic links are not allowed in content")]


def test_an_old_revision_is_read_without_touching_the_work_tree(repo: GitRepo) -> None:
    builder = ContentBuilder(repo.root / "content")
    builder.customer("acme", name="Acme Foods Inc.")
    first = repo.commit("first")
    builder.customer("acme", name="Acme Foods Group")
    repo.commit("renamed")
    with GitTree(repo.root, first[:8], "content") as tree:
        assert tree.commit == first
        assert b"Acme Foods Inc." in tree.read("customers/acme/customer.yaml")
    assert "Acme Foods Group" in (builder.root / "customers/acme/customer.yaml").read_text()


def test_the_example_content_checks_the_same_through_git_in_a_constant_number_of_processes(
    repo: GitRepo, monkeypatch: pytest.MonkeyPatch
) -> None:
    content = repo.copy_project_content()
    repo.commit("example content")
    spawned: list[list[str]] = []
    real_popen = subprocess.Popen

    def counting_popen(args: list[str], *rest: object, **kwargs: object) -> subprocess.Popen[bytes]:
        spawned.append(list(args))
        return real_popen(args, *rest, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(subprocess, "Popen", counting_popen)
    with GitTree(repo.root, "HEAD", "content") as tree:
        from_git, git_problems = check(tree, TODAY)
    monkeypatch.setattr(subprocess, "Popen", real_popen)
    from_disk, disk_problems = check(FolderTree(content), TODAY)
    assert git_problems == disk_problems == []
    assert from_git is not None and from_disk is not None
    assert [c.id for c in from_git.customers] == [c.id for c in from_disk.customers]
    assert sum(len(c.records) for c in from_git.customers) == sum(len(c.records) for c in from_disk.customers) > 100
    assert len(spawned) <= 4, spawned  # rev-parse, cat-file -t, ls-tree, one cat-file --batch
    assert sum("--batch" in args for args in spawned) == 1


def test_a_missing_content_folder_is_an_absent_tree_and_a_bad_revision_an_error(repo: GitRepo) -> None:
    (repo.root / "README.md").write_text("no content yet\n")
    repo.commit("empty")
    tree = GitTree(repo.root, "HEAD", "content")
    assert tree.exists is False
    assert tree.files() == []
    with pytest.raises(GitError, match="is not a commit"):
        GitTree(repo.root, "no-such-branch", "content")
    with pytest.raises(GitError, match="not a revision"):
        GitTree(repo.root, "--output=/tmp/x", "content")
    with pytest.raises(GitError, match="is a file"):
        GitTree(repo.root, "HEAD", "README.md")
