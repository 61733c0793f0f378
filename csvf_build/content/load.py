"""Read a content tree into typed, located content, with every problem found.

Each file is checked as far as it can be on its own: a broken company.yaml,
catalog.yaml or customer.yaml does not stop the records, notes and training
pages from being read and checked, so a user sees every problem in one run
instead of fixing in rounds. Nothing here needs the build date: the rules that
do (and the rules across files) are in `rules.py`, and run on whatever loaded.
A file that cannot be read is reported, never skipped silently.
"""

from __future__ import annotations

import dataclasses
import functools
import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import TypeVar

from pydantic import BaseModel, ValidationError

from csvf_build.content.anchors import record_anchors
from csvf_build.content.explain import explain_errors
from csvf_build.content.facts import CustomerFacts, RecordFacts, customer_facts, record_facts
from csvf_build.content.layout import (
    ACTIVE_SUFFIXES,
    LAYOUT,
    allowed_path,
    attachment_name_problem,
    is_training,
    training_name_problem,
)
from csvf_build.content.markup import Markup, render_markdown
from csvf_build.content.mdbounds import markdown_overruns
from csvf_build.content.parallel import ordered_map, pool_pays
from csvf_build.content.parsecache import ParseCache, decode, encode, no_gc
from csvf_build.content.schema import RECORD_TYPES, AnyRecord, Catalog, Company, Customer, RecordCommon
from csvf_build.content.svg import HINT as SVG_HINT
from csvf_build.content.svg import svg_problems
from csvf_build.content.tree import ContentTree
from csvf_build.content.yamlread import YamlDocument, read_yaml
from csvf_build.problems import Problem
from csvf_build.training.shipped import SHIPPED_DIR, shipped_pages
from csvf_build.training.syntax import LiveDoc, parse
from csvf_build.training.tree import RenderedTree, render_tree

MAX_TEXT_BYTES = 1024 * 1024
MAX_ATTACHMENT_BYTES = 25 * 1024 * 1024
CUSTOMER_ID = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")
RECORD_HEADING_LEVEL = 4
PARALLEL_FROM = 400  # records to parse before a pool of workers pays for its start (measured: about 0.15 s)

M = TypeVar("M", bound=BaseModel)


@dataclass(frozen=True, eq=False)
class RecordFile:
    """One record: its validated front matter, its body, where it came from and its anchor."""

    path: str
    record: AnyRecord
    doc: YamlDocument
    body: Markup
    anchor: str  # the id of its heading on the value file: unique within the customer, stable


@dataclass(frozen=True, eq=False)
class CustomerFolder:
    id: str
    path: str
    customer: Customer
    doc: YamlDocument
    notes: Markup | None
    records: tuple[RecordFile, ...]
    attachments: frozenset[str]

    def anchor_of(self, path: str) -> str:
        """The anchor of this customer's record at content path `path` (KeyError for another path)."""
        return self._anchors[path]

    @functools.cached_property
    def _anchors(self) -> dict[str, str]:
        return {r.path: r.anchor for r in self.records}


@dataclass(frozen=True, eq=False)
class TrainingPage:
    """A training page: its Markdown rendered chunk by chunk, live figures still placeholders (`training.tree`)."""

    path: str
    slug: str
    title: str
    body: Markup  # every chunk's HTML and links together, for the link rules
    doc: LiveDoc = field(default_factory=lambda: LiveDoc(()))
    tree: RenderedTree = field(default_factory=lambda: RenderedTree((), {}))
    shipped: bool = False  # shipped with csvf (csvf_build/training/pages/), not written by the company
    display: str = ""  # the file as problems name it


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


@dataclass(frozen=True, eq=False)
class CustomerParts:
    """One customer folder as far as it loaded: what the rules can check even when customer.yaml did not."""

    id: str
    path: str  # its customer.yaml
    valid_id: bool
    customer: Customer | None  # None when customer.yaml is missing or invalid
    doc: YamlDocument | None  # None when customer.yaml is missing or not YAML
    facts: CustomerFacts | None  # the fields of customer.yaml that are valid on their own
    notes: Markup | None
    records: tuple[RecordFile, ...]  # the valid records, by date then path
    record_facts: tuple[RecordFacts, ...]  # every record whose front matter is YAML, valid or not
    bodies: tuple[tuple[str, Markup], ...]  # (path, rendered text) of notes and every record body, for the link rules
    attachments: frozenset[str]

    def folder(self) -> CustomerFolder | None:
        if not (self.valid_id and self.customer is not None and self.doc is not None):
            return None
        return CustomerFolder(self.id, self.path, self.customer, self.doc, self.notes, self.records, self.attachments)


