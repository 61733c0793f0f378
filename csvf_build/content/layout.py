"""Which paths content may hold, and which names its files may have.

Names matter beyond tidiness: a training page becomes a page of the site and
an attachment a file behind a link, so a name with `#`, `?`, `%` or a space
breaks the link, a Markdown name makes MkDocs build an attachment as a page,
and `training/index.md` would silently replace the generated training index.
What the check passes, the build must pass.
"""

from __future__ import annotations

import re
import unicodedata

LAYOUT = """the content folder holds only:
  company.yaml, catalog.yaml
  customers/<id>/customer.yaml, customers/<id>/notes.md and pack.md (optional)
  customers/<id>/records/*.md, customers/<id>/files/ (attachments)
  training/*.md"""

# Every suffix MkDocs reads as a Markdown page.
MARKDOWN_SUFFIXES = (".md", ".markdown", ".mdown", ".mkdn", ".mkd", ".mdwn", ".mdtxt", ".mdtext")
# Attachments are served from the site's own origin: nothing a browser runs as a
# document (HTML, XML with its XHTML/XSLT powers, scripts) and nothing MkDocs
# turns into a page may be one. SVG is checked on its content instead (svg.py).
ACTIVE_SUFFIXES = (
    ".html", ".htm", ".xhtml", ".xht", ".shtml", ".mht", ".mhtml", ".hta", ".js", ".mjs",
    ".xml", ".xsl", ".xslt", ".rdf", ".rss", ".atom", ".mml", ".xul", ".svgz", *MARKDOWN_SUFFIXES,
)  # fmt: skip

SAFE_NAME = re.compile(r"^[A-Za-z0-9_][A-Za-z0-9._-]*$")
TRAINING_STEM = re.compile(r"^[a-z0-9][a-z0-9_-]*$")
RESERVED_TRAINING = {
    "training/index.md": "the site generates the training index page itself",
    "training/glossary.md": "the site generates the glossary of figures itself",
}


def is_training(path: str) -> bool:
    return path.startswith("training/") and path.count("/") == 1 and path.endswith(".md")


def allowed_path(path: str) -> bool:
    """Whether a file at `path` has a place in the content layout (its name is checked apart)."""
    parts = path.split("/")
    if len(parts) == 1:
        return path in ("company.yaml", "catalog.yaml")
    if parts[0] == "training":
        return is_training(path)
    if parts[0] != "customers" or len(parts) < 3:
        return False
    if len(parts) == 3:
        return parts[2] in ("customer.yaml", "notes.md", "pack.md")
    if parts[2] == "records":
        return len(parts) == 4 and parts[3].endswith(".md")
    return parts[2] == "files"


def suggest_name(name: str, *, lowercase: bool = False) -> str:
    """A safe name close to `name`: accents dropped, every run of other characters one hyphen."""
    ascii_name = unicodedata.normalize("NFKD", name).encode("ascii", "ignore").decode("ascii")
    stem, dot, suffix = ascii_name.rpartition(".") if "." in ascii_name.lstrip(".") else (ascii_name, "", "")
    clean_stem = re.sub(r"[^A-Za-z0-9_]+", "-", stem).strip("-") or "file"
    clean_suffix = re.sub(r"[^A-Za-z0-9]+", "", suffix)
    suggested = clean_stem + (dot + clean_suffix if clean_suffix else "")
    return suggested.lower() if lowercase else suggested


def attachment_name_problem(path: str) -> tuple[str, str] | None:
    """(message, hint) if a path under files/ has a name part a link cannot carry safely."""
    rest = path.partition("/files/")[2]
    for part in rest.split("/"):
        if not SAFE_NAME.match(part):
            return (
                f"the name '{part}' has characters a link cannot carry safely",
                f"rename it to '{suggest_name(part)}': attachment names use letters, digits, '-', '_' and '.' only "
                "(no spaces, '#', '?', '%' or accents)",
            )
    return None


def training_name_problem(path: str) -> tuple[str, str] | None:
    """(message, hint) if a training page's name cannot be a page of the site."""
    if path in RESERVED_TRAINING:
        return f"{path} is reserved", RESERVED_TRAINING[path] + "; give this page another name, like training/overview.md"
    stem = path.removeprefix("training/").removesuffix(".md")
    if not TRAINING_STEM.match(stem):
        return (
            f"the training page name '{stem}.md' cannot be a page address",
            f"rename it to training/{suggest_name(stem, lowercase=True)}.md: "
            "training page names use lowercase letters, digits, '-' and '_' only",
        )
    return None
