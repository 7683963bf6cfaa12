"""What MediaWiki stores when a text is saved, for texts where the bot can tell without asking.

A save does not always store the text sent: the pre-save transform expands signatures (``~~~~``),
substitutions (``{{subst:...}}``) and the pipe trick (``[[Page (context)|]]``, ``[[|Page]]``), the
request's text is normalised to Unicode NFC, line endings become ``\\n`` and the end is trimmed
(MediaWiki's ``Parser::preSaveTransform`` and ``TextContent::normalizeLineEndings``).

:func:`stored_text` answers only for texts that hold none of what the transform expands, and says
None for the rest, whatever the context (a ``~~~~`` inside ``<nowiki>`` is kept by MediaWiki, but
answered None here too): a caller that gets None reads the page back instead.
"""

from __future__ import annotations

import re
import unicodedata

# Anything the pre-save transform may expand, matched anywhere (inside <nowiki> too: to be sure,
# not exact). "subst:" covers "safesubst:"; the magic word is case-insensitive and may have spaces
# before the colon ("{{ subst :X}}").
EXPANDED = re.compile(r"~~~|subst\s*:|\|\s*\]\]|\[\[\s*\|", re.IGNORECASE)
# What the request's Unicode clean-up may replace (UtfNormal): controls other than tab and the line
# ends, surrogates, and the non-characters U+FFFE and U+FFFF.
CLEANED = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ud800-\udfff\ufffe\uffff]")
TRIMMED = " \t\n\r\0\x0b"  # PHP's rtrim(): ASCII whitespace and NUL only, not Python's str.rstrip()


def stored_text(text: str) -> str | None:
    """The text MediaWiki stores for a save of ``text`` (the edit not merged with another), or
    None when the save may store something else that only the wiki can tell."""
    if EXPANDED.search(text) or CLEANED.search(text) or not unicodedata.is_normalized("NFC", text):
        return None
    return text.replace("\r\n", "\n").replace("\r", "\n").rstrip(TRIMMED)
