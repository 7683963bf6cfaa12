"""Translate's page markup, read and completed exactly as the Translate extension does it.

Why not a wikitext tree: Translate's own parser (``TranslatablePageParser``) works on the raw text
with regular expressions, so a tree would disagree with it in the corners that matter (a
``<translate>`` inside a comment is still a tag; a marker inside ``<nowiki>`` within a block is
still a marker). This module re-states those rules as a small raw-text scanner:

1. ``<nowiki>...</nowiki>`` spans are set aside, but only for finding ``<translate>`` tags (Translate
   restores them before it splits a block into units).
2. A block is the leftmost ``<translate>``/``<translate nowrap>`` with the next ``</translate>``;
   another opening tag inside it is ``pt-parse-nested``; tags left over are ``pt-parse-open`` /
   ``pt-parse-close``.
3. A block's content splits into units at whitespace runs that hold two consecutive newlines; the
   leading and trailing whitespace belong to the block, not to a unit.
4. A unit holds at most one marker ``<!--T:id-->``: at its start followed by a newline (a space in a
   one-line block), or at the end of a line (the heading line for a unit with a heading).
5. Marking puts a marker in every unit that lacks one: after the unit's first heading line if it
   has one, else at its start; new ids count up from the highest id ever used.

On top of what Translate refuses, a few things are refused because the bot must never write them
(each is said where it is checked): ``not-atomic``, a block that cuts through an HTML element,
comment, ``<nowiki>`` or ``<pre>``, or a marker that is (or would be put) inside a comment,
``<nowiki>`` or ``<pre>``; a marker that Translate would accept only by silently deleting the text
after it; and unit names that Translate lets through but that cannot work as unit page titles.

Offsets are indices into the Python string; lines count from 1. Nothing here raises on arbitrary
text except :class:`InvalidMarkup`, and only from the functions that must produce a marked page.
"""

from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from functools import cache

__all__ = [
    "DISPLAY_TITLE_UNIT_ID",
    "NEW_UNIT_ID",
    "RULES",
    "Block",
    "InsertedMarker",
    "InvalidMarkup",
    "Marker",
    "Marking",
    "MarkupProblem",
    "ParsedPage",
    "Unit",
    "Variable",
    "MARKER",
    "TRANSLATE_TAG",
    "TVAR_OLD",
    "UNIT_START_MARKER",
    "VISIBLE_MARKUP",
    "add_markers",
    "highest_id",
    "id_order",
    "inline_unit",
    "mark",
    "marker",
    "marker_ids",
    "has_tvar",
    "new_tvar",
    "parse",
    "retired_ids",
    "unwrap_tvars",
    "validate",
]

# Rule codes. The pt-* and tpt-* codes are Translate's own message keys, so a report from the bot
# reads like the error the wiki would give; not-atomic is this project's.
PARSE_OPEN = "pt-parse-open"
PARSE_CLOSE = "pt-parse-close"
PARSE_NESTED = "pt-parse-nested"
SHAKE_MULTIPLE = "pt-shake-multiple"
SHAKE_POSITION = "pt-shake-position"
SHAKE_EMPTY = "pt-shake-empty"
INVALID = "tpt-invalid"
DUPLICATE = "tpt-duplicate"
TITLE_INVALID = "tpt-unit-title-invalid"
TITLE_TOO_LONG = "tpt-unit-title-too-long"
NOT_ATOMIC = "not-atomic"

RULES: frozenset[str] = frozenset({
    PARSE_OPEN, PARSE_CLOSE, PARSE_NESTED, SHAKE_MULTIPLE, SHAKE_POSITION, SHAKE_EMPTY,
    INVALID, DUPLICATE, TITLE_INVALID, TITLE_TOO_LONG, NOT_ATOMIC,
})
"""Every rule code a :class:`MarkupProblem` can carry."""

NEW_UNIT_ID = "-1"
"""Translate's id for "not numbered yet": a ``<!--T:-1-->`` marker is renumbered when marking."""

DISPLAY_TITLE_UNIT_ID = "Page display title"
"""The unit Translate adds for the page title; a marker with this id duplicates it."""

_OPEN = "<translate"
_CLOSE = "</translate>"
_MARK_OPEN = "<!--T:"
_MARK_CLOSE = "-->"

# PCRE's \s without the u flag (what Translate's patterns use), PHP's trim(), and \s less the newline.
_SPACE = " \t\n\v\f\r"
_PHP_TRIM = " \t\n\r\0\v"
_LINE_SPACE = " \t\v\f\r"
_SPACE_RUN = re.compile("[ \t\n\v\f\r]+")

# Characters Translate forbids in unit names (TranslationUnit::UNIT_MARKER_INVALID_CHARS).
_ID_FORBIDDEN = "_/\n<>"

