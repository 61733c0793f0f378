"""Faults injected into real `csvf build` processes: the old site stays whole, nothing is left behind.

Each fault runs the installed CLI as a separate process on a small project
(the corpus's base tree with the real theme and handbook): killed with
SIGKILL or SIGTERM at seeded random moments, two builds at once, a full disk
(a file-size limit, so every write past it fails with EFBIG as on a full
disk), an engine that fails. After each: the site is byte for byte the
build before it (the same content and date give the same bytes, so a build
that got to publish leaves the same tree), no process of the killed build is
still running, and the next build succeeds and leaves no staging folder.
(A read-only site folder is in test_build_safety.py: CI runs as root, for
whom a chmod does not make a folder read-only.)
"""

from __future__ import annotations

import hashlib
import random
import resource
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from tests.corpus_support import AS_OF, BASE
from tests.test_site import csvf, make_project

pytestmark = pytest.mark.site

SEED = 20
KILLS = 8
FAULTS: list[str] = []  # every fault injected, for the count in docs/testing.md


def tree_hash(folder: Path) -> str:
    digest = hashlib.sha256()
    for path in sorted(folder.rglob("*")):
        digest.update(path.relative_to(folder).as_posix().encode())
        if path.is_file():
            digest.update(path.read_bytes())
    return digest.hexdigest()


def leftovers(project: Path) -> list[str]:
    return sorted(p.name for p in project.iterdir() if p.name.startswith((".site-new-", ".site-old-")))


def session_processes(session: int) -> list[str]:
    """Processes still alive in the session a build was started in (read from /proc: no psutil)."""
    alive = []
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[3]) == session and fields[0] != "Z":  # field 6 of stat: the session id
            command = (stat.parent / "cmdline").read_bytes().replace(b"\0", b" ")[:120]
            alive.append(f"{stat.parent.name}: {command!r}")
    return alive


def wait_until_gone(session: int, seconds: float = 15) -> list[str]:
    deadline = time.monotonic() + seconds
    while (alive := session_processes(session)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def start_build(project: Path, preexec: object = None) -> subprocess.Popen[str]:
    return subprocess.Popen(
        [sys.executable, "-m", "csvf_build.cli", "build", "--as-of", AS_OF],
        cwd=project,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        start_new_session=True,  # its own session: every process it starts can be found afterwards
        preexec_fn=preexec,  # type: ignore[arg-type]
    )


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str, float]:
    """A built small project, the hash of its site and how long one build took."""
    root = make_project(tmp_path_factory.mktemp("faults"))
    shutil.rmtree(root / "content")
    shutil.copytree(BASE, root / "content")
    assert csvf("build", "--as-of", AS_OF, cwd=root).returncode == 0
    started = time.monotonic()
    result = csvf("build", "--as-of", AS_OF, cwd=root)
    assert result.returncode == 0, result.stderr
    return root, tree_hash(root / "site"), time.monotonic() - started


def assert_whole_and_next_build_succeeds(project: Path, site_hash: str) -> None:
    assert tree_hash(project / "site") == site_hash
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    assert tree_hash(project / "site") == site_hash
    assert leftovers(project) == []


def test_killed_at_random_moments(project: tuple[Path, str, float]) -> None:
    root, site_hash, seconds = project
    moments = random.Random(SEED).sample(range(1, 100), KILLS)  # percent of one build's time
    for n, percent in enumerate(sorted(moments)):
        signum = signal.SIGKILL if n % 2 else signal.SIGTERM
        build = start_build(root)
        time.sleep(seconds * percent / 100)
        build.send_signal(signum)
        _, stderr = build.communicate(timeout=60)
        FAULTS.append(f"{signum.name} at {percent}%")
        assert "Traceback" not in stderr, stderr
        assert wait_until_gone(build.pid, 3) == [], f"{signum.name} at {percent}%: processes left"  # an engine build takes longer
        assert tree_hash(root / "site") == site_hash, f"{signum.name} at {percent}%: the site changed"
        if signum == signal.SIGTERM:
            assert leftovers(root) == [], f"SIGTERM at {percent}%"
    assert_whole_and_next_build_succeeds(root, site_hash)


def test_two_builds_at_once(project: tuple[Path, str, float]) -> None:
    root, site_hash, _ = project
    for _ in range(2):
        builds = [start_build(root) for _ in range(2)]
        results = [(b.wait(timeout=300), b.stderr.read() if b.stderr else "") for b in builds]
        FAULTS.append("two builds at once")
        assert [code for code, _ in results] == [0, 0], results
        assert all(wait_until_gone(b.pid) == [] for b in builds)
        assert tree_hash(root / "site") == site_hash and leftovers(root) == []


def full_disk() -> None:
    """In the child: any file written past 64 KiB fails with EFBIG, as a write to a full disk fails with ENOSPC."""
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
    resource.setrlimit(resource.RLIMIT_FSIZE, (64 * 1024, 64 * 1024))


def test_a_full_disk_keeps_the_old_site(project: tuple[Path, str, float]) -> None:
    root, site_hash, _ = project
    shutil.rmtree(root / "build", ignore_errors=True)  # every docs-tree file is written anew
    build = start_build(root, full_disk)
    stdout, stderr = build.communicate(timeout=300)
    FAULTS.append("full disk")
    assert build.returncode != 0
    assert "Traceback" not in stdout + stderr
    assert stderr.strip(), "the build says why it failed"
    assert wait_until_gone(build.pid) == []
    assert leftovers(root) == []
    assert_whole_and_next_build_succeeds(root, site_hash)


def test_a_failing_engine_keeps_the_old_site(project: tuple[Path, str, float]) -> None:
    root, site_hash, _ = project
    override = root / "theme" / "main.html"
    saved = override.read_bytes() if override.exists() else None
    override.write_text("{% extends 'base.html' %}{% block content %}{{ broken( }}{% endblock %}")
    try:
        result = csvf("build", "--as-of", AS_OF, cwd=root)
        FAULTS.append("engine failure")
        assert result.returncode != 0
        assert result.stderr.rstrip().endswith("site build failed; site was left as it was."), result.stderr[
            -500:
        ]  # the engine's log above it
        assert tree_hash(root / "site") == site_hash and leftovers(root) == []
    finally:
        override.unlink()
        if saved is not None:
            override.write_bytes(saved)
    assert_whole_and_next_build_succeeds(root, site_hash)


@pytest.fixture(scope="module", autouse=True)
def _report() -> Iterator[None]:
    yield
    if FAULTS:
        print(f"\n{len(FAULTS)} faults injected: {', '.join(FAULTS)}", file=sys.stderr)
