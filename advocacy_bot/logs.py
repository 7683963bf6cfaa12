"""Log lines for operators and Toolforge's log files: one structured line per event, secrets masked.

A line reads ``TIME LEVEL task=TASK page=PAGE action=ACTION message`` (``-`` for a field that does
not apply; a value with spaces is quoted), for example::

    2026-11-22T01:30:05Z INFO task=nav+staff page="Global Advocacy" action=save r12 -> r15: ...

``page`` and ``action`` come from the ``extra`` of a log call; ``task`` from there or from the task
that is running (:func:`task_context`). Every line, and everything else the command line prints about
a run, passes :func:`mask` first: passwords, cookies and tokens never reach a terminal or a log
file, whatever the verbosity.
"""

from __future__ import annotations

import logging
import re
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

_task: ContextVar[str] = ContextVar("advocacy_bot_task", default="-")
MASK = "*****"
_known_secrets: set[str] = set()

# A value after "name=" or "name": quoted (up to its closing quote) or bare.
_VALUE = r"""(?:"[^"\n]*"|'[^'\n]*'|[^\s"'&,;)}]+)"""
# Each pattern keeps its group 1 (the name) and masks what follows.
_PATTERNS = [
    # password=..., "lgpassword": "...", passwd: ...
    re.compile(r"""((?:lg|bot)?pass(?:word|wd)?["']?\s*[:=]\s*)""" + _VALUE, re.I),
    # BotPassword('app', 'secret') as in pywikibot's password file
    re.compile(r"""(BotPassword\(\s*["'][^"']*["']\s*,\s*["'])[^"']+""", re.I),
    # token=..., "csrftoken": "...", lgtoken, logintoken, X-Token: ...
    re.compile(r"""(\w*token["']?\s*[:=]\s*)""" + _VALUE, re.I),
    # Cookie: a=b; c=d / Set-Cookie: ... (the whole header value)
    re.compile(r"""((?:set-)?cookie["']?\s*[:=]\s*["']?)[^\n"']+""", re.I),
    # session cookies by name: wiki_session=..., centralauth_Token=..., ...UserID=...
    re.compile(r"""(\w*(?:session|_token|userid|username|loggedout)=)[^;\s&"']+""", re.I),
    # Authorization: Bearer ... / OAuth ...
    re.compile(r"""(authorization["']?\s*[:=]\s*["']?)[^\n"']+""", re.I),
]
# A MediaWiki token on its own: hex digits and "+\" (also URL-encoded).
_BARE_TOKEN = re.compile(r"\b[0-9a-f]{32,}(?:\+\\\\?|%2B%5C)", re.I)


def register_secret(value: str | None) -> None:
    """Mask this exact value wherever it appears (e.g. a BotPassword the program itself read)."""
    if value and len(value) >= 6:
        _known_secrets.add(value)


def mask(text: str) -> str:
    """``text`` with every password, cookie and token value replaced by ``*****``."""
    for secret in _known_secrets:
        text = text.replace(secret, MASK)
    text = _BARE_TOKEN.sub(MASK, text)
    for pattern in _PATTERNS:
        text = pattern.sub(lambda match: match.group(1) + MASK, text)
    return text


class SecretFilter(logging.Filter):
    """Masks secrets in a record's message and traceback before any handler formats it."""

    def filter(self, record: logging.LogRecord) -> bool:
        record.msg = mask(record.getMessage())
        record.args = ()
        if record.exc_info:
            record.exc_text = mask(logging.Formatter().formatException(record.exc_info))
            record.exc_info = None
        return True


class StructuredFormatter(logging.Formatter):
    """``TIME LEVEL task=... page=... action=... message`` in UTC."""

    converter = time.gmtime  # type: ignore[assignment]  # logging calls it with one argument: gmtime takes it

    def format(self, record: logging.LogRecord) -> str:
        stamp = self.formatTime(record, "%Y-%m-%dT%H:%M:%SZ")
        fields = " ".join(f"{name}={_value(getattr(record, name, None) or default)}"
                          for name, default in (("task", _task.get()), ("page", "-"), ("action", "-")))
        line = f"{stamp} {record.levelname} {fields} {record.getMessage()}"
        if record.exc_info and not record.exc_text:
            record.exc_text = self.formatException(record.exc_info)
        if record.exc_text:
            line += "\n" + record.exc_text
        return mask(line)


def _value(value: object) -> str:
    text = str(value)
    return f'"{text}"' if (" " in text or not text) else text


@contextmanager
def task_context(task: str) -> Iterator[None]:
    """Log lines written inside name ``task`` unless they name one themselves."""
    token = _task.set(task)
    try:
        yield
    finally:
        _task.reset(token)


def setup_logging(verbose: int, stream=None) -> logging.Handler:
    """One masked, structured handler on stderr for the bot's logs (and, with ``-vv``, everyone's).

    ``-v``: the bot's INFO lines (each save, skip and failure); ``-vv``: DEBUG, including the HTTP
    libraries' lines. Without ``-v``: warnings and errors only.
    """
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(StructuredFormatter())
    handler.addFilter(SecretFilter())
    root = logging.getLogger()
    root.handlers[:] = [h for h in root.handlers if not getattr(h, "_advocacy_bot", False)] + [handler]
    handler._advocacy_bot = True  # type: ignore[attr-defined]
    root.setLevel(logging.DEBUG if verbose > 1 else logging.WARNING)
    bot = logging.getLogger("advocacy_bot")
    bot.handlers.clear()  # records reach the root handler; none is printed twice
    bot.propagate = True
    bot.setLevel(logging.DEBUG if verbose > 1 else logging.INFO if verbose else logging.WARNING)
    return handler


def guard_pywikibot_logging() -> None:
    """pywikibot prints through handlers of its own (logger ``pywiki``, not propagated): make them now
    and give each the same secret filter."""
    from pywikibot import bot

    bot.init_handlers()
    for handler in logging.getLogger("pywiki").handlers:
        if not any(isinstance(f, SecretFilter) for f in handler.filters):
            handler.addFilter(SecretFilter())