# MediaWiki's title rules, for the unit page "Translations:<page>/<id>/<lang>" (MediaWikiTitleCodec).
_TITLE_SPACE = re.compile("[ _\u00a0\u1680\u180e\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+")
_TITLE_BIDI = re.compile("[\u200e\u200f\u202a-\u202e]")
_TITLE_ILLEGAL = re.compile(
    r"""[^ %!"$&'()*,\-./0-9:;=?@A-Z\\^_`a-z~+\u0080-\U0010ffff]|%[0-9A-Fa-f]{2}|&[A-Za-z0-9\u0080-\U0010ffff]+;"""
)
_TITLE_MAX_BYTES = 255
# "<page>/" + id + "/xx-yyyyyyyyyy": Translate checks the longest language code; the page is >= 1 char.
_TITLE_OVERHEAD = len("P/") + len("/xx-yyyyyyyyyy")

# Tvar syntaxes (TranslationUnit::getVariables): old <tvar|name>value</>, new <tvar name=...>value</tvar>.
# Translate's patterns carry PHP's u flag, under which \s is Unicode whitespace, as in Python.
_TVAR_OLD = TVAR_OLD = re.compile(r"<tvar\|([^>]+)>(.*?)</>", re.S)  # name, value
_TVAR_NEW = re.compile(
    r"""<tvar\s+name\s*=\s*(?:'(?P<key1>[^']*)'|"(?P<key2>[^"]*)"|(?P<key3>[^"'\s>]*))\s*>"""
    r"""(?P<value>.*?)</tvar\s*>""",
    re.S | re.I,
)

# HTML elements that a <translate> block must not cut through (for not-atomic).
_HTML_TAG = re.compile(r"<(/?)([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>")
_OPEN_ELEMENT = re.compile(r"<([A-Za-z][A-Za-z0-9]*)(?=[\s/>])[^<>]*>")
_PAIRED = frozenset(
    "abbr b bdi bdo big blockquote caption center cite code data del dfn div dl em font h1 h2 h3 h4"
    " h5 h6 i ins kbd mark ol q rb rp rt rtc ruby s samp small span strike strong sub sup table"
    " time tt u ul var".split()
)
_OPTIONAL_CLOSE = frozenset("li dt dd td th tr p".split())
# Tags whose content MediaWiki does not read as markup: a comment or tag inside them is text.
_OPAQUE = frozenset(
    "nowiki pre syntaxhighlight source math chem ce score graph templatedata timeline hiero mapframe"
    " maplink inputbox imagemap gallery".split()
)


@dataclass(frozen=True, slots=True)
class MarkupProblem:
    """One reason Translate (or this bot) would refuse the page, located where it starts."""

    rule: str
    message: str
    offset: int
    line: int

    def __str__(self) -> str:
        """``line N: RULE: message``, the one form every report of a problem uses."""
        return f"line {self.line}: {self.rule}: {self.message}"


class InvalidMarkup(ValueError):
    """Raised instead of producing a marked page from text that Translate would refuse."""

    def __init__(self, problems: tuple[MarkupProblem, ...] | list[MarkupProblem]) -> None:
        self.problems: tuple[MarkupProblem, ...] = tuple(problems)
        shown = "; ".join(str(p) for p in self.problems[:5])
        more = f" (and {len(self.problems) - 5} more)" if len(self.problems) > 5 else ""
        super().__init__(f"invalid Translate markup: {shown}{more}")


@dataclass(frozen=True, slots=True)
class Marker:
    """A ``<!--T:id-->`` marker; ``start``/``end`` span the whole comment in the page text."""

    id: str
    start: int
    end: int


@dataclass(frozen=True, slots=True)
class Variable:
    """A ``<tvar>``: ``$name`` is what translators see in place of ``value``."""

    name: str
    value: str
    definition: str


@dataclass(frozen=True, slots=True)
class Unit:
    """One translation unit.

    ``start``/``end`` span the unit in the page text, marker included; ``text`` is the unit as
    Translate stores it (marker and the whitespace that goes with it removed). ``id`` is None for a
    unit that marking would number: one without a marker or with Translate's placeholder ``-1``.
    """

    start: int
    end: int
    marker: Marker | None
    text: str
    inline: bool

    @property
    def id(self) -> str | None:
        if self.marker is None or self.marker.id == NEW_UNIT_ID:
            return None
        return self.marker.id

    @property
    def variables(self) -> tuple[Variable, ...]:
        return _variables(self.text)

    @property
    def text_with_variables(self) -> str:
        """The text translators get: each tvar replaced by ``$name`` (Translate's getTextWithVariables).

        Comparing this instead of ``text`` tells a change of wording from a change inside a tvar,
        which Translate does not fuzzy by default.
        """
        return _strtr(self.text, {v.definition: "$" + v.name for v in self.variables})


@dataclass(frozen=True, slots=True)
class Block:
    """A ``<translate>...</translate>`` pair: ``start``/``end`` include the tags.

    ``inline``: the content has no newline, so Translate follows a unit-start marker with a space.
    """

    start: int
    end: int
    content_start: int
    content_end: int
    nowrap: bool
    inline: bool
    units: tuple[Unit, ...]


