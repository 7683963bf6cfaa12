"""Test setup shared by every test.

pywikibot reads its configuration folder when first imported, so a private folder is chosen here,
before any test module imports it: tests never touch an operator's own pywikibot setup.
"""

from __future__ import annotations

import os
import shutil
import socket
import tempfile
from pathlib import Path

import pytest

_PYWIKIBOT_DIR = tempfile.mkdtemp(prefix="advocacy-test-pywikibot-")
# An empty user-config.py makes pywikibot keep its caches and cookies in this folder, not the cwd.
Path(_PYWIKIBOT_DIR, "user-config.py").write_text("")
os.environ["PYWIKIBOT_DIR"] = _PYWIKIBOT_DIR

REPO = Path(__file__).resolve().parents[1]
# The project's shared folder: Translate's own parser test files and the original recordings. CI lays a
# copy beside the clone; $ADVOCACY_SHARED_DIR names another place.
SHARED = Path(os.environ.get("ADVOCACY_SHARED_DIR") or REPO.parent / "shared")


def require_shared(*parts: str) -> Path:
    """``SHARED/parts``, or skip where it is missing, but never in CI, which has the shared folder: a check
    whose data is gone must fail there, not shrink silently."""
    path = SHARED.joinpath(*parts)
    if path.exists():
        return path
    message = f"{path} is missing (set ADVOCACY_SHARED_DIR to the shared folder)"
    if os.environ.get("CI"):
        pytest.fail(f"CI lays the shared folder beside the clone: {message}")
    pytest.skip(message)


@pytest.fixture(autouse=True)
def _standard_namespaces():
    """A run spells titles with its wiki's namespace names from then on (BotRun.start); each test
    starts from the standard names, whatever a test before it in this process talked to."""
    from advocacy_bot.wikitext import titles

    titles.use_site_namespaces(titles.Namespaces.standard())
    yield


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def mediawiki_available() -> bool:
    return shutil.which("php") is not None and Path("/usr/share/mediawiki/maintenance/install.php").exists()


def require_mediawiki() -> None:
    """Skip where PHP and Debian's mediawiki are absent, but never in CI, which installs them."""
    if mediawiki_available():
        return
    if os.environ.get("CI"):
        pytest.fail("CI must install php and mediawiki (.ci/run does); the live-wiki tests cannot be skipped there")
    pytest.skip("needs Debian's mediawiki and php-cli (`advocacy-bot devwiki up` installs them as root)")


@pytest.fixture(scope="session")
def devwiki(tmp_path_factory):
    """A real MediaWiki on a free port, started by the project's own code; stopped at the end."""
    require_mediawiki()
    from advocacy_bot.devwiki.manager import DevWiki

    wiki = DevWiki(tmp_path_factory.mktemp("devwiki"), log=lambda message: None)
    wiki.up(port=free_port())
    yield wiki
    wiki.down()


TRANSLATE_DIR_VARIABLE = "ADVOCACY_TRANSLATE_DIR"


def require_real_translate() -> Path:
    """The folder named by $ADVOCACY_TRANSLATE_DIR (checkouts Translate/ and UniversalLanguageSelector/,
    branch REL1_39), or skip: Translate is not packaged by Debian, so CI replays recordings instead."""
    folder = os.environ.get(TRANSLATE_DIR_VARIABLE)
    if not folder:
        pytest.skip(f"needs the real Translate extension: set {TRANSLATE_DIR_VARIABLE} to a folder holding "
                    "Translate/ and UniversalLanguageSelector/ (REL1_39); CI replays the recordings instead")
    require_mediawiki()
    return Path(folder)


@pytest.fixture(scope="session")
def real_translate_wiki(tmp_path_factory):
    """A dev wiki running the real Translate (``devwiki up --translate-dir``); stopped at the end."""
    folder = require_real_translate()
    from advocacy_bot.devwiki.manager import DevWiki

    wiki = DevWiki(tmp_path_factory.mktemp("real-translate-wiki"), log=lambda message: None)
    wiki.up(port=free_port(), translate_dir=folder)
    yield wiki
    wiki.down()
