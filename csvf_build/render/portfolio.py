"""The Portfolio section: one page per period (80/20, over-servicing, rankings, segments and tiers,
the selling cycle) and the health board with the presentation planner, as of the build date.

Every figure comes from the model (`Model.portfolio`, each `CustomerModel`);
this module chooses, orders and formats, and hands the templates prepared
rows. Tables show the top rows; the full table follows, collapsed, while it
stays a sane size, else the page points to the data export.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from fractions import Fraction
from typing import Any, Protocol, TypeVar

from markupsafe import Markup

from csvf_build.charts.portfolio import period_name, period_slug
from csvf_build.charts.spec import Chart, ChartSpec
from csvf_build.model.alerts import alerts
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.cycle import CustomerCycle
from csvf_build.model.figures import STAGES, Figures
from csvf_build.model.periods import ALL_TIME
from csvf_build.model.portfolio import EIGHTY, Group, ParetoRow, Portfolio
from csvf_build.model.rounding import round_half_up
from csvf_build.render import fmt
from csvf_build.render.page import Block, Heading, Html, page_markdown
from csvf_build.render.value_file import chart_view
from csvf_build.render.views import anchor_of, health_badge

TOP = 25  # rows of a table shown open
FULL_TABLE_MOST = 100  # up to this many rows the full table follows, collapsed; beyond, the export has it
LIST_MOST = 100  # names listed in a sentence (left alone, green), at most
HEALTH_RANK = {"red": 0, "amber": 1, "green": 2}  # sort key: the first click puts red first
NONE_SORT = "-1"  # no figure sorts below every real one (no figure here is negative)
HEALTH_PAGE = "health.md"
T = TypeVar("T")


class SectionRenderer(Protocol):
    def __call__(self, section: str, **values: Any) -> Html: ...


# -- tables


@dataclass(frozen=True)
class Column:
    key: str  # names the figure (the test and the export use the same words)
    heading: str
    numeric: bool = False
    sort_method: str | None = None  # "number": sort by each cell's data-sort


@dataclass(frozen=True)
class Cell:
    text: object  # user text (escaped by the template) or our Markup
    sort: str | None = None  # the exact number to sort by
    css: str = ""  # csvf-num (right-aligned figures), csvf-date (kept on one line)


@dataclass(frozen=True)
class Row:
    id: str
    cells: tuple[Cell, ...]


def sort_key(value: Decimal | Fraction | int | None) -> str:
    """A cell's sort key: the exact figure (4 decimals for fractions), so "1,234" and "—" sort right."""
    if value is None:
        return NONE_SORT
    if isinstance(value, Fraction):
        return str(round_half_up(value, 4))
    return str(value)


def num(text: Markup, value: Decimal | Fraction | int | None) -> Cell:
    return Cell(text, sort_key(value), "csvf-num")


def day_cell(value: date | None, text: object = None) -> Cell:
    """A date (ISO, so it sorts as text), on one line."""
    return Cell(fmt.day(value) if text is None else text, value.isoformat() if value else "", "csvf-date")


def table(
    label: str,
    columns: tuple[Column, ...],
    items: Sequence[T],
    make_row: Callable[[T], Row],
    *,
    sortable: bool = False,
    caption: str = "",
) -> dict[str, Any] | None:
    """The top rows open; the whole table behind a collapsed summary while it stays a sane size.

    Rows are made only for what is shown, so a page of 5,000 customers costs 25 rows. None without items.
    """
    if not items:
        return None
    full = [make_row(item) for item in items] if len(items) <= FULL_TABLE_MOST else None
    shown = full[:TOP] if full is not None else [make_row(item) for item in items[:TOP]]
    result: dict[str, Any] = {
        "label": label,
        "columns": columns,
        "rows": shown,
        "sortable": sortable,
        "caption": caption,
        "count": len(items),
        "full": None,
        "rest": 0,
    }
    if len(items) > TOP:
        if full is not None:
            result["full"] = {**result, "label": f"{label}, all {len(items)}", "rows": full, "caption": ""}
        else:
            result["rest"] = len(items) - TOP
    return result


def plain_table(label: str, columns: tuple[Column, ...], rows: list[Row]) -> dict[str, Any]:
    """A small table shown whole (segments, tiers, services: never one row per customer)."""
    return {"label": label, "columns": columns, "rows": rows, "caption": "", "sortable": False, "full": None, "rest": 0}


# -- links and period names


