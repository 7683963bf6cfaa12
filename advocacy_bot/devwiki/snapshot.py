"""Demo snapshot of a Global Advocacy tree, written as MediaWiki export XML (schema 0.11).

The XML is what ``Special:Export`` produces and ``maintenance/importDump.php`` reads, so the
same pages can be loaded into a throwaway MediaWiki for integration tests::

    python -m advocacy_bot.devwiki.snapshot --demo > advocacy_bot/devwiki/demo_snapshot.xml
    python -m advocacy_bot.devwiki.snapshot --large 2000 > /tmp/large.xml

Public API
----------
``SnapshotPage``
    one page: title, wikitext (or JSON) text, one revision's timestamp, contributor, model.
``export_xml(pages, sitename=...)``
    the export XML of some pages.
``demo_pages()``
    the project's demo tree (hand-written; the drift it carries is listed below).
``large_tree_pages(n_pages, drift_ratio=0.05, seed=0)`` / ``large_tree_drift_titles(...)``
    a deterministic synthetic tree for request-count measurements, and which of its
    pages carry drift.
``large_talk_page(n_threads, seed=0)``
    a feedback talk page with many threads of mixed age and an archivebot configuration.

The demo tree (root ``Global Advocacy``)
----------------------------------------
Canonical tab order: Home | About | Documentation | Resource Center | Conversation Hours and
Events | Get Involved | FAQ | Announcements | Discussion (``TABS``).  The header template
``Template:Global Advocacy/Header`` does not exist yet: the bot is expected to write it.

=========================================== ===============================================
page                                        drift it carries
=========================================== ===============================================
Global Advocacy                             ``<div>`` bar with `` | `` (complete, hand-copied);
                                            "The team": Liesbeth van Roon missing, Samir
                                            Qasemi (left) still listed, two stale titles
Global Advocacy/About                       ``<div>`` bar without "Conversation Hours and
                                            Events", current tab in bold
Global Advocacy/Documentation               wikitable bar, each label its own inline
                                            ``<translate>`` unit (markers T:1-T:9)
Global Advocacy/Resource Center             ``<div>`` bar with ``Resources`` (linking to the
                                            redirect) instead of ``Resource Center``
Global Advocacy/Resource Center/Copyright   plain `` · `` line of links after a breadcrumb
Global Advocacy/Conversation Hours and      bar inside a ``<translate>`` block as its own unit
Events                                      (marker T:1)
Global Advocacy/Get Involved                ``{{Global Advocacy/Header|current=faq}}`` (wrong
                                            current; should be ``get-involved``)
Global Advocacy/FAQ                         plain `` · `` line, current tab in bold; regional
                                            contacts: Daniel Ashgrove missing, Samir Qasemi
                                            extra, a stale title for Liesbeth van Roon
Global Advocacy/Announcements               ``{{nobots}}`` (the bot must leave it alone) and a
                                            complete ``<div>`` bar
Global Advocacy/da, /ru, /About/ja,         FuzzyBot translation pages rendered from older
Global Advocacy/FAQ/en                      marked versions (old bars, old team/contact lists)
Global Advocacy/Resources                   redirect to the Resource Center (never edit)
Public policy, Public policy/FAQ            legacy root (redirect) and a stale copy with the
                                            old 8-tab bar (not in the tree)
Global Advocacy Extra                       starts like the root but is not in the tree
Talk:Global Advocacy (+ /Archive 1)         feedback page, 12 threads, archivebot config
User:AdvocacyBot/roster.json                canonical staff roster (JSON content model)
User:AdvocacyBot/state.json                 the bot's memory of unit ids (root: up to T:32)
=========================================== ===============================================

On Meta-Wiki the "This page is a translated version of the page X ..." banner of a translation
page is added by Translate when the page is rendered; it is not in the wikitext.  The dev wiki
has no Translate extension, so the snapshot writes the banner into the translation pages' text
to make them look on the dev wiki as they look on Meta.  Code must not rely on the banner to
recognise translation pages (use the ``/<language code>`` suffix, FuzzyBot, or the Translate API).

The demo talk page is written for ``DEMO_NOW`` (20 November 2026): with ``algo=old(90d)`` five of
its twelve threads are recent at that date and seven are old.
"""

from __future__ import annotations

import argparse
import hashlib
import ipaddress
import json
import random
import re
import sys
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

__all__ = [
    "SnapshotPage",
    "export_xml",
    "demo_pages",
    "large_tree_pages",
    "large_tree_drift_titles",
    "large_talk_page",
    "namespace_of",
    "sha1_base36",
    "signature",
    "TABS",
    "ROSTER",
    "DEMO_NOW",
]

# ---------------------------------------------------------------------------------------------
# Export XML
# ---------------------------------------------------------------------------------------------

EXPORT_VERSION = "0.11"
EXPORT_XMLNS = "http://www.mediawiki.org/xml/export-0.11/"

#: Namespaces written to ``<siteinfo>`` (MediaWiki's canonical names).
NAMESPACES: dict[int, str] = {
    -2: "Media",
    -1: "Special",
    0: "",
    1: "Talk",
    2: "User",
    3: "User talk",
    4: "Project",
    5: "Project talk",
    6: "File",
    7: "File talk",
    8: "MediaWiki",
    9: "MediaWiki talk",
    10: "Template",
    11: "Template talk",
    12: "Help",
    13: "Help talk",
    14: "Category",
    15: "Category talk",
}
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


# ---------------------------------------------------------------------------------------------
# Shared vocabulary: tabs, roster, signatures
# ---------------------------------------------------------------------------------------------

ROOT = "Global Advocacy"
TALK_ROOT = "Talk:Global Advocacy"
HEADER_TEMPLATE = "Template:Global Advocacy/Header"
ROSTER_PAGE = "User:AdvocacyBot/roster.json"
STATE_PAGE = "User:AdvocacyBot/state.json"

#: Reference "now" of the demo talk page (which threads are old under algo=old(90d)).
DEMO_NOW = datetime(2026, 11, 20, 12, 0, tzinfo=UTC)


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    #: Subpage suffix under the root ("" for the root); None for the root's talk page.
    suffix: str | None


#: The navigation tabs as the English pages should show them, in order.
TABS: tuple[Tab, ...] = (
    Tab("home", "Home", ""),
    Tab("about", "About", "/About"),
    Tab("documentation", "Documentation", "/Documentation"),
    Tab("resource-center", "Resource Center", "/Resource Center"),
    Tab("conversation-hours", "Conversation Hours and Events", "/Conversation Hours and Events"),
    Tab("get-involved", "Get Involved", "/Get Involved"),
    Tab("faq", "FAQ", "/FAQ"),
    Tab("announcements", "Announcements", "/Announcements"),
    Tab("discussion", "Discussion", None),
)
_TAB_BY_KEY = {tab.key: tab for tab in TABS}

#: The canonical staff list (fictional people), as stored in ``User:AdvocacyBot/roster.json``.
ROSTER: tuple[dict, ...] = (
    {"key": "mokonkwohale", "name": "Marguerite Okonkwo-Hale", "title": "Vice President of Global Advocacy",
     "region": "Global", "username": "MOkonkwo-Hale (WMF)", "email": "mokonkwohale@example.org"},
    {"key": "twielgosz", "name": "Tomasz Wielgosz", "title": "Public Policy Director",
     "region": "Global", "username": "TWielgosz (WMF)", "email": "twielgosz@example.org"},
    {"key": "pramanathancole", "name": "Priya Ramanathan-Cole", "title": "Lead Public Policy Analyst",
     "region": "Global", "username": "PRamanathan-Cole (WMF)"},
    {"key": "olindqvist", "name": "Oskar Lindqvist", "title": "Anti-Disinformation Strategy Lead",
     "region": "Global", "username": None},
    {"key": "alferraz", "name": "Ana Lúcia Ferraz",
     "title": "Lead Public Policy Specialist (Latin America and the Caribbean)",
     "region": "Latin America and the Caribbean", "username": "ALFerraz (WMF)", "email": "alferraz@example.org"},
    {"key": "dashgrove", "name": "Daniel Ashgrove", "title": "Lead Public Policy Specialist (North America)",
     "region": "North America", "username": "DAshgrove (WMF)", "email": "dashgrove@example.org"},
    {"key": "htakenaka", "name": "Harumi Takenaka", "title": "Lead Public Policy Specialist (Asia)",
     "region": "Asia", "username": "HTakenaka (WMF)", "email": "htakenaka@example.org"},
    {"key": "lvanroon", "name": "Liesbeth van Roon", "title": "Public Policy Specialist (Europe)",
     "region": "Europe", "username": "LvanRoon (WMF)", "email": "lvanroon@example.org"},
    {"key": "rkiplagat", "name": "Rosa Kiplagat", "title": "Senior Movement Advocacy Manager",
     "region": "Global", "username": "RKiplagat (WMF)"},
    {"key": "gfarrow", "name": "Gideon Farrow", "title": "Senior Editorial Project Manager",
     "region": "Global", "username": None},
    {"key": "nhaddadlorimer", "name": "Nadia Haddad-Lorimer", "title": "Senior Human Rights Advocacy Manager",
     "region": "Global", "username": "NHaddad-Lorimer (WMF)"},
    {"key": "boyelaran", "name": "Beatrix Oyelaran", "title": "Senior Operations Manager",
     "region": "Global", "username": "BOyelaran (WMF)"},
)

