"""The docs tree: every generated page, attachment and export, as path -> bytes.

A pure function of the model (plus the handbook pages shipped with the
project): it touches no disk, so tests and other engines can use it directly.
"""

from __future__ import annotations

from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined
from markupsafe import Markup

from csvf_build.content.load import Content
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.figures import Figures, Usage
from csvf_build.render import fmt
from csvf_build.render.export import export_csv, export_json
from csvf_build.render.logo import logo_svg
from csvf_build.render.text import finalize
from csvf_build.render.views import (
    HEALTH_ADMONITION,
    account_facts,
    contact_groups,
    customer_summary,
    expectation_rows,
    figure_rows,
    health_badge,
    reason_views,
    timeline,
    year_label,
)

TEMPLATES = Path(__file__).parent / "templates"
HEALTH_ORDER = ("red", "amber", "green")


def environment() -> Environment:
    """Jinja for Markdown: every `{{ }}` is escaped unless it is our own Markup."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=False,
        finalize=finalize,
        undefined=StrictUndefined,
        keep_trailing_newline=True,
        trim_blocks=False,
    )
    return env


def render_site(model: Model, content: Content, attachments: dict[str, bytes], handbook: dict[str, bytes]) -> dict[str, bytes]:
    """Every file of the docs tree, by path.

    `attachments` holds the bytes of each customer's files/ by content path;
    `handbook` holds the project's own docs pages by file name.
    """
    env = environment()
    out: dict[str, str | bytes] = {
        "index.md": home_page(env, model),
        "customers/index.md": customers_page(env, model),
        "catalog.md": catalog_page(env, model),
        "training/index.md": env.get_template("training-index.md.j2").render(pages=content.training),
        "exports/value-files.json": export_json(model),
        "exports/value-files.csv": export_csv(model),
        "assets/logo.svg": logo_svg(model.company.name),
    }
    for c in model.customers:
        out[f"customers/{c.id}/index.md"] = customer_page(env, model, c, content)
        for path in c.folder.attachments:
            out[path] = attachments[path]
    for page in content.training:
        out[f"training/{page.slug}.md"] = env.get_template("training.md.j2").render(page=page, body=Markup(page.body.html))
    for name, data in handbook.items():
        out[f"handbook/{name}"] = data
    return {path: data.encode() if isinstance(data, str) else data for path, data in sorted(out.items())}


def home_page(env: Environment, model: Model) -> str:
    company, year = model.company, model.current_year
    now = model.portfolio(year)
    ever = model.portfolio(None)

    def headline(f: Figures) -> dict[str, Markup]:
        return {
            "benefits": fmt.money(f.benefits),
            "spend": fmt.money(f.spend),
            "value_ratio": fmt.ratio(f.value_ratio),
            "service_value_rate": fmt.percent(f.service_value_rate),
            "cost_to_serve": fmt.money(f.cost_to_serve),
        }

    by_level = {level: [c for c in model.customers if c.health.level == level] for level in HEALTH_ORDER}
    pareto = now.pareto
    return env.get_template("home.md.j2").render(
        company=company,
        build_date=model.build_date,
        year=year,
        year_start=model.fiscal_year_bounds(year)[0],
        now=headline(now.figures),
        ever=headline(ever.figures),
        pareto={"top_count": pareto.top_count, "paying": len(pareto.rows), "top_share": fmt.percent(pareto.top_share)}
        if pareto.rows
        else None,
        by_health=[
            ({"badge": health_badge(level), "count": len(members)}, [{"id": c.id, "name": c.customer.name} for c in members])
            for level, members in by_level.items()
        ],
        attention=[
            {"id": c.id, "name": c.customer.name, "level": c.health.level, "reasons": reason_views(c.health.reasons)}
            for c in model.customers
            if c.health.level != "green"
        ],
        due=[
            {"id": c.id, "name": c.customer.name, "segment": c.customer.segment, "last": c.last_presentation or "never"}
            for c in model.customers
            if c.presentation_due
        ],
        required=", ".join(company.presentation_required) or "no segment",
        over_serviced=[
            {
                "id": c.id,
                "name": c.customer.name,
                "segment": c.customer.segment,
                "revenue_share": fmt.percent(now.shares[c.id].revenue_share),
                "cost_share": fmt.percent(now.shares[c.id].cost_to_serve_share),
            }
            for c in model.customers
            if now.shares[c.id].over_serviced
        ],
    )


def customers_page(env: Environment, model: Model) -> str:
    return env.get_template("customers.md.j2").render(
        rows=[customer_summary(c, model) for c in sorted(model.customers, key=lambda c: c.customer.name.casefold())],
        year=model.current_year,
        build_date=model.build_date,
        currency=model.company.currency,
    )


def catalog_page(env: Environment, model: Model) -> str:
    usage = model.portfolio(None).figures.usage
    groups = [
        {
            "name": group.name,
            "services": [
                {
                    "name": s.name,
                    "id": s.id,
                    "unit": s.unit,
                    "rate": fmt.money(s.rate) if s.rate is not None else Markup("given per record"),
                    "benefit": s.benefit,
                    "records": fmt.number(usage.get(s.id, Usage()).records),
                    "value": fmt.money(usage.get(s.id, Usage()).value),
                    "description": s.description,
                }
                for s in model.catalog.services
                if s.group == group.id
            ],
        }
        for group in model.catalog.groups
    ]
    return env.get_template("catalog.md.j2").render(groups=groups, currency=model.company.currency)


def customer_page(env: Environment, model: Model, c: CustomerModel, content: Content) -> str:
    """One value file: account facts, figures by fiscal year, people, expectations, timeline."""
    years = sorted(c.years)
    return env.get_template("customer.md.j2").render(
        c=c,
        admonition=HEALTH_ADMONITION[c.health.level],
        reasons=reason_views(c.health.reasons),
        account=account_facts(c, model),
        currency=model.company.currency,
        current_year=model.current_year,
        build_date=fmt.day(model.build_date),
        period_headings=[year_label(model, y) for y in years] + ["All time"],
        rows=figure_rows([c.years[y] for y in years] + [c.all_time]),
        team=sorted(c.customer.team.items()),
        contact_groups=contact_groups(c.customer.contacts),
        expectations=expectation_rows(c),
        notes=Markup(c.folder.notes.html) if c.folder.notes else None,
        records=timeline(c, model, content),
    )