def page_of(model: Model, key: str) -> str:
    """The page of a period: the current fiscal year is the section's index."""
    if key == str(model.current_year):
        return "index.md"
    return f"{period_slug(key)}.md"


def period_keys(model: Model) -> list[str]:
    """The current fiscal year first, then earlier years, newest first, then all time."""
    years = sorted((key for key in model.portfolios if key != ALL_TIME), key=int, reverse=True)
    return [*years, ALL_TIME]


def selector(model: Model, here: str) -> list[dict[str, Any]]:
    """The row of period links (and the health board); the one shown is marked current."""
    links = [
        {
            "label": title_case(period_name(model, key)),
            "href": page_of(model, key).replace(".md", ".html"),
            "current": page_of(model, key) == here,
        }
        for key in period_keys(model)
    ]
    links.append({"label": "Health and planner", "href": "health.html", "current": here == HEALTH_PAGE})
    return links


def title_case(text: str) -> str:
    """The first letter up, the rest as written ("all time" -> "All time", FY2026 stays)."""
    return text[:1].upper() + text[1:]


def customer_href(cid: str, anchor: str | None = None) -> str:
    return f"../customers/{cid}/index.html" + (f"#{anchor}" if anchor else "")


def customer_cell(c: CustomerModel) -> Cell:
    return Cell(Markup('<a href="%s">%s</a>') % (customer_href(c.id), c.customer.name), c.customer.name.casefold())


def period_intro(model: Model, key: str) -> dict[str, Any]:
    p = model.portfolios[key]
    currency = model.company.currency
    if key == ALL_TIME:
        span = f"every fiscal year up to the build date, {model.build_date}"
    else:
        first, last = model.fiscal_year_bounds(int(key))
        span = f"{first} to {min(last, model.build_date)}" + (" (the year to date)" if key == str(model.current_year) else "")
    f = p.figures
    return {
        "period": period_name(model, key),
        "span": span,
        "build_date": fmt.day(model.build_date),
        "currency": currency,
        "cards": [
            ("Customers", fmt.number(len(p.members))),
            ("Spend", fmt.money(f.spend, currency)),
            ("Benefits", fmt.money(f.benefits, currency)),
            ("Value ratio", fmt.ratio(f.value_ratio)),
            ("Cost to serve", fmt.money(f.cost_to_serve, currency)),
            ("Over-serviced", fmt.number(len(p.over_serviced))),
        ],
    }


# -- charts


def sampled(chart: Chart, total: int, how: str) -> dict[str, Any]:
    """A chart as the page shows it, with a note when the table behind it holds only some of the customers."""
    view = {**chart_view(chart), "note": ""}
    if isinstance(chart, ChartSpec) and len(chart.table_rows) < total:
        view["note"] = f"{len(chart.table_rows)} of the {total} customers, {how}; the data export has them all."
    return view


# -- 80/20


def pareto_headline(p: Portfolio, period: str) -> str:
    """The 80/20 sentence: how many customers the top 20% are, and the share of revenue they bring."""
    pareto = p.pareto
    if not pareto.rows:
        return f"No customer has spend in {period}, so there is no 80/20 split."
    k, n = pareto.top_count, len(pareto.rows)
    top = f"{fmt.percent(pareto.top_fraction, decimals=0)}"
    who = "customer" if k == 1 else "customers"
    verb = "brings" if k == 1 else "bring"
    sentence = f"The top {k} {who}, {top} of the {n} with spend in {period}, {verb} {fmt.percent(pareto.top_share)} of revenue."
    if n < 5:
        sentence += f" With fewer than five customers with spend, the top {top} is rounded up to one whole customer."
    reach = pareto.customers_for(EIGHTY)
    return sentence + f" 80% of revenue comes from the largest {reach} {'customer' if reach == 1 else 'customers'}."


PARETO_COLUMNS = (
    Column("customer", "Customer"),
    Column("rank", "Rank", numeric=True),
    Column("segment", "Segment"),
    Column("spend", "Spend", numeric=True),
    Column("revenue_share", "Revenue share", numeric=True),
    Column("cumulative_share", "Cumulative share", numeric=True),
    Column("top", "In the top 20%"),
)


