"""History: every content file's changes from one `git log`, and the content version."""

from __future__ import annotations

import subprocess
from datetime import datetime, timedelta, timezone
from pathlib import Path

import pytest

from csvf_build.history import History, read_history
from tests.conftest import MEETING, ContentBuilder
from tests.gitrepo import GitRepo

R1 = "customers/acme/records/2024-02-01-review.md"
R2 = "customers/acme/records/2024-03-01-call.md"


@pytest.fixture
def repo(tmp_path: Path) -> GitRepo:
    repo = GitRepo(tmp_path / "repo")
    builder = ContentBuilder(repo.root / "content")
    builder.customer("acme")
    builder.customer("beta", name="Beta Bottling")
    builder.record("acme", "2024-02-01-review.md", MEETING)
    repo.commit("Add acme and beta", when="2026-01-05T10:00:00+00:00", author="Alice Ames")
    builder.record("acme", "2024-02-01-review.md", MEETING.replace("Quarterly review", "Quarterly business review"))
    builder.record("acme", "2024-03-01-call.md", MEETING.replace("2024-02-01", "2024-03-01").replace("review\n", "call\n"))
    repo.commit("Acme: retitle the review | add a call", when="2026-02-01T09:30:00+02:00", author="Bob Brandt")
    repo.git("tag", "v1.0")
    (repo.root / "README.md").write_text("outside the content\n")
    repo.commit("Docs only", when="2026-02-02T09:00:00+00:00")
    (builder.root / R2).unlink()
    repo.commit("Acme: the call was a duplicate", when="2026-03-01T12:00:00+00:00", author="Carol Chen")
    return repo


def test_changes_per_file_newest_first_with_author_date_subject_and_action(repo: GitRepo) -> None:
    history = read_history(repo.root, Path("content"))
    assert [(c.author, c.action, c.subject) for c in history.of(R1)] == [
        ("Bob Brandt", "modified", "Acme: retitle the review | add a call"),
        ("Alice Ames", "added", "Add acme and beta"),
    ]
    assert [(c.author, c.action) for c in history.of(R2)] == [("Carol Chen", "deleted"), ("Bob Brandt", "added")]
    bob = history.of(R1)[0]
    assert bob.date == datetime(2026, 2, 1, 9, 30, tzinfo=timezone(timedelta(hours=2)))
    assert bob.commit == repo.git("rev-parse", "v1.0").strip()
    assert "README.md" not in history.files and "../README.md" not in history.files
    assert set(history.files) == {"company.yaml", "catalog.yaml", "customers/acme/customer.yaml", "customers/beta/customer.yaml", R1, R2}


def test_a_customer_view_holds_only_its_files(repo: GitRepo) -> None:
    acme = read_history(repo.root, Path("content")).for_customer("acme")
    assert set(acme.files) == {"customers/acme/customer.yaml", R1, R2}
    assert [(c.author, path) for c, path in acme.changes()] == [
        ("Carol Chen", R2),
        ("Bob Brandt", R1),
        ("Bob Brandt", R2),
        ("Alice Ames", "customers/acme/customer.yaml"),
        ("Alice Ames", R1),
    ]
    assert acme.last_change is not None and acme.last_change.author == "Carol Chen"
    assert read_history(repo.root, Path("content")).for_customer("nobody").changes() == ()


def test_the_version_names_the_nearest_tag_and_whether_content_is_dirty(repo: GitRepo) -> None:
    head = repo.git("rev-parse", "HEAD").strip()
    version = read_history(repo.root, Path("content")).version
    assert version.commit == head
    assert version.describe == f"v1.0-2-g{repo.git('rev-parse', '--short', 'HEAD').strip()}"
    assert version.dirty is False
    (repo.root / "README.md").write_text("edited outside the content\n")
    assert read_history(repo.root, Path("content")).version.dirty is False
    (repo.root / "content/customers/acme/notes.md").write_text("An untracked note.\n")
    assert read_history(repo.root / "content", repo.root / "content").version.dirty is True


def test_one_git_log_for_the_whole_tree(repo: GitRepo, monkeypatch: pytest.MonkeyPatch) -> None:
    calls: list[list[str]] = []
    real_run = subprocess.run

    def counting_run(args: list[str], *rest: object, **kwargs: object) -> subprocess.CompletedProcess[bytes]:
        calls.append(list(args))
        return real_run(args, *rest, **kwargs)  # type: ignore[call-overload, no-any-return]

    monkeypatch.setattr(subprocess, "run", counting_run)
    history = read_history(repo.root, Path("content"))
    assert len(history.files) == 6
    assert sum("log" in args for args in calls) == 1
    assert len(calls) <= 5


def test_outside_git_the_history_is_empty(tmp_path: Path) -> None:
    builder = ContentBuilder(tmp_path / "plain" / "content")
    history = read_history(tmp_path / "plain", Path("content"))
    assert history == History()
    assert history.in_git is False and history.of("company.yaml") == ()
    assert read_history(tmp_path / "missing", builder.root / "nope").files == {}


def test_a_repository_without_commits_has_no_history_but_dirty_content(tmp_path: Path) -> None:
    repo = GitRepo(tmp_path / "repo")
    ContentBuilder(repo.root / "content")
    history = read_history(repo.root, Path("content"))
    assert history.files == {} and history.version.commit is None and history.version.dirty is True
