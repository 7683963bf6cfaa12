"""mwparserfromhell with a depth limit.

mwparserfromhell builds a tree as deep as the braces nest, and printing or searching that tree
recurses through it (and so does building it for thousands of levels): a page holding a few
hundred ``{{{`` ends in RecursionError. MediaWiki
itself stops expanding at 100 levels (``$wgMaxPPExpandDepth``), so no page worth editing nests
deeper; such a page is refused with a reason (``too-deep``) instead of crashing the run.
"""

from __future__ import annotations

import mwparserfromhell
from mwparserfromhell.wikicode import Wikicode

MAX_DEPTH = 100


class TooDeeplyNested(ValueError):
    """The wikitext nests templates, arguments or tags more than MAX_DEPTH levels deep."""

    def __init__(self) -> None:
        super().__init__(f"the wikitext nests more than {MAX_DEPTH} levels deep (MediaWiki expands at most "
                         f"{MAX_DEPTH}); not read")


def parse(text: str) -> Wikicode:
    """``mwparserfromhell.parse(text)``; raises TooDeeplyNested rather than return a tree too deep to print."""
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
