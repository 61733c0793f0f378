"""The glossary of figures (training/glossary.md) and the labels that link to it."""

from __future__ import annotations

import re

from csvf_build.training.glossary import ENTRIES
from tests.conftest import ContentBuilder, generate_docs

# Every figure value-model.md names, by its export name or, where it has none, its own.
SPEC_FIGURES = (
    "service_value", "cost_avoided", "return", "benefits", "spend", "time_cost", "total_cost", "value_ratio",
    "service_value_rate", "cost_to_serve", "service_hours", "csat", "escalations", "appreciations", "touchpoints",
    "business_changes", "break_even", "gap", "met", "health", "presentation_due", "revenue_share",
    "cost_to_serve_share", "over_serviced", "pareto", "revenue_per_service_hour", "segment_and_tier",
)  # fmt: skip


def test_every_figure_of_the_value_model_has_an_entry_with_a_live_example() -> None:
    explained = {name for entry in ENTRIES for name in entry.figures}
    assert set(SPEC_FIGURES) <= explained, set(SPEC_FIGURES) - explained
    for entry in ENTRIES:
        assert "{{" in entry.example, entry.term
        assert "<" not in entry.short and "&" not in entry.short, entry.term  # a tooltip: plain text only


def test_the_glossary_page_resolves_every_example(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2026: "1000"})
    content.record("acme", "2026-02-01-a.md", "type: service\ndate: 2026-02-01\ntitle: Course\nservice: training\nquantity: 10\n")
    page = generate_docs(content).files["training/glossary.md"].decode()
    for entry in ENTRIES:
        assert f"{{ #{entry.anchor} }}" in page
    assert "{{" not in page.split("\n", 5)[-1]
    # 10 attendee-hours x 90 = 900 of cost avoided, the only one
    assert 'data-figure="cost_avoided" data-of="acme" data-in="2026">900</span>' in page


def test_figure_labels_link_to_their_glossary_entry_with_a_plain_title(content: ContentBuilder) -> None:
    content.customer("acme", revenue={2026: "1000"})
    files = generate_docs(content).files
    value_file = files["customers/acme/index.md"].decode()
    link = re.search(r'<a class="csvf-term" href="../../training/glossary.html#value-ratio" title="([^"]*)">Value ratio</a>', value_file)
    assert link is not None
    assert "<" not in link.group(1)
    portfolio = files["portfolio/index.md"].decode()
    assert 'href="../training/glossary.html#value-ratio"' in portfolio
