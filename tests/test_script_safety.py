"""No text a user wrote ever runs as script, whichever field and whichever output.

One hostile project puts a numbered payload in every free-text field (company,
catalog, customer, contacts, records, notes, training). The built site is then
read twice: statically (every tag and attribute of every HTML file, the search
index) and in a real Chromium from a server and from disk (test_browser.py).
"""

from __future__ import annotations

import html.parser
import json
import re
import shutil
from pathlib import Path

import pytest

from tests.test_browser import browser, serve  # noqa: F401 (the fixture)
from tests.test_site import AS_OF, csvf, make_project

pytestmark = pytest.mark.site

FIELDS: list[str] = []


def payload(field: str, markdown: bool = False) -> str:
    """A payload that breaks out of `<title>`, attributes, Markdown and attribute lists.

    In Markdown a `javascript:` link is a content error (the check refuses
    it), so Markdown payloads leave it out.
    """
    FIELDS.append(field)
    n = len(FIELDS)
    link = "" if markdown else f" [x](javascript:window.__pwned={n})"
    return f'P{n}q"\'></title><img src=x onerror="window.__pwned={n}"><script>window.__pwned={n}</script>{{: onclick=window.__pwned={n} }} &amp;{link}'


def y(text: str) -> str:
    """A YAML double-quoted scalar."""
    return json.dumps(text)


NESTED_FENCE = """\
~~~
```{.text data-x='" autofocus onfocus="window.__pwned=900'}
inside
```
~~~

    indented <img src=x onerror="window.__pwned=901">

```
a < b && c
```
"""


def hostile_project(root: Path) -> tuple[Path, str]:
    project = make_project(root)
    content = project / "content"
    customers = content / "customers"
    keep = customers / "corvane-auto"
    for folder in customers.iterdir():
        if folder != keep:
            shutil.rmtree(folder)
    for page in (content / "training").iterdir():
        page.unlink()
    company = (content / "company.yaml").read_text()
    company = re.sub(r"(?m)^name: .*$", f"name: {y(payload('company.name'))}", company)
    company = re.sub(r"(?m)^(\s+)title: .*$", lambda m: f"{m.group(1)}title: {y(payload('company.site.title'))}", company)
    (content / "company.yaml").write_text(company)
    catalog = (content / "catalog.yaml").read_text()
    catalog = re.sub(r"(?m)^(  - id: [a-z-]+\n    name: ).*$", lambda m: m.group(1) + y(payload("catalog group name")), catalog, count=1)
    catalog = re.sub(r"(?m)^(    name: ).*$", lambda m: m.group(1) + y(payload("catalog service name")), catalog)
    catalog = re.sub(r"(?m)^(    description: ).*(\n      .*)*$", lambda m: m.group(1) + y(payload("catalog service description")), catalog)
    (content / "catalog.yaml").write_text(catalog)
    customer = (keep / "customer.yaml").read_text()
    customer = re.sub(r"(?m)^name: .*$", f"name: {y(payload('customer.name'))}", customer)
    customer = re.sub(r"(?m)^industry: .*$", f"industry: {y(payload('customer.industry'))}", customer)
    customer = re.sub(r"(?m)^account_manager: .*$", f"account_manager: {y(payload('customer.account_manager'))}", customer)
    customer = re.sub(r"(?m)^(  new-business: ).*$", lambda m: m.group(1) + y(payload("team person")), customer)
    customer = re.sub(r"(?m)^(    role: ).*$", lambda m: m.group(1) + y(payload("contact role")), customer)
    customer = re.sub(r"(?m)^(    metric: ).*$", lambda m: m.group(1) + y(payload("expectation metric")), customer)
    customer = re.sub(r"(?m)^(    note: ).*(\n      .*)*$", lambda m: m.group(1) + y(payload("contact note")), customer)
    customer = re.sub(r"(?m)^(    unit: ).*$", lambda m: m.group(1) + y(payload("expectation unit")), customer, count=1)
    (keep / "customer.yaml").write_text(customer)
    (keep / "notes.md").write_text(
        f"# Story\n\n{payload('notes.md', markdown=True)}\n\n{NESTED_FENCE}\n"
        f'[a link with a title](https://example.com/ "{payload("link title", markdown=True).replace(chr(34), chr(39))}")\n'
    )
    (keep / "records" / "2026-11-01-hostile.md").write_text(
        "---\ntype: meeting\ndate: 2026-11-01\n"
        f"title: {y(payload('record title'))}\nkind: call\nstage: after\n"
        f"by: {y(payload('record by'))}\ntags: [{y(payload('record tag'))}]\n---\n"
        f"{payload('record body', markdown=True)}\n\n{NESTED_FENCE}"
    )
    (keep / "pack.md").write_text(f"{payload('pack.md', markdown=True)}\n\n## Next year\n\n- {payload('pack.md list', markdown=True)}\n")
    (content / "training" / "hostile.md").write_text(
        f"# {payload('training title', markdown=True)}\n\n{payload('training body', markdown=True)}\n\n{NESTED_FENCE}"
    )
    return project, keep.name


