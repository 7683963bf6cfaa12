"""The dev wiki itself: lifecycle, accounts, the pywikibot configuration it writes, the Translate shim."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
import urllib.parse
import urllib.request

import pytest

from advocacy_bot.devwiki.manager import DevWiki, DevWikiError

from ..conftest import free_port, require_mediawiki, require_shared
from .helpers import seed, unique_root

pytestmark = pytest.mark.devwiki


def api(wiki: DevWiki, **params) -> dict:
    params.setdefault("action", "query")
    params.update(format="json", formatversion=2)
    url = wiki.info().api_url + "?" + urllib.parse.urlencode(params)
    with urllib.request.urlopen(url, timeout=30) as answer:
        return json.load(answer)


def test_up_is_harmless_on_a_running_wiki_and_down_stops_it(tmp_path):
    require_mediawiki()
    wiki = DevWiki(tmp_path / "wiki", log=lambda message: None)
    port = free_port()
    first = wiki.up(port=port)
    pid = wiki.running_pid()
    again = wiki.up()
    assert again == first and wiki.running_pid() == pid
    assert api(wiki, meta="siteinfo")["query"]["general"]["sitename"] == "Advocacy Dev Wiki"
    other = DevWiki(tmp_path / "other", log=lambda message: None)
    other.up(port=free_port())  # a second wiki side by side
    assert other.info().wiki_id != wiki.info().wiki_id  # reports of one are never undone on the other
    assert api(other, meta="siteinfo")["query"]["general"]["servername"] == "127.0.0.1"
    assert wiki.down() and other.down()
    assert wiki.running_pid() is None and not wiki.down()
    wiki.up()  # starts again on the recorded port, same content
    assert wiki.info().port == port
    wiki.down()


def test_a_port_another_program_holds_is_left_for_a_free_one(tmp_path):
    # Issue 16: `bash bin/demo` failed after 17 s when 8089 was taken ("choose one with --port").
    import socket

    require_mediawiki()
    said = []
    wiki = DevWiki(tmp_path / "wiki", log=said.append)
    port = free_port()
    wiki.up(port=port)
    identity = wiki.info().wiki_id
    wiki.down()
    with socket.socket() as holder:  # another program takes the wiki's port meanwhile
        holder.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        holder.bind(("127.0.0.1", port))
        holder.listen()
        try:
            info = wiki.up()
            assert info.port != port and f"port {port} is in use by another program" in said[-1]
            assert info.wiki_id == identity  # what reports name the wiki by does not follow the port
            assert api(wiki, meta="siteinfo")["query"]["general"]["sitename"] == "Advocacy Dev Wiki"
            with pytest.raises(DevWikiError, match="already in use"):  # a port the user names is not replaced
                wiki.down()
                wiki.up(port=port)
        finally:
            wiki.down()


def test_accounts_and_private_configuration(devwiki):
    users = api(devwiki, list="users", ususers="Admin|AdvocacyBot", usprop="groups")["query"]["users"]
    groups = {user["name"]: set(user["groups"]) for user in users}
    assert "sysop" in groups["Admin"] and "bot" in groups["AdvocacyBot"]
    config_dir = devwiki.info().pywikibot_dir
    # LocalSettings.php holds $wgSecretKey (issue 15: it was 0644)
    for private in (config_dir / "user-password.py", devwiki.directory / "credentials.json", devwiki.local_settings):
        assert stat.S_IMODE(private.stat().st_mode) == 0o600
    assert "BotPassword('advocacybot'" in (config_dir / "user-password.py").read_text()
    assert devwiki.info().api_url in (config_dir / "user-config.py").read_text()


def test_pywikibot_uses_the_written_configuration_and_the_family_file(devwiki):
    """pywikibot, in its own process, logs in with the BotPassword from the dev wiki's folder."""
    code = (
        "import pywikibot\n"
        "site = pywikibot.Site('advocacydev', 'advocacydev')\n"
        "site.login()\n"
        "print(site.user(), site.has_group('bot'), site.base_url(site.apipath()))\n"
    )
    env = dict(os.environ, PYWIKIBOT_DIR=str(devwiki.info().pywikibot_dir),
               ADVOCACY_DEVWIKI_DIR=str(devwiki.directory))
    # the written user-config names the port-specific family; the family file gives the same wiki
    result = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, env=env,
                            timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["AdvocacyBot", "True", devwiki.info().api_url]


def rendered(wiki: DevWiki, title: str) -> str:
    """The page's HTML without the comments that name its revision and the parser cache."""
    html = api(wiki, action="parse", page=title, prop="text", disablelimitreport=1,
               disableeditsection=1)["parse"]["text"]
    return re.sub(r"<!--.*?-->", "", html, flags=re.DOTALL)


@pytest.mark.parametrize("case", ["Simple", "SimpleWithMarker", "HeaderSection", "Inline", "Variables",
                                  "NowikiInside"])
