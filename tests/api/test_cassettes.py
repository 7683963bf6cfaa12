"""API-level tests replayed from cassettes recorded on the dev wiki (no PHP needed to run them).

Re-record (needs PHP and Debian's mediawiki): ``ADVOCACY_RECORD_CASSETTES=1 pytest tests/api``.
The recording starts its own dev wiki, seeds it with ``CASSETTE_PAGES`` and reads it anonymously;
cookies, passwords and tokens are filtered out before anything is written.
"""

from __future__ import annotations

import math
import os
import re
from pathlib import Path

import pytest

from advocacy_bot.report import RunReport
from advocacy_bot.settings import default_settings
from advocacy_bot.tree import classify
from advocacy_bot.wiki.session import BotRun

from .. import recording
from ..conftest import free_port, require_mediawiki

CASSETTES = Path(__file__).resolve().parents[1] / "cassettes"
RECORD = os.environ.get("ADVOCACY_RECORD_CASSETTES") == "1"
ROOT = "Global Advocacy"
CASSETTE_PAGES = {
    ROOT: "<languages/>\n<translate>\n<!--T:1-->\nWelcome.\n</translate>",
    f"{ROOT}/da": "Velkommen.",
    f"{ROOT}/FAQ": "<translate><!--T:1--> Questions</translate>",
    f"{ROOT}/FAQ/ja": "質問",
    f"{ROOT}/Notes": "plain notes",
    f"{ROOT}/Notes/ru": "not a translation: Notes is not translatable",
    f"{ROOT}/Resources": f"#REDIRECT [[{ROOT}/FAQ]]",
    f"Talk:{ROOT}": "== Thread ==\nHello. 12:30, 5 May 2024 (UTC)",
    f"Talk:{ROOT}/Archive 1": "== Old ==",
    f"Template:{ROOT}/Header": "<translate>Home</translate>",
    f"{ROOT} Extra": "not in the tree",
    **{f"{ROOT}/Bulk/{i:03d}": f"bulk page {i}" for i in range(60)},
}


def cassette(name: str, **options):
    """The cassette ``name``, recorded when ADVOCACY_RECORD_CASSETTES=1 (see ``tests/recording.py``)."""
    return recording.cassette(CASSETTES / f"{name}.yaml", record=RECORD, **options)


@pytest.fixture
def api_url(tmp_path_factory):
    """The live wiki's URL while recording; any URL when replaying (the port is not matched)."""
    if not RECORD:
        yield "http://127.0.0.1:8089/api.php"
        return
    require_mediawiki()
    from advocacy_bot.devwiki.manager import DevWiki

    from ..integration.helpers import seed

    wiki = DevWiki(tmp_path_factory.mktemp("cassette-wiki"), log=lambda message: None)
    wiki.up(port=free_port())
    seed(wiki, CASSETTE_PAGES)
    yield wiki.info().api_url
    wiki.down()


def test_tree_is_read_in_batches_and_classified(api_url):
    with cassette("tree-read"):
        client = recording.anonymous_client(api_url, "advocacycassettetree")
        run = BotRun(client, default_settings(), RunReport("tree", "dev", True), dry_run=True)  # reads as anyone
        run.start()
        session = client.requests_made
        pages, listing = run.read_tree()
        facts = run.site_facts
        entries = classify(pages.values(), ROOT, facts.languages, facts.content_language, run.translatable_pages())
        reading = client.requests_made - session
        client.close()

    in_tree = [title for title in CASSETTE_PAGES if title != f"{ROOT} Extra"]
    assert sorted(e.title for e in entries) == sorted(in_tree)
    kinds = {e.title: (e.kind, e.language) for e in entries}
    assert kinds[ROOT] == ("source", "en")
    assert kinds[f"{ROOT}/da"] == ("translation", "da")
    assert kinds[f"{ROOT}/FAQ/ja"] == ("translation", "ja")
    assert kinds[f"{ROOT}/Notes/ru"] == ("translation", "ru")  # by its title: Notes is in the tree
    assert kinds[f"{ROOT}/Resources"] == ("redirect", "-")
    assert kinds[f"Talk:{ROOT}/Archive 1"] == ("archive", "en")
    assert kinds[f"Template:{ROOT}/Header"] == ("template", "en")
    assert sorted(title for titles in listing.values() for title in titles) == sorted(in_tree)
    # The site facts and the main namespace's listing came with start(); the root is not read twice.
    # The talk and template listings ride on the two content batches the main namespace needs
    # (ceil(65 / 49)); the template the second one found costs one batch more.
    main = [title for title in in_tree if ":" not in title and title != ROOT]
    assert reading == math.ceil(len(main) / 49) + 1 == 3


def test_cassettes_hold_no_secrets():
    files = sorted(CASSETTES.rglob("*.yaml"))
    assert files, "no cassettes recorded"
    for path in files:
        text = path.read_text(encoding="utf-8")
        assert not re.search(r"(?i)set-cookie|lgpassword=[^&\s]|[?&]token=[0-9a-f]{8}", text), path


def test_a_request_the_cassette_lacks_fails_at_once_in_a_replay():
    """pywikibot takes vcrpy's refusal for a network failure and would retry it for minutes; in a
    replay it gets no retries, so a cassette that no longer matches the code fails the test at once."""
    from pywikibot import config

    if RECORD:
        pytest.skip("a check of the replay; recording sends every request to the wiki")
    before = config.max_retries
    with cassette("tree-read"):
        retries_in_replay = config.max_retries
        with pytest.raises(Exception, match="Maximum retries attempted"):  # pywikibot's, not ours
            # pywikibot's first question (the session's user info, for a new family) is not there either
            client = recording.anonymous_client("http://127.0.0.1:9/w/api.php", "advocacymissingcall")
            client.query(list="allpages", apnamespace=99)
    assert retries_in_replay == 0 and config.max_retries == before
