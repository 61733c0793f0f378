"""SVG attachments are opened directly by the browser: only plain drawings pass, decided by an allowlist.

A hostile corpus of payloads that a pattern filter lets through (namespace
prefixes, XHTML in foreignObject, DTD entities, other encodings, entity-encoded
URLs, external `<use>`, animation that rewrites `href`, CSS `url()`,
processing instructions...) must each be refused with the file, a line and a
hint; plain drawings, including an Inkscape file saved with its editor
attributes, must pass.
"""

from __future__ import annotations

import time

import pytest

from csvf_build.content.svg import HINT, css_problem, svg_problems
from tests.conftest import MEETING, ContentBuilder, problem_texts, run_check

SVG = 'xmlns="http://www.w3.org/2000/svg"'
XLINK = 'xmlns:xlink="http://www.w3.org/1999/xlink"'

HOSTILE = {
    "script": f"<svg {SVG}><script>alert(1)</script></svg>",
    "namespace prefix script": '<s:svg xmlns:s="http://www.w3.org/2000/svg"><s:script>alert(1)</s:script></s:svg>',
    "script in a default namespace redeclared": f'<svg {SVG}><g><script xmlns="http://www.w3.org/2000/svg">alert(1)</script></g></svg>',
    "xhtml script in its own namespace": f'<svg {SVG}><h:script xmlns:h="http://www.w3.org/1999/xhtml">alert(1)</h:script></svg>',
    "xhtml inside foreignObject": f'<svg {SVG}><foreignObject><body xmlns="http://www.w3.org/1999/xhtml"><iframe src="x"/></body></foreignObject></svg>',
    "onload": f'<svg {SVG} onload="alert(1)"/>',
    "mixed-case event handler": f'<svg {SVG}><rect OnClick="alert(1)"/></svg>',
    "DTD entity hiding a script tag": f'<!DOCTYPE svg [<!ENTITY s "&#60;script&#62;alert(1)&#60;/script&#62;">]><svg {SVG}>&s;</svg>',
    "billion laughs": '<!DOCTYPE svg [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]>'
    f"<svg {SVG}><text>&b;</text></svg>",
    "external entity": f'<!DOCTYPE svg [<!ENTITY x SYSTEM "file:///etc/passwd">]><svg {SVG}><text>&x;</text></svg>',
    "entity-encoded javascript in xlink:href": f'<svg {SVG} {XLINK}><use xlink:href="&#106;avascript:alert(1)"/></svg>',
    "href to javascript": f'<svg {SVG}><a href="javascript:alert(1)"><text>x</text></a></svg>',
    "href to data": f'<svg {SVG}><use href="data:image/svg+xml;base64,PHN2Zy8+#x"/></svg>',
    "use of an external document": f'<svg {SVG}><use href="other.svg#payload"/></svg>',
    "image of a remote file": f'<svg {SVG}><image href="https://evil.example/x.png"/></svg>',
    "animate rewriting href": f'<svg {SVG}><use href="#a"><animate attributeName="href" to="javascript:alert(1)"/></use></svg>',
    "set rewriting href": f'<svg {SVG} {XLINK}><use xlink:href="#a"><set attributeName="xlink:href" to="javascript:alert(1)"/></use></svg>',
    "style url(javascript:)": f'<svg {SVG}><rect style="fill: url(javascript:alert(1))"/></svg>',
    "presentation attribute with a remote url": f'<svg {SVG}><rect fill="url(https://evil.example/p.svg#g)"/></svg>',
    "style sheet @import": f"<svg {SVG}><style>@import url(https://evil.example/x.css);</style></svg>",
    "style sheet escape hiding url": f"<svg {SVG}><style>rect {{ fill: u\\72l(https://evil.example/x) }}</style></svg>",
    "xml-stylesheet processing instruction": f'<?xml-stylesheet type="text/xsl" href="evil.xsl"?><svg {SVG}/>',
    "UTF-16": f"<svg {SVG}><script>alert(1)</script></svg>",  # encoded as UTF-16 below
    "declared Latin-1": f'<?xml version="1.0" encoding="ISO-8859-1"?><svg {SVG}/>',
    "xml:base re-pointing a fragment": f'<svg {SVG} xml:base="https://evil.example/x.svg"><use href="#a"/></svg>',
    "not SVG at all": '<html xmlns="http://www.w3.org/1999/xhtml"><script>alert(1)</script></html>',
    "iframe": f'<svg {SVG}><iframe src="https://evil.example"/></svg>',
    "handler element": f'<svg {SVG} xmlns:ev="http://www.w3.org/2001/xml-events"><handler ev:event="load">alert(1)</handler></svg>',
}


