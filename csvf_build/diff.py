"""What a change does to the numbers: two computed models side by side.

Pure: `value_diff` compares two `Side`s (content checked and computed at the
same build date), `to_markdown` and `to_json` present the result. Every figure
comes from the model (`compute_model`); this module only rounds for display the
way the pages do (`render.fmt`) and the export does (`render.export`). User
text reaches the Markdown only through `render.text.escape`, so a title like
`<img src=x onerror=alert(1)>` or `| x |` stays inert in a job summary.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from typing import Any, Literal

from markupsafe import Markup

from csvf_build.content.load import RecordFile
from csvf_build.model.compute import CustomerModel, Model
from csvf_build.model.figures import Figures
from csvf_build.model.portfolio import Portfolio
from csvf_build.problems import Problem
from csvf_build.render import export, fmt
from csvf_build.render.text import escape

Kind = Literal["added", "changed", "removed"]
KINDS: tuple[Kind, ...] = ("added", "changed", "removed")
SUMMARY_LIMIT = 20  # customers shown in full; more are summarised, largest changes first
RECORD_LIMIT = 25  # record changes listed per customer
PROBLEM_LIMIT = 50  # problems listed in the Markdown (the JSON has all)
ZERO = Decimal(0)


@dataclass(frozen=True)
class Side:
    """One revision's content as the diff sees it."""

    label: str  # as the user named it: "main", "HEAD~1", "working tree"
    commit: str | None  # None for the working tree
    model: Model | None  # None when the content is absent or fails the check
    problems: tuple[Problem, ...] = ()
    present: bool = True  # False: there is no content folder at this revision (an empty base)

    @property
    def ok(self) -> bool:
        return self.model is not None


@dataclass(frozen=True)
class RecordChange:
    kind: Kind
    path: str  # content path, like customers/acme/records/2026-03-01-review.md
    date: date
    title: str


@dataclass(frozen=True)
class CustomerChange:
    id: str
    name: str  # the head's name, else the base's
    kind: Kind
    records: tuple[RecordChange, ...]  # added, changed, removed; each by date
    details_changed: bool  # customer.yaml, notes or attachments differ
    before: CustomerModel | None
    after: CustomerModel | None

    @property
    def benefits_change(self) -> Decimal:
        """All-time benefits after minus before (exact): what orders the summary."""
        return _all_time(self.after).benefits - _all_time(self.before).benefits

    def count(self, kind: Kind) -> int:
        return sum(1 for r in self.records if r.kind == kind)


@dataclass(frozen=True)
class ValueDiff:
    base: Side
    head: Side
    build_date: date
    current_year: int | None  # the head's current fiscal year (else the base's)
    currency: str
    customers: tuple[CustomerChange, ...]  # largest absolute change in all-time benefits first, then by id
    unchanged: int  # customers in both revisions with nothing changed
    compared: bool  # False when the base fails its check: there is nothing to compare against

    def count(self, kind: Kind) -> int:
        return sum(1 for c in self.customers if c.kind == kind)

    def record_count(self, kind: Kind) -> int:
        return sum(c.count(kind) for c in self.customers)


def value_diff(base: Side, head: Side, today: date) -> ValueDiff:
    """Every customer whose records, details or figures differ between `base` and `head` (both computed at `today`)."""
    either = head.model or base.model
    compared = base.ok or not base.present
    customers: list[CustomerChange] = []
    unchanged = 0
    if head.model is not None and compared:
        before = {c.id: c for c in base.model.customers} if base.model else {}
        after = {c.id: c for c in head.model.customers}
        for cid in sorted(before.keys() | after.keys()):
            change = _customer_change(cid, before.get(cid), after.get(cid))
            if change is None:
                unchanged += 1
            else:
                customers.append(change)
    customers.sort(key=lambda c: (-abs(c.benefits_change), c.id))
    return ValueDiff(
        base=base,
        head=head,
        build_date=today,
        current_year=either.current_year if either else None,
        currency=either.company.currency if either else "",
        customers=tuple(customers),
        unchanged=unchanged,
        compared=compared,
    )


def _customer_change(cid: str, before: CustomerModel | None, after: CustomerModel | None) -> CustomerChange | None:
    old = {r.path: r for r in before.folder.records} if before else {}
    new = {r.path: r for r in after.folder.records} if after else {}
    records = [_record_change("added", new[p]) for p in new.keys() - old.keys()]
    records += [_record_change("removed", old[p]) for p in old.keys() - new.keys()]
    records += [_record_change("changed", new[p]) for p in old.keys() & new.keys() if not _same_record(old[p], new[p])]
    records.sort(key=lambda r: (KINDS.index(r.kind), r.date, r.path))
    details = before is None or after is None or not _same_details(before, after)
    if before is not None and after is not None and not records and not details and _same_figures(before, after):
        return None
    kind: Kind = "added" if before is None else "removed" if after is None else "changed"
    shown = after or before
    assert shown is not None
    return CustomerChange(cid, shown.customer.name, kind, tuple(records), details and kind == "changed", before, after)


