"""Reuse each customer's computed results between builds, under a hash of what they come from.

A customer's figures, chart specs, value-file page and yearly pack are pure
functions of its own files (customer.yaml, records, notes, files/), the
company and catalog files, the build date and csvf's code, plus a little the
caller names (`extra`: the portfolio shares a page shows, the pack options).
Each result is kept under a hash of all of those, so one record changed
recomputes one customer and reuses the rest; a changed byte anywhere in its
inputs is a new key, never a stale result.

A stored result does not hold copies of the content it was computed from:
the customer's folder, records and contacts are stored by name and found
again in this run's content, so a reused result points at the very objects
a fresh one would.
"""

from __future__ import annotations

import contextlib
import hashlib
import io
import os
import pickle
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol, TypeVar

from csvf_build.content.load import CustomerFolder

T = TypeVar("T")
SHARED_FILES = ("company.yaml", "catalog.yaml")  # what every customer's figures also read
KEEP_UNUSED_SECONDS = 24 * 3600  # an entry no build used for a day is removed (alternating builds keep theirs)


class Remember(Protocol):
    """Return `make()`'s result for this customer, reusing a stored one when its inputs are the same."""

    def __call__(self, kind: str, folder: CustomerFolder, extra: str, make: Callable[[], T]) -> T: ...


def fresh(kind: str, folder: CustomerFolder, extra: str, make: Callable[[], T]) -> T:
    """No reuse: compute every time (tests, and builds without a cache folder)."""
    return make()


@dataclass
class MemoStats:
    reused: int = 0
    made: int = 0


@dataclass
class Memo:
    """Per-customer results kept in `folder`, one file each, keyed by the customer's file digests and `extra`.

    `digests` holds the SHA-256 of every content file by content path (what
    `pipeline.content_digests` reads); `salt` is csvf's code and the build's
    settings (the build date, the content folder's name).
    """

    folder: Path
    digests: Mapping[str, str]
    salt: str
    stats: MemoStats = field(default_factory=MemoStats)
    _keys: dict[str, str] = field(default_factory=dict)
    _names: dict[str, dict[str, object]] = field(default_factory=dict)
    # Results in memory. A long-lived preview passes one dict to all its builds: a result held from an earlier build
    # points at that build's content objects, equal to this one's (the same file digests), not the same objects.
    held: dict[Path, Any] = field(default_factory=dict)
    _used: set[Path] = field(default_factory=set)

    def __call__(self, kind: str, folder: CustomerFolder, extra: str, make: Callable[[], T]) -> T:
        digest = hashlib.sha256(f"{kind}\0{self._customer_key(folder)}\0".encode())
        digest.update(extra.encode("utf-8", "surrogateescape"))
        path = self.folder / kind / f"{digest.hexdigest()}.pickle"
        self._used.add(path)
        if path in self.held:
            return self.held[path]  # asked for twice in one build (the JSON and CSV exports), or by an earlier preview build
        names = self._names.get(folder.id) or self._names.setdefault(folder.id, _content_names(folder))
        found = _load(path, names)
        if found is not _MISSING:
            self.stats.reused += 1
            self.held[path] = found
            return found
        value = make()
        self.stats.made += 1
        _store(path, value, names)
        self.held[path] = value
        return value

    def _customer_key(self, folder: CustomerFolder) -> str:
        """A hash of every file the customer's results read, and of what every result reads."""
        if not self._keys:
            by_customer: dict[str, list[str]] = {}
            for path in sorted(self.digests):
                parts = path.split("/")
                if len(parts) > 2 and parts[0] == "customers":
                    by_customer.setdefault(parts[1], []).append(f"{path}\0{self.digests[path]}")
            shared = "\0".join(f"{name}\0{self.digests.get(name, '-')}" for name in SHARED_FILES)
            for customer, lines in by_customer.items():
                self._keys[customer] = hashlib.sha256("\0".join([self.salt, shared, *lines]).encode("utf-8", "surrogateescape")).hexdigest()
        if folder.id not in self._keys:
            raise KeyError(f"no digests for customer {folder.id}")  # a memo made for another tree: a bug, not content
        return self._keys[folder.id]

    def prune(self) -> int:
        """Remove entries this build did not use and no build has used for a day; how many were removed.

        Results held in memory that this build did not use are let go (a preview's memory does not grow with each edit).
        """
        for path in [p for p in self.held if p not in self._used]:
            del self.held[path]
        removed = 0
        cutoff = time.time() - KEEP_UNUSED_SECONDS
        for kind in self.folder.glob("*"):
            for path in kind.glob("*.pickle"):
                with contextlib.suppress(OSError):
                    if path not in self._used and path.stat().st_mtime < cutoff:
                        path.unlink()
                        removed += 1
        return removed


_MISSING = object()


def _content_names(folder: CustomerFolder) -> dict[str, object]:
    """The content objects a result may point to, by a name that finds them again in another run."""
    names: dict[str, object] = {"folder": folder, "customer": folder.customer}
    for r in folder.records:
        names[f"file:{r.path}"] = r
        names[f"record:{r.path}"] = r.record
    for i, contact in enumerate(folder.customer.contacts):
        names[f"contact:{i}"] = contact
    for i, expectation in enumerate(folder.customer.expectations):
        names[f"expectation:{i}"] = expectation
    return names


class _Pickler(pickle.Pickler):
    def __init__(self, file: io.BytesIO, names: dict[str, object]):
        super().__init__(file, protocol=pickle.HIGHEST_PROTOCOL)
        self.by_id = {id(o): name for name, o in names.items()}

    def persistent_id(self, obj: Any) -> str | None:
        return self.by_id.get(id(obj))


class _Unpickler(pickle.Unpickler):
    def __init__(self, file: io.BytesIO, names: dict[str, object]):
        super().__init__(file)
        self.names = names

    def persistent_load(self, pid: Any) -> object:
        return self.names[pid]  # KeyError: the content has changed shape; the caller treats it as a miss


def _load(path: Path, names: dict[str, object]) -> Any:
    try:
        data = path.read_bytes()
    except OSError:
        return _MISSING
    try:
        return _Unpickler(io.BytesIO(data), names).load()
    except Exception:  # a damaged or foreign entry is a miss; it is written again
        return _MISSING


def _store(path: Path, value: Any, names: dict[str, object]) -> None:
    """Write atomically; a cache that cannot be written only costs the next build time."""
    buffer = io.BytesIO()
    try:
        _Pickler(buffer, names).dump(value)
    except (pickle.PicklingError, TypeError, AttributeError):
        return
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(buffer.getvalue())
        temporary.replace(path)
