"""The options every command shares, parsed one way: `--content DIR` and `--as-of YYYY-MM-DD`.

A neutral module, so `cli.py` and the command modules under `commands/` and
`present/` use the same strict build-date rules without importing each other.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Mapping
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import TypeVar

import click

from csvf_build.console import visible
from csvf_build.model.periods import build_date

F = TypeVar("F", bound=Callable[..., None])

FIRST_DAY = date(1970, 1, 1)
LAST_DAY = date(2099, 12, 31)
"""The build dates csvf accepts: the engines stamp files with SOURCE_DATE_EPOCH, and gzip's 32-bit time ends in 2106."""
_ISO_DAY = re.compile(r"[0-9]{4}-[0-9]{2}-[0-9]{2}")
_EPOCH = re.compile(r"-?[0-9]+")


def parse_build_date(value: str | None, environ: Mapping[str, str]) -> date:
    """`--as-of` (exactly YYYY-MM-DD), else SOURCE_DATE_EPOCH (whole seconds), else today; within the range."""
    if value is not None:
        if not _ISO_DAY.fullmatch(value):
            raise ValueError(f"'{visible(value)}' is not a date written YYYY-MM-DD")
        day = date.fromisoformat(value)
    else:
        _check_epoch(environ.get("SOURCE_DATE_EPOCH", "").strip())
        day = build_date(None, environ)
    if not FIRST_DAY <= day <= LAST_DAY:
        raise ValueError(f"the build date {day} is outside {FIRST_DAY} to {LAST_DAY}")
    return day


def _check_epoch(epoch: str) -> None:
    """SOURCE_DATE_EPOCH, if set, must be whole seconds of a day within the range."""
    if not epoch:
        return
    if not _EPOCH.fullmatch(epoch):
        raise ValueError(f"SOURCE_DATE_EPOCH '{visible(epoch)}' is not whole seconds since 1970-01-01")
    first, after = (datetime(day.year, day.month, day.day, tzinfo=UTC) for day in (FIRST_DAY, LAST_DAY + timedelta(days=1)))
    if not first.timestamp() <= int(epoch) < after.timestamp():
        raise ValueError(f"SOURCE_DATE_EPOCH {epoch} is outside {FIRST_DAY} to {LAST_DAY}")


def _as_of(_ctx: click.Context, _param: click.Parameter, value: str | None) -> date:
    try:
        return parse_build_date(value, os.environ)
    except ValueError as error:
        raise click.BadParameter(str(error)) from None


def as_of_option(command: F) -> F:
    return click.option(
        "--as-of",
        "today",
        callback=_as_of,
        metavar="YYYY-MM-DD",
        help=f"Build date for every figure, {FIRST_DAY} to {LAST_DAY} (default: SOURCE_DATE_EPOCH, else today, UTC).",
    )(command)


def content_option(command: F) -> F:
    return click.option(
        "--content",
        "content_dir",
        default="content",
        show_default=True,
        type=click.Path(file_okay=False, path_type=Path),
        help="The content folder.",
    )(command)


def content_options(command: F) -> F:
    """`--content DIR` and `--as-of YYYY-MM-DD`, as every command takes them."""
    return content_option(as_of_option(command))


def packs_option(default: bool) -> Callable[[F], F]:
    """`--packs/--no-packs`: also lay out the yearly packs the value files link to (about 0.3 s each)."""
    return click.option(
        "--packs/--no-packs",
        default=default,
        show_default=True,
        help="Make the yearly pack (PDF) of every customer whose segment needs a presentation, linked from its value file.",
    )
