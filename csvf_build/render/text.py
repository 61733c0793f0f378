"""User text in the Markdown the engine reads: headings and the H1.

Everything else on a generated page is HTML from templates with autoescaping
(`render.pages`). Headings stay Markdown so the engine builds the table of
contents and permalinks; their user text must then be inert as Markdown and
HTML alike: HTML-significant characters and Markdown/extension syntax (links,
emphasis, code, attribute lists, tables) are written as numeric character
references, which render as the same characters and parse as none.
"""

from __future__ import annotations

from markupsafe import Markup

_SPECIAL = "\\`*_{}[]()<>#|~&\"'^=+!$:@"
_TABLE = {ord(c): f"&#{ord(c)};" for c in _SPECIAL}
_TABLE.update({code: " " for code in range(32)})  # newlines, tabs, control characters
_TABLE[127] = " "


def escape(value: object) -> Markup:
    """User text as inert, single-line Markdown; `Markup` passes unchanged."""
    if isinstance(value, Markup):
        return value
    if value is None:
        return Markup("")
    return Markup(" ".join(str(value).translate(_TABLE).split()))
