"""Pages the bot writes whole (the header template, the status, state and run log pages): only its own.

Settings name these pages, and settings can be wrong (or, on the wiki, edited). Writing a whole page
replaces what is there, so the bot writes one only when the page is its own: it does not exist yet, the
bot created it (its first revision is the bot's), or it carries the bot's mark. The mark is what the
bot writes into every such page: a comment in wikitext (:func:`mark_comment`, as the staff block's
comments mark the block), a key in JSON (:data:`JSON_KEY`). Any other page named there stops a run
that may save before anything is saved (exit 2); ``advocacy-bot adopt TITLE`` hands it to the bot,
as a reviewed edit.

Pure: pages in, judgements out. :meth:`~advocacy_bot.wiki.session.BotRun.check_owned_pages` asks the
wiki for creators.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass

from .plan import Page

JSON_KEY = "written_by"  # {"written_by": "<bot user>", ...}


def mark_comment(bot_user: str) -> str:
    """The comment that marks a wikitext page as the bot's (it explains itself to editors)."""
    return f"<!-- {bot_user} writes this page (advocacy-bot): edits made here are overwritten at its next run -->"


def _mark_pattern(bot_user: str) -> re.Pattern[str]:
    name = re.escape(bot_user).replace("\\ ", "[ _]").replace("_", "[ _]")
    return re.compile(r"<!--\s*" + name + r"\s+writes this page \(advocacy-bot\)", re.I)


def carries_mark(page: Page, bot_user: str) -> bool:
    """Whether ``page`` carries the bot's mark: its JSON key, or its comment (never inside ``<nowiki>``:
    such a mark is text shown to readers, not the bot's)."""
    if page.content_model == "json":
        try:
            data = json.loads(page.text)
        except ValueError:
            return False
        return isinstance(data, dict) and str(data.get(JSON_KEY, "")).replace("_", " ") == bot_user.replace("_", " ")
    visible = re.sub(r"<nowiki>.*?</nowiki>", "", page.text, flags=re.S | re.I)
    return bool(_mark_pattern(bot_user).search(visible))


def only_the_mark_differs(new: str, page: Page, bot_user: str) -> bool:
    """Whether ``new`` differs from the page's text by the mark alone. The bot adds its mark when it
    saves a page for a reason of its own, never for the mark only: a page it created before it wrote
    marks is its own by its first revision, and a run with nothing to do saves nothing."""
    line = "\n" + mark_comment(bot_user)
    return page.exists and new != page.text and new.replace(line, "") == page.text.replace(line, "")


def with_mark(text: str, bot_user: str) -> str:
    """``text`` with the bot's comment on a line of its own at the end, unless it already has it."""
    if _mark_pattern(bot_user).search(text):
        return text
    return text.rstrip("\n") + "\n" + mark_comment(bot_user)


@dataclass(frozen=True)
class WholePage:
    """A page the settings tell the bot to write whole, and the setting that names it."""

    setting: str
    title: str


def whole_pages(template: str, status: str | None, state: str | None, run_log: str | None) -> list[WholePage]:
    named = [("nav.template", template), ("bot_pages.status", status), ("bot_pages.state", state),
             ("bot_pages.run_log", run_log)]
    return [WholePage(setting, title) for setting, title in named if title]


def needs_creator(page: Page, bot_user: str) -> bool:
    """Whether the page's creator must be asked: it exists and carries no mark of the bot."""
    return page.exists and not carries_mark(page, bot_user)


def refusal(whole: WholePage, page: Page, creator: str | None, bot_user: str) -> str | None:
    """Why the bot must not write ``page`` whole (None: it may). ``creator``: its first revision's user."""
    if not page.exists or carries_mark(page, bot_user):
        return None
    if creator is not None and creator.replace("_", " ") == bot_user.replace("_", " "):
        return None
    by = f"created by {creator}" if creator else "of unknown origin"
    return (f"{whole.setting} names {page.title}, a page {by} that carries no mark of {bot_user}: the bot "
            f"writes that page whole and would replace its text. Name another page in the settings, or hand "
            f"this one to the bot: `advocacy-bot adopt \"{page.title}\"` shows the change, `--save` makes it")

