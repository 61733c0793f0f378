"""Reuse each record's parse between runs: an unchanged file costs a lookup.

Reading a record (YAML events, validation, Markdown, sanitising) is most of
what `csvf check` does. Its result depends only on the file's path, how
messages name it and its bytes, so it is stored under a hash of those (plus
the csvf version and the loader's own code and libraries): a changed byte,
a new csvf or a new Markdown library never reuses a stale parse.

Problems are stored with the result and replayed on a hit, so a run reports
exactly the same problems whether a file came from the cache or not.

Results are kept in one file per customer folder (a shard), read when one
of its files is first looked up and written again only when it changed, so
editing one record rewrites one customer's parses.

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
from typing import Any, NamedTuple

from csvf_build import __version__

RACY_SECONDS = 2.0
FORMAT = 2


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


class _Entry(NamedTuple):
    signature: tuple[int, ...] | None  # (size, mtime_ns, ctime_ns, inode) when the file was last seen
    key: str
    payload: bytes  # the pickled result: a shard is rewritten without pickling its unchanged entries again


def encode(value: Any) -> bytes:
    """A result as the cache keeps it (a worker that parsed it can encode it, so the parent never does)."""
    return pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)


def decode(payload: bytes) -> Any:
    return pickle.loads(payload)


def shard_of(path: str) -> str:
    """The shard a content file's parse is kept in: its customer's folder, so one edit rewrites one customer's parses."""
    parts = path.split("/", 2)
    return parts[1] if parts[0] == "customers" and len(parts) == 3 else ""


@dataclass
class _Shard:
    old: dict[str, _Entry]
    written_at: float
    new: dict[str, _Entry]


class ParseCache:
    """The per-file parse results of one content tree, kept in one file per customer under `folder`.

    A shard is read the first time one of its files is looked up, and written
    again only when one of its entries changed: a one-record edit costs one
    customer's parses, not the whole tree's.
    """

    def __init__(self, folder: Path, label: str):
        self.salt = _salt()
        name = hashlib.sha256(label.encode("utf-8", "surrogateescape")).hexdigest()[:16]
        self.folder = folder / f"{name}.parses"
        self.legacy = folder / f"{name}.pickle"  # the single-file format of csvf before shards: removed on save
        self.shards: dict[str, _Shard] = {}
        self.kept: set[str] = set()  # the shard files this run used (written or left as they were)
        self.hits = self.misses = 0

    def _file(self, shard: str) -> Path:
        return self.folder / (hashlib.sha256(shard.encode("utf-8", "surrogateescape")).hexdigest()[:24] + ".pickle")

    def _shard(self, path: str) -> _Shard:
        name = shard_of(path)
        shard = self.shards.get(name)
        if shard is None:
            shard = self.shards[name] = _Shard({}, 0.0, {})
            with contextlib.suppress(OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
                with no_gc():
                    stored = pickle.loads(self._file(name).read_bytes())
                if stored.get("salt") == self.salt and stored.get("shard") == name:
                    shard.old = {path: _Entry(*entry) for path, entry in stored["entries"].items()}
                    shard.written_at = stored["written_at"]
        return shard

    def key(self, path: str, display: str, data: bytes) -> str:
        digest = hashlib.sha256(self.salt)
        for part in (path.encode("utf-8", "surrogateescape"), display.encode("utf-8", "surrogateescape"), data):
            digest.update(len(part).to_bytes(8, "little") + part)
        return digest.hexdigest()

    def fresh(self, path: str, signature: tuple[int, ...] | None) -> bool:
        """Whether `unchanged` would find `path` (nothing recorded: the loader asks before parsing on every core)."""
        shard = self._shard(path)
        entry = shard.old.get(path)
        if entry is None or signature is None or entry.signature != signature:
            return False
        return signature[1] / 1e9 <= shard.written_at - RACY_SECONDS  # changed too close to the last run to trust the clock

    def has(self, path: str, key: str) -> bool:
        """Whether `get` would find these exact bytes (nothing recorded)."""
        entry = self._shard(path).old.get(path)
        return entry is not None and entry.key == key

    def unchanged(self, path: str, signature: tuple[int, ...] | None, counted: bool = True) -> Any | None:
        """The stored result of `path` if its signature shows it unchanged since a safe earlier run."""
        if not self.fresh(path, signature):
            return None
        shard = self._shard(path)
        entry = shard.new[path] = shard.old[path]
        self.hits += counted
        return decode(entry.payload)

    def get(self, path: str, key: str, signature: tuple[int, ...] | None, counted: bool = True) -> Any | None:
        """The stored result for these exact bytes, if any (`counted`: in `hits`, which counts records)."""
        shard = self._shard(path)
        entry = shard.old.get(path)
        if entry is None or entry.key != key:
            return None
        shard.new[path] = _Entry(signature, key, entry.payload)
        self.hits += counted
        return decode(entry.payload)

    def put(
        self, path: str, key: str, signature: tuple[int, ...] | None, value: Any, payload: bytes | None = None, counted: bool = True
    ) -> None:
        """Store a new result; `payload` is `encode(value)` when the caller has it already."""
        self._shard(path).new[path] = _Entry(signature, key, encode(value) if payload is None else payload)
        self.misses += counted

    def finish(self, path: str) -> None:
        """The loader is done with the shard of `path` (a customer's records): write it if it changed, and let it go."""
        name = shard_of(path)
        shard = self.shards.pop(name, None)
        if shard is not None:
            self._save_shard(name, shard)

    def save(self) -> None:
        """Keep what this run used: a shard is written again only if it changed, a shard this run did not use is removed.

        Written atomically, failures ignored.
        """
        with contextlib.suppress(OSError):
            self.legacy.unlink(missing_ok=True)
        for name, shard in list(self.shards.items()):
            self._save_shard(name, shard)
        with contextlib.suppress(OSError):
            for entry in os.scandir(self.folder):
                if entry.name.endswith(".pickle") and entry.name not in self.kept:
                    os.unlink(entry.path)

    def _save_shard(self, name: str, shard: _Shard) -> None:
        if not shard.new:
            return
        self.kept.add(self._file(name).name)
        if shard.new == shard.old:  # the same files, signatures, keys and results (compared by identity first)
            return
        entries = {path: tuple(entry) for path, entry in shard.new.items()}
        stored = {"salt": self.salt, "shard": name, "written_at": time.time(), "entries": entries}
        _write(self._file(name), pickle.dumps(stored, protocol=pickle.HIGHEST_PROTOCOL))

    def release(self) -> None:
        """Forget the parses once saved: the content keeps what it uses, the rest (removed files' parses) can be freed."""
        self.shards.clear()


def _write(file: Path, payload: bytes) -> None:
    """Atomically: a run killed half-way never leaves half a shard."""
    with contextlib.suppress(OSError):
        file.parent.mkdir(parents=True, exist_ok=True)
        temporary = file.with_name(f".{file.name}.{os.getpid()}.tmp")
        temporary.write_bytes(payload)
        temporary.replace(file)


@contextlib.contextmanager
def no_gc() -> Iterator[None]:
    """Unpickle (or parse) without the cycle collector, then freeze what was read.

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
