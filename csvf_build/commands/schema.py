"""`csvf schema DIR`: the JSON Schemas of every file kind, for editors (yaml-language-server)."""

from __future__ import annotations

from pathlib import Path

import click

from csvf_build.commands.common import out, replace_file
from csvf_build.scaffold import schema_files


@click.command("schema")
@click.argument("directory", type=click.Path(file_okay=False, path_type=Path))
def schema_command(directory: Path) -> None:
    """Write <kind>.schema.json for company, catalog, customer and each record type into DIR."""
    directory.mkdir(parents=True, exist_ok=True)
    written = 0
    files = schema_files()
    for name, data in files.items():
        target = directory / name
        if not (target.is_file() and target.read_bytes() == data):
            replace_file(target, data)
            written += 1
    out.print(f"[green]Schemas[/] in {directory}/: {written} written, {len(files) - written} unchanged.")
