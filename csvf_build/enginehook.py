"""csvf's adapter inside MkDocs (and ProperDocs): cheap pages, a search index that scales.

Loaded by `theme/csvf_hooks.py`, which `mkdocs.yml` lists under `hooks:`
(Zensical ignores hooks without a word, and builds the same docs tree in full).

Three things, each keeping the site byte-identical to a plain MkDocs build of
the same docs tree:

- Markdown conversion is reused between builds. A page's HTML is a function
  of its Markdown, the Markdown settings and which files exist (links are
  resolved against them), so it is stored under a hash of those, with the
  table of contents, the anchors it holds and links to, and every warning
  the conversion logged (replayed on a hit, so `--strict` fails just the
  same). `CSVF_PAGE_CACHE` names the folder; without it nothing is stored.
- A page whose front matter has `csvf_search` (value files, the big
  portfolio tables) is indexed as one search entry holding that text
  instead of every section of its body: a customer is found by its name and
  a record by the words of its title, and the index stays a few hundred
  bytes per customer rather than twenty kilobytes.
- A page's finished HTML is reused too. It is a function of the page (its
  Markdown's conversion, title, front matter, address) and of what every
  page shares (the navigation and every title in it, the configuration and
  its environment, the theme's files), so it is stored under a hash of
  those. A page whose HTML is stored is given a one-line template that
  prints it (`template:` in its front matter, a public MkDocs feature), so
  the theme's template is not rendered again; the theme's templates are
  compiled once and kept (Jinja's bytecode cache). A changed title or
  setting is a new key for every page, so a stale page is never served.
"""

from __future__ import annotations

import contextlib
import hashlib
import html
import logging
import os
import pickle
import re
import sys
import time
from collections.abc import Mapping
from dataclasses import dataclass
from importlib.metadata import version
from pathlib import Path
from typing import Any

import jinja2

from csvf_build import __version__

CACHE_VARIABLE = "CSVF_PAGE_CACHE"
SEARCH_KEY = "csvf_search"
KEEP_UNUSED_SECONDS = 24 * 3600
# Where the site is written (csvf builds into a new staging folder each time) shapes no page: left out of the layout key.
OUTPUT_ONLY = frozenset({"site_dir", "CSVF_SITE_DIR"})
REUSED_TEMPLATE = "csvf-reused-page.html"  # prints a page's stored HTML instead of rendering the theme's template
REUSED_SOURCE = "{{ csvf_reused_output }}"  # no autoescape in MkDocs' theme environment: the HTML prints as stored
_LIBRARIES = ("mkdocs", "mkdocs-material", "markdown", "pymdown-extensions")


def _salt() -> bytes:
    code = hashlib.sha256(Path(__file__).read_bytes()).hexdigest()[:16]
    libraries = []
    for name in _LIBRARIES:
        try:
            libraries.append(f"{name} {version(name)}")
        except Exception:
            libraries.append(f"{name} -")
    return f"csvf {__version__}, hook {code}, {', '.join(libraries)}".encode()


class _Captured(logging.Handler):
    """Every message logged while one page converts, to replay on a cache hit."""

    def __init__(self) -> None:
        super().__init__(logging.DEBUG)
        self.messages: list[tuple[str, int, str]] = []

    def emit(self, record: logging.LogRecord) -> None:
        if record.levelno >= logging.INFO:
            self.messages.append((record.name, record.levelno, record.getMessage()))


class _State:
    """What one build knows: the cache folder, the settings that shape a conversion, the files that exist."""

    def __init__(self) -> None:
        folder = os.environ.get(CACHE_VARIABLE)
        self.folder = Path(folder) if folder else None
        self.salt = _salt()
        self.settings = b""
        self.files = b""
        self.hits = self.misses = 0
        self.nav: Any = None
        self.layout = b""  # what every page's HTML shares (navigation, configuration, theme), hashed
        self.page_keys: dict[str, str] = {}  # src_uri -> the key its finished HTML is stored under
        self.reused: dict[str, str] = {}  # src_uri -> its stored HTML, printed by REUSED_TEMPLATE
        self.used: set[Path] = set()  # entries this build read or wrote: kept by the pruning


_state = _State()
_patched = False
original_render: Any = None  # MkDocs' own Page.render, once the adapter replaced it


