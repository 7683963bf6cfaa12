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

# MediaWiki's namespaces by number (the standard ones, and those of Scribunto and Translate), the one
# list the others derive from: the tree's namespaces (tree.py) and the dev wiki's export (devwiki/export.py).
NAMESPACE_NAMES: dict[int, str] = {
    -2: "Media", -1: "Special", 0: "", 1: "Talk", 2: "User", 3: "User talk", 4: "Project", 5: "Project talk",
    6: "File", 7: "File talk", 8: "MediaWiki", 9: "MediaWiki talk", 10: "Template", 11: "Template talk",
    12: "Help", 13: "Help talk", 14: "Category", 15: "Category talk", 828: "Module", 829: "Module talk",
    1198: "Translations", 1199: "Translations talk",
}
# Other names a prefix may have: File's old name, and Meta-Wiki's name for its project namespace.
NAMESPACE_ALIASES = ("Image", "Image talk", "Meta", "Meta talk")
# A prefix among these is spelt as here; anything else is part of a main-namespace title.
NAMESPACES = {name.lower(): name for name in (*NAMESPACE_NAMES.values(), *NAMESPACE_ALIASES) if name}

MAX_BYTES = 255
_ILLEGAL = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f\ufffd]")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}|&[A-Za-z0-9\x80-\uffff]+;|&#x?[0-9A-Fa-f]+;")
_RELATIVE = re.compile(r"^\.\.?$|^\.\.?/|/\.\.?/|/\.\.?$")


def normalize_title(title: str) -> str:
    """MediaWiki's spelling of a title: spaces for underscores and runs of spaces, no leading colon,
    the namespace as the wiki names it, the first letter of the page name in upper case."""
    title = re.sub(r"[\s_]+", " ", title).strip().lstrip(":").strip()
    prefix, colon, rest = title.partition(":")
    if colon and prefix.strip().lower() in NAMESPACES:
        rest = rest.strip()
        return f"{NAMESPACES[prefix.strip().lower()]}:{rest[:1].upper()}{rest[1:]}"
    return title[:1].upper() + title[1:]


def has_namespace(title: str) -> bool:
    """Whether ``title`` starts with a namespace prefix (``Talk:``, ``Template:``, ...)."""
    prefix, colon, _ = title.partition(":")
    return bool(colon) and prefix.strip().lower() in NAMESPACES


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
