"""`csvf alerts FILE`: one workflow notice per alert in exports/alerts.json (none when it is absent).

The scheduled build runs this so that health and due dates that moved with the
calendar show on the run's page. Alert text is user data: it is escaped so it
can never start another workflow command.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import click

from csvf_build.commands.common import fail_usage, out


def alert_texts(data: Any) -> list[tuple[str, str]]:
    """(title, message) per alert: a list (or {"alerts": [...]}) of strings or objects."""
    items = data.get("alerts", []) if isinstance(data, dict) else data
    if not isinstance(items, list):
        return []
    alerts = []
    for item in items:
        if isinstance(item, dict):
            who = item.get("customer") or item.get("name") or item.get("id") or ""
            message = item.get("message") or item.get("text") or item.get("reason") or json.dumps(item, ensure_ascii=False)
            alerts.append((f"csvf alert: {who}" if who else "csvf alert", str(message)))
        else:
            alerts.append(("csvf alert", str(item)))
    return alerts


def _data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def _property(text: str) -> str:
    return _data(text).replace(":", "%3A").replace(",", "%2C")


def notice(title: str, message: str) -> str:
    """A `::notice` workflow command; newlines and `%` are escaped, so one line stays one command."""
    return f"::notice title={_property(title)}::{_data(message)}"


@click.command("alerts")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def alerts_command(file: Path) -> None:
    """Print each alert of FILE (a workflow notice in GitHub Actions); nothing when FILE is absent."""
    if not file.is_file():
        out.print(f"no alerts: {file} is not there")
        return
    try:
        data = json.loads(file.read_text(encoding="utf-8"))
    except (UnicodeDecodeError, json.JSONDecodeError) as error:
        raise fail_usage(f"{file} is not JSON: {error}") from None
    alerts = alert_texts(data)
    in_actions = os.environ.get("GITHUB_ACTIONS") == "true"
    for title, message in alerts:
        click.echo(notice(title, message) if in_actions else f"{title}: {message}")
    out.print(f"{len(alerts)} alert{'s' if len(alerts) != 1 else ''} in {file}")
