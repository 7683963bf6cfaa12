"""Reading pages in batches: as many titles a request as the API takes from the reader, content and
page info together: 500 for an account with ``apihighlimits`` (bots), 50 for others and anonymous reads.

Reading N pages costs ceil(N / limit) requests (more only when the API splits a batch that is larger than
its result size limit). Titles that the caller wants with every batch (the shutoff page) ride along in
each request instead of costing their own, and so do other questions: a listing of a namespace
(``list=allpages``, one per request, the API allows one), ``meta`` modules (site info, a token), or a
question asked for the next request (:meth:`PageReader.ask_along`: which accounts exist).
:meth:`PageReader.read_listed` reads pages while it lists where they are: each listing rides on a
content batch, and the titles it finds fill the batches after it.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field

from ..plan import Page
from ..wikitext.titles import title_problem
from .client import WikiClient

log = logging.getLogger(__name__)

LIMIT = 50  # titles in one content query: the API's limit for most accounts and anonymous readers
HIGH_LIMIT = 500  # the limit for an account with the apihighlimits right (bots, High-volume BotPasswords)


def read_limit(rights: Iterable[str]) -> int:
    """How many titles one content query may ask for, for an account with ``rights`` (the wiki's answer)."""
    return HIGH_LIMIT if "apihighlimits" in set(rights) else LIMIT


def _has_text(data: dict) -> bool:
    return any("content" in revision.get("slots", {}).get("main", {}) for revision in data.get("revisions", ()))


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
        unreadable=data.get("unreadable", ""),
    )


@dataclass
class Question:
    """A part of a query (``list=users`` and its parameters) that rides on the reader's next content
    request instead of costing its own; ``answer`` is that request's ``query`` once it is asked."""

    params: dict
    answer: dict | None = None
    # A list that may have more than one answer holds: its continuation parameter (``lecontinue``).
    # Then only its first part comes with the batch (``cut``), and its asker asks for the rest.
    continues: str = ""
    cut: bool = False


# Query parameters that name modules: a question's modules join the batch's ("list=allpages|users").
_MODULE_PARAMETERS = ("list", "meta", "prop")


def _merged(params: dict, extra: dict) -> dict | None:
    """``params`` with ``extra`` added, or None where they disagree on a parameter (then ``extra`` waits)."""
    merged = dict(params)
    for key, value in extra.items():
        if key in _MODULE_PARAMETERS and merged.get(key):
            merged[key] = "|".join(dict.fromkeys(f"{merged[key]}|{value}".split("|")))
        elif key in merged and str(merged[key]) != str(value):
            return None
        else:
            merged[key] = value
    return merged


def _without(params: dict, extra: dict) -> dict:
    """``params`` without what :func:`_merged` added of ``extra``."""
    left = {key: value for key, value in params.items() if key not in extra or key in _MODULE_PARAMETERS}
    for key in _MODULE_PARAMETERS:
        if key in extra and key in left:
            kept = [name for name in str(left[key]).split("|") if name not in str(extra[key]).split("|")]
            if kept:
                left[key] = "|".join(kept)
            else:
                del left[key]
    return left


@dataclass
class Answer:
    """What one read (with its continuations) brought besides the pages."""

    listed: list[str] = field(default_factory=list)  # titles of the ``list=allpages`` that rode along
    query: dict = field(default_factory=dict)  # the other ``query`` parts (siteinfo, tokens, userinfo), merged


