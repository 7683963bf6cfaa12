"""Special:Export XML (schema 0.11) of some pages: what ``maintenance/importDump.php`` reads.

The dev wiki loads pages from this XML (``DevWiki.import_xml``): the committed demo tree
(``demo_snapshot.xml``, next to this module) and the pages the tests and benchmarks seed. The
generators of those pages are not part of the package: they live in ``tests/fixtures/snapshot.py``
(``python -m tests.fixtures.snapshot --demo > advocacy_bot/devwiki/demo_snapshot.xml``).

Public API
----------
``SnapshotPage``
    one page: title, wikitext (or JSON) text, one revision's timestamp, contributor, model.
``export_xml(pages, sitename=...)``
    the export XML of some pages.
``namespace_of(title)`` / ``sha1_base36(text)``
    a title's namespace number; MediaWiki's content hash.
"""

from __future__ import annotations

import hashlib
import ipaddress
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass

from ..wikitext.titles import NAMESPACE_NAMES

__all__ = [
    "NAMESPACES",
    "SnapshotPage",
    "export_xml",
    "namespace_of",
    "sha1_base36",
]


EXPORT_VERSION = "0.11"
EXPORT_XMLNS = "http://www.mediawiki.org/xml/export-0.11/"

#: Namespaces written to ``<siteinfo>`` (MediaWiki's canonical names).
# The dev wiki's namespaces as its export's siteinfo lists them: MediaWiki's standard ones.
NAMESPACES: dict[int, str] = {key: name for key, name in NAMESPACE_NAMES.items() if -2 <= key <= 15}
_NS_BY_NAME = {name.lower(): key for key, name in NAMESPACES.items() if key > 0}
_NS_BY_NAME.update({"image": 6, "image talk": 7})

#: Serialization format written for each content model.
CONTENT_FORMATS: dict[str, str] = {
    "wikitext": "text/x-wiki",
    "json": "application/json",
    "css": "text/css",
    "javascript": "text/javascript",
    "text": "text/plain",
}

_TIMESTAMP_RE = re.compile(r"^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$")
_REDIRECT_RE = re.compile(r"^\s*#REDIRECT\s*:?\s*\[\[\s*:?([^\[\]|#]+?)\s*(?:#[^\[\]|]*)?(?:\|[^\[\]]*)?\]\]", re.I)
_BAD_TITLE_CHARS = re.compile(r"[\[\]{}|#<>\x00-\x1f\x7f]")
_XML_INVALID = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff\ud800-\udfff]")


@dataclass
class SnapshotPage:
    """One page of a snapshot: its title and the text of its only revision."""

    title: str
    text: str
    timestamp: str = "2024-01-15T12:00:00Z"
    contributor: str = "Admin"
    model: str = "wikitext"
    #: Edit summary of the revision (optional, not written when empty).
    comment: str = ""

    @property
    def ns(self) -> int:
        return namespace_of(self.title)

    @property
    def redirect_target(self) -> str | None:
        """Target title if the text is a redirect (wikitext only), else None."""
        if self.model != "wikitext":
            return None
        match = _REDIRECT_RE.match(self.text)
        return match.group(1).replace("_", " ") if match else None


def namespace_of(title: str) -> int:
    """Namespace number of a title, from its prefix (0 when the prefix is no namespace)."""
    prefix, colon, rest = title.partition(":")
    if not colon or not rest:
        return 0
    return _NS_BY_NAME.get(prefix.strip().replace("_", " ").lower(), 0)


def sha1_base36(text: str) -> str:
    """MediaWiki's content hash: SHA-1 of the UTF-8 bytes in base 36, padded to 31 digits."""
    number = int(hashlib.sha1(text.encode("utf-8")).hexdigest(), 16)
    digits = "0123456789abcdefghijklmnopqrstuvwxyz"
    out = []
    while number:
        number, rest = divmod(number, 36)
        out.append(digits[rest])
    return "".join(reversed(out)).rjust(31, "0")


def _check_xml_chars(value: str, what: str) -> None:
    bad = _XML_INVALID.search(value)
    if bad:
        raise ValueError(f"{what} contains a character XML cannot carry: {bad.group()!r}")


def _escape_text(value: str) -> str:
    # Like PHP's htmlspecialchars(ENT_NOQUOTES); CR is written as a reference so it survives
    # XML end-of-line normalisation and the text round-trips byte for byte.
    return (
        value.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace("\r", "&#13;")
    )


