"""``undo --report FILE``: revert the edits of a run, page by page, never over a later edit."""

from __future__ import annotations

from pathlib import Path

import click

from ..jobs.undo import undo_report
from ..runner import Options, run_command
from ..tasks import undo as task


@click.command()
@click.option("--report", "path", required=True, type=click.Path(dir_okay=False, path_type=Path),
              help="The run report (--report-json) of the run to undo.")
@click.pass_obj
def undo(options: Options, path: Path):
    """Revert the edits listed in a run report, page by page.

    A page is reverted to the revision it had before the run only when its latest revision is still
    exactly the one the run saved; a page edited since (never reverted), deleted since, or created by
    the run (the bot does not delete pages) is listed on stdout, TITLE<TAB>WHY, and in the report.
    Exit 1 when any page could not be reverted.
    """
    run_command(options, task.TASK, lambda run: undo_report(run, path), writes=True)


commands = [undo]
