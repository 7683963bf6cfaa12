"""The data that flows between the layers: pages as read, and the changes a task proposes.

A task is a pure function from pages to a *plan* (a list of :class:`PageChange`). The wiki layer reads
pages into :class:`Page` snapshots and applies plans. Each change carries the function that produced it,
so after an edit conflict the wiki layer can re-read the page and recompute that one change.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Optional


@dataclass(frozen=True)
class Page:
    """One page as read from the wiki, at one revision."""

    title: str
    namespace: int
    exists: bool
    text: str = ""
    revid: int = 0
    timestamp: str = ""  # of the revision read: the edit's basetimestamp
    read_at: str = ""  # server time of the read: the edit's starttimestamp
    redirect: bool = False
    content_model: str = "wikitext"
    language: str = ""
    protection: tuple[tuple[str, str], ...] = ()  # (action, level) pairs, e.g. ("edit", "sysop")
    # Why the text could not be read (``too-large``: beyond the API's result size); such a page is
    # never saved, since its text as read is not its text.
    unreadable: str = ""


Recompute = Callable[[Page], Optional["PageChange"]]


@dataclass(frozen=True)
class Verification:
    """A check on ``titles`` as they are now, made just before a change is saved.

    The change is saved only when ``problems`` returns nothing; otherwise it is reported as
    ``verification-failed``. Example: a talk page loses its threads only once the archive pages
    saved earlier in the same plan hold every one of them. The pages are those this run's saves
    stored, where the saves' answers tell what was stored, else a fresh read (``wiki/apply.py``).
    """

    titles: tuple[str, ...]
    problems: Callable[[dict[str, Page]], list[str]] = field(compare=False, repr=False)


@dataclass(frozen=True)
class RenderCheck:
    """What readers must see before a change is saved: ``wikitext`` rendered as on the changed page
    (``action=parse`` with its title, so in its language), judged by ``problems``.

    The change is saved only when ``problems`` finds nothing; otherwise the page keeps what it shows
    and is reported with ``code`` (a skip: a wait, not a failure). Example: a page gets the header call
    only once the header template renders without Translate markup. Renders of the same wikitext in
    the same language are asked once a run, again after a page in ``depends_on`` is saved.
    """

    wikitext: str
    code: str
    problems: Callable[[str], list[str]] = field(compare=False, repr=False)  # rendered HTML -> problems
    depends_on: tuple[str, ...] = ()


@dataclass(frozen=True)
class PageChange:
    """A proposed new text for one page, made from ``base`` by ``task``."""

    title: str
    base: Page
    new_text: str
    summary: str
    task: str
    # The same pure function that made this change; called again on a fresh read after a conflict.
    recompute: Recompute | None = field(default=None, compare=False, repr=False)
    # Checked just before the save (see Verification); None: no check.
    verify: Verification | None = field(default=None, compare=False, repr=False)
    # Pages saved first when the same batch changes them; if one is not saved, neither is this one
    # (the state page that records unit ids before the pages that use them).
    needs: tuple[str, ...] = field(default=(), compare=False)
    # Checked on a render just before the save (see RenderCheck); None: no check.
    render_check: RenderCheck | None = field(default=None, compare=False, repr=False)
    # Of a change composed from several tasks: the change without the parts that carry the render
    # check, saved instead when the check fails (the other tasks' work goes on); called with ``base``.
    without_render_check: Recompute | None = field(default=None, compare=False, repr=False)
    # False for what another party saves (Translate's marking, previewed in a dry run): its summary
    # is that party's, without the link to the bot's page that every edit of the bot carries.
    linked: bool = field(default=True, compare=False)

    @property
    def creates_page(self) -> bool:
        return not self.base.exists

    @property
    def changes_text(self) -> bool:
        return self.new_text != self.base.text or not self.base.exists


def change_for(page: Page, new_text: str, summary: str, task: str, recompute: Recompute | None,
               verify: Verification | None = None) -> PageChange | None:
    """A change to ``page``, or None when ``new_text`` is what the page already says."""
    if page.exists and new_text == page.text:
        return None
    return PageChange(page.title, page, new_text, summary, task, recompute, verify)
