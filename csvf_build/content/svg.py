"""Is an SVG attachment a plain drawing? Decided by an allowlist, never by a pattern.

An attachment is served from the site's own origin and opened directly by the
browser as a document (not as an `<img>`), so anything an SVG document can do
it could do with the site's rights: run script (`<script>`, `on*=`, XHTML in
`foreignObject` or in any namespace), navigate (`javascript:` links), load
other documents (`<use href="other.svg#x">`, `url(https://...)`, XSLT
processing instructions) or change any of these while it runs (`<animate>`,
`<set>`). Rather than list what is dangerous, the checker parses the file with
a hardened XML parser (defusedxml: no DTD, no entities, no external
references) and accepts only:

* UTF-8 text, no NUL bytes, no other declared encoding;
* elements of the SVG namespace from `ELEMENTS` (shapes, text, structure,
  gradients, patterns, clips, masks, markers, filter primitives except
  `feImage`, `style`);
* attributes from `ATTRIBUTES` (geometry, presentation, ids and classes,
  `aria-*`), `xml:space`/`xml:lang`, `xlink:title`, and `href`/`xlink:href`
  only to a `#fragment` of the same file on the few elements that reference;
* inert editor attributes in the Inkscape and Sodipodi namespaces, which are
  ignored (foreign *elements*, such as `sodipodi:namedview` or RDF metadata,
  are refused: the rule "SVG namespace only" is what keeps XHTML and MathML out);
* CSS (the `style` attribute and `<style>`) with no escapes, no at-rules and
  only the functions in `CSS_FUNCTIONS`, `url()` naming a `#fragment` only.
"""

from __future__ import annotations

import io
import re
from dataclasses import dataclass
from typing import Any
from xml.sax import SAXParseException
from xml.sax.handler import ContentHandler
from xml.sax.xmlreader import Locator

from defusedxml.expatreader import DefusedExpatParser

SVG_NS = "http://www.w3.org/2000/svg"
XLINK_NS = "http://www.w3.org/1999/xlink"
XML_NS = "http://www.w3.org/XML/1998/namespace"
# Attributes here are editor bookkeeping (layer names, node types): inert, ignored.
EDITOR_NAMESPACES = frozenset({"http://www.inkscape.org/namespaces/inkscape", "http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"})
MAX_SVG_DEPTH = 256
MAX_SVG_PROBLEMS = 10  # per file: enough to show what to change, not a wall of text

HINT = (
    "an attachment is opened directly by the browser, so an SVG may hold only shapes, text, gradients and styles "
    "(no script, links, animation, embedded or foreign-namespace content, DOCTYPE or entities): "
    "export it as a plain SVG (Inkscape: File > Save As > Plain SVG; Illustrator: SVG with presentation attributes) or as PNG"
)

ELEMENTS = frozenset(
    {
        "svg", "g", "defs", "symbol", "use", "title", "desc", "metadata", "switch", "style",
        "path", "rect", "circle", "ellipse", "line", "polyline", "polygon",
        "text", "tspan", "textPath",
        "linearGradient", "radialGradient", "stop", "pattern", "clipPath", "mask", "marker",
        "filter", "feBlend", "feColorMatrix", "feComponentTransfer", "feComposite", "feConvolveMatrix",
        "feDiffuseLighting", "feDisplacementMap", "feDistantLight", "feDropShadow", "feFlood",
        "feFuncA", "feFuncB", "feFuncG", "feFuncR", "feGaussianBlur", "feMerge", "feMergeNode",
        "feMorphology", "feOffset", "fePointLight", "feSpecularLighting", "feSpotLight", "feTile", "feTurbulence",
    }
)  # fmt: skip
# Elements whose href may name a #fragment of the same file.
HREF_ELEMENTS = frozenset({"use", "textPath", "linearGradient", "radialGradient", "pattern", "filter"})

