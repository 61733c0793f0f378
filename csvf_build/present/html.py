"""The HTML engine edge: the pack's document as one self-contained, printable HTML file.

Jinja with autoescaping on every value: what a user wrote is always text.
The drawings travel inside the file as `data:` images (an SVG in `<img>`
runs no script), and a Content-Security-Policy lets the page load nothing
from anywhere else.
"""

from __future__ import annotations

import base64
from typing import Any

from jinja2 import Environment, PackageLoader, StrictUndefined

TEMPLATE = "pack.html.j2"

_ENV = Environment(
    loader=PackageLoader("csvf_build.present", "templates"),
    autoescape=True,
    undefined=StrictUndefined,
    trim_blocks=True,
    lstrip_blocks=True,
    keep_trailing_newline=True,
)


def data_uri(svg: bytes) -> str:
    return "data:image/svg+xml;base64," + base64.b64encode(svg).decode("ascii")


def render_html(document: dict[str, Any], drawings: dict[str, bytes]) -> bytes:
    """The whole pack as one HTML page; `drawings` are SVGs by the paths the document names."""
    images = {path: data_uri(svg) for path, svg in drawings.items()}
    return _ENV.get_template(TEMPLATE).render(doc=document, images=images).encode("utf-8")
