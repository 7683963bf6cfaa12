"""Talk pages as threads: splitting, signature timestamps, and the archiving configuration template.

A *thread* is a level-2 section with its subsections, from its heading line to the next level-2
heading. Only headings at the top level of the page count: a heading inside ``<nowiki>``, ``<pre>``,
a comment, a template call or an HTML element is not a thread boundary (splitting there would cut
that construct in two). mwparserfromhell finds those levels; the split is lossless::

    page.head + "".join(thread.text for thread in page.threads) + page.footer == text

``head`` is the text before the first thread (the configuration template and the page's intro),
``footer`` the category links at the very end of the page, which belong to the page, not to the last
thread. A thread's age is its newest timestamp: English MediaWiki signatures (``12:30, 5 May 2021
(UTC)``, with or without ``(UTC)``) and ISO 8601 (``2021-05-05T12:30:00Z``), outside comments,
``<nowiki>`` and ``<pre>``.

The configuration is archivebot's ``{{User:MiszaBot/config}}`` in the head; :func:`config_params`
reads its parameters as text and :func:`set_config_param` changes one in place, keeping the rest of
the text byte for byte. Durations (``old(30d)``) and sizes (``200K``, ``50 T``) have parsers here too.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

import mwparserfromhell
from mwparserfromhell.nodes import Heading

from .parsing import parse

__all__ = [
    "CONFIG_TEMPLATES",
    "Thread",
    "ThreadedPage",
    "split_threads",
    "find_timestamps",
    "template_key",
    "mentions_config",
    "config_params",
    "set_config_param",
    "parse_algo",
    "parse_size",
    "holds_thread",
    "thread_copies",
]

# archivebot's default template; archivebot-configured pages work unchanged.
CONFIG_TEMPLATES = ("User:MiszaBot/config",)

_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september",
           "october", "november", "december")
_MONTH_NUMBER = {name: i for i, name in enumerate(_MONTHS, start=1)}
_MONTH_NUMBER.update({name[:3]: i for name, i in list(_MONTH_NUMBER.items())})
_MONTH_NUMBER["sept"] = 9
_MONTH = "|".join(sorted(_MONTH_NUMBER, key=len, reverse=True))

# "12:30, 5 May 2021 (UTC)" as ~~~~ writes it in English; the zone is optional in copied signatures.
_SIGNATURE = re.compile(rf"(?<![\d:])(\d{{1,2}}):(\d{{2}}),? +(\d{{1,2}}) +({_MONTH})\.? +(\d{{4}})(?!\d)",
                        re.IGNORECASE)
# "12:30, May 5, 2021": the same with the month first.
_SIGNATURE_US = re.compile(rf"(?<![\d:])(\d{{1,2}}):(\d{{2}}),? +({_MONTH})\.? +(\d{{1,2}}), +(\d{{4}})(?!\d)",
                           re.IGNORECASE)
_ISO = re.compile(r"(?<![\d-])(\d{4})-(\d{2})-(\d{2})[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.\d+)?)?"
                  r"(Z|[+-]\d{2}:?\d{2})?(?![\d:])")
# Text that is not a comment's own: its timestamps do not date the thread.
_HIDDEN = re.compile(r"<!--.*?(?:-->|\Z)|<(nowiki|pre|syntaxhighlight|source)\b[^>]*>.*?(?:</\1\s*>|\Z)",
                     re.DOTALL | re.IGNORECASE)
_SPACES = re.compile(r"&nbsp;|&#160;|[\u00a0\u202f\t]", re.IGNORECASE)
_CATEGORY_LINE = re.compile(r"[ \t]*(?:\[\[[ \t]*category[ \t]*:[^\[\]\n]*\]\][ \t]*)+", re.IGNORECASE)
_COMMENT = re.compile(r"<!--.*?(?:-->|\Z)", re.DOTALL)


@dataclass(frozen=True)
class Thread:
    """One level-2 section of a talk page, with its subsections."""

    heading: str  # the heading's text, e.g. "Broken link"
    text: str  # from the heading line to the next thread, trailing blank lines included
    timestamps: tuple[datetime, ...]
    templates: frozenset[str]  # names of the templates it uses (see template_key)

    @property
    def body(self) -> str:
        """The thread without trailing whitespace: what a copy of it in an archive looks like."""
        return self.text.rstrip()

    @property
    def newest(self) -> datetime | None:
        return max(self.timestamps, default=None)

    @property
    def oldest(self) -> datetime | None:
        return min(self.timestamps, default=None)


@dataclass(frozen=True)
class ThreadedPage:
    head: str
    threads: tuple[Thread, ...]
    footer: str = ""

    def text(self) -> str:
        return self.head + "".join(thread.text for thread in self.threads) + self.footer


def split_threads(text: str) -> ThreadedPage:
    """Split a talk page into head, threads and footer (lossless; see the module docstring).

    Raises TooDeeplyNested for wikitext nested deeper than MediaWiki expands.
    """
    code = parse(text)
    cuts: list[tuple[int, Heading]] = []  # (offset, heading) of each top-level level-2 heading
    node_ranges: list[list] = []  # top-level nodes of each thread, for its templates
    offset = 0
    for node in code.nodes:
        if isinstance(node, Heading) and node.level == 2:
            cuts.append((offset, node))
            node_ranges.append([])
        if node_ranges:
            node_ranges[-1].append(node)
        offset += len(str(node))
    if not cuts:
        return ThreadedPage(text, ())
    ends = [start for start, _ in cuts[1:]] + [len(text)]
    footer_start = _footer_start(text, cuts[-1][0])
    ends[-1] = footer_start
    threads = []
    for (start, heading), end, nodes in zip(cuts, ends, node_ranges, strict=True):
        chunk = text[start:end]
        names = frozenset(template_key(str(t.name))
                          for t in mwparserfromhell.wikicode.Wikicode(nodes).filter_templates(recursive=True))
        threads.append(Thread(str(heading.title).strip(), chunk, tuple(find_timestamps(chunk)), names))
    return ThreadedPage(text[:cuts[0][0]], tuple(threads), text[footer_start:])


def _footer_start(text: str, last_thread: int) -> int:
    """Where the trailing category links begin (len(text) when there are none).

    They stay on the page when the last thread is archived, as archivebot keeps them.
    """
    lines = text[last_thread:].split("\n")
    footer_lines = 0
    for line in reversed(lines[1:]):  # never the heading line itself
        if line.strip() and not _CATEGORY_LINE.fullmatch(line):
            break
        footer_lines += 1
    while footer_lines and not lines[len(lines) - footer_lines].strip():
        footer_lines -= 1  # blank lines before the categories stay with the thread
    if not any(line.strip() for line in lines[len(lines) - footer_lines:]):
        return len(text)
    kept = "\n".join(lines[:len(lines) - footer_lines])
    return last_thread + len(kept) + 1


def find_timestamps(text: str) -> list[datetime]:
    """Every signature or ISO 8601 timestamp in ``text`` (UTC), outside comments, nowiki and pre."""
    visible = _SPACES.sub(" ", _HIDDEN.sub(" ", text))
    found = []
    for match in _SIGNATURE.finditer(visible):
        hour, minute, day, month, year = match.groups()
        found.append(_utc(year, _MONTH_NUMBER[month.lower()], day, hour, minute))
    for match in _SIGNATURE_US.finditer(visible):
        hour, minute, month, day, year = match.groups()
        found.append(_utc(year, _MONTH_NUMBER[month.lower()], day, hour, minute))
    for match in _ISO.finditer(visible):
        year, month, day, hour, minute, second, zone = match.groups()
        when = _utc(year, month, day, hour, minute, second or 0)
        if when and zone and zone != "Z":
            sign = 1 if zone[0] == "+" else -1
            digits = zone[1:].replace(":", "")
            when -= sign * timedelta(hours=int(digits[:2]), minutes=int(digits[2:]))
        found.append(when)
    return sorted(when for when in found if when is not None)


def _utc(year, month, day, hour, minute, second=0) -> datetime | None:
    try:
        return datetime(int(year), int(month), int(day), int(hour), int(minute), int(second),
                        tzinfo=UTC)
    except ValueError:  # 31 February, 25:00: not a timestamp
        return None


def template_key(name: str) -> str:
    """A template name as MediaWiki compares it: no ``Template:``, spaces, first letter upper case."""
    name = re.sub(r"[_\s]+", " ", _COMMENT.sub("", name)).strip()
    if name[:9].lower() == "template:":
        name = name[9:].strip()
    namespace, colon, rest = name.partition(":")
    if colon and namespace.strip().lower() in ("user", "wikipedia", "project", "meta"):
        rest = rest.strip()
        return f"{namespace.strip().capitalize()}:{rest[:1].upper()}{rest[1:]}"
    return name[:1].upper() + name[1:]


def _config_template(head: str):
    code = parse(head)
    keys = {template_key(name) for name in CONFIG_TEMPLATES}
    for template in code.filter_templates(recursive=True):  # in document order; <noinclude> too
        if template_key(str(template.name)) in keys:
            return code, template
    return code, None


def mentions_config(text: str) -> bool:
    """A quick test before any parsing: could ``text`` hold a configuration template at all?"""
    lowered = text.lower()
    return any(name.split(":", 1)[1].lower() in lowered for name in CONFIG_TEMPLATES)


def config_params(head: str) -> dict[str, str] | None:
    """The configuration template's parameters (comments removed, values stripped), or None without one.

    Only the first configuration template in ``head`` counts, as with archivebot (one inside a
    comment or ``<nowiki>`` is no template).
    """
    _, template = _config_template(head)
    if template is None:
        return None
    return {str(param.name).strip().lower(): _COMMENT.sub("", str(param.value)).strip()
            for param in template.params}


def set_config_param(head: str, name: str, value: str) -> str:
    """``head`` with one parameter of the configuration template set; everything else unchanged."""
    code, template = _config_template(head)
    if template is None:
        raise ValueError("no configuration template in the head")
    for param in template.params:
        if str(param.name).strip().lower() == name:
            old = str(param.value)
            lead = old[:len(old) - len(old.lstrip())]
            trail = old[len(old.rstrip()):]
            param.value = lead + value + trail
            return str(code)
    template.add(name, value)
    return str(code)


_DURATION_UNITS = {"s": 1, "h": 3600, "d": 86400, "w": 7 * 86400, "y": 365 * 86400}
_DURATION_WORDS = {"s": "second", "h": "hour", "d": "day", "w": "week", "y": "year"}


def parse_algo(algo: str) -> tuple[timedelta, str]:
    """``old(30d)`` -> (30 days, "30 days"); units s, h, d, w, y (a year is 365 days), as archivebot
    reads them. Raises ValueError for anything else."""
    match = re.fullmatch(r"\s*old\s*\(\s*(\d+)\s*([shdwy])\s*\)\s*", algo)
    if not match:
        raise ValueError(f"algo {algo!r} is not old(<number><s|h|d|w|y>)")
    number, unit = int(match[1]), match[2]
    if number == 0:
        raise ValueError(f"algo {algo!r}: the age must be more than zero")
    words = _DURATION_WORDS[unit] + ("" if number == 1 else "s")
    return timedelta(seconds=number * _DURATION_UNITS[unit]), f"{number} {words}"


def parse_size(size: str) -> tuple[int, str]:
    """``200K`` -> (204800, "B"); ``2M``; ``1 500``; ``50 T`` -> (50, "T") threads (archivebot's rules)."""
    match = re.fullmatch(r"\s*(\d{1,3}(?: \d{3})+|\d+) *([BkKMT]?)\s*", size)
    if not match or not int(match[1].replace(" ", "")):
        raise ValueError(f"maxarchivesize {size!r} is not a size like 200K, 2M or 50 T")
    number, unit = int(match[1].replace(" ", "")), match[2]
    if unit == "T":
        return number, "T"
    return number * {"M": 1024 * 1024, "K": 1024, "k": 1024}.get(unit, 1), "B"


def holds_thread(text: str, body: str) -> bool:
    """True when ``body`` (a thread without trailing whitespace) stands in ``text`` as whole lines."""
    start = text.find(body)
    while start != -1:
        end = start + len(body)
        if (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] in "\r\n"):
            return True
        start = text.find(body, start + 1)
    return False


# What may follow a whole thread: the end of the page, the next level-2 heading, or the page's categories.
_THREAD_END = re.compile(r"\s*(?:\Z|(?<=\n)(?:==(?!=)|\[\[[ \t]*category[ \t]*:))", re.IGNORECASE)


def thread_copies(text: str, body: str) -> int:
    """How many whole threads of ``text`` read exactly ``body`` (a thread without trailing whitespace).

    A copy starts a line and ends where its thread ends (the page's end, the next level-2 heading
    or the trailing categories), so a thread that continues ``body`` with a reply is not a copy of it.
    Textual on purpose: a thread after an unclosed comment in an archive still counts, as a
    reader of the wikitext sees it, so archiving never repeats a thread it cannot find.
    """
    count, start = 0, text.find(body)
    while start != -1:
        end = start + len(body)
        if (start == 0 or text[start - 1] == "\n") and (end == len(text) or text[end] in "\r\n") \
                and _THREAD_END.match(text, end):
            count += 1
            start = text.find(body, end)
        else:
            start = text.find(body, start + 1)
    return count