# CSS properties that SVG also takes as attributes: their values are CSS and are checked as such.
PRESENTATION = frozenset(
    {
        "alignment-baseline", "baseline-shift", "clip", "clip-path", "clip-rule", "color", "color-interpolation",
        "color-interpolation-filters", "color-rendering", "direction", "display", "dominant-baseline",
        "enable-background", "fill", "fill-opacity", "fill-rule", "filter", "flood-color", "flood-opacity",
        "font-family", "font-size", "font-size-adjust", "font-stretch", "font-style", "font-variant", "font-weight",
        "image-rendering", "isolation", "letter-spacing", "lighting-color", "marker-end", "marker-mid", "marker-start",
        "mask", "mix-blend-mode", "opacity", "overflow", "paint-order", "shape-rendering", "stop-color", "stop-opacity",
        "stroke", "stroke-dasharray", "stroke-dashoffset", "stroke-linecap", "stroke-linejoin", "stroke-miterlimit",
        "stroke-opacity", "stroke-width", "text-anchor", "text-decoration", "text-rendering", "transform-origin",
        "unicode-bidi", "vector-effect", "visibility", "word-spacing", "writing-mode",
    }
)  # fmt: skip
ATTRIBUTES = PRESENTATION | frozenset(
    {
        "id", "class", "style", "lang", "tabindex", "role", "version", "baseProfile", "viewBox", "preserveAspectRatio",
        "transform", "x", "y", "x1", "y1", "x2", "y2", "cx", "cy", "r", "rx", "ry", "fx", "fy", "fr", "width", "height",
        "d", "points", "pathLength", "dx", "dy", "rotate", "textLength", "lengthAdjust", "startOffset", "method",
        "spacing", "side", "offset", "gradientUnits", "gradientTransform", "spreadMethod", "patternUnits",
        "patternContentUnits", "patternTransform", "clipPathUnits", "maskUnits", "maskContentUnits", "markerWidth",
        "markerHeight", "markerUnits", "refX", "refY", "orient", "filterUnits", "primitiveUnits", "in", "in2",
        "result", "stdDeviation", "mode", "type", "values", "operator", "k1", "k2", "k3", "k4", "order",
        "kernelMatrix", "divisor", "bias", "targetX", "targetY", "edgeMode", "preserveAlpha", "kernelUnitLength",
        "surfaceScale", "diffuseConstant", "specularConstant", "specularExponent", "azimuth", "elevation", "z",
        "pointsAtX", "pointsAtY", "pointsAtZ", "limitingConeAngle", "scale", "xChannelSelector", "yChannelSelector",
        "radius", "baseFrequency", "numOctaves", "seed", "stitchTiles", "tableValues", "slope", "intercept",
        "amplitude", "exponent", "systemLanguage", "requiredFeatures", "requiredExtensions", "media",
        "aria-label", "aria-labelledby", "aria-describedby", "aria-hidden", "aria-roledescription", "focusable",
    }
)  # fmt: skip
CSS_FUNCTIONS = frozenset(
    {
        "url", "rgb", "rgba", "hsl", "hsla", "hwb", "lab", "lch", "calc", "min", "max", "clamp", "var",
        "translate", "translatex", "translatey", "rotate", "scale", "scalex", "scaley", "skewx", "skewy", "matrix",
        "blur", "brightness", "contrast", "drop-shadow", "grayscale", "hue-rotate", "invert", "opacity", "saturate",
        "sepia", "not", "is", "where", "nth-child", "nth-last-child", "nth-of-type", "nth-last-of-type",
    }
)  # fmt: skip

_FRAGMENT = re.compile(r"^#[A-Za-z_][\w.:-]*$")
_CSS_FUNCTION = re.compile(r"([A-Za-z_-][\w-]*)\s*\(")
_CSS_URL = re.compile(r"url\(\s*(['\"]?)([^'\")]*)\1\s*\)", re.IGNORECASE)
_XML_DECLARATION = re.compile(rb"^<\?xml[^>]*?\bencoding\s*=\s*[\"']([^\"']*)[\"']")
_OTHER_BOMS = (b"\xfe\xff", b"\xff\xfe", b"\x00\x00\xfe\xff")


@dataclass(frozen=True)
class SvgProblem:
    """Why an SVG is not a plain drawing, and where (1-based line and column)."""

    line: int
    col: int
    message: str


class _StopError(Exception):
    """Ends the parse: the problem cannot be worked around, or there are enough."""


