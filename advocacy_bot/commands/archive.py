"""``archive [--page TITLE]...``: move old and resolved threads from the tree's talk pages to archives."""

from __future__ import annotations

from datetime import UTC, datetime

import click

from ..jobs.archive import archive_talk_pages
from ..runner import Options, run_command
from ..tasks.archive import TASK


def parse_moment(value: str | None) -> datetime:
    if value is None:
        return datetime.now(UTC)
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"{value!r} is not an ISO 8601 time like 2026-11-20T12:00Z",
                                 param_hint="--now") from None
    return moment if moment.tzinfo else moment.replace(tzinfo=UTC)


@click.command()
@click.option("--page", "titles", multiple=True, metavar="TITLE",
              help="Archive only this talk page of the tree (repeatable) [default: every talk page "
                   "with an archiving configuration].")
@click.option("--now", default=None, metavar="TIME",
              help="Age threads as of this ISO 8601 time (UTC unless given) instead of the current "
                   "time: for tests and demonstrations.")
@click.pass_obj
def archive(options: Options, titles: tuple[str, ...], now: str | None):
    """Move old and resolved threads from talk pages to their archives.

    The configuration is archivebot's {{User:MiszaBot/config}} at the top of each talk page. Each
    archive page is saved first; the talk page loses its threads only once every one of them is in
    its archive, as the archive's save stored it (read back where the save's answer cannot tell:
    a merged edit, a text with ~~~~). Else: verification-failed, the talk page keeps them. A run that
    was stopped between the two saves is completed by the next run, with no thread doubled.
    """
    moment = parse_moment(now)
    run_command(options, TASK, lambda run: archive_talk_pages(run, titles, moment), writes=True)


commands = [archive]
