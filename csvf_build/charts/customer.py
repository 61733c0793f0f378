"""The charts of one value file, as specs built from the model (no figure recomputed).

Each function returns a `ChartSpec`, or a `NoChart` sentence when the customer
has too little data for that chart.
"""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from fractions import Fraction

from csvf_build.charts.spec import Chart, ChartSpec, Mark, NoChart, Series
from csvf_build.content.schema import AppreciationRecord, BusinessChangeRecord, EscalationRecord, SurveyRecord
from csvf_build.model.breakeven import MonthPoint
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.expectations import ExpectationStatus
from csvf_build.model.rounding import round_half_up
from csvf_build.render import fmt


def measurement_source(confirmed_by: str | None) -> str:
    """Whose figure a measurement is: the customer's (confirmed, and by whom) or our own."""
    return f"confirmed by {confirmed_by}" if confirmed_by else "our measurement"


BENEFITS = ("cost-avoided", "return")


def exact(value: Decimal | Fraction | None, places: int = 4) -> str | None:
    """A figure as text for a spec: exact enough to draw, stable to hash."""
    return None if value is None else str(round_half_up(value, places))


def customer_charts(c: CustomerModel, model: Model) -> list[Chart]:
    base = f"customers/{c.id}/charts"
    charts: list[Chart] = [value_by_year(c, model, base), break_even(c, model, base), satisfaction(c, model, base), ratios(c, model, base)]
    charts += [expectation(c, s, base, i) for i, s in enumerate(c.expectations, start=1)]
    return charts


def _year(model: Model, year: int) -> str:
    return f"FY{year}" + (" to date" if year == model.current_year else "")


def value_by_year(c: CustomerModel, model: Model, base: str) -> Chart:
    title = "Value delivered per fiscal year"
    years = sorted(c.years)
    if not c.all_time.benefits:
        return NoChart("value-by-year", title, "No service value is recorded yet, so there is no value chart.")
    currency = model.company.currency
    groups = {g.id: (i, g.name) for i, g in enumerate(model.catalog.groups)}
    keys = sorted({key for y in years for key in c.value_by_group.get(y, {})}, key=lambda k: (groups[k[0]][0], BENEFITS.index(k[1])))
    series = tuple(
        Series(
            f"{groups[g][1]} ({benefit.replace('-', ' ')})",
            tuple(exact(c.value_by_group.get(y, {}).get((g, benefit), Decimal(0)), 2) for y in years),
            f"{groups[g][0]}:{benefit}",
        )
        for g, benefit in keys
    )
    best = max(years, key=lambda y: (c.years[y].benefits, y))
    now = c.years.get(model.current_year)
    lead = (
        f"{_year(model, model.current_year)}: {fmt.money(now.benefits, currency)} "
        f"(cost avoided {fmt.money(now.cost_avoided)}, return {fmt.money(now.return_)})"
        if now
        else f"nothing yet in FY{model.current_year}"
    )
    alt = (
        f"Benefits per fiscal year by service group. {lead}. Highest: {_year(model, best)}, {fmt.money(c.years[best].benefits, currency)}."
    )
    return ChartSpec(
        path=f"{base}/value-by-year.svg",
        kind="value-by-year",
        title=title,
        alt=alt,
        x_label="Fiscal year",
        y_label=f"Benefits ({currency})",
        x=tuple(_year(model, y) for y in years),
        series=series,
        table_headings=("Fiscal year", "Cost avoided", "Return", "Benefits"),
        table_rows=tuple(
            (
                _year(model, y),
                str(fmt.money(c.years[y].cost_avoided)),
                str(fmt.money(c.years[y].return_)),
                str(fmt.money(c.years[y].benefits)),
            )
            for y in years
        ),
    )


def profit_zone_words(point: MonthPoint) -> str:
    """The table's profit-zone column: months before any benefit or cost are not "in the profit zone"."""
    if not point.benefits and not point.cost:
        return "nothing yet"
    return "yes" if point.in_profit_zone else "no"


