"""The whole example site, checked from the outside: links, assets, pages and the books.

Nothing here asks csvf what it computed. The content's YAML is read with
PyYAML and each record's service value worked out by the value model's rule
(`value`, else `quantity x rate`, the record's rate else the catalog's; the
benefit the record's, else the catalog's), in Decimal. Those sums must equal
the export's totals, the figure on every value file page and the customer's
pack. Every record file must appear on its customer's page, every customer
must have a page, no page may be orphaned and no local link or asset may be
missing.
"""

from __future__ import annotations

import csv
import html
import html.parser
import io
import json
import re
from collections import defaultdict
from datetime import date
from decimal import ROUND_HALF_UP, Decimal
from pathlib import Path
from urllib.parse import unquote, urlsplit

import pytest
import yaml
from click.testing import CliRunner

from csvf_build.cli import main
from tests.test_site import AS_OF

pytestmark = pytest.mark.site

TODAY = date.fromisoformat(AS_OF)


class _Page(html.parser.HTMLParser):
    """The ids, links and asset references of one HTML page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.ids: set[str] = set()
        self.refs: list[str] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = dict(attrs)
        if values.get("id"):
            self.ids.add(values["id"] or "")
        for name in ("href", "src"):
            if values.get(name) is not None:
                self.refs.append(values[name] or "")
        for candidate in (values.get("srcset") or "").split(","):
            if candidate.strip():
                self.refs.append(candidate.split()[0])


def parse(path: Path) -> _Page:
    page = _Page()
    page.feed(path.read_text(encoding="utf-8"))
    return page


@pytest.fixture(scope="module")
def site(example_build: Path) -> Path:
    return example_build / "site"


@pytest.fixture(scope="module")
def pages(site: Path) -> dict[Path, _Page]:
    return {path: parse(path) for path in sorted(site.rglob("*.html"))}


def target_of(site: Path, page: Path, ref: str) -> tuple[Path, str] | None:
    """The local file a reference points at and its fragment; None for a web address."""
    parts = urlsplit(ref)
    if parts.scheme or ref.startswith("//"):
        return None
    if not parts.path:
        return page, parts.fragment
    # Only the 404 page is written with root-relative links: a server shows it at any depth.
    base = site if parts.path.startswith("/") else page.parent
    target = base / unquote(parts.path).lstrip("/")
    if parts.path.endswith("/") or target.is_dir():
        target = target / "index.html"
    return target, parts.fragment


def test_no_local_link_or_asset_is_missing(site: Path, pages: dict[Path, _Page]) -> None:
    broken: list[str] = []
    checked = 0
    for page, found in pages.items():
        for ref in found.refs:
            scheme = urlsplit(ref).scheme
            assert scheme in ("", "http", "https", "mailto", "data"), (page, ref)
            if ref.startswith("/") and page.name != "404.html":
                broken.append(f"{page.relative_to(site)}: root-relative {ref} breaks from file://")
            located = target_of(site, page, ref)
            if located is None:
                continue
            checked += 1
            target, fragment = located
            if not target.is_file():
                broken.append(f"{page.relative_to(site)}: {ref} (no such file)")
            elif fragment and target.suffix == ".html" and fragment not in (pages.get(target) or parse(target)).ids:
                broken.append(f"{page.relative_to(site)}: {ref} (no such anchor)")
    for sheet in site.rglob("*.css"):
        for ref in re.findall(r"url\(\s*['\"]?([^'\")]+)", sheet.read_text(encoding="utf-8")):
            if not ref.startswith(("data:", "#")) and not (sheet.parent / unquote(urlsplit(ref).path)).is_file():
                broken.append(f"{sheet.relative_to(site)}: url({ref})")
    assert checked > 1000
    assert broken == []


def test_no_page_is_orphaned(site: Path, pages: dict[Path, _Page]) -> None:
    """Every page is reachable from the home page through links (the nav counts)."""
    seen = {site / "index.html"}
    queue = [site / "index.html"]
    while queue:
        page = queue.pop()
        for ref in pages[page].refs:
            located = target_of(site, page, ref)
            if located and located[0].suffix == ".html" and located[0].resolve() not in seen and located[0].is_file():
                seen.add(located[0].resolve())
                queue.append(located[0].resolve())
    orphans = sorted(str(p.relative_to(site)) for p in pages if p.resolve() not in seen and p.name != "404.html")
    assert orphans == []


# --- the books, from the outside


def fiscal_year(day: date, start: int) -> int:
    return day.year + (1 if start != 1 and day.month >= start else 0)


def front_matter(path: Path) -> dict:
    text = path.read_text(encoding="utf-8")
    return yaml.safe_load(text.split("---\n", 2)[1])


def whole(amount: Decimal) -> str:
    """Money as pages show it: whole units, half up, thousands separated."""
    return f"{amount.quantize(Decimal(1), rounding=ROUND_HALF_UP):,}"


@pytest.fixture(scope="module")
def books(example_build: Path) -> dict[str, dict]:
    """Per customer: its records and its benefits by fiscal year (and without internal records), computed here."""
    content = example_build / "content"
    company = yaml.safe_load((content / "company.yaml").read_text())
    catalog = {s["id"]: s for s in yaml.safe_load((content / "catalog.yaml").read_text())["services"]}
    start = int(company["fiscal_year_start"])
    out: dict[str, dict] = {}
    for folder in sorted((content / "customers").iterdir()):
        customer = yaml.safe_load((folder / "customer.yaml").read_text())
        by_year: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
        outside: dict[int, Decimal] = defaultdict(Decimal)  # benefits without internal records (what the pack shows)
        records = []
        for path in sorted((folder / "records").glob("*.md")):
            front = front_matter(path)
            records.append((path, front))
            if front["type"] != "service":
                continue
            service = catalog[front["service"]]
            rate = Decimal(str(front.get("rate", service.get("rate", 0))))
            value = Decimal(str(front["value"])) if "value" in front else Decimal(str(front["quantity"])) * rate
            benefit = front.get("benefit", service["benefit"])
            year = fiscal_year(date.fromisoformat(str(front["date"])), start)
            by_year[year][benefit] += value
            if not front.get("internal"):
                outside[year] += value
        revenue = {int(y): Decimal(str(v)) for y, v in (customer.get("revenue") or {}).items()}
        out[folder.name] = {"name": customer["name"], "records": records, "years": by_year, "outside": outside, "revenue": revenue}
    return out


def test_the_export_balances_with_the_content(site: Path, books: dict[str, dict]) -> None:
    export = json.loads((site / "exports" / "value-files.json").read_text())
    assert sorted(c["id"] for c in export["customers"]) == sorted(books)
    rows = {(r["id"], r["fiscal_year"]): r for r in csv.DictReader(io.StringIO((site / "exports" / "value-files.csv").read_text()))}
    grand = Decimal(0)
    for customer in export["customers"]:
        mine = books[customer["id"]]
        total = {"cost-avoided": Decimal(0), "return": Decimal(0)}
        for year, figures in customer["years"].items():
            expected = mine["years"].get(int(year), {})
            assert Decimal(figures["cost_avoided"]) == expected.get("cost-avoided", 0), (customer["id"], year)
            assert Decimal(figures["return"]) == expected.get("return", 0), (customer["id"], year)
            assert Decimal(figures["spend"]) == mine["revenue"].get(int(year), 0), (customer["id"], year)
            assert Decimal(rows[(customer["id"], year)]["benefits"]) == Decimal(figures["benefits"])
            for kind in total:
                total[kind] += expected.get(kind, Decimal(0))
        benefits = total["cost-avoided"] + total["return"]
        assert Decimal(customer["all_time"]["benefits"]) == benefits, customer["id"]
        assert Decimal(customer["all_time"]["spend"]) == sum(mine["revenue"].values()), customer["id"]
        grand += benefits
    assert sum(sum(sum(y.values()) for y in c["years"].values()) for c in books.values()) == grand


def table_row(page_html: str, label: str) -> list[str]:
    """The cells of the first table row of `page_html` whose header cell reads `label`."""
    for row in re.findall(r"<tr>(.*?)</tr>", page_html, re.S):
        cells = [html.unescape(re.sub(r"<[^>]+>", "", c)).strip() for c in re.findall(r"<t[hd][^>]*>(.*?)</t[hd]>", row, re.S)]
        if cells and cells[0] == label:
            return cells[1:]
    raise AssertionError(f"no row {label!r}")


def test_every_customer_page_shows_its_total_and_every_record(site: Path, books: dict[str, dict]) -> None:
    listing = (site / "customers" / "index.html").read_text()
    for cid, mine in books.items():
        page = site / "customers" / cid / "index.html"
        assert page.is_file(), cid
        assert f'href="{cid}/' in listing, cid
        text = page.read_text(encoding="utf-8")
        all_time = sum((sum(y.values()) for y in mine["years"].values()), Decimal(0))
        figures = text.split('id="figures"', 1)[1]  # the figures by fiscal year (Start here also sets the pack's figures beside the page's)
        assert table_row(figures, "Benefits")[-1] == whole(all_time), cid
        shown = html.unescape(text)
        for path, front in mine["records"]:
            assert str(front["title"]) in shown, (cid, path.name)
            assert f'id="{path.stem}"' in text or path.stem in text, (cid, path.name)  # each record has its anchor


def test_every_pack_shows_what_the_customer_received(site: Path, books: dict[str, dict], example_build: Path, tmp_path: Path) -> None:
    """The packs of every customer (HTML): the year's value, without internal records, as summed here."""
    out = tmp_path / "packs"
    content = str(example_build / "content")
    result = CliRunner().invoke(
        main, ["present", "--all", "--format", "html", "--output", f"{out}/", "--content", content, "--as-of", AS_OF]
    )
    assert result.exit_code == 0, result.output
    packs = sorted(out.glob("*.html"))
    assert len(packs) >= len(books) - 2  # a customer without a complete year has no pack
    for pack in packs:
        cid, year = re.fullmatch(r"(.+)-FY(\d{4})\.html", pack.name).groups()  # type: ignore[union-attr]
        value = books[cid]["outside"].get(int(year), Decimal(0))
        text = html.unescape(re.sub(r"<[^>]+>", " ", pack.read_text(encoding="utf-8")))
        assert f"{whole(value)} USD of value delivered in FY{year}" in " ".join(text.split()), (cid, year, whole(value))