@dataclass(frozen=True, slots=True)
class ParsedPage:
    """The page as Translate reads it. Blocks that Translate could not read (nested) are left out."""

    text: str
    blocks: tuple[Block, ...]
    problems: tuple[MarkupProblem, ...]

    @property
    def ok(self) -> bool:
        return not self.problems

    @property
    def units(self) -> tuple[Unit, ...]:
        return tuple(unit for block in self.blocks for unit in block.units)

    @property
    def ids(self) -> tuple[str, ...]:
        """Ids of the units that already have one, in document order."""
        return tuple(unit.id for unit in self.units if unit.id is not None)


@dataclass(frozen=True, slots=True)
class InsertedMarker:
    """A marker that marking added, with the separator it brought (``text``), at ``offset`` in the result."""

    id: str
    offset: int
    text: str


@dataclass(frozen=True, slots=True)
class Marking:
    """What :func:`mark` did.

    ``assigned``: the new ids in document order. ``inserted``: markers added to units that had
    none. ``rewritten``: ids of units that had a marker which marking moved to Translate's place for
    it, gave a new separator, or renumbered from ``-1``; only these units change beyond the inserted
    markers.
    """

    text: str
    assigned: tuple[str, ...]
    inserted: tuple[InsertedMarker, ...]
    rewritten: tuple[str, ...]


# --- public functions -------------------------------------------------------------------------


def parse(text: str) -> ParsedPage:
    """Read ``text`` as Translate does and list everything that would stop it being marked."""
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    problems = _Problems(text)
    masked, nowiki = _armour_nowiki(text)
    regions = _Regions(masked, nowiki)
    blocks: list[Block] = []
    outside: list[tuple[int, int]] = []
    checkable: list[Unit] = []
    pos = 0
    while True:
        tag = _find_open_tag(masked, pos, len(masked))
        if tag is None:
            break
        open_start, open_end, nowrap = tag
        close = masked.find(_CLOSE, open_end)
        if close < 0:
            break
        outside.append((pos, open_start))
        pos = close + len(_CLOSE)
        inner = _find_open_tag(masked, open_end, close)
        if inner is not None:
            # Translate stops at this block; its units are not read.
            problems.add(PARSE_NESTED, inner[0],
                         f"<translate> inside the block opened at line {problems.line(open_start)};"
                         " <translate> blocks cannot nest")
            continue
        parsed = list(_parse_units(text, open_end, close, problems))
        units = [unit for unit, _ in parsed]
        clean = [unit for unit, ok in parsed if ok]
        checkable.extend(clean)
        if not _check_atomic(masked, regions, open_start, open_end, close, problems):
            for unit in clean:  # (inside a commented-out block every unit would repeat that one problem)
                _check_marker_place(text, unit, regions, problems)
        inline = "\n" not in text[open_end:close]
        blocks.append(Block(open_start, pos, open_end, close, nowrap, inline, tuple(units)))
    outside.append((pos, len(text)))
    for lo, hi in outside:
        _report_stray_tags(masked, lo, hi, problems)
    _check_ids(checkable, problems)
    return ParsedPage(text, tuple(blocks), problems.sorted())


_TRANSLATE_TAG = TRANSLATE_TAG = re.compile(r"</?translate(?:\s+nowrap)?\s*>", re.I)


# -- the syntax, for code that reads or writes a piece of Translate markup without parsing a page ------
# Every other module takes markers, tvars, inline units and unit ids from here, so that the bot
# reads and writes them exactly as Translate does.

MARKER = re.compile(r"<!--T:([^\n]*?)-->")
"""A unit marker as Translate finds one (``<!--T:(.*?)-->``, on one line); group 1 is the id."""

UNIT_START_MARKER = re.compile(r"^\s*<!--T:([^\n]*?)-->[ \n]?")
"""The marker at the start of a unit's text, with the space or newline Translate puts after it."""


# Translate markup as a reader would see it when it leaks into a rendered page (the tags and comments
# as text): what to look for, and how to name it (wikitext/rendered.py).
VISIBLE_MARKUP = {"<translate": "<translate>", "</translate>": "</translate>", "<!--T:": "<!--T:n-->",
                  "<tvar": "<tvar>", "</tvar>": "</tvar>", "<languages": "<languages/>"}


def marker(ident: str) -> str:
    return f"<!--T:{ident}-->"


def marker_ids(text: str) -> list[str]:
    """Every marker id in ``text``, once each, in text order; the placeholder ``-1`` left out."""
    return list(dict.fromkeys(m.group(1) for m in MARKER.finditer(text) if m.group(1) != NEW_UNIT_ID))


def inline_unit(text: str, ident: str | None = None) -> str:
    """``text`` as a unit of its own inline block, with its marker and the space Translate puts after
    an inline marker; without ``ident``, a new unit that marking numbers."""
    return f"<translate>{marker(ident)} {text}</translate>" if ident else f"<translate>{text}</translate>"


def id_order(ident: str) -> tuple[int, int, str]:
    """Sort key of unit ids: numbers by value, then the named ones."""
    return (0, int(ident), "") if ident.isdigit() else (1, 0, ident)


