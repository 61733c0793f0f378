"""Every string a user wrote reaches a generated page through `escape` here.

Generated pages are Markdown that MkDocs turns into HTML, so user text must be
inert as both: HTML-significant characters and Markdown/extension syntax
(links, emphasis, code, attribute lists, tables) are written as numeric
character references, which render as the same characters and parse as none.
Text our own code builds is wrapped in `Markup` and passes unchanged.
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


def finalize(value: object) -> object:
    """Jinja's finalize hook: every `{{ ... }}` goes through `escape`."""
    return escape(value)
