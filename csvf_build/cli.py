"""The `csvf` command: check, build, serve. A thin shell around the pipeline.

Everything a command needs is computed by `pipeline`, written and rendered
by `site`; this module parses options, refuses what would do harm, and turns
every outcome (problems, a failed engine, a full disk, an interrupt) into one
clear message and an exit code, never a traceback.
"""

from __future__ import annotations

import contextlib
import functools
import hashlib
import os
import signal
import subprocess
import sys
import time
from collections import Counter
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date
from pathlib import Path
from types import FrameType
from typing import Any

import click
from rich.text import Text

from csvf_build import __version__
from csvf_build.charts.cache import ChartStats, draw_charts
from csvf_build.console import err, out, visible
from csvf_build.content.parsecache import FileDigests, ParseCache
from csvf_build.content.schema import Company
from csvf_build.content.tree import FolderTree
from csvf_build.history import History, read_history
from csvf_build.memo import Memo, fresh
from csvf_build.model.compute import Model
from csvf_build.options import content_options, packs_option
from csvf_build.pipeline import Checked, Generated, check_and_compute, content_digests, customer_memo, generate, inputs_key
from csvf_build.problems import Problem
from csvf_build.render.pages import ChartDrawer
from csvf_build.site import (
    DOCS_DIR_VARIABLE,
    ENGINES,
    PAGE_CACHE_VARIABLE,
    KeptDocs,
    SiteBuild,
    WriteStats,
    build_site,
    chart_cache_for,
    docs_dir_setting,
    docs_lock,
    docs_tree_for,
    engine_environment,
    engine_refusal,
    handbook_for,
    kept_docs,
    locked,
    memo_cache_for,
    page_cache_for,
    parse_cache_for,
    protected_folders,
    read_handbook,
    site_dir_refusal,
    stamp_docs,
    write_file,
    write_tree,
)

EXIT_CONTENT = 1
PREVIEW_ADDRESS = "127.0.0.1:8000"


class Interrupted(BaseException):
    """SIGINT or SIGTERM arrived during a build (a BaseException, like KeyboardInterrupt: no `except Exception` swallows it)."""

    def __init__(self, signum: int) -> None:
        super().__init__(signum)
        self.signum = signum


def config_option(command: Callable[..., None]) -> Callable[..., None]:
    return click.option(
        "--config",
        "config",
        default="mkdocs.yml",
        show_default=True,
        type=click.Path(dir_okay=False, exists=True, path_type=Path),
        help="The engine configuration (mkdocs.yml).",
    )(command)


@contextlib.contextmanager
def _visible_errors() -> Iterator[None]:
    """Click's messages quote what was typed: show it visibly, like every other user text."""
    try:
        yield
    except click.ClickException as error:
        vars(error)["message"] = visible(error.message)  # typed Final by click, but only cached text
        raise


class _Group(click.Group):
    """The command group; usage errors of every command pass through `_visible_errors`."""

    def make_context(self, info_name: str | None, args: list[str], parent: click.Context | None = None, **extra: Any) -> click.Context:
        with _visible_errors():
            return super().make_context(info_name, args, parent, **extra)

    def invoke(self, ctx: click.Context) -> Any:
        with _visible_errors():
            return super().invoke(ctx)


@click.group(cls=_Group, context_settings={"help_option_names": ["-h", "--help"]})
@click.version_option(__version__, prog_name="csvf")
def main() -> None:
    """csvf: customer service value files as code.

    Checks the records under content/, computes the value model and builds
    the internal value-file site.
    """


def report(problems: list[Problem]) -> None:
    """Print every problem, and GitHub annotations when running in Actions."""
    for problem in problems:
        err.print(problem_text(problem))
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.as_github_annotation(), file=sys.stderr)
    err.print(f"[bold red]{len(problems)} problem{'s' if len(problems) != 1 else ''} found[/]; nothing was built or published.")


def problem_text(problem: Problem) -> Text:
    """A problem for the terminal: every piece of user text shown visibly."""
    text = Text.assemble((visible(problem.where()), "bold"), ": ", ("error: ", "bold red"), visible(problem.message))
    if problem.hint:
        text.append("\n    hint: ", style="cyan")
        text.append(visible(problem.hint))
    return text


