"""Every case of the hostile corpus (tests/corpus/) through check, build, diff and present.

Each case declares what it must give: accepted, or refused with the file, the
line and a word of the hint (see tests/corpus_support.py for the format). On
top of what a case declares, every case must:

* answer within `CASE_SECONDS` (a FIFO or a YAML bomb must not hang a build);
* never give a traceback: `csvf check` exits 0 or 1, with every problem's
  file and a hint, terminal output free of escapes, one GitHub annotation per
  problem and no workflow command smuggled onto a line of its own;
* agree between `check` and the build's pipeline (`generate`): the same
  problems, or pages exactly when the check passes;
* give `csvf diff` from the base tree a clean answer (0, or 1 when refused);
* when accepted, make the customer's pack (`csvf present`, HTML) and carry no
  live payload in any page of the docs tree or in the pack.

Cases marked `engine: true` also run a real `csvf build` (MkDocs) and every
built HTML page is scanned as a browser would parse it.
"""

from __future__ import annotations

import functools
import os
import re
import shutil
import signal
from collections.abc import Iterator
from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner

from csvf_build.charts.cache import draw_charts
from csvf_build.check import check
from csvf_build.cli import main
from csvf_build.content.tree import FolderTree
from csvf_build.pipeline import generate
from csvf_build.problems import Problem
from tests.corpus_support import AS_OF, BASE, Case, all_cases, apply_case, lay_out
from tests.gitrepo import GitRepo
from tests.test_script_safety import _Scan, scan
from tests.test_site import csvf, make_project

CASES = all_cases()
CASE_SECONDS = 60  # a case takes well under a second; the margin is for shared CI cores
TODAY = date.fromisoformat(AS_OF)