def test_translate_shim_renders_like_an_untranslated_translate_page(devwiki, case):
    folder = require_shared("conformance", "translate")  # skipped without the shared folder, failed in CI
    root = unique_root("Shim")
    source = (folder / f"{case}.ptfile").read_text()
    target = (folder / f"{case}.pttarget").read_text()
    seed(devwiki, {f"{root}/Source": source, f"{root}/Target": target})
    assert rendered(devwiki, f"{root}/Source") == rendered(devwiki, f"{root}/Target")


def test_translate_shim_in_a_transcluded_template(devwiki):
    """Transcluded markup renders as the real Translate renders it: stripped only from a template that
    counts as marked with transclusion (every unit has a marker), literal from any other."""
    root = unique_root("Shim template")
    seed(devwiki, {
        f"Template:{root}/Marked": '<div class="nav"><span data-key="faq"><translate><!--T:1--> FAQ</translate>'
                                   "</span></div>",
        f"Template:{root}/Unmarked": '<span data-key="about"><translate>About</translate></span>',
        root: f"<languages/>\n{{{{{root}/Marked}}}}\n{{{{{root}/Unmarked}}}}\nText.",
    })
    html = rendered(devwiki, root)
    assert '<span data-key="faq">FAQ</span>' in html
    assert '<span data-key="about">&lt;translate&gt;About&lt;/translate&gt;</span>' in html
    assert "mw-pt-languages" not in html  # no language subpages yet: <languages/> shows nothing
    seed(devwiki, {f"Template:{root}/Marked/en": '<span data-key="faq">FAQ (last marked)</span>',
                   f"{root}/de": f"{{{{{root}/Marked}}}}"})
    assert '<span data-key="faq">FAQ (last marked)</span>' in rendered(devwiki, f"{root}/de")
    bar = rendered(devwiki, root)
    assert "Other languages:" in bar and bar.index(">Deutsch<") < bar.index(">English<")


def test_translate_tools_refuse_on_the_shim_and_a_bad_translate_dir_changes_nothing(devwiki, tmp_path):
    """`devwiki mark|translate` need the real Translate; `up --translate-dir` with a folder that lacks
    it stops before touching the wiki (exit 4, naming what is missing); `jobs` works on any dev wiki."""
    from .test_cli import cli

    for args in (["mark", "Some page"], ["translate", "Some page", "1", "ja", "テキスト"]):
        result = cli("devwiki", *args, devwiki=devwiki)
        assert result.returncode == 4, result
        assert "runs the Translate shim" in result.stderr and "--translate-dir" in result.stderr
    (tmp_path / "Translate").mkdir()
    (tmp_path / "Translate" / "extension.json").write_text("{}")
    result = cli("devwiki", "up", "--translate-dir", str(tmp_path), devwiki=devwiki)
    assert result.returncode == 4
    assert "has no UniversalLanguageSelector/extension.json:" in result.stderr
    assert devwiki.translate_dir is None and devwiki.running_pid()
    jobs = cli("devwiki", "jobs", devwiki=devwiki)
    assert jobs.returncode == 0 and jobs.stdout.strip().endswith("jobs run")
    assert cli("devwiki", "up", "--shim", "--translate-dir", str(tmp_path), devwiki=devwiki).returncode == 2


def test_a_saved_database_comes_back_exactly_while_the_server_keeps_running(devwiki, tmp_path):
    """save_database / restore_database (the reliability lab and the benchmark start every case from a
    saved wiki) copy through SQLite's backup: the server is not restarted, and the pages, their
    histories and a page created meanwhile are as they were at the save."""
    from .helpers import read_back

    root = unique_root("Restore")
    seed(devwiki, {f"{root}/Kept": "before"})
    pid = devwiki.running_pid()
    devwiki.save_database(tmp_path / "saved")
    devwiki.edit_as("Admin", f"{root}/Kept", "after", "changed after the save")
    devwiki.edit_as("Admin", f"{root}/New", "new", "created after the save")
    assert read_back(devwiki, f"{root}/Kept")[f"{root}/Kept"].text == "after"

    devwiki.restore_database(tmp_path / "saved")
    assert devwiki.running_pid() == pid  # the same server answers
    pages = read_back(devwiki, f"{root}/Kept", f"{root}/New")
    assert pages[f"{root}/Kept"].text == "before" and not pages[f"{root}/New"].exists
    history = api(devwiki, action="query", prop="revisions", titles=f"{root}/Kept", rvlimit="max")
    assert len(history["query"]["pages"][0]["revisions"]) == 1

    (tmp_path / "other").mkdir()
    with pytest.raises(DevWikiError, match="does not hold this wiki's databases"):
        devwiki.restore_database(tmp_path / "other")  # an empty folder never replaces the wiki
    assert read_back(devwiki, f"{root}/Kept")[f"{root}/Kept"].text == "before"
