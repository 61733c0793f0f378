"""The disk and engine edge: write the docs tree, run MkDocs, publish atomically.

The generator's output is a plain docs tree, so any engine that reads
`mkdocs.yml` (MkDocs with Material today, Zensical tomorrow) can render it.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
import tempfile
from dataclasses import dataclass
from datetime import UTC, date, datetime
from pathlib import Path

from csvf_build.content.schema import Company
from csvf_build.render.page import engine_title

DOCS_DIR = Path("build/docs")
HANDBOOK_DIR = Path("docs")


@dataclass(frozen=True)
class WriteStats:
    written: int
    unchanged: int
    removed: int


def write_tree(root: Path, files: dict[str, bytes]) -> WriteStats:
    """Make `root` hold exactly `files`, touching only files whose bytes change.

    Unchanged files keep their modification time, so a live-reloading server
    rebuilds only what a content change really affects.
    """
    written = unchanged = removed = 0
    for rel, data in files.items():
        target = root / rel
        if target.is_file() and target.stat().st_size == len(data) and target.read_bytes() == data:
            unchanged += 1
            continue
        target.parent.mkdir(parents=True, exist_ok=True)
        temporary = target.with_name(f".{target.name}.tmp")
        temporary.write_bytes(data)
        temporary.replace(target)
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


def read_handbook(folder: Path = HANDBOOK_DIR) -> dict[str, bytes]:
    """The project's own docs pages, shown in the site's Handbook section."""
    if not folder.is_dir():
        return {}
    return {path.name: path.read_bytes() for path in sorted(folder.glob("*.md"))}


def engine_environment(company: Company, today: date) -> dict[str, str]:
    """What the engine reads from the environment: the company's look, a fixed date."""
    env = dict(os.environ)
    env["SOURCE_DATE_EPOCH"] = str(int(datetime(today.year, today.month, today.day, tzinfo=UTC).timestamp()))
    env["NO_MKDOCS_2_WARNING"] = "1"
    env["CSVF_SITE_NAME"] = engine_title(company.site_title)  # HTML-escaped: Material prints it raw
    env["CSVF_PRIMARY"] = (company.site and company.site.primary) or "indigo"
    env["CSVF_ACCENT"] = (company.site and company.site.accent) or "amber"
    bin_dir = str(Path(sys.executable).parent)
    env["PATH"] = bin_dir + os.pathsep + env.get("PATH", "")
    return env


def engine_command(config: Path, site_dir: Path) -> list[str]:
    """MkDocs, strict: a broken link or a missing page fails the build."""
    return [sys.executable, "-m", "mkdocs", "build", "--strict", "--config-file", str(config), "--site-dir", str(site_dir)]


def build_site(config: Path, site_dir: Path, env: dict[str, str]) -> tuple[bool, str]:
    """Render into a fresh folder beside `site_dir`, then swap it in.

    On failure `site_dir` is left exactly as it was.
    """
    site_dir = site_dir.resolve()
    site_dir.parent.mkdir(parents=True, exist_ok=True)
    staging = Path(tempfile.mkdtemp(prefix=f".{site_dir.name}-new-", dir=site_dir.parent))
    result = subprocess.run(
        engine_command(config, staging),
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        shutil.rmtree(staging, ignore_errors=True)
        return False, result.stdout + result.stderr
    publish(staging, site_dir)
    return True, result.stdout + result.stderr


def publish(staging: Path, site_dir: Path) -> None:
    """Swap `staging` in as `site_dir`; the old site is removed only afterwards."""
    old = None
    if site_dir.exists():
        old = site_dir.with_name(f".{site_dir.name}-old-{os.getpid()}")
        site_dir.replace(old)
    staging.replace(site_dir)
    if old is not None:
        shutil.rmtree(old, ignore_errors=True)
