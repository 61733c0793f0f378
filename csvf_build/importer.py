"""Bulk records from a CRM or spreadsheet export (CSV), planned in memory.

Pure: `plan_import` turns the rows into record files (and revenue years added
to customer.yaml through round-trip edits that keep a person's comments) and
names every bad cell by its row and column. The command then checks the whole
content with the plan laid over it (`OverlayTree`) and writes only when that
passes. Rows are numbered as a spreadsheet shows them: the header is row 1.
"""

from __future__ import annotations

import csv
import io
import re
from dataclasses import dataclass, field
from datetime import date
from decimal import Decimal
from pathlib import PurePath
from typing import Any

import yaml

from csvf_build.content.load import Content, CustomerFolder
from csvf_build.content.schema import RECORD_TYPES
from csvf_build.model.periods import fiscal_year
from csvf_build.problems import Problem
from csvf_build.scaffold import free_record_name, yaml_text
from csvf_build.yamledit import EditError, edit_yaml, set_new_key

NUMBER = re.compile(r"^-?\d+(\.\d+)?$")
DAY = re.compile(r"^\d{4}-\d{2}-\d{2}$")
YEAR = re.compile(r"^\d{4}$")
NUMBER_FIELDS = frozenset({"quantity", "value", "rate", "hours", "our_cost", "customer_hours", "score", "scale", "amount", "actual"})
DATE_FIELDS = frozenset({"date", "resolved"})
LIST_FIELDS = frozenset({"tags", "attendees"})
WORD_FIELDS = frozenset({"type", "service", "kind", "stage", "level", "direction", "benefit", "expectation"})
WORD = re.compile(r"^[a-z][a-z0-9]*(-[a-z0-9]+)*$")
YAML_WORDS = frozenset({"true", "false", "null", "yes", "no", "on", "off", "y", "n"})
TRUE, FALSE = frozenset({"true", "yes", "y", "1"}), frozenset({"false", "no", "n", "0"})
REVENUE = "revenue"  # a row of this type adds a fiscal year's revenue to customer.yaml


def record_fields() -> list[str]:
    """Every front-matter field of every record type, in the order the format lists them."""
    names: list[str] = []
    for model in RECORD_TYPES.values():
        for name, info in model.model_fields.items():
            key = info.alias or name
            if key not in names:
                names.append(key)
    return names


FIELDS = (*record_fields(), "customer", "body", "fiscal_year")


class MappingError(Exception):
    """The mapping or the file cannot be used at all (a usage error, exit 2)."""

    def __init__(self, message: str, hint: str = ""):
        super().__init__(message)
        self.message = message
        self.hint = hint


@dataclass(frozen=True)
class Mapping:
    """CSV column -> field, and fields set to one value for every row."""

    columns: dict[str, str]
    constants: dict[str, str] = field(default_factory=dict)


def parse_mapping(pairs: tuple[str, ...], mapping_yaml: str | None = None, sets: tuple[str, ...] = ()) -> Mapping:
    """`--map column=field` pairs (they win), a mapping file {columns: {...}, set: {...}}, `--set field=value`."""
    columns: dict[str, str] = {}
    constants: dict[str, str] = {}
    if mapping_yaml is not None:
        try:
            data = yaml.safe_load(mapping_yaml) or {}
        except yaml.YAMLError as error:
            raise MappingError(f"the mapping file is not YAML: {error}".split("\n")[0]) from None
        if not isinstance(data, dict) or not set(data) <= {"columns", "set"}:
            raise MappingError("a mapping file holds `columns:` (CSV column: field) and optionally `set:` (field: value)")
        columns.update({str(k): str(v) for k, v in (data.get("columns") or {}).items()})
        constants.update({str(k): str(v) for k, v in (data.get("set") or {}).items()})
    for option, target in (("--map", columns), ("--set", constants)):
        for pair in pairs if option == "--map" else sets:
            left, sep, right = pair.partition("=")
            if not sep or not left.strip() or not right.strip():
                raise MappingError(f"{option} {pair!r} is not NAME=VALUE", f"like {option} 'Activity date=date'")
            target[left.strip()] = right.strip()
    for name in [*columns.values(), *constants]:
        if name not in FIELDS:
            raise MappingError(f"'{name}' is not a record field", "fields: " + ", ".join(FIELDS))
    return Mapping(columns, constants)


def read_csv(text: str) -> tuple[list[str], list[list[str]]]:
    """Header and rows; the delimiter (comma, semicolon, tab) is taken from the header line."""
    text = text.removeprefix("\ufeff")
    first = text.split("\n", 1)[0]
    delimiter = max(",;\t", key=first.count)
    rows = list(csv.reader(io.StringIO(text), delimiter=delimiter))
    if not rows or not any(cell.strip() for cell in rows[0]):
        raise MappingError("the CSV file has no header row", "the first row names the columns")
    return [cell.strip() for cell in rows[0]], rows[1:]


