"""`csvf build` never harms what it does not own, and always ends cleanly.

A site folder that would replace the content, the docs trees, the handbook,
the config's folder or a git work tree is refused; an interrupted build stops
its engine and leaves the old site; a full disk or a read-only folder is one
line, not a traceback. Most tests run the CLI in-process with a stand-in
engine (a small script that copies the docs tree into the staging folder), so
they test csvf's edge, not MkDocs; the concurrency test runs the real engine.
"""

from __future__ import annotations

import errno
import fcntl
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from csvf_build import site
from csvf_build.cli import main
from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import generate
from tests.conftest import ContentBuilder, generate_docs
from tests.test_console import assert_harmless
from tests.test_site import REPO, make_project, site_files

AS_OF = "2026-11-23"
LAST_LINE = "Open site/index.html, or preview with `csvf serve` at http://127.0.0.1:8000/"

FAKE_ENGINE = """\
import os, shutil, signal, sys, time
config, staging = sys.argv[1], sys.argv[2]
assert staging == os.environ["CSVF_SITE_DIR"]
docs = os.path.join(os.path.dirname(config), os.environ["CSVF_DOCS_DIR"])
mode = os.environ.get("TEST_ENGINE_MODE", "copy")
if mode == "fail":
    print("WARNING - a page quotes \\x1b[2J\\n::error::forged by a page\\n##[error]old style")
    sys.exit(1)
shutil.copytree(docs, staging, dirs_exist_ok=True)
if mode in ("hang", "stubborn"):
    if mode == "stubborn":
        signal.signal(signal.SIGTERM, signal.SIG_IGN)
    pidfile = os.environ["TEST_ENGINE_PIDFILE"]
    with open(pidfile + ".tmp", "w") as handle:
        handle.write(str(os.getpid()))
    os.replace(pidfile + ".tmp", pidfile)
    time.sleep(120)
"""

WRAPPER = """\
import sys
from csvf_build import site
site.ENGINE_GRACE_SECONDS = float(sys.argv[2])
site.engine_command = lambda engine, config, staging: [sys.executable, sys.argv[1], str(config), str(staging)]
site._site_is_current = lambda *_: False  # the stand-in engine always runs (see the project fixture)
from csvf_build.cli import main
main(sys.argv[3:])
"""


@pytest.fixture
def engine_script(tmp_path: Path) -> Path:
    script = tmp_path / "fake_engine.py"
    script.write_text(FAKE_ENGINE)
    return script


@pytest.fixture
def project(tmp_path: Path, monkeypatch: pytest.MonkeyPatch, engine_script: Path) -> Path:
    """A project (config, handbook, content with one customer) as the current folder, with the stand-in engine."""
    root = tmp_path / "p"
    root.mkdir()
    (root / "mkdocs.yml").write_text((REPO / "mkdocs.yml").read_text())
    (root / "docs").mkdir()
    (root / "docs" / "index.md").write_text("# About\n")
    add_content(root / "content", "acme")
    monkeypatch.chdir(root)
    monkeypatch.setattr(
        site, "engine_command", lambda engine, config, staging: [sys.executable, str(engine_script), str(config), str(staging)]
    )
    monkeypatch.delenv("TEST_ENGINE_MODE", raising=False)
    # The stand-in engine changes with TEST_ENGINE_MODE, which a kept site cannot know: every build here runs it.
    monkeypatch.setattr(site, "_site_is_current", lambda *_: False)
    return root


def add_content(root: Path, *customers: str) -> ContentBuilder:
    content = ContentBuilder(root)
    for cid in customers:
        content.customer(cid, name=f"{cid.title()} Ltd.")
        content.record(cid, "2024-02-01-review.md", "type: meeting\ndate: 2024-02-01\ntitle: Review\nkind: review\nstage: after")
    return content


def build(*args: str) -> Result:
    return CliRunner().invoke(main, ["build", "--as-of", AS_OF, *args], catch_exceptions=False)


def snapshot(root: Path) -> dict[str, bytes | None]:
    """Every file's bytes and every folder under `root`, to prove nothing was touched."""
    return {p.relative_to(root).as_posix(): (p.read_bytes() if p.is_file() else None) for p in sorted(root.rglob("*"))}


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.startswith((".site-new-", ".site-old-")))