_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August",
           "September", "October", "November", "December")


def _sig_time(when: datetime) -> str:
    return f"{when:%H:%M}, {when.day} {_MONTHS[when.month - 1]} {when.year} (UTC)"


def signature(user: str, when: datetime | str) -> str:
    """A talk-page signature: ``[[User:X|X]] ([[User talk:X|talk]]) 12:30, 5 May 2024 (UTC)``.

    ``when`` is a datetime (UTC) or a string ``"YYYY-MM-DD HH:MM"``.
    """
    if isinstance(when, str):
        when = datetime.strptime(when, "%Y-%m-%d %H:%M").replace(tzinfo=UTC)
    return f"[[User:{user}|{user}]] ([[User talk:{user}|talk]]) {_sig_time(when)}"


def _iso(when: datetime) -> str:
    return when.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ")


# ---------------------------------------------------------------------------------------------
# Navigation bars in the shapes found on the pages
# ---------------------------------------------------------------------------------------------

def _nav_links(
    root: str = ROOT,
    *,
    mylang: bool = True,
    omit: Sequence[str] = (),
    labels: Mapping[str, str] | None = None,
    targets: Mapping[str, str] | None = None,
    bold: str | None = None,
    wrap: Callable[[str, str], str] | None = None,
) -> list[str]:
    """Links of a hand-made tab bar.

    ``labels``/``targets`` override a tab's label or link target by key; ``bold`` puts one tab
    in bold; ``wrap(key, label)`` rewrites a label (e.g. to put it in a ``<translate>`` unit).
    """
    links = []
    for tab in TABS:
        if tab.key in omit:
            continue
        if tab.suffix is None:
            target = "Talk:" + root
        else:
            target = root + tab.suffix
            if mylang:
                target = "Special:MyLanguage/" + target
        if targets and tab.key in targets:
            target = targets[tab.key]
        label = (labels or {}).get(tab.key, tab.label)
        if wrap:
            label = wrap(tab.key, label)
        link = f"[[{target}|{label}]]"
        if tab.key == bold:
            link = f"'''{link}'''"
        links.append(link)
    return links


def _bar_div(links: Sequence[str], style: str = "text-align:center; margin-bottom:1em;") -> str:
    return f'<div class="ga-nav" style="{style}">\n' + " | ".join(links) + "\n</div>"


def _bar_table(links: Sequence[str]) -> str:
    return (
        '{| class="wikitable ga-nav" style="width:100%; text-align:center; font-size:95%;"\n|-\n'
        + "\n".join("| " + link for link in links)
        + "\n|}"
    )


def _bar_dots(links: Sequence[str]) -> str:
    return " · ".join(links)


def _header_call(current: str) -> str:
    return "{{Global Advocacy/Header|current=" + current + "}}"


def _en(text: str) -> str:
    """An untranslated unit on a translation page, as Translate renders it (block)."""
    return '<div lang="en" dir="ltr" class="mw-content-ltr">\n' + text + "\n</div>"


def _en_span(text: str) -> str:
    """An untranslated inline unit on a translation page."""
    return '<span lang="en" dir="ltr" class="mw-content-ltr">' + text + "</span>"


def _fuzzy(text: str) -> str:
    """An outdated (fuzzy) block unit on a translation page."""
    return '<div class="mw-translate-fuzzy">\n' + text + "\n</div>"


def _banner(source: str, percent: int, outdated: bool = False) -> str:
    text = (
        '<div class="mw-pt-translate-header noprint" dir="ltr" lang="en">This page is a translated '
        f"version of the page [[{source}]] and the translation is {percent}% complete."
    )
    if outdated:
        text += ' <span class="mw-translate-fuzzy">Outdated translations are marked like this.</span>'
    return text + "</div>"


_FUZZYBOT_SUMMARY = "Updating to match new version of source page"


def _translation_page(title: str, text: str, timestamp: str) -> SnapshotPage:
    return SnapshotPage(title, text, timestamp, "FuzzyBot", comment=_FUZZYBOT_SUMMARY)


# ---------------------------------------------------------------------------------------------
# The demo tree
# ---------------------------------------------------------------------------------------------

def _roster_json() -> str:
    document = {
        "description": "Canonical staff list of the Global Advocacy team, used by AdvocacyBot to "
                       "keep team and contact lists in step. Names are never translated; titles are.",
        "updated": "2026-09-01",
        "members": [dict(member) for member in ROSTER],
    }
    return json.dumps(document, ensure_ascii=False, indent=4)


def _root_text() -> str:
    bar = _bar_div(_nav_links(), style="text-align:center; margin:0 0 1em 0; font-size:105%;")
    return "<languages/>\n" + bar + """
<translate>
== Welcome to Global Advocacy == <!--T:1-->

<!--T:2-->
The Global Advocacy team at the Wikimedia Foundation works alongside volunteers, affiliates and partner organizations to defend the legal and policy conditions that free knowledge needs. We follow proposed laws and regulations around the world, explain what they could mean for Wikimedia projects, and help communities take part in the decisions that affect them.

<!--T:3-->
This portal is the front door to that work. Use the tabs above to learn what we do, browse briefings and toolkits in the Resource Center, join one of our conversation hours, or ask us a question on the [[<tvar name=talk>Talk:Global Advocacy</tvar>|discussion page]].

== What we work on == <!--T:4-->

<!--T:5-->
* '''Access to knowledge''' – keeping Wikimedia projects reachable everywhere and pushing back against website blocking and censorship.
* '''Platform regulation''' – making sure that rules written for large commercial platforms leave room for community-led content moderation.
* '''Copyright''' – supporting a rich public domain, freedom of panorama, and fair exceptions for education and research.
* '''Privacy and free expression''' – protecting the ability of contributors to take part safely, including under a pseudonym.

== The team == <!--T:6-->

<!--T:7-->
We are a small team spread across several time zones. If you are not sure whom to contact, write on the discussion page and we will pass your question on.
</translate>

* '''Marguerite Okonkwo-Hale''' – <translate><!--T:8--> Vice President of Global Advocacy</translate>
* '''Tomasz Wielgosz''' – <translate><!--T:9--> Public Policy Director</translate>
* '''Priya Ramanathan-Cole''' – <translate><!--T:10--> Lead Public Policy Analyst</translate>
* '''Oskar Lindqvist''' – <translate><!--T:11--> Anti-Disinformation Strategy Lead</translate>
* '''Ana Lúcia Ferraz''' – <translate><!--T:12--> Lead Public Policy Specialist (Latin America and the Caribbean)</translate>
* '''Daniel Ashgrove''' – <translate><!--T:13--> Lead Public Policy Specialist (North America)</translate>
* '''Harumi Takenaka''' – <translate><!--T:14--> Senior Public Policy Specialist (Asia)</translate>
* '''Samir Qasemi''' – <translate><!--T:15--> Public Policy Specialist (Middle East and North Africa)</translate>
* '''Rosa Kiplagat''' – <translate><!--T:16--> Movement Advocacy Manager</translate>
* '''Gideon Farrow''' – <translate><!--T:18--> Senior Editorial Project Manager</translate>
* '''Nadia Haddad-Lorimer''' – <translate><!--T:19--> Senior Human Rights Advocacy Manager</translate>
* '''Beatrix Oyelaran''' – <translate><!--T:20--> Senior Operations Manager</translate>

<translate>
== Contact us == <!--T:21-->

<!--T:22-->
* Email: <tvar name=email>globaladvocacy@example.org</tvar>
* Twitter/X: <tvar name=x>[https://x.example.org/WikimediaPolicy @WikimediaPolicy]</tvar>
* Diff blog: <tvar name=diff>[https://diff.example.org/category/advocacy/ Global Advocacy posts]</tvar>
* Mailing list: <tvar name=list>[https://lists.example.org/postorius/lists/publicpolicy/ publicpolicy]</tvar>

<!--T:23-->
Feedback on this portal is always welcome on the [[Talk:Global Advocacy|discussion page]].
</translate>

[[Category:Global Advocacy]]"""


def _about_text() -> str:
    bar = _bar_div(_nav_links(omit=("conversation-hours",), bold="about"))
    return "<languages/>\n" + bar + """
<translate>
== About us == <!--T:1-->

<!--T:2-->
Laws and regulations increasingly shape what people can read, write and share online. The Global Advocacy team exists so that the Wikimedia movement has a voice when those rules are written. We work in the open, we coordinate with affiliates who know their local context best, and we publish what we learn.

== Our priorities == <!--T:3-->

<!--T:4-->
Each year we choose a small number of priorities together with community members and affiliates. For the current cycle they are:
# protecting the ability of volunteers to govern content on Wikimedia projects;
# expanding access to knowledge through copyright reform;
# defending the privacy of contributors and readers;
# countering disinformation without undermining free expression.

== How we work == <!--T:5-->

<!--T:7-->
We publish position papers and consultation responses in the [[<tvar name=docs>Special:MyLanguage/Global Advocacy/Documentation</tvar>|Documentation]] section, host regular [[<tvar name=events>Special:MyLanguage/Global Advocacy/Conversation Hours and Events</tvar>|conversation hours]], and support affiliates who want to engage with lawmakers in their own countries. We do not campaign for or against any political party or candidate.

== Our principles == <!--T:8-->

<!--T:9-->
* '''Transparency''' – we explain our positions and publish our submissions.
* '''Community first''' – the people who build the projects should shape the rules that govern them.
* '''Global perspective''' – a law passed in one country can change what readers see everywhere.
</translate>

[[Category:Global Advocacy]]"""