def break_even(c: CustomerModel, model: Model, base: str) -> Chart:
    title = "Break-even: cumulative benefits against cumulative cost"
    timeline = c.break_even.timeline
    if len(timeline) < 2:
        return NoChart("break-even", title, "The account is less than two months old, so there is no break-even chart yet.")
    currency = model.company.currency
    last = timeline[-1]
    state = f"in the profit zone since {c.break_even.month.label()}" if c.break_even.month else "break-even not reached yet"
    alt = (
        f"By {last.month.label()}, cumulative benefits {fmt.money(last.benefits, currency)} against cumulative cost "
        f"{fmt.money(last.cost, currency)}: {state}."
    )
    marks = (Mark(c.break_even.month.label(), "break-even", "break-even"),) if c.break_even.month else ()
    step = max(1, len(timeline) // 24)
    rows = tuple(
        (p.month.label(), str(fmt.money(p.benefits)), str(fmt.money(p.cost)), profit_zone_words(p))
        for i, p in enumerate(timeline)
        if i % step == 0 or i == len(timeline) - 1
    )
    return ChartSpec(
        path=f"{base}/break-even.svg",
        kind="break-even",
        title=title,
        alt=alt,
        x_label="Month",
        y_label=f"Cumulative ({currency})",
        x=tuple(p.month.label() for p in timeline),
        series=(
            Series("Cumulative benefits", tuple(exact(p.benefits, 2) for p in timeline), "benefits"),
            Series("Cumulative total cost", tuple(exact(p.cost, 2) for p in timeline), "cost"),
        ),
        marks=marks,
        table_headings=("Month", "Cumulative benefits", "Cumulative cost", "Profit zone"),
        table_rows=rows,
    )


def expectation(c: CustomerModel, s: ExpectationStatus, base: str, index: int) -> Chart:
    e = s.expectation
    title = f"{e.metric}: measured against expected"
    if not s.history:
        return NoChart("expectation", title, f"“{e.metric}” has not been measured yet, so there is no chart for it.")
    better = "lower is better" if e.better == "lower" else "higher is better"
    verdict = "met" if s.met else "not met"
    latest = s.history[-1]
    alt = f"{e.metric}: latest {fmt.number(latest.actual)} {e.unit} on {latest.date}, expected {fmt.number(e.expected)} {e.unit} ({better}): {verdict}."
    lines = [Series("Expected", (exact(e.expected),), "expected")]
    if e.baseline is not None:
        lines.append(Series("Baseline", (exact(e.baseline),), "baseline"))
        alt += f" Baseline {fmt.number(e.baseline)} {e.unit}."
    confirmed = sum(1 for m in s.history if m.confirmed_by)
    alt += f" {confirmed} of {len(s.history)} measurements confirmed by the customer."
    return ChartSpec(
        path=f"{base}/expectation-{index}.svg",
        kind="expectation",
        title=title,
        alt=alt,
        x_label="Date measured",
        y_label=e.unit,
        x=tuple(m.date.isoformat() for m in s.history),
        series=(
            Series("Measured", tuple(exact(m.actual) for m in s.history), "measured"),
            Series("Confirmed by the customer", tuple(exact(m.actual) if m.confirmed_by else None for m in s.history), "confirmed"),
        ),
        lines=tuple(lines),
        table_headings=("Date", "Measured", "Whose figure"),
        table_rows=tuple((m.date.isoformat(), str(fmt.number(m.actual)), measurement_source(m.confirmed_by)) for m in s.history),
    )


def satisfaction(c: CustomerModel, model: Model, base: str) -> Chart:
    title = "Satisfaction over time"
    surveys = [(r.record.date, c.record_figures[r.path].csat) for r in c.folder.records if isinstance(r.record, SurveyRecord)]
    events: list[tuple[date, str, str]] = []
    for r in c.folder.records:
        record = r.record
        if isinstance(record, EscalationRecord):
            events.append((record.date, f"escalation: {record.title}", "escalation"))
        elif isinstance(record, AppreciationRecord):
            events.append((record.date, f"appreciation: {record.title}", "appreciation"))
        elif isinstance(record, BusinessChangeRecord):
            events.append((record.date, f"{record.direction}: {record.title}", record.direction))
    if not surveys and not events:
        return NoChart(
            "satisfaction",
            title,
            "No survey, escalation, appreciation or business change is recorded yet, so there is no satisfaction chart.",
        )
    counts = {kind: sum(1 for _, _, k in events if k == kind) for kind in ("escalation", "appreciation")}
    changes = len(events) - counts["escalation"] - counts["appreciation"]
    lead = f"CSAT from {len(surveys)} surveys, latest {fmt.score(surveys[-1][1])} on {surveys[-1][0]}" if surveys else "No survey yet"
    alt = f"{lead}. Marked: {counts['escalation']} escalations, {counts['appreciation']} appreciations, {changes} business changes."
    rows = sorted(
        [(d.isoformat(), "survey", str(fmt.score(v))) for d, v in surveys] + [(d.isoformat(), label, "") for d, label, _ in events]
    )
    return ChartSpec(
        path=f"{base}/satisfaction.svg",
        kind="satisfaction",
        title=title,
        alt=alt,
        x_label="Date",
        y_label="CSAT (0-100)",
        x=tuple(d.isoformat() for d, _ in surveys),
        series=(Series("CSAT", tuple(exact(v, 2) for _, v in surveys), "csat"),),
        marks=tuple(Mark(d.isoformat(), label, kind) for d, label, kind in sorted(events, key=lambda e: (e[0], e[2]))),
        table_headings=("Date", "What", "CSAT"),
        table_rows=tuple(rows),
    )


def ratios(c: CustomerModel, model: Model, base: str) -> Chart:
    title = "Value ratio and service value rate per fiscal year"
    years = [y for y in sorted(c.years) if c.years[y].value_ratio is not None]
    if not years:
        return NoChart("ratios", title, "No fiscal year has spend or time cost yet, so there is no ratio chart.")
    latest = years[-1]
    f = c.years[latest]
    alt = (
        f"Value ratio per fiscal year, {_year(model, latest)}: {fmt.ratio(f.value_ratio)} "
        f"(service value rate {fmt.percent(f.service_value_rate)}: for every 100 spent, {fmt.score(f.service_value_rate)} came back)."
    )
    return ChartSpec(
        path=f"{base}/ratios.svg",
        kind="ratios",
        title=title,
        alt=alt,
        x_label="Fiscal year",
        y_label="Value ratio",
        y2_label="Service value rate (%)",
        x=tuple(_year(model, y) for y in years),
        series=(
            Series("Value ratio", tuple(exact(c.years[y].value_ratio) for y in years), "ratio"),
            Series("Service value rate (%)", tuple(exact(c.years[y].service_value_rate, 2) for y in years), "rate"),
        ),
        lines=(Series("Value ratio 1.0: benefits equal cost", ("1",), "parity"),),
        table_headings=("Fiscal year", "Value ratio", "Service value rate"),
        table_rows=tuple(
            (_year(model, y), str(fmt.ratio(c.years[y].value_ratio)), str(fmt.percent(c.years[y].service_value_rate))) for y in years
        ),
    )
