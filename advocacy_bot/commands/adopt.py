"""``adopt TITLE``: hand an existing page to the bot, for a setting that names a page it writes whole.

The bot writes the header template and its status, state and run log pages whole, and so only pages
of its own (``ownership.py``); a run that finds another page there stops before any save. Adopting is
the reviewed way to give it one: the diff shows the bot's mark being added, ``--save`` makes that one
edit, and from the next run on the bot writes the page (``--dry-run`` of that run shows how).
"""

from __future__ import annotations

import json
from dataclasses import replace

import click

from .. import ownership
from ..outcomes import UsageProblem
from ..plan import PageChange
from ..runner import Options, run_command
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


@click.command("adopt")
@click.argument("title")
@click.option("--save", is_flag=True, help="Save the edit that hands the page to the bot.")
@click.pass_obj
def adopt(options: Options, title: str, save: bool):
    """Hand an existing page to the bot: one the settings name as the header template (nav.template) or
    as the status, state or run log page (bot_pages).

    The bot writes those pages whole, so it refuses a page it did not create and that does not carry
    its mark: every run that may save stops before saving (exit 2). This shows the diff of the one edit
    that adds the bot's mark (a comment in wikitext, a key in JSON); --save makes it. Its next run
    writes the page: run it with --dry-run first to see the text it will replace.
    """
    def body(run):
        change = adoption_change(run, title)
        if change is None:
            click.echo(f"{title}: already the bot's page; nothing to save", err=True)
        elif save and not run.dry_run:
            run.apply([change])
        else:  # the diff, as a dry run shows it
            replace(run.applier, dry_run=True).apply([change])
            if not save:
                click.echo(f"{title}: not saved; add --save to hand it to the bot", err=True)

    run_command(options, "adopt", body, writes=save)


commands = [adopt]
