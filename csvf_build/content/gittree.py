"""Content at a git revision, read through git itself: no checkout, no temporary files.

A `GitTree` satisfies the `ContentTree` protocol (tree.py), so the loader and
the checker read a revision exactly as they read a folder. Two git processes
per revision, whatever the number of files: `git ls-tree -r -t -z -l` lists
paths, modes and sizes once, and one long-running `git cat-file --batch`
serves every read.
"""

from __future__ import annotations

import subprocess
import weakref
from dataclasses import dataclass
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import IO

SYMLINK_MODE = "120000"
GITLINK_MODE = "160000"  # a submodule: never content, reported like a link


class GitError(Exception):
    """git could not do what was asked; `hint` says what to try."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def run_git(repo: Path, *args: str, input: bytes | None = None) -> bytes:
    """stdout of `git -C repo args...`; a failure raises `GitError` with git's own message."""
    try:
        result = subprocess.run(["git", "-C", str(repo), *args], input=input, capture_output=True, check=False)
    except FileNotFoundError:
        raise GitError("git is not installed", "install git, or run this command where git is on PATH") from None
    if result.returncode != 0:
        message = result.stderr.decode("utf-8", "replace").strip().removeprefix("fatal: ")
        raise GitError(f"git {args[0]}: {message or 'failed'}")
    return result.stdout


def repo_root(path: Path) -> Path:
    """The top folder of the git work tree holding `path` (which may not exist yet)."""
    probe = path if path.is_dir() else path.parent
    while not probe.exists():
        probe = probe.parent
    try:
        top = run_git(probe, "rev-parse", "--show-toplevel")
    except GitError:
        raise GitError(f"'{path}' is not inside a git repository", "run csvf diff in a clone of the content repository") from None
    return Path(top.decode("utf-8").strip())


def resolve_commit(repo: Path, revision: str) -> str:
    """The full commit id `revision` names (a branch, tag, `HEAD~2`, a short id)."""
    if revision.startswith("-"):
        raise GitError(f"'{revision}' is not a revision", "name a branch, a tag or a commit, like main or HEAD~1")
    try:
        return run_git(repo, "rev-parse", "--verify", "--quiet", "--end-of-options", f"{revision}^{{commit}}").decode().strip()
    except GitError:
        raise GitError(
            f"'{revision}' is not a commit in {repo}",
            "name a branch, a tag or a commit; in a shallow CI clone fetch more history (fetch-depth: 0)",
        ) from None


@dataclass(frozen=True)
class _Entry:
    mode: str
    object_id: str
    size: int


class GitTree:
    """The content folder `content_dir` at one commit; `repo` is the top folder of the work tree."""

    def __init__(self, repo: Path, revision: str, content_dir: str = "content"):
        self.repo = repo
        self.revision = revision
        self.commit = resolve_commit(repo, revision)
        self.content_dir = PurePosixPath(content_dir).as_posix().strip("/")
        if self.content_dir == ".":
            self.content_dir = ""
        self.label = self.content_dir or PurePosixPath(repo).name
        self._entries: dict[str, _Entry] = {}
        self._files: list[str] = []
        self._folders: list[str] = []
        self._links: list[str] = []
        self.exists = self._list()
        self._process: subprocess.Popen[bytes] | None = None
        self._finalizer: weakref.finalize | None = None

    def _list(self) -> bool:
        """Read the listing once; False when the content folder is absent at this commit."""
        spec = f"{self.commit}:{self.content_dir}" if self.content_dir else self.commit
        kind = subprocess.run(["git", "-C", str(self.repo), "cat-file", "-t", spec], capture_output=True, check=False)
        if kind.returncode != 0:
            return False
        if kind.stdout.strip() != b"tree":
            raise GitError(f"'{self.content_dir}' is a file at {self.revision}, not a folder", "pass the content folder with --content DIR")
        listing = run_git(self.repo, "ls-tree", "-r", "-t", "-z", "-l", spec)
        for item in listing.split(b"\0"):
            if not item:
                continue
            meta, _, raw_path = item.partition(b"\t")
            mode, kind_name, object_id, size = meta.split()
            path = raw_path.decode("utf-8", "surrogateescape")
            if any(part.startswith(".") for part in path.split("/")):
                continue  # dotfiles and everything in dot-folders, as FolderTree
            if kind_name == b"tree":
                self._folders.append(path)
            elif mode.decode() in (SYMLINK_MODE, GITLINK_MODE):
                self._links.append(path)
            else:
                self._files.append(path)
                self._entries[path] = _Entry(mode.decode(), object_id.decode(), int(size))
        self._files.sort()
        self._folders.sort()
        self._links.sort()
        return True

    # -- ContentTree

    def files(self) -> list[str]:
        return self._files

    def folders(self) -> list[str]:
        return self._folders

    def links(self) -> list[str]:
        return self._links

    def special_files(self) -> list[tuple[str, str]]:
        """Git stores no FIFOs, sockets or devices; submodules are reported as links."""
        return []

    def size(self, path: str) -> int:
        return self._entry(path).size

    def read(self, path: str) -> bytes:
        entry = self._entry(path)
        process = self._batch()
        assert process.stdin is not None and process.stdout is not None
        process.stdin.write(entry.object_id.encode() + b"\n")
        process.stdin.flush()
        header = process.stdout.readline().split()
        if len(header) != 3 or header[1] != b"blob":
            raise GitError(f"git cat-file could not read {self.display(path)} ({b' '.join(header).decode(errors='replace')})")
        data = _read_exactly(process.stdout, int(header[2]))
        process.stdout.read(1)  # the newline after each object
        return data

    def display(self, path: str) -> str:
        """The path in the repository, as a pull request shows it (and annotations need)."""
        return f"{self.content_dir}/{path}" if self.content_dir else path

    # -- the cat-file process

    def object_id(self, path: str) -> str:
        """The blob id of a file: equal ids mean equal bytes."""
        return self._entry(path).object_id

    def _entry(self, path: str) -> _Entry:
        try:
            return self._entries[path]
        except KeyError:
            raise FileNotFoundError(f"{self.display(path)} is not a file at {self.revision}") from None

    def _batch(self) -> subprocess.Popen[bytes]:
        if self._process is None:
            self._process = subprocess.Popen(
                ["git", "-C", str(self.repo), "cat-file", "--batch"],
                stdin=subprocess.PIPE,
                stdout=subprocess.PIPE,
                stderr=subprocess.DEVNULL,
            )
            self._finalizer = weakref.finalize(self, _stop, self._process)
        return self._process

    def close(self) -> None:
        """End the cat-file process (also done when the tree is garbage-collected)."""
        if self._finalizer is not None:
            self._finalizer()
        self._process = None
        self._finalizer = None

    def __enter__(self) -> GitTree:
        return self

    def __exit__(self, kind: type[BaseException] | None, error: BaseException | None, trace: TracebackType | None) -> None:
        self.close()


def _read_exactly(stream: IO[bytes], size: int) -> bytes:
    chunks, left = [], size
    while left:
        chunk = stream.read(left)
        if not chunk:
            raise GitError("git cat-file stopped in the middle of a file")
        chunks.append(chunk)
        left -= len(chunk)
    return b"".join(chunks)


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.stdin:
        process.stdin.close()
    try:
        process.wait(timeout=5)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
    if process.stdout:
        process.stdout.close()
