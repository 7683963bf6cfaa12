"""Translate's unit definitions, kept between runs on this machine (beside the run lock).

A translatable page's definitions (its units as Translate last marked them, ``list=messagecollection``)
change only when the page is marked again, and Translate logs every marking (``pagetranslation``
log, action ``mark``, with the revision). So a run keeps the definitions it asked for, with the wiki's
time at the run's start, and a later run asks again only for the pages that have a ``pagetranslation``
log entry since that time: one ``list=logevents`` request for the whole tree instead of one
``messagecollection`` request per translatable page.

The same file keeps, for the status page, how each unit of a page stands in a language (translated,
outdated, untranslated: ``list=messagecollection`` in that language) with the revision of the page's
translation page in that language (``X/<code>``): Translate renders that page again whenever one of its
units is translated, changed, marked outdated or marked anew, so while its revision is the same, so are
the units' states.

It keeps too whether the wiki's API has the module to mark pages (``markfortranslation``), with
Translate's version: a page waiting for a translation administrator costs no ``paraminfo`` a run.

The file is only a cache: absent, unreadable, of another wiki or of another format, it is as if empty,
and Translate is asked as before.
"""

from __future__ import annotations

import json
import logging
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from ..local_files import write_json

log = logging.getLogger(__name__)

VERSION = 2


def cache_file(folder: Path, site: str) -> Path:
    """Where the kept definitions of ``site`` live in the folder of the bot's local state."""
    return Path(folder) / f"{site}-translate-definitions.json"


@dataclass
class DefinitionsCache:
    """Definitions by page title, known to be Translate's current ones as of ``as_of`` (the wiki's time)."""

    wiki: str
    as_of: str = ""
    pages: dict[str, list[dict]] = field(default_factory=dict)
    # "title|language" -> {"revision": the translation page's, "units": [[key, translated, tags, status], ...]}
    states: dict[str, dict] = field(default_factory=dict)
    # The API modules asked about (``paraminfo``: markfortranslation) and Translate's version then.
    modules: dict[str, bool] = field(default_factory=dict)
    translate: str = ""

    @classmethod
    def load(cls, path: Path | None, wiki: str) -> DefinitionsCache:
        if path is None or not path.exists():
            return cls(wiki)
        try:
            data = json.loads(path.read_text(encoding="utf-8"))
            if data.get("version") != VERSION or data.get("wiki") != wiki or not wiki:
                return cls(wiki)
            pages = {str(title): [{"key": str(entry["key"]), "definition": str(entry["definition"])}
                                  for entry in entries] for title, entries in data["pages"].items()}
            states = {str(key): {"revision": int(value["revision"]),
                                 "units": [[str(unit), bool(done), [str(tag) for tag in tags], str(status)]
                                           for unit, done, tags, status in value["units"]]}
                      for key, value in data["states"].items()}
            modules = {str(name): bool(exists) for name, exists in data.get("modules", {}).items()}
            return cls(wiki, str(data["as of"]), pages, states, modules, str(data.get("translate", "")))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as error:
            log.warning("kept Translate definitions %s unreadable (%s); asked again", path, error,
                        extra={"action": "cache"})
            return cls(wiki)

    def forget_marked(self, log_entries: Iterable[dict]) -> None:
        """Drop what is kept of the pages that a ``pagetranslation`` log entry names (marked, unmarked,
        moved since ``as_of``); an entry whose title is hidden makes every kept page unknown."""
        for entry in log_entries:
            title = entry.get("title")
            if not title:
                self.pages.clear()
                self.states.clear()
                return
            self.pages.pop(title, None)
            for key in [key for key in self.states if key.rpartition("|")[0] == title]:
                del self.states[key]

    def keep(self, title: str, collection: Iterable[dict]) -> None:
        """``title``'s definitions as ``list=messagecollection`` answered them (key and definition kept)."""
        self.pages[title] = [{"key": entry.get("key", ""), "definition": entry.get("definition") or ""}
                             for entry in collection]

    def unit_states(self, title: str, language: str, revision: int) -> list[dict] | None:
        """The units of ``title`` in ``language`` as kept while its translation page had ``revision``, in
        ``list=messagecollection``'s shape (key, translation or None, tags, status; not the texts);
        None when not kept."""
        kept = self.states.get(f"{title}|{language}")
        if not revision or kept is None or kept["revision"] != revision:
            return None
        return [{"key": key, "translation": "" if done else None, "tags": tags, "properties": {"status": status}}
                for key, done, tags, status in kept["units"]]

    def keep_unit_states(self, title: str, language: str, revision: int, collection: Iterable[dict]) -> None:
        if revision:
            self.states[f"{title}|{language}"] = {"revision": revision, "units": [
                [entry.get("key", ""), entry.get("translation") is not None, list(entry.get("tags", ())),
                 str(entry.get("properties", {}).get("status", ""))] for entry in collection]}

    def keep_module(self, translate: str, name: str, exists: bool) -> None:
        """Whether the API has module ``name``, asked while Translate's version is ``translate``."""
        if translate != self.translate:
            self.modules.clear()
            self.translate = translate
        self.modules[name] = exists

    def save(self, path: Path, as_of: str) -> None:
        """Written whole, then renamed (a crash leaves the old file or the new one)."""
        self.as_of = as_of
        data = {"version": VERSION, "wiki": self.wiki, "as of": as_of, "pages": dict(sorted(self.pages.items())),
                "states": dict(sorted(self.states.items())), "modules": dict(sorted(self.modules.items())),
                "translate": self.translate}
        write_json(path, data)