def pareto_view(model: Model, key: str, chart: Chart) -> dict[str, Any]:
    p = model.portfolios[key]
    by_id = {c.id: c for c in model.customers}

    def row(item: tuple[int, ParetoRow]) -> Row:
        rank, r = item
        share = p.shares[r.id].revenue_share
        return Row(
            r.id,
            (
                customer_cell(by_id[r.id]),
                num(fmt.number(rank), rank),
                Cell(by_id[r.id].customer.segment),
                num(fmt.money(r.spend), r.spend),
                num(fmt.percent(share), share),
                num(fmt.percent(r.cumulative_share), r.cumulative_share),
                Cell("yes" if rank <= p.pareto.top_count else ""),
            ),
        )

    return {
        "headline": pareto_headline(p, period_name(model, key)),
        "chart": sampled(chart, len(p.pareto.rows), "evenly spaced by rank (the last of the top 20% included)"),
        "table": table(
            "Customers by spend",
            PARETO_COLUMNS,
            list(enumerate(p.pareto.rows, start=1)),
            row,
            caption="Largest spend first; equal spend by id.",
        ),
    }


# -- over-servicing

OVER_COLUMNS = (
    Column("customer", "Customer"),
    Column("segment", "Segment"),
    Column("tier", "Tier"),
    Column("revenue_share", "Revenue share", numeric=True),
    Column("cost_to_serve_share", "Cost-to-serve share", numeric=True),
    Column("cost_to_serve", "Cost to serve", numeric=True),
    Column("service_hours", "Service hours", numeric=True),
    Column("revenue_per_service_hour", "Revenue per service hour", numeric=True),
)


def period_figures(c: CustomerModel, key: str) -> Figures:
    """The customer's figures in the period (none recorded: zero)."""
    return c.all_time if key == ALL_TIME else c.years.get(int(key), Figures(customers=0))


def over_servicing_view(model: Model, key: str, chart: Chart) -> dict[str, Any]:
    p = model.portfolios[key]
    by_id = {c.id: c for c in model.customers}
    flagged = sorted(p.over_serviced, key=lambda cid: (-(p.shares[cid].cost_to_serve_share or 0), cid))

    def row(cid: str) -> Row:
        c, s, f = by_id[cid], p.shares[cid], period_figures(by_id[cid], key)
        return Row(
            cid,
            (
                customer_cell(c),
                Cell(c.customer.segment),
                Cell(c.customer.tier),
                num(fmt.percent(s.revenue_share), s.revenue_share),
                num(fmt.percent(s.cost_to_serve_share), s.cost_to_serve_share),
                num(fmt.money(f.cost_to_serve), f.cost_to_serve),
                num(fmt.number(f.service_hours), f.service_hours),
                num(fmt.money(f.revenue_per_service_hour), f.revenue_per_service_hour),
            ),
        )

    return {
        "ratio": fmt.number(model.company.over_servicing_ratio),
        "count": len(flagged),
        "members": len(p.members),
        "period": period_name(model, key),
        "chart": sampled(chart, len(p.members), "with the largest cost-to-serve shares"),
        "table": table("Over-serviced customers", OVER_COLUMNS, flagged, row, caption="Largest cost-to-serve share first."),
    }


# -- rankings

RANK_COLUMNS = (
    Column("customer", "Customer"),
    Column("segment", "Segment"),
    Column("tier", "Tier"),
    Column("spend", "Spend", numeric=True, sort_method="number"),
    Column("benefits", "Benefits", numeric=True, sort_method="number"),
    Column("value_ratio", "Value ratio", numeric=True, sort_method="number"),
    Column("service_value_rate", "Service value rate", numeric=True, sort_method="number"),
    Column("cost_to_serve", "Cost to serve", numeric=True, sort_method="number"),
    Column("service_hours", "Service hours", numeric=True, sort_method="number"),
    Column("revenue_per_service_hour", "Revenue per service hour", numeric=True, sort_method="number"),
    Column("csat", "CSAT", numeric=True, sort_method="number"),
    Column("health", "Health", sort_method="number"),
)


def rankings_view(model: Model, key: str) -> dict[str, Any]:
    """Every customer of the period, largest spend first, sortable by each figure."""
    p = model.portfolios[key]
    by_id = {c.id: c for c in model.customers}
    members = sorted(p.members, key=lambda cid: (-period_figures(by_id[cid], key).spend, cid))

    def row(cid: str) -> Row:
        c = by_id[cid]
        f = period_figures(c, key)
        return Row(
            cid,
            (
                customer_cell(c),
                Cell(c.customer.segment),
                Cell(c.customer.tier),
                num(fmt.money(f.spend), f.spend),
                num(fmt.money(f.benefits), f.benefits),
                num(fmt.ratio(f.value_ratio), f.value_ratio),
                num(fmt.percent(f.service_value_rate), f.service_value_rate),
                num(fmt.money(f.cost_to_serve), f.cost_to_serve),
                num(fmt.number(f.service_hours), f.service_hours),
                num(fmt.money(f.revenue_per_service_hour), f.revenue_per_service_hour),
                num(fmt.score(f.csat), f.csat),
                Cell(health_badge(c.health.level), str(HEALTH_RANK[c.health.level])),
            ),
        )

    caption = "Largest spend first. Select a column heading to sort by it; select it again to reverse."
    if len(members) > TOP:
        caption = f"The {TOP} with the largest spend, of {len(members)}. Select a column heading to sort by it; select it again to reverse."
    return {
        "table": table("Customer rankings", RANK_COLUMNS, members, row, sortable=True, caption=caption),
        "period": period_name(model, key),
    }


