"""A translation administrator on the dev wiki: marking pages and saving translations as a human would.

These are dev-wiki tools for tests and demos, not bot features. On Translate REL1_39 (the branch that
matches Debian's MediaWiki 1.39) the only way to mark a page is the form at Special:PageTranslation:
log in as Admin (``action=clientlogin``), GET the form, POST its fields and token back, as a browser
does. Newer Translate also has ``action=markfortranslation``; the bot uses that, never this.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from html.parser import HTMLParser

import requests

from .manager import ADMIN_USER, DevWiki, DevWikiError


@dataclass(frozen=True)
class MarkResult:
    """What Special:PageTranslation answered to a marking."""

    title: str
    units: int | None  # "marked up for translation with N translation units", when it says so
    text: str  # the answer's visible text


class _FormReader(HTMLParser):
    """The fields of the form whose action is Special:PageTranslation, as a browser would send them."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.fields: list[tuple[str, str]] = []
        self.checkboxes: set[str] = set()
        self._in_form = False
        self.found = False
        self.text: list[str] = []
        self._skip = 0

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        if tag in ("script", "style"):
            self._skip += 1
        if tag == "form" and "PageTranslation" in (attributes.get("action") or ""):
            self._in_form = self.found = True
        if not self._in_form or tag != "input" or not attributes.get("name"):
            return
        kind = (attributes.get("type") or "text").lower()
        name, value = attributes["name"], attributes.get("value") or ""
        if kind == "checkbox":
            self.checkboxes.add(name)
            if "checked" in attributes:
                self.fields.append((name, value or "1"))
        elif kind in ("hidden", "text"):
            self.fields.append((name, value))

    def handle_endtag(self, tag):
        if tag in ("script", "style") and self._skip:
            self._skip -= 1
        if tag == "form":
            self._in_form = False

    def handle_data(self, data):
        if not self._skip:
            self.text.append(data)


def visible_text(page: str) -> str:
    """The text a reader sees in an HTML fragment, whitespace collapsed (scripts and styles left out)."""
    reader = _FormReader()
    reader.feed(page)
    return " ".join(" ".join(reader.text).split())


class TranslationAdmin:
    """An HTTP session logged in as the dev wiki's Admin (sysop: pagetranslation, translate)."""

    def __init__(self, wiki: DevWiki):
        self.wiki = wiki
        info = wiki.info()
        self.api_url = info.api_url
        self.index_url = info.api_url.rsplit("/", 1)[0] + "/index.php"
        self.session = requests.Session()
        self.session.headers["User-Agent"] = "advocacy-bot devwiki (translation administrator)"
        self._login()

    def _api(self, method: str = "GET", **params) -> dict:
        params.update(format="json", formatversion=2)
        if method == "GET":
            answer = self.session.get(self.api_url, params=params, timeout=120)
        else:
            answer = self.session.post(self.api_url, data=params, timeout=120)
        answer.raise_for_status()
        data = answer.json()
        if "error" in data:
            raise DevWikiError(f"API {params.get('action')}: {data['error'].get('code')}: "
                               f"{data['error'].get('info')}")
        return data

    def _token(self, kind: str) -> str:
        return self._api(action="query", meta="tokens", type=kind)["query"]["tokens"][f"{kind}token"]

    def _login(self) -> None:
        password = self.wiki.admin_password()
        answer = self._api("POST", action="clientlogin", username=ADMIN_USER, password=password,
                           loginreturnurl="http://127.0.0.1/", logintoken=self._token("login"))
        if answer["clientlogin"]["status"] != "PASS":
            raise DevWikiError(f"Admin could not log in: {answer['clientlogin']}")

    def mark(self, title: str, transclusion: bool = True) -> MarkResult:
        """Mark the latest revision of ``title`` for translation, with or without translation-aware
        transclusion; every other choice as the form offers it."""
        form = self.session.get(self.index_url, params={"title": "Special:PageTranslation", "do": "mark",
                                                        "target": title}, timeout=120)
        form.raise_for_status()
        reader = _FormReader()
        reader.feed(form.text)
        if not reader.found:
            raise DevWikiError(f"Special:PageTranslation offers no marking form for {title!r}: "
                               + content_text(form.text)[:400])
        fields = [(name, value) for name, value in reader.fields if name != "transclusion"]
        if transclusion:
            fields.append(("transclusion", "1"))
        answer = self.session.post(self.index_url + "/Special:PageTranslation", data=fields, timeout=300)
        answer.raise_for_status()
        text = content_text(answer.text)
        done = re.search(r"has been marked up for translation with (\d+) translation units?", text)
        if not done:
            raise DevWikiError(f"marking {title!r} failed: {text[:600]}")
        return MarkResult(title=title, units=int(done.group(1)), text=text)

    def purge(self, *titles: str) -> None:
        """Render ``titles`` again (``action=purge`` with link updates), as a reader's purge does.

        Marking a template does not invalidate the pages that transclude it: they show what they
        showed before until their parser cache is purged or expires."""
        self._api("POST", action="purge", titles="|".join(titles), forcelinkupdate=1)

    def translate(self, title: str, unit: str, language: str, text: str) -> int:
        """Save one unit's translation (``Translations:<title>/<unit>/<language>``); its revision id.

        Translate queues the jobs that rewrite ``<title>/<language>``: run :meth:`DevWiki.run_jobs`."""
        answer = self._api("POST", action="edit", title=f"Translations:{title}/{unit}/{language}", text=text,
                           summary="translation", token=self._token("csrf"))
        if answer["edit"].get("result") != "Success":
            raise DevWikiError(f"saving the translation failed: {answer['edit']}")
        return answer["edit"].get("newrevid") or answer["edit"].get("oldrevid")


def content_text(page: str) -> str:
    """The visible text of a page's content area, without the skin's navigation around it."""
    start = page.find('id="mw-content-text"')
    end = page.find('class="printfooter"', start)
    if start >= 0:
        page = page[page.find(">", start) + 1:end if end > start else None]
    return visible_text(page)
