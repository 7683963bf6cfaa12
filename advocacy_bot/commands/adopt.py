"""``adopt TITLE``: hand an existing page to the bot, for a setting that names a page it writes whole.

The bot writes the header template and its status, state and run log pages whole, and so only pages
of its own (``ownership.py``); a run that finds another page there stops before any save. Adopting is
the reviewed way to give it one: the diff shows the bot's mark being added, ``--save`` makes that one
edit, and from the next run on the bot writes the page (``--dry-run`` of that run shows how).
"""

from __future__ import annotations

import click

from ..jobs.adopt import adoption_change
from ..runner import Options, run_command


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
            run.applier.preview([change])
            if not save:
                click.echo(f"{title}: not saved; add --save to hand it to the bot", err=True)

    run_command(options, "adopt", body, writes=save)


commands = [adopt]
