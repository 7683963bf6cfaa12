"""Exclusion compliance: may this bot edit a page that carries {{bots}} or {{nobots}}?

The rules are those of the {{bots}} template on Wikimedia wikis (the same that pywikibot's
``Page.botMayEdit`` follows): ``{{nobots}}`` excludes every bot; ``{{bots|deny=A,B}}`` excludes the
named bots (``all`` every bot); ``{{bots|allow=A,B}}`` admits only the named bots (``none`` no bot).
Templates inside comments and ``<nowiki>`` do not count, which is why this reads a wikitext tree.
"""

from __future__ import annotations

import re

from .parsing import TooDeeplyNested, parse

# Too deep to read as a tree: any {{bots or {{nobots at all keeps the bot away (when in doubt, do not edit).
_ANY_EXCLUSION = re.compile(r"\{\{\s*(?:no)?bots\s*[|}]", re.I)


def _names(value: str) -> set[str]:
    return {name.strip().replace("_", " ").lower() for name in value.split(",") if name.strip()}


def bot_may_edit(text: str, bot_user: str) -> bool:
    """False when the page's {{bots}}/{{nobots}} templates exclude ``bot_user``."""
    me = bot_user.replace("_", " ").lower()
    try:
        code = parse(text)
    except TooDeeplyNested:
        return not _ANY_EXCLUSION.search(text)
    for template in code.filter_templates(recursive=True):
        name = str(template.name).strip().lower()
        if name not in ("bots", "nobots"):
            continue
        params = {str(p.name).strip().lower(): str(p.value) for p in template.params}
        if name == "nobots":
            # {{nobots}} alone denies all; {{nobots|allow=...}} is read like {{bots|allow=...}}.
            if "allow" in params:
                allowed = _names(params["allow"])
                if me not in allowed and "all" not in allowed:
                    return False
                continue
            return False
        if "allow" in params:
            allowed = _names(params["allow"])
            if "none" in allowed or ("all" not in allowed and me not in allowed):
                return False
        if "deny" in params:
            denied = _names(params["deny"])
            if "all" in denied or me in denied:
                return False
    return True
