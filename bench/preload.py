"""The strongest pywikibot peer of ``run-all``: a pywikibot script at its defaults, reading in batches.

Like the naive loop (``bench/naive.py``: the same planning code, so both end with the same pages), but
reading the way a good pywikibot script does: the tree listed with ``site.allpages``, the pages read
with ``site.preloadpages()`` at its default group size (``site.maxlimit``: 500 for an account with
``apihighlimits``), each changed page saved with ``Page.save``.

``python -m bench.preload --config FILE --now TIME`` runs it and prints one JSON line, as the naive loop.
"""

from __future__ import annotations

from collections.abc import Iterable

from advocacy_bot.plan import Page

from .naive import NaiveRun, run_peer, snapshot


class PreloadRun(NaiveRun):
    """The naive loop's run, reading with ``site.preloadpages()``."""

    def read(self, titles: Iterable[str]) -> dict[str, Page]:
        import pywikibot

        wanted = {title: pywikibot.Page(self.site, title) for title in dict.fromkeys(titles)}
        # preloadpages yields the pages it loaded, in batches of site.maxlimit; a page it does not yield
        # stays as asked for (then it does not exist)
        loaded = {page.title(): page for page in self.site.preloadpages(list(wanted.values()))}
        pages = {}
        for title, page in wanted.items():
            page = loaded.get(page.title(), page)
            pages[title] = snapshot(page, page.text if page.exists() else None)
            self._loaded[page.title()] = page
        return pages


if __name__ == "__main__":
    raise SystemExit(run_peer(PreloadRun))
