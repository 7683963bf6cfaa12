"""mwparserfromhell with a depth limit.

mwparserfromhell builds a tree as deep as the braces nest, and printing or searching that tree
recurses through it (and so does building it for thousands of levels): a page holding a few
hundred ``{{{`` ends in RecursionError. MediaWiki
itself stops expanding at 100 levels (``$wgMaxPPExpandDepth``), so no page worth editing nests
deeper; such a page is refused with a reason (``too-deep``) instead of crashing the run.
"""

from __future__ import annotations

import re

import mwparserfromhell
from mwparserfromhell.wikicode import Wikicode

MAX_DEPTH = 100


class TooDeeplyNested(ValueError):
    """The wikitext nests templates, arguments or tags more than MAX_DEPTH levels deep."""

    def __init__(self) -> None:
        super().__init__(f"the wikitext nests more than {MAX_DEPTH} levels deep (MediaWiki expands at most "
                         f"{MAX_DEPTH}); not read")


_BRACE_RUN = re.compile(r"\{{2,}|\}{2,}")
_NOT_MARKUP = re.compile(r"<!--.*?(?:-->|$)|<(nowiki|pre)\b[^>]*>.*?(?:</\1\s*>|$)", re.S | re.I)


def brace_depth(text: str) -> int:
    """How deep ``{{...}}`` and ``{{{...}}}`` nest, counting only pairs that close (an unclosed
    ``{{`` is text to MediaWiki), outside comments, ``<nowiki>`` and ``<pre>``. A textual rule on
    purpose: mwparserfromhell stops building templates past its own depth and reads the rest as
    text, so its tree does not show how deep a page nests."""
    text = _NOT_MARKUP.sub("", text)
    opened: list[int] = []
    pairs: list[tuple[int, int]] = []
    for match in _BRACE_RUN.finditer(text):
        # A run of braces is one {{{ (if odd) and as many {{ as fit: one level each.
        run = len(match.group(0))
        levels = run // 2 if run % 2 == 0 else 1 + (run - 3) // 2
        for level in range(levels):
            position = match.start() + level
            if match.group(0)[0] == "{":
                opened.append(position)
            elif opened:
                pairs.append((opened.pop(), position))
    events = sorted([(start, 1) for start, _ in pairs] + [(end, -1) for _, end in pairs])
    depth = deepest = 0
    for _, step in events:
        depth += step
        deepest = max(deepest, depth)
    return deepest


def parse(text: str) -> Wikicode:
    """``mwparserfromhell.parse(text)``; raises TooDeeplyNested rather than return a tree too deep to
    print, or a page whose braces nest deeper than MediaWiki expands (:func:`brace_depth`)."""
    if "{{" in text and brace_depth(text) > MAX_DEPTH:
        raise TooDeeplyNested()
    try:
        code = mwparserfromhell.parse(text)
    except RecursionError:  # its tree builder recurses too: thousands of levels end there
        raise TooDeeplyNested() from None
    stack = [(code, 0)]
    while stack:  # an explicit stack: measuring the depth must not recurse either
        wikicode, depth = stack.pop()
        for node in wikicode.nodes:
            for child in node.__children__():
                if depth + 1 > MAX_DEPTH:
                    raise TooDeeplyNested()
                stack.append((child, depth + 1))
    return code
