"""``watch``: run-all again and again, each run reading only what changed (advocacy_bot/watch.py)."""

from __future__ import annotations

import sys

import click

from ..jobs.run_all import TASK, run_incremental, steps
from ..runner import Options, execute
from ..watch import watch as watch_loop
from .run_all import _names, selected


@click.command()
@click.option("--only", multiple=True, callback=_names, metavar="TASK[,TASK]",
              help="Run only these tasks (repeatable or comma-separated).")
@click.option("--skip", multiple=True, callback=_names, metavar="TASK[,TASK]",
              help="Leave these tasks out (repeatable or comma-separated).")
@click.option("--interval", default=30.0, show_default=True, type=click.FloatRange(min=1.0), metavar="SECONDS",
              help="Seconds between the end of one run and the start of the next.")
@click.pass_obj
def watch(options: Options, only, skip, interval):
    """Keep the tree healthy continuously: run-all, then again every --interval seconds, until SIGTERM
    or Ctrl-C (exit 0).

    Each run is incremental (see run-all): when nothing changed it costs one API request and saves
    nothing, so a human's edit in the tree is fixed by the next run, within the interval. The daily
    full read and the archiving of threads that fall due happen by themselves. Every run obeys the
    shutoff page (while it says stop, runs do nothing and watch keeps asking), holds the run lock while
    it lasts and prints its summary; runs that fail as a whole make the next wait longer (up to 15
    minutes). Only one watch per wiki; while it runs, a scheduled run-all does nothing.

    \b
    Examples:
      advocacy-bot --site dev watch --interval 5          # the embedded wiki
      advocacy-bot --site meta --yes --config settings.yaml watch   # the Toolforge continuous job
    """
    def run_once(moment):
        chosen = selected(steps(moment), only, skip)
        return execute(options, TASK, lambda run: run_incremental(run, chosen, moment), writes=True, keep_idle=False)

    sys.exit(watch_loop(options.site, options.devwiki_dir, run_once, interval))


commands = [watch]