def encoded(name: str) -> bytes:
    return HOSTILE[name].encode("utf-16" if name == "UTF-16" else "utf-8")


INKSCAPE = """<?xml version="1.0" encoding="UTF-8" standalone="no"?>
<!-- Created with Inkscape (http://www.inkscape.org/) -->
<svg width="210mm" height="100mm" viewBox="0 0 210 100" version="1.1" id="svg1"
   inkscape:version="1.3 (0e150ed6c4, 2023-07-21)" sodipodi:docname="seal-wear.svg"
   xmlns:inkscape="http://www.inkscape.org/namespaces/inkscape"
   xmlns:sodipodi="http://sodipodi.sourceforge.net/DTD/sodipodi-0.dtd"
   xmlns:xlink="http://www.w3.org/1999/xlink"
   xmlns="http://www.w3.org/2000/svg">
  <defs id="defs1">
    <linearGradient id="wear" inkscape:collect="always">
      <stop style="stop-color:#1f5f8b;stop-opacity:1" offset="0" id="stop1"/>
      <stop style="stop-color:#1f5f8b;stop-opacity:0" offset="1" id="stop2"/>
    </linearGradient>
    <linearGradient xlink:href="#wear" id="wear2" x1="10" y1="10" x2="200" y2="90" gradientUnits="userSpaceOnUse"/>
  </defs>
  <g inkscape:label="Layer 1" inkscape:groupmode="layer" id="layer1">
    <rect style="fill:url(#wear2);stroke:#333333;stroke-width:0.5" id="rect1" width="190" height="80" x="10" y="10" ry="4"/>
    <path d="m 20,80 c 40,-60 80,-60 170,-50" sodipodi:nodetypes="cc" style="fill:none;stroke:#c0392b;stroke-width:1.5" id="path1"/>
    <text xml:space="preserve" style="font-size:6px;font-family:sans-serif" x="20" y="20" id="text1"><tspan id="tspan1" x="20" y="20">Seal wear, line 2</tspan></text>
  </g>
</svg>
"""

LEGITIMATE = {
    "minimal": f'<svg {SVG}><rect width="4" height="4"/></svg>',
    "chart with title, use and markers": f"""<svg {SVG} viewBox="0 0 100 50" role="img" aria-label="Changeover minutes">
  <title>Changeover minutes</title><desc>Four audits</desc>
  <defs><marker id="dot" markerWidth="4" markerHeight="4" refX="2" refY="2"><circle cx="2" cy="2" r="2" fill="#1f5f8b"/></marker>
  <symbol id="tick"><line x1="0" y1="0" x2="0" y2="3" stroke="#333"/></symbol></defs>
  <polyline points="5,40 35,20 65,25 95,5" fill="none" stroke="#1f5f8b" marker-mid="url(#dot)"/>
  <use href="#tick" x="5" y="45"/><use href="#tick" x="35" y="45"/>
  <text x="95" y="48" text-anchor="end" font-size="4" transform="rotate(0 95 48)">2026</text>
</svg>""",
    "style sheet, clip path and filter": f"""<svg {SVG} width="40" height="40">
  <style>.st0 {{ fill: #c0392b; }} rect:not(.st0) {{ stroke: rgb(10, 20, 30); filter: url('#blur') }}</style>
  <defs><clipPath id="c"><circle cx="20" cy="20" r="18"/></clipPath>
  <filter id="blur"><feGaussianBlur stdDeviation="1"/><feOffset dx="1" dy="1"/></filter></defs>
  <g clip-path="url(#c)"><rect class="st0" width="40" height="40"/><rect x="5" y="5" width="10" height="10"/></g>
</svg>""",
    "Inkscape drawing with editor attributes": INKSCAPE,
}


# ---------------------------------------------------------------- the checker alone


@pytest.mark.parametrize("name", HOSTILE)
def test_hostile_svg_is_refused(name: str) -> None:
    start = time.perf_counter()
    problems = svg_problems(encoded(name))
    assert time.perf_counter() - start < 1.0
    assert problems, f"{name} passed"
    assert all(p.line >= 1 and p.col >= 1 and p.message for p in problems), problems


@pytest.mark.parametrize("name", LEGITIMATE)
def test_plain_drawing_passes(name: str) -> None:
    assert svg_problems(LEGITIMATE[name].encode()) == []


def test_the_example_content_drawings_pass() -> None:
    from pathlib import Path

    drawings = sorted(Path(__file__).parent.parent.glob("content/customers/*/files/*.svg"))
    assert drawings
    assert {d.name: svg_problems(d.read_bytes()) for d in drawings} == {d.name: [] for d in drawings}


