"""Which wiki a run talks to: Meta-Wiki through the operator's pywikibot setup, or a dev wiki.

pywikibot reads its configuration folder (``PYWIKIBOT_DIR``) when it is first imported, so this module
decides that folder before importing it, and sets the few values a dev wiki needs on ``config``
directly (several dev wikis may be used in one process, as the tests do).
"""

from __future__ import annotations

import os
import sys
from dataclasses import dataclass
from pathlib import Path

from .. import __version__
from ..devwiki.manager import DevWiki, DevWikiError
from ..logs import register_secret
from ..outcomes import RunAborted, UsageProblem
from .client import WikiClient, counting_requests

SITES = ("meta", "dev")
# Wikimedia's User-Agent policy: the tool, its version and a contact. pywikibot fills
# {script_comments} with user_agent_description (user-config.py: the operator's contact) and the URL
# of the bot account's user page.
USER_AGENT = ("advocacy-bot/" + __version__ + " (https://meta.wikimedia.org/wiki/Global_Advocacy; "
              "{script_comments}) {pwb} {python} {http_backend}")


@dataclass(frozen=True)
class OperatorChoices:
    """What the operator chose with pywikibot's global options (the scripts: ``-user:``, ``-pt:``):
    it wins over what a run chooses for its wiki (on the dev wiki: its bot, no pause between saves)."""

    user: str | None = None
    put_throttle: float | None = None


_operator = OperatorChoices()


def operator_choices(user: str | None = None, put_throttle: float | None = None) -> None:
    """Set by ``pwb_scripts`` once pywikibot has read its global options, before the run opens its wiki."""
    global _operator
    _operator = OperatorChoices(user, put_throttle)


def _has_user_config() -> bool:
    """Whether pywikibot would find an operator's user-config.py (its own search order)."""
    folders = [os.environ.get("PYWIKIBOT_DIR"), os.getcwd(), os.path.expanduser("~/.pywikibot")]
    return any(folder and Path(folder, "user-config.py").exists() for folder in folders)


def anonymous_config_dir() -> Path:
    """A private pywikibot folder for read-only use of Meta-Wiki by someone with no configuration.

    Without it pywikibot would take the current directory and leave its caches and cookies there.
    """
    folder = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "advocacy-bot" / "pywikibot"
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "user-config.py"
    if not config.exists():
        config.write_text("# Written by advocacy-bot for read-only use of Meta-Wiki; no account.\n"
                          "family = 'meta'\nmylang = 'meta'\n")
    return folder


def prepare_pywikibot(config_dir: Path | None = None) -> None:
    """Choose pywikibot's folder before its first import (it is read once, at import)."""
    if "pywikibot" in sys.modules:
        return
    if config_dir is not None:
        os.environ["PYWIKIBOT_DIR"] = str(config_dir)
    elif not _has_user_config():
        os.environ["PYWIKIBOT_DIR"] = str(anonymous_config_dir())


def configure_pywikibot(config) -> None:
    """What every run sets on pywikibot's config, whichever wiki: the User-Agent, bounded retries,
    and the secret filter on pywikibot's own log output."""
    from ..logs import guard_pywikibot_logging

    config.user_agent_format = USER_AGENT
    _bounded_retries(config)
    guard_pywikibot_logging()


def _bounded_retries(config) -> None:
    """Retries on network errors take seconds, not pywikibot's default minutes."""
    config.max_retries = min(config.max_retries, 2)
    config.retry_wait = min(config.retry_wait, 1)
    config.retry_max = min(config.retry_max, 4)


def open_site(name: str, devwiki_dir: Path | str | None = None) -> WikiClient:
    """A :class:`WikiClient` for ``meta`` or ``dev`` (the dev wiki in ``devwiki_dir``)."""
    if name not in SITES:
        raise UsageProblem(f"unknown site {name!r}; choose one of {', '.join(SITES)}")
    if name == "dev":
        return _open_dev(Path(devwiki_dir) if devwiki_dir else None)
    prepare_pywikibot()
    import pywikibot
    from pywikibot import config

    configure_pywikibot(config)
    if _operator.user:
        config.usernames["meta"]["meta"] = _operator.user
    if _operator.put_throttle is not None:
        config.put_throttle = _operator.put_throttle
    site, counter = _make_site(lambda: pywikibot.Site("meta", "meta"), "Meta-Wiki")
    bot_user = config.usernames.get("meta", {}).get("meta") or config.usernames.get("meta", {}).get("*")
    return WikiClient(site, name="meta", bot_user=bot_user or "(not configured)", counter=counter)


def _make_site(factory, what: str):
    """The site, and the counter of the requests made while making it (site info, when pywikibot's
    cache lacks it): a wiki that does not answer then aborts the run (exit 4)."""
    from pywikibot.exceptions import Error

    try:
        with counting_requests() as counter:
            return factory(), counter
    except (Error, OSError) as error:
        raise RunAborted(f"cannot reach {what}: {error}") from error


def _open_dev(directory: Path | None) -> WikiClient:
    from ..devwiki.manager import default_directory

    wiki = DevWiki(directory or default_directory())
    try:
        info = wiki.info()
    except DevWikiError as error:
        raise RunAborted(str(error)) from error
    if not wiki.running_pid():
        raise RunAborted(f"the dev wiki in {wiki.directory} is not running: "
                         f"run `advocacy-bot --devwiki-dir {wiki.directory} devwiki up`")
    prepare_pywikibot(info.pywikibot_dir)
    import pywikibot
    from pywikibot import config

    bot_user = _operator.user or info.bot_user
    config.family_files[info.family] = info.api_url
    # the code's own entry too: pywikibot's -user writes that one, and it would win over "*"
    config.usernames.setdefault(info.family, {}).update({"*": bot_user, info.family: bot_user})
    config.put_throttle = 0 if _operator.put_throttle is None else _operator.put_throttle  # a local wiki needs no pause
    configure_pywikibot(config)
    register_secret(info.bot_password)
    site, counter = _make_site(lambda: pywikibot.Site(info.family, info.family), f"the dev wiki at {info.api_url}")
    return WikiClient(site, name="dev", bot_user=bot_user, password_file=str(info.pywikibot_dir / "user-password.py"),
                      wiki_id=info.wiki_id, counter=counter)
