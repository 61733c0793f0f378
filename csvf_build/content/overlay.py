"""Content as it would be after writing some files: a tree plus new or replaced files, in memory.

`csvf new` and `csvf import` check the content with their files added before
anything touches the disk; nothing is written unless that check passes.
"""

from __future__ import annotations

from csvf_build.content.tree import ContentTree


class OverlayTree:
    """`base` with `files` (content path -> bytes) added or replacing what is there."""

    def __init__(self, base: ContentTree, files: dict[str, bytes]):
        self.base = base
        self.label = base.label
        self.added = dict(files)
        self._files = sorted(set(base.files()) | set(files))
        parents = {"/".join(path.split("/")[:n]) for path in files for n in range(1, path.count("/") + 1)}
        self._folders = sorted(set(base.folders()) | parents)

    def files(self) -> list[str]:
        return self._files

    def folders(self) -> list[str]:
        return self._folders

    def links(self) -> list[str]:
        return self.base.links()

    def special_files(self) -> list[tuple[str, str]]:
        return self.base.special_files()

    def size(self, path: str) -> int:
        return len(self.added[path]) if path in self.added else self.base.size(path)

    def read(self, path: str) -> bytes:
        return self.added[path] if path in self.added else self.base.read(path)

    def display(self, path: str) -> str:
        return self.base.display(path)
