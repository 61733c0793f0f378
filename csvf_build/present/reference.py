"""A pack's reference: twelve hex digits naming what the pack tells the customer, whatever day it was made.

The rep copies it from the cover into the `presentation` record (`pack:`), so
the site can tell whether the customer saw what today's records still say. It
hashes the customer-facing view (the figures, stories, people and notes the
pack is laid out from), leaving out the day the pack was prepared and the
charts (drawn from the same figures): the same records give the same
reference next month or after a change of the pack's wording, and one changed
record gives another.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from typing import Any

from csvf_build.present.view import CustomerView

LENGTH = 12  # like a short git hash: enough to tell a customer's packs apart, short enough to type
LEFT_OUT = {"prepared"}


def pack_reference(view: CustomerView) -> str:
    said = _without_charts(dataclasses.asdict(view))
    for key in LEFT_OUT:
        said.pop(key)
    text = json.dumps(said, sort_keys=True, ensure_ascii=False, default=str)
    return hashlib.sha256(text.encode()).hexdigest()[:LENGTH]


def _without_charts(value: Any) -> Any:
    if isinstance(value, dict):
        return {key: _without_charts(item) for key, item in value.items() if not key.endswith("chart")}
    if isinstance(value, list | tuple):
        return [_without_charts(item) for item in value]
    return value
