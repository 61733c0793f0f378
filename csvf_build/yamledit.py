"""Edit a YAML file a person wrote without losing their comments, key order or layout.

ruamel.yaml's round-trip mode keeps comments, key order and quoting; the
indentation is guessed from the file. After every edit each original line
must still be there, in order: csvf only ever adds. When the round trip would
reformat anything, the edit is refused and the person is shown what to add.
"""

from __future__ import annotations

import io
import re
from collections.abc import Callable
from decimal import Decimal
from typing import Any

from ruamel.yaml import YAML
from ruamel.yaml.comments import CommentedMap, CommentedSeq
from ruamel.yaml.error import YAMLError
from ruamel.yaml.representer import RoundTripRepresenter
from ruamel.yaml.util import load_yaml_guess_indent


class EditError(Exception):
    """The file cannot be edited safely; `hint` says what to do by hand."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


def _decimal(representer: RoundTripRepresenter, value: Decimal) -> Any:
    """Money as written: `1410000.50` stays that text (a float would print 1410000.5)."""
    return representer.represent_scalar("tag:yaml.org,2002:float" if "." in str(value) else "tag:yaml.org,2002:int", str(value))


def _yaml(text: str) -> YAML:
    _, sequence, offset = load_yaml_guess_indent(text)
    yaml = YAML(typ="rt")
    yaml.preserve_quotes = True
    yaml.width = 4096  # never re-wrap a long line
    yaml.indent(mapping=2, sequence=sequence or 4, offset=2 if offset is None else offset)  # no list yet: the handbook style
    yaml.representer.add_representer(Decimal, _decimal)
    return yaml


def edit_yaml(text: str, change: Callable[[CommentedMap], None], key: str = "") -> str:
    """`text` with `change` applied to its top-level mapping; every original line kept, in order.

    The one exception: an empty `key: {}` or `key: []` line becomes a block when something is added to it.
    """
    try:
        yaml = _yaml(text)
        data = yaml.load(text)
    except YAMLError as error:
        raise EditError(f"cannot read this YAML: {error}".split("\n")[0], "fix the file first (csvf check shows where)") from None
    if not isinstance(data, CommentedMap):
        raise EditError("expected `key: value` lines at the top of this YAML")
    container = data.get(key) if key else None
    if isinstance(container, CommentedMap | CommentedSeq) and not container:
        container.fa.set_block_style()  # `key: {}` becomes `key:` with the new entry below
    change(data)
    buffer = io.StringIO()
    yaml.dump(data, buffer)
    result = buffer.getvalue()
    if not _kept(text, result, key):
        raise EditError("csvf cannot add this without reformatting the file")
    return result


def _kept(before: str, after: str, key: str) -> bool:
    """Every line of `before` appears in `after`, in the same order (blank lines and spacing aside).

    `key: {}` or `key: []` (with its comment, if any) may have become `key:` with that comment.
    """
    empty = re.compile(rf"^({re.escape(key)}:)\s*(?:\{{\}}|\[\])(\s*#.*)?$") if key else None

    def normal(line: str) -> str:
        if empty and (match := empty.match(line)):
            line = match.group(1) + (match.group(2) or "")
        return " ".join(line.split())

    remaining = iter(normal(line) for line in after.splitlines())
    return all(any(line == candidate for candidate in remaining) for line in map(normal, before.splitlines()) if line)


def append_item(key: str, item: dict[str, Any]) -> Callable[[CommentedMap], None]:
    """An edit that appends `item` to the list under `key` (made if absent)."""

    def change(data: CommentedMap) -> None:
        items = data.get(key)
        if items is None:
            data[key] = CommentedSeq()
            items = data[key]
        if not isinstance(items, list):
            raise EditError(f"`{key}` is not a list in this file")
        items.append(CommentedMap(item))

    return change


def set_new_key(key: str, inner: Any, value: Any) -> Callable[[CommentedMap], None]:
    """An edit that adds `inner: value` under mapping `key`; an existing different value is never replaced."""

    def change(data: CommentedMap) -> None:
        mapping = data.get(key)
        if mapping is None:
            data[key] = CommentedMap()
            mapping = data[key]
        if not isinstance(mapping, dict):
            raise EditError(f"`{key}` is not a mapping in this file")
        if inner in mapping and Decimal(str(mapping[inner])) != Decimal(str(value)):
            raise EditError(
                f"`{key}` already has {inner}: {mapping[inner]}",
                f"csvf never replaces what a person wrote; change it by hand to {value} if that is right",
            )
        if inner not in mapping:
            mapping[inner] = value

    return change