# --- the site folder -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("site_dir", "reason"),
    [
        ("content", "is the content folder"),
        ("content/customers/acme/site", "is inside the content folder"),
        (".", "is a git work tree"),
        (".", "is a git work tree"),
        ("build", "is the folder of docs trees"),
        ("build/docs-0123456789abcdef", "is inside the folder of docs trees"),
        ("docs", "is the handbook folder"),
        ("docs/site", "is inside the handbook folder"),
        (".git/site", "is inside a .git folder"),
        ("other-repo", "is a git work tree"),
    ],
)
def test_a_site_folder_that_would_replace_what_csvf_does_not_own_is_refused(project: Path, site_dir: str, reason: str) -> None:
    (project / ".git").mkdir()
    (project / "other-repo" / ".git").mkdir(parents=True)
    (project / "build" / "docs-0123456789abcdef").mkdir(parents=True)
    before = snapshot(project)
    result = build("--site-dir", site_dir)
    assert result.exit_code == 2, result.output
    assert "refusing --site-dir" in result.output and reason in " ".join(result.output.split())
    assert snapshot(project) == before


def test_a_folder_above_the_content_is_refused(project: Path) -> None:
    add_content(project / "data" / "content", "beta")
    before = snapshot(project)
    result = build("--content", "data/content", "--site-dir", "data")
    assert result.exit_code == 2 and "holds the content folder" in result.output
    assert snapshot(project) == before


def test_the_configs_folder_is_refused(project: Path) -> None:
    (project / "conf").mkdir()
    (project / "conf" / "mkdocs.yml").write_text((project / "mkdocs.yml").read_text())
    before = snapshot(project)
    result = build("--config", "conf/mkdocs.yml", "--site-dir", "conf")
    assert result.exit_code == 2 and "is the config's folder" in result.output
    assert snapshot(project) == before


