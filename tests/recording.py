"""vcrpy cassettes of API answers: matched on the API parameters, never on their order, the port or a token.

A cassette is replayed by any test that makes the same API calls in any order; recording writes it
with cookies, passwords and tokens filtered out.
"""

from __future__ import annotations

import contextlib
from pathlib import Path
from urllib.parse import parse_qsl, urlsplit

import vcr

SECRET_PARAMETERS = ("lgpassword", "lgtoken", "token", "password", "logintoken")
VOLATILE_PARAMETERS = set(SECRET_PARAMETERS) | {"maxlag"}


def api_parameters(request) -> list[tuple[str, str]]:
    """A request's parameters (query string and form body), sorted, without secrets and ``maxlag``."""
    body = request.body or b""
    if isinstance(body, bytes):
        body = body.decode("utf-8")
    pairs = parse_qsl(urlsplit(request.uri).query) + parse_qsl(body)
    return sorted((key, value) for key, value in pairs if key not in VOLATILE_PARAMETERS)


def _same_api_call(first, second) -> None:
    """Match on the API parameters, not on the port the recording wiki happened to use."""
    assert urlsplit(first.uri).path == urlsplit(second.uri).path
    assert api_parameters(first) == api_parameters(second)


def scrub_response(response):
    headers = response.get("headers", {})
    for name in list(headers):
        if name.lower() in ("set-cookie", "cookie"):
            del headers[name]
    return response


@contextlib.contextmanager
def cassette(path: Path, record: bool, **options):
    """The cassette at ``path``: recorded (overwritten) when ``record``, else replayed strictly;
    ``options`` go to ``use_cassette`` (e.g. ``before_record_request``). In a replay, a request the
    cassette does not hold fails the test at once: pywikibot would take it for a network failure and
    retry it for minutes."""
    recorder = vcr.VCR(
        cassette_library_dir=str(path.parent),
        record_mode="all" if record else "none",
        filter_headers=["cookie", "authorization"],
        filter_post_data_parameters=list(SECRET_PARAMETERS),
        before_record_response=scrub_response,
        decode_compressed_response=True,
    )
    recorder.register_matcher("api_call", _same_api_call)
    from pywikibot import config

    retries = config.max_retries
    if not record:
        config.max_retries = 0
    try:
        with recorder.use_cassette(path.name, match_on=["method", "api_call"], **options) as tape:
            yield tape
    finally:
        config.max_retries = retries


def anonymous_client(api_url: str, family: str):
    """The bot's client on ``api_url``, not logged in (a family of its own, so pywikibot's caches never mix)."""
    import pywikibot
    from pywikibot import config

    from advocacy_bot.wiki.client import WikiClient

    config.family_files[family] = api_url
    config.put_throttle = 0
    return WikiClient(pywikibot.Site(family, family), name="dev", bot_user="AdvocacyBot")
