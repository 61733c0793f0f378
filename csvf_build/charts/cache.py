"""Draw only the charts whose inputs changed; draw those on every core.

A chart's SVG is stored under the hash of its spec (plus the csvf and
matplotlib versions), so a build with nothing changed draws nothing, and a
changed record redraws only its customer's affected charts.
"""

from __future__ import annotations

import functools
import hashlib
import multiprocessing
import os
import time
from collections.abc import Iterable
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from importlib.metadata import version
from pathlib import Path

from csvf_build import __version__
from csvf_build.charts.spec import ChartSpec

PARALLEL_FROM = 24  # below this many misses, starting workers costs more than it saves


@functools.cache
def salt() -> str:
    """What else shapes a drawing: the versions, and the drawing code itself (a developer's change never reuses stale pictures).

    Read without importing matplotlib (most of a second), which only a build that draws needs.
    """
    code = hashlib.sha256((Path(__file__).resolve().parent / "draw.py").read_bytes()).hexdigest()[:12]
    return f"csvf {__version__}, matplotlib {version('matplotlib')}, draw {code}"


@dataclass
class ChartStats:
    drawn: int = 0
    reused: int = 0
    draw_seconds: float = 0.0
    keys: set[str] = field(default_factory=set)


def draw_charts(specs: Iterable[ChartSpec], cache_dir: Path | None = None, stats: ChartStats | None = None) -> dict[str, bytes]:
    """The SVG of every spec, by its docs-tree path: from the cache where it can, else drawn."""
    stats = stats if stats is not None else ChartStats()
    specs = list(specs)
    out: dict[str, bytes] = {}
    missing: dict[str, ChartSpec] = {}
    for spec in specs:
        key = spec.key(salt())
        stats.keys.add(key)
        cached = cache_dir / f"{key}.svg" if cache_dir else None
        if cached is not None and cached.is_file():
            out[spec.path] = cached.read_bytes()
            stats.reused += 1
        else:
            missing.setdefault(key, spec)
    started = time.perf_counter()
    drawn = _draw(list(missing.values()))
    stats.draw_seconds += time.perf_counter() - started
    stats.drawn += len(drawn)
    for key, svg in zip(missing, drawn, strict=True):
        if cache_dir is not None:
            _store(cache_dir, key, svg)
    by_key = dict(zip(missing, drawn, strict=True))
    for spec in specs:
        if spec.path not in out:
            out[spec.path] = by_key[spec.key(salt())]
    return out


def _draw(specs: list[ChartSpec]) -> list[bytes]:
    if not specs:
        return []
    from csvf_build.charts.draw import draw_one  # matplotlib: imported only when a chart must be drawn

    workers = min(_cores(), 8)
    if len(specs) < PARALLEL_FROM or workers < 2:
        return [draw_one(spec) for spec in specs]
    context = multiprocessing.get_context("fork" if os.name == "posix" else "spawn")
    pool = ProcessPoolExecutor(max_workers=workers, mp_context=context)
    try:
        drawn = list(pool.map(draw_one, specs, chunksize=_chunk(len(specs), workers)))
    except BaseException:
        # Interrupted (Ctrl+C, SIGTERM): stop the workers now rather than wait for every chart to be drawn.
        for process in list(getattr(pool, "_processes", {}).values()):
            process.terminate()
        pool.shutdown(wait=False, cancel_futures=True)
        raise
    pool.shutdown()
    return drawn


def _cores() -> int:
    """The cores this process may use (a container or `taskset` may allow fewer than the machine has)."""
    affinity = getattr(os, "sched_getaffinity", None)
    return len(affinity(0)) if affinity else os.cpu_count() or 1


CHUNK_MOST = 32  # charts a worker takes at a time: about 2 s of drawing, so no core waits long for the last one


def _chunk(count: int, workers: int) -> int:
    """Several chunks per worker, none large: a worker that drew its share early takes more, not idles."""
    return max(1, min(CHUNK_MOST, count // (workers * 4)))


def _store(cache_dir: Path, key: str, svg: bytes) -> None:
    """Write atomically: a build killed half-way never leaves half a chart in the cache."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    temporary = cache_dir / f".{key}.{os.getpid()}.tmp"
    temporary.write_bytes(svg)
    temporary.replace(cache_dir / f"{key}.svg")


def prune(cache_dir: Path, keep: set[str]) -> int:
    """Remove cached charts no build of this content uses any more; returns how many."""
    if not cache_dir.is_dir():
        return 0
    removed = 0
    for path in cache_dir.glob("*.svg"):
        if path.stem not in keep:
            path.unlink(missing_ok=True)
            removed += 1
    return removed
