"""content/training/*.md: hand-written pages, named by their first `# Title` line."""

from __future__ import annotations

from tests.conftest import ContentBuilder, line_of, problem_texts, run_check


def test_training_pages_are_loaded_with_their_titles(content: ContentBuilder) -> None:
    content.write("training/presenting.md", "# Presenting the value file\n\nOpen with the [numbers](logging.md#value).\n")
    content.write("training/logging.md", "# Logging a service\n\n## Value\n\nGive the quantity.\n")
    checked, problems = run_check(content)
    assert problems == [], problem_texts(problems)
    pages = {page.slug: page for page in checked.training}  # type: ignore[union-attr]
    assert pages["presenting"].title == "Presenting the value file"
    assert 'href="logging.html#value"' in pages["presenting"].body.html
    assert "<h2>Value</h2>" in pages["logging"].body.html


def test_a_training_page_needs_a_title_line(content: ContentBuilder) -> None:
    content.write("training/untitled.md", "Some advice without a title.\n")
    _, problems = run_check(content)
    assert len(problems) == 1
    assert problems[0].file.endswith("training/untitled.md") and problems[0].line == 1
    assert "starts with a `# Title` line" in problems[0].message


def test_links_must_reach_another_training_page(content: ContentBuilder) -> None:
    path = content.write("training/a.md", "# A\n\nSee [b](b.md), [missing](nope.md) and [a customer](../customers/acme/files/x.pdf).\n")
    content.write("training/b.md", "# B\n")
    _, problems = run_check(content)
    texts = problem_texts(problems)
    assert "link 'nope.md' is not a training page" in texts
    assert "link '../customers/acme/files/x.pdf' is not a training page" in texts
    assert "'b.md'" not in texts
    assert {p.line for p in problems} == {line_of(path, "nope.md")}
    assert "existing pages: a.md, b.md" in texts


def test_a_page_may_link_the_shipped_pages_and_the_glossary(content: ContentBuilder) -> None:
    content.write("training/ours.md", "# Ours\n\nRead [break-even](break-even.md) and the [glossary](glossary.md#value-ratio).\n")
    _, problems = run_check(content)
    assert problems == [], problem_texts(problems)


def test_the_glossary_name_is_reserved(content: ContentBuilder) -> None:
    content.write("training/glossary.md", "# Our glossary\n")
    _, problems = run_check(content)
    assert [p.message for p in problems] == ["training/glossary.md is reserved"]
    assert "glossary" in problems[0].hint
