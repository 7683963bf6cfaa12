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
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

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


@dataclass(frozen=True)
class Namespaces:
    """The namespace prefixes a wiki knows: each one's lower-case form (MediaWiki matches prefixes
    without regard to case) -> the name the wiki spells it with."""

    spellings: Mapping[str, str]

    @classmethod
    def standard(cls) -> Namespaces:
        """Without a wiki's answer (pure code, tests, settings checked before the wiki is asked):
        MediaWiki's standard names and Meta-Wiki's aliases, each spelt as itself."""
        names = (*NAMESPACE_NAMES.values(), *NAMESPACE_ALIASES)
        return cls({name.lower(): name for name in names if name})

    @classmethod
    def of_site(cls, namespaces: Iterable[tuple[str, Iterable[str]]]) -> Namespaces:
        """From a wiki's site info: for each namespace, the name it spells and its other names
        (canonical name, aliases), all of which MediaWiki turns into that name."""
        spellings: dict[str, str] = {}
        for name, others in namespaces:
            if name:
                for other in (*others, name):
                    if other:
                        spellings[other.replace("_", " ").lower()] = name
        return cls(spellings)

    def spelling(self, prefix: str) -> str | None:
        """The wiki's name for the namespace ``prefix`` names (None: not a namespace, so part of a
        main-namespace title)."""
        return self.spellings.get(re.sub(r"[\s_]+", " ", prefix).strip().lower())


_site_namespaces = Namespaces.standard()


def use_site_namespaces(namespaces: Namespaces) -> None:
    """Spell titles with the names of the wiki a run talks to (its site info, BotRun.start)."""
    global _site_namespaces
    _site_namespaces = namespaces


def site_namespaces() -> Namespaces:
    """The names titles are spelt with now: the wiki's once a run has asked it, else the standard ones."""
    return _site_namespaces


MAX_BYTES = 255
_ILLEGAL = re.compile(r"[#<>\[\]|{}\x00-\x1f\x7f\ufffd]")
_ESCAPE = re.compile(r"%[0-9A-Fa-f]{2}|&[A-Za-z0-9\x80-\uffff]+;|&#x?[0-9A-Fa-f]+;")
_RELATIVE = re.compile(r"^\.\.?$|^\.\.?/|/\.\.?/|/\.\.?$")


def normalize_title(title: str, namespaces: Namespaces | None = None) -> str:
    """MediaWiki's spelling of a title: spaces for underscores and runs of spaces, no leading colon,
    the namespace as the wiki names it (``namespaces``, else :func:`site_namespaces`), the first
    letter of the page name in upper case."""
    title = re.sub(r"[\s_]+", " ", title).strip().lstrip(":").strip()
    prefix, colon, rest = title.partition(":")
    spelt = (namespaces or _site_namespaces).spelling(prefix) if colon else None
    if spelt:
        rest = rest.strip()
        return f"{spelt}:{rest[:1].upper()}{rest[1:]}"
    return title[:1].upper() + title[1:]


def has_namespace(title: str, namespaces: Namespaces | None = None) -> bool:
    """Whether ``title`` starts with a namespace prefix (``Talk:``, ``Template:``, ...)."""
    prefix, colon, _ = title.partition(":")
    return bool(colon) and (namespaces or _site_namespaces).spelling(prefix) is not None


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
