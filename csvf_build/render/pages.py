"""The docs tree: every generated page, attachment and export, as path -> bytes.

A pure function of the model (plus the handbook pages shipped with the
project): it touches no disk, so tests and other engines can use it directly.
Each page is front matter, Markdown headings and one-line HTML blocks
(`render.page`); the HTML comes from Jinja templates with autoescaping on, the
one escaping path for user text in HTML.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING, Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from csvf_build.charts.cache import draw_charts
from csvf_build.charts.customer import customer_charts
from csvf_build.charts.portfolio import portfolio_charts
from csvf_build.charts.spec import Chart, ChartSpec
from csvf_build.content.load import Content
from csvf_build.content.markup import render_markdown
from csvf_build.history import CustomerHistory, History
from csvf_build.memo import Remember, fresh
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.render import fmt, portfolio, value_file
from csvf_build.render.export import (
    export_alerts_json,
    export_csv,
    export_json,
    export_segments_csv,
    export_tiers_csv,
    export_usage_csv,
)
from csvf_build.render.logo import logo_svg
from csvf_build.render.page import Block, Heading, Html, page_markdown
from csvf_build.render.search import customer_search_text, headings_text, with_search_text
from csvf_build.render.views import catalog_groups, home_view, index_rows
from csvf_build.training.glossary import ENTRIES, glossary_terms
from csvf_build.training.live import resolve_html, resolve_markdown
from csvf_build.training.shipped import shipped_pages
from csvf_build.training.syntax import parse
from csvf_build.training.tree import render_tree

if TYPE_CHECKING:  # the pack module imports render modules: no import at run time
    from csvf_build.present.on_site import SitePacks

TEMPLATES = Path(__file__).parent / "templates" / "html"
ChartDrawer = Callable[[list[ChartSpec]], dict[str, bytes]]
SHIPPED = tuple(shipped_pages())


def environment() -> Environment:
    """Jinja for HTML: every `{{ }}` is escaped unless it is our own Markup."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=True,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals["glossary"] = glossary_terms()  # figure labels link to their glossary entry (macros.html.j2 `term`)
    return env


class Sections:
    """The macros of one page template, each rendering one section's HTML."""

    def __init__(self, env: Environment, name: str):
        self.module = env.get_template(name).module

    def __call__(self, section: str, **values: Any) -> Html:
        return Html(Markup(getattr(self.module, section)(**values)))


def render_site(
    model: Model,
    content: Content,
    attachments: dict[str, bytes],
    handbook: dict[str, bytes],
    draw: ChartDrawer = draw_charts,
    history: History | None = None,
    packs: SitePacks | None = None,
    remember: Remember = fresh,
) -> dict[str, bytes]:
    """Every file of the docs tree, by path.

    `attachments` holds the bytes of each customer's files/ by content path;
    `handbook` holds the project's own docs pages by file name; `draw` turns
    chart specs into SVG (the build passes one that caches between builds);
    `history` is the content's git history, when it is in git; `packs` holds
    the customers' yearly packs (their PDFs, when the build made them);
    `remember` may reuse a customer's charts and page made from the same
    inputs (`csvf_build/memo.py`).
    """
    env = environment()
    charts: dict[str, list[Chart]] = {c.id: remember("charts", c.folder, "", partial(customer_charts, c, model)) for c in model.customers}
    period_charts = portfolio_charts(model)
    every_chart = [*(chart for each in charts.values() for chart in each), *(chart for each in period_charts.values() for chart in each)]
    svgs = draw([chart for chart in every_chart if isinstance(chart, ChartSpec)])
    out: dict[str, str | bytes] = {
        "index.md": home_page(env, model),
        "customers/index.md": customers_page(env, model),
        "catalog.md": catalog_page(env, model),
        "training/index.md": training_index(env, content),
        "training/glossary.md": glossary_page(env, model),
        "exports/value-files.json": export_json(model, remember),
        "exports/value-files.csv": export_csv(model, remember),
        "exports/segments.csv": export_segments_csv(model),
        "exports/tiers.csv": export_tiers_csv(model),
        "exports/usage.csv": export_usage_csv(model),
        "exports/alerts.json": export_alerts_json(model),
        "assets/logo.svg": logo_svg(model.company.name),
    }
    customer_sections = Sections(env, "customer.html.j2")
    for c in model.customers:
        changes = history.for_customer(c.id) if history else None

        def make(c: CustomerModel = c, changes: CustomerHistory | None = changes) -> str:
            page = value_file.page(customer_sections, model, c, content, charts[c.id], changes, packs)
            return with_search_text(page, customer_search_text(c))

        out[f"customers/{c.id}/index.md"] = remember(
            "value-file", c.folder, value_file.page_inputs(model, c, content, changes, packs), make
        )
        for path in c.folder.attachments:
            out[path] = attachments[path]
    out.update(svgs)
    if packs:
        out.update(packs.files)
    sections = Sections(env, "portfolio.html.j2")
    out.update(portfolio.period_pages(sections, model, period_charts))
    out["portfolio/health.md"] = portfolio.health_page(sections, model)
    training = Sections(env, "training.html.j2")
    for page in content.training:
        out[f"training/{page.slug}.md"] = page_markdown(page.title, [training("body", html=resolve_html(model, page.tree))])
    for name, data in handbook.items():
        out[f"handbook/{name}"] = handbook_page(model, name, data)
    for path in ("index.md", "customers/index.md", *(p for p in out if p.startswith("portfolio/") and p.endswith(".md"))):
        table = str(out[path])
        out[path] = with_search_text(table, headings_text(table))  # tables of every customer: indexed by their headings
    return {path: data.encode() if isinstance(data, str) else data for path, data in sorted(out.items())}