def _documentation_text() -> str:
    ids = {tab.key: n for n, tab in enumerate(TABS, start=1)}
    links = _nav_links(
        bold="documentation",
        wrap=lambda key, label: f"<translate><!--T:{ids[key]}--> {label}</translate>",
    )
    return "<languages/>\n" + _bar_table(links) + """
<translate>
== Documentation == <!--T:10-->

<!--T:11-->
This section collects the public documents the Global Advocacy team has written or co-signed: consultation responses, position papers, open letters and explainers. Most documents are in English; summaries in other languages are very welcome.

=== Position papers === <!--T:12-->

<!--T:13-->
* ''Community content moderation and platform regulation'' (2025) – why rules for platforms must tell volunteer-governed projects apart from commercial services.
* ''Text and data mining exceptions'' (2024) – our view on research exceptions in copyright law.
* ''Intermediary liability in South and Southeast Asia'' (2024) – a comparative overview prepared with regional affiliates.

=== Consultation responses === <!--T:14-->

<!--T:15-->
{| class="wikitable sortable"
! Year !! Jurisdiction !! Topic
|-
| 2026 || European Union || Guidelines on the protection of minors online
|-
| 2025 || Brazil || Draft bill on platform transparency
|-
| 2025 || India || Draft rules on digital personal data protection
|-
| 2024 || United Kingdom || Online safety codes of practice
|}

<!--T:16-->
If you know of a consultation we should respond to, please tell us on the [[Talk:Global Advocacy|discussion page]].
</translate>

[[Category:Global Advocacy]]"""


def _resource_center_text() -> str:
    links = _nav_links(
        labels={"resource-center": "Resources"},
        targets={"resource-center": "Special:MyLanguage/Global Advocacy/Resources"},
        bold="resource-center",
    )
    return "<languages/>\n" + _bar_div(links) + """
<translate>
== Resource Center == <!--T:1-->

<!--T:2-->
The Resource Center gathers material that volunteers and affiliates can reuse when they talk to policymakers, journalists or their own communities. Everything here is freely licensed unless stated otherwise.

=== Toolkits === <!--T:3-->

<!--T:4-->
* [[<tvar name=copyright>Special:MyLanguage/Global Advocacy/Resource Center/Copyright</tvar>|Copyright and the public domain]] – talking points, case studies and a glossary.
* ''Meeting a lawmaker'' – a short guide to preparing for a first meeting, with a checklist.
* ''Explaining Wikipedia's model'' – slides that describe how volunteers write and moderate content.

=== Reading list === <!--T:5-->

<!--T:6-->
A reading list on internet regulation, kept together with researchers from several universities, is updated every quarter. Suggestions are welcome on the discussion page.
</translate>

[[Category:Global Advocacy]]"""


def _copyright_text() -> str:
    breadcrumb = ('<div class="ga-breadcrumb" style="font-size:90%;">&lt; '
                  "[[Special:MyLanguage/Global Advocacy/Resource Center|Resource Center]]</div>")
    return "<languages/>\n" + breadcrumb + "\n" + _bar_dots(_nav_links()) + """
<translate>
== Copyright and the public domain == <!--T:1-->

<!--T:2-->
Wikimedia projects depend on works that anyone may reuse. Copyright rules decide how much of the world's culture can be shared on Wikipedia and Wikimedia Commons, and for how long.

=== Talking points === <!--T:3-->

<!--T:4-->
* A strong public domain benefits creators as well as readers.
* Freedom of panorama lets people photograph public buildings and artworks & share those photos.
* Exceptions for education, research and preservation should work online as they do offline.

=== Further reading === <!--T:5-->

<!--T:6-->
See the [[<tvar name=docs>Special:MyLanguage/Global Advocacy/Documentation</tvar>|Documentation]] page for our consultation responses on copyright, and "Copyright & AI training data" in the notes of the June 2026 conversation hour.
</translate>

[[Category:Global Advocacy]]"""


def _conversation_hours_text() -> str:
    bar = '<div class="ga-nav">' + " | ".join(_nav_links()) + "</div>"
    return "<languages/>\n<translate>\n<!--T:1-->\n" + bar + """

== Conversation hours == <!--T:2-->

<!--T:3-->
Conversation hours are open video calls where anyone can ask the team about our work, bring news about laws in their country, or simply listen. They last one hour and are held in English, with interpretation into other languages when we can arrange it.

== Upcoming == <!--T:4-->

<!--T:5-->
* '''<tvar name=date1>4 December 2026</tvar>''', <tvar name=time1>14:00–15:00 UTC</tvar> – Year in review: what changed for free knowledge in 2026.
* '''<tvar name=date2>22 January 2027</tvar>''', <tvar name=time2>05:00–06:00 UTC</tvar> – Asia-Pacific session on intermediary liability.

== Past events == <!--T:6-->

<!--T:7-->
* 9 October 2026 – Platform regulation in Latin America.
* 12 June 2026 – Copyright and AI training data: what is at stake for Commons.
* 20 March 2026 – A tour of the Resource Center.

<!--T:8-->
Notes are posted on the discussion page after each session. If you would like to propose a topic, leave a message on the [[Talk:Global Advocacy|discussion page]].
</translate>

[[Category:Global Advocacy]]"""


def _get_involved_text() -> str:
    return "<languages/>\n" + _header_call("faq") + """
<translate>
== Get involved == <!--T:1-->

<!--T:2-->
You do not need to be a lawyer to help. Many of the most useful contributions come from volunteers who notice a bill in their country, translate a summary, or explain to a journalist how Wikipedia works.

=== Ways to help === <!--T:3-->

<!--T:4-->
* '''Tell us what is happening.''' If a proposed law could affect Wikimedia projects where you live, post a note on the [[Talk:Global Advocacy|discussion page]].
* '''Translate.''' Help make our briefings available in more languages.
* '''Join a conversation hour.''' See [[<tvar name=events>Special:MyLanguage/Global Advocacy/Conversation Hours and Events</tvar>|Conversation Hours and Events]].
* '''Work with your affiliate.''' Many chapters and user groups have a policy contact; we are glad to support them.

=== Mailing list === <!--T:5-->

<!--T:6-->
The public policy mailing list is a low-traffic list for announcements and discussion. Anyone may subscribe.
</translate>

[[Category:Global Advocacy]]"""


def _faq_text() -> str:
    return "<languages/>\n" + _bar_dots(_nav_links(bold="faq")) + """
<translate>
== Frequently asked questions == <!--T:1-->

=== What is Global Advocacy? === <!--T:2-->

<!--T:3-->
Global Advocacy is the team at the Wikimedia Foundation that follows laws and policies affecting free knowledge and works with the movement to respond to them.

=== Does the Foundation speak for the communities? === <!--T:4-->

<!--T:5-->
No. We speak for the Wikimedia Foundation. When a position affects a community directly, we consult that community and affiliates before we publish it, and we say so in the document.

=== Whom should I contact about a law in my country? === <!--T:6-->

<!--T:7-->
Start with the regional policy specialist responsible for your region (see also the staff list on the [[<tvar name=home>Special:MyLanguage/Global Advocacy</tvar>|main page]]):
* Latin America and the Caribbean – Ana Lúcia Ferraz, Lead Public Policy Specialist (Latin America and the Caribbean)
* Asia – Harumi Takenaka, Lead Public Policy Specialist (Asia)
* Europe – Liesbeth van Roon, Public Policy Advisor (Europe)
* Middle East and North Africa – Samir Qasemi, Public Policy Specialist (Middle East and North Africa)

<!--T:8-->
If your region is not listed, write to the team on the [[Talk:Global Advocacy|discussion page]].

=== How can I give feedback on these pages? === <!--T:9-->

<!--T:10-->
Please share your feedback via the talk page. We read every message and answer most of them within a week.
</translate>

[[Category:Global Advocacy]]"""


def _announcements_text() -> str:
    return "{{nobots}}\n<languages/>\n" + _bar_div(_nav_links(bold="announcements")) + """
<translate>
== Announcements == <!--T:1-->

<!--T:2-->
News from the Global Advocacy team, newest first. Older announcements are kept in the page history.

=== November 2026: year-in-review conversation hour === <!--T:3-->

<!--T:4-->
Our last conversation hour of the year takes place on <tvar name=date>4 December 2026</tvar>. We will look back at the laws that changed in 2026 and at what is coming next year.

=== September 2026: a new regional specialist for Europe === <!--T:5-->

<!--T:6-->
We are glad to welcome Liesbeth van Roon, who joins the team as Public Policy Specialist (Europe).

=== April 2025: "Resources" is now the Resource Center === <!--T:7-->

<!--T:8-->
The former Resources section is now called the Resource Center. Old links keep working through a redirect.
</translate>

[[Category:Global Advocacy]]"""


# Old bar of the root, as it was when the root was last marked for translation (March 2025):
# each label an inline unit, "Resources" before the rename.
_OLD_ROOT_LABEL_IDS = {"home": 24, "about": 25, "documentation": 26, "resource-center": 27,
                       "conversation-hours": 28, "get-involved": 29, "faq": 30,
                       "announcements": 31, "discussion": 32}


