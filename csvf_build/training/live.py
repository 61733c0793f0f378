"""Live figures: check references against the content, resolve them against the model.

Two outputs, one lookup (`figures.py`) and one escaping path per output:

- training pages are user Markdown. `render_tree` renders each Markdown chunk
  with a placeholder (`CSVFLIVE<n>X`, letters and digits, so Markdown leaves
  it alone) where each reference stood; nh3 sanitises; `resolve_html` then
  replaces each placeholder with the value, escaped as HTML text. A customer
  name is never parsed as Markdown or HTML.
- handbook pages are the project's own Markdown, handed to the engine:
  `resolve_markdown` writes each value as inert Markdown (`render.text.escape`).

The check runs before any model exists, so `reference_issues` validates names
against what the content declares (customer ids, expectation ids, segments,
tiers, the fiscal years the content spans); resolving happens at render.
"""

from __future__ import annotations

import difflib
import posixpath
from dataclasses import dataclass

from markupsafe import Markup, escape

from csvf_build.model.compute import Model
from csvf_build.render.text import escape as markdown_escape
from csvf_build.training import figures as F  # noqa: N812 (F.CUSTOMER reads as the kind it is)
from csvf_build.training.rules import RULES, pick
from csvf_build.training.syntax import Example, Issue, LiveDoc, Node, Question, Ref, Text, walk
from csvf_build.training.tree import TOKEN, HtmlExample, HtmlNode, HtmlText, RenderedTree

UNKNOWN = "[?]"


# -- check


@dataclass(frozen=True)
class Names:
    """What references may name, as the content declares it."""

    customers: dict[str, frozenset[str] | None]  # id -> its expectation ids (None: its customer.yaml did not load)
    segments: tuple[str, ...] = ()
    tiers: tuple[str, ...] = ()
    years: tuple[int, int] | None = None  # the first and last fiscal year the content spans


ALLOWED_BY_RULE = {
    F.CUSTOMER: {F.CUSTOMER, F.CUSTOMER_PERIOD},
    F.EXPECTATION: {F.EXPECTATION, F.CUSTOMER, F.CUSTOMER_PERIOD},
    F.RECORD: {F.RECORD, F.CUSTOMER, F.CUSTOMER_PERIOD},
}
KIND_WORDS = {
    F.CUSTOMER: "a customer",
    F.CUSTOMER_PERIOD: "a customer in a period",
    F.GROUP: "the portfolio, a segment or a tier",
    F.PORTFOLIO: "the portfolio",
    F.EXPECTATION: "an expectation (customer-id/expectation-id, or an expectation rule)",
    F.RECORD: "a service record (picked by the largest-rated-service rule)",
    F.SETTING: "the company (no 'of')",
    F.PERIOD: "a period (no 'of')",
}


def _close(word: str, names: list[str], what: str) -> str:
    near = difflib.get_close_matches(word, names, n=3)
    listing = ", ".join(names) if len(names) <= 40 else ", ".join(near) + ", ... (see the handbook's live figures page)"
    return (f"did you mean {' or '.join(near)}? " if near else "") + f"{what}: {listing}"


def _subject_kinds(ref: Ref, scope: Example | None, names: Names) -> tuple[set[str], Issue | None]:
    """The kinds of subject the reference asks about, or an issue if its subject is unknown."""
    subject = ref.subject
    if subject is None:
        if scope is None or scope.rule not in RULES:
            return {F.SETTING, F.PERIOD}, None
        return ALLOWED_BY_RULE[RULES[scope.rule].kind] | {F.SETTING, F.PERIOD}, None
    if subject == "portfolio":
        return {F.GROUP, F.PORTFOLIO}, None
    kind, _, name = subject.partition(":")
    if name and kind in ("segment", "tier"):
        known = names.segments if kind == "segment" else names.tiers
        if known and name not in known:
            return set(), Issue(ref.line, ref.col, f"unknown {kind} '{name}'", f"{kind}s in company.yaml: {', '.join(known)}")
        return {F.GROUP}, None
    cid, _, expectation = subject.partition("/")
    if cid not in names.customers:
        return set(), Issue(ref.line, ref.col, f"unknown customer '{cid}'", _close(cid, sorted(names.customers), "customer ids"))
    if expectation and (declared := names.customers[cid]) is not None:
        known_expectations = sorted(declared)
        if expectation not in known_expectations:
            return set(), Issue(
                ref.line,
                ref.col,
                f"customer '{cid}' has no expectation '{expectation}'",
                _close(expectation, known_expectations, "its expectations") if known_expectations else "it has no expectations",
            )
    if expectation:
        return {F.EXPECTATION, F.CUSTOMER, F.CUSTOMER_PERIOD}, None
    return {F.CUSTOMER, F.CUSTOMER_PERIOD}, None


