"""Every page says which content it shows; each value file lists its change history from git."""

from __future__ import annotations

from pathlib import Path

import pytest

from tests.gitrepo import GitRepo
from tests.test_site import AS_OF, csvf, make_project

pytestmark = pytest.mark.site


def test_pages_show_the_content_version_and_the_account_history(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    repo = GitRepo(project)
    for extra in sorted((project / "content" / "customers").iterdir())[2:]:
        for path in sorted(extra.rglob("*"), reverse=True):
            path.unlink() if path.is_file() else path.rmdir()
        extra.rmdir()
    repo.commit("Start the value files", when="2026-01-05T10:00:00+00:00", author="Dana Whitfield")
    first = sorted((project / "content" / "customers").iterdir())[0]
    record = first / "records" / "2026-11-20-call.md"
    record.write_text(
        "---\ntype: meeting\ndate: 2026-11-20\ntitle: Call about <next year's> plan\nkind: call\nstage: before\n---\nWe talked.\n"
    )
    commit = repo.commit("Add the <call> of 20 November", when="2026-11-21T09:00:00+00:00", author="Kim Ng")
    repo.git("tag", "fy2026")
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    page = (project / "site" / "customers" / first.name / "index.html").read_text()
    assert "Change history" in page
    # newest first: the record added by Kim Ng, linked to its entry on the page, title and subject escaped
    newest = page.index("2026-11-21 &middot; Kim Ng added")
    assert newest < page.index("2026-01-05 &middot; Dana Whitfield added")
    assert "Call about &lt;next year&#39;s&gt; plan</a>: Add the &lt;call&gt; of 20 November" in page
    assert commit[:10] in page
    home = (project / "site" / "index.html").read_text()
    assert f"Content version fy2026 (commit {commit[:10]}) · figures as of {AS_OF}" in home


def test_outside_git_the_pages_say_so_and_list_no_history(tmp_path: Path) -> None:
    project = make_project(tmp_path / "project")
    result = csvf("build", "--as-of", AS_OF, cwd=project)
    assert result.returncode == 0, result.stderr
    customer = sorted((project / "content" / "customers").iterdir())[0].name
    assert "Change history" not in (project / "site" / "customers" / customer / "index.html").read_text()
    assert f"Content version not in git · figures as of {AS_OF}" in (project / "site" / "index.html").read_text()
