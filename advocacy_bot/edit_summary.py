"""One style for every edit summary the bot writes.

A summary is made of parts, each ``What: details`` (a capitalised subject, a colon, what changed),
joined with ``SEPARATOR`` when one edit carries the changes of several tasks. Every saved summary
ends with a link to the page that explains the bot (``bot_pages.about``), so an editor who reads
the history can find who runs it and how to stop it. MediaWiki cuts summaries at 500 characters;
the body is shortened first so that the link always survives.
"""

from __future__ import annotations

import re
from collections.abc import Iterable

SEPARATOR = " · "
LIMIT = 500  # characters; MediaWiki's CommentStore limit for edit summaries
LINK_LABEL = "advocacy-bot"
ELLIPSIS = "…"

# "Navigation header: ...", "Staff list synced with the roster: ...", "Run log: ..."
PART = re.compile(r"[A-Z][a-z]*(?: [a-z]+)*: \S.*")


def joined(parts: Iterable[str]) -> str:
    """The parts of one edit, each once, in order."""
    return SEPARATOR.join(dict.fromkeys(part for part in parts if part))


def link(about: str | None) -> str:
    return f" ([[{about}|{LINK_LABEL}]])" if about else ""


def finished(summary: str, about: str | None) -> str:
    """The summary as saved: on one line, within MediaWiki's limit, ending with the link to ``about``."""
    body = " ".join(summary.split())
    tail = link(about)
    room = LIMIT - len(tail)
    if len(body) > room:
        body = body[:room - len(ELLIPSIS)].rstrip() + ELLIPSIS
    return body + tail


def parts(summary: str, about: str | None) -> list[str]:
    """The parts of a finished summary (the link taken off)."""
    tail = link(about)
    body = summary[:-len(tail)] if tail and summary.endswith(tail) else summary
    return body.split(SEPARATOR)


def in_style(summary: str, about: str | None) -> bool:
    """Whether a finished summary follows the style: every part ``What: details``, the link at the end."""
    tail = link(about)
    if tail and not summary.endswith(tail):
        return False
    if len(summary) > LIMIT:
        return False
    return all(PART.fullmatch(part) for part in parts(summary, about))
