"""Page titles as MediaWiki accepts them: the one place for title rules.

A title taken from page text (an archive name, an index page, a ``--page`` argument) is checked here
before it is used in a request: a ``|`` would split a ``titles=`` parameter into two pages, a ``#``
names a section of another page, and MediaWiki refuses the rest. The rules are MediaWiki's
(``MediaWikiTitleCodec::splitTitleString`` and ``$wgLegalTitleChars``): no ``# < > [ ] | { }``, no
control characters, no ``~~~`` (signatures), no ``.`` or ``..`` path parts, no leading colon, at most
255 bytes of UTF-8 for the page name, and nothing empty after the namespace.
"""

from __future__ import annotations

import re

MAX_BYTES = 255
_ILLEGAL = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f\ufffd]")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}|&[A-Za-z0-9\x80-\uffff]+;|&#x?[0-9A-Fa-f]+;")
_RELATIVE = re.compile(r"^\.\.?$|^\.\.?/|/\.\.?/|/\.\.?$")


def title_problem(title: str) -> str | None:
    """Why MediaWiki would refuse ``title`` (None: it is a valid title)."""
    if not title or not title.strip():
        return "the title is empty"
    found = _ILLEGAL.search(title)
    if found:
        char = found.group(0)
        shown = repr(char) if char.isprintable() and char != "\ufffd" else f"U+{ord(char):04X}"
        return f"the title contains {shown}, which page titles cannot hold"
    if _ESCAPE.search(title):
        return "the title contains an escape sequence (%XX or an HTML entity), which page titles cannot hold"
    if "~~~" in title:
        return "the title contains ~~~ (a signature), which page titles cannot hold"
    if title.startswith(":"):
        return "the title starts with a colon"
    name = title.split(":", 1)[1] if ":" in title else title
    if not name.strip():
        return "the title has a namespace and no page name"
    if _RELATIVE.search(name):
        return "the title is a relative path (. or .. parts)"
    if len(name.encode("utf-8")) > MAX_BYTES:
        return f"the title is longer than {MAX_BYTES} bytes"
    return None


def is_valid_title(title: str) -> bool:
    return title_problem(title) is None
