"""`csvf publish VERSION [ALIAS...]`: deploy the generated site as a version with mike.

Run after `csvf build` (which writes the docs tree that MkDocs renders) with the
same build date. mike builds the site itself and commits it into a local
branch (default gh-pages); pushing that branch is the workflow's job, with
its own token. A `--frozen` version (a yearly snapshot such as fy2026) is
deployed once and never replaced.
"""

from __future__ import annotations

import functools
import json
import shutil
import subprocess
import sys
from datetime import date
from pathlib import Path

import click

from csvf_build.charts.cache import draw_charts
from csvf_build.commands.common import EXIT_CONTENT, content_options, err, fail_usage, out, report
from csvf_build.content.tree import FolderTree
from csvf_build.options import packs_option
from csvf_build.pipeline import generate
from csvf_build.site import (
    DOCS_DIR_VARIABLE,
    chart_cache_for,
    docs_dir_setting,
    docs_lock,
    docs_tree_for,
    engine_environment,
    handbook_for,
    locked,
    read_handbook,
    write_tree,
)

VERSIONS_CONFIG = Path("mkdocs-versions.yml")


def mike(args: list[str], env: dict[str, str]) -> subprocess.CompletedProcess[str]:
    """Run mike from the same environment as csvf (its `bin` is on PATH for `mkdocs build`)."""
    executable = shutil.which("mike", path=env.get("PATH"))
    if executable is None:
        raise fail_usage("mike is not installed", "pip install -r requirements.lock")
    return subprocess.run([executable, *args], env=env, capture_output=True, text=True, check=False)


def deployed_versions(config: Path, branch: str, env: dict[str, str]) -> list[dict[str, object]]:
    """What `mike list --json` knows on `branch` (nothing before the first deploy)."""
    listed = mike(["list", "--json", "-F", str(config), "-b", branch], env)
    if listed.returncode != 0:
        return []
    data = json.loads(listed.stdout or "[]")
    return data if isinstance(data, list) else []


@click.command("publish")
@click.argument("version")
@click.argument("aliases", nargs=-1)
@content_options
@click.option(
    "--config",
    "config",
    default=str(VERSIONS_CONFIG),
    show_default=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="MkDocs configuration with the version selector (INHERITs mkdocs.yml).",
)
@click.option("--branch", default="gh-pages", show_default=True, help="Local branch that holds every published version.")
@click.option("--title", default=None, help="Title of the version in the selector (default: the version).")
@click.option("--frozen", is_flag=True, help="Deploy once, never replace: for snapshots presented to customers.")
@click.option("--default", "default", default=None, metavar="VERSION_OR_ALIAS", help="Make this the version the site root opens.")
@packs_option(default=True)
def publish_command(
    version: str,
    aliases: tuple[str, ...],
    content_dir: Path,
    today: date,
    config: Path,
    branch: str,
    title: str | None,
    frozen: bool,
    default: str | None,
    packs: bool,
) -> None:
    """Deploy the built site as VERSION (with ALIASes, e.g. latest) into a local branch with mike."""
    if not content_dir.is_dir():
        raise fail_usage(f"content folder '{content_dir}' not found", "use --content DIR")
    draw = functools.partial(draw_charts, cache_dir=chart_cache_for(config))
    generated, problems = generate(FolderTree(content_dir), today, read_handbook(handbook_for(config)), draw=draw, packs=packs)
    if generated is None:
        report(problems, "nothing was published")
        sys.exit(EXIT_CONTENT)
    docs = docs_tree_for(config, content_dir, None)  # the same tree the live preview uses: mike builds it itself
    with locked(docs_lock(docs)):
        write_tree(docs, generated.files)
    env = engine_environment(generated.content.company, today)
    env[DOCS_DIR_VARIABLE] = docs_dir_setting(config, docs)
    if frozen and any(v.get("version") == version for v in deployed_versions(config, branch, env)):
        out.print(f"[yellow]{version} is frozen and already published on {branch}[/]; left as it was.")
        return
    args = ["deploy", "-F", str(config), "-b", branch, "--alias-type", "copy", "-m", f"Publish {version} (build date {today})"]
    if aliases:
        args.append("--update-aliases")
    if title:
        args += ["--title", title]
    result = mike([*args, "--", version, *aliases], env)
    if result.returncode != 0:
        err.print(result.stdout + result.stderr)
        err.print(f"[bold red]mike deploy failed[/]; {branch} was left as it was.")
        sys.exit(EXIT_CONTENT)
    if default:
        chosen = mike(["set-default", "-F", str(config), "-b", branch, "--", default], env)
        if chosen.returncode != 0:
            err.print(chosen.stdout + chosen.stderr)
            sys.exit(EXIT_CONTENT)
    names = ", ".join((version, *aliases))
    out.print(f"[green]Published[/] {names} into branch {branch} (build date {today}); push it to publish.")
