"""A throw-away git repository for tests: commits with fixed authors and dates."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path

PROJECT = Path(__file__).resolve().parent.parent


def git_env(extra: dict[str, str] | None = None) -> dict[str, str]:
    """An environment where no user or system git configuration leaks into a test."""
    env = dict(os.environ)
    env.update(
        GIT_CONFIG_GLOBAL=os.devnull,
        GIT_CONFIG_NOSYSTEM="1",
        GIT_AUTHOR_NAME="Test Author",
        GIT_AUTHOR_EMAIL="author@example.com",
        GIT_COMMITTER_NAME="Test Author",
        GIT_COMMITTER_EMAIL="author@example.com",
    )
    env.update(extra or {})
    return env


class GitRepo:
    """`root` is the work tree; `git(...)` runs in it; `commit` stages everything."""

    def __init__(self, root: Path):
        self.root = root
        root.mkdir(parents=True, exist_ok=True)
        self.git("init", "-q", "-b", "main")

    def git(self, *args: str, env: dict[str, str] | None = None) -> str:
        result = subprocess.run(["git", *args], cwd=self.root, env=git_env(env), capture_output=True, text=True, check=False)
        assert result.returncode == 0, f"git {' '.join(args)}: {result.stderr}"
        return result.stdout

    def commit(self, message: str, *, when: str = "2026-01-05T10:00:00+00:00", author: str = "Test Author") -> str:
        self.git("add", "-A")
        self.git(
            "commit",
            "-q",
            "--allow-empty",
            "-m",
            message,
            env={"GIT_AUTHOR_DATE": when, "GIT_COMMITTER_DATE": when, "GIT_AUTHOR_NAME": author},
        )
        return self.git("rev-parse", "HEAD").strip()

    def copy_project_content(self) -> Path:
        """The shipped example content, copied in as content/."""
        target = self.root / "content"
        shutil.copytree(PROJECT / "content", target)
        return target
