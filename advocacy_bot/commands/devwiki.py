"""``devwiki up|down|reset``: the embedded local MediaWiki."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Callable

import click

from ..devwiki.manager import DEFAULT_PORT, DEMO_SNAPSHOT, DevWiki, DevWikiError
from ..outcomes import ExitCode
from ..runner import Options


@click.group()
def devwiki():
    """The embedded local MediaWiki (Debian's package, SQLite, PHP's built-in server)."""


def _devwiki_call(options: Options, action: Callable[[DevWiki], None]) -> None:
    wiki = DevWiki(options.devwiki_dir)
    try:
        action(wiki)
    except DevWikiError as error:
        click.echo(f"advocacy-bot devwiki: {error}", err=True)
        sys.exit(int(ExitCode.ABORTED))


@devwiki.command("up")
@click.option("--port", type=int, default=None, help=f"Port on 127.0.0.1 [default: {DEFAULT_PORT}, or the "
              "port the wiki was created with].")
@click.option("--snapshot", default=None,
              help="Special:Export XML file to import; 'demo' imports the project's demo tree.")
@click.pass_obj
def devwiki_up(options: Options, port, snapshot):
    """Create (once) and start the dev wiki; import a snapshot; print the API URL.

    Installs Debian's mediawiki and PHP packages when missing (needs root). Accounts: Admin (sysop)
    and AdvocacyBot (bot, BotPassword). The pywikibot configuration for the wiki is written into
    DIR/pywikibot. Running it again on a running wiki is harmless.
    """
    snapshot_path = None
    if snapshot:
        snapshot_path = DEMO_SNAPSHOT if snapshot == "demo" else Path(snapshot)
        if not snapshot_path.exists():
            raise click.BadParameter(f"no such file: {snapshot_path}", param_hint="--snapshot")
    _devwiki_call(options, lambda wiki: click.echo(wiki.up(port=port, snapshot=snapshot_path).api_url))


@devwiki.command("down")
@click.pass_obj
def devwiki_down(options: Options):
    """Stop the dev wiki's server (the process it recorded)."""
    _devwiki_call(options, lambda wiki: click.echo("stopped" if wiki.down() else "not running", err=True))


@devwiki.command("reset")
@click.option("--port", type=int, default=None, help="Port for the new wiki [default: the old one].")
@click.pass_obj
def devwiki_reset(options: Options, port):
    """Recreate an empty dev wiki in the same folder and start it."""
    _devwiki_call(options, lambda wiki: click.echo(wiki.reset(port=port).api_url))


commands = [devwiki]