def retired_ids(ids: Iterable[str], why: str) -> str:
    """Bare markers of ids no unit uses any more, after a comment saying ``why`` they stay: a marker
    anywhere in the page keeps its id from being given out again (see :func:`highest_id`)."""
    ordered = sorted(set(ids), key=id_order)
    return f"<!-- {why} -->" + "".join(marker(ident) for ident in ordered) if ordered else ""


_BARE_TVAR_NAME = re.compile(r"[^\"'\s>]+")


def has_tvar(text: str) -> bool:
    """Whether ``text`` holds a tvar of either syntax, or the start of one."""
    return "<tvar" in text


def new_tvar(name: str, value: str) -> str | None:
    """``<tvar|name>value</>`` in the new syntax, ``<tvar name=...>value</tvar>``; None when the name
    cannot be quoted or the value holds a closing tag."""
    if "</tvar" in value.lower():
        return None
    if _BARE_TVAR_NAME.fullmatch(name):
        quoted = name
    elif '"' not in name:
        quoted = f'"{name}"'
    elif "'" not in name:
        quoted = f"'{name}'"
    else:
        return None
    return f"<tvar name={quoted}>{value}</tvar>"


def unwrap_tvars(text: str) -> str:
    """``<tvar name=x>value</tvar>`` and ``<tvar|x>value</>`` -> ``value``: outside ``<translate>`` a
    tvar is no markup, and a reader sees its value."""
    return _TVAR_OLD.sub(lambda m: m.group(2), _TVAR_NEW.sub(lambda m: m.group("value"), text))


def outside_units(text: str) -> list[str]:
    """The page's text between its units, ``<translate>`` tags removed, in order, whitespace runs as
    one space and blank pieces left out: what every translation page copies as it is (the header
    call, the staff block's names, layout), to be found in them in this order."""
    pieces, position = [], 0
    for unit in parse(text).units:
        pieces.append(text[position:unit.start])
        position = unit.end
    pieces.append(text[position:])
    cleaned = (" ".join(_TRANSLATE_TAG.sub(" ", piece).split()) for piece in pieces)
    return [piece for piece in cleaned if piece]


def validate(text: str) -> list[MarkupProblem]:
    """Problems in text order; an empty list means Translate (and this bot) would mark the page."""
    return list(parse(text).problems)


def highest_id(text: str) -> int:
    """The largest numeric marker id anywhere in ``text`` (0 if none).

    Every ``<!--T:digits-->`` counts, even outside blocks or inside ``<nowiki>``: a number seen
    anywhere must not be handed out again, and a higher start costs nothing. Ids that are not all
    ASCII digits are ignored for numbering (they can never equal a new numeric id).
    """
    if not isinstance(text, str):
        raise TypeError(f"text must be str, not {type(text).__name__}")
    best = 0
    for match in re.finditer(r"<!--T:([0-9]+)-->", text):
        best = max(best, _digits_to_int(match.group(1)))
    return best


def mark(text: str, highest: int = 0) -> Marking:
    """Add the markers Translate would add; new ids start after ``max(highest, highest_id(text))``.

    ``highest`` is the largest id the page ever used (Translate's stored ``maxid`` and units), which
    the text alone cannot show: an id is never reused, since a reused id would attach old
    translations to new text. Existing ids are never changed (only ``-1`` placeholders are numbered).
    """
    if isinstance(highest, bool) or not isinstance(highest, int):
        raise TypeError("highest must be an int")
    page = parse(text)
    if page.problems:
        raise InvalidMarkup(page.problems)
    units = page.units
    start = max(highest, highest_id(text), 0)
    needed = sum(1 for unit in units if unit.id is None)
    if needed and start + needed >= 10 ** (_TITLE_MAX_BYTES - _TITLE_OVERHEAD):
        first = next(unit for unit in units if unit.id is None)
        raise InvalidMarkup([_problem_at(text, TITLE_TOO_LONG, first.start,
                                        "new unit ids would be too long for a unit page title")])

    pieces: list[str] = []
    length = 0
    assigned: list[str] = []
    inserted: list[InsertedMarker] = []
    rewritten: list[str] = []
    pos = 0
    for unit in units:
        pieces.append(text[pos:unit.start])
        length += unit.start - pos
        if unit.id is None:
            start += 1
            ident = str(start)  # at most 239 digits (checked above), inside str()'s limit
            assigned.append(ident)
        else:
            ident = unit.id
        body, insertion = _render(text[unit.start:unit.end], unit, ident)
        if unit.marker is None:
            offset, added = insertion
            inserted.append(InsertedMarker(ident, length + offset, added))
        elif body != text[unit.start:unit.end]:
            rewritten.append(ident)
        pieces.append(body)
        length += len(body)
        pos = unit.end
    pieces.append(text[pos:])
    return Marking("".join(pieces), tuple(assigned), tuple(inserted), tuple(rewritten))


def add_markers(text: str, highest: int = 0) -> str:
    """The page text after marking (see :func:`mark`); raises :class:`InvalidMarkup` if refused."""
    return mark(text, highest).text


def _problem_at(text: str, rule: str, offset: int, message: str) -> MarkupProblem:
    """A problem at ``offset`` with its line number worked out from ``text``."""
    return MarkupProblem(rule, message, offset, text.count("\n", 0, offset) + 1)


