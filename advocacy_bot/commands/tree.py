"""``tree``: list every page of the configured tree with its kind and language."""

from __future__ import annotations

import click

from ..runner import Options, run_command
from ..tree import classify


@click.command()
@click.pass_obj
def tree(options: Options):
    """List every page of the tree: KIND<TAB>LANG<TAB>TITLE, sorted by title.

    KIND is source, translation, talk, archive, redirect or template; LANG is the page's language
    (the code for translations, - for redirects). Read-only.
    """
    def body(run):
        run.start()
        pages, listing = run.read_tree()
        pages = [pages[title] for title in sorted(title for titles in listing.values() for title in titles)]
        facts = run.site_facts
        entries = classify(pages, run.settings.root, facts.languages, facts.content_language,
                           run.translatable_pages())
        for entry in entries:
            click.echo(entry.line())

    run_command(options, "tree", body, writes=False)


commands = [tree]
