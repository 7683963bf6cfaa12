"""The pywikibot-style entry scripts in ``scripts/``: pywikibot's usual options, the CLI's functions.

``python pwb.py scripts/nav_sync.py -simulate`` (or ``python scripts/nav_sync.py ...`` without pwb)
becomes ``advocacy-bot --dry-run nav sync`` and runs the very command the CLI runs. Options:

==================  ==========================================================================
``-simulate``       ``--dry-run``: print diffs, save nothing
``-always``         ``--yes``: never ask before saving
``-family:F``       ``meta`` (Meta-Wiki) or ``advocacydev``/``advocacydev<port>`` (the dev wiki)
``-lang:L``         ``meta`` or the dev wiki's family name (pywikibot's code; checked against -family)
``-page:TITLE``     ``--page TITLE`` for the scripts whose command takes pages (repeatable)
``-settings:FILE``  ``--config FILE`` (the settings YAML; pywikibot keeps ``-config`` for itself)
``-report:FILE``    ``--report-json FILE``
``-v``              ``-v`` (more log output)
==================  ==========================================================================

Run through ``pwb.py``, pywikibot has already read its global options: its ``config.family`` and
``config.simulate`` are taken as defaults.
"""

from __future__ import annotations

import sys

import click

SCRIPTS = {  # script name -> the CLI command it runs
    "nav_sync": ("nav", "sync"),
    "staff_sync": ("staff", "sync"),
    "archive": ("archive",),
    "translate_mark": ("translate", "mark"),
    "run_all": ("run-all",),
}
DEV_FAMILY = "advocacydev"


class ScriptUsage(click.UsageError):
    """A pywikibot option this script cannot honour (exit 2)."""


def site_for(family: str | None, lang: str | None) -> str:
    """``meta`` or ``dev`` from pywikibot's family and code."""
    names = {name for name in (family, lang) if name}
    if not names or names == {"meta"}:
        return "meta"
    if all(name.startswith(DEV_FAMILY) for name in names):
        return "dev"
    raise ScriptUsage(f"advocacy-bot works on Meta-Wiki (-family:meta) or the dev wiki (-family:{DEV_FAMILY}), "
                      "not on " + " ".join(f"-{key}:{value}" for key, value in (("family", family), ("lang", lang))
                                           if value))


def _pywikibot_defaults() -> tuple[str | None, bool]:
    """pywikibot's family (one of ours only: its own default is wikipedia) and -simulate, when pwb.py
    has already read them from user-config.py and its command line."""
    if "pywikibot" not in sys.modules:
        return None, False
    from pywikibot import config

    family = getattr(config, "family", None)
    ours = family if family == "meta" or str(family).startswith(DEV_FAMILY) else None
    return ours, bool(getattr(config, "simulate", False))


def cli_args(script: str, argv: list[str], command=None, defaults: tuple[str | None, bool] = (None, False)
             ) -> list[str]:
    """The ``advocacy-bot`` arguments for ``script`` run with pywikibot-style ``argv``; ``defaults`` are
    the family and -simulate that pwb.py already read (:func:`_pywikibot_defaults`)."""
    family, simulate = defaults
    lang = None
    options: list[str] = []
    pages: list[str] = []
    for arg in argv:
        name, _, value = arg.partition(":")
        if arg == "-simulate":
            simulate = True
        elif arg == "-always":
            options.append("--yes")
        elif arg in ("-v", "-verbose"):
            options.append("-v")
        elif name == "-family" and value:
            family = value
        elif name == "-lang" and value:
            lang = value
        elif name == "-page" and value:
            pages.append(value)
        elif name == "-settings" and value:
            options += ["--config", value]
        elif name == "-report" and value:
            options += ["--report-json", value]
        else:
            raise ScriptUsage(f"unknown option {arg!r} (see the script's -help)")
    words = list(SCRIPTS[script])
    if pages and not (command is not None and any("--page" in getattr(p, "opts", ()) for p in command.params)):
        raise ScriptUsage(f"{' '.join(words)} does not take -page")
    site = site_for(family, lang)
    return (["--site", site] + (["--dry-run"] if simulate else []) + options + words
            + [item for page in pages for item in ("--page", page)])


def find_command(words) -> click.Command | None:
    """The CLI's command for ``words`` (``("nav", "sync")``), or None where it is not installed."""
    from .cli import main

    command: click.Command | None = main
    for word in words:
        if not isinstance(command, click.Group):
            return None
        command = command.commands.get(word)
    return command


def run_script(script: str, argv: list[str] | None = None) -> None:
    """Run ``script`` as the CLI would (exits with the CLI's exit code)."""
    from .cli import main

    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in ("-help", "-h", "--help"):
        click.echo(__doc__)
        sys.exit(0)
    command = find_command(SCRIPTS[script])
    try:
        if command is None:
            raise ScriptUsage(f"`advocacy-bot {' '.join(SCRIPTS[script])}` is not part of this installation")
        args = cli_args(script, argv, command, _pywikibot_defaults())
    except ScriptUsage as problem:
        click.echo(f"{script}: {problem.message}", err=True)
        sys.exit(2)
    main.main(args=args, prog_name=f"{script}.py")
