"""Making a page ready for translation, conservatively (what Special:PagePreparation does, minus guesswork).

Three changes, and nothing else:

1. ``<languages/>`` at the top, when the page has translatable text and no language bar yet;
2. untagged prose paragraphs wrapped in ``<translate>`` (consecutive ones share one block, so each
   paragraph becomes one unit);
3. old variables ``<tvar|x>...</>`` inside ``<translate>`` rewritten as ``<tvar name=x>...</tvar>``
   (Translate compares units with ``$x`` in place of either form, so no translation is outdated).

A paragraph (lines between blank lines) is prose when every part of it is text, links, headings, lists
or simple inline formatting, and it holds a letter outside links (a bar of links is not prose). Lines
of pure structure at a paragraph's edges (a header call, a category, a line of several links) stay
outside the block. Anything with structure that a ``<translate>`` tag could cut through is left alone:
templates, tables, comments, HTML blocks, ``<nowiki>``/``<pre>``-like tags, categories and files,
preformatted lines, magic words, and the spans the caller keeps out (the navigation header, the bot's
managed blocks). Structure is read with mwparserfromhell, since a template or a table may run over
several paragraphs; Translate's own blocks come from the markup engine. A page whose markup
Translate would refuse is not prepared at all.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from mwparserfromhell.nodes import ExternalLink, Heading, HTMLEntity, Tag, Text, Wikilink

from . import translate_markup
from .parsing import TooDeeplyNested, parse
from .translate_markup import TVAR_OLD, has_tvar, new_tvar

LANGUAGES = "<languages/>"
OPEN = "<translate>\n"
CLOSE = "\n</translate>"

# Inline tags that may sit inside a wrapped paragraph (each opens and closes within it).
_INLINE_TAGS = frozenset("b i u s em strong small big sub sup code kbd var span abbr bdi q br wbr".split())
# List and formatting markup mwparserfromhell reports as tags: '''bold''', ''italic'', *, #, :, ;.
_WIKI_MARKUP_TAGS = frozenset("b i li dt dd".split())
_MEDIA_LINK = re.compile(r"\s*:?\s*(category|file|image|media)\s*:", re.I)
_LANGUAGES_TAG = re.compile(r"<languages\s*/?>", re.I)
_NOWIKI = re.compile(r"<nowiki\s*>.*?</nowiki\s*>", re.S | re.I)
_MAGIC = re.compile(r"__[A-Z]+__|^\s*#redirect", re.I | re.M)
_NOT_PROSE = re.compile(r"\[\[[^\]]*\]\]|\[[a-z]+://[^\]]*\]|<[^<>]*>|&[#\w]+;|https?://\S+", re.I)
_WIKILINK = re.compile(r"\[\[[^\]]*\]\]")
_BAR_LINKS = 3  # links on a line of links that is navigation (a hand-made tab bar), not a list of them
_NESTED_STRUCTURE = ("{{", "{|", "<!--")  # inside a heading, link or inline tag: leave it alone


@dataclass(frozen=True)
class Insertion:
    """Text the preparation added at ``offset`` of the prepared text."""

    offset: int
    text: str


@dataclass(frozen=True)
class Preparation:
    """The prepared page and what changed; ``problems`` set: the page's markup was refused, nothing changed."""

    text: str
    languages_added: bool = False
    paragraphs: int = 0  # prose paragraphs wrapped
    blocks: int = 0  # <translate> blocks added
    migrated: int = 0  # old <tvar|x> variables rewritten
    insertions: tuple[Insertion, ...] = ()
    problems: tuple[translate_markup.MarkupProblem, ...] = ()

    @property
    def notes(self) -> tuple[str, ...]:
        notes = []
        if self.languages_added:
            notes.append("added <languages/> at the top")
        if self.paragraphs:
            notes.append(f"wrapped {_count(self.paragraphs, 'prose paragraph')} in "
                         f"{_count(self.blocks, '<translate> block')}")
        if self.migrated:
            notes.append(f"rewrote {_count(self.migrated, 'old <tvar|…> variable')} as <tvar name=…>")
        return tuple(notes)


def prepare(text: str, keep_out: Iterable[tuple[int, int]] = ()) -> Preparation:
    """``text`` made ready for translation; ``keep_out`` spans (offsets into ``text``) are never wrapped."""
    problems = translate_markup.validate(text)
    if problems:
        return Preparation(text, problems=tuple(problems))
    try:
        structure = _structure(text)
    except TooDeeplyNested as error:
        return Preparation(text, problems=(translate_markup.MarkupProblem("too-deep", str(error), 0, 1),))
    blocks = translate_markup.parse(text).blocks
    blocked = sorted([(b.start, b.end) for b in blocks] + list(keep_out) + structure)
    runs = _prose_runs(text, blocked)

    # Edits on the original text: (start, end, replacement), applied from the end.
    edits: list[tuple[int, int, str]] = []
    paragraphs = 0
    for run_start, run_end, count in runs:
        edits.append((run_start, run_start, OPEN))
        edits.append((run_end, run_end, CLOSE))
        paragraphs += count
    regions = [(b.content_start, b.content_end) for b in blocks] + [(s, e) for s, e, _ in runs]
    migrated = 0
    for start, end in regions:
        for match in TVAR_OLD.finditer(text, start, end):
            new = new_tvar(match.group(1), match.group(2))
            if new is not None:
                edits.append((match.start(), match.end(), new))
                migrated += 1
    has_bar = _LANGUAGES_TAG.search(_NOWIKI.sub("", text)) is not None
    add_bar = not has_bar and bool(blocks or runs)
    if add_bar:
        edits.append((0, 0, LANGUAGES + "\n"))
    if not edits:
        return Preparation(text)

    new_text, insertions = _apply(text, edits)
    if translate_markup.validate(new_text):  # each block was checked alone; this is the last word
        return Preparation(text)
    return Preparation(new_text, add_bar, paragraphs, len(runs), migrated, tuple(insertions))


