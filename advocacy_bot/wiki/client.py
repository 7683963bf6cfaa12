"""The one object that sends requests to a wiki: pywikibot underneath, counted, errors classified.

Everything above this module works with plain dicts of API parameters and answers
(``formatversion=2``); pywikibot provides the session, login (BotPassword), maxlag handling, the
throttle, tokens and the User-Agent. Every HTTP request to the wiki is counted, retries included.
"""

from __future__ import annotations

import contextlib
import logging
import os
import signal
import sys
import threading
import time
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from .. import interrupt
from ..outcomes import RunAborted

log = logging.getLogger(__name__)

# API error codes that concern the whole run, not one page: abort (exit 4).
RUN_ERROR_CODES = {
    "blocked": "the bot account is blocked",
    "autoblocked": "the bot's IP address is blocked",
    "readonly": "the wiki is in read-only mode",
    # The run stops here; what it saved before stays saved and is in the report.
    "assertbotfailed": "the session lost its bot login (assert=bot failed); this request saved nothing, "
                       "the saves before it stand (see the report)",
    "assertuserfailed": "the session lost its login (assert=user failed); this request saved nothing, "
                        "the saves before it stand (see the report)",
    "notloggedin": "the session is not logged in",
    "mwoauth-invalid-authorization": "the OAuth authorization is invalid",
}


# Fault injection for the reliability tests (tests/reliability/): ADVOCACY_FAULT="ACTION:N:POINT" ends the
# process with os._exit(FAULT_EXIT_CODE) at the N-th request with action=ACTION (e.g. "edit:2:sent"; with
# "ACTION>OTHER", the N-th after the first request with action=OTHER), at
# POINT: "before" (nothing sent), "sent" (the wiki has done the request and answered; the answer is
# never read), "after" (the answer is read; the caller never sees it). Inert unless the variable is set.
FAULT_VARIABLE = "ADVOCACY_FAULT"
FAULT_EXIT_CODE = 86
FAULT_POINTS = ("before", "sent", "after")
# ... or "term"/"int": the process sends itself SIGTERM/SIGINT once that request is answered.
SIGNAL_POINTS = {"term": signal.SIGTERM, "int": signal.SIGINT}
# ... or "hang-term"/"hang-int": that request hangs (HANG_SECONDS) and the signal comes half a second in.
HANG_POINTS = {"hang-term": signal.SIGTERM, "hang-int": signal.SIGINT}
HANG_SECONDS = 120


class _Fault:
    def __init__(self, spec: str):
        action, number, self.point = spec.split(":")
        # "query>edit": the N-th query after the first edit (how many queries come before it varies)
        self.action, _, self.after = action.partition(">")
        self.number, self.seen = int(number), 0
        if self.point not in (*FAULT_POINTS, *SIGNAL_POINTS, *HANG_POINTS):
            raise ValueError(f"{FAULT_VARIABLE}={spec!r}: the point must be one of {', '.join(FAULT_POINTS)}")

    def point_of(self, action: str) -> str | None:
        """The point at which this request ends the process, if it is the chosen one."""
        if action == self.after:
            self.after = ""
        if action != self.action or self.after:
            return None
        self.seen += 1
        return self.point if self.seen == self.number else None

    def die(self, *args, **kwargs) -> None:
        sys.stderr.write(f"{FAULT_VARIABLE}: process stopped at {self.action} #{self.number} ({self.point})\n")
        sys.stderr.flush()
        os._exit(FAULT_EXIT_CODE)


class ApiError(Exception):
    """A per-request refusal from the wiki (the caller decides whether it concerns one page)."""

    def __init__(self, code: str, info: str):
        super().__init__(f"{code}: {info}")
        self.code = code
        self.info = info


@dataclass
class RequestCounter:
    """Counts HTTP requests to one host, including pywikibot's own (login, tokens, site info)."""

    host: str = ""  # "": any host (while a site is made, before its address is known; it asks only its own)
    count: int = 0
    by_action: dict[str, int] = field(default_factory=dict)

    def __call__(self, response, *args, **kwargs):
        if not self.host or urlsplit(response.request.url).netloc == self.host:
            self.count += 1
            action = _action_of(response.request)
            self.by_action[action] = self.by_action.get(action, 0) + 1
            if log.isEnabledFor(logging.DEBUG):  # -vv: what each request asked, to see where a run's cost goes
                log.debug("request %d: %s", self.count, describe_request(response.request),
                          extra={"action": "request"})
        return response


# What pywikibot's ``APISite.userinfo`` asks for: a read that asks the same lets pywikibot skip its own.
USERINFO_PROPS = "blockinfo|groups|hasmsg|ratelimits|rights"


