"""The reliability suite's own dev wiki (its database is put back between cases, so it is not the
session's shared wiki)."""

from __future__ import annotations

import pytest

from ..conftest import free_port, require_mediawiki
from .lab import start_lab


@pytest.fixture(scope="package")
def lab(tmp_path_factory):
    require_mediawiki()
    lab = start_lab(tmp_path_factory.mktemp("reliability"), free_port())
    yield lab
    lab.wiki.down()