@pytest.fixture(scope="module")
def chart_cache(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """One chart cache for every case: most cases draw the base tree's charts, once."""
    return tmp_path_factory.mktemp("corpus-charts")


@pytest.fixture(autouse=True)
def bounded_time() -> Iterator[None]:
    """Fail a case that takes longer than CASE_SECONDS instead of hanging the suite."""

    def too_long(_signum: int, _frame: object) -> None:
        raise TimeoutError(f"a corpus case took more than {CASE_SECONDS} s")

    previous = signal.signal(signal.SIGALRM, too_long)
    signal.alarm(CASE_SECONDS)
    yield
    signal.alarm(0)
    signal.signal(signal.SIGALRM, previous)


def test_the_corpus_is_large_and_varied() -> None:
    assert len(CASES) >= 60
    assert sum(c.accepted for c in CASES) >= 20 and sum(not c.accepted for c in CASES) >= 40
    kinds = {next(iter(step)) for case in CASES for step in case.recipe}
    assert {"symlink", "fifo", "write", "remove", "repeat"} <= kinds


def test_the_base_tree_is_valid() -> None:
    content, problems = check(FolderTree(BASE), TODAY)
    assert content is not None and problems == [], [p.as_text() for p in problems]


def relative(problem: Problem, root: Path) -> str:
    assert problem.file.startswith(f"{root}/"), problem
    return problem.file[len(str(root)) + 1 :]


def assert_declared(case: Case, problems: list[Problem], root: Path) -> None:
    """What the case declares, and a file and a hint on every problem."""
    if case.accepted:
        assert problems == [], "\n".join(p.as_text() for p in problems)
        return
    assert problems, f"{case.name}: expected to be refused, but the check passed"
    found = [(relative(p, root), p.line, p.hint.lower()) for p in problems]
    for expected in case.problems:
        assert any(f == expected.file and line == expected.line and expected.hint.lower() in hint for f, line, hint in found), (
            f"{case.name}: no problem at {expected.file}:{expected.line} with {expected.hint!r} in its hint; found {found}"
        )
    for problem in problems:
        assert problem.line >= 0 and problem.message and problem.hint, problem  # line 0: the file or folder as a whole


def assert_clean_terminal(output: str, problems: list[Problem]) -> None:
    """No escape reaches the terminal; CI sees one annotation per problem and no other workflow command."""
    assert "Traceback" not in output
    assert not re.search(r"[\x00-\x08\x0b-\x1f\x7f\x9b]", output), repr(output[:500])
    commands = [line for line in output.splitlines() if line.lstrip().startswith("::") or line.lstrip().startswith("##[")]
    assert len(commands) == len(problems), commands
    assert all(line.startswith("::error file=") for line in commands), commands


def assert_no_live_payload(name: str, text: str) -> None:
    """Markup a user wrote reaches a page or pack only as text: parsed as a browser would, no handler, script or javascript: URL."""
    found = _Scan()
    found.feed(text)
    assert found.handlers == [] and found.javascript_urls == [], (name, found.handlers, found.javascript_urls)
    assert not any("__pwned" in script for script in found.scripts), name
    assert "iframe" not in found.tags and "x" not in found.images, name


def cli(*args: str) -> tuple[int, str]:
    result = CliRunner().invoke(main, list(args), catch_exceptions=True)
    if result.exception is not None and not isinstance(result.exception, SystemExit):
        raise result.exception
    return result.exit_code, result.output


@pytest.mark.parametrize("case", CASES, ids=[c.name for c in CASES])
def test_corpus_case(case: Case, tmp_path: Path, chart_cache: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    root = lay_out(case, tmp_path / "content")
    content, problems = check(FolderTree(root), TODAY)
    assert (content is None) == bool(problems)
    assert_declared(case, problems, root)

    monkeypatch.setenv("GITHUB_ACTIONS", "true")
    code, output = cli("check", "--content", str(root), "--as-of", AS_OF)
    assert code == (0 if case.accepted else 1), output
    assert_clean_terminal(output, problems)
    monkeypatch.delenv("GITHUB_ACTIONS")

    generated, build_problems = generate(FolderTree(root), TODAY, {}, draw=functools.partial(draw_charts, cache_dir=chart_cache))
    assert build_problems == problems  # check and build agree on what is valid
    assert (generated is not None) == case.accepted
    if generated is not None:
        assert "customers/acme/index.md" in generated.files
        for path, data in generated.files.items():  # attachments (files/) are the user's bytes, served as their own type
            if path.endswith((".md", ".html")) and "/files/" not in path:
                assert_no_live_payload(path, data.decode("utf-8"))

    repo = GitRepo(tmp_path / "repo")
    shutil.copytree(BASE, repo.root / "content")
    repo.commit("base")
    apply_case(case, repo.root / "content")
    code, output = cli("diff", "HEAD", "--content", str(repo.root / "content"), "--as-of", AS_OF)
    assert code == (0 if case.accepted else 1), output
    assert "Traceback" not in output
    assert_no_live_payload("diff", output)

    pack = tmp_path / "pack.html"
    code, output = cli("present", "acme", "--format", "html", "--output", str(pack), "--content", str(root), "--as-of", AS_OF)
    assert code == (0 if case.accepted else 1), output
    if case.accepted:
        html = pack.read_text(encoding="utf-8")
        assert "FY2025" in html  # the last complete fiscal year at the build date
        assert_no_live_payload("pack", html)


ENGINE_CASES = [c for c in CASES if c.engine]


@pytest.mark.site
@pytest.mark.parametrize("case", ENGINE_CASES, ids=[c.name for c in ENGINE_CASES])
def test_corpus_case_through_the_engine(case: Case, tmp_path: Path) -> None:
    """A real MkDocs build of the case: every HTML page as a browser parses it holds no handler, script or javascript: URL."""
    project = make_project(tmp_path / "project")
    shutil.rmtree(project / "content")
    lay_out(case, project / "content")
    result = csvf("build", "--as-of", AS_OF, cwd=project, env={"GITHUB_ACTIONS": ""})
    assert result.returncode == (0 if case.accepted else 1), result.stdout + result.stderr
    pages = sorted((project / "site").rglob("*.html"))
    assert len(pages) > 5
    for page in pages:
        found = scan(page)
        where = page.relative_to(project / "site")
        assert found.handlers == [] and found.javascript_urls == [], where
        assert not any("__pwned" in script for script in found.scripts), where
    assert os.path.isfile(project / "site" / "customers" / "acme" / "index.html")