@contextlib.contextmanager
def counting_requests():
    """Count the requests made while a site is made (pywikibot may ask for site info then), with the
    counter the :class:`WikiClient` keeps; and make it without pywikibot's own session check.

    pywikibot's ``APISite`` asks the wiki who the session is as it is made (``login(cookie_only=True)``:
    the cookie file is loaded, then a ``meta=userinfo`` request). A run's first read asks the same along
    with its pages (``BotRun.start``, :meth:`WikiClient.take_session_info`), so here only the cookie
    file is loaded; a client that never reads first asks when it logs in, as before.
    """
    from pywikibot.comms import http
    from pywikibot.site import APISite

    counter = RequestCounter()
    hooks = http.session.hooks.setdefault("response", [])
    hooks.append(counter)
    original = APISite.login

    def login(site, *args, cookie_only: bool = False, **kwargs):
        if not cookie_only:
            return original(site, *args, **kwargs)
        http.cookie_jar.load(site.username(), ignore_discard=True)  # the first thing pywikibot's does
        return None

    APISite.login = login
    try:
        yield counter
    except BaseException:
        hooks.remove(counter)
        raise
    finally:
        APISite.login = original


def _parameters_of(request) -> dict[str, str]:
    body = request.body or ""
    if isinstance(body, bytes):
        body = body[:20000].decode("latin-1")
    if request.headers.get("Content-Type", "").startswith("multipart/"):
        body = ""  # its parts are not key=value pairs
    return dict(parse_qsl(urlsplit(request.url).query + "&" + body))


def _action_of(request) -> str:
    return _parameters_of(request).get("action", "?")


# The parameters that say what a request was for; titles are counted, never logged (page text is not either).
DESCRIBED = ("list", "prop", "meta", "generator", "title")


def describe_request(request) -> str:
    """One line for the debug log: ``query meta=siteinfo|userinfo titles=3``."""
    params = _parameters_of(request)
    parts = [params.get("action", "?")]
    parts += [f"{name}={params[name]}" for name in DESCRIBED if params.get(name)]
    if params.get("titles"):
        parts.append(f"titles={len(params['titles'].split('|'))}")
    return " ".join(parts)


def _own_token_request():
    """pywikibot's Request, except that a ``badtoken`` answer is raised, not renewed by pywikibot:
    the token came from this client (see :meth:`WikiClient.write`), not from pywikibot's wallet,
    which would renew the wrong type."""
    from pywikibot.data import api

    class OwnTokenRequest(api.Request):
        def _bad_token(self, code) -> bool:
            return False

    return OwnTokenRequest


