"""The checker's field rules are data: JSON Schemas for editors come from them."""

from __future__ import annotations

import json

from csvf_build.content.schema import RECORD_TYPES, json_schemas


def test_every_file_kind_and_record_type_has_a_schema() -> None:
    schemas = json_schemas()
    assert set(schemas) == {"company", "catalog", "customer"} | {f"record-{name}" for name in RECORD_TYPES}
    json.dumps(schemas)  # plain JSON, ready to write out


def test_schemas_forbid_unknown_keys_and_name_required_ones() -> None:
    schemas = json_schemas()
    service = schemas["record-service"]
    assert service["additionalProperties"] is False
    assert set(service["required"]) == {"type", "date", "title", "service"}
    meeting = schemas["record-meeting"]
    assert {"kind", "stage"} <= set(meeting["required"])
    assert schemas["company"]["additionalProperties"] is False


def test_schemas_carry_the_value_types() -> None:
    schemas = json_schemas()
    revenue = schemas["customer"]["properties"]["revenue"]
    assert revenue["patternProperties"] == {r"^\d{4}$": {"minimum": 0, "multipleOf": 0.01, "type": "number"}}
    assert schemas["company"]["properties"]["fiscal_year_start"] == {
        "maximum": 12,
        "minimum": 1,
        "title": "Fiscal Year Start",
        "type": "integer",
    }
    contact = schemas["customer"]["$defs"]["Contact"]
    assert contact["properties"]["from"] == {"format": "date", "title": "From", "type": "string"}
