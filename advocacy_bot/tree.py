"""The configured tree: which titles belong to it, what kind each page is, and where the bot may edit.

Pure functions over titles and page snapshots; the wiki layer supplies the pages.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from difflib import get_close_matches

from .outcomes import UsageProblem
from .plan import Page
from .wikitext.titles import NAMESPACE_NAMES, title_problem

# The namespaces the tree spans (canonical English names, as on Meta-Wiki): main, talk, template.
TREE_NAMESPACES = {namespace: NAMESPACE_NAMES[namespace] for namespace in (0, 1, 10)}  # main, talk, template
MAIN_NAMESPACE = 0  # most of a tree: listed along with a run's first read
TALK_NAMESPACE = 1
TEMPLATE_NAMESPACE = 10
USER_NAMESPACE = "User"
KINDS = ("source", "translation", "talk", "archive", "redirect", "template")

_ARCHIVE_SEGMENT = re.compile(r"^archive\b", re.IGNORECASE)
_LANGUAGE_CODE = re.compile(r"^[a-z]{2,3}(?:-[a-z0-9]{2,8})*$")
_NOWIKI = re.compile(r"<nowiki\s*>.*?</nowiki\s*>", re.DOTALL | re.IGNORECASE)
_TRANSLATE_OPEN = re.compile(r"<translate(?:\s+nowrap)?\s*>", re.IGNORECASE)


def namespace_prefix(namespace: int) -> str:
    name = TREE_NAMESPACES[namespace]
    return f"{name}:" if name else ""


def tree_bases(root: str) -> list[str]:
    """The base title of the tree in each namespace: the root, its talk page, its template."""
    return [namespace_prefix(ns) + root for ns in TREE_NAMESPACES]


def tree_namespace(title: str) -> int:
    """The namespace of ``title`` among the tree's (by its prefix; main when it names none of them)."""
    for namespace, name in TREE_NAMESPACES.items():
        if name and title.startswith(name + ":"):
            return namespace
    return MAIN_NAMESPACE


def in_tree(title: str, root: str) -> bool:
    """True for the root and its subpages in the main, talk and template namespaces.

    ``Global Advocacy Extra`` merely starts like the root and is not in the tree.
    """
    return any(title == base or title.startswith(base + "/") for base in tree_bases(root))


def bears_on_tree(title: str, root: str) -> bool:
    """True when a change of ``title`` can change what a run does: a page of the tree, or a unit
    translation of one (``Translations:PAGE/UNIT/LANG`` in Translate's namespace, PAGE with its own
    namespace, e.g. ``Translations:Template:ROOT/Header/3/ja``; the status page counts them)."""
    return in_tree(title, root) or (title.startswith("Translations:")
                                    and in_tree(title.removeprefix("Translations:"), root))


def named_pages_problem(titles: Iterable[str], known: Iterable[str], root: str) -> str | None:
    """Why pages named on the command line (``--page``) cannot be used, or None: a title MediaWiki
    refuses, one outside the tree, or one that is no page of the tree (``known``: the tree's titles),
    with the nearest title of the tree as a hint. A typo is refused before anything is saved, rather
    than reported as a missing page of a run that did nothing."""
    known = list(known)
    folded = {title.casefold(): title for title in known}
    problems = []
    for title in titles:
        if title_problem(title):
            problems.append(f"--page {title!r}: {title_problem(title)}")
        elif not in_tree(title, root):
            problems.append(f"--page {title!r} is outside the tree {root!r}")
        elif title not in known:
            near = folded.get(title.casefold()) or next(iter(get_close_matches(title, known, n=1, cutoff=0.75)), None)
            problems.append(f"--page {title!r} is no page of the tree" + (f" (did you mean {near!r}?)" if near else ""))
    return "; ".join(problems) or None


def in_user_space(title: str, user: str) -> bool:
    base = f"{USER_NAMESPACE}:{user}"
    return title == base or title.startswith(base + "/")


@dataclass(frozen=True)
class EditScope:
    """Where the bot may save: the tree, plus its own pages that live in the tree or its user space.

    Settings name the bot's pages but cannot widen the scope: a bot page elsewhere is refused at start.
    """

    root: str
    bot_user: str
    bot_pages: frozenset[str]

    @classmethod
    def build(cls, root: str, bot_user: str, bot_pages: Iterable[str]) -> EditScope:
        pages = frozenset(bot_pages)
        for title in sorted(pages):
            if not (in_tree(title, root) or in_user_space(title, bot_user)):
                raise UsageProblem(
                    f"bot page {title!r} is outside the tree {root!r} and outside User:{bot_user}; "
                    "the settings cannot widen where the bot edits")
        return cls(root, bot_user, pages)

    def allows(self, title: str) -> bool:
        return in_tree(title, self.root) or title in self.bot_pages


@dataclass(frozen=True, order=True)
class TreeEntry:
    title: str
    kind: str
    language: str

    def line(self) -> str:
        return f"{self.kind}\t{self.language}\t{self.title}"


def has_translate_markup(text: str) -> bool:
    """True when ``text`` holds a ``<translate>`` tag outside ``<nowiki>`` (translatable without Translate)."""
    return bool(_TRANSLATE_OPEN.search(_NOWIKI.sub("", text)))


def split_language(title: str, languages: frozenset[str]) -> tuple[str, str] | None:
    """``("Global Advocacy/About", "ja")`` for ``Global Advocacy/About/ja`` if ``ja`` is a known code."""
    base, _, code = title.rpartition("/")
    if base and code in languages and _LANGUAGE_CODE.match(code):
        return base, code
    return None


def classify(pages: Iterable[Page], root: str, languages: frozenset[str], content_language: str,
             translatable: frozenset[str] | None = None) -> list[TreeEntry]:
    """Sort the tree's pages into kinds (README, "tree"); pages outside the tree are dropped.

    A translation page is told by its title: ``X/<a language code of the wiki>`` where X is a page of
    the tree (or, for a page whose parent is not read, one Translate lists as translatable), whether
    or not Translate has marked X yet. Before the first marking Translate lists nothing, yet marking
    makes FuzzyBot overwrite those pages: no task may write to them in the meantime.
    ``translatable`` is Translate's own list where the wiki has Translate; without it, a page is
    translatable when it holds ``<translate>`` outside ``<nowiki>``.
    """
    pages = [page for page in pages if page.exists and in_tree(page.title, root)]
    if translatable is None:
        translatable = frozenset(p.title for p in pages if not p.redirect and has_translate_markup(p.text))
    parents = translatable | {page.title for page in pages if not page.redirect}
    entries = []
    for page in pages:
        entries.append(TreeEntry(page.title, *_kind(page, root, languages, content_language, parents)))
    return sorted(entries)


def _kind(page: Page, root: str, languages: frozenset[str], content_language: str,
          parents: frozenset[str]) -> tuple[str, str]:
    if page.redirect:
        return "redirect", "-"
    language = page.language or content_language
    split = split_language(page.title, languages)
    if split and split[0] in parents:
        return "translation", split[1]
    if page.namespace == 1:
        subpath = page.title[len(f"Talk:{root}"):].split("/")
        if any(_ARCHIVE_SEGMENT.match(segment) for segment in subpath):
            return "archive", language
        return "talk", language
    if page.namespace == TEMPLATE_NAMESPACE:
        return "template", language
    return "source", language
