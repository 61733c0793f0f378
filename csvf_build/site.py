"""The disk and engine edge: write the docs tree, run the engine, publish atomically.

The generator's output is a plain docs tree, so any engine that reads
`mkdocs.yml` renders it: MkDocs with Material, ProperDocs (a maintained
fork of MkDocs 1.6) or Zensical. Each build gets a docs tree of its own,
`build/docs-<key>/` beside the configuration, keyed by the content and site
folders, so two builds never mix pages and a rerun rewrites only what
changed. The engine renders into a staging folder beside the site, which is
swapped in only when the engine succeeded.
"""

from __future__ import annotations

import contextlib
import ctypes
import fcntl
import hashlib
import importlib.util
import json
import os
import pickle
import re
import shutil
import signal
import subprocess
import sys
import tempfile
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, date, datetime
from importlib.metadata import PackageNotFoundError
from importlib.metadata import version as package_version
from pathlib import Path

from csvf_build import __version__
from csvf_build.content.schema import Company
from csvf_build.history import ContentVersion
from csvf_build.render.page import engine_title

HANDBOOK_DIR = Path("docs")
BUILD_DIR = "build"
DOCS_DIR_VARIABLE = "CSVF_DOCS_DIR"
SITE_DIR_VARIABLE = "CSVF_SITE_DIR"
ENGINE_GRACE_SECONDS = 10.0
"""How long a stopped engine gets to exit after SIGTERM before it is killed."""


@dataclass(frozen=True)
class Engine:
    """A site engine that reads `mkdocs.yml`, run as `python -m <module> build`."""

    name: str
    module: str
    takes_site_dir: bool  # False: the engine reads site_dir from the config only (CSVF_SITE_DIR)
    package: str


ENGINES = {
    engine.name: engine
    for engine in (
        Engine("mkdocs", "mkdocs", takes_site_dir=True, package="mkdocs"),
        Engine("properdocs", "properdocs", takes_site_dir=True, package="properdocs"),
        Engine("zensical", "zensical", takes_site_dir=False, package="zensical"),
    )
}


@dataclass(frozen=True)
class WriteStats:
    """What a docs-tree write did; `unchanged` files kept their modification time."""

    written: int
    unchanged: int
    removed: int

    @property
    def changed(self) -> int:
        return self.written + self.removed


def write_tree(root: Path, files: dict[str, bytes]) -> WriteStats:
    """Make `root` hold exactly `files`, touching only files whose bytes change.

    Unchanged files keep their modification time, so a live-reloading server
    rebuilds only what a content change really affects. Each file is written
    to a temporary name and renamed, so none is ever left half-written.
    """
    written = unchanged = removed = 0
    for rel, data in files.items():
        target = root / rel
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        write_file(target, data)
        written += 1
    if root.exists():
        wanted = {root / rel for rel in files}
        for path in sorted(root.rglob("*"), reverse=True):
            if path.is_file() and path not in wanted:
                path.unlink()
                removed += 1
            elif path.is_dir() and not any(path.iterdir()):
                path.rmdir()
    return WriteStats(written, unchanged, removed)


