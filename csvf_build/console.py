"""What csvf prints: user text made safe for a terminal and for GitHub's workflow commands.

Anything a user wrote (a file name, a YAML key, a value quoted in a message)
may hold control characters. Raw, an ESC sequence repaints the terminal, a
bidi override reorders what a reviewer reads, and a newline followed by
`::error …` becomes a workflow command of its own on a pull request: GitHub's
runner treats every output line that starts with `::` (after white space) as
one, and a line holding `##[` anywhere as a legacy one. So there are two
escaping paths, one per destination, and every user value goes through one:

- `visible` for the terminal: control characters are shown as `\\x1b`,
  `\\n`, `\\u202e`…, so a value is always one line that cannot start a
  command;
- `annotation_data` and `annotation_property` for `::error` annotations:
  GitHub's documented encoding (`%25`, `%0D`, `%0A`; properties also `%3A`,
  `%2C`), then the remaining control characters shown as for the terminal.
"""

from __future__ import annotations

import re

from rich.console import Console

# C0 and C1 controls, DEL, the bidi embeddings, overrides, isolates and marks,
# and the Unicode line and paragraph separators.
_HIDDEN = re.compile("[\x00-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029]")
_NAMED = {"\n": "\\n", "\r": "\\r", "\t": "\\t"}


def _show(match: re.Match[str]) -> str:
    char = match.group()
    if char in _NAMED:
        return _NAMED[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def visible(text: str) -> str:
    """`text` as one terminal-safe line: controls shown, no workflow command possible."""
    shown = _HIDDEN.sub(_show, text).replace("##[", "#\\x23[")
    start = len(shown) - len(shown.lstrip())
    if shown.startswith("::", start):
        shown = f"{shown[:start]}\\x3a{shown[start + 1 :]}"
    return shown


def annotation_data(text: str) -> str:
    """The message of a workflow command, in GitHub's encoding."""
    encoded = text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")
    return _HIDDEN.sub(_show, encoded)


def annotation_property(text: str) -> str:
    """A property value (`file=…`) of a workflow command, in GitHub's encoding."""
    return annotation_data(text).replace(":", "%3A").replace(",", "%2C")


def _console(stderr: bool) -> Console:
    """Never wraps (a wrapped line could start with a user's `::`), no emoji codes, no highlighting."""
    return Console(stderr=stderr, highlight=False, soft_wrap=True, emoji=False)


out = _console(stderr=False)
err = _console(stderr=True)
