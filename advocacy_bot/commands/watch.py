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
@click.option("--stream", default=None, metavar="auto|URL",
              help="Also follow the wiki's recent changes as they happen, from Wikimedia's EventStreams "
                   "(auto: the one of the --site's family) or from this URL's Server-Sent Events; an event "
                   "about a page of the tree starts the next run two seconds later (ten after the last run ended, "
                   "at the soonest).")
@click.option("--stream-retry", default=None, type=click.IntRange(min=1), metavar="MS", hidden=True,
              help="First wait before reconnecting a dropped stream (pywikibot's default: 5000; tests).")
@click.pass_obj
def watch(options: Options, only, skip, interval, stream, stream_retry):
    """Keep the tree healthy continuously: run-all, then again every --interval seconds, until SIGTERM
    or Ctrl-C (exit 0).

    Each run is incremental (see run-all): when nothing changed it costs one API request and saves
    nothing, so a human's edit in the tree is fixed by the next run, within the interval. The daily
    full read and the archiving of threads that fall due happen by themselves. Every run obeys the
    shutoff page (while it says stop, runs do nothing and watch keeps asking), holds the run lock while
    it lasts and prints its summary; runs that fail as a whole make the next wait longer (up to 15
    minutes). Only one watch per wiki; while it runs, a scheduled run-all does nothing.

    With --stream, it also follows Wikimedia's EventStreams (auto) or another Server-Sent Events URL:
    an event about a page of the tree starts the next run two seconds later (at the soonest ten after
    the last run ended; a burst of events makes one run) instead of at the end of the interval; the
    interval's polling goes on (the stream is only a hint).

    With --dry-run every pass is a dry run, and reads the whole tree: a dry run keeps no state.

    \b
    Examples:
      advocacy-bot --site dev watch --interval 5          # the embedded wiki
      advocacy-bot --site meta --yes --config settings.yaml watch --stream auto   # Toolforge
    """
    def run_once(moment):
        chosen = selected(steps(moment), only, skip)
        return execute(options, TASK, lambda run: run_incremental(run, chosen, moment), writes=True, keep_idle=False)

    if stream == "auto" and options.site == "dev":
        raise click.BadParameter("the dev wiki has no EventStreams; give a URL, or leave --stream out (the "
                                 "watch polls the recent changes every --interval seconds)", param_hint="--stream")
    follow = None
    if stream:
        def follow(wake):
            return start_stream(options, stream, wake, stream_retry)
    sys.exit(watch_loop(options.site, options.devwiki_dir, run_once, interval, stream=follow))


def start_stream(options: Options, stream: str, wake, retry_ms: int | None):
    """The event stream's reader, started: events about the tree (the settings' root), the header
    template or the bot's user space wake the watch (wiki/stream.py)."""
    from urllib.parse import urlsplit

    from ..wiki.site import open_site
    from ..wiki.stream import StreamWaker, pywikibot_events, wakes

    settings = options.settings()
    client = open_site(options.site, options.devwiki_dir)  # kept for the watch's life: the stream's site
    server_name = urlsplit(client.api_url).hostname or ""
    own_space = f"User:{client.bot_user}/"
    own = [settings.nav.template] if settings.nav.template else []

    def accept(event) -> bool:
        return wakes(event, server_name, settings.root, own) or str(event.get("title", "")).startswith(own_space)

    url = None if stream == "auto" else stream
    waker = StreamWaker(pywikibot_events(client.site, url, retry_ms), accept, wake)
    waker.start()
    return waker


commands = [watch]