def svg_problems(data: bytes) -> list[SvgProblem]:
    """Every reason (up to MAX_SVG_PROBLEMS) this SVG is not a plain drawing; [] if it is one."""
    problem = _encoding_problem(data)
    if problem is not None:
        return [problem]
    checker = _Checker()
    parser = _Parser(checker)
    parser.setContentHandler(checker)
    try:
        parser.parse(io.BytesIO(data))
    except SAXParseException as error:
        checker.add(f"not well-formed XML: {error.getMessage()}", error.getLineNumber() or 1, (error.getColumnNumber() or 0) + 1)
    except _StopError:
        pass
    if not checker.problems and not checker.seen_root:
        checker.add("this file has no <svg> element", 1, 1)
    return checker.problems


def _encoding_problem(data: bytes) -> SvgProblem | None:
    """UTF-8 only: another encoding (UTF-16, a declared Latin-1) could hide markup from any check."""
    if data.startswith(_OTHER_BOMS) or b"\x00" in data:
        return SvgProblem(1, 1, "this SVG is not UTF-8 text (it is UTF-16 or holds NUL bytes)")
    try:
        data.decode("utf-8")
    except UnicodeDecodeError as error:
        head = data[: error.start]
        return SvgProblem(head.count(b"\n") + 1, error.start - (head.rfind(b"\n") + 1) + 1, "this SVG is not UTF-8 text")
    declared = _XML_DECLARATION.match(data.removeprefix(b"\xef\xbb\xbf"))
    if declared and declared.group(1).decode("ascii", "replace").lower() not in ("utf-8", "utf8"):
        return SvgProblem(1, 1, f"this SVG declares the encoding '{declared.group(1).decode('ascii', 'replace')}'; only UTF-8 is allowed")
    return None


def css_problem(css: str) -> str | None:
    """Why this CSS (a style attribute, a presentation value or a <style> sheet) is not inert, or None."""
    if "\\" in css:
        return "CSS escapes (\\) are not allowed"
    if "@" in css:
        return "CSS at-rules (@import, @font-face, ...) are not allowed"
    for match in _CSS_URL.finditer(css):
        if not _FRAGMENT.match(match.group(2).strip()):
            return f"url({match.group(2)}) must name a #fragment of this file"
    for match in _CSS_FUNCTION.finditer(css):
        if match.group(1).lower() not in CSS_FUNCTIONS:
            return f"the CSS function {match.group(1)}() is not allowed"
    if css.lower().count("url(") != len(_CSS_URL.findall(css)):
        return "a url() here is malformed"
    return None


class _Parser(DefusedExpatParser):
    """defusedxml's parser, refusing DTDs with a location (and namespaces on)."""

    def __init__(self, checker: _Checker):
        super().__init__(namespaceHandling=1, forbid_dtd=True, forbid_entities=True, forbid_external=True)
        self.checker = checker

    def defused_start_doctype_decl(self, name: str, sysid: str | None, pubid: str | None, has_internal_subset: bool) -> None:
        self.checker.stop("a <!DOCTYPE> (DTD) is not allowed in an SVG attachment; DTDs can define entities and load other files")

    def defused_entity_decl(self, *args: Any) -> None:  # pragma: no cover (needs a DTD, refused first)
        self.checker.stop("entity declarations are not allowed")

    def defused_external_entity_ref_handler(self, *args: Any) -> None:  # pragma: no cover (needs a DTD)
        self.checker.stop("external entities are not allowed")


