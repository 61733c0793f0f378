"""`csvf present`: options, exit codes (0 ok, 1 content problems, 2 usage), files written, and `pack.md`."""

from __future__ import annotations

from datetime import date
from pathlib import Path

import pytest
from click.testing import CliRunner, Result

from csvf_build.check import check
from csvf_build.cli import main
from csvf_build.content.tree import FolderTree
from csvf_build.present.note import is_pack_note, read_pack_note
from tests.conftest import ContentBuilder
from tests.present_support import RIVAL, pack_content, pdf_pages, pdf_text

AS_OF = "2026-06-30"
PACK_NOTE = """\
Thank you for a year of close work on line 3.

## Next year

- Bring scrap on line 3 below 1%
- Train the new day shift
"""


def run(tmp_path: Path, *args: str) -> Result:
    return CliRunner().invoke(main, ["present", *args, "--content", str(tmp_path / "content"), "--as-of", AS_OF], catch_exceptions=False)


@pytest.fixture
def acme(tmp_path: Path) -> ContentBuilder:
    return pack_content(tmp_path / "content")


def test_one_customer_default_year_and_file_name(tmp_path: Path, acme: ContentBuilder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(tmp_path)
    result = run(tmp_path, "acme")
    assert result.exit_code == 0, result.output
    written = tmp_path / "acme-FY2025.pdf"  # the last complete fiscal year before 2026-06-30
    assert "Wrote acme-FY2025.pdf" in result.output
    assert 4 <= pdf_pages(written.read_bytes()) <= 8
    assert "Fiscal year 2025: 2025-01-01 to 2025-12-31" in pdf_text(written.read_bytes())


def test_year_output_and_html(tmp_path: Path, acme: ContentBuilder) -> None:
    target = tmp_path / "out" / "acme.html"
    result = run(tmp_path, "acme", "--year", "FY2026", "--format", "html", "--output", str(target))
    assert result.exit_code == 0, result.output
    html = target.read_text(encoding="utf-8")
    assert "FY2026 to date" in html  # the year of the build date is still running
    assert "2026-01-01 to 2026-06-30 (the year to date)" in html


def test_output_into_a_folder_and_a_file_is_no_folder_for_all(tmp_path: Path, acme: ContentBuilder) -> None:
    result = run(tmp_path, "acme", "--output", f"{tmp_path}/new/")
    assert result.exit_code == 0, result.output
    assert (tmp_path / "new" / "acme-FY2025.pdf").is_file()
    (tmp_path / "file").write_text("not a folder", encoding="utf-8")
    result = run(tmp_path, "--all", "--output", str(tmp_path / "file"))
    assert result.exit_code == 2
    assert "is a file; with --all, --output names a folder" in " ".join(result.output.split())


def test_pack_note_goes_on_the_cover_and_the_goals_page(tmp_path: Path, acme: ContentBuilder) -> None:
    acme.write("customers/acme/pack.md", PACK_NOTE)
    target = tmp_path / "acme.pdf"
    result = run(tmp_path, "acme", "--output", str(target))
    assert result.exit_code == 0, result.output
    text = pdf_text(target.read_bytes())
    assert "Thank you for a year of close work on line 3." in text
    assert "Goals for FY2026 • Bring scrap on line 3 below 1% • Train the new day shift" in text
    assert "Which results should we measure next year" not in text  # the rep's goals replace the prompts


def test_without_a_pack_note_the_goals_page_asks_the_questions(tmp_path: Path, acme: ContentBuilder) -> None:
    target = tmp_path / "acme.pdf"
    assert run(tmp_path, "acme", "--output", str(target)).exit_code == 0
    assert "Which results should we measure next year, and against what target?" in pdf_text(target.read_bytes())


def test_all_writes_one_pack_per_customer_into_the_folder(tmp_path: Path, acme: ContentBuilder) -> None:
    result = run(tmp_path, "--all", "--output", str(tmp_path / "packs"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "packs").iterdir()) == ["acme-FY2025.pdf", "rival-FY2025.pdf"]
    assert RIVAL in pdf_text((tmp_path / "packs" / "rival-FY2025.pdf").read_bytes())
    assert "2 packs in" in result.output


def test_all_due_makes_only_the_packs_that_are_due(tmp_path: Path, acme: ContentBuilder) -> None:
    # acme is a key account never presented to since 2023-01-01 (more than 365 days): due; rival is growth: never due.
    result = run(tmp_path, "--all", "--due", "--format", "html", "--output", str(tmp_path / "due"))
    assert result.exit_code == 0, result.output
    assert [p.name for p in (tmp_path / "due").iterdir()] == ["acme-FY2025.html"]
    assert "skipped 1 customer whose presentation is not due at 2026-06-30: rival" in " ".join(result.output.split())


def test_all_skips_a_customer_that_did_not_exist_in_the_year(tmp_path: Path, acme: ContentBuilder) -> None:
    acme.customer("newco", name="Newco Ltd.", since="2026-03-01", revenue={2026: "100"})
    result = run(tmp_path, "--all", "--output", str(tmp_path / "packs"))
    assert result.exit_code == 0, result.output
    assert not (tmp_path / "packs" / "newco-FY2025.pdf").exists()
    assert "skipped newco: newco became a customer on 2026-03-01, after FY2025" in " ".join(result.output.split())


@pytest.mark.parametrize(
    ("args", "message"),
    [
        ((), "name one CUSTOMER, or use --all"),
        (("acme", "--all"), "name one CUSTOMER, or use --all"),
        (("acme", "--due"), "--due goes with --all"),
        (("nobody",), "no customer 'nobody'"),
        (("acme", "--year", "last"), "is not a fiscal year"),
        (("acme", "--year", "2021"), "packs can be made for FY2023 to FY2026"),
        (("acme", "--year", "2027"), "after the build date's fiscal year"),
        (("acme", "--format", "docx"), "Invalid value for '--format'"),
    ],
)
def test_usage_errors_exit_2(tmp_path: Path, acme: ContentBuilder, args: tuple[str, ...], message: str) -> None:
    result = run(tmp_path, *args)
    assert result.exit_code == 2, result.output
    assert message in " ".join(result.output.split())


def test_content_problems_exit_1_as_csvf_check_prints_them(tmp_path: Path, acme: ContentBuilder) -> None:
    acme.record("acme", "2025-04-01-bad.md", "type: service\ndate: 2025-04-01\ntitle: Bad\nservice: nosuch\nquantity: 1")
    result = run(tmp_path, "acme")
    assert result.exit_code == 1
    assert "2025-04-01-bad.md" in result.output and "problem found" in result.output


def test_a_pack_note_that_is_not_utf8_is_a_content_problem(tmp_path: Path, acme: ContentBuilder) -> None:
    (acme.root / "customers/acme/pack.md").write_bytes(b"caf\xe9\n")
    result = run(tmp_path, "acme", "--output", str(tmp_path / "a.pdf"))
    assert result.exit_code == 1
    assert "pack.md:1:4: error: file is not UTF-8 text" in result.output  # the checker names the bad byte


def test_the_checker_accepts_a_pack_note_and_present_reads_it(tmp_path: Path, acme: ContentBuilder) -> None:
    acme.write("customers/acme/pack.md", PACK_NOTE)
    tree = FolderTree(acme.root)
    _, problems = check(tree, date.fromisoformat(AS_OF))
    assert problems == []
    assert is_pack_note("customers/acme/pack.md") and not is_pack_note("customers/acme/records/pack.md")
    note, problems = read_pack_note(tree, "acme")
    assert not problems and note is not None
    assert [b.text for b in note.next_year] == ["Bring scrap on line 3 below 1%", "Train the new day shift"]


def test_the_checker_refuses_a_pack_note_that_is_not_utf8(acme: ContentBuilder) -> None:
    (acme.root / "customers/acme/pack.md").write_bytes(b"caf\xe9\n")
    _, problems = check(FolderTree(acme.root), date.fromisoformat(AS_OF))
    assert [(p.file.rsplit("/", 1)[-1], p.line, p.message) for p in problems] == [("pack.md", 1, "file is not UTF-8 text")]
