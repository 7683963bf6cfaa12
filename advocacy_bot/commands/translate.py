"""``translate markers|check|prepare|mark|status``: Translate's markup kept valid, complete and marked."""

from __future__ import annotations

import sys

import click

from ..jobs.translate import check_tree, mark_tree, prepare_tree, status_tree
from ..outcomes import ExitCode
from ..runner import Options, run_command
from ..tasks import translate as task
from ..wikitext.translate_markup import InvalidMarkup, mark


@click.group()
def translate():
    """Translate's markup: keep it valid, make pages ready, get new units marked, report progress.

    \b
    translate markers --file F [--highest N]   add missing markers to a file (offline)
    translate check                           list markup Translate would refuse (exit 1 if any)
    translate prepare [--page TITLE]...       <languages/>, <translate> around untagged prose, new <tvar>
    translate mark                            get new and changed units marked for translation
    translate status                          write the translation status page
    """


@translate.command("markers")
@click.option("--file", "path", required=True, type=click.Path(exists=True, dir_okay=False),
              help="The page's wikitext.")
@click.option("--highest", type=click.IntRange(min=0), default=0, show_default=True,
              help="The highest unit id the page has ever used (new ids start after it and after every id in F).")
def markers(path: str, highest: int):
    """Print F with a marker in every unit that lacks one, where Translate puts it.

    New ids count up from the larger of N and the highest id in F, in document order; existing ids
    are never changed. Needs no wiki. An invalid F prints one line per problem on stderr,
    F:LINE: RULE: message, and exits 1.
    """
    with open(path, "rb") as handle:
        data = handle.read()
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as error:
        raise click.UsageError(f"{path} is not UTF-8 text ({error.reason} at byte {error.start})") from error
    try:
        marked = mark(text, highest).text
    except InvalidMarkup as refused:
        for problem in refused.problems:
            click.echo(task.problem_line(path, problem), err=True)
        sys.exit(int(ExitCode.PAGES_FAILED))
    stdout = sys.stdout.buffer  # click.get_binary_stream is deprecated (Click 9 removes it)
    stdout.write(marked.encode("utf-8"))  # byte for byte: no newline added
    stdout.flush()


@translate.command("check")
@click.pass_obj
def check(options: Options):
    """List the markup Translate would refuse on every source page and template of the tree.

    One line per problem on stdout, TITLE:LINE: RULE: message; exit 1 if any. Nothing is edited.
    """
    run_command(options, "translate check", check_tree, writes=False)


@translate.command("prepare")
@click.option("--page", "titles", multiple=True, metavar="TITLE",
              help="Prepare this source page (repeatable) [default: every source page that already has "
                   "<translate> markup].")
@click.pass_obj
def prepare(options: Options, titles):
    """Make pages ready for translation, conservatively, like Special:PagePreparation.

    <languages/> at the top; untagged prose paragraphs wrapped in <translate> (never the navigation
    header, the bot's staff block, templates, tables, comments or other structure); old <tvar|x>
    variables rewritten as <tvar name=x>. Nothing else changes. Units are left without markers:
    `translate mark` numbers them.
    """
    run_command(options, "translate prepare", lambda run: prepare_tree(run, titles), writes=True)


@translate.command("mark")
@click.pass_obj
def mark_command(options: Options):
    """Get new and changed translation units marked, so translators see them.

    With Translate: asks it to mark each source page whose units differ from what it last marked
    (action=markfortranslation), when that API exists and the bot has the pagetranslation right;
    otherwise lists the page as waiting-for-translation-admin with a link to its marking page.
    Without Translate (the dev wiki): writes the markers itself, new ids after the highest each page
    has ever used (kept in the bot's state page, bot_pages.state), so an id is never reused.
    """
    run_command(options, "translate mark", mark_tree, writes=True)


@translate.command("status")
@click.pass_obj
def status_command(options: Options):
    """Write the translation status page (bot_pages.status): the tree's translatable pages by language.

    Percent translated and outdated (fuzzy) units per page and language, with a small bar per cell;
    the languages behind on the navigation header's tab labels and the team lists' job titles; and
    the pages changed since they were last marked (their numbers describe the marked version). On a wiki without
    Translate, skipped (no-translate).
    """
    run_command(options, "translate status", status_tree, writes=True)


commands = [translate]