# -- structure --------------------------------------------------------------------------------------

def _structure(text: str) -> list[tuple[int, int]]:
    """Spans of top-level wikitext structure that a <translate> tag must not cut (or that is no prose)."""
    spans: list[tuple[int, int]] = []
    pos = 0
    for node in parse(text).nodes:
        length = len(str(node))
        if not _inline(node):
            spans.append((pos, pos + length))
        pos += length
    return spans


def _inline(node) -> bool:
    if isinstance(node, Text):
        return True
    if any(mark in str(node) for mark in _NESTED_STRUCTURE):
        return False
    if isinstance(node, (ExternalLink, HTMLEntity, Heading)):
        return True
    if isinstance(node, Wikilink):
        return not _MEDIA_LINK.match(str(node.title))
    if isinstance(node, Tag):
        name = str(node.tag).strip().lower()
        if node.wiki_markup:
            return name in _WIKI_MARKUP_TAGS
        return name in _INLINE_TAGS
    return False  # templates, arguments, comments, other tags


def _paragraphs(text: str) -> list[tuple[int, int]]:
    """Spans of the runs of non-blank lines (each span ends before its last line's newline)."""
    spans = []
    start = None
    pos = 0
    for line in text.splitlines(keepends=True):
        body = line.rstrip("\n")
        if body.strip():
            if start is None:
                start = pos
            end = pos + len(body)
        elif start is not None:
            spans.append((start, end))
            start = None
        pos += len(line)
    if start is not None:
        spans.append((start, end))
    return spans


def _core(text: str, start: int, end: int, covered: bytearray) -> tuple[int, int] | None:
    """The paragraph without its leading and trailing lines of pure structure (a header call, a
    category), or None when nothing else is left."""
    lines = []
    pos = start
    for line in text[start:end].split("\n"):
        lines.append((pos, pos + len(line)))
        pos += len(line) + 1
    def structure_only(lo: int, hi: int) -> bool:
        return all(covered[i] or text[i].isspace() for i in range(lo, hi)) or _link_bar(text[lo:hi])
    kept = list(lines)
    while kept and structure_only(*kept[0]):
        kept.pop(0)
    while kept and structure_only(*kept[-1]):
        kept.pop()
    return (kept[0][0], kept[-1][1]) if kept else None


def _link_bar(line: str) -> bool:
    """A line of several links and nothing else but separators: a tab bar or the like, not prose."""
    return len(_WIKILINK.findall(line)) >= _BAR_LINKS and not any(c.isalpha() for c in _NOT_PROSE.sub(" ", line))


def _is_prose(text: str, start: int, end: int, covered: bytearray) -> bool:
    if any(covered[start:end]):
        return False
    paragraph = text[start:end]
    lines = paragraph.split("\n")
    if any(line[:1] in (" ", "\t") or line.startswith(("{|", "|", "!", "----")) for line in lines):
        return False  # preformatted text, table rows, rules
    if _MAGIC.search(paragraph) or (has_tvar(paragraph) and not TVAR_OLD.search(paragraph)):
        return False
    words = _NOT_PROSE.sub(" ", paragraph)
    if not any(char.isalpha() for char in words):
        return False
    # The block alone must be one Translate accepts (inline tags closed within it, no stray markers).
    return not translate_markup.validate(OPEN + paragraph + CLOSE)


def _prose_runs(text: str, blocked: Sequence[tuple[int, int]]) -> list[tuple[int, int, int]]:
    """(start, end, paragraphs) of each run of consecutive prose paragraphs.

    Paragraphs join a run only when nothing was trimmed between them: trimmed lines stay outside.
    """
    covered = bytearray(len(text))
    for lo, hi in blocked:
        covered[lo:hi] = b"\x01" * (hi - lo)
    runs: list[tuple[int, int, int]] = []
    open_run = False  # the last run ends at the end of the previous paragraph
    for start, end in _paragraphs(text):
        core = _core(text, start, end, covered)
        if core is None or not _is_prose(text, *core, covered):
            open_run = False
            continue
        if open_run and core[0] == start:
            run_start, _, count = runs[-1]
            runs[-1] = (run_start, core[1], count + 1)
        else:
            runs.append((core[0], core[1], 1))
        open_run = core[1] == end
    return runs


# -- rewriting --------------------------------------------------------------------------------------

def _apply(text: str, edits: list[tuple[int, int, str]]) -> tuple[str, list[Insertion]]:
    """Apply non-overlapping edits; insertions (start == end) are reported at their offsets in the result."""
    out: list[str] = []
    insertions: list[Insertion] = []
    pos = 0
    length = 0
    # Same offset: the <languages/> line and a closing tag go before an opening tag.
    order = {CLOSE: 0, LANGUAGES + "\n": 1, OPEN: 2}
    for start, end, new in sorted(edits, key=lambda e: (e[0], order.get(e[2], 3))):
        out.append(text[pos:start])
        length += start - pos
        if start == end:
            insertions.append(Insertion(length, new))
        out.append(new)
        length += len(new)
        pos = end
    out.append(text[pos:])
    return "".join(out), insertions


def _count(number: int, what: str) -> str:
    return f"{number} {what}" if number == 1 else f"{number} {what}s"