class PageReader:
    """Reads pages by title in batches; ``always`` titles are read along with every batch."""

    def __init__(self, client: WikiClient, always: Iterable[str] = (),
                 on_batch: Callable[[dict[str, Page]], None] | None = None,
                 batch_size: int = LIMIT, progress: Callable[[int, int], None] | None = None):
        self.client = client
        self.always = list(dict.fromkeys(always))
        self.on_batch = on_batch
        self.progress = progress  # (pages done, pages asked) after each batch of a multi-batch read
        self.batch_size = batch_size
        self.pages_read = 0
        self.along: list[Question] = []  # asked with the next content request (see ask_along)

    def ask_along(self, params: dict, continues: str = "") -> Question:
        """Ask ``params`` with the next content request this reader sends (none may come: then the
        question stays unanswered, and its asker asks on its own). ``continues``: see :class:`Question`."""
        question = Question(dict(params), continues=continues)
        self.along.append(question)
        return question

    def answer_of(self, question: Question | None, whole: bool = True) -> dict | None:
        """What ``question`` got riding on a read; None when it has not ridden (it is withdrawn: its
        asker asks on its own) or, with ``whole``, when it came cut (only its first part)."""
        if question is None:
            return None
        if question in self.along:
            self.along.remove(question)
            return None
        return None if whole and question.cut else question.answer

    @property
    def room(self) -> int:
        return self.batch_size - len(self.always)

    def read(self, titles: Iterable[str]) -> dict[str, Page]:
        """The pages with ``titles`` (keys as asked, normalised titles in the pages)."""
        return self.read_listed(titles)[0]

    def read_listed(self, titles: Iterable[str], listings: Sequence[int] = (), prefix: str = "",
                    keep: Callable[[str], bool] = lambda title: True,
                    extra: dict | None = None, follow: bool = True,
                    after_batch: Callable[[dict[str, Page]], None] | None = None,
                    generate: int | None = None
                    ) -> tuple[dict[str, Page], dict[int, list[str]], Answer]:
        """``titles``, and every page that the ``listings`` find (titles in each namespace that start
        with ``prefix`` and that ``keep`` accepts).

        Each listing rides on a content batch, in order; the titles it finds join the queue, so they
        fill the batches after it. ``extra`` parameters (``meta`` modules) ride on the first request.
        Costs ceil(pages / room) requests, at least one per listing, and one more when the pages
        the last listing finds do not fit in the batches still to come.
        Returns the pages (keys as asked or listed), each namespace's kept titles, and the first
        request's other answers. With ``follow`` false the listed pages are not read. ``after_batch``
        sees each batch's pages as it comes (it may :meth:`ask_along` for the next one).

        ``generate``: a namespace whose pages (with ``prefix``) the first request reads whole, listing
        and content at once (``generator=allpages``; a request's page set is its generator's alone, so
        ``titles`` and the pages read with every batch wait for the next one). The first listing rides
        on it, so a tree of three namespaces that fits in one batch costs two requests, not three.
        """
        requested = list(dict.fromkeys(titles))
        # A title MediaWiki would refuse is never sent: a | in it would split titles= into other pages.
        refused = {title: Page(title, 0, exists=False) for title in requested if title_problem(title)}
        for title in refused:
            log.warning("not read: %r is not a valid page title (%s)", title, title_problem(title))
        queue = [title for title in requested if title not in self.always and title not in refused]
        queued = set(requested) | set(self.always)  # asked for, or on the way
        pending = list(listings)
        listed: dict[int, list[str]] = {}
        seen: dict[str, Page] = dict(refused)
        first: Answer | None = None
        done = 0
        while first is None or queue or pending:
            params = dict(extra or {}) if first is None else {}
            generating = generate if first is None else None
            batch = []
            if generating is None:
                batch, queue = queue[:self.room], queue[self.room:]
            else:
                params.update({"generator": "allpages", "gapnamespace": generating, "gapprefix": prefix,
                               "gaplimit": "max"})
            namespace = pending.pop(0) if pending else None
            if namespace is not None:
                params.update({"list": "allpages", "apnamespace": namespace, "apprefix": prefix, "aplimit": "max"})
            pages, answer = self._read_batch([] if generating is not None else self.always + batch, params)
            first = first or answer
            if generating is not None:
                listed[generating] = sorted(title for title in pages if keep(title))
                pages = {title: pages[title] for title in listed[generating]}
                fresh = [title for title in listed[generating] if title not in queued]
                requested.extend(fresh)
                queued.update(fresh)
                queue = [title for title in queue if title not in pages]  # asked for, and read already
                batch = listed[generating]
            if namespace is not None:
                listed[namespace] = [title for title in answer.listed if keep(title)]
                if follow:
                    fresh = [title for title in listed[namespace] if title not in queued]
                    queue.extend(fresh)
                    requested.extend(fresh)
                    queued.update(fresh)
            done += len(batch)
            self.pages_read += len(batch)
            if self.on_batch:
                self.on_batch(pages)
            if after_batch:
                after_batch(pages)
            seen.update(pages)
            if self.progress and done + len(queue) > self.room:
                self.progress(done, done + len(queue))
        return {title: seen[title] for title in requested}, listed, first

    def read_one(self, title: str) -> Page:
        return self.read([title])[title]

    def _read_batch(self, titles: list[str], extra: dict) -> tuple[dict[str, Page], Answer]:
        params = {
            "prop": "revisions|info",
            "rvprop": "ids|timestamp|content|contentmodel",
            "rvslots": "main",
            "inprop": "protection",
            "curtimestamp": 1,
            **extra,
        }
        if "generator" not in extra:
            params["titles"] = "|".join(titles)
        by_title: dict[str, dict] = {}
        aliases: dict[str, str] = {}
        read_at = ""
        found = Answer()
        last_continue = None
        riding = []
        for question in list(self.along):
            merged = _merged(params, question.params)
            if merged is not None:
                params = merged
                riding.append(question)
                self.along.remove(question)
        while True:
            answer = self.client.query(**params)
            for question in riding:  # answered by the first request; its continuations are the batch's
                question.answer = answer.get("query", {})
                if question.continues and question.continues in answer.get("continue", {}):
                    question.cut = True  # not followed here: the batch goes on without it
                    params = _without(params, question.params)
                    answer["continue"] = {key: value for key, value in answer["continue"].items()
                                          if key != question.continues}
                    if set(answer["continue"]) <= {"continue"}:
                        del answer["continue"]  # nothing else to continue
            riding = []
            read_at = read_at or answer.get("curtimestamp", "")
            query = answer.get("query", {})
            for entry in query.get("normalized", []) + query.get("converted", []):
                aliases[entry["from"]] = entry["to"]
            for data in query.get("pages", []):
                known = by_title.setdefault(data["title"], data)
                if known is not data and data.get("revisions"):
                    known.setdefault("revisions", []).extend(data["revisions"])
            found.listed.extend(page["title"] for page in query.get("allpages", []))
            for key, value in query.items():
                if key not in ("pages", "normalized", "converted", "allpages"):
                    found.query.setdefault(key, value)
            if "continue" not in answer:
                break
            # The API splits a batch whose text exceeds its result size, or a long listing: ask for the rest.
            # A page whose text alone exceeds the limit is answered with the same continuation, without
            # its text, for ever: the second time, the read stops and that page is unreadable.
            if answer["continue"] == last_continue:
                for data in by_title.values():
                    if not data.get("missing") and not data.get("invalid") and not _has_text(data):
                        data["unreadable"] = "too-large"
                break
            last_continue = answer["continue"]
            params.update(answer["continue"])
        pages = {title: _page_from_api(data, read_at) for title, data in by_title.items()}
        if "generator" in extra:
            return pages, found
        return {title: pages[aliases.get(title, title)] for title in titles}, found

    def list_prefix(self, namespace: int, prefix: str) -> list[str]:
        """Titles in ``namespace`` starting with ``prefix`` (one request per 5,000 for bots)."""
        return [page["title"] for page in self.client.query_list(
            "allpages", list="allpages", apnamespace=namespace, apprefix=prefix, aplimit="max")]