def shown(path: Path) -> str:
    """A path as the user best recognises it: relative to the current folder when under it."""
    resolved = path.resolve()
    with contextlib.suppress(ValueError):
        return visible(str(resolved.relative_to(Path.cwd().resolve())))
    return visible(str(resolved))


def _require_content(content_dir: Path) -> None:
    if not content_dir.is_dir():
        raise click.UsageError(f"content folder '{visible(str(content_dir))}' not found (use --content DIR)")


def _parse_cache(tree: FolderTree, config: Path) -> ParseCache:
    """The parse cache for this content tree (see `csvf_build/content/parsecache.py`)."""
    return ParseCache(parse_cache_for(config), tree.label)


def _digests(tree: FolderTree, config: Path) -> dict[str, str] | None:
    """The SHA-256 of every content file (kept between runs), or None if a file cannot be read: the check reports it."""
    try:
        return content_digests(tree, FileDigests(parse_cache_for(config), tree.label))
    except OSError:
        return None


def _memo(
    tree: FolderTree, config: Path, today: date, digests: dict[str, str] | None = None, held: dict[Path, Any] | None = None
) -> Memo | None:
    """Each customer's results of earlier builds (`csvf_build/memo.py`), or None when a content file cannot be read.

    `held`: results kept in memory between builds of one process (the live preview).
    """
    digests = digests if digests is not None else _digests(tree, config)
    if digests is None:
        return None
    memo = customer_memo(memo_cache_for(config), today, digests)
    if held is not None:
        memo.held = held
    return memo


def _checked_or_exit(content_dir: Path, today: date, config: Path = Path("mkdocs.yml"), digests: dict[str, str] | None = None) -> Checked:
    """Checked content; the parse cache is used in a project folder (one with mkdocs.yml) or with CSVF_CACHE_DIR.

    `digests`: the content files' digests when the caller has read them already (each is a stat of every file).
    """
    _require_content(content_dir)
    tree = FolderTree(content_dir)
    cached = config.is_file() or bool(os.environ.get("CSVF_CACHE_DIR"))
    cache = _parse_cache(tree, config) if cached else None
    memo = _memo(tree, config, today, digests) if cached else None
    checked, problems = check_and_compute(tree, today, cache=cache, remember=memo if memo is not None else fresh)
    if checked is None:
        report(problems)
        sys.exit(EXIT_CONTENT)
    return checked


def _chart_drawer(config: Path, stats: ChartStats | None = None) -> ChartDrawer:
    return functools.partial(draw_charts, cache_dir=chart_cache_for(config), stats=stats)


def _generated_or_exit(
    content_dir: Path,
    config: Path,
    today: date,
    history: History | None,
    charts: ChartStats | None = None,
    tree: FolderTree | None = None,
    handbook: dict[str, bytes] | None = None,
    packs: bool = False,
    digests: dict[str, str] | None = None,
    held: dict[Path, Any] | None = None,
) -> Generated:
    tree = tree if tree is not None else FolderTree(content_dir)
    generated, problems = generate(
        tree,
        today,
        read_handbook(handbook_for(config)) if handbook is None else handbook,
        draw=_chart_drawer(config, charts),
        history=history,
        cache=_parse_cache(tree, config),
        packs=packs,
        memo=_memo(tree, config, today, digests, held),
    )
    if generated is None:
        report(problems)
        sys.exit(EXIT_CONTENT)
    return generated


def _os_error_text(error: OSError) -> str:
    """One line for a file-system error: what went wrong and on which path."""
    names = [visible(os.fsdecode(name)) for name in (error.filename, error.filename2) if name is not None]
    reason = visible(error.strerror or str(error))
    return f"{reason}: {' -> '.join(names)}" if names else reason


@contextlib.contextmanager
def _file_errors(consequence: str) -> Iterator[None]:
    """A full disk, a read-only folder, a missing permission: one line naming the path, exit 1."""
    try:
        yield
    except OSError as error:
        raise click.ClickException(f"{_os_error_text(error)}; {consequence}") from None


