"""Redirects, read from the text the way MediaWiki recognises them."""

from __future__ import annotations

import re

from .titles import normalize_title

# MediaWiki accepts any case, optional colon, and whitespace before the link.
_REDIRECT = re.compile(r"\A\s*#redirect\s*:?\s*\[\[\s*:?([^\]|#\n]+)", re.IGNORECASE)


def redirect_target(text: str) -> str | None:
    """The title a redirect points to, or None when ``text`` is not a redirect."""
    match = _REDIRECT.match(text)
    if not match:
        return None
    return normalize_title(match.group(1))
