"""The adopt job: the edit that hands a page the settings name to the bot (its mark), checked first."""

from __future__ import annotations

import json

from .. import ownership
from ..outcomes import UsageProblem
from ..plan import PageChange
from ..wikitext.titles import normalize_title

TASK = "adopt"


def adoption_change(run, title: str) -> PageChange | None:
    """The edit that marks ``title`` as the bot's (None: it already is)."""
    wanted = normalize_title(title)
    named = [entry for entry in run.whole_pages() if normalize_title(entry.title) == wanted]
    if not named:
        settings = ", ".join(f"{entry.setting} ({entry.title})" for entry in run.whole_pages())
        raise UsageProblem(f"{title} is not a page the bot writes whole; those are: {settings}")
    run.adopting = named[0].title
    run.start()
    page = run.read([named[0].title])[named[0].title]
    bot = run.client.bot_user
    if not page.exists:
        raise UsageProblem(f"{page.title} does not exist: the bot creates it at its first run, nothing to adopt")
    if page.redirect:
        raise UsageProblem(f"{page.title} is a redirect; name its target in the settings instead")
    if ownership.carries_mark(page, bot):
        return None
    if page.content_model == "json":
        try:
            data = json.loads(page.text)
        except ValueError as error:
            raise UsageProblem(f"{page.title} is not valid JSON ({error}); fix it or name another page") from error
        if not isinstance(data, dict):
            raise UsageProblem(f"{page.title} holds JSON that is not an object; name another page")
        new = json.dumps({**data, ownership.JSON_KEY: bot}, indent=4, ensure_ascii=False, sort_keys=True)
    else:
        new = ownership.with_mark(page.text, bot)
    summary = (f"Handed to the bot: {bot} writes this page ({named[0].setting}) from its next run on; "
               "edits made here will be overwritten")
    return PageChange(page.title, page, new, summary, TASK)
