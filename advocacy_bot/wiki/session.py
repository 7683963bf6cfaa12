"""One run against one wiki: the client, the edit scope, the shutoff watch, batched reads, the report.

Tasks get pages from here (:meth:`BotRun.read_tree`, :meth:`BotRun.read`) and hand their plans to
:meth:`BotRun.apply`; they never see HTTP.
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import Any

from .. import ownership
from ..outcomes import UsageProblem
from ..plan import Page, PageChange
from ..report import RunReport
from ..settings import Settings
from ..tree import MAIN_NAMESPACE, TALK_NAMESPACE, TEMPLATE_NAMESPACE, TREE_NAMESPACES, EditScope, in_tree, tree_bases
from ..wikitext.redirects import redirect_target
from ..wikitext.titles import Namespaces, use_site_namespaces
from .apply import MarkupGuard, PlanApplier, ShutoffWatch, default_guards
from .client import USERINFO_PROPS, ApiError, WikiClient
from .definitions_cache import DefinitionsCache, cache_file
from .reader import PageReader, Question, read_limit


@dataclass(frozen=True)
class SiteFacts:
    """What a run needs to know about the wiki itself, read once."""

    content_language: str
    languages: frozenset[str]
    extensions: frozenset[str]
    translate_version: str = ""  # Translate's version and commit, as siteinfo gives them ("" without)

    @property
    def has_translate(self) -> bool:
        return "Translate" in self.extensions

    @classmethod
    def from_query(cls, query: dict) -> SiteFacts:
        """From the ``query`` part of an answer to ``meta=siteinfo&siprop=general|languages|extensions``."""
        return cls(
            content_language=query["general"].get("lang", "en"),
            languages=frozenset(entry["code"] for entry in query.get("languages", [])),
            extensions=frozenset(entry.get("name", "") for entry in query.get("extensions", [])),
            translate_version=next((f"{entry.get('version', '')} {entry.get('vcs-version', '')}".strip()
                                    for entry in query.get("extensions", []) if entry.get("name") == "Translate"), ""),
        )


SITE_FACTS: dict[str, Any] = {"meta": "siteinfo", "siprop": "general|languages|extensions"}
# A run's first request also asks the session's user info as pywikibot would: pywikibot then asks nothing itself.
SITE_AND_SESSION: dict[str, Any] = {**SITE_FACTS, "meta": SITE_FACTS["meta"] + "|userinfo", "uiprop": USERINFO_PROPS}
DOCUMENTATION_LANGUAGE = "qqq"  # Translate's message documentation, as Meta-Wiki configures it
log = logging.getLogger(__name__)
STATS_RETRIES = 3  # Translate still counting a language's statistics: asked again this often ...
STATS_PAUSE = 2.0  # ... after 2, 4, 6 seconds


def translatable_groups_query(root: str, also: Iterable[str] = ()) -> dict[str, Any]:
    """Translate's translatable pages of the tree (message groups ``page-TITLE``; Meta-Wiki has
    thousands outside it) and of the pages ``also`` names: with the tree's read, or on its own."""
    patterns = [f"page-{title}" for base in tree_bases(root) for title in (base, base + "/*")]
    patterns += [f"page-{title}" for title in also if not in_tree(title, root)]
    return {"meta": "messagegroups", "mgfilter": "|".join(dict.fromkeys(patterns)), "mgprop": "id|label"}


def translation_log_query(moment: str) -> dict[str, Any]:
    """Translate's ``pagetranslation`` log (markings, unmarkings, moves) from ``moment`` on."""
    return {"list": "logevents", "letype": "pagetranslation", "lestart": moment, "ledir": "newer",
            "leprop": "title|type|timestamp", "lelimit": "max"}