def _record_change(kind: Kind, r: RecordFile) -> RecordChange:
    return RecordChange(kind, r.path, r.record.date, r.record.title)


def _same_record(a: RecordFile, b: RecordFile) -> bool:
    """Same fields and same story (the rendered body); YAML layout alone is no change."""
    return a.record == b.record and a.body == b.body


def _same_details(a: CustomerModel, b: CustomerModel) -> bool:
    return a.folder.customer == b.folder.customer and a.folder.notes == b.folder.notes and a.folder.attachments == b.folder.attachments


def _same_figures(a: CustomerModel, b: CustomerModel) -> bool:
    """Catalog or company settings can move a customer's figures without touching its files."""
    return (
        a.years == b.years
        and a.all_time == b.all_time
        and a.break_even.month == b.break_even.month
        and a.health == b.health
        and a.presentation_due == b.presentation_due
        and a.stale == b.stale
    )


def _all_time(c: CustomerModel | None) -> Figures:
    return c.all_time if c is not None else Figures(customers=0)


def _year(c: CustomerModel | None, year: int | None) -> Figures | None:
    return None if c is None or year is None else c.years.get(year)


# ---------------------------------------------------------------- Markdown


def to_markdown(diff: ValueDiff, limit: int = SUMMARY_LIMIT) -> str:
    """A GitHub-flavoured Markdown report (a job summary, a PR comment)."""
    lines = ["## csvf value diff", "", _header(diff), ""]
    lines += _check_section(diff.head)
    if not diff.compared:
        lines += ["", f"The base does not pass the check ({_count(len(diff.base.problems), 'problem')}), so there are no figures before."]
    lines += ["", "### Portfolio", "", *_portfolio_table(diff)]
    if not diff.head.ok:
        lines += ["", "Customer figures after the change are shown once the head passes the check."]
    elif diff.customers and len(diff.customers) > limit:
        lines += _summary_section(diff, limit)
    else:
        for change in diff.customers:
            lines += _customer_section(diff, change)
    return "\n".join(lines).rstrip() + "\n"


def _header(diff: ValueDiff) -> str:
    def side(s: Side) -> str:
        commit = f" ({s.commit[:10]})" if s.commit else ""
        absent = ", no content yet" if not s.present else ""
        return f"**{escape(s.label)}**{commit}{absent}"

    year = f"; FY{diff.current_year} is the current fiscal year" if diff.current_year else ""
    text = f"Base {side(diff.base)} → head {side(diff.head)}. Build date {diff.build_date}{year}; money in {escape(diff.currency)}, rounded as on the pages."
    if diff.head.ok and diff.compared:
        records = ", ".join(f"{diff.record_count(k)} {k}" for k in KINDS)
        customers = ", ".join(f"{diff.count(k)} {k}" for k in KINDS)
        changed = _count(len(diff.customers), "customer")
        text += f"\n\n**{changed} changed** ({customers}); records: {records}; {_count(diff.unchanged, 'customer')} unchanged."
    return text


def _check_section(head: Side) -> list[str]:
    if head.ok:
        return ["**Check:** the head passes the check."]
    lines = [f"**Check: {_count(len(head.problems), 'problem')} in the head.** Nothing is published until every one is fixed.", ""]
    for problem in head.problems[:PROBLEM_LIMIT]:
        hint = f" (hint: {escape(problem.hint)})" if problem.hint else ""
        lines.append(f"- {escape(problem.where())}: {escape(problem.message)}{hint}")
    if len(head.problems) > PROBLEM_LIMIT:
        lines.append(f"- … and {len(head.problems) - PROBLEM_LIMIT} more (run `csvf check`)")
    return lines


