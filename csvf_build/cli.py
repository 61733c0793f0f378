"""The `csvf` command: check, build, serve. A thin shell around the pipeline."""

from __future__ import annotations

import functools
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable
from datetime import date
from pathlib import Path

import click
from rich.console import Console
from rich.text import Text

from csvf_build import __version__
from csvf_build.charts.cache import draw_charts
from csvf_build.check import check
from csvf_build.content.load import Content
from csvf_build.content.tree import FolderTree
from csvf_build.model.compute import Model, compute_model
from csvf_build.model.periods import build_date
from csvf_build.problems import Problem
from csvf_build.render.pages import render_site
from csvf_build.site import DOCS_DIR, build_site, engine_environment, read_handbook, write_tree

EXIT_CONTENT = 1
CHART_CACHE = Path("build/cache/charts")
out = Console(highlight=False)
err = Console(stderr=True, highlight=False)


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    try:
        return build_date(date.fromisoformat(value) if value else None)
    except ValueError as error:
        raise click.BadParameter(f"{error} (expected YYYY-MM-DD; SOURCE_DATE_EPOCH must be whole seconds)") from None


def content_options(command: Callable[..., None]) -> Callable[..., None]:
    command = click.option(
        "--as-of",
        "today",
        callback=_as_of,
        metavar="YYYY-MM-DD",
        help="Build date for every figure (default: SOURCE_DATE_EPOCH, else today, UTC).",
    )(command)
    return click.option(
        "--content",
        "content_dir",
        default="content",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="The content folder.",
    )(command)


@click.group(context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csvf")
def main() -> None:
    """csvf: customer service value files as code.

    Checks the records under content/, computes the value model and builds
    the internal value-file site.
    """


def report(problems: list[Problem]) -> None:
    """Print every problem, and GitHub annotations when running in Actions."""
    for problem in problems:
        err.print(_problem_text(problem), soft_wrap=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.as_github_annotation(), file=sys.stderr)
    err.print(f"[bold red]{len(problems)} problem{'s' if len(problems) != 1 else ''} found[/]; nothing was built or published.")


def _problem_text(problem: Problem) -> Text:
    text = Text()
    text.append(problem.where(), style="bold")
    text.append(": ")
    text.append("error: ", style="bold red")
    text.append(problem.message)
    if problem.hint:
        text.append("\n    hint: ", style="cyan")
        text.append(problem.hint)
    return text


def load_checked(content_dir: Path, today: date) -> tuple[FolderTree, Content]:
    if not content_dir.is_dir():
        raise click.UsageError(f"content folder '{content_dir}' not found (use --content DIR)")
    tree = FolderTree(content_dir)
    content, problems = check(tree, today)
    if content is None:
        report(problems)
        sys.exit(EXIT_CONTENT)
    return tree, content


def summary(content: Content, model: Model) -> str:
    records = sum(len(c.records) for c in content.customers)
    health = Counter(c.health.level for c in model.customers)
    years = (
        f"{len(model.fiscal_years)} fiscal years (FY{model.fiscal_years[0]}-FY{model.fiscal_years[-1]})"
        if model.fiscal_years
        else "no fiscal years yet"
    )
    return (
        f"{len(content.customers)} customers, {records} records, {len(content.catalog.services)} catalog services, "
        f"{years}; health: "
        f"{health['red']} red, {health['amber']} amber, {health['green']} green"
    )


@main.command("check")
@content_options
def check_command(content_dir: Path, today: date) -> None:
    """Check the content: every problem with file, line and a hint. Exit 1 on problems."""
    started = time.perf_counter()
    _, content = load_checked(content_dir, today)
    model = compute_model(content, today)
    out.print(f"[green]OK[/] {summary(content, model)}; build date {today} ({time.perf_counter() - started:.2f} s)")


def generate(content_dir: Path, today: date) -> tuple[Content, Model, int]:
    """Check, compute and write the docs tree; returns how many files changed."""
    tree, content = load_checked(content_dir, today)
    model = compute_model(content, today)
    attachments = {path: tree.read(path) for c in content.customers for path in c.attachments}
    draw = functools.partial(draw_charts, cache_dir=CHART_CACHE)
    files = render_site(model, content, attachments, read_handbook(), draw)
    stats = write_tree(DOCS_DIR, files)
    return content, model, stats.written + stats.removed


@main.command("build")
@content_options
@click.option(
    "--site-dir", default="site", show_default=True, type=click.Path(file_okay=False, path_type=Path), help="Where the built site goes."
)
@click.option(
    "--config",
    "config",
    default="mkdocs.yml",
    show_default=True,
    type=click.Path(dir_okay=False, exists=True, path_type=Path),
    help="The MkDocs configuration.",
)
def build_command(content_dir: Path, today: date, site_dir: Path, config: Path) -> None:
    """Check, generate the docs tree, render the site; publish only if all succeed."""
    started = time.perf_counter()
    content, model, changed = generate(content_dir, today)
    generated = time.perf_counter()
    ok, log = build_site(config, site_dir, engine_environment(content.company, today))
    if not ok:
        err.print(log)
        err.print(f"[bold red]site build failed[/]; {site_dir} was left as it was.")
        sys.exit(EXIT_CONTENT)
    done = time.perf_counter()
    out.print(f"[green]Built[/] {site_dir}/ from {summary(content, model)}; build date {today}")
    out.print(
        f"  check + model + pages: {generated - started:.2f} s ({changed} files changed in {DOCS_DIR}); site: {done - generated:.2f} s"
    )


@main.command("serve")
@content_options
@click.option("--dev-addr", default="127.0.0.1:8000", show_default=True, help="Address the preview server listens on.")
@click.option("--config", "config", default="mkdocs.yml", show_default=True, type=click.Path(dir_okay=False, exists=True, path_type=Path))
def serve_command(content_dir: Path, today: date, dev_addr: str, config: Path) -> None:
    """Live preview: saving a record regenerates its page and reloads the browser."""
    from csvf_build.watch import watch_content

    content, _, _ = generate(content_dir, today)
    env = engine_environment(content.company, today)
    server = subprocess.Popen(
        [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config), "--dev-addr", dev_addr, "--livereload"], env=env
    )
    out.print(f"[green]Serving[/] http://{dev_addr}/ ; watching {content_dir}/ (Ctrl+C to stop)")

    def regenerate() -> None:
        try:
            _, _, changed = generate(content_dir, today)
            out.print(f"regenerated: {changed} files changed")
        except SystemExit:
            err.print("[yellow]the preview keeps showing the last good content until the problems are fixed[/]")

    def stop_on_signal(*_: object) -> None:
        raise KeyboardInterrupt

    signal.signal(signal.SIGTERM, stop_on_signal)
    try:
        watch_content(content_dir, regenerate, stop=lambda: server.poll() is not None)
    except KeyboardInterrupt:
        out.print("stopping the preview")
    finally:
        server.terminate()
        server.wait()


# The customer pack: csvf_build/present/ (its command module imports nothing from here at load time).
from csvf_build.present.command import present_command  # noqa: E402

main.add_command(present_command)


if __name__ == "__main__":
    main()
