"""Problems in content: values with a location, gathered and shown together.

A check never stops at the first problem: every step returns the problems it
found, and the CLI prints them all (plus GitHub annotations on pull requests).
"""

from __future__ import annotations

from dataclasses import dataclass

from csvf_build.console import annotation_data, annotation_property, visible


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong in the content, where it is, and how to fix it."""

    file: str
    line: int = 0
    col: int = 0
    message: str = ""
    hint: str = ""

    def where(self) -> str:
        """`path:line:col`, leaving out what is unknown (0)."""
        parts = [self.file]
        if self.line:
            parts.append(str(self.line))
            if self.col:
                parts.append(str(self.col))
        return ":".join(parts)

    def as_text(self) -> str:
        """The problem for a terminal: user text shown visibly, the hint on a line of its own."""
        text = f"{visible(self.where())}: {visible(self.message)}"
        if self.hint:
            text += f"\n    hint: {visible(self.hint)}"
        return text

    def as_github_annotation(self) -> str:
        """A workflow command that shows the problem on the pull request's diff."""
        props = [f"file={annotation_property(self.file)}"]
        if self.line:
            props.append(f"line={self.line}")
        if self.col:
            props.append(f"col={self.col}")
        message = self.message + (f" (hint: {self.hint})" if self.hint else "")
        return f"::error {','.join(props)}::{annotation_data(message)}"
