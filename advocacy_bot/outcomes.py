"""Exit codes and per-page outcome codes: the one documented list (README, "Outcomes").

Every place that reports a skipped or failed page takes its code from here, so the report, the human
summary and the documentation cannot disagree.
"""

from __future__ import annotations

from enum import IntEnum


class ExitCode(IntEnum):
    DONE = 0
    PAGES_FAILED = 1  # finished, but some pages are in the report's errors, or a check found drift
    USAGE = 2  # usage, settings, validation or trust error found before any save; nothing edited
    SHUTOFF = 3  # stopped by the shutoff page
    ABORTED = 4  # wiki unreachable, login failed, blocked, read-only, lost login, lock held
    INTERNAL = 5  # a bug: traceback in the log
    INTERRUPTED = 6  # SIGINT or SIGTERM: stopped before its next request; the report lists every save made


# skipped: a policy or a wait, not a failure (exit code stays 0)
SKIP_CODES: dict[str, str] = {
    "nobots": "the page excludes this bot with {{bots}}/{{nobots}}",
    "redirect": "the page is a redirect; redirects are never edited",
    "missing": "the page does not exist (any more)",
    "pending-remark": "a translation page differs from its source until the source is marked again",
    "waiting-for-translation-admin": "the source page must be marked for translation by a translation admin",
    "waiting-for-header": "the page keeps the header it shows until the header template renders without "
                          "Translate markup (marked with translation-aware transclusion)",
    "no-translate": "the wiki has no Translate extension",
    "no-archive-config": "the talk page has no archiving configuration",
    "ambiguous-header": "the page's top cannot be told apart from content; left for a human",
    "too-deep": "the wikitext nests deeper than MediaWiki expands (100 levels); left for a human",
    "too-large": "the page's text exceeds what the API returns in one answer; it is left as it is",
    "no-roster": "the on-wiki roster page does not exist yet; the staff task waits for it, the others go on",
}

# errors: the run finishes, exit code 1
ERROR_CODES: dict[str, str] = {
    "protected": "the page is protected beyond the bot's rights",
    "edit-conflict": "someone else edited the page; still conflicting after one re-read",
    "invalid-markup": "the new text would break Translate's markup; not saved",
    "outside-tree": "the title is outside the configured tree and the bot's own pages",
    "invalid-title": "not a page title MediaWiki accepts (#, |, [], {}, <>, control characters, ...)",
    "verification-failed": "reading the page back did not show what was saved",
    "api-error": "the wiki refused the request",
    "prerequisite-not-saved": "a page this change needs saved first (the state page) was not saved",
    "no-staff-block": "a staff target has no BEGIN/END STAFF LIST block; wrap its list once with staff adopt",
    "roster-shrinks": "the roster would remove more than half of the members the bot last wrote on the page; "
                      "check the roster, or pass --force",
}


class BotError(Exception):
    """An error that ends the run with a specific exit code and a message for the operator."""

    exit_code: ExitCode = ExitCode.INTERNAL

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


class UsageProblem(BotError):
    """Bad settings, roster or trust: found before any save."""

    exit_code = ExitCode.USAGE


class ShutoffRequested(BotError):
    """The shutoff page is not empty."""

    exit_code = ExitCode.SHUTOFF


class Interrupted(BotError):
    """A signal (Ctrl-C, or SIGTERM as Toolforge stops a job) asked the run to stop."""

    exit_code = ExitCode.INTERRUPTED


class RunAborted(BotError):
    """A problem with the whole run (network, login, block, read-only, lost session, lock)."""

    exit_code = ExitCode.ABORTED
