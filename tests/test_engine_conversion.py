"""The engine adapter's cheap conversion gives exactly MkDocs' own: HTML, table of contents, title and anchors.

`csvf_build/enginehook.py` converts a generated page with its one-line HTML
blocks set aside (Python's HTML parser need not read them twice). Every page
of the example's docs tree, the handbook's included, is converted both ways
with MkDocs' real `Page.render` and this project's mkdocs.yml.
"""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

import pytest
from mkdocs.config import load_config
from mkdocs.structure.files import get_files
from mkdocs.structure.pages import Page

from csvf_build import enginehook
from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import generate
from csvf_build.site import read_handbook

REPO = Path(__file__).resolve().parent.parent


def unpatched_render() -> Any:
    """MkDocs' own `Page.render`, even if an engine run in this process installed the adapter."""
    return getattr(enginehook, "original_render", None) or Page.render


@pytest.fixture(scope="module")
def docs_tree(tmp_path_factory: pytest.TempPathFactory) -> Path:
    generated, problems = generate(FolderTree(REPO / "content"), date(2026, 11, 23), read_handbook(REPO / "docs"))
    assert generated is not None, problems
    root = tmp_path_factory.mktemp("docs")
    for path, data in generated.files.items():
        (root / path).parent.mkdir(parents=True, exist_ok=True)
        (root / path).write_bytes(data)
    return root


def converted(page_path: str, config: Any, files: Any, set_aside: bool) -> Page:
    page = Page(None, files.get_file_from_path(page_path), config)
    page.read_source(config)
    if set_aside:
        enginehook.convert(page, config, files, unpatched_render())
    else:
        unpatched_render()(page, config, files)
    return page


def test_every_generated_page_converts_as_mkdocs_converts_it(docs_tree: Path) -> None:
    config = load_config(str(REPO / "mkdocs.yml"), docs_dir=str(docs_tree))
    files = get_files(config)
    pages = [f.src_uri for f in files.documentation_pages()]
    set_aside_pages = [p for p in pages if enginehook.BLOCK_START in (docs_tree / p).read_text(encoding="utf-8")]
    assert len(set_aside_pages) >= 20  # the value files, portfolio and training pages at least
    for path in pages:
        plain, cheap = converted(path, config, files, False), converted(path, config, files, True)
        assert cheap.content == plain.content, path
        assert str(cheap.toc) == str(plain.toc) and cheap.title == plain.title, path
        assert cheap.present_anchor_ids == plain.present_anchor_ids, path
        assert cheap.links_to_anchors == plain.links_to_anchors, path


def test_a_block_that_is_not_a_paragraph_of_its_own_falls_back_to_the_plain_conversion(tmp_path: Path) -> None:
    block = f'{enginehook.BLOCK_START}<p id="x">Hello</p></div>'
    text = f"# Page\n\nSome text\n{block}\n\n- a list\n\n  {block}\n"
    aside = enginehook._set_aside(text)
    assert aside is not None and len(aside.blocks) == 1  # the indented one is not a line of its own
    (tmp_path / "index.md").write_text(text, encoding="utf-8")
    config = load_config(str(REPO / "mkdocs.yml"), docs_dir=str(tmp_path))
    files = get_files(config)
    plain, cheap = converted("index.md", config, files, False), converted("index.md", config, files, True)
    assert cheap.content == plain.content and cheap.present_anchor_ids == plain.present_anchor_ids
