"""The pywikibot-style entry scripts in ``scripts/``: pywikibot's options, the CLI's commands.

``pwb nav_sync -simulate`` (the folder registered in user-config.py's ``user_script_paths``),
``pwb scripts/nav_sync.py ...`` or ``python scripts/nav_sync.py ...`` runs ``advocacy-bot --dry-run nav
sync``: the very command the CLI runs.

pywikibot reads its global options itself (``pywikibot.handle_args``), as for its own scripts:
``-family:``, ``-lang:``/``-code:``, ``-site:``, ``-user:``, ``-pt:``, ``-maxlag:``, ``-simulate``,
``-log``, ``-debug``, ``-v``, ... (``-help:global`` lists them). The family names the wiki (``meta``,
or ``advocacydev``/``advocacydev<port>`` for the dev wiki); ``-simulate`` is ``--dry-run``; ``-user:``
and ``-pt:`` are honoured on the dev wiki too, where a run otherwise saves as the dev wiki's bot
without a pause. The script's own options are the command's, pywikibot-style: ``--page TITLE`` is
``-page:TITLE``, ``--force`` is ``-force``; and the CLI's ``--yes`` (``-always``), ``--config``
(``-settings:``, since pywikibot keeps ``-config`` for itself), ``--report-json`` (``-report:``) and
``--devwiki-dir`` (``-devwiki-dir:``).
"""

from __future__ import annotations

import sys
from dataclasses import dataclass

import click

SCRIPTS = {  # script name -> the CLI command it runs
    "nav_sync": ("nav", "sync"),
    "staff_sync": ("staff", "sync"),
    "archive": ("archive",),
    "translate_mark": ("translate", "mark"),
    "run_all": ("run-all",),
    "watch": ("watch",),
}
DEV_FAMILY = "advocacydev"

# The CLI's options every script takes: script option -> (CLI option, its value's name or None for a
# flag, what it does).
COMMON_OPTIONS = {
    "-always": ("--yes", None, "Never ask before saving"),
    "-settings": ("--config", "FILE", "The settings YAML (pywikibot keeps -config for itself)"),
    "-report": ("--report-json", "FILE", "Write the run report (pages read, edits, skips, requests) to FILE"),
    "-devwiki-dir": ("--devwiki-dir", "DIR", "The dev wiki's folder [default: $ADVOCACY_DEVWIKI_DIR or .devwiki]"),
}


class ScriptUsage(click.UsageError):
    """An option this script cannot honour (exit 2)."""


@dataclass(frozen=True)
class PywikibotChoices:
    """What pywikibot's configuration says once it has read its global options."""

    family: str | None = None
    lang: str | None = None
    simulate: bool = False
    verbose: int = 0


def ours(name: str | None) -> bool:
    return name == "meta" or str(name).startswith(DEV_FAMILY)


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


def given(argv: list[str], *names: str) -> str | None:
    """The value of the last ``-name:value`` among ``argv`` (pywikibot's rule: the last one wins)."""
    found = None
    for arg in argv:
        name, _, value = arg.partition(":")
        if name in names and value:
            found = value
    return found


def site_given(argv: list[str]) -> tuple[str | None, str | None]:
    """The family and code named on the command line (``-site:F:C`` or ``-family:``, ``-lang:``/``-code:``)."""
    family, lang = None, None
    for arg in argv:
        name, _, value = arg.partition(":")
        if name == "-site" and value:
            family, _, code = value.partition(":")
            lang = code or family
        elif name == "-family" and value:
            family = value
        elif name in ("-lang", "-code") and value:
            lang = value
    return family, lang


def choose_site(argv: list[str], choices: PywikibotChoices) -> str:
    """The wiki named on the command line; else pywikibot's configured one when it is ours; else Meta-Wiki."""
    family, lang = site_given(argv)
    if family or lang:
        return site_for(family, lang)
    return site_for(*(name if ours(name) else None for name in (choices.family, choices.lang)))


def command_options(command: click.Command | None) -> dict[str, tuple[str, str | None, str]]:
    """The command's own options as script options: ``--page`` -> ``-page`` (with a value), ``--force``
    -> ``-force``."""
    options = {}
    for param in getattr(command, "params", ()):
        if not isinstance(param, click.Option):
            continue
        long = next((opt for opt in param.opts if opt.startswith("--")), None)
        if long and long != "--help":
            value = None if param.is_flag else (param.metavar or "VALUE")
            options["-" + long[2:]] = (long, value, (param.help or "").split(". ")[0].rstrip("."))
    return options


