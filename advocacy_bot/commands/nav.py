"""``nav sync`` and ``nav check``: one navigation header on every source page of the tree."""

from __future__ import annotations

import click

from ..jobs.nav import check_tree, sync_tree
from ..runner import Options, run_command


@click.group()
def nav():
    """The navigation header: one tab bar, from the settings, on every source page of the tree."""


@nav.command()
@click.option("--page", "pages", multiple=True, metavar="TITLE",
              help="Only this source page (repeatable). The header template is always kept in step.")
@click.pass_obj
def sync(options: Options, pages):
    """Write the header template from the definition and give every source page one correct header call.

    Hand-copied tab bars and wrong, duplicate or misplaced calls are replaced; everything else on the
    page stays byte for byte. Translation pages are never edited (they follow when their source is
    marked again); a page whose top cannot be told from content is skipped (ambiguous-header).
    """
    run_command(options, "nav sync", lambda run: sync_tree(run, pages), writes=True)


@nav.command()
@click.pass_obj
def check(options: Options):
    """Report header drift without editing (exit 1 if any): one line per page on stdout."""
    def body(run):
        check_tree(run)
        for entry in run.report.drift:
            click.echo(f"{entry.title}\t{entry.what}")

    run_command(options, "nav check", body, writes=False)


commands = [nav]