def _period_issue(period: str | None, line: int, col: int, names: Names) -> Issue | None:
    if period is None or not period.startswith("FY") or names.years is None:
        return None
    first, last = names.years
    if first <= int(period[2:]) <= last:
        return None
    return Issue(
        line, col, f"unknown period '{period}'", f"the content spans FY{first} to FY{last}; or write this-year, last-year or all-time"
    )


def _ref_issues(ref: Ref, scope: Example | None, names: Names) -> list[Issue]:
    kinds = F.kinds_of(ref.what)
    if not kinds:
        return [Issue(ref.line, ref.col, f"unknown figure '{ref.what}'", _close(ref.what, F.all_names(), "figures"))]
    allowed, problem = _subject_kinds(ref, scope, names)
    if problem is not None:
        return [problem]
    issues = []
    if not kinds & allowed:
        if ref.subject is None:
            message = f"whose {ref.what}? this figure needs a subject here"
            hint = f"write {{{{ {ref.what} of CUSTOMER-ID }}}}, of portfolio, or put it inside a ::: example block"
        else:
            message = f"'{ref.what}' is not a figure of {KIND_WORDS[next(iter(sorted(allowed)))]}"
            hint = "it is a figure of " + " or ".join(KIND_WORDS[k] for k in sorted(kinds))
        issues.append(Issue(ref.line, ref.col, message, hint))
    period_issue = _period_issue(ref.period, ref.line, ref.col, names)
    return issues + ([period_issue] if period_issue else [])


def reference_issues(doc: LiveDoc, names: Names) -> list[Issue]:
    """Every unknown rule, customer, expectation, segment, tier, figure or period of the page."""
    issues: list[Issue] = []
    for node, scope in walk(doc.nodes):
        if isinstance(node, Example):
            if node.rule not in RULES and node.rule != "?":
                issues.append(Issue(node.line, node.col, f"unknown rule '{node.rule}'", _close(node.rule, sorted(RULES), "rules")))
            if node.among and node.among != "top-segment":
                kind, _, name = node.among.partition(":")
                known = names.segments if kind == "segment" else names.tiers
                if known and name not in known:
                    issues.append(Issue(node.line, node.col, f"unknown {kind} '{name}'", f"{kind}s in company.yaml: {', '.join(known)}"))
            if (period_issue := _period_issue(node.period, node.line, node.col, names)) is not None:
                issues.append(period_issue)
            continue
        parts = node.parts if isinstance(node, Text | Question) else ()
        for part in parts:
            if isinstance(part, Ref):
                issues += _ref_issues(part, scope, names)
    return issues


# -- resolve


@dataclass(frozen=True)
class Scope:
    subject: F.Subject | None
    year: int | None


def top_scope(model: Model) -> Scope:
    return Scope(None, model.current_year)


def value_of(model: Model, ref: Ref, scope: Scope) -> tuple[F.Value, dict[str, str]]:
    """The value a reference names, and what it is of (for the page's `data-` attributes)."""
    year = F.period_key(model, ref.period) if ref.period else scope.year
    period = "all" if year is None else str(year)
    kinds = F.kinds_of(ref.what)
    if ref.subject is None and F.SETTING in kinds:
        return F.setting(model, ref.what), {}
    if ref.subject is None and F.PERIOD in kinds:
        return F.period_value(model, ref.what, year), {}
    subject = _explicit(model, ref.subject) if ref.subject else scope.subject
    if subject is None:
        return F.Value(UNKNOWN), {}
    if subject.kind == F.GROUP and subject.group:
        return F.group_value(model, subject.group, ref.what, year), {"of": subject.group, "in": period}
    c = subject.customer
    assert c is not None
    if ref.what in F.EXPECTATION_FIGURES and subject.expectation is not None:
        return F.expectation_value(subject.expectation, ref.what), {}
    if ref.what in F.RECORD_FIGURES and subject.record is not None:
        return F.record_value(model, c, subject.record, ref.what), {}
    if ref.what in F.CUSTOMER_FIGURES:
        return F.customer_value(model, c, ref.what), {}
    if ref.what in F.PERIOD_FIGURES or ref.what in F.SHARE_FIGURES:
        return F.customer_period(model, c, ref.what, year), {"of": c.id, "in": period}
    return F.Value(UNKNOWN), {}