# --- reading ----------------------------------------------------------------------------------


class _Problems:
    """Collects problems; sorting at the end gives text order whatever order checks ran in."""

    def __init__(self, text: str) -> None:
        self._text = text
        self._newlines: list[int] | None = None
        self._items: list[MarkupProblem] = []
        self.broken_markers: set[int] = set()  # reported once as tpt-invalid, not again as comments

    def line(self, offset: int) -> int:
        if self._newlines is None:
            self._newlines = [m.start() for m in re.finditer("\n", self._text)]
        return bisect_left(self._newlines, offset) + 1

    def add(self, rule: str, offset: int, message: str) -> None:
        self._items.append(MarkupProblem(rule, message, offset, self.line(offset)))

    def sorted(self) -> tuple[MarkupProblem, ...]:
        return tuple(sorted(self._items, key=lambda p: p.offset))


def _armour_nowiki(text: str) -> tuple[str, list[tuple[int, int]]]:
    """``text`` with every ``<nowiki>...</nowiki>`` span blanked out (offsets unchanged), and the spans.

    Mirrors Translate's loop: take the leftmost span, then blank every identical span (PHP's
    str_replace), and repeat. NUL never occurs in a tag, so a blanked span cannot form one.
    """
    masked = text
    spans: list[tuple[int, int]] = []
    pos = 0
    while True:
        start = masked.find("<nowiki>", pos)
        if start < 0:
            return masked, spans
        end = masked.find("</nowiki>", start + len("<nowiki>"))
        if end < 0:
            return masked, spans
        span = masked[start:end + len("</nowiki>")]
        at = start
        while (at := masked.find(span, at)) >= 0:
            spans.append((at, at + len(span)))
            at += len(span)
        masked = masked.replace(span, "\0" * len(span))
        pos = start


class _Regions:
    """Stretches of the page that MediaWiki does not read as markup: comments, <nowiki>, <pre>, ...

    A ``<translate>`` tag or a marker inside one is not what it seems: MediaWiki hides or prints
    it, while Translate still acts on it, and a marker put inside a comment ends the comment early.
    Found as MediaWiki's preprocessor finds them: left to right, a comment runs to the next ``-->``
    (or the end), a tag to its closing tag (without one it is plain text).
    """

    def __init__(self, masked: str, nowiki: list[tuple[int, int]]) -> None:
        spans = [(start, end, "<nowiki>") for start, end in nowiki]
        pos = 0
        while (lt := masked.find("<", pos)) >= 0:
            pos = lt + 1
            if masked.startswith("<!--", lt):
                close = masked.find("-->", lt + 4)
                pos = len(masked) if close < 0 else close + 3
                spans.append((lt, pos, "comment"))
                continue
            tag = _OPEN_ELEMENT.match(masked, lt)
            if tag is None or tag.group().endswith("/>") or tag.group(1).lower() not in _OPAQUE:
                continue
            name = tag.group(1).lower()
            close_tag = _closing_tag(name).search(masked, tag.end())
            if close_tag is not None:
                pos = close_tag.end()
                spans.append((lt, pos, f"<{name}>"))
        spans.sort()
        self._spans = spans
        self._starts = [start for start, _, _ in spans]
        self._widest: list[int] = []  # index of the span reaching furthest among spans[:i + 1]
        for i, (_, end, _) in enumerate(spans):
            if not self._widest or end > spans[self._widest[-1]][1]:
                self._widest.append(i)
            else:
                self._widest.append(self._widest[-1])

    def _reaching(self, count: int, pos: int) -> tuple[int, int, str] | None:
        if count <= 0:
            return None
        span = self._spans[self._widest[count - 1]]
        return span if span[1] > pos else None

    def around(self, pos: int) -> tuple[int, int, str] | None:
        """The region that ``pos`` lies strictly inside (begun before it, not yet ended)."""
        return self._reaching(bisect_left(self._starts, pos), pos)

    def at(self, pos: int) -> tuple[int, int, str] | None:
        """The region that starts at or covers ``pos``."""
        return self._reaching(bisect_right(self._starts, pos), pos)


@cache
def _closing_tag(name: str) -> re.Pattern[str]:
    return re.compile(rf"</{name}[ \t\n\v\f\r]*>", re.I)


def _find_open_tag(masked: str, lo: int, hi: int) -> tuple[int, int, bool] | None:
    """The leftmost ``<translate>`` or ``<translate nowrap>`` wholly inside [lo, hi)."""
    i = masked.find(_OPEN, lo, hi)
    while i >= 0:
        rest = i + len(_OPEN)
        if masked.startswith(">", rest, hi):
            return i, rest + 1, False
        if masked.startswith(" nowrap>", rest, hi):
            return i, rest + len(" nowrap>"), True
        i = masked.find(_OPEN, i + 1, hi)
    return None