def write_file(target: Path, data: bytes) -> None:
    """Write through a temporary file that is removed if anything fails (disk full, interrupt)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    temporary = target.with_name(f".{target.name}.tmp")
    try:
        temporary.write_bytes(data)
        temporary.replace(target)
    except BaseException:
        with contextlib.suppress(OSError):
            temporary.unlink(missing_ok=True)
        raise


HANDBOOK_IMAGES = ("*.png", "*.jpg", "*.webp")


def read_handbook(folder: Path = HANDBOOK_DIR) -> dict[str, bytes]:
    """The project's own docs pages and their pictures (`images/`), shown in the site's Handbook section."""
    if not folder.is_dir():
        return {}
    pages = {path.name: path.read_bytes() for path in sorted(folder.glob("*.md"))}
    images = {f"images/{path.name}": path.read_bytes() for pattern in HANDBOOK_IMAGES for path in sorted((folder / "images").glob(pattern))}
    return pages | images


def docs_tree_for(config: Path, content_dir: Path, site_dir: Path | None) -> Path:
    """This build's own docs tree: `build/docs-<key>/` beside the config.

    The key is the resolved content folder and site folder (None: the live
    preview), so the same build finds its tree again (unchanged pages keep
    their times) and two different builds never share one. It lies inside
    the config's folder because Zensical reads no docs tree outside it.
    """
    site = str(site_dir.resolve()) if site_dir is not None else "(serve)"
    key = f"{content_dir.resolve()}\0{site}".encode("utf-8", "surrogateescape")
    return config.resolve().parent / BUILD_DIR / f"docs-{hashlib.sha256(key).hexdigest()[:16]}"


def cache_root(config: Path) -> Path:
    """Where builds keep what they can reuse: `CSVF_CACHE_DIR`, else `build/cache/` beside the config.

    Everything in it is stored under a hash of its inputs (and the csvf
    version), so every build may share one cache and CI can keep it between
    runs; deleting it only makes the next build slower.
    """
    root = os.environ.get("CSVF_CACHE_DIR")
    return Path(root) if root else config.resolve().parent / BUILD_DIR / "cache"


def chart_cache_for(config: Path) -> Path:
    """Where drawn charts are kept between builds (stored by the hash of what they show)."""
    return cache_root(config) / "charts"


def memo_cache_for(config: Path) -> Path:
    """Where each customer's figures, charts, page and packs are kept between builds (`memo.py`)."""
    return cache_root(config) / "customers"


def parse_cache_for(config: Path) -> Path:
    """Where each content file's parse is kept between runs (`content/parsecache.py`)."""
    return cache_root(config) / "parse"


@dataclass(frozen=True)
class Protected:
    """A folder a site folder may never hold (a build replaces the site folder whole)."""

    what: str
    path: Path
    nor_be_inside: bool


def handbook_for(config: Path) -> Path:
    """The project's handbook pages: `docs/` beside the config, wherever csvf is run from."""
    return config.resolve().parent / HANDBOOK_DIR


def protected_folders(content_dir: Path, docs_dir: Path, config: Path, cwd: Path) -> list[Protected]:
    """What a build must never replace: content, docs trees, handbook, config and current folders, git work trees."""
    config_dir = config.resolve().parent
    folders = [
        Protected("the content folder", content_dir.resolve(), nor_be_inside=True),
        Protected("the config's folder", config_dir, nor_be_inside=False),
        Protected("the folder of docs trees", docs_dir.resolve().parent, nor_be_inside=True),
        Protected("the handbook folder", handbook_for(config), nor_be_inside=True),
        Protected("the current folder", cwd.resolve(), nor_be_inside=False),
    ]
    roots = {root for start in (content_dir.resolve(), config_dir, cwd.resolve()) if (root := git_work_tree(start)) is not None}
    folders += [Protected("a git work tree", root, nor_be_inside=False) for root in sorted(roots)]
    return folders


def git_work_tree(start: Path) -> Path | None:
    """The root of the git work tree holding `start` (the nearest folder with a `.git`), if any."""
    for folder in (start, *start.parents):
        if (folder / ".git").exists():
            return folder
    return None


def site_dir_refusal(site_dir: Path, protected: list[Protected]) -> str | None:
    """Why `site_dir` may not be replaced by a build, or None when it may."""
    site = site_dir.resolve()
    if ".git" in site.parts:
        return f"the site folder {site} is inside a .git folder"
    if (site / ".git").exists():
        return f"the site folder {site} is a git work tree"
    for folder in protected:
        if folder.path.is_relative_to(site):
            same = "is" if folder.path == site else "holds"
            return f"the site folder {site} {same} {folder.what} ({folder.path}); a build replaces the whole site folder"
        if folder.nor_be_inside and site.is_relative_to(folder.path):
            return f"the site folder {site} is inside {folder.what} ({folder.path})"
    return None


def engine_refusal(engine: Engine, config: Path, site_dir: Path | None) -> str | None:
    """Why `engine` cannot build with `config` into `site_dir` (None: the live preview), or None when it can."""
    if importlib.util.find_spec(engine.module) is None:
        return f"the {engine.name} engine is not installed here (pip install {engine.package})"
    text = config.read_text(encoding="utf-8", errors="replace")
    if not _reads_variable(text, "docs_dir", DOCS_DIR_VARIABLE):
        return f"{config} must read its docs tree from {DOCS_DIR_VARIABLE}: docs_dir: !ENV [{DOCS_DIR_VARIABLE}, build/docs]"
    if not engine.takes_site_dir and site_dir is not None:
        if not _reads_variable(text, "site_dir", SITE_DIR_VARIABLE):
            return f"{engine.name} reads the site folder from the config only: {config} needs site_dir: !ENV [{SITE_DIR_VARIABLE}, site]"
        config_dir = config.resolve().parent
        if not site_dir.resolve().is_relative_to(config_dir):
            return f"{engine.name} builds only inside the config's folder ({config_dir}); choose a --site-dir there"
    return None