def _old_root_links(translated: Mapping[str, str]) -> list[str]:
    return _nav_links(
        labels={"resource-center": "Resources"},
        targets={"resource-center": "Special:MyLanguage/Global Advocacy/Resources"},
        wrap=lambda key, label: translated.get(key) or _en_span(label),
    )


_OLD_TEAM_EN = (
    ("Marguerite Okonkwo-Hale", "Vice President of Global Advocacy"),
    ("Tomasz Wielgosz", "Public Policy Director"),
    ("Priya Ramanathan-Cole", "Lead Public Policy Analyst"),
    ("Oskar Lindqvist", "Anti-Disinformation Strategy Lead"),
    ("Ana Lúcia Ferraz", "Lead Public Policy Specialist (Latin America and the Caribbean)"),
    ("Daniel Ashgrove", "Lead Public Policy Specialist (North America)"),
    ("Harumi Takenaka", "Senior Public Policy Specialist (Asia)"),
    ("Samir Qasemi", "Public Policy Specialist (Middle East and North Africa)"),
    ("Rosa Kiplagat", "Movement Advocacy Manager"),
    ("Gideon Farrow", "Senior Editorial Project Manager"),
    ("Nadia Haddad-Lorimer", "Senior Human Rights Advocacy Manager"),
    ("Beatrix Oyelaran", "Senior Operations Manager"),
)


def _old_team(translated_titles: Mapping[str, str]) -> str:
    lines = []
    for name, title in _OLD_TEAM_EN:
        lines.append(f"* '''{name}''' – " + translated_titles.get(name, _en_span(title)))
    return "\n".join(lines)


def _root_da_text() -> str:
    bar = _bar_div(_old_root_links({}), style="text-align:center; margin:0 0 1em 0; font-size:105%;")
    return "<languages/>\n" + _banner("Global Advocacy", 0) + "\n" + bar + "\n" + "\n\n".join([
        "== Welcome to Global Advocacy ==",
        _en("The Global Advocacy team at the Wikimedia Foundation works alongside volunteers, affiliates and partner organizations to defend the legal and policy conditions that free knowledge needs. We follow proposed laws and regulations around the world and explain what they could mean for Wikimedia projects."),
        _en("This portal is the front door to that work. Use the tabs above to learn what we do, browse briefings and toolkits, join one of our conversation hours, or ask us a question on the [[Talk:Global Advocacy|discussion page]]."),
        "== What we work on ==",
        _en("* '''Access to knowledge''' – keeping Wikimedia projects reachable everywhere.\n* '''Platform regulation''' – making sure that rules written for large commercial platforms leave room for community-led content moderation.\n* '''Copyright''' – supporting a rich public domain and fair exceptions for education and research.\n* '''Privacy and free expression''' – protecting the ability of contributors to take part safely."),
        "== The team ==",
        _en("We are a small team spread across several time zones."),
    ]) + "\n\n" + _old_team({}) + "\n\n" + "\n\n".join([
        "== Contact us ==",
        _en("* Email: globaladvocacy@example.org\n* Twitter: [https://x.example.org/WikimediaPolicy @WikimediaPolicy]\n* Diff: [https://diff.example.org/category/advocacy/ Global Advocacy posts]"),
    ]) + "\n\n[[Category:Global Advocacy]]"


def _root_ru_text() -> str:
    labels = {
        "home": "Главная",
        "about": "О нас",
        "documentation": "Документация",
        "get-involved": "Участвуйте",
        "discussion": "Обсуждение",
    }
    bar = _bar_div(_old_root_links(labels), style="text-align:center; margin:0 0 1em 0; font-size:105%;")
    titles = {
        "Marguerite Okonkwo-Hale": "Вице-президент по глобальной адвокации",
        "Tomasz Wielgosz": "Директор по публичной политике",
        "Samir Qasemi": '<span class="mw-translate-fuzzy">Специалист по публичной политике (Ближний Восток)</span>',
    }
    return "<languages/>\n" + _banner("Global Advocacy", 12, outdated=True) + "\n" + bar + "\n" + "\n\n".join([
        "== Добро пожаловать в раздел «Глобальная адвокация» ==",
        _fuzzy("Команда глобальной адвокации Фонда Викимедиа вместе с волонтёрами, аффилиатами и партнёрскими организациями защищает правовые условия, необходимые для свободного знания. Мы следим за законопроектами по всему миру и объясняем, что они могут означать для проектов Викимедиа."),
        _en("This portal is the front door to that work. Use the tabs above to learn what we do, browse briefings and toolkits, join one of our conversation hours, or ask us a question on the [[Talk:Global Advocacy|discussion page]]."),
        "== What we work on ==",
        _en("* '''Access to knowledge''' – keeping Wikimedia projects reachable everywhere.\n* '''Platform regulation''' – making sure that rules written for large commercial platforms leave room for community-led content moderation.\n* '''Copyright''' – supporting a rich public domain and fair exceptions for education and research.\n* '''Privacy and free expression''' – protecting the ability of contributors to take part safely."),
        "== Команда ==",
        "Мы небольшая команда, работающая в нескольких часовых поясах.",
    ]) + "\n\n" + _old_team(titles) + "\n\n" + "\n\n".join([
        "== Контакты ==",
        "* Электронная почта: globaladvocacy@example.org\n* Twitter: [https://x.example.org/WikimediaPolicy @WikimediaPolicy]\n* Diff: [https://diff.example.org/category/advocacy/ публикации о глобальной адвокации]",
    ]) + "\n\n[[Category:Global Advocacy]]"


def _about_ja_text() -> str:
    # The About page as marked in October 2024: labels were inline units, two translated.
    translated = {"home": "ホーム", "about": "概要"}
    links = _nav_links(
        omit=("conversation-hours",),
        labels={"resource-center": "Resources"},
        targets={"resource-center": "Special:MyLanguage/Global Advocacy/Resources"},
        bold="about",
        wrap=lambda key, label: translated.get(key) or _en_span(label),
    )
    return "<languages/>\n" + _banner("Global Advocacy/About", 4) + "\n" + _bar_div(links) + "\n" + "\n\n".join([
        "== 私たちについて ==",
        _en("Laws and regulations increasingly shape what people can read, write and share online. The Global Advocacy team exists so that the Wikimedia movement has a voice when those rules are written. We work in the open and we publish what we learn."),
        "== Our priorities ==",
        _en("Each year we choose a small number of priorities together with community members and affiliates. For the current cycle they are:\n# protecting the ability of volunteers to govern content on Wikimedia projects;\n# expanding access to knowledge through copyright reform;\n# defending the privacy of contributors and readers."),
        "== How we work ==",
        _en("We publish position papers and consultation responses in the [[Special:MyLanguage/Global Advocacy/Documentation|Documentation]] section, host regular [[Special:MyLanguage/Global Advocacy/Conversation Hours and Events|conversation hours]], and support affiliates who want to engage with lawmakers in their own countries."),
    ]) + "\n\n[[Category:Global Advocacy]]"


def _faq_en_text() -> str:
    links = _nav_links(
        omit=("documentation",),
        labels={"resource-center": "Resources"},
        targets={"resource-center": "Special:MyLanguage/Global Advocacy/Resources"},
        bold="faq",
    )
    return "<languages/>\n" + _banner("Global Advocacy/FAQ", 100) + "\n" + _bar_dots(links) + """
== Frequently asked questions ==

=== What is Global Advocacy? ===

Global Advocacy is the team at the Wikimedia Foundation that follows laws and policies affecting free knowledge and works with the movement to respond to them.

=== Does the Foundation speak for the communities? ===

No. We speak for the Wikimedia Foundation. When a position affects a community directly, we consult that community and affiliates before we publish it.

=== Whom should I contact about a law in my country? ===

Start with the regional policy specialist responsible for your region (see also the staff list on the [[Special:MyLanguage/Global Advocacy|main page]]):
* Latin America and the Caribbean – Ana Lúcia Ferraz, Senior Public Policy Specialist (Latin America and the Caribbean)
* North America – Daniel Ashgrove, Lead Public Policy Specialist (North America)
* Asia – Harumi Takenaka, Senior Public Policy Specialist (Asia)
* Middle East and North Africa – Samir Qasemi, Public Policy Specialist (Middle East and North Africa)

If your region is not listed, write to the team on the [[Talk:Global Advocacy|discussion page]].

=== How can I give feedback on these pages? ===

Please share your feedback via the talk page.

[[Category:Global Advocacy]]"""


def _public_policy_faq_text() -> str:
    old = [
        ("Public policy", "Home"),
        ("Public policy/About", "About"),
        ("Public policy/Resources", "Resources"),
        ("Public policy/Conversation Hours and Events", "Conversation Hours and Events"),
        ("Public policy/Announcements", "Announcements"),
        ("Public policy/Work With Us", "Work With Us"),
        ("Public policy/FAQ", "FAQ"),
        ("Talk:Public policy", "Discussion"),
    ]
    bar = ('<div class="pp-nav" style="background:#eaf3ff; padding:0.5em; text-align:center;">\n'
           + " | ".join(f"[[{target}|{label}]]" for target, label in old) + "\n</div>")
    return "<languages/>\n" + bar + """
<translate>
== FAQ == <!--T:1-->

=== What does the Public Policy team do? === <!--T:2-->

<!--T:3-->
The Public Policy team at the Wikimedia Foundation follows laws and regulations that could affect Wikimedia projects, and works with volunteers and affiliates to respond to them.

=== How can I work with you? === <!--T:4-->

<!--T:5-->
See [[<tvar name=work>Public policy/Work With Us</tvar>|Work With Us]], or write to us on the [[Talk:Public policy|talk page]].
</translate>"""


