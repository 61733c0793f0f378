"""The hostile corpus (tests/corpus/): cases kept as data, and how to lay one out on disk.

`tests/corpus/base/` is a valid content tree (two customers, every record
type, an attachment, a pack note, a training page). Each case is a folder
`tests/corpus/cases/<name>/` with `case.yaml` and, optionally, `content/`:
files laid over the base tree byte for byte (byte-order marks, CRLF and CR
line endings, odd encodings stay as written: see tests/corpus/.gitattributes).
What git cannot store is made by a recipe in `case.yaml`:

```yaml
about: one line on what the case tries
expect: accepted            # or: refused
problems:                   # refused: each must be among the problems found
  - file: customers/acme/records/x.md   # relative to the content folder
    line: 3
    hint: word              # a word the hint must contain (case-insensitive)
recipe:                     # applied in order after the overlay
  - remove: customers/acme/notes.md
  - write: {path: ..., parts: [["text", 3], ["more", 1]]}   # each text repeated
  - bytes_hex: {path: ..., hex: "efbbbf..."}
  - symlink: {path: ..., target: ...}
  - fifo: customers/acme/records/pipe.md
  - repeat: {count: 400, path: "records/r{n}.md", text: "... {n} ... {day:02d} ..."}   # n from 0, day 1-28
engine: true                # also a real `csvf build` (MkDocs) of the case
```
"""

from __future__ import annotations

import os
import shutil
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

CORPUS = Path(__file__).parent / "corpus"
BASE = CORPUS / "base"
CASES = CORPUS / "cases"
AS_OF = "2026-06-30"
RECIPE_STEPS = {"remove", "write", "bytes_hex", "symlink", "fifo", "repeat"}


@dataclass(frozen=True)
class Expected:
    """One problem a refused case must give: where, and a word of its hint."""

    file: str
    line: int
    hint: str


@dataclass(frozen=True)
class Case:
    name: str
    about: str
    accepted: bool
    problems: list[Expected] = field(default_factory=list)
    recipe: list[dict[str, Any]] = field(default_factory=list)
    engine: bool = False

    @property
    def folder(self) -> Path:
        return CASES / self.name


def load_case(folder: Path) -> Case:
    """A case from its case.yaml; a malformed case.yaml fails loudly (the corpus is ours)."""
    data = yaml.safe_load((folder / "case.yaml").read_text(encoding="utf-8"))
    unknown = set(data) - {"about", "expect", "problems", "recipe", "engine"}
    assert not unknown, f"{folder.name}/case.yaml: unknown keys {unknown}"
    assert data["expect"] in ("accepted", "refused"), folder.name
    problems = [Expected(p["file"], int(p["line"]), str(p["hint"])) for p in data.get("problems") or []]
    accepted = data["expect"] == "accepted"
    assert accepted == (not problems), f"{folder.name}: a refused case names its problems, an accepted one none"
    recipe = data.get("recipe") or []
    for step in recipe:
        assert len(step) == 1 and set(step) <= RECIPE_STEPS, f"{folder.name}: recipe step {step}"
    return Case(folder.name, data["about"], accepted, problems, recipe, bool(data.get("engine")))


def all_cases() -> list[Case]:
    return [load_case(folder) for folder in sorted(CASES.iterdir()) if (folder / "case.yaml").is_file()]


def lay_out(case: Case, content: Path) -> Path:
    """The base tree with the case applied, at `content` (which must not exist yet)."""
    shutil.copytree(BASE, content)
    apply_case(case, content)
    return content


def apply_case(case: Case, content: Path) -> None:
    """The case's overlay and recipe on an existing content tree."""
    overlay = case.folder / "content"
    if overlay.is_dir():
        for source in sorted(overlay.rglob("*")):
            if source.is_file():
                target = content / source.relative_to(overlay)
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_bytes(source.read_bytes())
    for step in case.recipe:
        (kind, spec), *_ = step.items()
        if kind == "remove":
            target = content / spec
            shutil.rmtree(target) if target.is_dir() else target.unlink()
        elif kind == "write":
            _target(content, spec["path"]).write_text("".join(text * count for text, count in spec["parts"]), encoding="utf-8")
        elif kind == "bytes_hex":
            _target(content, spec["path"]).write_bytes(bytes.fromhex(spec["hex"]))
        elif kind == "symlink":
            os.symlink(spec["target"], _target(content, spec["path"]))
        elif kind == "fifo":
            os.mkfifo(_target(content, spec))
        elif kind == "repeat":
            for n in range(spec["count"]):
                fields = {"n": n, "day": n % 28 + 1}
                _target(content, spec["path"].format(**fields)).write_text(spec["text"].format(**fields), encoding="utf-8")


def _target(content: Path, rel: str) -> Path:
    path = content / rel
    path.parent.mkdir(parents=True, exist_ok=True)
    return path