def docs_dir_setting(config: Path, docs_dir: Path) -> str:
    """`docs_dir` as the config names it: relative to the config's folder (Zensical panics on an absolute one)."""
    return os.path.relpath(docs_dir.resolve(), config.resolve().parent)


def _reads_variable(config_text: str, setting: str, variable: str) -> bool:
    """Whether the config sets `setting: !ENV [variable, …]` (or `!ENV variable`) at its top level."""
    return re.search(rf"^{setting}:\s*!ENV\s*\[?\s*{variable}\b", config_text, re.MULTILINE) is not None


def content_version_text(version: ContentVersion | None) -> str:
    """The content version as every page's footer says it: nearest tag or commit, and uncommitted changes."""
    if version is None or version.commit is None:
        return "not in git" if version is None or not version.dirty else "not committed yet"
    text = f"{version.describe or version.commit[:10]} (commit {version.commit[:10]})"
    return text + (", with uncommitted changes" if version.dirty else "")


def engine_environment(company: Company, today: date, version: ContentVersion | None = None) -> dict[str, str]:
    """What the engine reads from the environment: the company's look, a fixed date, the content version."""
    env = dict(os.environ)
    # One sentence, not a bare date: the engine reads !ENV values as YAML, and a date would not stay text.
    footer = f"Content version {content_version_text(version)} · figures as of {today.isoformat()}"
    env["CSVF_FOOTER"] = engine_title(footer)  # HTML-escaped: a tag name may hold `<`
    env["SOURCE_DATE_EPOCH"] = str(int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp()))
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["CSVF_SITE_NAME"] = engine_title(company.site_title)  # HTML-escaped: Material prints it raw
    env["CSVF_PRIMARY"] = (company.site and company.site.primary) or "indigo"
    env["CSVF_ACCENT"] = (company.site and company.site.accent) or "amber"
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def engine_command(engine: Engine, config: Path, site_dir: Path) -> list[str]:
    """The engine, strict: a broken link or a missing page fails the build."""
    command = [sys.executable, "-m", engine.module, "build", "--strict", "--config-file", str(config)]
    return [*command, "--site-dir", str(site_dir)] if engine.takes_site_dir else command


