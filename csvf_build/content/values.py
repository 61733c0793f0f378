"""The value types of the content format: money, dates, numbers, ids, text.

Each is a pydantic-annotated type whose validator receives what
`yamlread` produced (str, YamlNumber, YamlKey, bool, None) and either
returns the typed value or raises an error with a hint. The JSON Schema each
one declares is what editors will validate against.
"""

from __future__ import annotations

import re
from datetime import date
from decimal import Decimal
from typing import Annotated, Any

from pydantic import PlainValidator, WithJsonSchema
from pydantic_core import PydanticCustomError

from csvf_build.content.yamlread import YamlKey, YamlNumber

MONEY_TEXT = re.compile(r"^\d+(\.\d{1,2})?$")
# Every figure is computed exactly; these bounds keep every product and sum well
# inside the model's 60-digit exact arithmetic (18 + 6 digits x 18 + 2 digits
# is 44), so a typo of a few dozen digits is a content error, not a traceback.
MAX_INTEGER_DIGITS = 18  # under a quintillion: far more than any revenue, quantity or hour count
MAX_DECIMALS = 6  # for quantities and measurements (money has at most 2)
DECIMAL_TEXT = re.compile(r"^[-+]?(\d+(\.\d*)?|\.\d+)$")
DATE_TEXT = re.compile(r"^\d{4}-\d{2}-\d{2}$")
SLUG_TEXT = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
KEY_TEXT = re.compile(r"^[a-z0-9]+([-_][a-z0-9]+)*$")
CURRENCY_TEXT = re.compile(r"^[A-Z]{3}$")
PACK_REFERENCE_TEXT = re.compile(r"^[0-9a-f]{12}$")


def fail(kind: str, message: str, hint: str = "", field: str = "") -> PydanticCustomError:
    """An error whose message and hint reach the user unchanged.

    `field` names the key the problem is about when a whole-record rule raises
    it, so the location points at that key's line rather than the record's top.
    """
    return PydanticCustomError(kind, message.replace("{", "{{").replace("}", "}}"), {"hint": hint, "field": field})


def _describe(value: Any) -> str:
    if value is None:
        return "nothing (empty)"
    if isinstance(value, bool):
        return f"'{str(value).lower()}' (a yes/no value)"
    if isinstance(value, YamlNumber):
        return f"the number {value.raw}"
    if isinstance(value, str):
        return f"the text '{value}'" if len(value) < 60 else "a text"
    if isinstance(value, list):
        return "a list"
    if isinstance(value, dict):
        return "a mapping"
    return type(value).__name__


def _check_digits(raw: str, decimals: int) -> None:
    """Refuse a number with more digits than exact arithmetic is bounded for."""
    whole, _, fraction = raw.lstrip("+-").partition(".")
    if len(whole.lstrip("0")) > MAX_INTEGER_DIGITS:
        raise fail(
            "digits",
            f"{raw[:20]}{'...' if len(raw) > 20 else ''} has {len(whole.lstrip('0'))} digits before the decimal point; at most {MAX_INTEGER_DIGITS} are allowed",
            "check for a typo: no amount, quantity or hour count needs more",
        )
    if len(fraction) > decimals:
        raise fail(
            "digits",
            f"{raw[:20]}{'...' if len(raw) > 20 else ''} has {len(fraction)} decimals; at most {decimals} are allowed",
            f"round it to {decimals} decimals",
        )


def parse_money(value: Any) -> Decimal:
    if isinstance(value, YamlNumber) and MONEY_TEXT.match(value.raw):
        _check_digits(value.raw, 2)
        return Decimal(value.raw)
    if isinstance(value, str) and MONEY_TEXT.match(value.strip()):
        raise fail("money", f"money must be a bare number, not quoted text ('{value}')", f"remove the quotes: {value.strip()}")
    if isinstance(value, YamlNumber) and value.raw.startswith("-"):
        raise fail("money", f"money is never negative ({value.raw})", "record a reduction as its own record type, with a positive amount")
    raise fail(
        "money",
        f"expected an amount of money, got {_describe(value)}",
        "write a bare number with at most 2 decimals and no symbols or separators, like 1250 or 4800.50",
    )


def parse_number(value: Any) -> Decimal:
    if isinstance(value, YamlNumber) and DECIMAL_TEXT.match(value.raw):
        _check_digits(value.raw, MAX_DECIMALS)
        return Decimal(value.raw)
    if isinstance(value, str) and DECIMAL_TEXT.match(value.strip()):
        raise fail("number", f"expected a number, got quoted text ('{value}')", f"remove the quotes: {value.strip()}")
    raise fail("number", f"expected a number, got {_describe(value)}", "write a plain decimal number like 12 or 3.5")


def parse_non_negative(value: Any) -> Decimal:
    number = parse_number(value)
    if number < 0:
        raise fail("number", f"must be 0 or more, got {number}", "hours and quantities are never negative")
    return number


