"""Reading pages in batches: up to 50 titles a request, content and page info together.

Reading N pages costs ceil(N / 50) requests (more only when the API splits a batch that is larger than
its result size limit). Listing a tree costs one request per namespace. Titles that the caller wants
with every batch (the shutoff page) ride along in each request instead of costing their own.
"""

from __future__ import annotations

from typing import Callable, Iterable

from ..plan import Page
from .client import WikiClient

BATCH_SIZE = 50  # the API's limit for page content in one request (bots and users alike)


def _page_from_api(data: dict, read_at: str) -> Page:
    exists = not data.get("missing") and not data.get("invalid")
    revision = (data.get("revisions") or [{}])[0]
    slot = revision.get("slots", {}).get("main", {})
    protection = tuple((entry["type"], entry["level"]) for entry in data.get("protection", ())
                       if entry.get("type") and entry.get("level"))
    return Page(
        title=data["title"],
        namespace=data.get("ns", 0),
        exists=exists,
        text=slot.get("content", "") if exists else "",
        revid=revision.get("revid", 0) if exists else 0,
        timestamp=revision.get("timestamp", "") if exists else "",
        read_at=read_at,
        redirect=bool(data.get("redirect")),
        content_model=slot.get("contentmodel") or data.get("contentmodel", "wikitext"),
        language=data.get("pagelanguage", ""),
        protection=protection,
    )


class PageReader:
    """Reads pages by title in batches; ``always`` titles are read along with every batch."""

    def __init__(self, client: WikiClient, always: Iterable[str] = (),
                 on_batch: Callable[[dict[str, Page]], None] | None = None,
                 batch_size: int = BATCH_SIZE, progress: Callable[[int, int], None] | None = None):
        self.client = client
        self.always = list(dict.fromkeys(always))
        self.on_batch = on_batch
        self.progress = progress  # (pages done, pages asked) after each batch of a multi-batch read
        self.batch_size = batch_size
        self.pages_read = 0

    def read(self, titles: Iterable[str]) -> dict[str, Page]:
        """The pages with ``titles`` (keys as asked, normalised titles in the pages)."""
        requested = list(dict.fromkeys(titles))
        wanted = [t for t in requested if t not in self.always]
        room = self.batch_size - len(self.always)
        seen: dict[str, Page] = {}
        batches = [wanted[i:i + room] for i in range(0, len(wanted), room)] or [[]]
        done = 0
        for batch in batches:
            pages = self._read_batch(self.always + batch)
            done += len(batch)
            self.pages_read += len(batch)
            if self.on_batch:
                self.on_batch(pages)
            seen.update(pages)
            if self.progress and len(batches) > 1:
                self.progress(done, len(wanted))
        return {title: seen[title] for title in requested}

    def read_one(self, title: str) -> Page:
        return self.read([title])[title]

    def _read_batch(self, titles: list[str]) -> dict[str, Page]:
        params = {
            "prop": "revisions|info",
            "rvprop": "ids|timestamp|content|contentmodel",
            "rvslots": "main",
            "inprop": "protection",
            "titles": "|".join(titles),
            "curtimestamp": 1,
        }
        by_title: dict[str, dict] = {}
        aliases: dict[str, str] = {}
        read_at = ""
        while True:
            answer = self.client.query(**params)
            read_at = read_at or answer.get("curtimestamp", "")
            query = answer.get("query", {})
            for entry in query.get("normalized", []) + query.get("converted", []):
                aliases[entry["from"]] = entry["to"]
            for data in query.get("pages", []):
                known = by_title.setdefault(data["title"], data)
                if known is not data and data.get("revisions"):
                    known.setdefault("revisions", []).extend(data["revisions"])
            if "continue" not in answer:
                break
            # The API splits a batch whose text exceeds its result size: ask for the rest.
            params.update(answer["continue"])
        pages = {title: _page_from_api(data, read_at) for title, data in by_title.items()}
        return {title: pages[aliases.get(title, title)] for title in titles}

    def list_prefix(self, namespace: int, prefix: str) -> list[str]:
        """Titles in ``namespace`` starting with ``prefix`` (one request per 5,000 for bots)."""
        params = {"list": "allpages", "apnamespace": namespace, "apprefix": prefix, "aplimit": "max"}
        titles: list[str] = []
        while True:
            answer = self.client.query(**params)
            titles.extend(page["title"] for page in answer.get("query", {}).get("allpages", []))
            if "continue" not in answer:
                return titles
            params.update(answer["continue"])
