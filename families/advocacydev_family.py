"""pywikibot family file for advocacy-bot's dev wiki (``pwb.py -family:advocacydev``).

The address is read from the dev wiki's own configuration, ``devwiki.json`` in the folder named by
``$ADVOCACY_DEVWIKI_DIR`` (default ``.devwiki``), so the family follows ``devwiki up --port N``.
Register this folder in ``user-config.py``: ``user_families_paths = ['/path/to/advocacy-bot/families']``.
Meta-Wiki needs no family file: it is pywikibot's built-in ``meta`` family.
"""

import json
import os
from pathlib import Path

from pywikibot import family


def _devwiki_port() -> int:
    folder = Path(os.environ.get("ADVOCACY_DEVWIKI_DIR") or ".devwiki")
    state = folder / "devwiki.json"
    if not state.exists():
        raise RuntimeError(f"no dev wiki in {folder.resolve()}: run `advocacy-bot devwiki up` first")
    return int(json.loads(state.read_text())["port"])


class Family(family.SingleSiteFamily):
    name = "advocacydev"
    domain = f"127.0.0.1:{_devwiki_port()}"

    def protocol(self, code):
        return "http"

    def scriptpath(self, code):
        return ""