def _report_stray_tags(masked: str, lo: int, hi: int, problems: _Problems) -> None:
    pos = lo
    while (tag := _find_open_tag(masked, pos, hi)) is not None:
        problems.add(PARSE_OPEN, tag[0], "<translate> has no matching </translate>")
        pos = tag[1]
    pos = masked.find(_CLOSE, lo, hi)
    while pos >= 0:
        problems.add(PARSE_CLOSE, pos, "</translate> has no matching <translate> before it")
        pos = masked.find(_CLOSE, pos + len(_CLOSE), hi)


def _unit_spans(content: str) -> Iterator[tuple[int, int]]:
    """Spans between the block's separators, as Translate's split ``(^\\s*|\\s*\\n\\n\\s*|\\s*$)`` gives them.

    A whitespace run separates when it starts or ends the content or holds two consecutive
    newlines; any other run is inside a unit. (The pattern is linear here; as a regex it is not.)
    """
    prev = 0
    for run in _SPACE_RUN.finditer(content):
        i, j = run.span()
        if i == 0 or j == len(content) or "\n\n" in run.group():
            if i > prev:
                yield prev, i
            prev = j
    if prev < len(content):
        yield prev, len(content)


def _parse_units(text: str, lo: int, hi: int, problems: _Problems) -> Iterator[tuple[Unit, bool]]:
    content = text[lo:hi]
    inline = "\n" not in content
    for start, end in _unit_spans(content):
        if content[start:end].strip(_PHP_TRIM):
            yield _parse_unit(text, lo + start, lo + end, inline, problems)


def _scan_markers(unit: str) -> tuple[list[tuple[int, int, str]], list[tuple[int, bool]]]:
    """Markers as ``<!--T:(.*?)-->`` finds them (one line each), and every other ``<!--T:``.

    The others come with whether a ``-->`` follows later in the unit: Translate reads neither as a
    marker, but both are broken markers that marking would otherwise bury inside a new unit.
    """
    markers: list[tuple[int, int, str]] = []
    broken: list[tuple[int, bool]] = []
    pos = 0
    close = newline = -2  # cached next "-->" and "\n"; -2 means not searched yet
    while (start := unit.find(_MARK_OPEN, pos)) >= 0:
        body = start + len(_MARK_OPEN)
        if close != -1 and close < body:
            close = unit.find(_MARK_CLOSE, body)
        if newline != -1 and newline < body:
            newline = unit.find("\n", body)
        if close >= 0 and (newline < 0 or close < newline):
            markers.append((start, close + len(_MARK_CLOSE), unit[body:close]))
            pos = close + len(_MARK_CLOSE)
        else:
            broken.append((start, close >= 0))
            pos = start + 1
    return markers, broken


def _space_before(unit: str, index: int) -> int:
    """Start of the whitespace run that ends at ``index`` (what ``\\s*<!--T:`` swallows)."""
    while index > 0 and unit[index - 1] in _SPACE:
        index -= 1
    return index


def _parse_unit(text: str, lo: int, hi: int, inline: bool, problems: _Problems) -> tuple[Unit, bool]:
    """One unit, and whether its marker (if any) is sound enough for the unit-name checks."""
    unit = text[lo:hi]
    markers, broken = _scan_markers(unit)
    for start, closed in broken:
        reason = "runs over a line break (unit names cannot hold a newline)" if closed else "has no closing -->"
        problems.broken_markers.add(lo + start)
        problems.add(INVALID, lo + start, f"unit marker {_MARK_OPEN}... {reason}")
    if not markers:
        return Unit(lo, hi, None, unit, inline), True
    a, b, ident = markers[0]
    marker = Marker(ident, lo + a, lo + b)
    if len(markers) > 1:
        second = markers[1]
        problems.add(SHAKE_MULTIPLE, lo + second[0],
                     f"second marker <!--T:{second[2]}--> in the unit that has <!--T:{ident}-->;"
                     " a unit takes exactly one marker")
        return Unit(lo, hi, marker, unit, inline), False
    if a == 0 and b < len(unit) and unit[b] in " \n":
        stored = unit[b + 1:]
    elif b == len(unit) or unit[b] == "\n":
        # Translate also takes "<!--T:1-->x -->" (its pattern reaches the last "-->" on the line) and
        # deletes the "x -->"; the bot refuses that instead (the else branch).
        stored = unit[:_space_before(unit, a)] + unit[b:]
    else:
        problems.add(SHAKE_POSITION, lo + a,
                     f"marker <!--T:{ident}--> must start its unit (then a newline, or a space in a"
                     " one-line block) or end a line (a heading's line)")
        return Unit(lo, hi, marker, unit, inline), False
    if not stored.strip(_PHP_TRIM):
        problems.add(SHAKE_EMPTY, lo + a, f"marker <!--T:{ident}--> has no unit text besides it")
        return Unit(lo, hi, marker, unit, inline), False
    return Unit(lo, hi, marker, stored, inline), True