# -- segments and tiers

GROUP_COLUMNS = (
    Column("customers", "Customers", numeric=True),
    Column("over_serviced_customers", "Over-serviced", numeric=True),
    Column("spend", "Spend", numeric=True),
    Column("spend_per_customer", "Spend per customer", numeric=True),
    Column("benefits", "Benefits", numeric=True),
    Column("value_ratio", "Value ratio", numeric=True),
    Column("service_value_rate", "Service value rate", numeric=True),
    Column("cost_to_serve", "Cost to serve", numeric=True),
    Column("cost_to_serve_per_customer", "Cost to serve per customer", numeric=True),
    Column("service_hours", "Service hours", numeric=True),
    Column("revenue_per_service_hour", "Revenue per service hour", numeric=True),
    Column("csat", "CSAT", numeric=True),
)


def group_row(group: Group, label: str) -> Row:
    f = group.figures
    return Row(
        group.name,
        (
            Cell(label),
            num(fmt.number(f.customers), f.customers),
            num(fmt.number(group.over_serviced), group.over_serviced),
            num(fmt.money(f.spend), f.spend),
            num(fmt.money(group.spend_per_customer), group.spend_per_customer),
            num(fmt.money(f.benefits), f.benefits),
            num(fmt.ratio(f.value_ratio), f.value_ratio),
            num(fmt.percent(f.service_value_rate), f.service_value_rate),
            num(fmt.money(f.cost_to_serve), f.cost_to_serve),
            num(fmt.money(group.cost_to_serve_per_customer), group.cost_to_serve_per_customer),
            num(fmt.number(f.service_hours), f.service_hours),
            num(fmt.money(f.revenue_per_service_hour), f.revenue_per_service_hour),
            num(fmt.score(f.csat), f.csat),
        ),
    )


def usage_table(model: Model, groups: tuple[Group, ...], whole: Group, label: str) -> dict[str, Any]:
    """Catalog services used in the period (rows) by group (columns): value, and the number of records in brackets."""
    used = [s for s in model.catalog.services if s.id in whole.figures.usage]
    columns = (
        Column("service", "Service"),
        *(Column(g.name, g.name, numeric=True) for g in groups),
        Column("all", "All customers", numeric=True),
    )
    rows = []
    for s in used:
        cells = [Cell(s.name)]
        for g in (*groups, whole):
            u = g.figures.usage.get(s.id)
            text = Markup("%s (%s)") % (fmt.money(u.value), fmt.number(u.records)) if u else fmt.NONE
            cells.append(num(text, u.value if u else None))
        rows.append(Row(s.id, tuple(cells)))
    unused = [s.name for s in model.catalog.services if s.id not in whole.figures.usage]
    return {
        "table": plain_table(label, columns, rows),
        "unused": unused,
    }


def groups_view(model: Model, key: str) -> dict[str, Any]:
    p = model.portfolios[key]
    whole = p.whole
    total = group_row(whole, "All customers")

    def figures_table(groups: tuple[Group, ...], label: str, heading: str) -> dict[str, Any]:
        return plain_table(label, (Column("name", heading), *GROUP_COLUMNS), [group_row(g, g.name) for g in groups] + [total])

    return {
        "currency": model.company.currency,
        "segments": figures_table(p.segments, "Figures by segment", "Segment"),
        "tiers": figures_table(p.tiers, "Figures by tier", "Tier"),
        "tier_costs": [
            {"tier": g.name, "cost": fmt.money(g.cost_to_serve_per_customer, model.company.currency), "customers": g.figures.customers}
            for g in p.tiers
            if g.figures.customers
        ],
        "usage_segments": usage_table(model, p.segments, whole, "Service usage by segment"),
        "usage_tiers": usage_table(model, p.tiers, whole, "Service usage by tier"),
    }