def _escape_attr(value: str) -> str:
    return (
        _escape_text(value).replace('"', "&quot;").replace("\n", "&#10;").replace("\t", "&#9;")
    )


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
    except ValueError:
        return False
    return True


def _validate(page: SnapshotPage) -> None:
    title = page.title
    if not title or title != title.strip() or title.startswith(":") or "_" in title:
        raise ValueError(f"bad title (use spaces, no padding or leading colon): {title!r}")
    if _BAD_TITLE_CHARS.search(title):
        raise ValueError(f"title contains a character MediaWiki forbids: {title!r}")
    if not _TIMESTAMP_RE.match(page.timestamp):
        raise ValueError(f"{title}: timestamp must look like 2024-01-15T12:00:00Z, not {page.timestamp!r}")
    if page.model not in CONTENT_FORMATS:
        raise ValueError(f"{title}: unknown content model {page.model!r}")
    if not page.contributor:
        raise ValueError(f"{title}: empty contributor")
    if page.model == "json":
        json.loads(page.text)  # raises on invalid JSON
    for value, what in ((title, "title"), (page.text, "text"), (page.contributor, "contributor"),
                        (page.comment, "comment")):
        _check_xml_chars(value, f"{title}: {what}")


def export_xml(pages: Iterable[SnapshotPage], sitename: str = "Advocacy Dev Wiki") -> str:
    """Special:Export XML (schema 0.11) of ``pages``, one revision each, in the given order.

    Page and revision ids are numbered from 1 (importDump.php assigns its own). Raises
    ValueError on an invalid or duplicate title, a bad timestamp, an unknown model, invalid
    JSON in a JSON page, or characters that XML cannot carry.
    """
    _check_xml_chars(sitename, "sitename")
    out = [
        f'<mediawiki xmlns="{EXPORT_XMLNS}" xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" '
        f'xsi:schemaLocation="{EXPORT_XMLNS} http://www.mediawiki.org/xml/export-{EXPORT_VERSION}.xsd" '
        f'version="{EXPORT_VERSION}" xml:lang="en">\n',
        "  <siteinfo>\n",
        f"    <sitename>{_escape_text(sitename)}</sitename>\n",
        "    <generator>advocacy-bot snapshot</generator>\n",
        "    <case>first-letter</case>\n",
        "    <namespaces>\n",
    ]
    for key, name in NAMESPACES.items():
        if name:
            out.append(f'      <namespace key="{key}" case="first-letter">{_escape_text(name)}</namespace>\n')
        else:
            out.append(f'      <namespace key="{key}" case="first-letter" />\n')
    out.append("    </namespaces>\n  </siteinfo>\n")

    seen: set[str] = set()
    for number, page in enumerate(pages, start=1):
        _validate(page)
        first_upper = page.title[:1].upper() + page.title[1:]
        if first_upper in seen:
            raise ValueError(f"duplicate title: {page.title!r}")
        seen.add(first_upper)
        data = page.text.encode("utf-8")
        sha1 = sha1_base36(page.text)
        out.append("  <page>\n")
        out.append(f"    <title>{_escape_text(page.title)}</title>\n")
        out.append(f"    <ns>{page.ns}</ns>\n")
        out.append(f"    <id>{number}</id>\n")
        target = page.redirect_target
        if target:
            out.append(f'    <redirect title="{_escape_attr(target)}" />\n')
        out.append("    <revision>\n")
        out.append(f"      <id>{number}</id>\n")
        out.append(f"      <timestamp>{page.timestamp}</timestamp>\n")
        out.append("      <contributor>\n")
        if _is_ip(page.contributor):
            out.append(f"        <ip>{_escape_text(page.contributor)}</ip>\n")
        else:
            out.append(f"        <username>{_escape_text(page.contributor)}</username>\n")
        out.append("      </contributor>\n")
        if page.comment:
            out.append(f"      <comment>{_escape_text(page.comment)}</comment>\n")
        out.append(f"      <origin>{number}</origin>\n")
        out.append(f"      <model>{page.model}</model>\n")
        out.append(f"      <format>{CONTENT_FORMATS[page.model]}</format>\n")
        out.append(
            f'      <text bytes="{len(data)}" sha1="{sha1}" xml:space="preserve">'
            f"{_escape_text(page.text)}</text>\n"
        )
        out.append(f"      <sha1>{sha1}</sha1>\n")
        out.append("    </revision>\n")
        out.append("  </page>\n")
    out.append("</mediawiki>\n")
    return "".join(out)