def _portfolio_table(diff: ValueDiff) -> list[str]:
    year = diff.current_year
    before, after = diff.base.model, diff.head.model
    periods: list[tuple[str, int | None]] = [(f"FY{year}", year)] if year else []
    periods.append(("All time", None))
    cells: list[tuple[str, list[Markup]]] = []

    def row(label: str, show: Any) -> None:
        values = []
        for _, y in periods:
            values += [show(_portfolio(before, y)), show(_portfolio(after, y))]
        cells.append((label, values))

    row("Customers with figures", lambda p: _or_none(p, lambda p: Markup(p.figures.customers)))
    row("Benefits", lambda p: _or_none(p, lambda p: fmt.money(p.figures.benefits)))
    row("Spend", lambda p: _or_none(p, lambda p: fmt.money(p.figures.spend)))
    row("Value ratio", lambda p: _or_none(p, lambda p: fmt.ratio(p.figures.value_ratio)))
    row("Cost to serve", lambda p: _or_none(p, lambda p: fmt.money(p.figures.cost_to_serve)))
    row("Over-serviced customers", lambda p: _or_none(p, lambda p: Markup(sum(s.over_serviced for s in p.shares.values()))))
    row("Top 20% of paying customers bring", lambda p: _or_none(p, _pareto_text))
    head = " | ".join(f"{name} {when}" for name, _ in periods for when in ("before", "after"))
    lines = [f"| Portfolio | {head} |", "|---|" + "--:|" * (2 * len(periods))]
    lines += [f"| {label} | " + " | ".join(values) + " |" for label, values in cells]
    lines += ["", f"Health: {_health_counts(before)} → {_health_counts(after)}"]
    return lines


def _portfolio(model: Model | None, year: int | None) -> Portfolio | None:
    if model is None:
        return None
    return model.portfolios.get("all" if year is None else str(year))


def _pareto_text(p: Portfolio) -> Markup:
    if p.pareto.top_share is None:
        return fmt.NONE
    return Markup(f"{fmt.percent(p.pareto.top_share)} of revenue ({p.pareto.top_count} of {len(p.pareto.rows)})")


def _health_counts(model: Model | None) -> str:
    if model is None:
        return str(fmt.NONE)
    levels = Counter(c.health.level for c in model.customers)
    return ", ".join(f"{levels[level]} {level}" for level in ("red", "amber", "green"))


def _or_none(value: Any, show: Any) -> Markup:
    return fmt.NONE if value is None else Markup(show(value))


FIGURE_ROWS: tuple[tuple[str, Callable[[Figures], Markup]], ...] = (
    ("Benefits", lambda f: fmt.money(f.benefits)),
    ("Spend", lambda f: fmt.money(f.spend)),
    ("Value ratio", lambda f: fmt.ratio(f.value_ratio)),
    ("Cost to serve", lambda f: fmt.money(f.cost_to_serve)),
)


def _customer_section(diff: ValueDiff, change: CustomerChange) -> list[str]:
    year = diff.current_year
    lines = ["", f"### {escape(change.name)} ({change.id}): {change.kind}", ""]
    if change.records:
        for r in change.records[:RECORD_LIMIT]:
            lines.append(f"- record {r.kind}: {r.date} {escape(r.title)}")
        if len(change.records) > RECORD_LIMIT:
            lines.append(f"- … and {len(change.records) - RECORD_LIMIT} more record changes")
    if change.details_changed:
        lines.append("- customer details changed (customer.yaml, notes or attachments)")
    if not change.records and not change.details_changed and change.kind == "changed":
        lines.append("- no file of this customer changed; the company settings or the catalog moved its figures")
    periods: list[tuple[str, int | None]] = [(f"FY{year}", year)] if year else []
    periods.append(("All time", None))
    head = " | ".join(f"{name} {when}" for name, _ in periods for when in ("before", "after"))
    lines += ["", f"| Figure | {head} |", "|---|" + "--:|" * (2 * len(periods))]
    for label, show in FIGURE_ROWS:
        cells = []
        for _, y in periods:
            for side in (change.before, change.after):
                figures = (side.all_time if side else None) if y is None else _year(side, y)
                cells.append(fmt.NONE if figures is None else show(figures))
        lines.append(f"| {label} | " + " | ".join(cells) + " |")
    lines += ["", _customer_flags(change)]
    return lines


def _customer_flags(change: CustomerChange) -> str:
    def pair(show: Any) -> str:
        return f"{show(change.before) if change.before else fmt.NONE} → {show(change.after) if change.after else fmt.NONE}"

    break_even = pair(lambda c: c.break_even.month.label() if c.break_even.month else "none")
    health = pair(lambda c: c.health.level)
    due = pair(lambda c: "yes" if c.presentation_due else "no")
    return f"Break-even: {break_even} · health: {health} · presentation due: {due}"