def _explicit(model: Model, subject: str) -> F.Subject | None:
    if subject == "portfolio" or subject.startswith(("segment:", "tier:")):
        return F.Subject(F.GROUP, group=subject)
    cid, _, expectation = subject.partition("/")
    c = next((c for c in model.customers if c.id == cid), None)
    if c is None:
        return None
    status = next((e for e in c.expectations if e.expectation.id == expectation), None) if expectation else None
    return F.Subject(F.EXPECTATION if status else F.CUSTOMER, customer=c, expectation=status)


def _example_scope(model: Model, example: Example, outer: Scope) -> Scope | None:
    """The scope an example's body reads in: its rule's subject and its period; None when nothing fits."""
    if example.rule not in RULES:
        return None
    year = F.period_key(model, example.period) if example.period else outer.year
    subject = pick(model, example.rule, example.among, year)
    return None if subject is None else Scope(subject, year)


def _relative(path: str, page_dir: str) -> str:
    return posixpath.relpath(path, page_dir)


def value_html(model: Model, ref: Ref, scope: Scope, page_dir: str) -> Markup:
    """A reference as HTML: escaped text, a link, or a figure marked with what it is of."""
    value, of = value_of(model, ref, scope)
    text = escape(value.text) if value.user else Markup(value.text)
    if value.href:
        href = _relative(value.href.removesuffix(".md") + ".html", page_dir)
        return Markup('<a href="{}">{}</a>').format(href, text)
    if of:
        return Markup('<span class="csvf-live" data-figure="{}" data-of="{}" data-in="{}">{}</span>').format(
            ref.what, of["of"], of["in"], text
        )
    return text


def resolve_html(model: Model, tree: RenderedTree, page_dir: str = "training") -> Markup:
    """The page's HTML with every example's subject picked (or its fallback) and every figure filled in."""

    def text(html: str, scope: Scope) -> str:
        return TOKEN.sub(lambda m: str(value_html(model, tree.refs[int(m.group(1))], scope, page_dir)), html)

    def nodes(items: tuple[HtmlNode, ...], scope: Scope) -> str:
        out = []
        for node in items:
            if isinstance(node, HtmlText):
                out.append(text(node.html, scope))
            elif isinstance(node, HtmlExample):
                inner = _example_scope(model, node.example, scope)
                if inner is not None:
                    out.append(f'<div class="csvf-example">{nodes(node.body, inner)}</div>')
                elif node.fallback:
                    out.append(f'<div class="csvf-example csvf-example--fallback">{nodes(node.fallback, scope)}</div>')
            else:
                summary = "".join(str(escape(p)) if isinstance(p, str) else str(value_html(model, p, scope, page_dir)) for p in node.parts)
                out.append(f'<details class="csvf-check"><summary>{summary}</summary>{nodes(node.answer, scope)}</details>')
        return "".join(out)

    return Markup(nodes(tree.nodes, top_scope(model)))


def value_markdown(model: Model, ref: Ref, scope: Scope, page_dir: str) -> str:
    """A reference as inert Markdown: user text escaped, a link to the docs page, a figure in a span."""
    value, of = value_of(model, ref, scope)
    text = str(markdown_escape(value.text)) if value.user else value.text
    if value.href:
        return f"[{text}]({_relative(value.href, page_dir)})"
    if of:
        return f'<span class="csvf-live" data-figure="{ref.what}" data-of="{of["of"]}" data-in="{of["in"]}">{text}</span>'
    return text


def resolve_markdown(model: Model, doc: LiveDoc, page_dir: str = "handbook") -> str:
    """A handbook page's Markdown with examples chosen and figures filled in, for the engine."""

    def nodes(items: tuple[Node, ...], scope: Scope) -> str:
        out = []
        for node in items:
            if isinstance(node, Text):
                out.append("".join(p if isinstance(p, str) else value_markdown(model, p, scope, page_dir) for p in node.parts))
            elif isinstance(node, Example):
                inner = _example_scope(model, node, scope)
                out.append(nodes(node.body, inner) if inner is not None else nodes(node.fallback, scope))
            else:
                summary = "".join(p if isinstance(p, str) else value_markdown(model, p, scope, page_dir) for p in node.parts)
                answer = nodes(node.answer, scope)
                out.append(
                    f'??? question "{summary.replace(chr(34), "&quot;")}"\n' + "\n".join("    " + line for line in answer.split("\n"))
                )
        return "\n\n".join(part.strip("\n") for part in out if part.strip())

    return nodes(doc.nodes, top_scope(model)) + "\n"
