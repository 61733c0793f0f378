"""The real thing: `csvf build` runs MkDocs on the example content.

Builds run in a copy of the project in tmp_path, through the installed CLI,
exactly as `make site` does.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
AS_OF = "2026-11-23"

pytestmark = pytest.mark.site


def csvf(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "csvf_build.cli", *args],
        cwd=cwd,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        check=False,
    )


def make_project(root: Path) -> Path:
    """A copy of the project's site inputs: config, theme, handbook, example content."""
    root.mkdir(parents=True, exist_ok=True)
    shutil.copy(REPO / "mkdocs.yml", root / "mkdocs.yml")
    for folder in ("theme", "docs", "content"):
        shutil.copytree(REPO / folder, root / folder)
    return root


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example site, built once for this module."""
    project = make_project(tmp_path_factory.mktemp("project"))
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stdout + result.stderr
    return project


def site_files(site: Path) -> dict[str, bytes]:
    return {p.relative_to(site).as_posix(): p.read_bytes() for p in sorted(site.rglob("*")) if p.is_file()}


def test_build_reports_what_it_built(built: Path) -> None:
    result = csvf("check", "--as-of", AS_OF, cwd=built)
    assert result.returncode == 0
    assert "customers" in result.stdout and "records" in result.stdout and "fiscal years" in result.stdout


def test_every_page_kind_is_rendered(built: Path) -> None:
    site = built / "site"
    customers = sorted(p.name for p in (built / "content" / "customers").iterdir())
    for page in ["index.html", "customers/index.html", "catalog.html", "training/index.html", "handbook/value-model.html"]:
        assert (site / page).is_file(), page
    for cid in customers:
        html = (site / "customers" / cid / "index.html").read_text()
        assert "Figures by fiscal year" in html and "Timeline" in html and "Start here" in html and "Charts" in html


def test_export_is_published_with_every_customer(built: Path) -> None:
    data = json.loads((built / "site" / "exports" / "value-files.json").read_text())
    ids = sorted(p.name for p in (built / "content" / "customers").iterdir())
    assert [c["id"] for c in data["customers"]] == ids
    assert data["build_date"] == AS_OF
    csv_text = (built / "site" / "exports" / "value-files.csv").read_text()
    assert csv_text.splitlines()[0].startswith("id,fiscal_year,cost_avoided,return,benefits,spend,")


def test_site_makes_no_outside_requests(built: Path) -> None:
    """No fonts, scripts or images from any other host, in any generated page."""
    for path in (built / "site").rglob("*.html"):
        html = path.read_text()
        assert "fonts.googleapis" not in html and "fonts.gstatic" not in html, path
        for marker in ('src="http', "src='http", 'href="https://fonts', "@import url(http"):
            assert marker not in html, (path, marker)


def test_attachments_are_carried(built: Path) -> None:
    attachments = sorted((built / "content" / "customers").glob("*/files/*"))
    assert attachments, "the example content should show an attachment"
    for source in attachments:
        rel = source.relative_to(built / "content")
        assert (built / "site" / rel).read_bytes() == source.read_bytes()


def test_same_content_and_date_give_the_same_bytes(built: Path, tmp_path: Path) -> None:
    again = make_project(tmp_path / "again")
    result = csvf("build", "--as-of", AS_OF, "--site-dir", "other-site", cwd=again)
    assert result.returncode == 0, result.stderr
    assert result.stdout.splitlines()[-1] == "Open other-site/index.html, or preview with `csvf serve` at http://127.0.0.1:8000/"
    first, second = site_files(built / "site"), site_files(again / "other-site")
    assert first.keys() == second.keys()
    different = [name for name in first if first[name] != second[name]]
    assert different == []


def test_source_date_epoch_sets_the_build_date(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    epoch = "1795392000"  # 2026-11-23T00:00:00Z
    result = csvf("build", cwd=project, env={"SOURCE_DATE_EPOCH": epoch})
    assert result.returncode == 0, result.stderr
    assert json.loads((project / "site/exports/value-files.json").read_text())["build_date"] == "2026-11-23"


def test_a_failing_check_publishes_nothing(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert csvf("build", "--as-of", AS_OF, cwd=project).returncode == 0
    before = site_files(project / "site")
    record = next((project / "content" / "customers").glob("*/records/*.md"))
    record.write_text(record.read_text().replace("type:", "typo:", 1))
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 1
    assert "nothing was built or published" in result.stderr
    assert site_files(project / "site") == before


def test_a_failing_site_build_leaves_the_old_site(tmp_path: Path) -> None:
    project = make_project(tmp_path / "p")
    assert csvf("build", "--as-of", AS_OF, cwd=project).returncode == 0
    before = site_files(project / "site")
    config = project / "mkdocs.yml"
    config.write_text(config.read_text().replace("Home: index.md", "Home: no-such-page.md"))
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 1
    assert site_files(project / "site") == before
    assert not [p for p in project.iterdir() if p.name.startswith(".site-")], "staging folders must be cleaned up"


def docs_tree(project: Path) -> Path:
    """The one docs tree the project's builds so far have generated."""
    (tree,) = [p for p in (project / "build").iterdir() if p.is_dir()]
    return tree


