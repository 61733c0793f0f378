"""Who changed which content file, when: the git history of the whole content tree in one pass.

`read_history` runs one `git log --name-status -z` over the content folder
(not one per file) plus a few constant queries for the current version.
Outside a git repository, or without git, the history is empty: a site built
from a plain folder simply shows none. A shallow clone (CI's default depth 1)
holds only the history it fetched.
"""

from __future__ import annotations

import subprocess
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime
from pathlib import Path
from typing import Literal

Action = Literal["added", "modified", "deleted"]
ACTIONS: dict[str, Action] = {"A": "added", "M": "modified", "T": "modified", "D": "deleted"}
COMMIT_START = "\x1e"
FIELD = "\x1f"
LOG_FORMAT = f"{COMMIT_START}%H{FIELD}%aI{FIELD}%aN{FIELD}%s"  # subject last: it may hold anything but NUL


@dataclass(frozen=True)
class Change:
    """One commit's change to one content file."""

    commit: str  # full commit id
    date: datetime  # author date, with the author's UTC offset
    author: str  # author name (.mailmap applied)
    subject: str  # first line of the commit message
    action: Action


@dataclass(frozen=True)
class ContentVersion:
    """Which content a build was made from."""

    commit: str | None  # HEAD's full id; None outside git or before the first commit
    describe: str | None  # `git describe --tags --always`: the nearest tag (fy2026, v1.2-3-gabc1234) or a short id
    dirty: bool  # the content folder has changes that are not committed


NO_VERSION = ContentVersion(commit=None, describe=None, dirty=False)


@dataclass(frozen=True)
class CustomerHistory:
    """The files of one customer (`customers/<id>/...`) and their changes."""

    customer_id: str
    files: Mapping[str, tuple[Change, ...]]  # content path -> changes, newest first

    def changes(self) -> tuple[tuple[Change, str], ...]:
        """Every (change, path) of this customer, newest first (ties by path)."""
        pairs = [(change, path) for path, changes in self.files.items() for change in changes]
        return tuple(sorted(pairs, key=lambda pair: (-pair[0].date.timestamp(), pair[1])))

    @property
    def last_change(self) -> Change | None:
        pairs = self.changes()
        return pairs[0][0] if pairs else None


@dataclass(frozen=True)
class History:
    """Changes per content path (relative to the content folder, as `RecordFile.path`), and the version."""

    files: Mapping[str, tuple[Change, ...]] = field(default_factory=dict)  # newest first
    version: ContentVersion = NO_VERSION

    def of(self, path: str) -> tuple[Change, ...]:
        return self.files.get(path, ())

    def for_customer(self, customer_id: str) -> CustomerHistory:
        prefix = f"customers/{customer_id}/"
        return CustomerHistory(customer_id, {path: changes for path, changes in self.files.items() if path.startswith(prefix)})

    @property
    def in_git(self) -> bool:
        return self.version.commit is not None


def parse_log(output: bytes, content_prefix: str) -> dict[str, tuple[Change, ...]]:
    """Parse `git log -z --name-status --format=LOG_FORMAT`; paths lose `content_prefix` ("content/")."""
    tokens = output.decode("utf-8", "surrogateescape").split("\0")
    files: dict[str, list[Change]] = {}
    commit: tuple[str, datetime, str, str] | None = None
    index = 0
    while index < len(tokens):
        token = tokens[index].lstrip("\n")
        index += 1
        if token.startswith(COMMIT_START):
            sha, when, author, subject = token[1:].split(FIELD, 3)
            commit = (sha, datetime.fromisoformat(when), author, subject)
        elif token and commit is not None and index < len(tokens):
            path = tokens[index]
            index += 1
            action = ACTIONS.get(token[:1])
            if action is None or not path.startswith(content_prefix):
                continue
            files.setdefault(path[len(content_prefix) :], []).append(Change(*commit, action=action))
    return {path: tuple(changes) for path, changes in sorted(files.items())}


def _git(cwd: Path, *args: str) -> bytes | None:
    """stdout, or None when git is missing or fails (no repository, no commits yet)."""
    try:
        result = subprocess.run(["git", "-C", str(cwd), *args], capture_output=True, check=False)
    except (FileNotFoundError, NotADirectoryError):
        return None
    return result.stdout if result.returncode == 0 else None


def read_history(repo: Path, content_dir: Path) -> History:
    """The history of every file under `content_dir` (absolute, or relative to `repo`) and the current version."""
    content = content_dir if content_dir.is_absolute() else repo / content_dir
    probe = content if content.is_dir() else repo
    top_out = _git(probe, "rev-parse", "--show-toplevel")
    if top_out is None:
        return History()
    top = Path(top_out.decode("utf-8", "surrogateescape").strip())
    try:
        inside = content.resolve().relative_to(top.resolve()).as_posix()
    except ValueError:
        return History()
    pathspec = "." if inside == "." else inside
    status = _git(top, "status", "--porcelain", "-z", "--", pathspec)
    dirty = bool(status)
    head = _git(top, "rev-parse", "--verify", "--quiet", "HEAD")
    if head is None:
        return History(version=ContentVersion(commit=None, describe=None, dirty=dirty))
    log = _git(top, "log", "-z", "--no-renames", "--name-status", f"--format={LOG_FORMAT}", "--", pathspec) or b""
    describe = _git(top, "describe", "--tags", "--always")
    return History(
        files=parse_log(log, "" if inside == "." else inside + "/"),
        version=ContentVersion(
            commit=head.decode().strip(),
            describe=describe.decode("utf-8", "replace").strip() if describe else None,
            dirty=dirty,
        ),
    )