class _Checker(ContentHandler):
    """Streams the document, collecting every element, attribute or text not on the allowlists."""

    def __init__(self) -> None:
        super().__init__()
        self.problems: list[SvgProblem] = []
        self.depth = 0
        self.seen_root = False
        self.style_text: list[str] | None = None  # collecting the text of a <style> element
        self.locator: Locator | None = None
        self.prefixes: dict[str, list[str | None]] = {}  # namespace -> prefixes in scope, innermost last

    # -- where we are

    def setDocumentLocator(self, locator: Locator) -> None:  # noqa: N802 (SAX's API)
        self.locator = locator

    def _here(self) -> tuple[int, int]:
        if self.locator is None:  # pragma: no cover (expat always gives one)
            return 1, 1
        return max(self.locator.getLineNumber() or 1, 1), max(self.locator.getColumnNumber() or 0, 0) + 1

    def add(self, message: str, line: int = 0, col: int = 0) -> None:
        if not line:
            line, col = self._here()
        self.problems.append(SvgProblem(line, col, message))
        if len(self.problems) >= MAX_SVG_PROBLEMS:
            raise _StopError

    def stop(self, message: str) -> None:
        self.add(message)
        raise _StopError

    def _name(self, uri: str | None, local: str) -> str:
        """`prefix:local` as the file writes it (expat reports only the namespace)."""
        prefix = self.prefixes.get(uri or "", [None])[-1] if uri else None
        return f"{prefix}:{local}" if prefix else local

    # -- SAX events

    def startPrefixMapping(self, prefix: str | None, uri: str) -> None:  # noqa: N802 (SAX's API)
        self.prefixes.setdefault(uri, []).append(prefix)

    def endPrefixMapping(self, prefix: str | None) -> None:  # noqa: N802
        for stack in self.prefixes.values():
            if stack and stack[-1] == prefix:
                stack.pop()
                return

    def startElementNS(self, name: tuple[str | None, str], qname: str | None, attrs: Any) -> None:  # noqa: N802
        self.depth += 1
        if self.depth > MAX_SVG_DEPTH:
            self.stop(f"elements are nested deeper than {MAX_SVG_DEPTH} levels")
        uri, local = name
        shown = self._name(uri, local)
        if not self.seen_root:
            self.seen_root = True
            if (uri, local) != (SVG_NS, "svg"):
                self.stop(f"the document element is <{shown}>, not an <svg> in the SVG namespace")
        if uri != SVG_NS:
            self.add(f"<{shown}> is not an SVG element (namespace {uri or 'none'}); only SVG-namespace elements are allowed")
        elif local not in ELEMENTS:
            self.add(f"<{shown}> is not allowed in an SVG attachment")
        else:  # the attributes of a refused element do not matter: it goes anyway
            for (attr_uri, attr_local), value in attrs.items():
                self._attribute(local, attr_uri, attr_local, self._name(attr_uri, attr_local), value)
        if uri == SVG_NS and local == "style":
            self.style_text = []

    def endElementNS(self, name: tuple[str | None, str], qname: str | None) -> None:  # noqa: N802
        self.depth -= 1
        if self.style_text is not None:
            problem = css_problem("".join(self.style_text))
            self.style_text = None
            if problem:
                self.add(f"<style>: {problem}")

    def characters(self, content: str) -> None:
        if self.style_text is not None:
            self.style_text.append(content)

    def processingInstruction(self, target: str, data: str) -> None:  # noqa: N802
        self.add(f"the processing instruction <?{target} ...?> is not allowed (it can load a stylesheet or transform)")

    def skippedEntity(self, name: str) -> None:  # noqa: N802 (pragma: needs a DTD, refused first)
        self.add(f"the entity &{name}; is not allowed")

    # -- attributes

    def _attribute(self, element: str, uri: str | None, local: str, qname: str, value: str) -> None:
        if uri in EDITOR_NAMESPACES:
            return
        if local == "href" and uri in (None, XLINK_NS):
            self._href(element, qname, value)
            return
        if uri == XLINK_NS and local == "title":
            return
        if uri == XML_NS and local in ("space", "lang"):
            return
        if uri is not None or local not in ATTRIBUTES:
            self.add(f"the attribute {qname}= is not allowed" + (" (event handlers run script)" if local.lower().startswith("on") else ""))
            return
        problem = css_problem(value) if local in PRESENTATION or local == "style" else _value_problem(value)
        if problem:
            self.add(f"{qname}=: {problem}")

    def _href(self, element: str, qname: str, value: str) -> None:
        if element not in HREF_ELEMENTS:
            self.add(f"{qname}= is not allowed on <{element}>")
        elif not _FRAGMENT.match(value.strip()):
            self.add(f'{qname}="{_short(value)}" must name a #fragment of this file (no other files, data: or javascript: URLs)')


def _value_problem(value: str) -> str | None:
    """Plain attributes (geometry, ids) never need a URL or a CSS escape."""
    if "\\" in value:
        return "backslash escapes are not allowed"
    if "url(" in value.lower():
        return css_problem(value)
    return None


def _short(value: str) -> str:
    return value if len(value) <= 60 else value[:57] + "..."