def cli_args(script: str, argv: list[str], command=None, choices: PywikibotChoices = PywikibotChoices(),
             site: str | None = None) -> list[str]:
    """The ``advocacy-bot`` arguments for ``script``: ``argv`` holds what pywikibot left of the command
    line (its global options taken out), ``choices`` what pywikibot's configuration says."""
    own = command_options(command)
    options: list[str] = []
    command_args: list[str] = []
    for arg in argv:
        name, colon, value = arg.partition(":")
        known = COMMON_OPTIONS.get(name) or own.get(name)
        if known is None:
            if name == "-page":
                raise ScriptUsage(f"{' '.join(SCRIPTS[script])} does not take -page")
            raise ScriptUsage(f"unknown option {arg!r} (see the script's -help; pywikibot's own: -help:global)")
        cli_option, value_name, _ = known
        takes_value = value_name is not None
        if takes_value and not value:
            raise ScriptUsage(f"{name} needs a value: {name}:VALUE")
        if not takes_value and colon:
            raise ScriptUsage(f"{name} takes no value")
        target = options if name in COMMON_OPTIONS else command_args
        target += [cli_option, value] if takes_value else [cli_option]
    site = site or choose_site([], choices)
    return (["--site", site] + (["--dry-run"] if choices.simulate else []) + options + ["-v"] * choices.verbose
            + list(SCRIPTS[script]) + command_args)


def script_help(script: str, doc: str | None, command) -> str:
    """The script's ``-help``: plain text, its options and where pywikibot's own are listed."""
    lines = [(doc or f"{script}: advocacy-bot {' '.join(SCRIPTS[script])}").strip(), "", "Options:"]
    rows = [(name + (f":{value}" if value else ""), f"{what} ({cli})")
            for name, (cli, value, what) in {**command_options(command), **COMMON_OPTIONS}.items()]
    width = max(len(left) for left, _ in rows)
    lines += [f"  {left.ljust(width)}  {right}" for left, right in rows]
    globals_ = [("-family:F", f"the wiki: meta (Meta-Wiki) or {DEV_FAMILY} (the dev wiki); default: "
                              "user-config.py's when it is one of these, else Meta-Wiki"),
                ("-user:NAME", "the account that saves (its BotPassword in user-password.py)"),
                ("-pt:SECONDS", "the pause between two saves"),
                ("-maxlag:SECONDS", "wait while the wiki's replicas lag more than this"),
                ("-simulate", "show the diffs, save nothing (--dry-run)"),
                ("-log, -debug", "pywikibot's log file (logs/ in its folder); -debug adds every request"),
                ("-v", "more output")]
    lines += ["", "Global options, pywikibot's own (-help:global lists them all), among them:"]
    lines += [f"  {left.ljust(width)}  {right}" for left, right in globals_]
    return "\n".join(lines)


def find_command(words) -> click.Command | None:
    """The CLI's command for ``words`` (``("nav", "sync")``), or None where it is not installed."""
    from .cli import main

    command: click.Command | None = main
    for word in words:
        if not isinstance(command, click.Group):
            return None
        command = command.commands.get(word)
    return command


def _import_pywikibot(argv: list[str]):
    """pywikibot, imported from the right folder: the dev wiki's when the command line names it (pwb.py
    has imported it already, from its own)."""
    if "pywikibot" not in sys.modules:
        from .devwiki.manager import DevWiki, default_directory
        from .wiki.site import prepare_pywikibot

        family, lang = site_given(argv)
        folder = None
        if (family or lang) and site_for(family, lang) == "dev":
            folder = DevWiki(given(argv, "-devwiki-dir") or default_directory()).pywikibot_dir
        prepare_pywikibot(folder if folder and folder.is_dir() else None)
    import pywikibot

    return pywikibot


def run_script(script: str, argv: list[str] | None = None, doc: str | None = None) -> None:
    """Run ``script`` as the CLI would (exits with the CLI's exit code)."""
    from .cli import main
    from .wiki import site as sites

    argv = sys.argv[1:] if argv is None else argv
    command = find_command(SCRIPTS[script])
    if "-help" in argv or "-h" in argv or "--help" in argv:
        click.echo(script_help(script, doc, command))
        sys.exit(0)
    try:
        if command is None:
            raise ScriptUsage(f"`advocacy-bot {' '.join(SCRIPTS[script])}` is not part of this installation")
        site_for(*site_given(argv))  # a wiki that is not ours is refused before pywikibot is loaded
        pywikibot = _import_pywikibot(argv)
        if "-help:global" in argv:
            from pywikibot import bot

            click.echo(script_help(script, doc, command) + "\n" + getattr(bot, "_GLOBAL_HELP", "").format(script))
            sys.exit(0)
        from pywikibot import bot, config

        # through pwb.py, pywikibot has read the global options given before the script's name
        global_args = [*(getattr(bot, "global_args", None) or []), *argv]
        # pywikibot takes its global options (an empty list would make it read sys.argv instead)
        rest = pywikibot.handle_args(argv, do_help=False) if argv else []

        choices = PywikibotChoices(config.family, config.mylang, bool(config.simulate), config.verbose_output)
        args = cli_args(script, rest, command, choices, choose_site(argv, choices))
    except ScriptUsage as problem:
        click.echo(f"{script}: {problem.message}", err=True)
        sys.exit(2)
    # -user and -pt name the account and the pause for whichever wiki the run opens (the dev wiki's
    # own choices, its bot and no pause, would otherwise win)
    throttle = given(global_args, "-pt", "-putthrottle")
    sites.operator_choices(user=given(global_args, "-user"),
                           put_throttle=float(config.put_throttle) if throttle else None)
    main.main(args=args, prog_name=f"{script}.py")
