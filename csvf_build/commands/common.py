"""Options and output shared by the commands: the same conventions as `cli.py`.

`--content DIR`, `--as-of YYYY-MM-DD`; exit 0 ok, 1 content problems, 2 usage.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TypeVar

import click
from rich.console import Console
from rich.text import Text

from csvf_build.options import as_of_option, content_option, content_options  # noqa: F401 (the commands' options, from one place)
from csvf_build.problems import Problem

EXIT_CONTENT = 1
out = Console(highlight=False, soft_wrap=True)  # paths and commands stay on one line
err = Console(stderr=True, highlight=False, soft_wrap=True)

F = TypeVar("F", bound=Callable[..., None])


def report(problems: Iterable[Problem], what: str = "nothing was written") -> None:
    """Every problem with file, line and hint; workflow annotations too in GitHub Actions."""
    problems = list(problems)
    for problem in problems:
        text = Text()
        text.append(problem.where(), style="bold")
        text.append(": ")
        text.append("error: ", style="bold red")
        text.append(problem.message)
        if problem.hint:
            text.append("\n    hint: ", style="cyan")
            text.append(problem.hint)
        err.print(text, soft_wrap=True)
    if os.environ.get("GITHUB_ACTIONS") == "true":
        for problem in problems:
            print(problem.as_github_annotation(), file=sys.stderr)
    err.print(f"[bold red]{len(problems)} problem{'s' if len(problems) != 1 else ''} found[/]; {what}.")


def fail_usage(message: str, hint: str = "") -> click.UsageError:
    """A usage error (exit 2) whose message carries the hint."""
    return click.UsageError(message + (f"\n  hint: {hint}" if hint else ""))


def write_new(path: Path, data: bytes) -> None:
    """Create `path` with `data`; an existing file is never replaced (not even in a race)."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("xb") as handle:
        handle.write(data)


def replace_file(path: Path, data: bytes) -> None:
    """Replace `path` in one step: a reader never sees half a file."""
    temporary = path.with_name(f".{path.name}.csvf-tmp")
    temporary.write_bytes(data)
    temporary.replace(path)


def git_user_name() -> str | None:
    """`git config user.name`, the default for `by:` on new records."""
    try:
        result = subprocess.run(["git", "config", "user.name"], capture_output=True, text=True, check=False)
    except FileNotFoundError:
        return None
    return result.stdout.strip() or None


def schemas_from(folder: Path) -> str | None:
    """The nearest `schemas/` folder above `folder` (with csvf's schemas), relative to it, for editor lines."""
    here = folder.resolve()
    for parent in (here, *here.parents):
        if (parent / "schemas" / "customer.schema.json").is_file():
            return Path(os.path.relpath(parent / "schemas", here)).as_posix()
    return None
