"""The caches kept between builds do not grow without end: what no build has used for a day is removed."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from csvf_build import enginehook
from csvf_build.memo import KEEP_UNUSED_SECONDS, Memo


def entry(path: Path, age_seconds: float) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_bytes(b"x")
    then = time.time() - age_seconds
    os.utime(path, (then, then))
    return path


def test_the_page_cache_keeps_what_was_used_or_is_recent(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv(enginehook.CACHE_VARIABLE, str(tmp_path))
    enginehook._state.__init__()  # type: ignore[misc]
    old_conversion = entry(tmp_path / "ab" / "old.pickle", 2 * KEEP_UNUSED_SECONDS)
    old_page = entry(tmp_path / "html" / "cd" / "old.pickle", 2 * KEEP_UNUSED_SECONDS)
    recent_page = entry(tmp_path / "html" / "cd" / "recent.pickle", 60)
    used_old_page = entry(tmp_path / "html" / "ef" / "used.pickle", 2 * KEEP_UNUSED_SECONDS)
    enginehook._read(used_old_page)  # this build read it
    enginehook.on_post_build(None)
    assert not old_conversion.exists() and not old_page.exists()
    assert recent_page.exists() and used_old_page.exists()


def test_the_customer_memo_keeps_what_was_used_or_is_recent(tmp_path: Path) -> None:
    memo = Memo(tmp_path, {}, "salt")
    old = entry(tmp_path / "model" / "old.pickle", 2 * KEEP_UNUSED_SECONDS)
    recent = entry(tmp_path / "value-file" / "recent.pickle", 60)
    used = entry(tmp_path / "charts" / "used.pickle", 2 * KEEP_UNUSED_SECONDS)
    memo._used.add(used)
    assert memo.prune() == 1
    assert not old.exists() and recent.exists() and used.exists()