@dataclass(frozen=True, eq=False)
class LoadedContent:
    """Every file that loaded, even when others failed: the rules check what they can."""

    company: Company | None
    company_doc: YamlDocument | None
    catalog: Catalog | None
    catalog_doc: YamlDocument | None
    customers: tuple[CustomerParts, ...]
    training: tuple[TrainingPage, ...]  # the pages that can be built
    training_bodies: tuple[tuple[str, Markup], ...]  # (path, rendered text) of every page that rendered, for the link rules
    display: dict[str, str]
    root_name: str

    def content(self) -> Content | None:
        """The content the model needs, or None when company.yaml or catalog.yaml did not load."""
        if self.company is None or self.company_doc is None or self.catalog is None or self.catalog_doc is None:
            return None
        folders = tuple(folder for parts in self.customers if (folder := parts.folder()) is not None)
        return Content(self.company, self.company_doc, self.catalog, self.catalog_doc, folders, self.training, self.display, self.root_name)


def load_content(tree: ContentTree, cache: ParseCache | None = None) -> tuple[Content | None, list[Problem]]:
    """Read and validate every file of `tree`: the content (None without company.yaml or
    catalog.yaml) and every problem. Content with problems must not be built."""
    loaded, problems = read_content(tree, cache)
    return loaded.content(), problems


def read_content(tree: ContentTree, cache: ParseCache | None = None) -> tuple[LoadedContent, list[Problem]]:
    """Read and validate every file of `tree`, keeping whatever loaded for the rules.

    With a `cache`, each record whose bytes were parsed before is taken from
    it, problems included, and the cache is saved for the next run.
    """
    loader = _Loader(tree, cache)
    if cache is None:
        loaded = loader.load()
    else:
        with no_gc():  # a cached run (the CLI's) decodes millions of objects that live as long as it does
            loaded = loader.load()
        cache.save()
        cache.release()
    return loaded, loader.problems


_RecordResult = tuple["RecordFile | None", "RecordFacts | None", "Markup | None"]


