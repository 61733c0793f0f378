"""User Markdown to safe HTML: no executable markup ever, local links resolved and checked."""

from __future__ import annotations

from html.parser import HTMLParser
from pathlib import Path
from urllib.parse import urlsplit

import pytest

from csvf_build.content.markup import SAFE_TAGS, render_markdown
from csvf_build.problems import Problem
from tests.conftest import MEETING, ContentBuilder, line_of, problem_texts, run_check

RECORD = "customers/acme/records/2024-02-01-x.md"
PAGE = "customers/acme"


class _Elements(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.elements.append((tag, {name: value or "" for name, value in attrs}))

    handle_startendtag = handle_starttag


def elements(html: str) -> list[tuple[str, dict[str, str]]]:
    parser = _Elements()
    parser.feed(html)
    parser.close()
    return parser.elements


def render(text: str, **kwargs):
    options = {"source": RECORD, "page_dir": PAGE, "first_line": 1, "heading_level": 4} | kwargs
    return render_markdown(text, **options)


def assert_nothing_executable(html: str) -> None:
    """Only safe tags; no event handlers, no scripts, no URL with a dangerous scheme, no remote image."""
    for tag, attrs in elements(html):
        assert tag in SAFE_TAGS, f"<{tag}> in {html}"
        assert tag not in {"script", "iframe", "object", "embed", "style", "svg", "math", "form", "base", "link", "meta"}, html
        for name, value in attrs.items():
            assert not name.startswith("on"), f"{name}= in {html}"
            assert name not in {"srcdoc", "formaction", "xlink:href"}, html
            if name == "style":
                assert value.startswith("text-align:"), html
            if name in ("href", "src"):
                scheme = urlsplit(value.strip()).scheme.lower()
                assert scheme in ("", "http", "https", "mailto"), f"{name}={value!r} in {html}"
                assert "javascript" not in value.lower().replace(" ", "").split("/")[0], html
            if tag == "img" and name == "src":
                assert not urlsplit(value).scheme and not value.startswith("//"), f"remote image {value!r}"


# ---------------------------------------------------------------- nothing executable reaches the HTML


@pytest.mark.parametrize(
    "text",
    [
        "<script>alert(1)</script>",
        "Hi <script>alert(1)</script> there",
        "<script>\nalert(1)\n</script>\n\nafter",
        '<img src="x" onerror="alert(1)">',
        "<img src=x onerror=alert(1)//",
        '<iframe src="https://evil.example"></iframe>',
        '<a href="javascript:alert(1)">x</a>',
        '<div onclick="alert(1)">hi</div>',
        '<svg onload="alert(1)"></svg>',
        "<style>body { display: none }</style>",
        '<object data="x.swf"></object>',
        '<math><mi xlink:href="javascript:alert(1)">x</mi></math>',
        "[x](javascript:alert(1))",
        "[x](JavaScript:alert(1))",
        "[x]( javascript:alert(1) )",
        "[x](<javascript:alert(1)>)",
        "[x](java&#115;cript:alert(1))",
        "[x](&#106;avascript:alert(1))",
        "[x](javascript&colon;alert(1))",
        "[x](vbscript:msgbox(1))",
        "[x](data:text/html;base64,PHNjcmlwdD5hbGVydCgxKTwvc2NyaXB0Pg==)",
        "[x][ref]\n\n[ref]: javascript:alert(1)",
        "<javascript:alert(1)>",
        "![x](javascript:alert(1))",
        '![x](../files/a.png" onerror="alert(1))',
        '[x](../files/a.pdf "t" onclick="alert(1)")',
        'Para\n{: onclick="alert(1)"}',
        '# Heading {: onclick="alert(1)" }',
        '[link](../files/a.pdf){: onclick="alert(1)"}',
        "![logo](https://evil.example/x.png)",
        "![logo](http://evil.example/x.png)",
        "![logo](//evil.example/x.png)",
        "![logo](data:image/png;base64,iVBORw0KGgo=)",
        "<!-- <script>alert(1)</script> -->",
        '[x](https://a.example/?q="><script>alert(1)</script>)',
        "| a |\n|---|\n| <script>alert(1)</script> |",
    ],
)
def test_nothing_executable(text: str) -> None:
    assert_nothing_executable(render(text).html)


@pytest.mark.parametrize(
    "text", ["<script>alert(1)</script>", '<img src="x" onerror="alert(1)">', "<iframe src=x></iframe>", "<b>bold</b>"]
)
def test_raw_html_is_shown_as_text(text: str) -> None:
    html = render(text).html
    assert "&lt;" in html, html
    assert not any(tag in ("script", "img", "iframe", "b") for tag, _ in elements(html)), html


def test_attribute_lists_are_not_interpreted() -> None:
    html = render('Para\n{: onclick="alert(1)" .danger #x}').html
    for _, attrs in elements(html):
        assert "onclick" not in attrs and "id" not in attrs


@pytest.mark.parametrize("scheme", ["javascript:alert(1)", "vbscript:x", "data:text/html,x", "ftp://example.com/a", "file:///etc/passwd"])
def test_disallowed_link_schemes_become_problems(scheme: str) -> None:
    markup = render(f"[x]({scheme})")
    assert len(markup.links) == 1
    assert markup.links[0].problem
    assert "http" in markup.links[0].problem
    assert_nothing_executable(markup.html)


@pytest.mark.parametrize(
    "target", ["https://evil.example/x.png", "http://evil.example/x.png", "//evil.example/x.png", "data:image/png;base64,AAAA"]
)
def test_external_images_are_problems_and_never_loaded(target: str) -> None:
    markup = render(f"![logo]({target})")
    assert len(markup.links) == 1 and markup.links[0].is_image
    assert "files/" in markup.links[0].problem
    srcs = [attrs.get("src", "") for tag, attrs in elements(markup.html) if tag == "img"]
    assert all("evil" not in src and not src.startswith("data:") for src in srcs), markup.html


@pytest.mark.parametrize("target", ["https://example.com/a?b=1&c=2", "http://example.com", "mailto:kim@example.com"])
def test_allowed_links_are_kept(target: str) -> None:
    markup = render(f"[x]({target})")
    assert [link.problem for link in markup.links] == [""]
    anchors = [attrs for tag, attrs in elements(markup.html) if tag == "a"]
    assert anchors[0]["href"] == target
    assert "noopener" in anchors[0].get("rel", "")


@pytest.mark.parametrize(
    ("text", "href"),
    [
        ("<mailto:kim@example.com>", "mailto:kim@example.com"),
        ("<kim@example.com>", "mailto:kim@example.com"),
        ("<https://example.com/a_b>", "https://example.com/a_b"),
    ],
)
def test_autolinks(text: str, href: str) -> None:
    markup = render(text)
    assert [link.problem for link in markup.links] == [""], markup.links
    assert all(link.resolved is None for link in markup.links), markup.links
    anchors = [attrs for tag, attrs in elements(markup.html) if tag == "a"]
    assert anchors and anchors[0]["href"] == href, markup.html


# ---------------------------------------------------------------- local links and headings


def test_local_link_is_rewritten_for_the_customer_page() -> None:
    markup = render("See [the report](../files/a.pdf).")
    link = markup.links[0]
    assert (link.target, link.resolved, link.is_image, link.problem) == ("../files/a.pdf", "customers/acme/files/a.pdf", False, "")
    assert [attrs["href"] for tag, attrs in elements(markup.html) if tag == "a"] == ["files/a.pdf"]


def test_local_image_is_rewritten_for_the_customer_page() -> None:
    markup = render("![line 3](../files/line-3.png)")
    assert markup.links[0].resolved == "customers/acme/files/line-3.png" and markup.links[0].is_image
    assert [attrs["src"] for tag, attrs in elements(markup.html) if tag == "img"] == ["files/line-3.png"]


def test_local_link_keeps_its_fragment() -> None:
    markup = render("[p2](../files/a.pdf#page=2)")
    assert markup.links[0].resolved == "customers/acme/files/a.pdf"
    assert [attrs["href"] for tag, attrs in elements(markup.html) if tag == "a"] == ["files/a.pdf#page=2"]


def test_percent_encoded_names_resolve_to_the_file() -> None:
    assert render("[a](../files/my%20file.pdf)").links[0].resolved == "customers/acme/files/my file.pdf"


def test_backslash_escapes_in_a_target_resolve_to_the_file() -> None:
    assert render("[a](../files/a\\_b.pdf)").links[0].resolved == "customers/acme/files/a_b.pdf"


def test_notes_links_resolve_from_the_customer_folder() -> None:
    markup = render("[a](files/a.pdf)", source="customers/acme/notes.md", heading_level=3)
    assert markup.links[0].resolved == "customers/acme/files/a.pdf"
    assert [attrs["href"] for tag, attrs in elements(markup.html) if tag == "a"] == ["files/a.pdf"]


def test_in_page_anchor_is_not_a_file_link() -> None:
    markup = render("[top](#top)")
    assert markup.links == ()
    assert [attrs["href"] for tag, attrs in elements(markup.html) if tag == "a"] == ["#top"]


def test_absolute_local_link_is_a_problem() -> None:
    markup = render("[a](/customers/acme/files/a.pdf)")
    assert "relative" in markup.links[0].problem


def test_links_in_code_are_not_links() -> None:
    assert render("`[x](../files/missing.pdf)`\n\n    [y](../files/missing.pdf)\n").links == ()


@pytest.mark.parametrize(
    ("level", "expected"),
    [(1, ["h1", "h2", "h3"]), (3, ["h3", "h4", "h5"]), (4, ["h4", "h5", "h6"])],
)
def test_headings_shifted_by_heading_level(level: int, expected: list[str]) -> None:
    html = render("# One\n\n## Two\n\n### Three\n", heading_level=level).html
    assert [tag for tag, _ in elements(html) if tag.startswith("h")] == expected


def test_headings_never_go_below_h6() -> None:
    html = render("###### Six\n", heading_level=4).html
    assert [tag for tag, _ in elements(html)] == ["h6"]


def test_link_lines_count_from_first_line() -> None:
    markup = render("Intro\n\nSee [a](../files/a.pdf)\n\n![b](../files/b.png)\n", first_line=8)
    assert [(link.target, link.line) for link in markup.links] == [("../files/a.pdf", 10), ("../files/b.png", 12)]


def test_the_same_target_on_two_lines_gets_two_lines() -> None:
    markup = render("[a](../files/a.pdf)\n\nand again [a](../files/a.pdf)\n", first_line=8)
    assert [link.line for link in markup.links] == [8, 10]


def test_link_line_is_the_link_not_an_earlier_mention() -> None:
    markup = render("We posted ../files/a.pdf to them.\n\nSee [a](../files/a.pdf)\n", first_line=8)
    assert [link.line for link in markup.links] == [10]


def test_reference_link_line_is_its_definition() -> None:
    """The target is written on the definition line: that is where the fix goes."""
    markup = render("See [a][r].\n\n[r]: javascript:alert(1)\n", first_line=8)
    assert [link.line for link in markup.links] == [10]


@pytest.mark.parametrize(
    ("text", "lines"),
    [
        # a reference used twice (and once in another case): every use points at the definition
        ("See [a][r] and [b][R].\n\nMore.\n\n[r]: ../files/gone.pdf\n", [5, 5]),
        # collapsed and shortcut references
        ("Intro.\n\n[gone][] and [gone].\n\n[gone]: ../files/gone.pdf\n", [5, 5]),
        # a definition whose target is on the next line
        ("See [a][r].\n\n[r]:\n    ../files/gone.pdf\n", [4]),
        # autolinks
        ("Intro.\n\n<https://example.com/a_b?x=1&y=2>\n", [3]),
        ("Intro.\n\nWrite to <kim@example.com>.\n", [3]),
        ("Intro.\n\n<https://example.com/?a=1&amp;b=2>\n", [3]),
        ("Intro: https://example.com/x is the site.\n\nSee <https://example.com/x>.\n", [3]),
        # a link split over lines: the line of its target
        ("[the\nreport](../files/gone.pdf)\n", [2]),
        ("[the report](\n  ../files/gone.pdf\n)\n", [2]),
        # the same target twice on one line, then again
        ("[a](../files/gone.pdf) [b](../files/gone.pdf)\n\n[c](../files/gone.pdf)\n", [1, 1, 3]),
        # escapes, percent-encoding, entities, angle brackets and titles
        ("x\n\n[a](../files/a\\_b.pdf)\n", [3]),
        ("x\n\n[a](../files/my%20file.pdf)\n", [3]),
        ("x\n\n[a](java&#115;cript:alert(1))\n", [3]),
        ("x\n\n[a](../files/a&amp;b.pdf)\n", [3]),
        ("x\n\n[a](../files/a%23b%20c.pdf) and [b](../files/a%23b%20c.pdf)\n", [3, 3]),
        ('x\n\n[a](<../files/my file.pdf> "Title")\n', [3]),
        ("x\n\n[a](../files/gone.pdf 'Title')\n", [3]),
        # a mention in code before the real link does not take its line
        ("`[a](../files/gone.pdf)`\n\n```\n[a](../files/gone.pdf)\n```\n\n[a](../files/gone.pdf)\n", [7]),
        # a link around an image: both on the line
        ("x\n\n[![img](../files/i.png)](../files/gone.pdf)\n", [3, 3]),
    ],
)
def test_link_lines_for_every_link_form(text: str, lines: list[int]) -> None:
    markup = render(text, first_line=1)
    assert [link.line for link in markup.links] == lines, markup.links


def test_tables_keep_only_text_align() -> None:
    html = render("| a | b |\n|:-:|--:|\n| 1 | 2 |\n").html
    styles = [attrs.get("style") for tag, attrs in elements(html) if tag in ("th", "td")]
    assert "text-align: center;" in styles and "text-align: right;" in styles
    assert_nothing_executable(html)


# ---------------------------------------------------------------- links through the checker


@pytest.fixture
def acme(content: ContentBuilder) -> ContentBuilder:
    content.customer("acme")
    content.write("customers/acme/files/report.pdf", "%PDF-1.4")
    content.write("customers/acme/files/photos/line-3.png", "png")
    return content


def problems_in(builder: ContentBuilder, path: Path) -> list[Problem]:
    content, problems = run_check(builder)
    assert problems, "expected problems"
    assert content is None
    display = f"{builder.root}/{path.relative_to(builder.root).as_posix()}"
    assert all(p.file == display for p in problems), problem_texts(problems)
    return problems


def test_links_to_existing_attachments_pass(acme: ContentBuilder) -> None:
    body = "Intro.\n\nSee [the report](../files/report.pdf) and ![line 3](../files/photos/line-3.png).\n\n[web](https://example.com) [mail](mailto:kim@example.com)\n"
    acme.record("acme", "2024-02-01-x.md", MEETING, body)
    _content, problems = run_check(acme)
    assert not problems, problem_texts(problems)


def test_link_to_a_missing_attachment(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "Intro.\n\nSee [the study](../files/study.pdf).\n")
    [problem] = problems_in(acme, path)
    assert problem.line == line_of(path, "](../files/study.pdf)") == 10
    assert "study.pdf" in problem.message
    assert "customers/acme/files/" in problem.hint


def test_image_missing(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "Intro.\n\n\n![before](../files/before.png)\n")
    [problem] = problems_in(acme, path)
    assert problem.line == line_of(path, "before.png")


@pytest.mark.parametrize(
    "target",
    [
        "../customer.yaml",
        "../notes.md",
        "2024-01-01-other.md",
        "../../../company.yaml",
        "../files/../customer.yaml",
        "../files/",
        "../../beta/files/secret.pdf",
        "..%2F..%2Fbeta/files/secret.pdf",
    ],
)
def test_link_outside_the_customers_files_folder(acme: ContentBuilder, target: str) -> None:
    acme.customer("beta")
    acme.write("customers/beta/files/secret.pdf", "%PDF")
    acme.write("customers/acme/notes.md", "Story.\n")
    acme.record("acme", "2024-01-01-other.md", MEETING.replace("2024-02-01", "2024-01-01"))
    path = acme.record("acme", "2024-02-01-x.md", MEETING, f"Intro.\n\nSee [it]({target}).\n")
    [problem] = problems_in(acme, path)
    assert problem.line == line_of(path, f"]({target})")
    assert "outside" in problem.message
    assert "customers/acme/files/" in problem.hint


def test_link_to_another_customers_existing_file(acme: ContentBuilder) -> None:
    acme.customer("beta")
    acme.write("customers/beta/files/prices.pdf", "%PDF")
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "Intro.\n\n\n\nCompare [beta's prices](../../beta/files/prices.pdf).\n")
    [problem] = problems_in(acme, path)
    assert problem.line == 12 == line_of(path, "prices.pdf")
    assert "outside" in problem.message