@dataclass
class Plan:
    """What an import would write, and how to trace a generated line back to its cell."""

    files: dict[str, bytes] = field(default_factory=dict)  # new records and edited customer.yaml files
    new: set[str] = field(default_factory=set)  # the record files (never existing)
    rows: dict[str, list[int]] = field(default_factory=dict)  # content path -> CSV rows it came from
    cells: dict[tuple[str, int], tuple[int, str, str, int]] = field(default_factory=dict)  # (path, line) -> (row, column, field, col)
    problems: list[Problem] = field(default_factory=list)
    records: int = 0
    revenue_years: int = 0


class _Row:
    def __init__(self, number: int, values: dict[str, tuple[str, str]]):
        self.number = number
        self.values = values  # field -> (text, column it came from; "" for --set)


def plan_import(
    content: Content,
    existing: dict[str, set[str]],
    read: Any,
    csv_name: str,
    header: list[str],
    rows: list[list[str]],
    mapping: Mapping,
    today: date,
) -> Plan:
    """Records and revenue edits for `rows`; `existing` holds each customer's record file names, `read(path)` a file's bytes."""
    plan = Plan()
    index = _columns(header, mapping, csv_name, plan)
    by_id = {c.id: c for c in content.customers}
    taken = {cid: set(names) for cid, names in existing.items()}
    edited: dict[str, str] = {}
    for offset, cells in enumerate(rows):
        number = offset + 2
        if not any(cell.strip() for cell in cells):
            continue  # a blank line in the export
        values = {name: (value, "") for name, value in mapping.constants.items()}
        for position, name in index.items():
            if position < len(cells) and cells[position].strip():
                values[name] = (cells[position].strip(), header[position])
        row = _Row(number, values)
        before = len(plan.problems)
        customer = _customer(row, by_id, csv_name, header, plan)
        kind = values.get("type", ("", ""))[0]
        if not kind:
            plan.problems.append(
                _cell_problem(csv_name, header, row, "type", "has no record type", "map a column to `type`, or --set type=...")
            )
        if customer is None or not kind or len(plan.problems) > before:
            continue
        missing = [name for name in ("date", "title") if kind != REVENUE and name not in values]
        for name in missing:
            plan.problems.append(
                _cell_problem(csv_name, header, row, name, f"has no {name}", f"map a column to `{name}`, or --set {name}=...")
            )
        if missing:
            continue
        if kind == REVENUE:
            _revenue(row, customer, content, read, csv_name, header, edited, plan)
        else:
            _record(row, customer, csv_name, header, taken.setdefault(customer.id, set()), plan)
    for path, text in edited.items():
        plan.files[path] = text.encode("utf-8")
    return plan


def _columns(header: list[str], mapping: Mapping, csv_name: str, plan: Plan) -> dict[int, str]:
    """Column position -> field: the mapping, else a column already named like a field."""
    index: dict[int, str] = {}
    for position, name in enumerate(header):
        target = mapping.columns.get(name) or (name if name in FIELDS and name not in mapping.columns.values() else None)
        if target:
            index[position] = target
    for column in mapping.columns:
        if column not in header:
            plan.problems.append(
                Problem(
                    csv_name, 1, 0, f"the mapping names column '{column}', which the header does not have", "columns: " + ", ".join(header)
                )
            )
    return index


def _cell_problem(csv_name: str, header: list[str], row: _Row, name: str, message: str, hint: str = "") -> Problem:
    column = row.values.get(name, ("", ""))[1]
    where = f"row {row.number}, column '{column}'" if column else f"row {row.number}"
    col = header.index(column) + 1 if column in header else 0
    return Problem(csv_name, row.number, col, f"{where} ({name}): {message}", hint)


def _customer(row: _Row, by_id: dict[str, CustomerFolder], csv_name: str, header: list[str], plan: Plan) -> CustomerFolder | None:
    text = row.values.get("customer", ("", ""))[0]
    if not text:
        plan.problems.append(
            _cell_problem(
                csv_name, header, row, "customer", "has no customer", "map the column holding the customer id (or exact name) to `customer`"
            )
        )
        return None
    if text in by_id:
        return by_id[text]
    named = [c for c in by_id.values() if c.customer.name.casefold() == text.casefold()]
    if len(named) == 1:
        return named[0]
    plan.problems.append(
        _cell_problem(
            csv_name, header, row, "customer", f"'{text}' is no customer id or name", "start the customer with csvf new customer ID first"
        )
    )
    return None


def _yaml_value(name: str, text: str) -> tuple[str | None, str, str]:
    """(YAML text, or None with a message and hint) for one cell."""
    if name in NUMBER_FIELDS:
        if NUMBER.match(text):
            return text, "", ""
        return None, f"'{text}' is not a plain number", "write numbers without thousands separators, currency or units, like 1250.50"
    if name in DATE_FIELDS:
        if DAY.match(text):
            return text, "", ""
        return None, f"'{text}' is not a date", "dates are YYYY-MM-DD; most spreadsheets can export them that way"
    if name == "internal":
        if text.lower() in TRUE | FALSE:
            return ("true" if text.lower() in TRUE else "false"), "", ""
        return None, f"'{text}' is not yes or no", "use true/false (or yes/no)"
    if name in WORD_FIELDS and WORD.match(text) and text not in YAML_WORDS:
        return text, "", ""  # an id or a closed-set word, written as a person would
    if name in LIST_FIELDS:
        items = [item.strip() for item in re.split(r"[;|]", text) if item.strip()]
        return "[" + ", ".join(yaml_text(item) for item in items) + "]", "", ""
    return yaml_text(text), "", ""