def test_the_current_folder_is_refused(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    (project / "work").mkdir()
    monkeypatch.chdir(project / "work")
    result = build("--content", "../content", "--config", "../mkdocs.yml", "--site-dir", ".")
    assert result.exit_code == 2 and "is the current folder" in result.output
    assert (project / "work").is_dir()


def test_a_site_folder_of_its_own_is_built(project: Path) -> None:
    result = build("--site-dir", "public/site")
    assert result.exit_code == 0, result.output
    assert (project / "public" / "site" / "customers" / "acme" / "index.md").is_file()


# --- what a build says --------------------------------------------------------------------------------


def test_the_last_line_says_what_to_open(project: Path) -> None:
    result = build()
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[-1] == LAST_LINE
    assert (project / "site" / "index.md").is_file()


def test_a_rebuild_reports_unchanged_files(project: Path) -> None:
    assert build().exit_code == 0
    again = build()
    assert again.exit_code == 0
    files = len(generate_docs(ContentBuilder(project / "content"), AS_OF, {"index.md": b"# About\n"}).files)
    assert f"0 files written, {files} unchanged, 0 removed" in again.output


def test_a_failed_engine_log_is_shown_visibly(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TEST_ENGINE_MODE", "fail")
    result = build()
    assert result.exit_code == 1
    assert "site build failed" in result.output and "\\x1b[2J" in result.output
    assert_harmless(result.output, annotations=0)
    assert leftovers(project) == []


# --- each build its own docs tree ---------------------------------------------------------------------


def test_each_content_and_site_pair_has_its_own_docs_tree(tmp_path: Path) -> None:
    config = tmp_path / "mkdocs.yml"
    first = site.docs_tree_for(config, tmp_path / "content", tmp_path / "site")
    assert first == site.docs_tree_for(config, Path(tmp_path / "x" / ".." / "content"), tmp_path / "site")
    assert first.parent == tmp_path / "build"
    others = {
        site.docs_tree_for(config, tmp_path / "other", tmp_path / "site"),
        site.docs_tree_for(config, tmp_path / "content", tmp_path / "other-site"),
        site.docs_tree_for(config, tmp_path / "content", None),
    }
    assert first not in others and len(others) == 3


def test_two_builds_of_the_same_tree_take_turns(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """A build waits for another build of the same docs tree (here: this test holding its lock)."""
    docs = site.docs_tree_for(project / "mkdocs.yml", project / "content", project / "site")
    waits: list[str] = []

    def blocked_then_free(handle: object, operation: int) -> None:
        if operation & fcntl.LOCK_NB:
            waits.append("busy")
            raise BlockingIOError(errno.EWOULDBLOCK, "busy")

    monkeypatch.setattr(site.fcntl, "flock", blocked_then_free)
    monkeypatch.setattr(site, "_owned", lambda folder: False)
    result = build()
    assert result.exit_code == 0, result.output
    assert "another build of the same content and site is running; waiting for it" in result.output
    assert waits and docs.is_dir()


@pytest.mark.site
def test_two_builds_at_once_of_different_content_stay_apart(tmp_path: Path) -> None:
    """Two content trees into two site folders, at the same time, with the real engine."""
    project = make_project(tmp_path / "p")
    add_content(project / "content-a", "alpha-one", "alpha-two")
    add_content(project / "content-b", "beta-one")
    builds = [
        subprocess.Popen(
            [sys.executable, "-m", "csvf_build.cli", "build", "--as-of", AS_OF, "--content", f"content-{x}", "--site-dir", f"site-{x}"],
            cwd=project,
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        for x in ("a", "b")
    ]
    outputs = [b.communicate(timeout=300)[0] for b in builds]
    assert [b.returncode for b in builds] == [0, 0], outputs
    for x, customers in (("a", ["alpha-one", "alpha-two"]), ("b", ["beta-one"])):
        assert sorted(p.name for p in (project / f"site-{x}" / "customers").iterdir() if p.is_dir()) == customers
        export = (project / f"site-{x}" / "exports" / "value-files.csv").read_text()
        assert all(cid in export for cid in customers) and ("beta" in export) == (x == "b")
    assert len([p for p in (project / "build").iterdir() if p.is_dir()]) == 2


# --- interrupted builds -------------------------------------------------------------------------------


def alive(pid: int) -> bool:
    """Whether process `pid` exists and is not a zombie."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except FileNotFoundError:
        return False
    return stat.rsplit(")", 1)[1].split()[0] != "Z"


def wait_for_file(path: Path, process: subprocess.Popen[str]) -> int:
    """The PID the stand-in engine writes once it is running (it runs until stopped)."""
    deadline = time.monotonic() + 120
    while not path.exists():
        assert process.poll() is None, process.communicate()[0]
        assert time.monotonic() < deadline, "the engine did not start"
        time.sleep(0.05)
    return int(path.read_text())


Start = Callable[..., "subprocess.Popen[str]"]


@pytest.fixture
def hanging_build(project: Path, engine_script: Path) -> Iterator[tuple[Start, Path]]:
    """Start a build in a process of its own whose engine runs until it is stopped; kill what is left at the end."""
    pidfile = project.parent / "engine.pid"
    started: list[subprocess.Popen[str]] = []

    def start(mode: str, grace: str = "30") -> subprocess.Popen[str]:
        process = subprocess.Popen(
            [sys.executable, "-c", WRAPPER, str(engine_script), grace, "build", "--as-of", AS_OF],
            cwd=project,
            env={**os.environ, "TEST_ENGINE_MODE": mode, "TEST_ENGINE_PIDFILE": str(pidfile)},
            stdout=subprocess.PIPE,
            stderr=subprocess.STDOUT,
            text=True,
        )
        started.append(process)
        return process

    yield start, pidfile
    for process in started:
        if process.poll() is None:
            process.kill()
            process.wait()
    if pidfile.exists() and alive(pid := int(pidfile.read_text())):
        os.kill(pid, signal.SIGKILL)


@pytest.mark.parametrize(("signum", "mode"), [(signal.SIGTERM, "hang"), (signal.SIGINT, "hang"), (signal.SIGTERM, "stubborn")])
def test_an_interrupted_build_stops_its_engine_and_leaves_the_old_site(
    project: Path, hanging_build: tuple[Start, Path], signum: int, mode: str
) -> None:
    start, pidfile = hanging_build
    assert build().exit_code == 0
    before = site_files(project / "site")
    add_content(project / "content", "newco")
    process = start(mode, grace="1")  # a stubborn engine ignores SIGTERM: it is killed after the grace period
    engine = wait_for_file(pidfile, process)
    assert leftovers(project), "the engine should be rendering into a staging folder"
    process.send_signal(signum)
    output = process.communicate(timeout=120)[0]
    assert process.returncode == 128 + signum, output
    assert "build interrupted; any running engine was stopped and site was left as it was" in output
    assert "Traceback" not in output
    assert not alive(engine)
    assert leftovers(project) == []
    assert site_files(project / "site") == before


def test_the_next_build_removes_what_a_killed_build_left(project: Path, hanging_build: tuple[Start, Path]) -> None:
    start, pidfile = hanging_build
    assert build().exit_code == 0
    before = site_files(project / "site")
    process = start("hang")
    engine = wait_for_file(pidfile, process)
    process.kill()  # no clean-up possible: the staging folder stays, the engine is orphaned
    process.wait()
    os.kill(engine, signal.SIGKILL)
    assert len(leftovers(project)) == 1
    assert site_files(project / "site") == before
    result = build()
    assert result.exit_code == 0, result.output
    assert "removed 1 folders left by interrupted builds" in result.output
    assert leftovers(project) == []


def test_a_staging_folder_of_a_running_build_is_kept(project: Path) -> None:
    running = project / ".site-new-1-running"
    stale = project / ".site-old-2"
    running.mkdir()
    stale.mkdir()
    handle = os.open(running, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        result = build()
        assert result.exit_code == 0, result.output
        assert leftovers(project) == [".site-new-1-running"]
    finally:
        os.close(handle)


# --- file-system errors -------------------------------------------------------------------------------


def one_line_error(result: Result, *needles: str) -> None:
    """Exit 1 with one `Error:` line naming the cause and the path, and no traceback."""
    errors = [line for line in result.output.splitlines() if line.startswith("Error: ")]
    assert result.exit_code == 1, result.output
    assert len(errors) == 1, result.output
    assert all(needle in errors[0] for needle in needles), errors[0]
    assert "Traceback" not in result.output


def failing(error: int, when: str, original: Callable[..., object]) -> Callable[..., object]:
    """A stand-in for a `Path` method that fails with `error` on paths whose name holds `when`."""

    def method(self: Path, *args: object, **kwargs: object) -> object:
        if when in self.name:
            raise OSError(error, os.strerror(error), str(self))
        return original(self, *args, **kwargs)

    return method


def test_a_read_only_site_folder_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build().exit_code == 0
    before = site_files(project / "site")

    def read_only(prefix: str, dir: str) -> str:
        raise OSError(errno.EROFS, os.strerror(errno.EROFS), dir)

    monkeypatch.setattr(site.tempfile, "mkdtemp", read_only)
    result = build()
    one_line_error(result, "Read-only file system", str(project), "site was left as it was")
    assert site_files(project / "site") == before


def test_a_full_disk_while_writing_the_docs_tree_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build().exit_code == 0
    before = site_files(project / "site")
    add_content(project / "content", "newco")
    write_bytes = Path.write_bytes

    def disk_full(self: Path, data: bytes) -> int:
        if self.name.endswith("index.md.tmp"):
            write_bytes(self, data[:3])  # the disk fills up mid-file
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC), str(self))
        return write_bytes(self, data)

    monkeypatch.setattr(Path, "write_bytes", disk_full)
    result = build()
    one_line_error(result, "No space left on device", "index.md")
    assert site_files(project / "site") == before
    assert not list((project / "build").rglob("*.tmp")), "no half-written file is left"


def test_an_unwritable_docs_tree_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(Path, "mkdir", failing(errno.EACCES, "build", Path.mkdir))
    result = build()
    one_line_error(result, "Permission denied", str(project / "build"))
    assert not (project / "site").exists()


def test_a_full_disk_while_publishing_keeps_the_old_site(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert build().exit_code == 0
    before = site_files(project / "site")
    add_content(project / "content", "newco")
    monkeypatch.setattr(Path, "replace", failing(errno.ENOSPC, ".site-new-", Path.replace))
    result = build()
    one_line_error(result, "No space left on device", ".site-new-")
    assert site_files(project / "site") == before
    assert leftovers(project) == []


def test_an_unreadable_record_is_one_line(project: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    def unreadable(self: FolderTree, path: str) -> bytes:
        raise PermissionError(errno.EACCES, os.strerror(errno.EACCES), str(self.root / path))

    monkeypatch.setattr(FolderTree, "read", unreadable)
    result = CliRunner().invoke(main, ["check", "--as-of", AS_OF], catch_exceptions=False)
    # each unreadable file is a content problem of its own, with its path and a hint: never a traceback
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert "company.yaml: error: this file cannot be read (Permission denied)" in result.output
    assert "hint: check that it is a plain file you may read" in result.output


# --- the pipeline -------------------------------------------------------------------------------------


def test_the_pipeline_gives_the_same_bytes_for_the_same_content_and_date(content: ContentBuilder) -> None:
    add_content(content.root, "acme", "beta")
    content.write("customers/acme/files/plan.txt", "the plan\n")
    first = generate_docs(content, AS_OF, {"index.md": b"# About\n"})
    second = generate_docs(content, AS_OF, {"index.md": b"# About\n"})
    assert first.files == second.files
    assert first.files["customers/acme/files/plan.txt"] == b"the plan\n"
    assert first.files["handbook/index.md"] == b"# About\n"
    assert [c.id for c in first.model.customers] == ["acme", "beta"]


def test_the_pipeline_returns_every_problem_instead_of_pages(content: ContentBuilder) -> None:
    add_content(content.root, "acme")
    content.record("acme", "2024-03-01-bad.md", "type: meeting\ndate: 2024-03-01\ntitle: Bad\nkind: chat\nstage: after\nhourz: 1")
    generated, problems = generate(FolderTree(content.root), date.fromisoformat(AS_OF), {})
    assert generated is None
    assert len(problems) == 2