def test_absolute_link(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "[r](/customers/acme/files/report.pdf)\n")
    [problem] = problems_in(acme, path)
    assert problem.line == 8
    assert "relative" in problem.message


def test_external_image_through_the_checker(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "Intro.\n\n![chart](https://charts.example/c.png)\n")
    [problem] = problems_in(acme, path)
    assert problem.line == 10
    assert "files/" in problem.message


@pytest.mark.parametrize("target", ["javascript:alert(1)", "ftp://example.com/a.pdf", "file:///etc/passwd"])
def test_disallowed_scheme_through_the_checker(acme: ContentBuilder, target: str) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, f"Intro.\n\n[x]({target})\n")
    [problem] = problems_in(acme, path)
    assert problem.line == 10
    assert "http" in problem.message


@pytest.mark.parametrize("body", ["Mail <mailto:kim@example.com>\n", "Mail <kim@example.com>\n", "Escaped [r](../files/report\\.pdf)\n"])
def test_allowed_links_in_other_spellings_pass_the_checker(acme: ContentBuilder, body: str) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING, body)
    _content, problems = run_check(acme)
    assert not problems, problem_texts(problems)


def test_two_links_to_the_same_missing_file_have_their_own_lines(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "First [a](../files/gone.pdf).\n\nAgain [a](../files/gone.pdf).\n")
    problems = problems_in(acme, path)
    assert [p.line for p in problems] == [line_of(path, "gone.pdf", 1), line_of(path, "gone.pdf", 2)] == [8, 10]


