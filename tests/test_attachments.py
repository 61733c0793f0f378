"""Attachments in customers/<id>/files/ are served from the site's own origin:
nothing a browser would run may be one."""

from __future__ import annotations

import pytest

from tests.conftest import ContentBuilder, problem_texts, run_check


@pytest.mark.parametrize("name", ["page.html", "page.HTM", "tool.js", "notes.md", "data.xml"])
def test_active_attachments_are_refused(content: ContentBuilder, name: str) -> None:
    content.customer("acme")
    content.write(f"customers/acme/files/{name}", "<script>alert(1)</script>\n")
    checked, problems = run_check(content)
    assert checked is None
    assert len(problems) == 1
    assert problems[0].file.endswith(f"customers/acme/files/{name}")
    assert "a browser could run it" in problems[0].message


@pytest.mark.parametrize(
    "svg",
    [
        '<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg" onload="alert(1)"></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><a href="javascript:alert(1)"><text>x</text></a></svg>',
        '<svg xmlns="http://www.w3.org/2000/svg"><foreignObject><div>x</div></foreignObject></svg>',
    ],
)
def test_svg_with_script_is_refused(content: ContentBuilder, svg: str) -> None:
    content.customer("acme")
    content.write("customers/acme/files/drawing.svg", svg)
    checked, problems = run_check(content)
    assert checked is None
    assert "not a plain SVG drawing" in problem_texts(problems)


def test_plain_attachments_are_carried(content: ContentBuilder) -> None:
    content.customer("acme")
    content.write("customers/acme/files/wear.svg", '<svg xmlns="http://www.w3.org/2000/svg"><rect width="4" height="4"/></svg>')
    content.write("customers/acme/files/report.csv", "a,b\n1,2\n")
    content.record(
        "acme",
        "2024-03-01-x.md",
        "type: meeting\ndate: 2024-03-01\ntitle: Visit\nkind: visit\nstage: after",
        "![wear](../files/wear.svg) [report](../files/report.csv)\n",
    )
    checked, problems = run_check(content)
    assert problems == []
    assert checked.customers[0].attachments == {"customers/acme/files/wear.svg", "customers/acme/files/report.csv"}  # type: ignore[union-attr]


# ---------------------------------------------------------------- what the check passes, the build must pass


@pytest.mark.parametrize("suffix", [".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext", ".MD", ".xsl", ".shtml"])
def test_attachments_that_the_site_would_build_or_run_are_refused(content: ContentBuilder, suffix: str) -> None:
    """MkDocs builds every Markdown suffix as a page; an attachment must stay a file."""
    content.customer("acme")
    content.write(f"customers/acme/files/notes{suffix}", "# Not a page\n")
    checked, problems = run_check(content)
    assert checked is None
    [problem] = problems
    assert problem.file.endswith(f"customers/acme/files/notes{suffix}")
    assert "cannot be an attachment" in problem.message and "PDF" in problem.hint


@pytest.mark.parametrize(
    ("name", "suggested"),
    [
        ("line 3.pdf", "line-3.pdf"),
        ("report#2.pdf", "report-2.pdf"),
        ("why?.png", "why.png"),
        ("100%.csv", "100.csv"),
        ("café.jpg", "cafe.jpg"),
        ("a&b.pdf", "a-b.pdf"),
    ],
)
def test_attachment_names_links_cannot_carry_are_refused_with_a_suggestion(content: ContentBuilder, name: str, suggested: str) -> None:
    content.customer("acme")
    content.write(f"customers/acme/files/{name}", "data\n")
    checked, problems = run_check(content)
    assert checked is None
    [problem] = problems
    assert problem.file.endswith(f"customers/acme/files/{name}")
    assert f"'{name}'" in problem.message
    assert f"rename it to '{suggested}'" in problem.hint


def test_attachment_folder_names_are_checked_too(content: ContentBuilder) -> None:
    content.customer("acme")
    content.write("customers/acme/files/line 3/photo.png", "png")
    checked, problems = run_check(content)
    assert checked is None
    assert {p.file.removeprefix(f"{content.root}/") for p in problems} == {
        "customers/acme/files/line 3",
        "customers/acme/files/line 3/photo.png",
    }
    assert all("'line 3'" in p.message and "line-3" in p.hint for p in problems)


@pytest.mark.parametrize("name", ["IMG_0042.JPG", "seal-wear.2023-07.svg", "lot_26.csv", "a.b.c.txt"])
def test_safe_attachment_names_pass(content: ContentBuilder, name: str) -> None:
    content.customer("acme")
    content.write(f"customers/acme/files/{name}", '<svg xmlns="http://www.w3.org/2000/svg"/>' if name.endswith(".svg") else "x")
    _checked, problems = run_check(content)
    assert problems == [], problem_texts(problems)