def _summary_section(diff: ValueDiff, limit: int) -> list[str]:
    shown = diff.customers[:limit]
    lines = [
        "",
        f"### The {limit} largest changes of {len(diff.customers)}",
        "",
        "By the absolute change in all-time benefits.",
        "",
        "| Customer | Change | Records +/~/− | Benefits before | Benefits after | Benefits change | Health |",
        "|---|---|--:|--:|--:|--:|---|",
    ]
    for c in shown:
        records = "/".join(str(c.count(k)) for k in KINDS)
        before = fmt.money(c.before.all_time.benefits) if c.before else fmt.NONE
        after = fmt.money(c.after.all_time.benefits) if c.after else fmt.NONE
        health = f"{c.before.health.level if c.before else fmt.NONE} → {c.after.health.level if c.after else fmt.NONE}"
        lines.append(f"| {escape(c.name)} ({c.id}) | {c.kind} | {records} | {before} | {after} | {_signed(c.benefits_change)} | {health} |")
    rest = diff.customers[limit:]
    counts = ", ".join(f"{sum(1 for c in rest if c.kind == k)} {k}" for k in KINDS)
    records = ", ".join(f"{sum(c.count(k) for c in rest)} {k}" for k in KINDS)
    moved = sum(1 for c in rest if c.before and c.after and c.before.health.level != c.after.health.level)
    lines += ["", f"And {_count(len(rest), 'more customer')} ({counts}); their records: {records}; {moved} of them change health."]
    return lines


def _signed(value: Decimal) -> Markup:
    text = fmt.money(value)
    return Markup("+") + text if value > 0 else text


def _count(n: int, noun: str) -> str:
    return f"{n} {noun}{'' if n == 1 else 's'}"


# ---------------------------------------------------------------- JSON


def to_json(diff: ValueDiff) -> dict[str, Any]:
    """The whole diff as plain data (every customer, every problem), figures as the export writes them."""
    year = diff.current_year
    return {
        "build_date": diff.build_date.isoformat(),
        "currency": diff.currency,
        "current_fiscal_year": year,
        "base": _side_json(diff.base),
        "head": _side_json(diff.head),
        "compared": diff.compared,
        "portfolio": {"before": _portfolio_json(diff.base.model, year), "after": _portfolio_json(diff.head.model, year)},
        "counts": {
            "customers": {k: diff.count(k) for k in KINDS} | {"unchanged": diff.unchanged},
            "records": {k: diff.record_count(k) for k in KINDS},
        },
        "customers": [_customer_json(c, year) for c in diff.customers],
    }


def _side_json(side: Side) -> dict[str, Any]:
    return {
        "revision": side.label,
        "commit": side.commit,
        "present": side.present,
        "ok": side.ok,
        "problems": [{"file": p.file, "line": p.line, "col": p.col, "message": p.message, "hint": p.hint} for p in side.problems],
    }


def _figures_json(f: Figures | None) -> dict[str, Any] | None:
    if f is None:
        return None
    return {
        "benefits": export.money(f.benefits),
        "spend": export.money(f.spend),
        "value_ratio": export.number(f.value_ratio),
        "cost_to_serve": export.money(f.cost_to_serve),
    }


def _portfolio_json(model: Model | None, year: int | None) -> dict[str, Any] | None:
    if model is None:
        return None

    def period(p: Portfolio | None) -> dict[str, Any] | None:
        if p is None:
            return None
        return (_figures_json(p.figures) or {}) | {
            "customers": p.figures.customers,
            "over_serviced": sum(s.over_serviced for s in p.shares.values()),
            "top_20_percent_share": export.number(p.pareto.top_share),
            "top_count": p.pareto.top_count,
            "paying_customers": len(p.pareto.rows),
        }

    levels = Counter(c.health.level for c in model.customers)
    return {
        "current_year": period(_portfolio(model, year)) if year else None,
        "all_time": period(_portfolio(model, None)),
        "health": {level: levels[level] for level in ("red", "amber", "green")},
    }


def _customer_json(c: CustomerChange, year: int | None) -> dict[str, Any]:
    def side(m: CustomerModel | None) -> dict[str, Any] | None:
        if m is None:
            return None
        return {
            "current_year": _figures_json(_year(m, year)),
            "all_time": _figures_json(m.all_time),
            "break_even": m.break_even.month.label() if m.break_even.month else None,
            "health": m.health.level,
            "presentation_due": m.presentation_due,
        }

    return {
        "id": c.id,
        "name": c.name,
        "change": c.kind,
        "details_changed": c.details_changed,
        "benefits_change": export.money(c.benefits_change),
        "records": [{"change": r.kind, "path": r.path, "date": r.date.isoformat(), "title": r.title} for r in c.records],
        "before": side(c.before),
        "after": side(c.after),
    }