def test_link_line_is_the_link_not_an_earlier_mention_through_the_checker(acme: ContentBuilder) -> None:
    path = acme.record("acme", "2024-02-01-x.md", MEETING, "We posted ../files/gone.pdf to them.\n\nSee [it](../files/gone.pdf).\n")
    [problem] = problems_in(acme, path)
    assert problem.line == 10


def test_link_problems_in_notes(acme: ContentBuilder) -> None:
    path = acme.write("customers/acme/notes.md", "# Story\n\nSee [plan](files/plan.pdf) and [ok](files/report.pdf).\n")
    [problem] = problems_in(acme, path)
    assert problem.line == 3
    assert "plan.pdf" in problem.message


def test_raw_html_in_a_body_passes_and_is_shown_as_text(acme: ContentBuilder) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING, "They wrote <script>alert(1)</script> in the form.\n")
    content, problems = run_check(acme)
    assert not problems, problem_texts(problems)
    html = content.customers[0].records[0].body.html  # type: ignore[union-attr]
    assert "&lt;script&gt;" in html
    assert_nothing_executable(html)


def test_record_body_headings_sit_under_the_record_title(acme: ContentBuilder) -> None:
    acme.record("acme", "2024-02-01-x.md", MEETING, "# What happened\n\n## Details\n")
    content, problems = run_check(acme)
    assert not problems, problem_texts(problems)
    html = content.customers[0].records[0].body.html  # type: ignore[union-attr]
    assert [tag for tag, _ in elements(html)] == ["h4", "h5"]


@pytest.mark.parametrize("text", ["", "\n", "   \n\n"])
def test_empty_text_renders_to_nothing(text: str) -> None:
    markup = render(text)
    assert markup.links == ()
    assert markup.html.strip() == ""