def _record(row: _Row, customer: CustomerFolder, csv_name: str, header: list[str], taken: set[str], plan: Plan) -> None:
    values = dict(row.values)
    values.pop("customer", None)
    values.pop("fiscal_year", None)
    body = values.pop("body", (f"Imported from {PurePath(csv_name).name}, row {row.number}.", ""))[0]  # no machine's path in content
    order = ["type", "date", "title", *(name for name in FIELDS if name not in ("type", "date", "title"))]
    lines: list[tuple[str, str]] = []  # (YAML line, field)
    ok = True
    for name in order:
        if name not in values:
            continue
        value, message, hint = _yaml_value(name, values[name][0])
        if value is None:
            plan.problems.append(_cell_problem(csv_name, header, row, name, message, hint))
            ok = False
            continue
        lines.append((f"{name}: {value}", name))
    if not ok:
        return
    day_text = values.get("date", ("", ""))[0]
    day = date.fromisoformat(day_text) if DAY.match(day_text) and _valid_day(day_text) else date.min
    file_name = free_record_name(taken, day, values.get("title", ("record", ""))[0]) if day != date.min else f"row-{row.number}.md"
    taken.add(file_name)
    path = f"{customer.path.rsplit('/', 1)[0]}/records/{file_name}"
    text = "---\n" + "".join(line + "\n" for line, _ in lines) + "---\n" + body.strip() + "\n"
    plan.files[path] = text.encode("utf-8")
    plan.new.add(path)
    plan.rows[path] = [row.number]
    for offset, (_, name) in enumerate(lines):  # front matter starts on line 2
        column = values[name][1]
        plan.cells[(path, offset + 2)] = (row.number, column, name, header.index(column) + 1 if column in header else 0)
    plan.records += 1


def _valid_day(text: str) -> bool:
    try:
        date.fromisoformat(text)
    except ValueError:
        return False
    return True


def _revenue(
    row: _Row,
    customer: CustomerFolder,
    content: Content,
    read: Any,
    csv_name: str,
    header: list[str],
    edited: dict[str, str],
    plan: Plan,
) -> None:
    amount = row.values.get("amount", ("", ""))[0]
    year_text = row.values.get("fiscal_year", ("", ""))[0]
    day_text = row.values.get("date", ("", ""))[0]
    if not amount or not NUMBER.match(amount):
        plan.problems.append(
            _cell_problem(csv_name, header, row, "amount", f"'{amount}' is not a plain amount", "a revenue row needs `amount`, like 125000")
        )
        return
    if YEAR.match(year_text):
        year = int(year_text)
    elif DAY.match(day_text) and _valid_day(day_text):
        year = fiscal_year(date.fromisoformat(day_text), content.company.fiscal_year_start)
    else:
        plan.problems.append(
            _cell_problem(csv_name, header, row, "fiscal_year", "a revenue row needs `fiscal_year` (like 2026) or a `date` in that year")
        )
        return
    path = customer.path
    text = edited.get(path) or read(path).decode("utf-8")
    try:
        edited[path] = edit_yaml(text, set_new_key("revenue", year, Decimal(amount)), "revenue")
    except EditError as error:
        plan.problems.append(
            _cell_problem(csv_name, header, row, "amount", f"{content.display.get(path, path)}: {error.message}", error.hint)
        )
        return
    plan.rows.setdefault(path, []).append(row.number)
    plan.revenue_years += 1


def locate(problem: Problem, plan: Plan, display_of: dict[str, str], csv_name: str) -> Problem:
    """A checker problem in a planned record, told as the CSV row and column it came from."""
    paths = {display: path for path, display in display_of.items()}
    path = paths.get(problem.file)
    if path is None or path not in plan.new:
        if path in plan.rows:  # an edited customer.yaml
            rows = ", ".join(str(r) for r in plan.rows[path])
            return Problem(problem.file, problem.line, problem.col, f"{problem.message} (after the revenue of row {rows})", problem.hint)
        return problem
    cell = plan.cells.get((path, problem.line))
    whole_record = cell is not None and cell[2] == "type" and "type" not in problem.message  # e.g. "needs quantity or value"
    if cell is None or whole_record or problem.message.startswith("missing"):  # a missing field has no cell
        row = plan.rows[path][0]
        return Problem(csv_name, row, 0, f"row {row}: {problem.message}", problem.hint)
    row, column, name, col = cell
    where = f"row {row}, column '{column}'" if column else f"row {row} (--set for every row)"
    return Problem(csv_name, row, col, f"{where} ({name}): {problem.message}", problem.hint)