class _Loader:
    def __init__(self, tree: ContentTree, cache: ParseCache | None = None):
        self.tree = tree
        self.cache = cache
        self.problems: list[Problem] = []
        self.too_large: set[str] = set()  # found by the layout check, never read
        self.not_files = {path for path, _ in tree.special_files()} | set(tree.links())  # reported as such, not as missing
        self.parsed: dict[str, tuple[str, bytes]] = {}  # path -> (cache key, encoded result) of records parsed ahead

    def problem(self, path: str, message: str, hint: str = "", line: int = 0, col: int = 0) -> None:
        self.problems.append(Problem(self.tree.display(path), line, col, message, hint))

    def load(self) -> LoadedContent:
        files = self.tree.files()
        self._check_layout(files)
        company, company_doc = self._yaml_model("company.yaml", Company, files)
        catalog, catalog_doc = self._yaml_model("catalog.yaml", Catalog, files)
        by_customer: dict[str, list[str]] = {}
        for path in files:
            if path.startswith("customers/") and path.count("/") >= 2:
                by_customer.setdefault(path.split("/", 2)[1], []).append(path)
        self._parse_ahead([path for paths in by_customer.values() for path in paths if _is_record(path)])
        customers = tuple(self._customer(cid, valid, by_customer.get(cid, [])) for cid, valid in self._customer_ids(by_customer))
        pages = [(path, self._training(path)) for path in files if is_training(path)]
        for name, text in shipped_pages().items():
            if f"training/{name}" not in files:  # a company page of the same name replaces the shipped one
                page, body, problems = self._shipped(name, text)
                pages.append((f"training/{name}", (page, body)))
                self.problems.extend(problems)
        return LoadedContent(
            company=company,
            company_doc=company_doc,
            catalog=catalog,
            catalog_doc=catalog_doc,
            customers=customers,
            training=tuple(page for path, (page, _) in pages if page is not None),
            training_bodies=tuple((path, body) for path, (_, body) in pages if body is not None),
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
        for path, what in self.tree.special_files():
            self.problem(
                path,
                f"this is {what}, not a file",
                "content holds only plain files and folders: remove it (it was not opened)",
            )
        for path in files:
            if not allowed_path(path):
                self.problem(path, "this file is not part of the content layout", LAYOUT)
        for folder in self.tree.folders():
            self._check_folder(folder)
        for path in files:
            limit = MAX_ATTACHMENT_BYTES if "/files/" in path else MAX_TEXT_BYTES
            if self.tree.size(path) > limit:
                self.too_large.add(path)
                self.problem(
                    path,
                    f"file is larger than {limit // (1024 * 1024)} MiB",
                    "content files are small text; keep large documents elsewhere and link to them",
                )

    def _check_folder(self, folder: str) -> None:
        parts = folder.split("/")
        if (
            parts[0] not in ("customers", "training")
            or (len(parts) > 3 and parts[2] != "files")
            or (len(parts) == 3 and parts[2] not in ("records", "files"))
        ):
            self.problem(folder, "this folder is not part of the content layout", LAYOUT)
        elif len(parts) >= 2 and parts[0] == "training":
            self.problem(folder, "training/ holds Markdown pages, not folders", LAYOUT)
        elif len(parts) > 3 and (named := attachment_name_problem(folder)):
            self.problem(folder, *named)

    def _customer_ids(self, by_customer: dict[str, list[str]]) -> list[tuple[str, bool]]:
        """Every customer folder, with whether its name is a valid id (its files are checked either way)."""
        ids = sorted({f.split("/")[1] for f in self.tree.folders() if f.startswith("customers/")})
        found = []
        for cid in ids:
            valid = bool(CUSTOMER_ID.match(cid)) and 2 <= len(cid) <= 64
            if not valid:
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
            found.append((cid, valid))
        return found

    # -- files

    def _bytes(self, path: str) -> bytes | None:
        if path in self.too_large:
            return None  # already reported by the layout check
        try:
            return self.tree.read(path)
        except OSError as error:
            self.problem(path, f"this file cannot be read ({error.strerror or error})", "check that it is a plain file you may read")
            return None

    def _text(self, path: str, data: bytes | None = None) -> str | None:
        data = self._bytes(path) if data is None else data
        if data is None:
            return None
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError as error:
            head = data[: error.start]
            line = head.count(b"\n") + 1
            col = error.start - (head.rfind(b"\n") + 1) + 1
            self.problem(path, "file is not UTF-8 text", "save the file as UTF-8 (in most editors: File > Save with encoding)", line, col)
            return None
        return text.removeprefix("\ufeff").replace("\r\n", "\n").replace("\r", "\n")  # CR alone ends a line too, as in YAML

    def _validate(self, path: str, model: type[M], doc: YamlDocument) -> M | None:
        if not isinstance(doc.data, dict):
            self.problem(path, "expected `key: value` lines at the top of this YAML", "see the examples in the handbook", 1, 1)
            return None
        try:
            return model.model_validate(doc.data)
        except ValidationError as error:
            self.problems.extend(explain_errors(error.errors(), model, doc, self.tree.display(path)))
            return None

    def _yaml(self, path: str, text: str, line_offset: int = 0) -> YamlDocument | None:
        doc, problems = read_yaml(text, self.tree.display(path), line_offset=line_offset)
        self.problems.extend(problems)
        return doc

    def _yaml_model(
        self, path: str, model: type[M], files: list[str] | set[str], data: bytes | None = None
    ) -> tuple[M | None, YamlDocument | None]:
        """The file's validated model and its YAML, each None when it could not be had."""
        if path not in files:
            if path not in self.not_files:
                self.problem(path, f"{path} is missing", LAYOUT)
            return None, None
        text = self._text(path, data)
        doc = self._yaml(path, text) if text is not None else None
        return (self._validate(path, model, doc) if doc is not None else None), doc

    def _markdown(self, text: str, path: str, page_dir: str, first_line: int, heading_level: int) -> Markup | None:
        """Rendered Markdown, or None (and the problems) when the text goes past a rendering bound."""
        overruns = markdown_overruns(text)
        for overrun in overruns:
            self.problem(path, overrun.message, overrun.hint, first_line + overrun.line - 1, overrun.col)
        if overruns:
            return None
        return render_markdown(text, source=path, page_dir=page_dir, first_line=first_line, heading_level=heading_level)

    def _customer(self, cid: str, valid_id: bool, files: list[str]) -> CustomerParts:
        """One customer folder; `files` are the paths under it."""
        base = f"customers/{cid}/"
        customer, doc = self._customer_yaml(base + "customer.yaml") if base + "customer.yaml" in files else (None, None)
        notes = None
        if base + "pack.md" in files:
            self._text(base + "pack.md")  # the rep's cover note for the customer pack: readable UTF-8 text (csvf present uses it)
        if base + "notes.md" in files and (text := self._text(base + "notes.md")) is not None:
            notes = self._markdown(text, base + "notes.md", base.rstrip("/"), 1, 3)
        attachments = [f for f in files if f.startswith(base + "files/")]
        for path in attachments:
            self._check_attachment(path)
        record_paths = [f for f in files if f.startswith(base + "records/") and _is_record(f)]
        anchors = record_anchors(record_paths)  # from every record file, valid or not: one fix never renames another
        loaded = [self._record(path, base, anchors[path]) for path in record_paths]
        if self.cache is not None:
            self.cache.finish(base)  # this customer's parses are written (if changed) and let go now, not at the end
        bodies = [(base + "notes.md", notes)] if notes else []
        bodies += [(path, body) for path, (_, _, body) in zip(record_paths, loaded, strict=True) if body is not None]
        records = [r for r, _, _ in loaded if r is not None]
        return CustomerParts(
            id=cid,
            path=base + "customer.yaml",
            valid_id=valid_id,
            customer=customer,
            doc=doc,
            facts=customer_facts(doc) if doc is not None else None,
            notes=notes,
            records=tuple(sorted(records, key=lambda r: (r.record.date, r.path))),
            record_facts=tuple(f for _, f, _ in loaded if f is not None),
            bodies=tuple(bodies),
            attachments=frozenset(attachments),
        )

    def _check_attachment(self, path: str) -> None:
        named = attachment_name_problem(path)
        if named:
            self.problem(path, *named)
        name = path.lower()
        if name.endswith(ACTIVE_SUFFIXES):
            self.problem(
                path,
                "this kind of file cannot be an attachment: a browser could run it, or the site would build it as a page",
                "attach a PDF, an image or a text/CSV export instead",
            )
        elif name.endswith(".svg") and (data := self._bytes(path)) is not None:
            for found in svg_problems(data):
                self.problem(path, f"not a plain SVG drawing: {found.message}", SVG_HINT, found.line, found.col)

    def _record(self, path: str, base: str, anchor: str) -> _RecordResult:
        """`_parse_record`, from the cache when this file's bytes were parsed before (its problems replayed)."""
        parsed = self.parsed.pop(path, None)
        if parsed is not None:  # parsed ahead on every core (`_parse_ahead`)
            key, payload = parsed
            result, problems = decode(payload)
            if self.cache is not None:
                self.cache.put(path, key, self._signature(path), None, payload)
            self.problems.extend(problems)
        elif self.cache is None or path in self.too_large:
            result = self._parse_record(path, base, "")
        else:
            signature = self._signature(path)
            stored = self.cache.unchanged(path, signature)
            key, data = "", None
            if stored is None:
                data = self._bytes(path)
                if data is None:
                    return None, None, None
                key = self.cache.key(path, self.tree.display(path), data)
                stored = self.cache.get(path, key, signature)
            if stored is None:
                start = len(self.problems)
                result = self._parse_record(path, base, "", data)
                self.cache.put(path, key, signature, (result, self.problems[start:]))
            else:
                result, problems = stored
                self.problems.extend(problems)
        record, facts, markup = result
        return (dataclasses.replace(record, anchor=anchor) if record is not None else None), facts, markup

    def _customer_yaml(self, path: str) -> tuple[Customer | None, YamlDocument | None]:
        """`_yaml_model` of a customer.yaml, from the cache when its bytes were read before (its problems replayed)."""
        if self.cache is None or path in self.too_large:
            return self._yaml_model(path, Customer, {path})
        signature = self._signature(path)
        stored = self.cache.unchanged(path, signature, counted=False)
        if stored is None:
            data = self._bytes(path)
            if data is None:
                return None, None
            key = self.cache.key(path, self.tree.display(path), data)
            stored = self.cache.get(path, key, signature, counted=False)
            if stored is None:
                start = len(self.problems)
                result = self._yaml_model(path, Customer, {path}, data)
                self.cache.put(path, key, signature, (result, self.problems[start:]), counted=False)
                return result
        result, problems = stored
        self.problems.extend(problems)
        return result

    def _shipped(self, name: str, text: str) -> tuple[TrainingPage | None, Markup | None, tuple[Problem, ...]]:
        """A shipped training page, from the cache when this csvf rendered it before (a third of a second saved a run)."""
        if self.cache is None:
            return _shipped_page(name, text)
        path = f"shipped:{name}"
        key = self.cache.key(path, f"{SHIPPED_DIR} {_training_code()}", text.encode("utf-8", "surrogateescape"))
        stored = self.cache.get(path, key, None, counted=False)
        if stored is None:
            stored = _shipped_page(name, text)
            self.cache.put(path, key, None, stored, counted=False)
        return stored

    def _signature(self, path: str) -> tuple[int, ...] | None:
        return getattr(self.tree, "signature", lambda _path: None)(path)

    def _parse_ahead(self, record_paths: list[str]) -> None:
        """Parse on every core the records the cache does not hold, before the serial pass takes them in order.

        Only files that read cleanly are parsed ahead; the serial pass reads and
        reports the others itself, so problems come out as a serial run gives them.
        """
        work: list[tuple[str, bytes, str]] = []
        if not pool_pays(len(record_paths), PARALLEL_FROM):
            return  # the serial pass parses each record as it goes, with no round trip through `encode`
        for path in record_paths:
            if path in self.too_large or (self.cache is not None and self.cache.fresh(path, self._signature(path))):
                continue
            try:
                data = self.tree.read(path)
            except OSError:
                continue
            key = self.cache.key(path, self.tree.display(path), data) if self.cache is not None else ""
            if self.cache is None or not self.cache.has(path, key):
                work.append((path, data, key))
        if len(work) < PARALLEL_FROM:
            return  # the serial pass parses these as it goes
        results = ordered_map(self._parse_alone, [(path, data) for path, data, _ in work], PARALLEL_FROM)
        self.parsed = {path: (key, payload) for (path, _, key), payload in zip(work, results, strict=True)}

    def _parse_alone(self, item: tuple[str, bytes]) -> bytes:
        """One record's parse and its problems, encoded as the cache keeps them (by a worker: its own copy of the loader)."""
        path, data = item
        kept, self.problems = self.problems, []  # run serially (one core), this is the parent's loader
        try:
            result = self._parse_record(path, path.rsplit("/", 2)[0] + "/", "", data)
            return encode((result, self.problems))
        finally:
            self.problems = kept

    def _parse_record(self, path: str, base: str, anchor: str, data: bytes | None = None) -> _RecordResult:
        """The record if valid, the facts of its front matter if it is YAML, and its body if it rendered."""
        text = self._text(path, data)
        if text is None:
            return None, None, None
        split = split_front_matter(text)
        if split is None:
            self.problem(
                path,
                "record has no front matter",
                "start the file with a line '---', the record's fields, then another '---' line, then the story",
                1,
                1,
            )
            return None, None, None
        front, body, body_line = split
        markup = self._markdown(body, path, base.rstrip("/"), body_line, RECORD_HEADING_LEVEL)
        doc = self._yaml(path, front, line_offset=1)
        if doc is None:
            return None, None, markup
        if not isinstance(doc.data, dict):
            self.problem(path, "the front matter must be `key: value` lines", "write one field per line, like `type: meeting`", 2, 1)
            return None, None, markup
        record = self._validate_record(path, doc)
        if record is None or markup is None:
            return None, record_facts(path, doc), markup
        return RecordFile(path=path, record=record, doc=doc, body=markup, anchor=anchor), record_facts(path, doc), markup

    def _validate_record(self, path: str, doc: YamlDocument) -> AnyRecord | None:
        kind = doc.data.get("type")
        model = RECORD_TYPES.get(kind) if isinstance(kind, str) else None
        if model is None:
            line, col = doc.locate(("type",)) if "type" in doc.data else (2, 1)
            what = f"unknown record type '{kind}'" if "type" in doc.data else "missing required key `type`"
            self.problem(path, what, "type is one of: " + ", ".join(RECORD_TYPES), line, col)
            self._validate(path, RecordCommon, doc)  # the fields every record has are checked all the same
            return None
        return self._validate(path, model, doc)  # type: ignore[return-value]

    def _training(self, path: str) -> tuple[TrainingPage | None, Markup | None]:
        """The page if it can be built, and its body if it rendered (its links are checked either way)."""
        named = training_name_problem(path)
        if named:
            self.problem(path, *named)
        text = self._text(path)
        if text is None:
            return None, None
        page, body, problems = training_page(path, text, self.tree.display(path))
        self.problems.extend(problems)
        if named:
            return None, body
        return page, body


def training_page(path: str, text: str, display: str, shipped: bool = False) -> tuple[TrainingPage | None, Markup | None, list[Problem]]:
    """One training page from its text: the page if it can be built, its body if it rendered, and its problems."""
    first, _, rest = text.partition("\n")
    if not first.startswith("# "):
        hint = "put the page title on the first line, like: # Presenting the value file"
        return None, None, [Problem(display, 1, 1, "a training page starts with a `# Title` line", hint)]
    problems = [Problem(display, o.line + 1, o.col, o.message, o.hint) for o in markdown_overruns(rest)]
    if problems:
        return None, None, problems
    doc = parse(rest, first_line=2)
    problems += [Problem(display, issue.line, issue.col, issue.message, issue.hint) for issue in doc.issues]
    chunks: list[Markup] = []

    def render(source: str, first_line: int) -> str:
        chunks.append(render_markdown(source, source=path, page_dir="training", first_line=first_line, heading_level=1))
        return chunks[-1].html

    tree = render_tree(doc, render)
    problems += [Problem(display, issue.line, issue.col, issue.message, issue.hint) for issue in tree.issues]
    body = Markup("".join(chunk.html for chunk in chunks), tuple(link for chunk in chunks for link in chunk.links))
    slug = path.removeprefix("training/").removesuffix(".md")
    return TrainingPage(path, slug, first[2:].strip(), body, doc, tree, shipped, display), body, problems


def _is_record(path: str) -> bool:
    """customers/<id>/records/<name>.md"""
    return path.endswith(".md") and path.count("/") == 3 and path.split("/")[2] == "records"


@functools.cache
def _training_code() -> str:
    """The code that renders training pages (outside `content/`, whose code the parse cache's salt covers)."""
    digest = hashlib.sha256()
    for path in sorted(Path(render_tree.__code__.co_filename).parent.glob("*.py")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return digest.hexdigest()[:16]


@functools.cache
def _shipped_page(name: str, text: str) -> tuple[TrainingPage | None, Markup | None, tuple[Problem, ...]]:
    """A page shipped with csvf, rendered once per process: its text never changes."""
    page, body, problems = training_page(f"training/{name}", text, f"{SHIPPED_DIR}/{name}", shipped=True)
    return page, body, tuple(problems)


def split_front_matter(text: str) -> tuple[str, str, int] | None:
    """(front matter, body, line the body starts on), or None without front matter."""
    lines = text.split("\n")
    if not lines or lines[0].rstrip() != "---":
        return None
    for number, line in enumerate(lines[1:], start=1):
        if line.rstrip() in ("---", "..."):
            return "\n".join(lines[1:number]) + "\n", "\n".join(lines[number + 1 :]), number + 2
    return None