def test_zensical_builds_the_same_docs_tree(built: Path, tmp_path: Path) -> None:
    """Life after Material: the generated tree needs no MkDocs plugin."""
    pytest.importorskip("zensical")
    project = tmp_path / "z"
    project.mkdir()
    shutil.copy(built / "mkdocs.yml", project / "mkdocs.yml")
    shutil.copytree(built / "theme", project / "theme")
    shutil.copytree(docs_tree(built), project / "generated")
    result = subprocess.run(
        [sys.executable, "-m", "zensical", "build", "--config-file", "mkdocs.yml", "--strict"],
        cwd=project,
        capture_output=True,
        text=True,
        check=False,
        env={**os.environ, "CSVF_SITE_NAME": "Z", "CSVF_DOCS_DIR": "generated", "CSVF_SITE_DIR": "site"},
    )
    assert result.returncode == 0, result.stdout + result.stderr
    cid = sorted(p.name for p in (built / "content" / "customers").iterdir())[0]
    assert "Figures by fiscal year" in (project / "site" / "customers" / cid / "index.html").read_text()


def test_site_name_colours_and_logo_come_from_company_yaml(built: Path) -> None:
    from datetime import date

    from csvf_build.content.tree import FolderTree
    from csvf_build.pipeline import check_and_compute

    checked, problems = check_and_compute(FolderTree(built / "content"), date.fromisoformat(AS_OF))
    assert checked is not None, problems
    company = checked.content.company
    html = (built / "site" / "index.html").read_text()
    assert f"<title>{company.site_title}</title>" in html or f"- {company.site_title}</title>" in html
    if company.site and company.site.primary:
        assert f'data-md-color-primary="{company.site.primary}"' in html
    logo = (built / "site" / "assets" / "logo.svg").read_text()
    assert "".join(word[0] for word in company.name.split() if word[0].isupper())[:3] in logo


def test_a_new_company_with_no_customers_yet_builds(tmp_path: Path) -> None:
    project = make_project(tmp_path / "new")
    shutil.rmtree(project / "content" / "customers")
    shutil.rmtree(project / "content" / "training")
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    assert "0 customers, 0 records" in " ".join(result.stdout.split())
    assert json.loads((project / "site/exports/value-files.json").read_text())["customers"] == []
    assert (project / "site/exports/value-files.csv").read_text().count("\n") == 1  # the header only


def test_a_build_run_from_another_folder_renders_its_own_content(tmp_path: Path) -> None:
    """The docs tree lives beside the config, not in the current folder: no stale pages from elsewhere."""
    project = make_project(tmp_path / "p")
    ghost = project / "build" / "docs" / "customers" / "ghost-customer" / "index.md"
    ghost.parent.mkdir(parents=True)
    ghost.write_text("# A page left by an older build\n")
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    args = ["--config", "../p/mkdocs.yml", "--content", "../p/content", "--site-dir", "../p/site"]
    result = csvf("build", "--as-of", AS_OF, *args, cwd=elsewhere)
    assert result.returncode == 0, result.stdout + result.stderr
    customers = sorted(p.name for p in (project / "content" / "customers").iterdir())
    assert sorted(p.name for p in (project / "site" / "customers").iterdir() if p.is_dir()) == customers
    assert (project / "site" / "handbook" / "value-model.html").is_file()
    assert not (elsewhere / "build").exists()