def on_config(config: Any) -> Any:
    """Install the adapter once per process (`mkdocs serve` calls this on every rebuild)."""
    global _patched
    _state.__init__()  # type: ignore[misc]  # a fresh state per build
    settings = (
        repr(config["markdown_extensions"]),
        repr(sorted((str(k), repr(v)) for k, v in (config["mdx_configs"] or {}).items())),
        repr(config["use_directory_urls"]),
        repr(config["validation"]),
        str(config["theme"].name),
    )
    _state.settings = "\0".join(settings).encode()
    if not _patched:
        _patch_render()
        _patch_search()
        _patched = True
    return config


def on_files(files: Any, config: Any) -> Any:
    """The files that exist: every relative link a page holds is resolved against them."""
    listing = sorted(f"{f.src_uri}\0{f.dest_uri}\0{f.inclusion}" for f in files)
    _state.files = hashlib.sha256("\n".join(listing).encode("utf-8", "surrogateescape")).digest()
    return files


def on_nav(nav: Any, config: Any, files: Any) -> Any:
    _state.nav = nav
    return nav


def on_env(env: jinja2.Environment, config: Any, files: Any) -> jinja2.Environment:
    """Every page is converted and titled by now: find the pages whose finished HTML is stored, and keep compiled templates."""
    if _state.folder is None:
        return env
    with contextlib.suppress(OSError):
        (_state.folder / "jinja").mkdir(parents=True, exist_ok=True)
        env.bytecode_cache = _BytecodeCache(str(_state.folder / "jinja"))
    if env.loader is not None:
        env.loader = jinja2.ChoiceLoader([jinja2.DictLoader({REUSED_TEMPLATE: REUSED_SOURCE}), env.loader])
    _state.layout = _layout(config)
    for file in files.documentation_pages():
        page = file.page
        if page is None or page.markdown is None or "template" in page.meta:
            continue
        key = _page_key(page)
        _state.page_keys[file.src_uri] = key
        stored = _read(_html_path(key))
        if stored is not None and isinstance(stored.get("html"), str):
            _state.reused[file.src_uri] = stored["html"]
            page.meta["template"] = REUSED_TEMPLATE
    return env


class _BytecodeCache(jinja2.FileSystemBytecodeCache):
    """Jinja's compiled templates kept between builds; one that cannot be written only costs the next build time."""

    def dump_bytecode(self, bucket: jinja2.bccache.Bucket) -> None:
        with contextlib.suppress(OSError):
            super().dump_bytecode(bucket)


def on_page_context(context: Any, page: Any, config: Any, nav: Any) -> Any:
    if page.file.src_uri in _state.reused:
        context["csvf_reused_output"] = _state.reused[page.file.src_uri]
    return context


def on_post_page(output: str, page: Any, config: Any) -> str:
    """Keep a freshly rendered page's HTML for the next build."""
    key = _state.page_keys.get(page.file.src_uri)
    if key is not None and page.file.src_uri not in _state.reused:
        _write(_html_path(key), {"html": output})
    return output


def on_post_build(config: Any) -> None:
    """Remove entries this build did not use and no build has used for a day (the footer's date changes every page daily)."""
    if _state.folder is None:
        return
    cutoff = time.time() - KEEP_UNUSED_SECONDS
    for path in [*_state.folder.glob("*/*.pickle"), *_state.folder.glob("html/*/*.pickle")]:  # conversions, finished pages
        with contextlib.suppress(OSError):
            if path not in _state.used and path.stat().st_mtime < cutoff:
                path.unlink()


def _html_path(key: str) -> Path:
    assert _state.folder is not None
    return _state.folder / "html" / key[:2] / f"{key}.pickle"