def home_page(env: Environment, model: Model) -> str:
    s = Sections(env, "home.html.j2")
    view = home_view(model)
    year = f"FY{model.current_year}"
    blocks: list[Block] = [
        s("intro", v=view),
        Heading(2, f"{year} at a glance", "at-a-glance"),
        s("glance", v=view),
        Heading(2, "Customers by health", "health"),
        s("health", v=view),
        Heading(2, "Presentations due", "presentations-due"),
        s("due", v=view),
    ]
    if view["over_serviced"]:
        blocks += [Heading(2, f"Over-serviced in {year}", "over-serviced"), s("over_serviced", v=view)]
    blocks.append(s("buttons"))
    return page_markdown(f"{model.company.name}: customer service value files", blocks, hide=("navigation",))


def customers_page(env: Environment, model: Model) -> str:
    s = Sections(env, "customers.html.j2")
    rows = index_rows(model)
    return page_markdown(
        "Customers",
        [s("index", rows=rows, year=model.current_year, build_date=fmt.day(model.build_date), currency=model.company.currency)],
        hide=("navigation", "toc"),
    )


def catalog_page(env: Environment, model: Model) -> str:
    s = Sections(env, "catalog.html.j2")
    blocks: list[Block] = [s("intro", currency=model.company.currency)]
    for group in catalog_groups(model):
        blocks += [Heading(2, group["name"], f"group-{group['id']}"), s("group", group=group)]
    return page_markdown("Service catalog", blocks, hide=("navigation",))


def training_index(env: Environment, content: Content) -> str:
    s = Sections(env, "training.html.j2")
    shipped = [page for page in content.training if page.shipped or page.slug + ".md" in SHIPPED]
    own = [page for page in content.training if page not in shipped]
    order = list(SHIPPED)
    shipped.sort(key=lambda page: order.index(page.slug + ".md"))
    return page_markdown("Sales training", [s("index", shipped=shipped, own=own)])


def glossary_page(env: Environment, model: Model) -> str:
    """Every figure of the value model in plain words, each with a live example from this site."""
    s = Sections(env, "training.html.j2")
    blocks: list[Block] = [s("glossary_intro")]
    for entry in ENTRIES:
        doc = parse(entry.example)
        tree = render_tree(
            doc, lambda text, line: render_markdown(text, source="training/glossary.md", page_dir="training", first_line=line).html
        )
        blocks += [Heading(2, entry.term, entry.anchor), s("glossary_entry", short=entry.short, example=resolve_html(model, tree))]
    return page_markdown("Glossary of figures", blocks)


def handbook_page(model: Model, name: str, data: bytes) -> bytes:
    """A handbook page with its live figures filled in from this site (its pictures pass unchanged)."""
    if not name.endswith(".md"):
        return data
    return resolve_markdown(model, parse(data.decode("utf-8"))).encode()
