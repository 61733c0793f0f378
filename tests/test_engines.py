"""`csvf build --engine`: MkDocs, ProperDocs and Zensical render the same docs tree.

Material for MkDocs is in maintenance mode; ProperDocs (a fork of MkDocs 1.6)
and Zensical read the same `mkdocs.yml`. Each builds into the staging folder
and is published the same way, and each gives the same bytes twice.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import pytest
from click.testing import CliRunner

from csvf_build import site
from csvf_build.cli import main
from tests.test_site import AS_OF, csvf, make_project, site_files


@pytest.fixture(scope="module")
def project(tmp_path_factory: pytest.TempPathFactory) -> Path:
    return make_project(tmp_path_factory.mktemp("engines"))


def build_with(project: Path, engine: str, site_dir: str) -> Path:
    """Build the example content with `engine` into `site_dir`, once per module."""
    pytest.importorskip(site.ENGINES[engine].module)
    built = project / site_dir
    if not built.exists():
        result = csvf("build", "--as-of", AS_OF, "--engine", engine, "--site-dir", site_dir, cwd=project)
        assert result.returncode == 0, result.stdout + result.stderr
    return built


@pytest.mark.site
@pytest.mark.parametrize("engine", list(site.ENGINES))
def test_every_engine_builds_every_customer_page(project: Path, engine: str) -> None:
    built = build_with(project, engine, f"site-{engine}")
    customers = sorted(p.name for p in (project / "content" / "customers").iterdir())
    for cid in customers:
        assert "Figures by fiscal year" in (built / "customers" / cid / "index.html").read_text(), (engine, cid)
    assert (built / "index.html").is_file() and (built / "exports" / "value-files.json").is_file()
    assert not [p.name for p in project.iterdir() if p.name.startswith(f".site-{engine}-")], "no staging folder is left"
    assert not (project / "content" / ".cache").exists() and not (built / ".cache").exists()


@pytest.mark.site
@pytest.mark.parametrize("engine", ["properdocs", "zensical"])  # MkDocs: test_site.py
def test_every_engine_gives_the_same_bytes_twice(project: Path, engine: str) -> None:
    first = site_files(build_with(project, engine, f"site-{engine}"))
    second = site_files(build_with(project, engine, f"again-{engine}"))
    assert first.keys() == second.keys()
    assert [name for name in first if first[name] != second[name]] == []


def refused(tmp_path: Path, *args: str) -> str:
    """Build in a copy of the config with `args`; the usage error's text (exit 2)."""
    (tmp_path / "content").mkdir()
    result = CliRunner().invoke(main, ["build", "--content", str(tmp_path / "content"), *args], catch_exceptions=False)
    assert result.exit_code == 2, result.output
    return " ".join(result.output.split())


def test_zensical_builds_only_inside_the_configs_folder(tmp_path: Path) -> None:
    pytest.importorskip("zensical")
    config = make_config(tmp_path / "project")
    text = refused(tmp_path, "--engine", "zensical", "--config", str(config), "--site-dir", str(tmp_path / "outside"))
    assert "zensical builds only inside the config's folder" in text


def test_an_engine_that_is_not_installed_is_a_usage_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = make_config(tmp_path / "project")
    found = importlib.util.find_spec
    monkeypatch.setattr(importlib.util, "find_spec", lambda name, *a: None if name == "properdocs" else found(name, *a))
    text = refused(tmp_path, "--engine", "properdocs", "--config", str(config), "--site-dir", str(tmp_path / "project" / "site"))
    assert "the properdocs engine is not installed here (pip install properdocs)" in text


def test_a_config_that_ignores_the_docs_tree_is_a_usage_error(tmp_path: Path) -> None:
    config = make_config(tmp_path / "project")
    text = config.read_text()
    assert "!ENV [CSVF_DOCS_DIR, docs]" in text
    config.write_text(text.replace("!ENV [CSVF_DOCS_DIR, docs]", "build/docs"))
    text = refused(tmp_path, "--config", str(config), "--site-dir", str(tmp_path / "project" / "site"))
    assert "must read its docs tree from CSVF_DOCS_DIR" in text


def make_config(folder: Path) -> Path:
    folder.mkdir(parents=True)
    config = folder / "mkdocs.yml"
    config.write_text((Path(__file__).resolve().parent.parent / "mkdocs.yml").read_text())
    return config