def _extra_text() -> str:
    bar = _bar_div(_nav_links(), style="text-align:center; margin:0 0 1em 0; font-size:105%;")
    return "<languages/>\n" + bar + """
== Extra material ==
This page collects notes from the 2024 advocacy retreat that did not fit in the portal. It is not part of the [[Global Advocacy]] pages and is not kept up to date by the team.

* Session notes: "Explaining Wikipedia to regulators in five minutes"
* Draft glossary of policy terms (unfinished)
* Ideas for future conversation hours

Please do not link to this page from the portal."""


_TALK_CONFIG = (
    "{{User:MiszaBot/config|archive=Talk:Global Advocacy/Archive %(counter)d|algo=old(90d)|counter=1"
    "|maxarchivesize=150K|minthreadsleft=3|minthreadstoarchive=1|archiveheader={{Talk archive}}}}"
)


def _demo_talk_text() -> str:
    s = signature
    threads = [
        ("Broken link in the Resource Center",
         "{{Section resolved|1=" + s("ALFerraz (WMF)", "2024-03-21 16:05") + "}}\n"
         "The link to the freedom of panorama case studies on [[Global Advocacy/Resources]] goes to a deleted page. "
         + s("Pinecone Archivist", "2024-03-19 08:14") + "\n"
         ":Thanks for spotting this, it is fixed now. The case studies live on Commons. "
         + s("ALFerraz (WMF)", "2024-03-21 16:04")),
        ("Portuguese translation of the FAQ",
         "Would it help if I translated the FAQ into Portuguese? Several people in our user group asked for it. "
         + s("Brisa do Vale", "2024-06-02 19:40") + "\n"
         ":Yes please, that would be wonderful. The page is marked for translation, so you can start right away. "
         + s("ALFerraz (WMF)", "2024-06-05 13:22")),
        ("Recording of the October conversation hour?",
         "I missed the conversation hour on platform rules. Is there a recording or notes? "
         + s("Kestrel42", "2024-10-14 07:03") + "\n"
         ":We do not record the calls, so that people feel free to speak, but notes are below. "
         + s("TWielgosz (WMF)", "2024-10-16 10:47") + "\n"
         "::Thanks, the notes are enough for me. " + s("Kestrel42", "2024-10-16 12:30")),
        ("Tabs look different on every page",
         "On the About page the Conversation Hours and Events tab is missing, and the Resource Center still says "
         "\"Resources\" in its own tab bar. Could the tab bar be one shared template instead of copies? "
         + s("Sable Wren", "2025-02-11 21:18") + "\n"
         ":Good point. We will look into a shared header. " + s("RKiplagat (WMF)", "2025-02-13 09:02") + "\n"
         "::+1, and the translations show yet another version. " + s("Tolvanen", "2025-03-01 17:45")),
        ("Question about the platform regulation paper",
         "The position paper says that community moderation should be treated differently. Is there a short "
         "version I could share with a journalist? " + s("JuniperLeaf", "2025-05-07 11:11") + "\n"
         ":There is a two-page summary in the Resource Center, under toolkits. "
         + s("PRamanathan-Cole (WMF)", "2025-05-09 15:36")),
        ("Team list out of date",
         "Samir Qasemi left the Foundation this summer but is still listed on the main page, and the FAQ gives "
         "different job titles from the main page. " + s("Okapi Reader", "2025-09-22 06:58") + "\n"
         ":Thank you, we will update both lists. " + s("BOyelaran (WMF)", "2025-09-25 14:20")),
        ("Feedback on the copyright toolkit",
         "The talking points are useful, but the glossary could explain \"freedom of panorama\" with an example "
         "photo. " + s("Rhododendron77", "2025-12-03 10:15") + "\n"
         ":Good idea, we will add one from Commons. " + s("HTakenaka (WMF)", "2025-12-10 03:41") + "\n"
         "::Any news on this? I would still like to use the toolkit in a workshop in January. "
         + s("Rhododendron77", "2026-10-28 18:09")),
        ("Regional contact for Europe?",
         "The FAQ lists no contact for Europe. Whom should European affiliates write to? "
         + s("Tolvanen", "2026-03-17 08:30") + "\n"
         ":We are hiring for that role; until then, please write here and we will answer. "
         + s("TWielgosz (WMF)", "2026-03-20 16:12")),
        ("Conversation hour time zones",
         "Could some conversation hours be at a time that works for East Africa and Asia? "
         + s("Nyota Reads", "2026-09-10 05:25") + "\n"
         ":Yes, the January session is planned for 05:00 UTC. " + s("HTakenaka (WMF)", "2026-09-11 02:50")),
        ("Typo on the About page",
         "{{Section resolved|1=" + s("RKiplagat (WMF)", "2026-10-06 09:31") + "}}\n"
         "\"Our priorties\" in the third heading. " + s("Pinecone Archivist", "2026-10-05 20:04") + "\n"
         ":Fixed, thanks! " + s("RKiplagat (WMF)", "2026-10-06 09:30")),
        ("New consultation on platform transparency in Brazil",
         "The Brazilian government opened a consultation on platform transparency. It closes on 15 December. "
         + s("Brisa do Vale", "2026-11-02 22:16") + "\n"
         ":Thanks for the heads-up. We are preparing a response with the local user group. "
         + s("ALFerraz (WMF)", "2026-11-03 13:05") + "\n\n"
         "=== Timeline ===\n"
         "Draft by 1 December, comments from the community until 10 December. "
         + s("ALFerraz (WMF)", "2026-11-04 12:00") + "\n"
         ":I can help with the translation of the draft. " + s("JuniperLeaf", "2026-11-09 08:44")),
        ("Can affiliates co-sign open letters?",
         "Our chapter would like to co-sign the letter on website blocking. Is that possible, and who decides? "
         + s("Okapi Reader", "2026-11-18 15:52")),
    ]
    intro = (
        _TALK_CONFIG + "\n"
        "This is the place to give feedback on the [[Global Advocacy]] pages and to ask the Global Advocacy "
        "team questions. Please add new topics at the bottom and sign your posts with <nowiki>~~~~</nowiki>. "
        "Threads without new comments for 90 days are archived automatically; see [[/Archive 1]]."
    )
    return intro + "\n\n" + "\n\n".join(f"== {head} ==\n{body}" for head, body in threads)


def _demo_archive_text() -> str:
    s = signature
    return "{{Talk archive}}\n\n" + "\n\n".join([
        "== Welcome to the new Global Advocacy pages ==\n"
        "The old Public policy pages have moved here. Please report anything that looks broken. "
        + s("TWielgosz (WMF)", "2023-07-10 09:00") + "\n"
        ":Looks great! " + s("Sable Wren", "2023-07-10 18:21"),
        "== Old Public policy links ==\n"
        "Some pages on other wikis still link to Public policy/Resources. Should we update them? "
        + s("Tolvanen", "2023-08-02 12:47") + "\n"
        ":The redirects will keep working, but updating the links is welcome. "
        + s("ALFerraz (WMF)", "2023-08-03 08:15"),
        "== Mailing list address ==\n"
        "Is the mailing list still active? " + s("Kestrel42", "2023-11-20 20:02") + "\n"
        ":Yes, see the Contact us section on the main page. " + s("BOyelaran (WMF)", "2023-11-22 10:39"),
    ])