def test_inkscape_editor_elements_are_refused_with_the_reason() -> None:
    """Editor attributes are inert and ignored; an editor *element* is foreign content, refused."""
    svg = INKSCAPE.replace('<defs id="defs1">', '<sodipodi:namedview id="nv" pagecolor="#ffffff"/>\n  <defs id="defs1">')
    [problem] = svg_problems(svg.encode())
    assert "sodipodi:namedview" in problem.message and "not an SVG element" in problem.message
    assert problem.line == 9
    assert "Plain SVG" in HINT


def test_rdf_metadata_is_refused() -> None:
    svg = f'<svg {SVG} xmlns:rdf="http://www.w3.org/1999/02/22-rdf-syntax-ns#"><metadata><rdf:RDF/></metadata><rect width="1" height="1"/></svg>'
    assert ["rdf:RDF" in p.message for p in svg_problems(svg.encode())] == [True]


def test_each_problem_has_the_line_of_its_element() -> None:
    svg = f'<svg {SVG}>\n<rect width="1"/>\n<script>x</script>\n<rect onclick="x"/>\n</svg>'
    assert [(p.line, p.col) for p in svg_problems(svg.encode())] == [(3, 1), (4, 1)]


def test_doctype_is_refused_at_its_line() -> None:
    svg = f'<?xml version="1.0"?>\n<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1.1//EN" "http://www.w3.org/Graphics/SVG/1.1/DTD/svg11.dtd">\n<svg {SVG}/>'
    [problem] = svg_problems(svg.encode())
    assert problem.line == 2 and "DOCTYPE" in problem.message


def test_not_well_formed_svg_is_refused_with_the_parser_position() -> None:
    [problem] = svg_problems(f"<svg {SVG}>\n<rect>\n</svg>".encode())
    assert "not well-formed" in problem.message and problem.line == 3


def test_bad_utf8_is_located() -> None:
    [problem] = svg_problems(f"<svg {SVG}>\n<text>caf\xe9</text></svg>".encode("latin-1"))
    assert (problem.line, problem.col) == (2, 10) and "UTF-8" in problem.message


def test_many_problems_are_capped() -> None:
    svg = f"<svg {SVG}>" + "<script/>" * 500 + "</svg>"
    assert len(svg_problems(svg.encode())) == 10


def test_deep_nesting_is_refused_fast() -> None:
    svg = f"<svg {SVG}>" + "<g>" * 100_000 + "</g>" * 100_000 + "</svg>"
    start = time.perf_counter()
    problems = svg_problems(svg.encode())
    assert time.perf_counter() - start < 2.0
    assert "nested deeper" in problems[-1].message


@pytest.mark.parametrize(
    ("css", "ok"),
    [
        ("fill: #fff; stroke: rgb(1, 2, 3)", True),
        ("fill: url(#g)", True),
        ("fill: url( '#g' )", True),
        ("fill: url(x.svg#g)", False),
        ("fill: URL(javascript:alert(1))", False),
        ("background: image-set('x.png' 1x)", False),
        ("width: expression(alert(1))", False),
        ("@font-face { src: local(x) }", False),
        ("fill: u\\72l(x)", False),
        ("fill: url(#g) url(https://e/x)", False),
    ],
)
def test_css_allowlist(css: str, ok: bool) -> None:
    assert (css_problem(css) is None) is ok, css_problem(css)


# ---------------------------------------------------------------- through the checker


@pytest.mark.parametrize(
    "name", ["namespace prefix script", "use of an external document", "UTF-16", "xml-stylesheet processing instruction"]
)
def test_hostile_svg_through_the_checker(content: ContentBuilder, name: str) -> None:
    content.customer("acme")
    path = content.root / "customers/acme/files/drawing.svg"
    path.parent.mkdir(parents=True)
    path.write_bytes(encoded(name))
    checked, problems = run_check(content)
    assert checked is None
    assert problems and all(p.file == f"{content.root}/customers/acme/files/drawing.svg" for p in problems), problem_texts(problems)
    assert all(p.line >= 1 and "not a plain SVG drawing" in p.message and "export it as a plain SVG" in p.hint for p in problems)


def test_inkscape_drawing_passes_the_checker_and_can_be_linked(content: ContentBuilder) -> None:
    content.customer("acme")
    content.write("customers/acme/files/seal-wear.svg", INKSCAPE)
    content.record("acme", "2024-02-01-x.md", MEETING, "![wear](../files/seal-wear.svg)\n")
    checked, problems = run_check(content)
    assert problems == [], problem_texts(problems)
    assert checked is not None