@dataclass
class BotRun:
    client: WikiClient
    settings: Settings
    report: RunReport
    dry_run: bool = False
    guards: list[MarkupGuard] = field(default_factory=default_guards)
    out: Callable[[str], None] = print
    confirm: Callable[[], None] = lambda: None
    progress: Callable[[int, int], None] | None = None
    writes: bool = False  # a run that may save: the pages it writes whole must be its own (ownership.py)
    adopting: str | None = None  # the page `adopt` hands to the bot: the run checks no ownership, it hands one over
    state_dir: Path | None = None  # the folder of what the bot keeps on this machine (run lock, archive journal)

    def __post_init__(self) -> None:
        self.bot_pages = self.settings.bot_pages.for_bot(self.client.bot_user)
        self.scope = EditScope.build(self.settings.root, self.client.bot_user, self.bot_pages.titles())
        self.shutoff = ShutoffWatch(self.bot_pages.shutoff)
        self.reader = PageReader(self.client, always=[self.bot_pages.shutoff], on_batch=self.shutoff.observe,
                                 progress=self.progress)
        self.applier = PlanApplier(self.client, self.reader, self.scope, self.report, self.shutoff,
                                   dry_run=self.dry_run, guards=self.guards, out=self.out,
                                   confirm=self.confirm, about=self.bot_pages.about)
        self._listing: dict[int, list[str]] = {}  # the tree's titles listed by the first read
        self._root: Page | None = None  # the root as the first read found it
        self._definitions_language = DOCUMENTATION_LANGUAGE  # see translate_definitions
        self._definitions: dict[str, list[dict]] = {}  # title -> Translate's unit definitions, this run
        self._users_along: tuple[frozenset[str], Question] | None = None  # see ask_users_along
        self._groups_along: Question | None = None  # Translate's translatable pages, asked with the tree
        self._log_along: Question | None = None  # the pagetranslation log for the kept definitions
        self.first_read: dict[str, Page] = {}  # what start() read, for read_tree
        self._kept: DefinitionsCache | None = None  # Translate's definitions kept between runs, current
        self._kept_loaded: DefinitionsCache | None = None  # ... as loaded, before the log since is applied
        self._owned_checked = not self.writes

    # -- reading ------------------------------------------------------------------------------
    def start(self, also: Iterable[str] = ()) -> Page:
        """First read of a run: the shutoff page and the root (and ``also``: pages a run needs besides
        the tree, so that :meth:`read_tree` need not read them); a redirected root stops the run.

        What a run asks only once rides on this request: the site's facts, the listing of the
        tree's first namespace, and (for a run that may save) a CSRF token.
        """
        extra = dict(SITE_AND_SESSION)
        if not self.dry_run:
            extra.update(meta=extra["meta"] + "|tokens", type="csrf")
        whole = [] if self._owned_checked or self.adopting else self.whole_pages()
        pages, self._listing, answer = self.reader.read_listed(
            [self.settings.root, *(w.title for w in whole), *also], (MAIN_NAMESPACE,), self.settings.root,
            self._in_tree, extra, follow=False)
        self.first_read = pages
        self.report.pages_read = self.reader.pages_read
        signed_in = self._take_site_answer(answer.query)
        if signed_in:
            self.client.offer_token(answer.query.get("tokens", {}).get("csrftoken", ""))
        elif not self.dry_run and len(self._listing.get(MAIN_NAMESPACE, ())) > self.reader.room:
            # No session yet, and the tree needs more than one read at anyone's limit: a saving run
            # logs in now rather than at its first save, so that its reads are the bot's.
            self.client.login()
            signed_in = True
        if signed_in:
            # As many titles a request as the account's rights allow: pywikibot knows them from its
            # first request (the session's user info) or from the login, without asking again.
            self.reader.batch_size = read_limit(self.client.session_rights())
        root = self._root = pages[self.settings.root]
        if root.redirect:
            target = redirect_target(root.text) or "(unknown target)"
            raise UsageProblem(f"the configured root {self.settings.root!r} is a redirect to {target!r}; "
                               f"set root: {target} in the settings to follow the move")
        if whole:
            self._check_owned(whole, pages)
        return root

    def _take_site_answer(self, query: dict) -> bool:
        """The site's facts and the session's user info that came with a run's first request; True
        when the session is the bot's."""
        if "general" in query:
            self.__dict__["site_facts"] = SiteFacts.from_query(query)
            if not self.client.wiki_id:
                self.client.wiki_id = query["general"].get("wikiid", "")
            self.report.wiki = self.client.wiki_id
        # Titles from here on are spelt with this wiki's namespace names (Meta-Wiki's "Meta:", its
        # own namespaces such as "Research:"), not only MediaWiki's standard ones.
        use_site_namespaces(Namespaces.of_site(self.client.namespaces()))
        user = query.get("userinfo", {})
        self.client.take_session_info(user)
        return bool(user.get("name") == self.client.bot_user and not user.get("anon"))

    def recent_changes(self, since: str, titles: Iterable[str]) -> tuple[dict[str, Page], list[dict], bool]:
        """An incremental run's first request (``incremental.py``): the shutoff page and ``titles`` (the
        run's own pages, the root first), the site's facts and the session, and the wiki's recent
        changes from ``since`` on: edits, new pages and log entries of every namespace (a move into the
        tree starts outside it). Returns the pages (their ``read_at`` is the wiki's time of the request),
        the changes, and False when there were more than one answer lists (not asked further)."""
        question = self.reader.ask_along({"list": "recentchanges", "rcstart": since, "rcdir": "newer",
                                          "rctype": "edit|new|log", "rcprop": "title|ids|timestamp|user|loginfo",
                                          "rclimit": "max"}, continues="rccontinue")
        pages, _, answer = self.reader.read_listed(titles, extra=dict(SITE_AND_SESSION))
        self.report.pages_read = self.reader.pages_read
        self._take_site_answer(answer.query)
        changes = self.reader.answer_of(question, whole=False)
        return pages, list((changes or {}).get("recentchanges", [])), changes is not None and not question.cut

    @property
    def started_at(self) -> str:
        """The wiki's time of the run's first read (start()); "" before it."""
        return self._root.read_at if self._root is not None else ""

    def whole_pages(self) -> list[ownership.WholePage]:
        """The pages this run would write whole, with the settings that name them."""
        pages = self.bot_pages
        return ownership.whole_pages(self.settings.nav.template, pages.status, pages.state, pages.run_log)

    def _check_owned(self, whole: list[ownership.WholePage], pages: dict[str, Page]) -> None:
        """Stop the run (exit 2) before any save when a page it writes whole is someone else's."""
        problems = [problem for entry in whole if (problem := self.ownership_problem(entry, pages[entry.title]))]
        self._owned_checked = True
        if problems:
            raise UsageProblem("nothing saved: " + "\n  ".join(problems))

    def ownership_problem(self, entry: ownership.WholePage, page: Page) -> str | None:
        """Why the bot must not write ``page`` whole (None: it is its own); asks for the page's
        creator only when the page exists without the bot's mark."""
        bot = self.client.bot_user
        creator = self.creator(entry.title) if ownership.needs_creator(page, bot) else None
        return ownership.refusal(entry, page, creator, bot)

    def creator(self, title: str) -> str | None:
        """The user who made the page's first revision (one request; None if hidden or missing)."""
        answer = self.client.query(prop="revisions", titles=title, rvdir="newer", rvlimit=1, rvprop="user")
        for page in answer.get("query", {}).get("pages", []):
            for revision in page.get("revisions", []):
                return revision.get("user")
        return None

    def read(self, titles: Iterable[str]) -> dict[str, Page]:
        pages = self.reader.read(titles)
        self.report.pages_read = self.reader.pages_read
        return pages

    def _in_tree(self, title: str) -> bool:
        return in_tree(title, self.settings.root)

    def tree_titles(self, namespaces: Iterable[int] = tuple(TREE_NAMESPACES)) -> list[str]:
        """Every title of the tree (or of its ``namespaces``): the first namespace as listed by
        :meth:`start`, one listing request for each other namespace."""
        titles: list[str] = []
        for namespace in namespaces:
            listed = self._listing.pop(namespace, None)  # used once: later listings see later saves
            titles.extend(listed if listed is not None else self.reader.list_prefix(namespace, self.settings.root))
        return sorted(t for t in titles if self._in_tree(t))

    def read_tree(self, also: Iterable[str] = (), after_batch: Callable[[dict[str, Page]], None] | None = None
                  ) -> tuple[dict[str, Page], dict[int, list[str]]]:
        """Every page of the tree, and the pages ``also`` names; and the tree's titles by namespace.

        The listings :meth:`start` did not make ride on the content batches (see
        :meth:`PageReader.read_listed`): ceil(pages / 49) requests, not one more per namespace.
        """
        also = list(also)  # asked for below, and looked up in at the end
        listing = {namespace: self._listing.pop(namespace) for namespace in list(self._listing)}
        have = dict(self.first_read)  # as start() read them (the root, the steps' own pages): not read twice
        self.first_read = {}  # used once: later reads see later saves
        known = [title for titles in listing.values() for title in titles if title not in have]
        todo = [namespace for namespace in TREE_NAMESPACES if namespace not in listing]
        titles = [*(title for title in also if title not in have), *known]
        # A tree whose known pages fit in one batch: its talk namespace is read whole by the first
        # request (listing and content at once) with the next listing riding along, so it costs two
        # requests where listing each namespace before reading it took three. A larger tree fills its
        # batches anyway, and a request of talk pages alone would be one more. ``also`` first: what the
        # steps ask along once they have their pages (``after_batch``) can ride on the batch after.
        generate = TALK_NAMESPACE if TALK_NAMESPACE in todo and len(titles) <= self.reader.room else None
        self._ask_translate_along()
        pages, listed, _ = self.reader.read_listed(
            titles, [ns for ns in todo if ns != generate], self.settings.root, self._in_tree,
            after_batch=after_batch, generate=generate)
        self.report.pages_read = self.reader.pages_read
        listing.update(listed)
        pages.update({title: page for title, page in have.items() if title in also or title in known
                      or title == self.settings.root})
        if not any(listing.values()):
            # a typo in the settings (`root: Global Advocay`) listed nothing and ended with exit 0
            raise UsageProblem(f"no page of the tree {self.settings.root!r} exists on this wiki (not the root, "
                               "no subpage, no talk page): check `root` in the settings")
        return pages, {namespace: sorted(listing[namespace]) for namespace in TREE_NAMESPACES}

    @cached_property
    def site_facts(self) -> SiteFacts:
        """Asked along with :meth:`start`'s read; on its own only when a run did not start."""
        return SiteFacts.from_query(self.client.query(**SITE_FACTS)["query"])

    def ask_users_along(self, names: Iterable[str]) -> None:
        """Ask which of ``names`` are accounts with the next content read (``list=users`` riding on
        it), for :meth:`existing_users` to answer without a request of its own. Asked once a run;
        more names than one request takes are left to :meth:`existing_users`."""
        wanted = frozenset(names)
        if self._users_along is not None or not wanted or len(wanted) > self.reader.batch_size:
            return
        self._users_along = (wanted, self.reader.ask_along({"list": "users", "ususers": "|".join(sorted(wanted))}))

    def existing_users(self, names: Iterable[str]) -> frozenset[str]:
        """Which of ``names`` (MediaWiki's normalised form) are registered accounts: the answer that
        rode on a read (:meth:`ask_users_along`), else one ``list=users`` request per 50 names (500
        when the reads are a bot's)."""
        wanted = list(dict.fromkeys(names))
        if self._users_along is not None:
            asked, question = self._users_along
            answer = self.reader.answer_of(question)  # None: no read came after it, not asked along
            if answer is not None and set(wanted) <= asked:
                return frozenset(user["name"] for user in answer.get("users", [])
                                 if user["name"] in wanted and not user.get("missing") and not user.get("invalid"))
        found: set[str] = set()
        step = self.reader.batch_size
        for start in range(0, len(wanted), step):
            answer = self.client.query(list="users", ususers="|".join(wanted[start:start + step]))
            found.update(user["name"] for user in answer.get("query", {}).get("users", [])
                         if not user.get("missing") and not user.get("invalid"))
        return frozenset(found)

    def _ask_translate_along(self) -> None:
        """On a wiki with Translate, what the steps will ask of it rides on the tree's read: the list of
        translatable pages, and the ``pagetranslation`` log since the kept definitions' time (when
        definitions are kept)."""
        if not self.site_facts.has_translate:
            return
        if self._groups_along is None:
            self._groups_along = self.reader.ask_along(self._groups_query())
        kept = self._kept_definitions(load_only=True)
        if kept is not None and kept.pages and self._log_along is None:
            self._log_along = self.reader.ask_along(translation_log_query(kept.as_of), continues="lecontinue")

    def _groups_query(self) -> dict[str, Any]:
        return translatable_groups_query(self.settings.root, [self.settings.nav.template])

    def translatable_pages(self) -> frozenset[str] | None:
        """Translate's own list of translatable pages (one request, none where it rode on the tree's
        read), or None without Translate."""
        if not self.site_facts.has_translate:
            return None
        question, self._groups_along = self._groups_along, None  # an answer used once: later asks are fresh
        answer = self.reader.answer_of(question)
        if answer is not None and "messagegroups" in answer:
            groups = answer["messagegroups"]
        else:
            groups = self.client.query(**self._groups_query()).get("query", {}).get("messagegroups", [])
        return frozenset(group["id"][len("page-"):] for group in groups if group["id"].startswith("page-"))

    # -- Translate (only where site_facts.has_translate) -----------------------------------------
    def translate_language_stats(self, language: str) -> list[dict]:
        """``meta=languagestats`` of one language: one entry per message group of the wiki, each
        naming its ``group`` (one request; more only when Translate splits an answer it has not
        finished counting). One request a language, where ``meta=messagegroupstats`` takes one a page."""
        params: dict[str, Any] = {"meta": "languagestats", "lslanguage": language}
        entries: list[dict] = []
        stalled = 0
        while True:
            answer = self.client.query(**params)
            found = answer.get("query", {}).get("languagestats", [])
            entries.extend(found)
            if "continue" not in answer:
                return entries
            # Translate answers from its cache and continues where a group is not counted yet, having
            # queued the counting: asked again at once, it may answer the same. A few short waits,
            # then the run goes on without these numbers rather than asking forever.
            stalled = 0 if found else stalled + 1
            if stalled > STATS_RETRIES:
                raise ApiError("translate-stats-incomplete",
                               f"Translate has not finished counting the {language} statistics; asked "
                               f"{STATS_RETRIES + 1} times")
            if stalled:
                time.sleep(STATS_PAUSE * stalled)
            params.update(answer["continue"])

    def translate_collection(self, title: str, language: str, expected_warnings: tuple[str, ...] = ()) -> list[dict]:
        """``list=messagecollection`` of one translatable page in ``language``: every unit with its
        definition (the source text as last marked), translation and status (one request)."""
        answer = self.client.query(list="messagecollection", mcgroup=f"page-{title}", mclanguage=language,
                                   mcprop="definition|translation|tags|properties", mclimit="max",
                                   expected_warnings=expected_warnings)
        return answer.get("query", {}).get("messagecollection", [])

    def translate_unit_states(self, title: str, language: str, revision: int) -> list[dict]:
        """How each unit of ``title`` stands in ``language`` (:meth:`translate_collection`'s entries,
        without the texts where kept): asked only when the translation page ``title/language`` has
        another ``revision`` than when it was last asked (``definitions_cache.py``); 0: always asked."""
        kept = self._kept_definitions()
        states = kept.unit_states(title, language, revision) if kept is not None else None
        if states is None:
            states = self.translate_collection(title, language)
            if kept is not None:
                kept.keep_unit_states(title, language, revision, states)
        return states

    def translate_definitions(self, title: str) -> list[dict]:
        """Every unit of a translatable page with its definition (the source text as last marked).

        Asked in the documentation language ``qqq``, open for every translatable page (Meta-Wiki has
        it). Translate's default is no documentation language (``translate-invalidlanguage``): then,
        for the rest of the run, in the source language, which answers the same definitions with a
        warning that the source is not for translating (expected, so not shown).

        Asked once per page and run (the marking and the status page both need them); marking the
        page through :meth:`mark_for_translation` asks again. Kept between runs where the run has a
        state folder (``definitions_cache.py``): asked again only after the page is marked."""
        if title not in self._definitions:
            kept = self._kept_definitions()
            if kept is not None and title in kept.pages:
                self._definitions[title] = kept.pages[title]
            else:
                self._definitions[title] = self._read_definitions(title)
                if kept is not None:
                    kept.keep(title, self._definitions[title])
        return self._definitions[title]

    def _kept_definitions(self, load_only: bool = False) -> DefinitionsCache | None:
        """The definitions kept by earlier runs, less the pages marked (or unmarked, moved) since:
        loaded at the first need, with the ``pagetranslation`` log since they were kept (none when
        nothing is kept; on the tree's read where it rode along, else one ``list=logevents`` request).
        ``load_only``: as loaded, the log not asked yet."""
        if self._kept_loaded is None and self.state_dir is not None and self._root is not None and self._root.read_at:
            self._kept_loaded = DefinitionsCache.load(cache_file(self.state_dir, self.report.site), self.client.wiki_id)
        if load_only or self._kept is not None or self._kept_loaded is None:
            return self._kept_loaded if load_only else self._kept
        kept = self._kept_loaded
        if kept.pages:
            kept.forget_marked(self._translation_log_since(kept.as_of))
        self._kept = kept
        return kept

    def _translation_log_since(self, moment: str) -> list[dict]:
        """Translate's ``pagetranslation`` log entries (markings and the like) from ``moment`` on."""
        question, self._log_along = self._log_along, None
        answer = self.reader.answer_of(question)  # None: not asked along, or longer than one answer
        if answer is not None:
            return list(answer.get("logevents", []))
        return self.client.query_list("logevents", **translation_log_query(moment))

    def keep_definitions(self) -> None:
        """Write the kept definitions, current as of this run's start (the wiki's time of its first
        read: a marking after it is in the log the next run asks for)."""
        if self._kept is not None and self.state_dir is not None and not self.dry_run and self._root is not None:
            try:
                self._kept.save(cache_file(self.state_dir, self.report.site), self._root.read_at)
            except OSError as error:  # a cache: the next run asks the wiki again
                log.warning("Translate definitions not kept: %s", error, extra={"action": "cache"})

    def _read_definitions(self, title: str) -> list[dict]:
        if self._definitions_language == DOCUMENTATION_LANGUAGE:
            try:
                return self.translate_collection(title, DOCUMENTATION_LANGUAGE)
            except ApiError as error:
                if error.code != "translate-invalidlanguage":
                    raise
                self._definitions_language = self.site_facts.content_language
                log.info("this wiki's Translate has no documentation language (qqq): unit definitions "
                         "are read in the source language, %s", self._definitions_language)
        return self.translate_collection(title, self._definitions_language, expected_warnings=("messagecollection",))

    def api_module_exists(self, name: str) -> bool:
        """Whether the wiki's API has the action module ``name`` (one ``action=paraminfo`` request;
        a missing module's warning is the answer, not shown). Kept with Translate's definitions while
        Translate's version is the same: a page waiting to be marked costs no request a run."""
        version = self.site_facts.translate_version
        kept = self._kept_definitions() if version else None
        if kept is not None and kept.translate == version and name in kept.modules:
            return kept.modules[name]
        answer = self.client.query(action="paraminfo", modules=name, expected_warnings=("paraminfo",))
        exists = any(module.get("name") == name for module in answer.get("paraminfo", {}).get("modules", []))
        if kept is not None:
            kept.keep_module(version, name, exists)
        return exists

    def mark_for_translation(self, page: Page) -> dict:
        """Ask Translate to mark ``page`` at the revision read (``action=markfortranslation``).

        A template is marked with translation-aware transclusion (``transclusion=yes``): without it,
        every page that calls it shows its ``<translate>`` tags as text, for good. The caller checks
        the page first (:meth:`refusal`); here come the shutoff page and the run's confirmation, as
        before an edit. Raises :class:`~advocacy_bot.wiki.client.ApiError`.
        """
        self._definitions.pop(page.title, None)
        if self._kept is not None:
            self._kept.forget_marked([{"title": page.title}])
        return self.applier.mark_for_translation(page, transclusion=page.namespace == TEMPLATE_NAMESPACE)

    def revision_texts(self, revids: Iterable[int]) -> dict[int, str]:
        """The text of each revision (``undo``): 50 revisions a request. A revision whose text is
        hidden or deleted is left out."""
        wanted = list(dict.fromkeys(revids))
        texts: dict[int, str] = {}
        for start in range(0, len(wanted), 50):
            params: dict[str, Any] = {"prop": "revisions", "revids": "|".join(map(str, wanted[start:start + 50])),
                      "rvprop": "ids|content", "rvslots": "main"}
            while True:
                answer = self.client.query(**params)
                for page in answer.get("query", {}).get("pages", []):
                    for revision in page.get("revisions", []):
                        slot = revision.get("slots", {}).get("main", {})
                        if "content" in slot:
                            texts[revision["revid"]] = slot["content"]
                if "continue" not in answer:
                    break
                params.update(answer["continue"])
        return texts

    def render(self, wikitext: str, title: str, language: str = "") -> str:
        """``wikitext`` rendered as on page ``title`` (``action=parse``), as a reader would get it."""
        return self.applier.render(wikitext, title, language)

    # -- writing ------------------------------------------------------------------------------
    def saved_page(self, title: str) -> Page | None:
        """The page as this run's save left it, where the save's answer tells it (else None: read it)."""
        return self.applier.saved_page(title)

    def apply(self, changes: Iterable[PageChange | None]) -> None:
        """Save the changes in order; a None (a task's "nothing to do") is passed over, as in run-all."""
        self.applier.apply(change for change in changes if change is not None)

    def refusal(self, page: Page) -> tuple[str, str] | None:
        """Why a change to ``page`` would not be saved (outcome code, message), or None."""
        return self.applier.refusal(page)

    def finish(self, exit_code: int, message: str | None = None) -> None:
        self.keep_definitions()
        self.report.pages_read = self.reader.pages_read  # re-reads after conflicts and checks count too
        self.report.finish(exit_code, self.client.requests_made, message)
        self.report.api_requests_by_action = dict(self.client.counter.by_action)  # a read-only run's too