def demo_pages() -> list[SnapshotPage]:
    """The project's demo tree of Global Advocacy pages (see the module docstring)."""
    P = SnapshotPage
    return [
        P("Global Advocacy", _root_text(), "2025-10-14T09:41:00Z", "TWielgosz (WMF)",
          comment="/* The team */ update"),
        P("Global Advocacy/About", _about_text(), "2025-06-03T14:12:00Z", "RKiplagat (WMF)"),
        P("Global Advocacy/Documentation", _documentation_text(), "2025-09-22T08:05:00Z",
          "PRamanathan-Cole (WMF)", comment="/* Consultation responses */ add 2026"),
        P("Global Advocacy/Resource Center", _resource_center_text(), "2025-04-18T11:30:00Z",
          "ALFerraz (WMF)", comment="ALFerraz (WMF) moved page [[Global Advocacy/Resources]] to "
                                    "[[Global Advocacy/Resource Center]]"),
        P("Global Advocacy/Resource Center/Copyright", _copyright_text(), "2024-12-02T16:48:00Z", "Admin"),
        P("Global Advocacy/Conversation Hours and Events", _conversation_hours_text(),
          "2026-10-30T07:20:00Z", "HTakenaka (WMF)", comment="/* Upcoming */"),
        P("Global Advocacy/Get Involved", _get_involved_text(), "2025-11-07T10:00:00Z", "RKiplagat (WMF)",
          comment="Use the shared header"),
        P("Global Advocacy/FAQ", _faq_text(), "2026-09-15T12:34:00Z", "HTakenaka (WMF)",
          comment="/* Whom should I contact about a law in my country? */ add Europe"),
        P("Global Advocacy/Announcements", _announcements_text(), "2026-11-12T09:15:00Z", "TWielgosz (WMF)"),
        # Translation pages, generated by FuzzyBot from older marked versions.
        _translation_page("Global Advocacy/da", _root_da_text(), "2025-03-04T10:02:00Z"),
        _translation_page("Global Advocacy/ru", _root_ru_text(), "2025-03-04T10:02:00Z"),
        _translation_page("Global Advocacy/About/ja", _about_ja_text(), "2024-10-21T04:37:00Z"),
        _translation_page("Global Advocacy/FAQ/en", _faq_en_text(), "2025-08-19T18:00:00Z"),
        # Redirects and pages outside the tree.
        P("Global Advocacy/Resources", "#REDIRECT [[Global Advocacy/Resource Center]]",
          "2025-04-18T11:30:00Z", "ALFerraz (WMF)", comment="ALFerraz (WMF) moved page "
          "[[Global Advocacy/Resources]] to [[Global Advocacy/Resource Center]]"),
        P("Public policy", "#REDIRECT [[Global Advocacy]]", "2023-07-10T08:55:00Z", "TWielgosz (WMF)",
          comment="TWielgosz (WMF) moved page [[Public policy]] to [[Global Advocacy]]"),
        P("Public policy/FAQ", _public_policy_faq_text(), "2022-11-30T13:10:00Z", "Admin"),
        P("Global Advocacy Extra", _extra_text(), "2024-05-08T17:25:00Z", "Sable Wren",
          comment="notes from the retreat"),
        # Feedback.
        P(TALK_ROOT, _demo_talk_text(), "2026-11-18T15:52:00Z", "Okapi Reader",
          comment="/* Can affiliates co-sign open letters? */ new section"),
        P("Talk:Global Advocacy/Archive 1", _demo_archive_text(), "2024-01-02T03:00:00Z", "ArchiveBot",
          comment="Archiving 3 threads from [[Talk:Global Advocacy]]"),
        # The canonical roster.
        P(ROSTER_PAGE, _roster_json(), "2026-09-01T08:00:00Z", "Admin", "json",
          comment="Add Liesbeth van Roon; Samir Qasemi has left"),
        # What the bot remembers of unit ids: the root's old label units (T:24-T:32) are gone from its
        # text, but their ids were used and must never be given out again.
        P(STATE_PAGE, _state_json(), "2025-03-10T09:00:00Z", "AdvocacyBot", "json",
          comment="translation markers: highest unit ids"),
        # What the pages use from outside the tree, as Meta-Wiki has it (no red links in the demo).
        *_supporting_pages(),
    ]


def _supporting_pages() -> list[SnapshotPage]:
    """Stubs of the templates and the category the demo's pages use: a reader sees what Meta-Wiki
    shows (an archive banner, a "resolved" mark), not red links."""
    P = SnapshotPage
    return [
        P("Template:Talk archive",
          '{| class="plainlinks" style="width:100%; margin:0 0 1em; border:1px solid #a2a9b1; '
          'background:#f8f9fa; padding:0.4em 0.8em;"\n'
          "| '''This is an archive of past discussions.''' Do not edit it. To start a new discussion or "
          "revive an old one, please do so on the [[{{TALKSPACE}}:{{BASEPAGENAME}}|current talk page]].\n"
          "|}<noinclude>\nThe banner at the top of talk-page archives (the archiving configuration's "
          "''archiveheader'').</noinclude>", "2023-02-01T10:00:00Z"),
        P("Template:Section resolved",
          '<div style="border:1px solid #14866d; background:#d5fdf4; padding:0.2em 0.6em; margin:0.3em 0;">'
          "'''\u2713 Resolved''' {{{1|}}}</div><noinclude>\nMarks a thread as resolved: the archiving bot "
          "moves it once it is older than the configuration's ''resolvedalgo''.</noinclude>",
          "2023-02-01T10:00:00Z"),
        P("User:MiszaBot/config",
          "<noinclude>The archiving configuration of a talk page, read by archiving bots (''archive'', "
          "''algo'', ''counter'', ''maxarchivesize'', ''minthreadsleft'', ''minthreadstoarchive'', "
          "''archiveheader''). It shows nothing where it is used.</noinclude>", "2023-02-01T10:00:00Z"),
        P("Category:Global Advocacy", "Pages of the Wikimedia Foundation's Global Advocacy team.",
          "2023-02-01T10:00:00Z"),
        # The page every edit summary of the bot links to (bot_pages.about), and its talk page.
        P("User:AdvocacyBot", _bot_user_page(), "2023-02-01T10:00:00Z", "Admin"),
        P("User talk:AdvocacyBot", "Questions and problems with the bot: start a new section below.",
          "2023-02-01T10:00:00Z", "Admin"),
        *(page for user in _demo_users() for page in (
            P(f"User:{user}", "I work in the Wikimedia Foundation's Global Advocacy team." if user.endswith("(WMF)")
              else "A Wikimedian who takes part in the Global Advocacy discussions.", "2023-02-01T10:00:00Z", user),
            P(f"User talk:{user}", "Leave me a message below.", "2023-02-01T10:00:00Z", user))),
    ]


def _bot_user_page() -> str:
    """What Meta-Wiki's bot policy asks of a bot's user page: what it does, who runs it, how to stop it."""
    return (
        "'''AdvocacyBot''' is a bot (advocacy-bot) that keeps the [[Global Advocacy]] pages in shape:\n"
        "* ''Navigation header'': one tab bar on every page of the tree, the current tab marked;\n"
        f"* ''Staff lists'': the team as [[{ROSTER_PAGE}|the roster]] lists it;\n"
        "* ''Translation markers'': new paragraphs prepared for translation, unit markers kept valid;\n"
        "* ''Archiving'': old and resolved threads of the talk pages moved to their archives;\n"
        "* ''Translation status'': a table of the tree's translations, where Translate runs.\n\n"
        "It edits only the pages of that tree and its own pages, and never a page that carries "
        "<code><nowiki>{{nobots}}</nowiki></code>. Each edit summary says what changed and links here.\n\n"
        "== Stopping the bot ==\n"
        "Write anything on <code>User:AdvocacyBot/Shutoff</code>: the bot stops before its next save and "
        "stays stopped while the page is not empty. Questions and problems: [[User talk:AdvocacyBot]].")


def _demo_users() -> list[str]:
    """The users the demo's pages link to: the roster's accounts and everyone who signs on the talk pages."""
    signers = re.findall(r"\[\[User:([^|\]]+)\|", _demo_talk_text() + _demo_archive_text())
    return sorted({member["username"] for member in ROSTER if member["username"]} | set(signers))


def _state_json() -> str:
    highest = max(_OLD_ROOT_LABEL_IDS.values())
    return json.dumps({"translate": {"highest_ids": {ROOT: highest}}}, indent=2) + "\n"


# ---------------------------------------------------------------------------------------------
# Large synthetic trees
# ---------------------------------------------------------------------------------------------

_LARGE_LANGS = ("de", "fr", "es", "ru", "ja", "zh", "ar", "pt-br", "da", "id", "uk", "it", "ko",
                "tr", "pl", "nl")
_LANG_SENTENCE = {
    "de": "Dieser Abschnitt beschreibt die Arbeit des Teams zu diesem Thema.",
    "fr": "Cette section décrit le travail de l'équipe sur ce sujet.",
    "es": "Esta sección describe el trabajo del equipo sobre este tema.",
    "ru": "В этом разделе описана работа команды по этой теме.",
    "ja": "このセクションでは、このテーマに関するチームの活動を説明します。",
    "zh": "本节介绍团队在这一主题上的工作。",
    "ar": "يصف هذا القسم عمل الفريق في هذا الموضوع.",
    "pt-br": "Esta seção descreve o trabalho da equipe sobre este tema.",
    "da": "Dette afsnit beskriver teamets arbejde med dette emne.",
    "id": "Bagian ini menjelaskan kerja tim tentang topik ini.",
    "uk": "У цьому розділі описано роботу команди з цієї теми.",
    "it": "Questa sezione descrive il lavoro del team su questo tema.",
    "ko": "이 섹션에서는 이 주제에 대한 팀의 활동을 설명합니다.",
    "tr": "Bu bölüm, ekibin bu konudaki çalışmalarını anlatır.",
    "pl": "Ta sekcja opisuje pracę zespołu w tej dziedzinie.",
    "nl": "Deze sectie beschrijft het werk van het team over dit onderwerp.",
}
_SUBJECTS = ("Copyright", "Platform regulation", "Privacy", "Website blocking", "Intermediary liability",
             "Freedom of panorama", "Open data", "Digital identity", "Disinformation", "Net neutrality",
             "Public domain", "Text and data mining", "Age verification", "Encryption", "Data retention",
             "Cultural heritage")
_PLACES = ("Argentina", "Australia", "Brazil", "Canada", "Chile", "Colombia", "the European Union",
           "Ghana", "India", "Indonesia", "Japan", "Kenya", "Mexico", "Nigeria", "Pakistan",
           "the Philippines", "South Africa", "South Korea", "Turkey", "Ukraine", "the United Kingdom",
           "the United States")