def _title_problem(ident: str) -> tuple[str, str] | None:
    """Why "Translations:<page>/<ident>/<lang>" is no MediaWiki title, checked as Translate does.

    Stricter than MediaWiki in one place: ``#`` would silently cut the title short (a fragment), so
    it is refused rather than let through.
    """
    key = _TITLE_BIDI.sub("", _TITLE_SPACE.sub("_", ident))
    if any("\ud800" <= ch <= "\udfff" or ch == "\ufffd" for ch in key):
        return TITLE_INVALID, "it is not valid UTF-8"
    if "#" in key:
        return TITLE_INVALID, "'#' would cut the unit page title short"
    bad = _TITLE_ILLEGAL.search(key)
    if bad:
        return TITLE_INVALID, f"{bad.group()!r} is not allowed in page titles"
    if any(segment in (".", "..") for segment in key.split("/")):
        return TITLE_INVALID, "'.' or '..' between slashes makes a relative title"
    if "~~~" in key:
        return TITLE_INVALID, "'~~~' is not allowed in page titles"
    if len(key.encode("utf-8", "surrogatepass")) + _TITLE_OVERHEAD > _TITLE_MAX_BYTES:
        return TITLE_TOO_LONG, "the unit page title would exceed 255 bytes"
    return None


def _check_ids(units: list[Unit], problems: _Problems) -> None:
    """Translate's unit-name checks (validateUnitNames): title, then forbidden characters, then duplicates."""
    first_seen: dict[str, int] = {}
    for unit in units:
        if unit.marker is None or unit.marker.id == NEW_UNIT_ID:
            continue
        ident, offset = unit.marker.id, unit.marker.start
        title = _title_problem(ident)
        if title is not None:
            problems.add(title[0], offset, f"unit name {ident!r}: {title[1]}")
        elif any(ch in _ID_FORBIDDEN for ch in ident):
            problems.add(INVALID, offset, f"unit name {ident!r} contains '_' or '/'")
        elif not ident or ident != ident.strip():
            # Translate lets these through; the bot does not (see FACTS: no surrounding whitespace).
            problems.add(INVALID, offset, f"unit name {ident!r} is empty or has surrounding whitespace")
        if ident == DISPLAY_TITLE_UNIT_ID:
            problems.add(DUPLICATE, offset, f"unit name {ident!r} is reserved for the page display title")
        elif ident in first_seen:
            first = problems.line(first_seen[ident])
            problems.add(DUPLICATE, offset, f"unit name {ident!r} is used more than once (first at line {first})")
        else:
            first_seen[ident] = offset


def _check_atomic(masked: str, regions: _Regions, open_start: int, lo: int, hi: int, problems: _Problems) -> bool:
    """``not-atomic``: a block must hold whole HTML elements, comments and <nowiki>/<pre> spans.

    Translate itself accepts a block that cuts through one (its FailNotAtomic test is pending), but
    the translation page then gets one tag without its partner. Returns whether the opening tag is
    itself inside a comment or the like.
    """
    outer = regions.around(open_start)
    if outer is not None and outer[0] not in problems.broken_markers:
        problems.add(NOT_ATOMIC, open_start,
                     f"<translate> is inside the {outer[2]} that starts at line {problems.line(outer[0])}")
    inner = regions.around(hi)
    if inner is not None and inner != outer and inner[0] not in problems.broken_markers:
        problems.add(NOT_ATOMIC, hi,
                     f"the {inner[2]} that starts at line {problems.line(inner[0])} is still open at </translate>")
    stack: list[tuple[str, int]] = []
    pos = lo
    while (lt := masked.find("<", pos, hi)) >= 0:
        region = regions.at(lt)
        if region is not None:
            pos = region[1]
            continue
        tag = _HTML_TAG.match(masked, lt, hi)
        if tag is None:
            pos = lt + 1
            continue
        pos = tag.end()
        closing, name = tag.group(1) == "/", tag.group(2).lower()
        if (tag.group().endswith("/>") and not closing) or (name not in _PAIRED and name not in _OPTIONAL_CLOSE):
            continue
        if not closing:
            stack.append((name, lt))
            continue
        depth = next((i for i in range(len(stack) - 1, -1, -1) if stack[i][0] == name), None)
        if depth is None:
            problems.add(NOT_ATOMIC, open_start,
                         f"</{name}> at line {problems.line(lt)} closes an element opened before this <translate>")
        else:
            del stack[depth:]
    for name, offset in stack:
        if name not in _OPTIONAL_CLOSE:
            problems.add(NOT_ATOMIC, hi,
                         f"<{name}> at line {problems.line(offset)} is not closed before </translate>")
    return outer is not None


def _check_marker_place(text: str, unit: Unit, regions: _Regions, problems: _Problems) -> None:
    """``not-atomic`` for a marker that is, or would be put, inside a comment, <nowiki> or <pre>."""
    if unit.marker is not None:
        region = regions.around(unit.marker.start)
        if region is not None:
            problems.add(NOT_ATOMIC, unit.marker.start,
                         f"marker <!--T:{unit.marker.id}--> is inside the {region[2]} that starts at line"
                         f" {problems.line(region[0])}")
            return
    plan = _plan(text[unit.start:unit.end], unit, "<!--T:0-->")
    if plan is None:
        return
    target = unit.start + _unit_offset(text[unit.start:unit.end], unit, plan[0])
    region = regions.around(target)
    if region is not None:
        problems.add(NOT_ATOMIC, target, f"the unit's marker would go inside the {region[2]}"
                                         f" that starts at line {problems.line(region[0])}")


