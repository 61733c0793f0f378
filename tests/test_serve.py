"""`csvf serve`: saving a record updates the page the preview serves."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.test_site import AS_OF, make_project

pytestmark = pytest.mark.site


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def fetch(url: str) -> str:
    try:
        with urllib.request.urlopen(url, timeout=2) as response:
            return response.read().decode()
    except OSError:
        return ""


def wait_for(predicate, seconds: float = 60) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if predicate():
            return True
        time.sleep(0.3)
    return False


def test_saving_a_record_updates_the_preview(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    port = free_port()
    server = subprocess.Popen(
        [sys.executable, "-m", "csvf_build.cli", "serve", "--as-of", AS_OF, "--dev-addr", f"127.0.0.1:{port}"],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        env={**os.environ, "NO_MKDOCS_2_WARNING": "1"},
    )
    try:
        record = sorted((project / "content" / "customers").glob("*/records/*.md"))[-1]
        cid = record.parts[-3]
        page = f"http://127.0.0.1:{port}/customers/{cid}/"
        assert wait_for(lambda: "Timeline" in fetch(page)), "the preview did not come up"
        text = record.read_text()
        title_line = next(line for line in text.splitlines() if line.startswith("title:"))
        record.write_text(text.replace(title_line, "title: Freshly edited in the preview"))
        assert wait_for(lambda: "Freshly edited in the preview" in fetch(page)), "the edit did not reach the page"

        # a broken record keeps the last good page and says what is wrong
        record.write_text(text.replace(title_line, "title: Broken\nhourz: 3"))
        time.sleep(3)
        assert "Freshly edited in the preview" in fetch(page)
    finally:
        server.terminate()
        output = server.communicate(timeout=20)[0].decode()
    assert "unknown key `hourz`" in output