_CHILD_PARTS = ("Briefing", "Timeline", "Talking points", "Sources")
_PARENT_SECTIONS = ("documentation", "resource-center", "conversation-hours", "get-involved")
_DRIFT_SHAPES = ("div", "table", "dots", "missing-tab", "resources-label", "wrong-current", "in-translate")
_EDITORS = ("TWielgosz (WMF)", "ALFerraz (WMF)", "HTakenaka (WMF)", "RKiplagat (WMF)",
            "PRamanathan-Cole (WMF)", "Sable Wren", "Tolvanen", "Admin")


def _random_time(rng: random.Random, start: datetime, end: datetime) -> datetime:
    seconds = int((end - start).total_seconds())
    return (start + timedelta(seconds=rng.randrange(max(seconds, 1)))).replace(second=0)


def _section_key(title: str) -> str:
    if title == ROOT:
        return "home"
    first = title[len(ROOT) + 1:].split("/")[0]
    for tab in TABS:
        if tab.suffix == "/" + first:
            return tab.key
    return "home"


def _topic_names() -> Iterator[str]:
    combos = [f"{subject} in {place}" for place in _PLACES for subject in _SUBJECTS]
    random.Random("topics").shuffle(combos)
    round_ = 0
    while True:
        for name in combos:
            yield name if round_ == 0 else f"{name} ({round_ + 1})"
        round_ += 1


