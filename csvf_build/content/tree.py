"""Where content comes from: a folder today, a git revision tomorrow.

Loading only talks to a `ContentTree`, so `csvf diff BASE HEAD` can later read
two revisions without touching the disk.
"""

from __future__ import annotations

import os
import stat
from pathlib import Path
from typing import Protocol


class ContentTree(Protocol):
    """A read-only tree of files addressed by POSIX paths relative to its root."""

    label: str

    def files(self) -> list[str]:
        """Every regular file path in the tree, sorted, dotfiles and dot-folders left out."""
        ...

    def folders(self) -> list[str]:
        """Every folder path in the tree (empty ones too), sorted, dot-folders left out."""
        ...

    def links(self) -> list[str]:
        """Symbolic links in the tree (content may not hold any), sorted."""
        ...

    def special_files(self) -> list[tuple[str, str]]:
        """(path, what it is) of every entry that is neither a file, a folder nor a link
        (a FIFO, a socket, a device) or that could not be listed; sorted. Never opened."""
        ...

    def size(self, path: str) -> int: ...

    def read(self, path: str) -> bytes:
        """The bytes of a regular file; OSError if it cannot be read (or is no longer a regular file)."""
        ...

    def display(self, path: str) -> str:
        """The path as messages show it to a user."""
        ...


def kind_of(mode: int) -> str:
    """What a non-regular, non-folder, non-link entry is, in words a user knows."""
    if stat.S_ISFIFO(mode):
        return "a named pipe (FIFO)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device file"
    return "not a regular file"


class FolderTree:
    """Content in a folder on disk, listed once without following links or opening anything."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.label = str(root).rstrip("/")
        self._files: list[str] = []
        self._folders: list[str] = []
        self._links: list[str] = []
        self._special: list[tuple[str, str]] = []
        self._sizes: dict[str, int] = {}
        self._signatures: dict[str, tuple[int, int, int, int]] = {}
        self._walk(self.root, "")
        self._files.sort()
        self._folders.sort()
        self._links.sort()
        self._special.sort()

    def _walk(self, folder: Path, prefix: str) -> None:
        """List `folder` (shown as `prefix`) and everything under it, iteratively."""
        pending = [(folder, prefix)]
        while pending:
            here, rel = pending.pop()
            try:
                entries = sorted(os.scandir(here), key=lambda e: e.name)
            except OSError as error:
                self._special.append((rel.rstrip("/"), f"a folder that cannot be listed ({error.strerror})"))
                continue
            for entry in entries:
                if entry.name.startswith("."):
                    continue
                path = rel + entry.name
                try:
                    info = entry.stat(follow_symlinks=False)
                except OSError as error:
                    self._special.append((path, f"an entry that cannot be read ({error.strerror})"))
                    continue
                if stat.S_ISLNK(info.st_mode):
                    self._links.append(path)
                elif stat.S_ISDIR(info.st_mode):
                    self._folders.append(path)
                    pending.append((Path(entry.path), path + "/"))
                elif stat.S_ISREG(info.st_mode):
                    self._files.append(path)
                    self._sizes[path] = info.st_size
                    self._signatures[path] = (info.st_size, info.st_mtime_ns, info.st_ctime_ns, info.st_ino)
                else:
                    self._special.append((path, kind_of(info.st_mode)))

    def files(self) -> list[str]:
        return self._files

    def folders(self) -> list[str]:
        return self._folders

    def links(self) -> list[str]:
        return self._links

    def special_files(self) -> list[tuple[str, str]]:
        return self._special

    def size(self, path: str) -> int:
        return self._sizes[path]

    def signature(self, path: str) -> tuple[int, int, int, int]:
        """(size, mtime, ctime, inode) as listed: what the parse cache compares to tell an unchanged file without reading it."""
        return self._signatures[path]

    def read(self, path: str) -> bytes:
        """Open without following links and without blocking, and read only a regular file.

        The listing already left out pipes and devices; this guards against one
        that replaced a file since (reading a FIFO would hang the build).
        """
        flags = os.O_RDONLY | os.O_NONBLOCK | getattr(os, "O_NOFOLLOW", 0) | getattr(os, "O_CLOEXEC", 0)
        fd = os.open(self.root / path, flags)
        with os.fdopen(fd, "rb") as handle:
            mode = os.fstat(handle.fileno()).st_mode
            if not stat.S_ISREG(mode):
                raise OSError(f"{kind_of(mode)}, not a file")
            return handle.read()

    def display(self, path: str) -> str:
        """The path as a user sees it in messages: under the content folder."""
        return f"{self.label}/{path}"
