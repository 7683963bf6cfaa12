"""The ``advocacy-bot`` command line: a thin click shell over the tasks and the wiki layer.

Global options go before the command: ``advocacy-bot --site dev --dry-run tree``. Diffs and command
results go to stdout; progress, logs and the summary to stderr. Exit codes are listed in
:mod:`advocacy_bot.outcomes` and the README.
"""

from __future__ import annotations

import logging
import sys
import traceback
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import click

from . import __version__
from .devwiki.manager import DEFAULT_PORT, DEMO_SNAPSHOT, DevWiki, DevWikiError, default_directory
from .outcomes import BotError, ExitCode, UsageProblem
from .report import RunReport
from .settings import Settings, load_settings

log = logging.getLogger("advocacy_bot")


@dataclass
class Options:
    site: str
    devwiki_dir: Path
    config: Path | None
    dry_run: bool
    report_json: Path | None
    verbose: int
    yes: bool

    def settings(self) -> Settings:
        return load_settings(self.config)


def _setup_logging(verbose: int) -> None:
    level = logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING
    handler = logging.StreamHandler(sys.stderr)
    handler.setFormatter(logging.Formatter("%(asctime)s %(levelname)s %(name)s: %(message)s"))
    root = logging.getLogger("advocacy_bot")
    root.handlers[:] = [handler]
    root.setLevel(level)


@click.group(context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
@click.version_option(__version__, prog_name="advocacy-bot")
@click.option("--site", type=click.Choice(["meta", "dev"]), default="meta", show_default=True,
              help="meta: Meta-Wiki through your pywikibot user-config.py; dev: the embedded local wiki.")
@click.option("--devwiki-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Folder of the dev wiki that --site dev means [default: $ADVOCACY_DEVWIKI_DIR or .devwiki].")
@click.option("--config", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="YAML settings file (see README, 'Settings'); built-in Meta-Wiki defaults without it.")
@click.option("--dry-run", is_flag=True, help="Compute everything, print unified diffs, save nothing.")
@click.option("--report-json", type=click.Path(dir_okay=False, path_type=Path), default=None,
              help="Write the run report (pages read, edits, skips, errors, API requests) to this file.")
@click.option("-v", "--verbose", count=True, help="More log output on stderr (-vv for debug).")
@click.option("--yes", is_flag=True, help="Never prompt: needed to save to Meta-Wiki without a terminal.")
@click.pass_context
def main(ctx, site, devwiki_dir, config, dry_run, report_json, verbose, yes):
    """Keep the Global Advocacy pages on Meta-Wiki consistent.

    \b
    Start with the local dev wiki (no account needed):
      advocacy-bot devwiki up --snapshot demo     # a real MediaWiki on 127.0.0.1:8089
      advocacy-bot --site dev tree                # list the pages of the tree
    Then look at Meta-Wiki read-only, no login needed:
      advocacy-bot --site meta tree

    Exit codes: 0 done; 1 some pages failed or a check found drift; 2 usage or settings error
    (nothing edited); 3 stopped by the shutoff page; 4 aborted (wiki unreachable, login, block,
    read-only, lock); 5 internal error.
    """
    _setup_logging(verbose)
    ctx.obj = Options(site, devwiki_dir or default_directory(), config, dry_run, report_json, verbose, yes)


# -- running a command against a wiki -------------------------------------------------------------

def run_command(options: Options, task: str, body: Callable, writes: bool) -> None:
    """Open the wiki, run ``body(run)``, then report and exit with the documented code.

    ``body`` gets a :class:`~advocacy_bot.wiki.session.BotRun` and returns nothing; the exit code
    comes from the report (errors or drift: 1).
    """
    report = RunReport(task=task, site=options.site, dry_run=options.dry_run)
    run = None
    exit_code: int = ExitCode.INTERNAL
    message = None
    try:
        settings = options.settings()
        confirm = _confirmation(options, writes)
        from .wiki.session import BotRun
        from .wiki.site import open_site

        client = open_site(options.site, options.devwiki_dir)
        run = BotRun(client, settings, report, dry_run=options.dry_run,
                     out=lambda text: click.echo(text), confirm=confirm, progress=_progress_printer())
        body(run)
        exit_code = report.outcome_exit_code()
    except BotError as error:
        exit_code, message = error.exit_code, error.message
        click.echo(f"advocacy-bot: {error.message}", err=True)
    except click.exceptions.Abort:
        exit_code, message = ExitCode.USAGE, "not confirmed; nothing saved"
    except Exception as error:  # a bug: keep the traceback for the log
        traceback.print_exc(file=sys.stderr)
        exit_code, message = ExitCode.INTERNAL, f"internal error: {error!r}"
    finally:
        if run is not None:
            run.finish(exit_code, message)
            run.client.close()
        else:
            report.finish(exit_code, 0, message)
        if options.report_json:
            report.write_json(options.report_json)
        click.echo(report.summary(), err=True)
    sys.exit(int(exit_code))


def _progress_printer() -> Callable[[int, int], None] | None:
    """A one-line progress display on stderr, only when stderr is a terminal (not in job logs)."""
    if not sys.stderr.isatty():
        return None

    def show(done: int, total: int) -> None:
        filled = 30 * done // max(total, 1)
        click.echo(f"\rreading pages [{'#' * filled}{'.' * (30 - filled)}] {done}/{total}", err=True,
                   nl=done >= total)

    return show


def _confirmation(options: Options, writes: bool) -> Callable[[], None]:
    """Saving to Meta-Wiki asks first (or needs --yes); without a terminal it refuses up front."""
    if not writes or options.dry_run or options.yes or options.site != "meta":
        return lambda: None
    if not (sys.stdin.isatty() and sys.stderr.isatty()):
        raise UsageProblem("saving to Meta-Wiki without a terminal needs --yes (or use --dry-run first)")
    return lambda: click.confirm("Save these changes to Meta-Wiki?", abort=True, err=True)


# -- tree ---------------------------------------------------------------------------------------

@main.command()
@click.pass_obj
def tree(options: Options):
    """List every page of the tree: KIND<TAB>LANG<TAB>TITLE, sorted by title.

    KIND is source, translation, talk, archive, redirect or template; LANG is the page's language
    (the code for translations, - for redirects). Read-only.
    """
    from .tree import classify

    def body(run):
        run.start()
        pages = run.read_tree()
        facts = run.site_facts
        entries = classify(pages, run.settings.root, facts.languages, facts.content_language,
                           run.translatable_pages())
        for entry in entries:
            click.echo(entry.line())

    run_command(options, "tree", body, writes=False)


# -- devwiki ------------------------------------------------------------------------------------

@main.group()
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


if __name__ == "__main__":  # pragma: no cover
    main()