def _large_plan(n_pages: int, drift_ratio: float, seed: int):
    """Titles and kinds of a large tree, and which sources carry which drift shape."""
    if n_pages < 1:
        raise ValueError("n_pages must be at least 1")
    if not 0 <= drift_ratio <= 1:
        raise ValueError("drift_ratio must be between 0 and 1")
    rng = random.Random(f"large-tree:{seed}")
    extras = ["talk", "archive", "talk-faq", "template-contact", "template-event", "roster"]
    extras = extras[: min(len(extras), n_pages // 10)]
    budget = n_pages - len(extras)

    plan: list[tuple] = []  # ("source", title) / ("translation", title, source, lang) / ("redirect", title, target)

    def add_source(title: str) -> None:
        if len(plan) >= budget:
            return
        plan.append(("source", title))
        if title == ROOT:
            count = 10
        else:
            count = rng.choices((0, 1, 2, 3, 4, 6), weights=(3, 3, 3, 2, 2, 1))[0]
        for lang in sorted(rng.sample(_LARGE_LANGS, count)):
            if len(plan) >= budget:
                return
            plan.append(("translation", f"{title}/{lang}", title, lang))

    add_source(ROOT)
    for tab in TABS[1:-1]:  # the subpages' tabs (not the root's, not the talk page's)
        add_source(ROOT + (tab.suffix or ""))
    if len(plan) < budget:
        plan.append(("redirect", f"{ROOT}/Resources", f"{ROOT}/Resource Center"))
    names = _topic_names()
    pending_children: list[str] = []
    n_topics = 0
    while len(plan) < budget:
        if pending_children and rng.random() < 0.5:
            add_source(pending_children.pop(0))
            continue
        tab = _TAB_BY_KEY[_PARENT_SECTIONS[n_topics % len(_PARENT_SECTIONS)]]
        title = f"{ROOT}{tab.suffix}/{next(names)}"
        n_topics += 1
        add_source(title)
        if rng.random() < 0.3:
            for part in rng.sample(_CHILD_PARTS, rng.randint(1, 3)):
                pending_children.append(f"{title}/{part}")
        if n_topics % 40 == 0 and len(plan) < budget:
            plan.append(("redirect", f"{ROOT}/{title.rsplit('/', 1)[1]}", title))
    sources = [entry[1] for entry in plan if entry[0] == "source"]
    n_drift = round(drift_ratio * len(sources))
    drift = {title: _DRIFT_SHAPES[i % len(_DRIFT_SHAPES)]
             for i, title in enumerate(rng.sample(sources, n_drift))}
    return plan, extras, drift


def _drift_bar(shape: str, key: str, rng: random.Random) -> tuple[str, bool]:
    """A drifted header in ``shape``; second value: the bar is inside a translate unit."""
    if shape == "div":
        return _bar_div(_nav_links(bold=key)), False
    if shape == "table":
        return _bar_table(_nav_links(bold=key)), False
    if shape == "dots":
        return _bar_dots(_nav_links(mylang=False)), False
    if shape == "missing-tab":
        candidates = [tab.key for tab in TABS if tab.key not in ("home", "discussion", key)]
        return _bar_div(_nav_links(omit=(rng.choice(candidates),))), False
    if shape == "resources-label":
        return _bar_dots(_nav_links(labels={"resource-center": "Resources"},
                                    targets={"resource-center": "Global Advocacy/Resources"})), False
    if shape == "wrong-current":
        return _header_call(rng.choice([tab.key for tab in TABS if tab.key != key])), False
    if shape == "in-translate":
        return '<div class="ga-nav">' + " | ".join(_nav_links()) + "</div>", True
    raise ValueError(shape)


def _large_units(title: str) -> list[tuple[str, str]]:
    """(heading, paragraph) pairs of a synthetic source page (a function of the title only)."""
    rng = random.Random(f"units:{title}")
    parts = title[len(ROOT) + 1:].split("/") if title != ROOT else []
    if not parts:
        heading, intro = "Welcome to Global Advocacy", "This portal is the front door to the team's work."
    elif len(parts) == 1:
        heading = parts[0]
        intro = f"This section of the portal is about {parts[0]}: notes, links and ways to take part."
    else:
        heading = parts[-1]
        subject = parts[1][:1].lower() + parts[1][1:]
        intro = (f"This page follows our work on {subject}. It collects the team's notes, relevant "
                 "consultations and ways for volunteers to help.")
    units = [
        (heading, intro),
        ("Background",
         "Laws in this area can change what readers are able to find and what contributors are able to "
         "share. We summarise the main proposals and link to primary sources where they exist."),
        ("What you can do",
         "If you follow this topic in your country, tell us on the [[Talk:Global Advocacy|discussion page]] "
         "or join the next conversation hour."),
        ("Status", f"Last reviewed in {rng.choice(_MONTHS)} {rng.randint(2023, 2026)}."),
    ]
    return units[: rng.randint(2, 4)]


def _large_source_text(title: str, bar: str, in_translate: bool) -> str:
    parts = ["<languages/>"]
    if not in_translate:
        parts.append(bar)
    body = []
    marker = 0
    if in_translate:
        marker += 1
        body.append(f"<!--T:{marker}-->\n{bar}")
    for heading, paragraph in _large_units(title):
        marker += 1
        body.append(f"== {heading} == <!--T:{marker}-->")
        marker += 1
        body.append(f"<!--T:{marker}-->\n{paragraph}")
    parts.append("<translate>\n" + "\n\n".join(body) + "\n</translate>")
    if title == ROOT:
        parts.append("== <translate><!--T:90--> The team</translate> ==")
        parts.append("\n".join(
            f"* '''{m['name']}''' – <translate><!--T:{100 + i}--> {m['title']}</translate>"
            for i, m in enumerate(ROSTER)
        ))
    parts.append("[[Category:Global Advocacy]]")
    return "\n".join(parts)


def _large_translation_text(source: str, lang: str, bar: str, rng: random.Random) -> str:
    percent = rng.choice((0, 0, 4, 12, 25, 50, 83, 100))
    blocks = []
    for i, (heading, paragraph) in enumerate(_large_units(source)):
        translated = percent == 100 or (percent and i == 0)
        blocks.append(f"== {heading} ==")
        blocks.append(_LANG_SENTENCE[lang] if translated else _en(paragraph))
    return ("<languages/>\n" + _banner(source, percent, outdated=percent not in (0, 100)) + "\n" + bar
            + "\n" + "\n\n".join(blocks) + "\n\n[[Category:Global Advocacy]]")


def _template_text(name: str) -> str:
    if name == "contact":
        return ('<includeonly><div class="ga-contact-card">\'\'\'{{{name}}}\'\'\'<br />{{{title}}}'
                "{{#if:{{{username|}}}|<br />[[User:{{{username}}}|{{{username}}}]]}}</div></includeonly>"
                "<noinclude>Shows one staff contact. Parameters: name, title, username.</noinclude>")
    return ('<includeonly><div class="ga-event">\'\'\'{{{date}}}\'\'\', {{{time|}}} – {{{title}}}</div>'
            "</includeonly><noinclude>One conversation hour or event. Parameters: date, time, title."
            "</noinclude>")


def _large_plan_pages(n_pages: int, drift_ratio: float, seed: int) -> tuple[list[SnapshotPage], dict]:
    plan, extras, drift = _large_plan(n_pages, drift_ratio, seed)
    start = datetime(2023, 1, 1, tzinfo=UTC)
    end = datetime(2026, 11, 1, tzinfo=UTC)
    pages: list[SnapshotPage] = []
    bars: dict[str, tuple[str, bool]] = {}

    def bar_of(source: str) -> tuple[str, bool]:
        # The same header for a source page and its translations.
        if source not in bars:
            shape = drift.get(source)
            key = _section_key(source)
            bars[source] = (_drift_bar(shape, key, random.Random(f"{seed}:bar:{source}")) if shape
                            else (_header_call(key), False))
        return bars[source]

    for entry in plan:
        rng = random.Random(f"{seed}:{entry[1]}")
        when = _iso(_random_time(rng, start, end))
        if entry[0] == "source":
            bar, in_translate = bar_of(entry[1])
            pages.append(SnapshotPage(entry[1], _large_source_text(entry[1], bar, in_translate), when,
                                      rng.choice(_EDITORS)))
        elif entry[0] == "translation":
            _, title, source, lang = entry
            text = _large_translation_text(source, lang, bar_of(source)[0], rng)
            pages.append(_translation_page(title, text, when))
        else:
            pages.append(SnapshotPage(entry[1], f"#REDIRECT [[{entry[2]}]]", when, "Admin"))
    for extra in extras:
        if extra == "talk":
            pages.append(large_talk_page(40, seed=seed))
        elif extra == "archive":
            archive = large_talk_page(15, seed=seed + 1, title="Talk:Global Advocacy/Archive 1",
                                      end=datetime(2023, 1, 1, tzinfo=UTC), archive=True)
            pages.append(archive)
        elif extra == "talk-faq":
            pages.append(large_talk_page(5, seed=seed + 2, title="Talk:Global Advocacy/FAQ"))
        elif extra == "template-contact":
            pages.append(SnapshotPage("Template:Global Advocacy/Contact card", _template_text("contact"),
                                      "2024-02-01T10:00:00Z"))
        elif extra == "template-event":
            pages.append(SnapshotPage("Template:Global Advocacy/Event", _template_text("event"),
                                      "2024-02-01T10:05:00Z"))
        elif extra == "roster":
            pages.append(SnapshotPage(ROSTER_PAGE, _roster_json(), "2026-09-01T08:00:00Z", "Admin", "json"))
    return pages, drift


def large_tree_pages(n_pages: int, drift_ratio: float = 0.05, seed: int = 0) -> list[SnapshotPage]:
    """A deterministic synthetic Global Advocacy tree of ``n_pages`` pages.

    Root ``Global Advocacy``, its eight sections, topic subpages under four sections (some with
    further subpages), FuzzyBot translation pages in 0-6 of 16 languages per source (10 for the
    root), the redirect ``Global Advocacy/Resources`` and one more every 40 topics, and one extra
    page for every 10 pages, up to six (all of them from 60 pages up): the talk page, its archive, the
    FAQ's talk page, two templates, the roster. Exactly ``n_pages`` pages.
    Source pages use ``{{Global Advocacy/Header|current=...}}``, except ``drift_ratio`` of them
    (rounded) whose header is drifted in one of seven shapes (see ``large_tree_drift_titles``).
    The header template itself is not among the pages.
    """
    return _large_plan_pages(n_pages, drift_ratio, seed)[0]


def large_tree_drift_titles(n_pages: int, drift_ratio: float = 0.05, seed: int = 0) -> dict[str, str]:
    """Source pages of ``large_tree_pages(n_pages, drift_ratio, seed)`` that carry drift.

    Maps title to shape: ``div``, ``table``, ``dots`` (complete hand-copied bars), ``missing-tab``,
    ``resources-label``, ``wrong-current`` (header call with a wrong ``current``), ``in-translate``
    (bar as the first unit of a ``<translate>`` block).
    """
    return dict(_large_plan(n_pages, drift_ratio, seed)[2])


_TALK_USERS = ("Pinecone Archivist", "Brisa do Vale", "Kestrel42", "Sable Wren", "Tolvanen", "JuniperLeaf",
               "Okapi Reader", "Rhododendron77", "Nyota Reads", "Lanternfish", "Maple Quire", "Ortolan 88")
_TALK_STAFF = ("TWielgosz (WMF)", "ALFerraz (WMF)", "HTakenaka (WMF)", "RKiplagat (WMF)",
               "PRamanathan-Cole (WMF)", "DAshgrove (WMF)", "LvanRoon (WMF)")
_TALK_SUBJECTS = ("Question about the FAQ", "Broken link", "Translation request", "Conversation hour notes",
                  "Consultation in my country", "Team list", "Copyright toolkit", "Mailing list",
                  "Feedback on the Resource Center", "Event time zones", "Open letter", "Typo",
                  "New law on website blocking", "Data protection rules", "Affiliate support",
                  "Request for a briefing")
_TALK_OPENINGS = (
    "Could someone from the team have a look at this?",
    "I noticed this while translating the page.",
    "Our user group discussed this at our last meetup.",
    "A short question, probably easy to answer.",
    "This came up in a workshop we ran last week.",
)
_TALK_REPLIES = (
    "Thanks for raising this, we will look into it.",
    "Good catch, fixed.",
    "I agree with the above.",
    "We discussed this in the last conversation hour; notes will follow.",
    "Could you share a link to the draft?",
    "Here is the link you asked for.",
)


def large_talk_page(n_threads: int, seed: int = 0, title: str = TALK_ROOT, *,
                    end: datetime = DEMO_NOW, archive: bool = False) -> SnapshotPage:
    """A talk page with ``n_threads`` level-2 threads of mixed age up to ``end``.

    Starts with a ``{{User:MiszaBot/config}}`` block (unless ``archive``: then ``{{Talk archive}}``).
    About 8% of the threads are tagged ``{{Section resolved}}``, about 5% have a level-3
    subsection, about 3% end with an undated ``{{unsigned}}`` comment; a few headings repeat.
    The revision timestamp is the newest comment.
    """
    if n_threads < 0:
        raise ValueError("n_threads must not be negative")
    rng = random.Random(f"talk:{seed}:{title}")
    start = end - timedelta(days=365 * 3)
    starts = sorted(_random_time(rng, start, end - timedelta(hours=2)) for _ in range(n_threads))
    threads = []
    latest = start
    used: dict[str, int] = {}
    for when in starts:
        subject = rng.choice(_TALK_SUBJECTS)
        used[subject] = used.get(subject, 0) + 1
        if used[subject] > 1 and rng.random() < 0.9:  # a few headings repeat, as on real pages
            subject = f"{subject} ({used[subject]})"
        author = rng.choice(_TALK_USERS)
        lines = [f"{rng.choice(_TALK_OPENINGS)} {signature(author, when)}"]
        resolved = rng.random() < 0.08
        for depth in range(1, rng.choice((0, 1, 1, 2, 2, 3, 5)) + 1):
            step = timedelta(minutes=rng.randint(20, 60 * 24 * (20 if rng.random() < 0.2 else 3)))
            if when + step >= end:
                break
            when += step
            user = rng.choice(_TALK_STAFF if depth % 2 else _TALK_USERS)
            lines.append(":" * min(depth, 4) + f"{rng.choice(_TALK_REPLIES)} {signature(user, when)}")
        if rng.random() < 0.05 and when + timedelta(days=1) < end:
            when += timedelta(days=1)
            lines.append(f"\n=== Follow-up ===\nA related point. {signature(rng.choice(_TALK_USERS), when)}")
        if rng.random() < 0.03:
            lines.append(":I think this is still open. {{unsigned|" + rng.choice(_TALK_USERS) + "}}")
        if resolved:
            lines.insert(0, "{{Section resolved|1=" + signature(rng.choice(_TALK_STAFF), when) + "}}")
        latest = max(latest, when)
        threads.append(f"== {subject} ==\n" + "\n".join(lines))
    if archive:
        head = "{{Talk archive}}"
    else:
        base = title
        head = (
            "{{User:MiszaBot/config\n"
            f"|archive={base}/Archive %(counter)d\n"
            "|algo=old(90d)\n|counter=1\n|maxarchivesize=150K\n|minthreadsleft=3\n"
            "|minthreadstoarchive=1\n|archiveheader={{Talk archive}}\n}}\n"
            f"Feedback on the [[{base.split(':', 1)[1]}]] pages."
        )
    text = head + ("\n\n" + "\n\n".join(threads) if threads else "")
    contributor = "ArchiveBot" if archive else "Okapi Reader"
    return SnapshotPage(title, text, _iso(latest), contributor)


# ---------------------------------------------------------------------------------------------
# Command line
# ---------------------------------------------------------------------------------------------

def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m advocacy_bot.devwiki.snapshot",
        description="Write Special:Export XML (schema 0.11) of the demo tree or a large synthetic tree "
                    "to stdout.",
    )
    which = parser.add_mutually_exclusive_group(required=True)
    which.add_argument("--demo", action="store_true", help="the demo tree (demo_snapshot.xml)")
    which.add_argument("--large", type=int, metavar="N", help="a synthetic tree of about N pages")
    which.add_argument("--talk", type=int, metavar="N", help="one talk page with N threads")
    parser.add_argument("--drift-ratio", type=float, default=0.05, help="with --large (default 0.05)")
    parser.add_argument("--seed", type=int, default=0, help="with --large or --talk (default 0)")
    parser.add_argument("--sitename", default="Advocacy Dev Wiki")
    args = parser.parse_args(argv)
    if args.demo:
        pages = demo_pages()
    elif args.large is not None:
        pages = large_tree_pages(args.large, args.drift_ratio, args.seed)
    else:
        pages = [large_talk_page(args.talk, args.seed)]
    sys.stdout.buffer.write(export_xml(pages, sitename=args.sitename).encode("utf-8"))
    sys.stdout.flush()
    return 0


if __name__ == "__main__":
    sys.exit(main())