def _layout(config: Any) -> bytes:
    """What every page's HTML shares: the navigation with every title, the configuration, its environment, the theme's own files."""
    digest = hashlib.sha256(_state.salt + _state.settings + _state.files)

    def add(text: str) -> None:
        data = text.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "little") + data)

    def walk(items: Any) -> None:
        for item in items or ():
            add(f"{type(item).__name__}\0{item.title}\0{getattr(item, 'url', '')}\0{getattr(item, 'is_index', '')}")
            walk(getattr(item, "children", None))
            add("end")

    walk(_state.nav.items if _state.nav is not None else ())
    for name, value in sorted(config.items()):
        if name not in OUTPUT_ONLY:
            add(f"{name}={_stable(value)}")
    theme = config["theme"]
    add(f"theme dirs={theme.dirs!r}, static templates={sorted(theme.static_templates)!r}")
    for name, value in sorted(os.environ.items()):
        if (name.startswith("CSVF_") or name == "SOURCE_DATE_EPOCH") and name not in OUTPUT_ONLY:
            add(f"{name}={value}")
    for folder in config["theme"].dirs:
        root = Path(folder)
        if any(root.is_relative_to(p) for p in map(Path, sys.path) if p.name == "site-packages"):
            continue  # the installed theme: its version is in the salt
        for path in sorted(p for p in root.rglob("*") if p.is_file()):
            add(str(path.relative_to(root)))
            digest.update(hashlib.sha256(path.read_bytes()).digest())
    return digest.digest()


def _stable(value: Any) -> str:
    """A setting as text that is the same in every run: sets and mappings sorted, objects by their type (not their address)."""
    if isinstance(value, Mapping):
        return "{" + ", ".join(f"{k!s}: {_stable(v)}" for k, v in sorted(value.items(), key=lambda item: str(item[0]))) + "}"
    if isinstance(value, (set, frozenset)):
        return "{" + ", ".join(sorted(_stable(v) for v in value)) + "}"
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_stable(v) for v in value) + "]"
    text = repr(value)
    return text if " at 0x" not in text else type(value).__name__


def _page_key(page: Any) -> str:
    """A page's finished HTML: its conversion's key, its address, title and front matter, and the shared layout."""
    digest = hashlib.sha256(_state.layout)
    parts = (_key(page), page.file.src_uri, page.file.dest_uri, page.url, str(page.title), repr(page.meta))
    for part in parts:
        data = part.encode("utf-8", "surrogateescape")
        digest.update(len(data).to_bytes(8, "little") + data)
    return digest.hexdigest()


def _key(page: Any) -> str:
    digest = hashlib.sha256(_state.salt)
    for part in (_state.settings, _state.files, page.file.src_uri.encode("utf-8", "surrogateescape"), page.markdown.encode()):
        digest.update(len(part).to_bytes(8, "little") + part)
    return digest.hexdigest()


def convert(page: Any, config: Any, files: Any, render: Any) -> None:
    """MkDocs' conversion (`render`: the unpatched `Page.render`) with the generator's HTML blocks set aside (`_set_aside`),
    or of the page as it is when that cannot be exact."""
    markdown, aside = page.markdown, _set_aside(page.markdown)
    if aside is not None:
        page.markdown = aside.skeleton
        try:
            render(page, config, files)
        finally:
            page.markdown = markdown
        content = aside.fill(page.content)
        if content is not None:
            page.content = content
            page.present_anchor_ids = (page.present_anchor_ids or set()) | aside.anchor_ids()
            return
    render(page, config, files)


def _patch_render() -> None:
    from mkdocs.structure.pages import Page

    global original_render
    original = original_render = Page.render

    def render(self: Any, config: Any, files: Any) -> None:
        if _state.folder is None or self.markdown is None:
            convert(self, config, files, original)
            return
        key = _key(self)
        path = _state.folder / key[:2] / f"{key}.pickle"
        stored = _read(path)
        if stored is not None:
            _state.hits += 1
            for name, level, message in stored["log"]:
                logging.getLogger(name).log(level, "%s", message)
            self.content, self.toc, self._title_from_render = stored["content"], stored["toc"], stored["title"]
            self.present_anchor_ids = stored["anchors"]
            if stored["links"] is not None:
                self.links_to_anchors = {files.get_file_from_path(uri): links for uri, links in stored["links"].items()}
            return
        _state.misses += 1
        captured = _Captured()
        logger = logging.getLogger("mkdocs")
        logger.addHandler(captured)
        try:
            convert(self, config, files, original)
        finally:
            logger.removeHandler(captured)
        links = self.links_to_anchors
        _write(
            path,
            {
                "log": captured.messages,
                "content": self.content,
                "toc": self.toc,
                "title": self._title_from_render,
                "anchors": self.present_anchor_ids,
                "links": None if links is None else {f.src_uri: dict(v) for f, v in links.items()},
            },
        )

    Page.render = render  # type: ignore[method-assign]