# -- selling cycle

CYCLE_COLUMNS = (
    Column("customer", "Customer"),
    *(Column(f"touchpoints_{stage}", f"{stage.capitalize()} the purchase", numeric=True, sort_method="number") for stage in STAGES),
    Column("touchpoints", "Touchpoints", numeric=True, sort_method="number"),
    Column("last_touchpoint", "Last touchpoint"),
    Column("median_days_between_touchpoints", "Median days between", numeric=True, sort_method="number"),
)


def cycle_view(model: Model, key: str) -> dict[str, Any]:
    p = model.portfolios[key]
    cycle = p.cycle
    by_id = {c.id: c for c in model.customers}
    ordered = sorted((row for row in cycle.customers.values() if row.touchpoints), key=lambda row: (-row.touchpoints, row.id))

    def row(r: CustomerCycle) -> Row:
        return Row(
            r.id,
            (
                customer_cell(by_id[r.id]),
                *(num(fmt.number(r.by_stage.get(stage, 0)), r.by_stage.get(stage, 0)) for stage in STAGES),
                num(fmt.number(r.touchpoints), r.touchpoints),
                day_cell(r.last),
                num(fmt.number(r.median_gap), r.median_gap),
            ),
        )

    alone = [{"id": cid, "name": by_id[cid].customer.name} for cid in cycle.left_alone]
    return {
        "period": period_name(model, key),
        "stages": [(f"{stage} the purchase", fmt.number(p.figures.touchpoints_by_stage.get(stage, 0))) for stage in STAGES],
        "touchpoints": fmt.number(p.figures.touchpoints),
        "median_gap": fmt.number(cycle.median_gap),
        "gaps": len(cycle.all_gaps),
        "table": table("Touchpoints by customer", CYCLE_COLUMNS, ordered, row, sortable=True, caption="Most touchpoints first."),
        "alone": alone[:LIST_MOST],
        "alone_rest": max(0, len(alone) - LIST_MOST),
        "alone_count": len(alone),
        "members": len(cycle.customers),
    }


# -- the period page


def period_page(s: SectionRenderer, model: Model, key: str, charts: list[Chart]) -> str:
    """One period's portfolio page, sections in a manager's reading order."""
    pareto_chart, over_chart = charts
    title = f"Portfolio: {period_name(model, key)}"
    here = page_of(model, key)
    blocks: list[Block] = [
        s("intro", links=selector(model, here), v=period_intro(model, key)),
        Heading(2, "80/20: where the business comes from", "eighty-twenty"),
        s("pareto", v=pareto_view(model, key, pareto_chart)),
        Heading(2, "Over-servicing: where service time goes", "over-servicing"),
        s("over_servicing", v=over_servicing_view(model, key, over_chart)),
        Heading(2, "Rankings", "rankings"),
        s("rankings", v=rankings_view(model, key)),
        Heading(2, "Segments and tiers", "segments-and-tiers"),
        s("groups", v=groups_view(model, key)),
        Heading(2, "Selling cycle", "selling-cycle"),
        s("cycle", v=cycle_view(model, key)),
    ]
    return page_markdown(title, blocks, hide=("navigation",))


def period_pages(s: SectionRenderer, model: Model, charts: dict[str, list[Chart]]) -> dict[str, str]:
    """Every period's page, by docs-tree path."""
    return {f"portfolio/{page_of(model, key)}": period_page(s, model, key, charts[key]) for key in period_keys(model)}


# -- health board and presentation planner

BOARD_COLUMNS = (
    Column("customer", "Customer"),
    Column("health", "Health"),
    Column("reasons", "Why"),
    Column("account_manager", "Account manager"),
    Column("segment", "Segment"),
    Column("last_record", "Last record"),
)
PLANNER_COLUMNS = (
    Column("customer", "Customer"),
    Column("segment", "Segment"),
    Column("account_manager", "Account manager"),
    Column("last_presentation", "Last presentation"),
    Column("next_presentation", "Next due by"),
    Column("days", "Days left", numeric=True),
    Column("status", "Status"),
)
STALE_COLUMNS = (
    Column("customer", "Customer"),
    Column("account_manager", "Account manager"),
    Column("last_record", "Last record"),
    Column("days", "Days since", numeric=True),
)


