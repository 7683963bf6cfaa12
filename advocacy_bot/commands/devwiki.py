"""``devwiki up|down|reset|mark|jobs|translate``: the embedded local MediaWiki and its Translate."""

from __future__ import annotations

import sys
from collections.abc import Callable
from pathlib import Path

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
@click.option("--translate-dir", type=click.Path(file_okay=False, path_type=Path), default=None,
              help="Load the real Translate extension from DIR/Translate and DIR/UniversalLanguageSelector "
              "(branch REL1_39 of both) instead of the shim; remembered until --shim.")
@click.option("--no-documentation-language", "documentation_language", flag_value=False, default=None,
              help="With the real Translate: keep its default, no message documentation language (qqq).")
@click.option("--documentation-language", "documentation_language", flag_value=True,
              help="With the real Translate: qqq as the documentation language, as on Meta-Wiki [default].")
@click.option("--shim", is_flag=True, help="Go back from the real Translate to the shim.")
@click.pass_obj
def devwiki_up(options: Options, port, snapshot, translate_dir, documentation_language, shim):
    """Create (once) and start the dev wiki; import a snapshot; print the API URL.

    Installs Debian's mediawiki and PHP packages when missing (needs root). Accounts: Admin (sysop)
    and AdvocacyBot (bot, BotPassword). The pywikibot configuration for the wiki is written into
    DIR/pywikibot. Running it again on a running wiki is harmless.

    Translate: without --translate-dir the wiki renders Translate markup with a shim (no marking, no
    translation pages). With it, the real extension: page translation, $wgPageLanguageUseDB, the rights
    pagetranslation, translate and translate-manage for sysops and translate for the bot, and Translate's
    tables; then `devwiki mark`, `devwiki translate` and `devwiki jobs` act as a translation administrator.

    \b
      advocacy-bot devwiki up --translate-dir ~/translate-rel1_39 --snapshot demo
    """
    if shim and translate_dir:
        raise click.UsageError("--shim and --translate-dir contradict each other")
    snapshot_path = None
    if snapshot:
        snapshot_path = DEMO_SNAPSHOT if snapshot == "demo" else Path(snapshot)
        if not snapshot_path.exists():
            raise click.BadParameter(f"no such file: {snapshot_path}", param_hint="--snapshot")
    _devwiki_call(options, lambda wiki: click.echo(wiki.up(
        port=port, snapshot=snapshot_path, translate_dir=translate_dir,
        documentation_language=documentation_language, shim=shim).api_url))


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


def _real_translate(wiki: DevWiki) -> None:
    if not wiki.translate_dir:
        raise DevWikiError(f"the dev wiki in {wiki.directory} runs the Translate shim, which cannot mark or "
                           "translate: start it with `devwiki up --translate-dir DIR`")


@devwiki.command("mark")
@click.argument("title")
@click.option("--no-transclusion", "transclusion", flag_value=False, default=True,
              help="Untick 'translation-aware transclusion' (ticked by default on a first marking).")
@click.pass_obj
def devwiki_mark(options: Options, title, transclusion):
    """Mark TITLE for translation as a translation administrator would (real Translate only).

    Logs in as Admin and submits Special:PageTranslation's form for the page's latest revision, with
    every choice as the form offers it. Then run `devwiki jobs` so FuzzyBot writes the translation pages.
    A dev-wiki tool for tests and demos; the bot itself marks through the API where Translate has it.
    """
    from ..devwiki.translate_admin import TranslationAdmin

    def mark(wiki: DevWiki) -> None:
        _real_translate(wiki)
        result = TranslationAdmin(wiki).mark(title, transclusion=transclusion)
        click.echo(f"marked {result.title}: {result.units} translation units"
                   f"{'' if transclusion else ' (without translation-aware transclusion)'}")

    _devwiki_call(options, mark)


@devwiki.command("translate")
@click.argument("title")
@click.argument("unit")
@click.argument("language")
@click.argument("text")
@click.pass_obj
def devwiki_translate(options: Options, title, unit, language, text):
    """Save TEXT as the LANGUAGE translation of unit UNIT of TITLE (real Translate only).

    Saves Translations:TITLE/UNIT/LANGUAGE as Admin; `devwiki jobs` then rewrites TITLE/LANGUAGE.

    \b
      advocacy-bot devwiki translate "Template:Global Advocacy/Header" 1 ja ホーム
    """
    from ..devwiki.translate_admin import TranslationAdmin

    def translate(wiki: DevWiki) -> None:
        _real_translate(wiki)
        revision = TranslationAdmin(wiki).translate(title, unit, language, text)
        click.echo(f"saved Translations:{title}/{unit}/{language} (revision {revision})")

    _devwiki_call(options, translate)


@devwiki.command("jobs")
@click.pass_obj
def devwiki_jobs(options: Options):
    """Run MediaWiki's job queue (the dev wiki runs none on page views: $wgJobRunRate = 0).

    After a marking or a translation, FuzzyBot's rewrite of the translation pages waits here.
    """
    _devwiki_call(options, lambda wiki: click.echo(f"{wiki.run_jobs()} jobs run"))


commands = [devwiki]