@contextlib.contextmanager
def _interruptible() -> Iterator[None]:
    """Turn SIGINT and SIGTERM into `Interrupted`, so the build cleans up on its way out."""

    def stop(signum: int, _frame: FrameType | None) -> None:
        for each in (signal.SIGINT, signal.SIGTERM):
            signal.signal(each, signal.SIG_IGN)  # a second signal must not cut the clean-up short
        raise Interrupted(signum)

    previous = {each: signal.signal(each, stop) for each in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for each, handler in previous.items():
            signal.signal(each, handler)


def summary(checked: Checked) -> str:
    content, model = checked.content, checked.model
    records = sum(len(c.records) for c in content.customers)
    return (
        f"{len(content.customers)} customers, {records} records, {len(content.catalog.services)} catalog services, "
        f"{_years(model)}; health: {_health(model)}"
    )


def _years(model: Model) -> str:
    if not model.fiscal_years:
        return "no fiscal years yet"
    return f"{len(model.fiscal_years)} fiscal years (FY{model.fiscal_years[0]}-FY{model.fiscal_years[-1]})"


def _health(model: Model) -> str:
    health = Counter(c.health.level for c in model.customers)
    return f"{health['red']} red, {health['amber']} amber, {health['green']} green"


@main.command("check")
@content_options
def check_command(content_dir: Path, today: date) -> None:
    """Check the content: every problem with file, line and a hint. Exit 1 on problems."""
    started = time.perf_counter()
    config = Path("mkdocs.yml")
    with _file_errors("nothing was checked"):
        _require_content(content_dir)
        inputs = _check_inputs(content_dir, today, config)
        passed = _passed_before(inputs)
        if passed is None:
            passed = summary(_checked_or_exit(content_dir, today, config, inputs.digests if inputs else None))
            _remember_pass(inputs, passed)
    out.print(f"[green]OK[/] {passed}; build date {today} ({time.perf_counter() - started:.2f} s)")


@dataclass(frozen=True)
class _CheckInputs:
    passed_file: Path  # where a passed check is remembered
    key: str  # the hash of everything the check reads
    digests: dict[str, str]  # every content file's digest, for the check itself


def _check_inputs(content_dir: Path, today: date, config: Path) -> _CheckInputs | None:
    """What a passed check is remembered by; None without a cache (or if a file cannot be read)."""
    if not (config.is_file() or os.environ.get("CSVF_CACHE_DIR")):
        return None
    tree = FolderTree(content_dir)
    digests = _digests(tree, config)
    if digests is None:
        return None
    name = hashlib.sha256(tree.label.encode("utf-8", "surrogateescape")).hexdigest()[:16]
    return _CheckInputs(parse_cache_for(config) / f"{name}.passed", inputs_key(tree, today, {}, None, digests), digests)


def _passed_before(found: _CheckInputs | None) -> str | None:
    """The summary of a check that passed on exactly these files and this date: only a pass is remembered, never a problem."""
    if found is None:
        return None
    with contextlib.suppress(OSError, ValueError):
        key, _, said = found.passed_file.read_text(encoding="utf-8").partition("\n")
        if key == found.key:
            return said
    return None


def _remember_pass(found: _CheckInputs | None, said: str) -> None:
    if found is not None:
        with contextlib.suppress(OSError):
            write_file(found.passed_file, f"{found.key}\n{said}".encode())


def _refuse_harm(content_dir: Path, site_dir: Path, docs_dir: Path, config: Path, engine: str) -> None:
    """Usage errors (exit 2) for a site folder a build must not replace, or an engine that cannot build here."""
    _require_content(content_dir)
    reason = site_dir_refusal(site_dir, protected_folders(content_dir, docs_dir, config, Path.cwd()))
    if reason is not None:
        raise click.UsageError(f"refusing --site-dir {visible(str(site_dir))}: {visible(reason)}")
    with _file_errors("nothing was built"):
        reason = engine_refusal(ENGINES[engine], config, site_dir)
    if reason is not None:
        raise click.UsageError(f"cannot build with --engine {engine}: {visible(reason)}")


def _say_waiting() -> None:
    err.print("[yellow]another build of the same content and site is running; waiting for it[/]")


@main.command("build")
@content_options
@click.option(
    "--site-dir", default="site", show_default=True, type=click.Path(file_okay=False, path_type=Path), help="Where the built site goes."
)
@config_option
@click.option("--engine", type=click.Choice(list(ENGINES)), default="mkdocs", show_default=True, help="The site engine.")
@packs_option(default=False)
def build_command(content_dir: Path, today: date, site_dir: Path, config: Path, engine: str, packs: bool) -> None:
    """Check, generate the docs tree, render the site; publish only if all succeed."""
    started = time.perf_counter()
    docs_dir = docs_tree_for(config, content_dir, site_dir)
    _refuse_harm(content_dir, site_dir, docs_dir, config, engine)
    left = f"{shown(site_dir)} was left as it was"
    try:
        with _interruptible(), _file_errors(left), locked(docs_lock(docs_dir), _say_waiting):
            history = read_history(Path.cwd(), content_dir)  # one git pass for the whole tree
            charts = ChartStats()
            docs = _docs_tree(content_dir, config, today, history, charts, docs_dir, packs)
            made = time.perf_counter()
            env = engine_environment(docs.company, today, history.version)
            result = build_site(ENGINES[engine], config, site_dir, docs_dir, env)
    except Interrupted as stop:
        err.print(Text(f"build interrupted; any running engine was stopped and {left}", style="bold red"))
        sys.exit(128 + stop.signum)
    if not result.ok:
        for line in result.log.splitlines():
            err.print(Text(visible(line)))
        err.print(Text.assemble(("site build failed", "bold red"), f"; {left}."))
        sys.exit(EXIT_CONTENT)
    seconds = (made - started, time.perf_counter() - made)
    _say_built(site_dir, engine, docs, today, docs_dir, result, seconds, charts)


@dataclass(frozen=True)
class _Docs:
    """The docs tree a build hands the engine: what was written, and what the build says about it."""

    company: Company
    summary: str
    stats: WriteStats
    kept: bool
    packs: int = 0  # yearly packs made (none said when the tree was kept)
    warnings: tuple[str, ...] = ()


def _docs_tree(content_dir: Path, config: Path, today: date, history: History, charts: ChartStats, docs_dir: Path, packs: bool) -> _Docs:
    """Generate and write the docs tree, unless it was generated from exactly these inputs and is untouched since."""
    tree = FolderTree(content_dir)
    handbook = read_handbook(handbook_for(config))
    digests = _digests(tree, config)  # None: a file that cannot be read, which the check reports
    inputs = inputs_key(tree, today, handbook, history, digests, packs) if digests is not None else None
    kept = kept_docs(config, docs_dir, inputs) if inputs is not None else None
    if kept is not None:
        return _Docs(kept.company, kept.summary, WriteStats(0, kept.files, 0), kept=True)
    generated = _generated_or_exit(content_dir, config, today, history, charts, tree, handbook, packs, digests)
    stats = write_tree(docs_dir, generated.files)
    said = summary(generated)
    if inputs is not None:
        stamp_docs(config, docs_dir, inputs, KeptDocs(generated.content.company, said, len(generated.files)))
    made = sum(1 for path in generated.files if path.startswith("customers/") and "/pack/" in path)
    return _Docs(generated.content.company, said, stats, kept=False, packs=made, warnings=generated.warnings)


def _say_built(
    site_dir: Path,
    engine: str,
    docs: _Docs,
    today: date,
    docs_dir: Path,
    result: SiteBuild,
    seconds: tuple[float, float],
    charts: ChartStats,
) -> None:
    """What was built and how long it took; the last line says what to open."""
    stale = result.stale_removed
    removed = f"; removed {stale} folders left by interrupted builds" if stale else ""
    removed += " (nothing the engine reads changed: the site was kept as it was)" if result.kept else ""
    stats = docs.stats
    kept = "; nothing it is made from changed, so it was kept as it was" if docs.kept else ""
    out.print(Text.assemble(("Built", "green"), f" {shown(site_dir)}/ with {engine} from {docs.summary}; build date {today}"))
    out.print(
        f"  check + model + pages: {seconds[0]:.2f} s ({stats.written} files written, {stats.unchanged} unchanged, "
        f"{stats.removed} removed in {shown(docs_dir)}{kept}); site: {seconds[1]:.2f} s{removed}",
        markup=False,
    )
    out.print(f"  charts: {charts.drawn} drawn ({charts.draw_seconds:.2f} s), {charts.reused} reused from the cache", markup=False)
    if docs.packs:
        out.print(f"  packs: {docs.packs} yearly packs (PDF), linked from their value files", markup=False)
    for warning in docs.warnings:
        err.print(Text(f"  warning: {visible(warning)}", style="yellow"))
    out.print(Text(f"Open {shown(site_dir / 'index.html')}, or preview with `csvf serve` at http://{PREVIEW_ADDRESS}/", style="bold"))


@main.command("serve")
@content_options
@click.option("--dev-addr", default=PREVIEW_ADDRESS, show_default=True, help="Address the preview server listens on.")
@config_option
def serve_command(content_dir: Path, today: date, dev_addr: str, config: Path) -> None:
    """Live preview: saving a record regenerates its page and reloads the browser."""
    from csvf_build.watch import watch_content

    _require_content(content_dir)
    docs_dir = docs_tree_for(config, content_dir, None)
    with _file_errors("nothing is served"):
        reason = engine_refusal(ENGINES["mkdocs"], config, None)
        if reason is not None:
            raise click.UsageError(visible(reason))
        history = read_history(Path.cwd(), content_dir)
        held: dict[Path, Any] = {}  # each customer's results, kept in memory from one regeneration to the next
        generated = _generated_or_exit(content_dir, config, today, history, held=held)
        _write_docs(docs_dir, generated)
    env = {
        PAGE_CACHE_VARIABLE: str(page_cache_for(config)),
        **engine_environment(generated.content.company, today, history.version),
        DOCS_DIR_VARIABLE: docs_dir_setting(config, docs_dir),
    }
    command = [sys.executable, "-m", "mkdocs", "serve", "--config-file", str(config), "--dev-addr", dev_addr, "--livereload"]
    server = subprocess.Popen(command, env=env)
    out.print(Text.assemble(("Serving", "green"), f" http://{visible(dev_addr)}/ ; watching {shown(content_dir)}/ (Ctrl+C to stop)"))

    def regenerate() -> None:
        try:
            tree = FolderTree(content_dir)
            again, problems = generate(
                tree,
                today,
                read_handbook(handbook_for(config)),
                draw=_chart_drawer(config),
                history=read_history(Path.cwd(), content_dir),
                cache=_parse_cache(tree, config),
                memo=_memo(tree, config, today, held=held),
            )
            if again is None:
                report(problems)
                err.print("[yellow]the preview keeps showing the last good content until the problems are fixed[/]")
                return
            out.print(f"regenerated: {_write_docs(docs_dir, again)} files changed")
        except OSError as error:
            err.print(Text(f"{_os_error_text(error)}; the preview keeps showing the last good content", style="yellow"))

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


def _write_docs(docs_dir: Path, generated: Generated) -> int:
    """Write the preview's docs tree under its lock; how many files changed."""
    with locked(docs_lock(docs_dir)):
        return write_tree(docs_dir, generated.files).changed


# Pull requests, publishing and writing records: csvf_build/commands/ (one module per command).
from csvf_build.commands.alerts import alerts_command  # noqa: E402
from csvf_build.commands.diff import diff_command  # noqa: E402
from csvf_build.commands.importer import import_command  # noqa: E402
from csvf_build.commands.init import init_command  # noqa: E402
from csvf_build.commands.new import new_group  # noqa: E402
from csvf_build.commands.publish import publish_command  # noqa: E402
from csvf_build.commands.schema import schema_command  # noqa: E402

main.add_command(alerts_command)
main.add_command(diff_command)
main.add_command(import_command)
main.add_command(init_command)
main.add_command(new_group)
main.add_command(publish_command)
main.add_command(schema_command)

# The customer pack: csvf_build/present/ (its command module imports nothing from here at load time).
from csvf_build.present.command import present_command  # noqa: E402

main.add_command(present_command)


if __name__ == "__main__":
    main()