def parse_whole(value: Any) -> int:
    number = parse_number(value)
    if number != number.to_integral_value():
        raise fail("whole_number", f"expected a whole number, got {number}", "write it without decimals")
    return int(number)


def parse_date(value: Any) -> date:
    if isinstance(value, str) and DATE_TEXT.match(value):
        try:
            return date.fromisoformat(value)
        except ValueError:
            raise fail("date", f"'{value}' is not a real calendar date", "check the month (01-12) and the day of the month") from None
    raise fail("date", f"expected a date, got {_describe(value)}", "write dates as YYYY-MM-DD, like 2025-03-14")


def parse_text(value: Any) -> str:
    """Text as written, without surrounding blank space; a bare number keeps its digits."""
    if isinstance(value, YamlNumber):
        return value.raw
    if isinstance(value, str) and value.strip():
        return value.strip()
    if isinstance(value, str):
        raise fail("text", "this text is empty", "write something, or leave the key out where it is optional")
    raise fail("text", f"expected text, got {_describe(value)}", "put the text in quotes if it looks like a number, true/false or a date")


def parse_line(value: Any) -> str:
    text = parse_text(value)
    if "\n" in text:
        raise fail("line", "this must be one line", "join the lines; put longer stories in the Markdown body")
    return text


def parse_slug(value: Any) -> str:
    if isinstance(value, str) and SLUG_TEXT.match(value):
        return value
    raise fail(
        "id", f"expected an id, got {_describe(value)}", "ids are lowercase letters and digits joined by single hyphens, like line-service"
    )


def parse_key_name(value: Any) -> str:
    if isinstance(value, str) and KEY_TEXT.match(value):
        return value
    raise fail("key", f"'{value}' is not a lowercase name", "use lowercase letters and digits joined by hyphens, like day-to-day")


def parse_pack_reference(value: Any) -> str:
    """A pack's reference as printed on its cover; an all-digit one reads as a number in YAML, so take its text."""
    text = value.raw if isinstance(value, YamlNumber) else value
    if isinstance(text, str) and PACK_REFERENCE_TEXT.match(text.strip().lower()):
        return text.strip().lower()
    raise fail(
        "pack_reference",
        f"expected a pack reference, got {_describe(value)}",
        "copy the 12-character reference printed on the pack's cover (csvf present prints it too), like 3f2a9c01b7de",
    )


def parse_fiscal_year_key(value: Any) -> int:
    if isinstance(value, YamlKey) and not value.quoted and re.fullmatch(r"\d{4}", value):
        return int(value)
    raise fail("fiscal_year", f"'{value}' is not a fiscal year", "revenue keys are bare four-digit fiscal years, like 2025 (no quotes)")


def parse_currency(value: Any) -> str:
    if isinstance(value, str) and CURRENCY_TEXT.match(value):
        return value
    raise fail("currency", f"expected a currency code, got {_describe(value)}", "use the three-letter ISO 4217 code, like USD or EUR")


def parse_bool(value: Any) -> bool:
    if isinstance(value, bool):
        return value
    raise fail("bool", f"expected true or false, got {_describe(value)}", "write true or false (yes/no are text in YAML 1.2)")


Money = Annotated[Decimal, PlainValidator(parse_money), WithJsonSchema({"type": "number", "minimum": 0, "multipleOf": 0.01})]
Number = Annotated[Decimal, PlainValidator(parse_number), WithJsonSchema({"type": "number"})]
NonNegative = Annotated[Decimal, PlainValidator(parse_non_negative), WithJsonSchema({"type": "number", "minimum": 0})]
Whole = Annotated[int, PlainValidator(parse_whole), WithJsonSchema({"type": "integer"})]
Day = Annotated[date, PlainValidator(parse_date), WithJsonSchema({"type": "string", "format": "date"})]
Text = Annotated[str, PlainValidator(parse_text), WithJsonSchema({"type": "string", "minLength": 1})]
Line = Annotated[str, PlainValidator(parse_line), WithJsonSchema({"type": "string", "minLength": 1})]
Slug = Annotated[str, PlainValidator(parse_slug), WithJsonSchema({"type": "string", "pattern": SLUG_TEXT.pattern})]
KeyName = Annotated[str, PlainValidator(parse_key_name), WithJsonSchema({"type": "string", "pattern": KEY_TEXT.pattern})]
FiscalYearKey = Annotated[int, PlainValidator(parse_fiscal_year_key), WithJsonSchema({"type": "string", "pattern": r"^\d{4}$"})]
Currency = Annotated[str, PlainValidator(parse_currency), WithJsonSchema({"type": "string", "pattern": CURRENCY_TEXT.pattern})]
PackReference = Annotated[
    str, PlainValidator(parse_pack_reference), WithJsonSchema({"type": "string", "pattern": PACK_REFERENCE_TEXT.pattern})
]
Flag = Annotated[bool, PlainValidator(parse_bool), WithJsonSchema({"type": "boolean"})]