def _variables(text: str) -> tuple[Variable, ...]:
    found = [Variable(m.group(1), m.group(2), m.group()) for m in _TVAR_OLD.finditer(text)]
    for m in _TVAR_NEW.finditer(text):
        name = m.group("key1") or m.group("key2") or m.group("key3") or ""
        found.append(Variable(name, m.group("value"), m.group()))
    return tuple(found)


def _strtr(text: str, pairs: dict[str, str]) -> str:
    """PHP's strtr with an array: at each position the longest key wins, and output is not rescanned."""
    keys = sorted((k for k in pairs if k), key=len, reverse=True)
    if not keys:
        return text
    out: list[str] = []
    i = 0
    while i < len(text):
        for key in keys:
            if text.startswith(key, i):
                out.append(pairs[key])
                i += len(key)
                break
        else:
            out.append(text[i])
            i += 1
    return "".join(out)


# --- marking ----------------------------------------------------------------------------------


def _heading_line_end(text: str) -> int | None:
    """End of the first heading line, Translate's ``^(=+.*?=+\\s*?$)`` (multiline), or None.

    A heading line starts with '=' and, trailing whitespace aside, ends with a second '='.
    """
    start = 0
    while True:
        newline = text.find("\n", start)
        end = len(text) if newline < 0 else newline
        if text.startswith("=", start, end):
            core = text[start:end].rstrip(_LINE_SPACE)
            if len(core) >= 2 and core.endswith("="):
                return end
        if newline < 0:
            return None
        start = newline + 1


def _insertion(stored: str, inline: bool, marker: str) -> tuple[int, str]:
    """Where Translate puts a marker into unit text (getMarkedText), and what goes there.

    After the first heading line if there is one, else at the start with a newline (a space in a
    one-line block). A heading line that already ends in whitespace gets no extra space, so that
    deleting the marker alone restores the text and a second marking changes nothing.

    Text that a start marker kept from the block's separator (``<!--T:1-->\n ==\n== A ==``) loses
    its leading whitespace to the separator once the marker goes to a heading, and the heading is
    then looked for again; Translate gets there on its second marking, this in one.
    """
    if _heading_line_end(stored) is not None:
        body = stored.lstrip(_SPACE)
        end = len(stored) - len(body) + (_heading_line_end(body) or 0)
        return end, ("" if stored[end - 1] in _LINE_SPACE else " ") + marker
    if inline:
        return 0, marker + " "
    if stored.startswith("\n"):
        return 0, marker  # a second newline would split the unit in two
    return 0, marker + "\n"


def _in_place(unit: str, a: int, b: int, stored: str, inline: bool) -> bool:
    """Whether an existing marker already sits where marking would put it (so it is left alone)."""
    heading_end = _heading_line_end(stored)
    if a == 0 and b < len(unit) and unit[b] in " \n":
        return heading_end is None and unit[b] == (" " if inline else "\n")
    space = _space_before(unit, a)
    return heading_end == space and "\n" not in unit[space:a]


def _marker_span(unit: Unit) -> tuple[int, int]:
    """The marker's span relative to the unit; (0, 0) for a unit without one."""
    if unit.marker is None:
        return 0, 0
    return unit.marker.start - unit.start, unit.marker.end - unit.start


def _plan(unit_text: str, unit: Unit, marker: str) -> tuple[int, str] | None:
    """None if the unit's marker is already in place; else (offset in ``unit.text``, text to insert)."""
    if unit.marker is not None and _in_place(unit_text, *_marker_span(unit), unit.text, unit.inline):
        return None
    return _insertion(unit.text, unit.inline, marker)


def _unit_offset(unit_text: str, unit: Unit, stored_offset: int) -> int:
    """Where an offset in ``unit.text`` lies in the unit as written (the marker not yet taken out)."""
    if unit.marker is None:
        return stored_offset
    a, b = _marker_span(unit)
    if a == 0 and b < len(unit_text) and unit_text[b] in " \n":
        return stored_offset + b + 1
    space = _space_before(unit_text, a)
    return stored_offset if stored_offset <= space else stored_offset + b - space


def _render(unit_text: str, unit: Unit, ident: str) -> tuple[str, tuple[int, str]]:
    """The unit with its marker in place, and (offset, text) of the insertion when one was made."""
    marker = f"<!--T:{ident}-->"
    plan = _plan(unit_text, unit, marker)
    if plan is None:  # already in place; only a -1 placeholder changes
        a, b = _marker_span(unit)
        return unit_text[:a] + marker + unit_text[b:], (a, marker)
    offset, added = plan
    return unit.text[:offset] + added + unit.text[offset:], plan


def _digits_to_int(digits: str) -> int:
    """int(digits) without Python's 4300-digit limit on str-to-int conversion."""
    value = 0
    for i in range(0, len(digits), 1000):
        chunk = digits[i:i + 1000]
        value = value * 10 ** len(chunk) + int(chunk)
    return value