class WikiClient:
    """A logged-in-when-needed connection to one wiki, through a pywikibot ``APISite``."""

    def __init__(self, site, *, name: str, bot_user: str, password_file: str | None = None,
                 assert_bot: bool = True, wiki_id: str = "", counter: RequestCounter | None = None):
        """``counter``: the one that counted while ``site`` was made (:func:`counting_requests`), kept."""
        from pywikibot.comms import http

        self.site = site
        self.name = name  # "meta" or "dev"
        # Who the wiki is, for reports (undo refuses another wiki's): a dev wiki's own id; else the
        # wiki id of siteinfo, learnt with the run's first read (BotRun.start).
        self.wiki_id = wiki_id
        self.bot_user = bot_user
        self.assert_bot = assert_bot
        self._password_file = password_file
        self.counter = counter or RequestCounter()
        self.counter.host = urlsplit(site.base_url(site.apipath())).netloc
        self._hooks = http.session.hooks.setdefault("response", [])
        if self.counter not in self._hooks:
            self._hooks.append(self.counter)
        self._logged_in = False
        self._csrf: str | None = None  # our own CSRF token (pywikibot's wallet asks paraminfo twice, then every type)
        self._fault = _Fault(os.environ[FAULT_VARIABLE]) if os.environ.get(FAULT_VARIABLE) else None

    def close(self) -> None:
        if self.counter in self._hooks:
            self._hooks.remove(self.counter)

    @property
    def requests_made(self) -> int:
        return self.counter.count

    @property
    def api_url(self) -> str:
        return self.site.base_url(self.site.apipath())

    # -- requests -----------------------------------------------------------------------------
    def query(self, *, expected_warnings: tuple[str, ...] = (), **params: Any) -> dict:
        """A read request (``action=query`` unless given); returns the decoded answer.

        ``expected_warnings``: API modules whose warnings the caller expects and handles (pywikibot
        would print each one as a warning line on every run)."""
        params.setdefault("action", "query")
        return self._submit(params, write=False, expected_warnings=expected_warnings)

    def query_list(self, result: str, **params: Any) -> list[dict]:
        """The entries of a list module (``query[result]``), following the API's continuation."""
        entries: list[dict] = []
        while True:
            answer = self.query(**params)
            entries.extend(answer.get("query", {}).get(result, []))
            if "continue" not in answer:
                return entries
            params.update(answer["continue"])

    def write(self, **params: Any) -> dict:
        """A write request with the CSRF token, ``assert`` and the bot flag; needs :meth:`login`."""
        self.login()
        params["token"] = self._csrf_token()
        try:
            return self._submit(dict(params), write=True)
        except ApiError as error:
            if error.code != "badtoken":
                raise
            # The session behind the token ended: a fresh token, and the request once more.
            self._csrf = None
            params["token"] = self._csrf_token()
            return self._submit(params, write=True)

    def offer_token(self, token: str) -> None:
        """A CSRF token that came with another request (the run's first read), for the saves."""
        if token and token != "+\\":  # "+\\" is the anonymous token
            self._csrf = token

    def _csrf_token(self) -> str:
        if self._csrf is None:
            answer = self.query(meta="tokens", type="csrf")
            self._csrf = answer["query"]["tokens"]["csrftoken"]
        return self._csrf

    def _submit(self, params: dict, write: bool, expected_warnings: tuple[str, ...] = ()) -> dict:
        from pywikibot.exceptions import APIError, Error

        params.setdefault("formatversion", 2)
        interrupt.check()  # a signal stops the run here: between two requests, never inside a save
        try:
            with contextlib.nullcontext() if write else interrupt.interruptible():
                return self._send(params, write, expected_warnings)
        except APIError as error:
            if error.code in RUN_ERROR_CODES:
                raise RunAborted(f"{RUN_ERROR_CODES[error.code]} ({error.code}: {error.info})") from error
            raise ApiError(error.code, error.info) from error
        except (Error, OSError) as error:  # network or server failure (requests and pywikibot raise OSErrors)
            raise RunAborted(f"the wiki at {self.api_url} did not answer: {error}") from error

    def _send(self, params: dict, write: bool, expected_warnings: tuple[str, ...]) -> dict:
        from pywikibot.data import api

        request = (_own_token_request() if write else api.Request)(site=self.site, parameters=params)
        if expected_warnings:
            request._warning_handler = lambda module, text: module in expected_warnings
        if write:
            # pywikibot asserts "user"; a bot must never save without its bot flag either.
            request["assert"] = "bot" if self.assert_bot else "user"
        fault = self._fault
        point = fault.point_of(params["action"]) if fault else None
        if fault and point == "before":
            fault.die()
        if fault and point == "sent":  # the response hooks run before the answer's body is read
            self._hooks.append(fault.die)
        if point in HANG_POINTS:  # a request that hangs; the signal comes a moment after it starts
            threading.Timer(0.5, os.kill, (os.getpid(), HANG_POINTS[point])).start()
            time.sleep(HANG_SECONDS)
        answer = request.submit()
        if fault and point == "after":
            fault.die()
        if point in SIGNAL_POINTS:  # as if the signal came while the answer was being read
            os.kill(os.getpid(), SIGNAL_POINTS[point])
        return answer

    # -- session ------------------------------------------------------------------------------
    def login(self) -> None:
        """Log in with the configured BotPassword once; a failure aborts the run (exit 4)."""
        if self._logged_in:
            return
        from pywikibot import config
        from pywikibot.exceptions import Error

        if self._password_file:
            # pywikibot's password file is global; point it at this wiki's just before logging in.
            config.password_file = self._password_file
        before = self.requests_made
        try:
            self.site.login()
        except (Error, OSError) as error:
            raise RunAborted(f"login to {self.name} as {self.bot_user} failed: {error}") from error
        if not self.site.logged_in():
            raise RunAborted(f"login to {self.name} as {self.bot_user} failed")
        if self.requests_made != before:
            self._csrf = None  # a new session: a token offered before it is not valid in it
        info = self.site.userinfo
        if "blockid" in info or info.get("blockedby"):
            raise RunAborted(f"{self.bot_user} is blocked: {info.get('blockreason', 'no reason given')}")
        if self.assert_bot and "bot" not in info.get("groups", ()):
            raise RunAborted(f"{self.bot_user} is not in the bot group; ask a bureaucrat for the flag")
        self._logged_in = True

    def take_session_info(self, userinfo: dict) -> None:
        """The session's ``meta=userinfo`` as a read just answered it, with the properties pywikibot asks
        for itself (:data:`USERINFO_PROPS`), given to pywikibot as its own: it then knows who the
        session is without asking (its login, the rights, a save's user check)."""
        if userinfo.get("name") and "rights" in userinfo:
            self.site._userinfo = userinfo  # what pywikibot's userinfo property stores

    def namespaces(self) -> list[tuple[str, list[str]]]:
        """The wiki's namespaces: each one's name and its other names (canonical name, aliases), from
        the site info pywikibot asks for when it first talks to the wiki (no request of its own after)."""
        return [(space.custom_name, [space.canonical_name, *space.aliases])
                for space in self.site.namespaces.values()]

    def session_rights(self) -> frozenset[str]:
        """The rights of the session the requests are made in, as pywikibot learnt them when it first
        talked to the wiki or at login (no login, no request of its own after that)."""
        return frozenset(self.site.userinfo.get("rights", ()))

    def rights(self) -> frozenset[str]:
        """The bot account's rights (logs in first)."""
        self.login()
        return frozenset(self.site.userinfo.get("rights", ()))
