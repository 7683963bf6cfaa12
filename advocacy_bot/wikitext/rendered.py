"""What a reader sees of rendered HTML (``action=parse``): its text, and Translate markup shown as text.

A page is judged by what renders, not by the wikitext the bot wrote: on a wiki with the real Translate,
``<translate>`` that reaches a page by transclusion is not removed but shown (see FACTS.md, section 6).
"""

from __future__ import annotations

from html.parser import HTMLParser

from .translate_markup import VISIBLE_MARKUP

# Elements that stand apart on the screen: their text never runs into the text around them.
_BLOCKS = frozenset({"div", "p", "ul", "ol", "li", "br", "table", "tr", "td", "th", "h1", "h2", "h3", "h4",
                     "h5", "h6"})


class _Reader(HTMLParser):
    """The visible text, and the text of the first element with each ``data-key`` (nav header items)."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.text: list[str] = []
        self.items: dict[str, list[str]] = {}
        self._open: list[tuple[str, str | None]] = []  # (tag, the data-key it collects for) of open elements
        self._hidden = 0

    def _add(self, text: str) -> None:
        self.text.append(text)
        for _, key in self._open:
            if key is not None:
                self.items[key].append(text)

    def handle_starttag(self, tag, attrs):
        if tag in _BLOCKS:
            self._add(" ")
        if tag in ("br", "img", "hr", "meta", "link", "input", "wbr"):
            return  # void elements: never closed
        key = dict(attrs).get("data-key")
        if key is not None and key in self.items:
            key = None  # a later element with the same key: the first one counts
        if key is not None:
            self.items[key] = []
        self._open.append((tag, key))
        if tag in ("script", "style"):
            self._hidden += 1

    def handle_endtag(self, tag):
        for index in range(len(self._open) - 1, -1, -1):
            if self._open[index][0] == tag:
                del self._open[index:]
                break
        if tag in _BLOCKS:
            self._add(" ")
        if tag in ("script", "style") and self._hidden:
            self._hidden -= 1

    def handle_data(self, data):
        if not self._hidden:
            self._add(data)


def _read(html: str) -> _Reader:
    reader = _Reader()
    reader.feed(html)
    reader.close()
    return reader


def visible_text(html: str) -> str:
    """The text a reader sees, whitespace collapsed."""
    return " ".join("".join(_read(html).text).split())


def visible_markup(html: str) -> tuple[str, ...]:
    """Which Translate markup a reader sees as text (none: the markup was handled)."""
    text = "".join(_read(html).text)
    return tuple(name for mark, name in VISIBLE_MARKUP.items() if mark in text)


def keyed_items(html: str) -> dict[str, str]:
    """The visible text of each element with a ``data-key`` (first of each key), whitespace collapsed."""
    return {key: " ".join("".join(parts).split()) for key, parts in _read(html).items.items()}
