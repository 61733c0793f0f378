"""Turn pydantic's validation errors into problems a sales rep can act on."""

from __future__ import annotations

import difflib
import types
import typing
from collections.abc import Mapping, Sequence
from typing import Any

from pydantic import BaseModel

from csvf_build.content.yamlread import YamlDocument
from csvf_build.problems import Problem


def explain_errors(errors: Sequence[Mapping[str, Any]], model: type[BaseModel], doc: YamlDocument, file: str) -> list[Problem]:
    """One problem per pydantic error, located in the YAML source."""
    return [_explain(error, model, doc, file) for error in errors]


def _explain(error: Mapping[str, Any], model: type[BaseModel], doc: YamlDocument, file: str) -> Problem:
    loc = tuple(error["loc"])
    on_key = bool(loc) and loc[-1] == "[key]"
    if on_key:
        loc = loc[:-1]
    kind = error["type"]
    name = next((part for part in reversed(loc) if isinstance(part, str)), "")
    here = _model_at(model, loc[:-1]) if loc else model

    if kind == "missing":
        line, col = doc.locate(loc[:-1])
        allowed = _keys(here)
        return Problem(
            file, line, col, f"missing required key `{name}`", f"add `{name}:` here" + (f" (keys here: {allowed})" if allowed else "")
        )
    if kind == "extra_forbidden":
        line, col = doc.locate(loc, key=True)
        fields = _field_names(here)
        close = difflib.get_close_matches(name, fields, n=1)
        hint = f"did you mean `{close[0]}`? " if close else ""
        return Problem(file, line, col, f"unknown key `{name}`", hint + f"keys allowed here: {', '.join(fields)}")

    context = error.get("ctx") or {}
    if context.get("field"):
        loc = (*loc, context["field"])
        name = context["field"]
    line, col = doc.locate(loc, key=on_key)
    where = f"`{name}`: " if name else ""
    hint = context.get("hint", "")
    if kind == "literal_error":
        expected = (error.get("ctx") or {}).get("expected", "")
        return Problem(file, line, col, f"{where}{_show(error['input'])} is not one of the allowed values", f"use one of {expected}")
    if kind in ("model_type", "dict_type", "model_attributes_type"):
        return Problem(
            file,
            line,
            col,
            f"{where}expected a mapping of `key: value` lines, got {_show(error['input'])}",
            "indent the keys under this one",
        )
    if kind == "list_type":
        return Problem(
            file, line, col, f"{where}expected a list, got {_show(error['input'])}", "write one item per line, each starting with '- '"
        )
    if kind == "too_short":
        return Problem(
            file, line, col, f"{where}needs at least one item", "add an item on its own line starting with '- ', or remove the key"
        )
    if kind == "bool_type":
        return Problem(file, line, col, f"{where}expected true or false", "write true or false, without quotes")
    return Problem(file, line, col, f"{where}{error['msg']}", hint)


def _show(value: Any) -> str:
    if isinstance(value, dict):
        return "a mapping"
    if isinstance(value, list):
        return "a list"
    if value is None:
        return "nothing"
    return f"'{value}'"


def _unwrap(annotation: Any) -> Any:
    """Strip Optional/Annotated/list/dict down to a model class, if any."""
    origin = typing.get_origin(annotation)
    if origin is typing.Annotated:
        return _unwrap(typing.get_args(annotation)[0])
    if origin in (typing.Union, types.UnionType):
        for arg in typing.get_args(annotation):
            found = _unwrap(arg)
            if isinstance(found, type) and issubclass(found, BaseModel):
                return found
        return None
    return annotation


def _model_at(model: Any, loc: tuple[Any, ...]) -> Any:
    current: Any = model
    for part in loc:
        current = _unwrap(current)
        if isinstance(current, type) and issubclass(current, BaseModel):
            field = next((f for n, f in current.model_fields.items() if (f.alias or n) == part), None)
            current = field.annotation if field else None
        elif typing.get_origin(current) is list:
            current = typing.get_args(current)[0]
        elif typing.get_origin(current) is dict:
            current = typing.get_args(current)[1]
        else:
            return None
    return _unwrap(current)


def _field_names(model: Any) -> list[str]:
    if isinstance(model, type) and issubclass(model, BaseModel):
        return [field.alias or name for name, field in model.model_fields.items()]
    return []


def _keys(model: Any) -> str:
    return ", ".join(_field_names(model))
