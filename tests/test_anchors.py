"""Record anchors: unique within a customer, stable, derived from the file name."""

from __future__ import annotations

import pytest

from csvf_build.content.anchors import base_anchor, record_anchors
from csvf_build.content.load import read_content
from csvf_build.content.tree import FolderTree
from tests.conftest import MEETING, ContentBuilder, problem_texts, run_check

R = "customers/acme/records/"


@pytest.mark.parametrize(
    ("name", "anchor"),
    [
        ("2024-02-01-review.md", "r-2024-02-01-review"),
        ("2024-02-01 Review!.md", "r-2024-02-01-review"),
        ("___.md", "r-record"),
        ("Ärger.md", "r-rger"),
    ],
)
def test_the_plain_anchor_is_the_one_pages_used_so_far(name: str, anchor: str) -> None:
    """Without a clash nothing changes: the id the value files have always used."""
    assert base_anchor(R + name) == anchor
    assert record_anchors([R + name]) == {R + name: anchor}


def test_names_differing_in_case_or_punctuation_get_distinct_anchors() -> None:
    paths = [R + "2024-02-01-visit.md", R + "2024-02-01-Visit.md", R + "2024-02-01 visit!.md"]
    anchors = record_anchors(paths)
    assert len(set(anchors.values())) == 3
    assert all(a.startswith("r-2024-02-01-visit") for a in anchors.values())
    # the first in sorted path order keeps the plain anchor
    assert anchors[sorted(paths)[0]] == "r-2024-02-01-visit"


def test_anchors_do_not_depend_on_the_order_paths_come_in() -> None:
    paths = [R + f"{name}.md" for name in ("a", "A", "a!", "a-", "b")]
    assert record_anchors(paths) == record_anchors(list(reversed(paths)))


def test_a_suffixed_anchor_stays_when_other_records_come_and_go() -> None:
    first = record_anchors([R + "Visit.md", R + "visit.md"])
    later = record_anchors([R + "Visit.md", R + "visit.md", R + "visit!.md", R + "other.md"])
    assert first[R + "visit.md"] == later[R + "visit.md"]


def test_a_file_named_like_a_suffixed_anchor_does_not_collide() -> None:
    clash = record_anchors([R + "Visit.md", R + "visit.md"])[R + "visit.md"]  # r-visit-<hash>
    trick = R + clash.removeprefix("r-") + ".md"
    anchors = record_anchors([R + "Visit.md", R + "visit.md", trick])
    assert len(set(anchors.values())) == 3


def test_record_files_carry_unique_anchors_and_the_folder_looks_them_up(content: ContentBuilder) -> None:
    content.customer("acme")
    names = ["2024-02-01-visit.md", "2024-02-01-Visit.md", "2024-02-01_visit.md", "2024-03-01-other.md"]
    for name in names:
        content.record("acme", name, MEETING)
    checked, problems = run_check(content)
    assert not problems, problem_texts(problems)
    folder = checked.customers[0]  # type: ignore[union-attr]
    anchors = {r.path: r.anchor for r in folder.records}
    assert len(set(anchors.values())) == 4
    assert all(folder.anchor_of(path) == anchor for path, anchor in anchors.items())
    assert folder.anchor_of(R + "2024-03-01-other.md") == "r-2024-03-01-other"
    with pytest.raises(KeyError):
        folder.anchor_of(R + "not-a-record.md")


def test_anchors_are_the_same_from_run_to_run(content: ContentBuilder) -> None:
    content.customer("acme")
    for name in ["b.md", "B.md", "a.md", "A!.md"]:
        content.record("acme", name, MEETING)
    runs = [{r.path: r.anchor for r in run_check(content)[0].customers[0].records} for _ in range(3)]  # type: ignore[union-attr]
    assert runs[0] == runs[1] == runs[2]


def test_fixing_a_broken_record_does_not_rename_the_others(content: ContentBuilder) -> None:
    """Anchors come from every record file, valid or not."""
    content.customer("acme")
    content.record("acme", "Visit.md", MEETING + "colour: red\n")  # broken; sorts first, so it keeps the plain anchor
    content.record("acme", "visit.md", MEETING)
    loaded, problems = read_content(FolderTree(content.root))
    assert len(problems) == 1
    [valid] = loaded.customers[0].records
    assert valid.path == R + "visit.md" and valid.anchor != "r-visit"
    content.record("acme", "Visit.md", MEETING)
    checked, problems = run_check(content)
    assert not problems, problem_texts(problems)
    anchors = {r.path: r.anchor for r in checked.customers[0].records}  # type: ignore[union-attr]
    assert anchors == {R + "Visit.md": "r-visit", R + "visit.md": valid.anchor}


def test_the_value_file_gives_colliding_records_distinct_ids(content: ContentBuilder) -> None:
    from csvf_build.render.pages import render_site
    from tests.conftest import build_model

    content.customer()
    for name in ("2024-02-01-visit.md", "2024-02-01-Visit.md", "2024-02-01 visit!.md"):
        content.record("acme", name, MEETING)
    model = build_model(content)
    checked, _ = run_check(content)
    page = render_site(model, checked, {}, {})["customers/acme/index.md"].decode()  # type: ignore[arg-type]
    ids = [part.split('"', 1)[0] for part in page.split('id="r-2024-02-01-visit')[1:]]
    assert len(ids) == 3 and len(set(ids)) == 3
