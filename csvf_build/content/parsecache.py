"""Reuse each record's parse between runs: an unchanged file costs a lookup.

Reading a record (YAML events, validation, Markdown, sanitising) is most of
what `csvf check` does. Its result depends only on the file's path, how
messages name it and its bytes, so it is stored under a hash of those (plus
the csvf version and the loader's own code and libraries): a changed byte,
a new csvf or a new Markdown library never reuses a stale parse.

Problems are stored with the result and replayed on a hit, so a run reports
exactly the same problems whether a file came from the cache or not.

A file whose size, modification time, change time and inode all match what
the last run saw is taken as unchanged without reading it (as git's index
does); a file changed less than `RACY_SECONDS` before that run was written
is always read again, so a save within the same clock tick is never missed.
"""

from __future__ import annotations

import contextlib
import gc
import hashlib
import os
import pickle
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

from csvf_build import __version__

RACY_SECONDS = 2.0
FORMAT = 1


def _code_hash() -> str:
    """The loader's own code: a developer's change to a rule never reuses a stale parse."""
    here = Path(__file__).resolve().parent
    digest = hashlib.sha256()
    for path in sorted([*here.glob("*.py"), here.parent / "problems.py"]):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


def _salt() -> bytes:
    libraries = ", ".join(f"{name} {version(name)}" for name in ("markdown", "nh3", "pydantic", "PyYAML"))
    return f"csvf {__version__}, format {FORMAT}, code {_code_hash()}, {libraries}".encode()


@dataclass
class _Entry:
    signature: tuple[int, ...] | None  # (size, mtime_ns, ctime_ns, inode) when the file was last seen
    key: str
    value: Any


class ParseCache:
    """The per-file parse results of one content tree, kept in one file under `folder`."""

    def __init__(self, folder: Path, label: str):
        self.salt = _salt()
        name = hashlib.sha256(label.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.file = folder / f"{name}.pickle"
        self.old: dict[str, _Entry] = {}
        self.written_at = 0.0
        self.new: dict[str, _Entry] = {}
        self.hits = self.misses = 0
        self._load()

    def _load(self) -> None:
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            with _no_gc():
                stored = pickle.loads(self.file.read_bytes())
            if stored.get("salt") == self.salt:
                self.old, self.written_at = stored["entries"], stored["written_at"]

    def key(self, path: str, display: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt)
        for part in (path.encode("utf-8", "surrogateescape"), display.encode("utf-8", "surrogateescape"), data):
            digest.update(len(part).to_bytes(8, "little") + part)
        return digest.hexdigest()

    def unchanged(self, path: str, signature: tuple[int, ...] | None) -> Any | None:
        """The stored result of `path` if its signature shows it unchanged since a safe earlier run."""
        entry = self.old.get(path)
        if entry is None or signature is None or entry.signature != signature:
            return None
        if signature[1] / 1e9 > self.written_at - RACY_SECONDS:
            return None  # changed too close to the last run to trust the clock
        self.new[path] = entry
        self.hits += 1
        return entry.value

    def get(self, path: str, key: str, signature: tuple[int, ...] | None) -> Any | None:
        """The stored result for these exact bytes, if any."""
        entry = self.old.get(path)
        if entry is None or entry.key != key:
            return None
        self.new[path] = _Entry(signature, key, entry.value)
        self.hits += 1
        return entry.value

    def put(self, path: str, key: str, signature: tuple[int, ...] | None, value: Any) -> None:
        self.new[path] = _Entry(signature, key, value)
        self.misses += 1

    def save(self) -> None:
        """Keep what this run used (entries of removed files are dropped); written atomically, failures ignored."""
        if self.new.keys() == self.old.keys() and all(self.new[p] is self.old[p] for p in self.new):
            return
        payload = pickle.dumps({"salt": self.salt, "written_at": time.time(), "entries": self.new}, protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
            temporary.write_bytes(payload)
            temporary.replace(self.file)


@contextlib.contextmanager
def _no_gc() -> Iterator[None]:
    """Unpickle without the cycle collector, then freeze what was read.

    Tens of thousands of records are millions of small objects that live as
    long as the run: the collector would stop hundreds of times to scan them
    for nothing (a third of a cached check). Frozen objects are still freed
    when nothing refers to them; only a cycle among them would outlive its use.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        if enabled:
            gc.enable()


class FileDigests:
    """The SHA-256 of every content file, kept between runs: an unchanged file (same stat signature) is not read again.

    What a whole build's inputs hash is made from (`pipeline.inputs_key`);
    kept apart from the parses so that checking for "nothing changed" loads
    a few bytes a file, not every parse.
    """

    def __init__(self, folder: Path, label: str):
        name = hashlib.sha256(label.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.file = folder / f"{name}.digests.pickle"
        self.old: dict[str, tuple[tuple[int, ...], str]] = {}
        self.written_at = 0.0
        with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
            stored = pickle.loads(self.file.read_bytes())
            if stored.get("format") == FORMAT:
                self.old, self.written_at = stored["digests"], stored["written_at"]
        self.new: dict[str, tuple[tuple[int, ...], str]] = {}
        self.read = 0

    def digest(self, path: str, signature: tuple[int, ...] | None, read: Callable[[], bytes]) -> str:
        """The file's SHA-256; OSError if it must be read and cannot be."""
        entry = self.old.get(path)
        if entry is not None and signature is not None and entry[0] == signature and signature[1] / 1e9 <= self.written_at - RACY_SECONDS:
            self.new[path] = entry
            return entry[1]
        self.read += 1
        found = hashlib.sha256(read()).hexdigest()
        if signature is not None:
            self.new[path] = (signature, found)
        return found

    def save(self) -> None:
        if self.new == self.old:
            return
        payload = pickle.dumps({"format": FORMAT, "written_at": time.time(), "digests": self.new}, protocol=pickle.HIGHEST_PROTOCOL)
        with contextlib.suppress(OSError):
            self.file.parent.mkdir(parents=True, exist_ok=True)
            temporary = self.file.with_name(f".{self.file.name}.{os.getpid()}.tmp")
            temporary.write_bytes(payload)
            temporary.replace(self.file)
