"""Read a content tree into typed, located content, with every problem found.

Nothing here needs the build date or other files: the rules that do are in
`rules.py`. A file that cannot be read is reported, never skipped silently.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from pathlib import PurePosixPath
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from csvf_build.content.explain import explain_errors
from csvf_build.content.markup import Markup, render_markdown
from csvf_build.content.schema import RECORD_TYPES, AnyRecord, Catalog, Company, Customer
from csvf_build.content.tree import ContentTree
from csvf_build.content.yamlread import YamlDocument, read_yaml
from csvf_build.problems import Problem

MAX_TEXT_BYTES = 1024 * 1024
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
CUSTOMER_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RECORD_HEADING_LEVEL = 4
# Attachments are served from the site's own origin: nothing that a browser
# would run may be one (an HTML page, a script, an SVG carrying script).
ACTIVE_SUFFIXES = (".html", ".htm", ".xhtml", ".xht", ".js", ".mjs", ".md", ".svgz", ".xml")
ACTIVE_SVG = re.compile(rb"<script|<foreignobject|<iframe|<embed|<object|\bon[a-z]+\s*=|javascript:", re.IGNORECASE)

LAYOUT = """the content folder holds only:
  company.yaml, catalog.yaml
  customers/<id>/customer.yaml, customers/<id>/notes.md (optional)
  customers/<id>/records/*.md, customers/<id>/files/ (attachments)
  training/*.md"""

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, eq=False)
class RecordFile:
    """One record: its validated front matter, its body, and where it came from."""

    path: str
    record: AnyRecord
    doc: YamlDocument
    body: Markup

    @property
    def file_name(self) -> str:
        return self.path.rsplit("/", 1)[-1]


@dataclass(frozen=True, eq=False)
class CustomerFolder:
    id: str
    path: str
    customer: Customer
    doc: YamlDocument
    notes: Markup | None
    records: tuple[RecordFile, ...]
    attachments: frozenset[str]


@dataclass(frozen=True, eq=False)
class TrainingPage:
    path: str
    slug: str
    title: str
    body: Markup


@dataclass(frozen=True, eq=False)
class Content:
    """Everything under content/, as the model and pages need it."""

    company: Company
    company_doc: YamlDocument
    catalog: Catalog
    catalog_doc: YamlDocument
    customers: tuple[CustomerFolder, ...]
    training: tuple[TrainingPage, ...]
    display: dict[str, str] = field(default_factory=dict)  # content path -> as messages show it
    root_name: str = "content"  # the content folder's name, for "source" lines on pages

    def source_name(self, path: str) -> str:
        """A content file as pages name it: stable across machines, unlike `display`."""
        return f"{self.root_name}/{path}"


def load_content(tree: ContentTree) -> tuple[Content | None, list[Problem]]:
    """Read and validate every file of `tree`.

    The content holds every file that loaded, so the cross-file rules can still
    run and report their problems in the same run; it is `None` only when
    company.yaml or catalog.yaml failed. Content with problems must not be built.
    """
    loader = _Loader(tree)
    return loader.load(), loader.problems


class _Loader:
    def __init__(self, tree: ContentTree):
        self.tree = tree
        self.problems: list[Problem] = []
        self.too_large: set[str] = set()  # found by the layout check, never read

    def problem(self, path: str, message: str, hint: str = "", line: int = 0, col: int = 0) -> None:
        self.problems.append(Problem(self.tree.display(path), line, col, message, hint))

    def load(self) -> Content | None:
        files = self.tree.files()
        self._check_layout(files)
        company = self._yaml_model("company.yaml", Company, files)
        catalog = self._yaml_model("catalog.yaml", Catalog, files)
        by_customer: dict[str, list[str]] = {}
        for path in files:
            if path.startswith("customers/") and path.count("/") >= 2:
                by_customer.setdefault(path.split("/", 2)[1], []).append(path)
        customers = tuple(self._customer(cid, by_customer.get(cid, [])) for cid in self._customer_ids(by_customer))
        training = tuple(self._training(path) for path in files if _is_training(path))
        if not company or not catalog:
            return None
        return Content(
            company=company[0],
            company_doc=company[1],
            catalog=catalog[0],
            catalog_doc=catalog[1],
            customers=tuple(c for c in customers if c),
            training=tuple(t for t in training if t),
            display={path: self.tree.display(path) for path in files},
            root_name=PurePosixPath(self.tree.label).name or "content",
        )

    # -- layout

    def _check_layout(self, files: list[str]) -> None:
        for path in self.tree.links():
            self.problem(
                path,
                "symbolic links are not allowed in content",
                "copy the file itself into the folder: the site must never publish what a link points to",
            )
        for path in files:
            if not _allowed_path(path):
                self.problem(path, "this file is not part of the content layout", LAYOUT)
        for folder in self.tree.folders():
            parts = folder.split("/")
            if (
                parts[0] not in ("customers", "training")
                or (len(parts) > 3 and parts[2] != "files")
                or (len(parts) == 3 and parts[2] not in ("records", "files"))
            ):
                self.problem(folder, "this folder is not part of the content layout", LAYOUT)
            elif len(parts) >= 2 and parts[0] == "training":
                self.problem(folder, "training/ holds Markdown pages, not folders", LAYOUT)
        for path in files:
            limit = MAX_ATTACHMENT_BYTES if "/files/" in path else MAX_TEXT_BYTES
            if self.tree.size(path) > limit:
                self.too_large.add(path)
                self.problem(
                    path,
                    f"file is larger than {limit // (1024 * 1024)} MiB",
                    "content files are small text; keep large documents elsewhere and link to them",
                )

    def _customer_ids(self, by_customer: dict[str, list[str]]) -> list[str]:
        ids = sorted({f.split("/")[1] for f in self.tree.folders() if f.startswith("customers/")})
        valid = []
        for cid in ids:
            if not (CUSTOMER_ID.match(cid) and 2 <= len(cid) <= 64):
                self.problem(
                    f"customers/{cid}",
                    f"'{cid}' is not a valid customer id",
                    "a customer folder name is 2-64 lowercase letters and digits joined by single hyphens, like acme-foods",
                )
            elif f"customers/{cid}/customer.yaml" not in by_customer.get(cid, []):
                self.problem(
                    f"customers/{cid}",
                    "customer folder has no customer.yaml",
                    "add customers/"
                    + cid
                    + "/customer.yaml with the customer's name, segment, tier, since, account_manager, revenue and contacts",
                )
            else:
                valid.append(cid)
        return valid

    # -- files

    def _text(self, path: str) -> str | None:
        if path in self.too_large:
            return None  # already reported by the layout check
        try:
            text = self.tree.read(path).decode("utf-8")
        except UnicodeDecodeError as error:
            data = error.object[: error.start]
            line = data.count(b"\n") + 1
            col = error.start - (data.rfind(b"\n") + 1) + 1
            self.problem(path, "file is not UTF-8 text", "save the file as UTF-8 (in most editors: File > Save with encoding)", line, col)
            return None
        return text.removeprefix("\ufeff").replace("\r\n", "\n")

    def _validate(self, path: str, model: type[M], doc: YamlDocument) -> M | None:
        if not isinstance(doc.data, dict):
            self.problem(path, "expected `key: value` lines at the top of this YAML", "see the examples in the handbook", 1, 1)
            return None
        try:
            return model.model_validate(doc.data)
        except ValidationError as error:
            self.problems.extend(explain_errors(error.errors(), model, doc, self.tree.display(path)))
            return None

    def _yaml_model(self, path: str, model: type[M], files: list[str]) -> tuple[M, YamlDocument] | None:
        if path not in files:
            self.problem(path, f"{path} is missing", LAYOUT)
            return None
        text = self._text(path)
        if text is None:
            return None
        doc, problems = read_yaml(text, self.tree.display(path))
        self.problems.extend(problems)
        if doc is None:
            return None
        value = self._validate(path, model, doc)
        return (value, doc) if value is not None else None

    def _customer(self, cid: str, files: list[str]) -> CustomerFolder | None:
        """One customer folder; `files` are the paths under it."""
        base = f"customers/{cid}/"
        loaded = self._yaml_model(base + "customer.yaml", Customer, files)
        notes = None
        if base + "notes.md" in files and (text := self._text(base + "notes.md")) is not None:
            notes = render_markdown(text, source=base + "notes.md", page_dir=base.rstrip("/"), heading_level=3)
        attachments = [f for f in files if f.startswith(base + "files/")]
        for path in attachments:
            self._check_attachment(path)
        record_paths = [f for f in files if f.startswith(base + "records/") and f.endswith(".md") and f.count("/") == 3]
        records = [self._record(path, base) for path in record_paths]
        if loaded is None:
            return None
        ordered = sorted((r for r in records if r), key=lambda r: (r.record.date, r.path))
        return CustomerFolder(
            id=cid,
            path=base + "customer.yaml",
            customer=loaded[0],
            doc=loaded[1],
            notes=notes,
            records=tuple(ordered),
            attachments=frozenset(attachments),
        )

    def _check_attachment(self, path: str) -> None:
        name = path.lower()
        if name.endswith(ACTIVE_SUFFIXES):
            self.problem(
                path,
                "this kind of file cannot be an attachment: a browser could run it",
                "attach a PDF, an image or a text/CSV export instead",
            )
        elif name.endswith(".svg") and path not in self.too_large and ACTIVE_SVG.search(self.tree.read(path)):
            self.problem(
                path,
                "this SVG contains script, event handlers or embedded content",
                "export the drawing again as a plain SVG (shapes and text only), or as PNG",
            )

    def _record(self, path: str, base: str) -> RecordFile | None:
        text = self._text(path)
        if text is None:
            return None
        split = split_front_matter(text)
        if split is None:
            self.problem(
                path,
                "record has no front matter",
                "start the file with a line '---', the record's fields, then another '---' line, then the story",
                1,
                1,
            )
            return None
        front, body, body_line = split
        doc, problems = read_yaml(front, self.tree.display(path), line_offset=1)
        self.problems.extend(problems)
        if doc is None:
            return None
        if not isinstance(doc.data, dict):
            self.problem(path, "the front matter must be `key: value` lines", "", 2, 1)
            return None
        kind = doc.data.get("type")
        model = RECORD_TYPES.get(kind) if isinstance(kind, str) else None
        if model is None:
            line, col = doc.locate(("type",)) if "type" in doc.data else (2, 1)
            what = f"unknown record type '{kind}'" if "type" in doc.data else "missing required key `type`"
            self.problem(path, what, "type is one of: " + ", ".join(RECORD_TYPES), line, col)
            return None
        record = self._validate(path, model, doc)
        if record is None:
            return None
        markup = render_markdown(body, source=path, page_dir=base.rstrip("/"), first_line=body_line, heading_level=RECORD_HEADING_LEVEL)
        return RecordFile(path=path, record=record, doc=doc, body=markup)  # type: ignore[arg-type]

    def _training(self, path: str) -> TrainingPage | None:
        text = self._text(path)
        if text is None:
            return None
        first, _, rest = text.partition("\n")
        if not first.startswith("# "):
            self.problem(
                path,
                "a training page starts with a `# Title` line",
                "put the page title on the first line, like: # Presenting the value file",
                1,
                1,
            )
            return None
        slug = path.rsplit("/", 1)[-1][: -len(".md")]
        body = render_markdown(rest, source=path, page_dir="training", first_line=2, heading_level=1)
        return TrainingPage(path, slug, first[2:].strip(), body)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line the body starts on), or None without front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:number]) + "\n", "\n".join(lines[number + 1 :]), number + 2
    return None


def _is_training(path: str) -> bool:
    return path.startswith("training/") and path.count("/") == 1 and path.endswith(".md")


def _allowed_path(path: str) -> bool:
    parts = path.split("/")
    if len(parts) == 1:
        return path in ("company.yaml", "catalog.yaml")
    if parts[0] == "training":
        return _is_training(path)
    if parts[0] != "customers" or len(parts) < 3:
        return False
    if len(parts) == 3:
        return parts[2] in ("customer.yaml", "notes.md")
    if parts[2] == "records":
        return len(parts) == 4 and parts[3].endswith(".md")
    return parts[2] == "files"
