"""The ``advocacy-bot`` command line: a thin click shell over the tasks and the wiki layer.

Global options go before the command: ``advocacy-bot --site dev --dry-run tree``. Diffs and command
results go to stdout; progress, logs and the summary to stderr. Exit codes are listed in
:mod:`advocacy_bot.outcomes` and the README.
"""

from __future__ import annotations

import logging
from pathlib import Path

import click

from . import __version__
from .devwiki.manager import default_directory
from .logs import setup_logging
from .runner import Options

log = logging.getLogger("advocacy_bot")


class _Main(click.Group):
    """The top command: a global option written after the command gets a hint to move it."""

    def invoke(self, ctx):
        try:
            return super().invoke(ctx)
        except click.NoSuchOption as error:
            if error.option_name in {name for param in self.params for name in param.opts}:
                name = error.option_name
                error.message = (f"{name} is a global option: it goes before the command, "
                                 f"as in `advocacy-bot {name} ... {ctx.invoked_subcommand or 'COMMAND'} ...`")
            raise


@click.group(cls=_Main, context_settings={"help_option_names": ["-h", "--help"], "max_content_width": 100})
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
    read-only, lock); 5 internal error; 6 interrupted (SIGINT, SIGTERM).
    """
    setup_logging(verbose)  # structured lines on stderr, secrets masked (logs.py)
    ctx.obj = Options(site, devwiki_dir or default_directory(), config, dry_run, report_json, verbose, yes)


# -- commands -------------------------------------------------------------------------------------

def _add_commands() -> None:
    """Every module in ``advocacy_bot/commands/`` contributes its ``commands`` (click commands or groups)."""
    import importlib
    import pkgutil

    from . import commands

    for module_info in sorted(pkgutil.iter_modules(commands.__path__), key=lambda m: m.name):
        module = importlib.import_module(f"{commands.__name__}.{module_info.name}")
        for command in getattr(module, "commands", ()):
            main.add_command(command)


_add_commands()

if __name__ == "__main__":  # pragma: no cover
    main()