BLOCK_START = '<div class="csvf-block" markdown="0">'  # how the generator opens each of its one-line HTML blocks
_START_TAG = re.compile(r"<([A-Za-z][^\s/>]*)([^>]*)>")
_ATTRIBUTE = re.compile(r'\s([A-Za-z_:][-\w:.]*)="([^"]*)"')


@dataclass(frozen=True)
class _Aside:
    """A generated page with each of its HTML blocks replaced by a one-word paragraph, and the blocks."""

    skeleton: str
    blocks: dict[str, str]  # placeholder word -> the block's line

    def fill(self, content: str) -> str | None:
        """The converted skeleton with each block back in its paragraph's place; None if one is not exactly where expected."""
        for word, block in self.blocks.items():
            paragraph = f"<p>{word}</p>"
            if content.count(paragraph) != 1:
                return None
            content = content.replace(paragraph, block + "\n")  # Markdown ends a raw block with a line break of its own
        return content.removesuffix("\n")  # as it strips the end of its output

    def anchor_ids(self) -> set[str]:
        """The ids the blocks hold (and `<a name>`s), as MkDocs finds them in raw HTML, so links to them still validate."""
        found: set[str] = set()
        for block in self.blocks.values():
            for tag in _START_TAG.finditer(block):
                for name, value in _ATTRIBUTE.findall(tag[2]):
                    if name == "id" or (name == "name" and tag[1].lower() == "a"):
                        found.add(html.unescape(value))
        return found


def _set_aside(markdown: str) -> _Aside | None:
    """The generator's blocks set aside, or None for a page that holds none.

    Markdown passes such a block through unchanged (`markdown="0"`), but
    only after Python's HTML parser has read every character of it, twice
    (Markdown's raw-HTML pass and MkDocs's anchor search): most of a value
    file's conversion. A block is a whole line the generator wrote, text
    escaped and line breaks as `&#10;`, so setting it aside and putting it
    back gives the same HTML; `fill` checks each one landed where a block
    would, else the page is converted as it is.
    """
    if BLOCK_START not in markdown:
        return None
    lines = markdown.split("\n")
    blocks: dict[str, str] = {}
    salt = hashlib.sha256(markdown.encode("utf-8", "surrogateescape")).hexdigest()[:12]
    for i, line in enumerate(lines):
        if line.startswith(BLOCK_START) and line.endswith("</div>"):
            word = f"csvfblock{salt}n{len(blocks)}"
            blocks[word] = line
            lines[i] = word
    return _Aside("\n".join(lines), blocks) if blocks else None


def _read(path: Path) -> dict[str, Any] | None:
    _state.used.add(path)
    try:
        stored = pickle.loads(path.read_bytes())
    except (OSError, pickle.UnpicklingError, EOFError, AttributeError, ImportError, ValueError, TypeError):
        return None
    return stored if isinstance(stored, dict) else None


def _write(path: Path, value: dict[str, Any]) -> None:
    """Atomically, and never failing the build: a cache that cannot be written is only slower."""
    _state.used.add(path)
    with contextlib.suppress(OSError):
        path.parent.mkdir(parents=True, exist_ok=True)
        temporary = path.with_name(f".{path.name}.{os.getpid()}.tmp")
        temporary.write_bytes(pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL))
        temporary.replace(path)


def _patch_search() -> None:
    try:
        from material.plugins.search.plugin import SearchIndex  # type: ignore[import-untyped]
    except ImportError:  # another theme: its own search, untouched
        return
    original = SearchIndex.add_entry_from_context

    def add_entry_from_context(self: Any, page: Any) -> None:
        text = page.meta.get(SEARCH_KEY)
        search = page.meta.get("search") or {}
        if not isinstance(text, str) or search.get("exclude"):
            original(self, page)
            return
        # Title and text are HTML-escaped already, by the generator (front matter), as Material's index holds HTML.
        title = str(page.meta.get("title", page.title))
        self.entries.append({"location": page.url, "title": title, "text": text})

    SearchIndex.add_entry_from_context = add_entry_from_context