@contextlib.contextmanager
def locked(lock_file: Path, on_wait: Callable[[], None] | None = None) -> Iterator[None]:
    """Hold an exclusive lock on `lock_file` (created if need be); `on_wait` is called before blocking."""
    lock_file.parent.mkdir(parents=True, exist_ok=True)
    with lock_file.open("a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            if on_wait is not None:
                on_wait()
            fcntl.flock(handle, fcntl.LOCK_EX)
        yield


def docs_lock(docs_dir: Path) -> Path:
    """The lock file two builds of the same docs tree take turns on."""
    return docs_dir.with_name(f"{docs_dir.name}.lock")


@dataclass(frozen=True)
class SiteBuild:
    """How the engine run went: its log, and how many stale folders of killed builds were removed."""

    ok: bool
    log: str
    stale_removed: int
    kept: bool = False  # True: nothing the engine reads had changed, so the site was left as it was


PAGE_CACHE_VARIABLE = "CSVF_PAGE_CACHE"  # read by csvf_build/enginehook.py inside the engine
_STAMPED_VARIABLES = ("SOURCE_DATE_EPOCH", "NO_MKDOCS_2_WARNING")


def page_cache_for(config: Path) -> Path:
    """Where the engine adapter keeps each page's converted Markdown (`enginehook.py`)."""
    return cache_root(config) / "pages"


def _stamp_file(config: Path, site_dir: Path) -> Path:
    key = hashlib.sha256(str(site_dir.resolve()).encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return cache_root(config) / "sites" / f"{key}.json"


def site_inputs(engine: Engine, config: Path, docs_dir: Path, env: dict[str, str]) -> str:
    """A hash of everything the engine reads: its version and csvf's, the config, the theme folder, the docs tree, its settings.

    The same inputs give the same site (builds are reproducible), so a site
    built from this very hash is still the site a new build would make.
    """
    digest = hashlib.sha256()

    def add(*parts: str | bytes) -> None:
        for part in parts:
            data = part if isinstance(part, bytes) else part.encode("utf-8", "surrogateescape")
            digest.update(len(data).to_bytes(8, "little") + data)

    versions = []
    for name in (engine.package, "mkdocs-material", "markdown", "pymdown-extensions"):
        try:
            versions.append(f"{name} {package_version(name)}")
        except PackageNotFoundError:
            versions.append(f"{name} -")
    add(f"csvf {__version__}", engine.name, *versions, config.read_bytes())
    add(*(f"{k}={v}" for k, v in sorted(env.items()) if k.startswith("CSVF_") or k in _STAMPED_VARIABLES))
    code = Path(__file__).resolve().parent
    for folder in (config.resolve().parent / "theme", docs_dir, code):
        files = [p for p in folder.rglob("*") if p.is_file() and "__pycache__" not in p.parts] if folder.is_dir() else []
        for path in sorted(files):
            if folder != code or path.suffix == ".py":
                add(str(path.relative_to(folder)), path.read_bytes())
    return digest.hexdigest()


def _manifest(site_dir: Path) -> list[list[object]]:
    """Every file of the site with its size and modification time: a site changed by hand is built again."""
    if not site_dir.is_dir():
        return []
    entries = []
    for path in sorted(site_dir.rglob("*")):
        if path.is_file():
            info = path.stat()
            entries.append([str(path.relative_to(site_dir)), info.st_size, info.st_mtime_ns])
    return entries


def _site_is_current(stamp_file: Path, inputs: str, site_dir: Path) -> bool:
    try:
        stored = json.loads(stamp_file.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False
    return isinstance(stored, dict) and stored.get("inputs") == inputs and stored.get("manifest") == _manifest(site_dir) != []


def _stamp(stamp_file: Path, inputs: str, site_dir: Path) -> None:
    with contextlib.suppress(OSError):
        write_file(stamp_file, json.dumps({"inputs": inputs, "manifest": _manifest(site_dir)}).encode())


@dataclass(frozen=True)
class KeptDocs:
    """What a build says about a docs tree it did not need to make again."""

    company: Company
    summary: str
    files: int


def _docs_stamp_file(config: Path, docs_dir: Path) -> Path:
    return cache_root(config) / "docs" / f"{docs_dir.name}.pickle"


def kept_docs(config: Path, docs_dir: Path, inputs: str) -> KeptDocs | None:
    """The docs tree's stamp, if `docs_dir` was generated from exactly `inputs` and is untouched since."""
    try:
        stored = pickle.loads(_docs_stamp_file(config, docs_dir).read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    if not isinstance(stored, dict) or stored.get("inputs") != inputs or stored.get("manifest") != _manifest(docs_dir):
        return None
    kept = stored.get("kept")
    return kept if isinstance(kept, KeptDocs) else None


def stamp_docs(config: Path, docs_dir: Path, inputs: str, kept: KeptDocs) -> None:
    """Remember that `docs_dir` now holds what `inputs` generate (a cache: failing to write it only costs time)."""
    payload = {"inputs": inputs, "manifest": _manifest(docs_dir), "kept": kept}
    with contextlib.suppress(OSError):
        write_file(_docs_stamp_file(config, docs_dir), pickle.dumps(payload, protocol=pickle.HIGHEST_PROTOCOL))


def build_site(engine: Engine, config: Path, site_dir: Path, docs_dir: Path, env: dict[str, str]) -> SiteBuild:
    """Render into a fresh staging folder beside `site_dir`, then swap it in.

    On failure or interruption the staging folder is removed, the engine
    stopped, and `site_dir` is left exactly as it was. When nothing the
    engine reads has changed since it built `site_dir`, the site is kept
    as it is and the engine does not run.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    env = {PAGE_CACHE_VARIABLE: str(page_cache_for(config)), **env, DOCS_DIR_VARIABLE: docs_dir_setting(config, docs_dir)}
    inputs, stamp_file = site_inputs(engine, config, docs_dir, env), _stamp_file(config, site_dir)
    with _publishing(site_dir):
        stale = remove_stale(site_dir)
        if _site_is_current(stamp_file, inputs, site_dir):
            return SiteBuild(True, "", stale, kept=True)
        staging, handle = _new_staging(site_dir)
    published = False
    try:
        env = {**env, SITE_DIR_VARIABLE: str(staging)}
        code, log = run_engine(engine_command(engine, config, staging), env)
        if code == 0:
            with _publishing(site_dir):
                publish(staging, site_dir)
                _stamp(stamp_file, inputs, site_dir)
            published = True
        return SiteBuild(code == 0, log, stale)
    finally:
        os.close(handle)
        if not published:
            shutil.rmtree(staging, ignore_errors=True)


PR_SET_PDEATHSIG = 1  # prctl(2): the signal the kernel sends a process when its parent dies


def _dies_with(parent: int) -> Callable[[], None] | None:
    """For the engine's process (Linux): killed by the kernel when csvf dies, even by SIGKILL, so no engine outlives its build."""
    if not sys.platform.startswith("linux"):
        return None
    prctl = ctypes.CDLL(None, use_errno=True).prctl  # looked up before the fork: the child only makes the call

    def arrange() -> None:
        prctl(PR_SET_PDEATHSIG, signal.SIGKILL)
        if os.getppid() != parent:  # csvf died before the line above took effect
            os._exit(1)

    return arrange


def run_engine(command: list[str], env: dict[str, str]) -> tuple[int, str]:
    """Run the engine to the end; on an interrupt (or any error) stop it before passing that on."""
    process = subprocess.Popen(
        command,
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        text=True,
        encoding="utf-8",
        errors="replace",
        preexec_fn=_dies_with(os.getpid()),
    )
    try:
        log, _ = process.communicate()
    except BaseException:
        stop_engine(process)
        raise
    return process.returncode, log


def stop_engine(process: subprocess.Popen[str], grace: float | None = None) -> None:
    """SIGTERM, then SIGKILL if the engine has not exited within `grace` seconds; always reaped."""
    process.terminate()
    try:
        process.wait(ENGINE_GRACE_SECONDS if grace is None else grace)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


@contextlib.contextmanager
def _publishing(site_dir: Path) -> Iterator[None]:
    """Hold the lock for swapping folders beside `site_dir`: a flock on its parent folder, no lock file left behind."""
    handle = os.open(site_dir.parent, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX)
        yield
    finally:
        os.close(handle)


def _new_staging(site_dir: Path) -> tuple[Path, int]:
    """A staging folder, locked (flock on the folder) for as long as this build owns it."""
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-{os.getpid()}-", dir=site_dir.parent))
    handle = os.open(staging, os.O_RDONLY | os.O_DIRECTORY)
    fcntl.flock(handle, fcntl.LOCK_EX)
    return staging, handle


def remove_stale(site_dir: Path) -> int:
    """Remove staging and old-site folders beside `site_dir` that no running build owns.

    A running build holds a lock on its staging folder; the lock dies with
    its process, however that ends, so an unlocked folder is a leftover of
    a killed build (whatever its PID, which may have been reused since).
    Called under the publish lock, so no old-site folder is mid-swap.
    """
    prefixes = (f".{site_dir.name}-new-", f".{site_dir.name}-old-")
    removed = 0
    for path in sorted(site_dir.parent.iterdir()):
        if path.name.startswith(prefixes) and path.is_dir() and not path.is_symlink() and not _owned(path):
            shutil.rmtree(path, ignore_errors=True)
            removed += 1
    return removed


def _owned(folder: Path) -> bool:
    """Whether a running build holds the lock on `folder`."""
    handle = os.open(folder, os.O_RDONLY | os.O_DIRECTORY)
    try:
        fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
    except BlockingIOError:
        return True
    finally:
        os.close(handle)
    return False


def publish(staging: Path, site_dir: Path) -> None:
    """Swap `staging` in as `site_dir`; the old site is removed only afterwards, restored if the swap fails."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
        site_dir.replace(old)
    try:
        staging.replace(site_dir)
    except OSError:
        if old is not None:
            old.replace(site_dir)
        raise
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