class _Scan(html.parser.HTMLParser):
    """Every element and attribute a browser would build from one page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.handlers: list[str] = []
        self.scripts: list[str] = []
        self.images: list[str] = []
        self.javascript_urls: list[str] = []
        self.title = ""
        self.attribute_names: set[str] = set()
        self.tags: set[str] = set()
        self._in: str | None = None

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.add(tag)
        for name, value in attrs:
            self.attribute_names.add(name)
            if name.startswith("on") or (name == "autofocus" and tag != "input"):
                self.handlers.append(f"<{tag} {name}={value!r}>")
            if name == "title" and value and ("<" in value or "&" in value):
                self.handlers.append(f"<{tag} title={value!r}>: Material's tooltips insert a title as HTML")
            if value and value.strip().lower().startswith("javascript:"):
                self.javascript_urls.append(f"<{tag} {name}={value!r}>")
        if tag == "img":
            self.images.append(dict(attrs).get("src") or "")
        self._in = tag if tag in ("script", "title") else None

    def handle_endtag(self, tag: str) -> None:
        self._in = None

    def handle_data(self, data: str) -> None:
        if self._in == "script":
            self.scripts.append(data)
        elif self._in == "title":
            self.title += data


@pytest.fixture(scope="module")
def hostile_site(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    project, customer = hostile_project(tmp_path_factory.mktemp("hostile"))
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project, customer


def scan(path: Path) -> _Scan:
    parser = _Scan()
    parser.feed(path.read_text(encoding="utf-8"))
    return parser


def test_no_page_holds_a_live_payload(hostile_site: tuple[Path, str]) -> None:
    project, _ = hostile_site
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) >= 8
    for page in pages:
        found = scan(page)
        where = page.relative_to(project / "site")
        assert found.handlers == [], where
        assert found.javascript_urls == [], where
        assert not any("__pwned" in script for script in found.scripts), where
        assert "x" not in found.images, where


def test_every_payload_reads_as_typed(hostile_site: tuple[Path, str]) -> None:
    """The text survives: the reader sees what the writer typed, not a mangled form."""
    project, customer = hostile_site
    site = project / "site"
    value_file = (site / "customers" / customer / "index.html").read_text()
    text = re.sub(r"<[^>]+>", "", value_file)
    for n, field in enumerate(FIELDS, start=1):
        if field.startswith(("customer", "team", "contact", "expectation", "record", "notes")):
            assert f"P{n}q" in text, field
    assert "&lt;/title&gt;&lt;img src=x onerror=" in value_file  # escaped once, shown as typed
    assert "a &lt; b &amp;&amp; c" in value_file and "&amp;lt;" not in value_file


def test_titles_are_text_in_the_title_element(hostile_site: tuple[Path, str]) -> None:
    project, customer = hostile_site
    site = project / "site"
    for path in (site / "index.html", site / "customers" / customer / "index.html", site / "training" / "hostile.html"):
        title = scan(path).title
        assert "</title><img src=x" in title, (path, title)  # the element's text, not markup


def test_the_search_index_holds_no_markup_from_users(hostile_site: tuple[Path, str]) -> None:
    project, _ = hostile_site
    index = json.loads((project / "site" / "search" / "search_index.json").read_text())
    for doc in index["docs"]:
        for key in ("title", "text"):
            assert "<img" not in doc[key] and "<script" not in doc[key], doc[key][:200]


def test_nested_fences_stay_code(hostile_site: tuple[Path, str]) -> None:
    project, customer = hostile_site
    for path in (project / "site" / "customers" / customer / "index.html", project / "site" / "training" / "hostile.html"):
        assert "data-x" not in scan(path).attribute_names, path
        assert "```{.text data-x=" in path.read_text()  # the inner fence shows as the writer typed it


@pytest.mark.browser
def test_no_payload_runs_in_a_real_browser(hostile_site: tuple[Path, str], browser) -> None:  # noqa: F811
    """Every page of the hostile site, from a server and from disk; search results too."""
    project, _ = hostile_site
    site = project / "site"
    server, url = serve(site)
    try:
        pages = sorted(p.relative_to(site).as_posix() for p in site.rglob("*.html"))
        dialogs: list[str] = []
        for base in (url, site.resolve().as_uri()):
            context = browser.new_context()
            tab = context.new_page()
            tab.on("dialog", lambda d: (dialogs.append(d.message), d.dismiss()))
            for path in pages:
                tab.goto(f"{base}/{path}")
                tab.wait_for_load_state("load")
                assert tab.evaluate("window.__pwned") is None, (base, path)
            tab.goto(f"{base}/index.html")
            tab.keyboard.press("/")
            tab.keyboard.type("P1q", delay=20)
            tab.locator(".md-search-result__item").first.wait_for(timeout=10_000)
            tab.wait_for_timeout(300)
            assert tab.evaluate("window.__pwned") is None, (base, "search")
            assert dialogs == []
            context.close()
    finally:
        server.shutdown()


def pack_of(project: Path, customer: str, output_format: str = "html") -> Path:
    """The customer's pack of the last complete fiscal year, made with `csvf present` as a person would."""
    target = project / f"pack.{output_format}"
    result = csvf("present", customer, "--format", output_format, "--output", str(target), "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return target


CUSTOMER_FACING = ("customer.name", "customer.industry", "customer.account_manager", "team person", "pack.md", "pack.md list")


def test_the_pack_holds_no_live_payload_and_reads_as_typed(hostile_site: tuple[Path, str]) -> None:
    project, customer = hostile_site
    pack = pack_of(project, customer)
    found = scan(pack)
    assert found.handlers == [] and found.javascript_urls == [] and found.scripts == [] and "x" not in found.images
    text = re.sub(r"<[^>]+>", "", pack.read_text(encoding="utf-8"))
    for n, field in enumerate(FIELDS, start=1):
        if field in CUSTOMER_FACING:
            assert f"P{n}q" in text, field
    assert "</title><img src=x" in found.title  # the customer's name in <title> is text


def test_charts_and_exports_carry_user_text_as_text(hostile_site: tuple[Path, str]) -> None:
    """Charts are SVG files a person may open on their own: each must pass the attachment rules, user text escaped."""
    from csvf_build.content.svg import svg_problems

    project, customer = hostile_site
    charts = sorted((project / "site").rglob("charts/*.svg"))
    assert len(charts) >= 4
    shown = 0
    doctype = re.compile(rb'<!DOCTYPE svg PUBLIC "-//W3C//DTD SVG 1\.1//EN"\s+"http://www\.w3\.org/Graphics/SVG/1\.1/DTD/svg11\.dtd">')
    for chart in charts:
        data = chart.read_bytes()
        assert len(doctype.findall(data)) == 1 and b"<!ENTITY" not in data, chart  # matplotlib's public DTD, no entities
        drawing = re.sub(rb"(?s)<metadata>.*?</metadata>", b"", doctype.sub(b"", data))  # matplotlib's own: no user text
        assert svg_problems(drawing) == [], chart
        shown += data.count(b"&lt;script&gt;window.__pwned=")
    assert shown > 0  # user text (an expectation's metric and unit) is in the charts, as text
    export = json.loads((project / "site" / "exports" / "value-files.json").read_text())
    name = next(c["name"] for c in export["customers"] if c["id"] == customer)
    number = FIELDS.index("customer.name") + 1
    assert name == json.loads(y(payload_text(number)))  # the export holds the name exactly as typed


def payload_text(n: int) -> str:
    return f'P{n}q"\'></title><img src=x onerror="window.__pwned={n}"><script>window.__pwned={n}</script>{{: onclick=window.__pwned={n} }} &amp; [x](javascript:window.__pwned={n})'


@pytest.mark.browser
def test_the_pack_runs_no_payload_in_a_real_browser(hostile_site: tuple[Path, str], browser) -> None:  # noqa: F811
    project, customer = hostile_site
    pack = pack_of(project, customer)
    server, url = serve(pack.parent)
    try:
        context = browser.new_context()
        tab = context.new_page()
        for address in (pack.resolve().as_uri(), f"{url}/{pack.name}"):
            tab.goto(address)
            tab.wait_for_load_state("load")
            assert tab.evaluate("window.__pwned") is None, address
            assert "</title><img src=x" in tab.title()
            assert "<script>window.__pwned=" in tab.locator("body").inner_text()
        context.close()
    finally:
        server.shutdown()
