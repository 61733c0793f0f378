"""Where content comes from: a folder today, a git revision tomorrow.

Loading only talks to a `ContentTree`, so `csvf diff BASE HEAD` can later read
two revisions without touching the disk.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Protocol


class ContentTree(Protocol):
    """A read-only tree of files addressed by POSIX paths relative to its root."""

    label: str

    def files(self) -> list[str]:
        """Every file path in the tree, sorted, dotfiles and dot-folders left out."""
        ...

    def folders(self) -> list[str]:
        """Every folder path in the tree (empty ones too), sorted, dot-folders left out."""
        ...

    def links(self) -> list[str]:
        """Symbolic links in the tree (content may not hold any), sorted."""
        ...

    def size(self, path: str) -> int: ...

    def read(self, path: str) -> bytes: ...

    def display(self, path: str) -> str:
        """The path as messages show it to a user."""
        ...


class FolderTree:
    """Content in a folder on disk."""

    def __init__(self, root: Path | str):
        self.root = Path(root)
        self.label = str(root).rstrip("/")
        self._files: list[str] = []
        self._folders: list[str] = []
        self._links: list[str] = []
        for dirpath, dirnames, filenames in os.walk(self.root):
            here = Path(dirpath)
            prefix = "" if here == self.root else here.relative_to(self.root).as_posix() + "/"
            visible_dirs = sorted(d for d in dirnames if not d.startswith("."))
            visible_files = [f for f in filenames if not f.startswith(".")]
            self._links.extend(prefix + name for name in visible_dirs + visible_files if (here / name).is_symlink())
            dirnames[:] = [d for d in visible_dirs if not (here / d).is_symlink()]
            self._folders.extend(prefix + d for d in dirnames)
            self._files.extend(prefix + f for f in visible_files if not (here / f).is_symlink())
        self._files.sort()
        self._folders.sort()
        self._links.sort()

    def files(self) -> list[str]:
        return self._files

    def folders(self) -> list[str]:
        return self._folders

    def links(self) -> list[str]:
        return self._links

    def size(self, path: str) -> int:
        return (self.root / path).stat().st_size

    def read(self, path: str) -> bytes:
        return (self.root / path).read_bytes()

    def display(self, path: str) -> str:
        """The path as a user sees it in messages: under the content folder."""
        return f"{self.label}/{path}"