def reasons_cell(c: CustomerModel) -> Cell:
    """Each health reason, linked to the record behind it on the value file."""
    parts = [
        Markup('<a href="%s">%s</a>') % (customer_href(c.id, anchor_of(c, r.record)), r.text) if r.record else Markup("%s") % r.text
        for r in c.health.reasons
    ]
    return Cell(Markup("; ").join(parts))


def board_view(model: Model) -> dict[str, Any]:
    """Red, then amber, each with its reasons; green only counted and named."""
    attention = sorted(
        (c for c in model.customers if c.health.level != "green"),
        key=lambda c: (HEALTH_RANK[c.health.level], c.customer.name.casefold(), c.id),
    )

    def row(c: CustomerModel) -> Row:
        return Row(
            c.id,
            (
                customer_cell(c),
                Cell(health_badge(c.health.level)),
                reasons_cell(c),
                Cell(c.customer.account_manager),
                Cell(c.customer.segment),
                day_cell(c.last_record),
            ),
        )

    green = sorted((c for c in model.customers if c.health.level == "green"), key=lambda c: c.customer.name.casefold())
    counts = [(health_badge(level), sum(1 for c in model.customers if c.health.level == level)) for level in HEALTH_RANK]
    return {
        "counts": counts,
        "table": table("Red and amber customers", BOARD_COLUMNS, attention, row),
        "green": [{"id": c.id, "name": c.customer.name} for c in green[:LIST_MOST]],
        "green_rest": max(0, len(green) - LIST_MOST),
    }


def days_text(days: int) -> str:
    if days > 0:
        return f"due in {days} days" if days != 1 else "due tomorrow"
    if days == 0:
        return "due today"
    return f"overdue by {-days} days" if days != -1 else "overdue by 1 day"


def planner_view(model: Model) -> dict[str, Any]:
    """Every customer whose segment needs the yearly presentation, the soonest due first."""
    today = model.build_date
    required = [c for c in model.customers if c.next_presentation is not None]
    required.sort(key=lambda c: (c.next_presentation or today, c.customer.name.casefold(), c.id))

    def row(c: CustomerModel) -> Row:
        due_by: date = c.next_presentation or today
        days = (due_by - today).days
        return Row(
            c.id,
            (
                customer_cell(c),
                Cell(c.customer.segment),
                Cell(c.customer.account_manager),
                day_cell(c.last_presentation, None if c.last_presentation else "never"),
                day_cell(due_by),
                num(fmt.number(days), days),
                Cell(Markup("<strong>%s</strong>") % days_text(days) if c.presentation_due else days_text(days)),
            ),
        )

    return {
        "required": ", ".join(model.company.presentation_required) or "no segment",
        "interval": model.company.presentation_interval_days,
        "due": sum(1 for c in required if c.presentation_due),
        "table": table("Presentation planner", PLANNER_COLUMNS, required, row),
    }


def stale_view(model: Model) -> dict[str, Any]:
    """Value files with no new record for too long, the longest silent first."""
    today = model.build_date
    stale = sorted((c for c in model.customers if c.stale), key=lambda c: (c.last_record or c.customer.since, c.id))

    def row(c: CustomerModel) -> Row:
        days = (today - (c.last_record or c.customer.since)).days
        last = day_cell(c.last_record) if c.last_record else Cell(Markup("none (customer since %s)") % fmt.day(c.customer.since))
        return Row(c.id, (customer_cell(c), Cell(c.customer.account_manager), last, num(fmt.number(days), days)))

    return {"days": model.company.stale_after_days, "table": table("Stale value files", STALE_COLUMNS, stale, row)}


def alerts_view(model: Model) -> list[dict[str, Any]]:
    by_id = {c.id: c for c in model.customers}
    return [{"customer": customer_cell(by_id[a.customer]).text, "kind": a.kind, "message": a.message} for a in alerts(model)]


def health_page(s: SectionRenderer, model: Model) -> str:
    """The health board, the presentation planner, stale files and today's alerts, as of the build date."""
    blocks: list[Block] = [
        s("health_intro", links=selector(model, HEALTH_PAGE), build_date=fmt.day(model.build_date)),
        Heading(2, "Health board", "health-board"),
        s("board", v=board_view(model)),
        Heading(2, "Presentation planner", "planner"),
        s("planner", v=planner_view(model)),
        Heading(2, "Stale value files", "stale"),
        s("stale", v=stale_view(model)),
        Heading(2, "Alerts today", "alerts"),
        s("alerts", alerts=alerts_view(model), build_date=fmt.day(model.build_date)),
    ]
    return page_markdown("Portfolio health and presentation planner", blocks, hide=("navigation",))
