"""`csvf diff BASE [HEAD]`: what a change does to the figures, for reviewers and job summaries."""

from __future__ import annotations

import json
import sys
import time
from datetime import date
from pathlib import Path

import click

from csvf_build.check import check
from csvf_build.commands.common import EXIT_CONTENT, as_of_option, err, fail_usage
from csvf_build.content.gittree import GitError, GitTree, repo_root
from csvf_build.content.tree import ContentTree, FolderTree
from csvf_build.diff import SUMMARY_LIMIT, Side, to_json, to_markdown, value_diff
from csvf_build.model.compute import compute_model

WORKING_TREE = "working tree"


def read_side(tree: ContentTree, label: str, commit: str | None, today: date) -> Side:
    """Check and compute one revision's content at the build date."""
    content, problems = check(tree, today)
    model = compute_model(content, today) if content is not None else None
    return Side(label=label, commit=commit, model=model, problems=tuple(problems))


def read_revision(repo: Path, revision: str, content_dir: str, today: date) -> Side:
    with GitTree(repo, revision, content_dir) as tree:
        if not tree.exists:
            return Side(label=revision, commit=tree.commit, model=None, present=False)
        return read_side(tree, revision, tree.commit, today)


@click.command("diff")
@click.argument("base")
@click.argument("head", required=False)
@click.option(
    "--content",
    "content_dir",
    default="content",
    show_default=True,
    type=click.Path(file_okay=False, path_type=Path),
    help="The content folder (its path inside the repository is what is read at each revision).",
)
@as_of_option
@click.option("--format", "output_format", type=click.Choice(["markdown", "json"]), default="markdown", show_default=True)
@click.option("--limit", default=SUMMARY_LIMIT, show_default=True, type=click.IntRange(min=1), help="Customers shown in full.")
def diff_command(base: str, head: str | None, content_dir: Path, today: date, output_format: str, limit: int) -> None:
    """Compare the figures at two git revisions (HEAD omitted: the working tree).

    Both are computed at the same build date. Prints Markdown (a job summary)
    or JSON; exit 1 when HEAD does not pass the check.
    """
    started = time.perf_counter()
    absolute = content_dir.resolve()
    try:
        repo = repo_root(absolute)
        inside = absolute.relative_to(repo.resolve()).as_posix()
        before = read_revision(repo, base, inside, today)
        if head is None:
            if not content_dir.is_dir():
                raise fail_usage(f"content folder '{content_dir}' not found", "use --content DIR, or name a HEAD revision")
            after = read_side(FolderTree(content_dir), WORKING_TREE, None, today)
        else:
            after = read_revision(repo, head, inside, today)
            if not after.present:
                raise fail_usage(f"there is no folder '{inside}' at {head}", "pass the content folder's path with --content DIR")
    except GitError as error:
        raise fail_usage(error.message, error.hint) from None
    except ValueError:
        raise fail_usage(f"'{content_dir}' is outside the git repository", "run csvf diff inside the content repository") from None
    result = value_diff(before, after, today)
    if output_format == "json":
        sys.stdout.write(json.dumps(to_json(result), indent=2, ensure_ascii=False) + "\n")
    else:
        sys.stdout.write(to_markdown(result, limit))
    err.print(f"compared {base} with {head or WORKING_TREE} in {time.perf_counter() - started:.2f} s", highlight=False)
    if not after.ok:
        err.print(f"[bold red]{len(after.problems)} problems[/] in {head or WORKING_TREE}")
        sys.exit(EXIT_CONTENT)
