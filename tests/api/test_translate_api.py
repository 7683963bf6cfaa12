"""``translate mark`` and ``translate status`` against a wiki running Translate, replayed from cassettes.

Debian has no Translate, so the cassettes are built from the real Translate responses recorded in
``tests/cassettes/translate-recorded/`` (a copy of ``shared/recorded/translate``; README there): a
recording starts a dev wiki seeded with the recorded pages and puts a small proxy in front of it. The
proxy passes every request to the dev wiki (logins, tokens, reads and edits are real) except Translate's
own, which it answers from the recordings:

- ``meta=messagegroups``, ``meta=messagegroupstats``, ``list=messagecollection``: the recorded answers
  (recorded after the remarking; while the wiki holds the page as it was before, the collection is the
  one of the marking before, as the recordings' README tells it: no unit 5, unit 3 was "Resources");
- ``meta=siteinfo`` lists the recorded Translate extension; the bot's rights gain ``pagetranslation``
  where a scenario says so (Translate's right, unknown to a wiki without it);
- ``action=paraminfo`` for ``markfortranslation`` and ``action=markfortranslation`` itself: shaped as
  FACTS.md section 2 gives them (the REL1_39 recordings predate the API module). Its success saves what
  Translate saved when the page was marked (``source-after-remark``), as the marking user.

Re-record (needs PHP and Debian's mediawiki): ``ADVOCACY_RECORD_CASSETTES=1 pytest tests/api``.
"""

from __future__ import annotations

import json
import re
import threading
import urllib.error
import urllib.request
from dataclasses import replace
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qsl, urlencode, urlsplit

import pytest

from advocacy_bot.jobs.translate import mark_tree, status_tree
from advocacy_bot.report import RunReport
from advocacy_bot.settings import default_settings
from advocacy_bot.ownership import mark_comment
from advocacy_bot.tasks import translate_status as status
from advocacy_bot.wiki.client import WikiClient
from advocacy_bot.wiki.session import BotRun

from .. import recording
from ..conftest import free_port, require_mediawiki
from .test_cassettes import CASSETTES, RECORD, cassette

RECORDED = CASSETTES / "translate-recorded"
ROOT = "Global Advocacy/Header"  # the tree of the recordings: the header template and its translations
HEADER = "Template:Global Advocacy/Header"
BOT = "AdvocacyBot"
STATUS = f"User:{BOT}/Translation status"


def recorded(name: str) -> dict:
    return json.loads((RECORDED / f"{name}.json").read_text(encoding="utf-8"))


def language_stats(by_language: list[dict], language: str) -> list[dict]:
    """``meta=languagestats`` of the recordings' wiki in ``language``: the recorded header's numbers
    (``meta=messagegroupstats``, one entry a language) in the shape Translate gives one language's
    (one entry a message group, named by ``group``; the shape recorded from the real Translate in
    ``tests/recorded/real-translate/demo-flow.json``). The recordings' wiki holds the one group."""
    return [{"group": f"page-{HEADER}", **{key: entry[key] for key in ("total", "translated", "fuzzy", "proofread")}}
            for entry in by_language if entry["code"] == language]


def recorded_text(name: str) -> str:
    return recorded(name)["response"]["query"]["pages"][0]["revisions"][0]["slots"]["main"]["content"]


BEFORE, AFTER = recorded_text("source-before-remark"), recorded_text("source-after-remark")
TRANSLATIONS = {f"{HEADER}/ru": recorded_text("translation-page-ru"), f"{HEADER}/ja": recorded_text("translation-page-ja")}


def last_marked_before(collection: list[dict]) -> list[dict]:
    """The recorded collection as it was before the remarking (README step 3): without unit 5, and
    unit 3 as last marked then."""
    older = {"Template:Global_Advocacy/Header/3": "Resources"}
    return [{**entry, "definition": older.get(entry["key"], entry["definition"])} for entry in collection
            if entry["key"] != "Template:Global_Advocacy/Header/5"]


def ja_collection(ru: list[dict]) -> list[dict]:
    """Japanese as the recordings have it (README step 2, ``translation-page-ja``): units 1 and 2
    translated, none outdated, the rest untranslated; definitions as in the recorded ru collection."""
    ja = {"Template:Global_Advocacy/Header/1": "メインページ", "Template:Global_Advocacy/Header/2": "概要"}
    return [{**entry, "translation": ja.get(entry["key"]), "tags": [],
             "properties": {**entry.get("properties", {}),
                            "status": "translated" if entry["key"] in ja else "untranslated"}} for entry in ru]


# FACTS.md section 2: the answer of action=markfortranslation, and its refusal without the right.
MARK_SUCCESS = {"markfortranslation": {"result": "Success", "firstmark": False, "unitcount": 5}}
MARK_DENIED = {"error": {"code": "permissiondenied", "info": recorded("mark-denied")["response"]["page_text"]}}
MARK_MODULE = {"paraminfo": {"helpformat": "none", "modules": [{
    "name": "markfortranslation", "path": "markfortranslation", "group": "action", "prefix": "",
    "source": "Translate", "sourcename": "Translate", "mustbeposted": True, "writerights": True,
    "parameters": [{"name": name} for name in (
        "title", "pageid", "revid", "translatetitle", "prioritylanguages", "forcepriority", "priorityreason",
        "nofuzzyunits", "fuzzyunits", "forcelatestsyntaxversion", "transclusion", "token")]}]}}


# -- recording: a dev wiki behind a proxy that answers Translate's requests from the recordings ------

class TranslateProxy:
    def __init__(self, wiki, scenario: str):
        self.wiki = wiki
        self.upstream = wiki.info().api_url
        self.scenario = scenario
        self.server = ThreadingHTTPServer(("127.0.0.1", free_port()), self._handler())
        threading.Thread(target=self.server.serve_forever, daemon=True).start()
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/api.php"

    def close(self):
        self.server.shutdown()

    def answer(self, params: dict, forward) -> dict:
        action = params.get("action", "query")
        if action == "paraminfo" and params.get("modules") == "markfortranslation":
            return MARK_MODULE if self.scenario != "no-module" else forward(params)
        if action == "markfortranslation":
            if self.scenario == "denied":
                return MARK_DENIED
            self.wiki.edit_as(BOT, params["title"], AFTER, "Marked this version for translation")
            return MARK_SUCCESS
        meta = [m for m in params.get("meta", "").split("|") if m]
        ours = {"messagegroups": "messagegroups-pages", "messagegroupstats": "messagegroupstats",
                "languagestats": "messagegroupstats"}
        wanted = [ours[m] for m in meta if m in ours]
        if params.get("list") == "messagecollection":
            wanted.append("messagecollection-ru")  # ja: derived below; every other language: ru's definitions
        rest = {k: v for k, v in params.items() if not k.startswith(("mg", "mc", "ls"))
                and not (k == "list" and v == "messagecollection")}
        if wanted:
            rest["meta"] = "|".join(m for m in meta if m not in ours)
            if not rest["meta"]:
                del rest["meta"]
        answer = forward(rest)
        query = answer.setdefault("query", {})
        for name in wanted:
            query.update(recorded(name)["response"]["query"])
        if "languagestats" in meta:
            query["languagestats"] = language_stats(query.pop("messagegroupstats"), params["lslanguage"])
        if "messagecollection" in query and self.wiki_text() == BEFORE:
            query["messagecollection"] = last_marked_before(query["messagecollection"])
        if "messagecollection" in query and params.get("mclanguage") == "ja":
            query["messagecollection"] = ja_collection(query["messagecollection"])
        if "extensions" in query:
            query["extensions"] += [e for e in recorded("siteinfo-extensions")["response"]["query"]["extensions"]
                                    if e["name"] == "Translate"]
        rights = query.get("userinfo", {}).get("rights")
        if rights is not None and self.scenario in ("mark", "denied") and "pagetranslation" not in rights:
            rights.append("pagetranslation")
        return answer

    def wiki_text(self) -> str:
        """The header's text on the dev wiki now."""
        from ..integration.helpers import read_back

        return read_back(self.wiki, HEADER)[HEADER].text

    def _handler(self):
        proxy = self

        class Handler(BaseHTTPRequestHandler):
            def log_message(self, *args):
                pass

            def do_GET(self):
                self._serve(parse_qsl(urlsplit(self.path).query))

            def do_POST(self):
                body = self.rfile.read(int(self.headers.get("Content-Length", 0))).decode("utf-8")
                self._serve(parse_qsl(urlsplit(self.path).query) + parse_qsl(body))

            def _serve(self, pairs):
                cookies = []

                def forward(params: dict) -> dict:
                    request = urllib.request.Request(proxy.upstream, data=urlencode(params).encode(), headers={
                        "Cookie": self.headers.get("Cookie", ""), "User-Agent": self.headers.get("User-Agent", "")})
                    try:
                        with urllib.request.urlopen(request, timeout=60) as response:
                            cookies.extend(response.headers.get_all("Set-Cookie") or [])
                            return json.load(response)
                    except urllib.error.HTTPError as error:
                        return json.load(error)

                body = json.dumps(proxy.answer(dict(pairs), forward)).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json; charset=utf-8")
                self.send_header("Content-Length", str(len(body)))
                for cookie in cookies:
                    self.send_header("Set-Cookie", cookie)
                self.end_headers()
                self.wfile.write(body)

        return Handler


@pytest.fixture
def translate_wiki(request, tmp_path_factory, tmp_path):
    """(API URL, password file): the proxy while recording; a placeholder URL and password when replaying."""
    scenario, source_text = request.param
    if not RECORD:
        password = tmp_path / "user-password.py"
        password.write_text(f"('{BOT}', BotPassword('advocacybot', 'replayed: the cassette has no password'))\n")
        password.chmod(0o600)
        yield "http://127.0.0.1:8089/api.php", str(password)
        return
    require_mediawiki()
    from advocacy_bot.devwiki.manager import DevWiki

    from ..integration.helpers import seed

    wiki = DevWiki(tmp_path_factory.mktemp("translate-wiki"), log=lambda message: None)
    wiki.up(port=free_port())
    seed(wiki, {HEADER: source_text, **TRANSLATIONS})
    proxy = TranslateProxy(wiki, scenario)
    yield proxy.url, str(wiki.info().pywikibot_dir / "user-password.py")
    proxy.close()
    wiki.down()


def recorded_only_from(url: str, name: str):
    """The cassette ``name`` without the proxy's own requests to the dev wiki behind it (vcr sees the
    whole process): only requests to ``url``, the bot's, are recorded."""
    if not RECORD:  # (vcr runs this filter on replayed requests too, whose port is anyone's)
        return cassette(name)
    port = urlsplit(url).port
    return cassette(name, before_record_request=lambda request: request if urlsplit(request.uri).port == port else None,
                    before_record_response=_scrub_tokens)


_TOKEN_VALUE = re.compile(r'("\w*token"\s*:\s*")[0-9a-f]+\+\\\\"')


def _scrub_tokens(response):
    """Session tokens in answers (login, csrf) go too. They become "filtered+\\", which replays as a
    logged-in session's token (pywikibot reads the bare anonymous "+\\" as a lost login)."""
    response = recording.scrub_response(response)
    body = response["body"]["string"]
    text = body.decode("utf-8") if isinstance(body, bytes) else body
    text = _TOKEN_VALUE.sub(lambda m: m.group(1) + 'filtered+\\\\"', text)
    response["body"]["string"] = text.encode("utf-8") if isinstance(body, bytes) else text
    return response


def bot_run(url: str, password_file: str, family: str, dry_run: bool = False) -> BotRun:
    import pywikibot
    from pywikibot import config

    config.family_files[family] = url
    config.usernames.setdefault(family, {})["*"] = BOT
    config.put_throttle = 0
    config.max_retries, config.retry_wait = 1, 1  # a request missing from a cassette fails, not loops
    client = WikiClient(pywikibot.Site(family, family), name="dev", bot_user=BOT, password_file=password_file)
    settings = replace(default_settings(), root=ROOT)
    return BotRun(client, settings, RunReport("translate", "dev", dry_run), dry_run=dry_run, out=lambda text: None)


def requests_with(name: str, key: str, value: str) -> list[dict]:
    """Parameters of the cassette's requests where ``key`` is ``value``."""
    import yaml

    found = []
    for interaction in yaml.safe_load((CASSETTES / f"{name}.yaml").read_text())["interactions"]:
        body = interaction["request"]["body"] or ""
        params = dict(parse_qsl(urlsplit(interaction["request"]["uri"]).query) + parse_qsl(body))
        if params.get(key) == value:
            found.append(params)
    return found


# -- mark -------------------------------------------------------------------------------------------

@pytest.mark.parametrize("translate_wiki", [("mark", BEFORE)], indirect=True)
def test_mark_asks_translate_and_reads_back_what_it_saved(translate_wiki):
    url, password = translate_wiki
    with recorded_only_from(url, "translate-mark"):
        run = bot_run(url, password, "advocacytrmark")
        mark_tree(run)
        fresh = run.read([HEADER])[HEADER]
        run.client.close()
    report = run.report
    assert report.errors == [] and report.skipped == []
    [edit] = report.edits
    assert (edit.title, edit.summary) == (HEADER, "Marked for translation through Translate: 1 new unit; "
                                                  "changed T:3 (5 units); new T:5")
    assert edit.new_revid == fresh.revid > edit.old_revid
    assert fresh.text == AFTER  # Translate numbered the FAQ unit 5 (highest + 1)
    assert len(requests_with("translate-mark", "meta", "messagegroups|userinfo")) == 1
    [marking] = requests_with("translate-mark", "action", "markfortranslation")
    assert (marking["title"], marking["revid"], marking["assert"]) == (HEADER, str(edit.old_revid), "bot")
    assert marking["transclusion"] == "yes"  # a template: else its callers show <translate> as text
    assert "token" not in marking or marking["token"] in ("", "FILTERED")


@pytest.mark.parametrize("translate_wiki", [("mark", BEFORE)], indirect=True)
def test_mark_dry_run_shows_what_translate_would_save_and_asks_nothing(translate_wiki):
    url, password = translate_wiki
    shown = []
    with recorded_only_from(url, "translate-mark-dry-run"):
        run = bot_run(url, password, "advocacytrdry", dry_run=True)
        run.out = shown.append
        run.applier.out = shown.append
        mark_tree(run)
        run.client.close()
    [edit] = run.report.edits
    assert (edit.title, edit.new_revid) == (HEADER, None)
    assert edit.summary == "Marked for translation through Translate: 1 new unit; changed T:3"
    assert shown[0] == f"{HEADER}: would ask Translate to mark it (1 new unit; changed T:3)"
    removed, added = [line for line in shown[1].splitlines() if line.startswith(("-[[", "+[["))]
    assert added == "+" + removed[1:].replace("<translate> FAQ", "<translate> <!--T:5--> FAQ")  # Translate's id
    assert requests_with("translate-mark-dry-run", "action", "markfortranslation") == []
    assert requests_with("translate-mark-dry-run", "action", "login") == []  # a dry run needs no login


@pytest.mark.parametrize("translate_wiki", [("denied", BEFORE)], indirect=True)
def test_mark_refused_with_permissiondenied_waits_for_a_translation_admin(translate_wiki):
    url, password = translate_wiki
    with recorded_only_from(url, "translate-mark-denied"):
        run = bot_run(url, password, "advocacytrdenied")
        mark_tree(run)
        fresh = run.read([HEADER])[HEADER]
        run.client.close()
    report = run.report
    assert report.edits == [] and report.errors == []
    [skip] = report.skipped
    assert (skip.title, skip.code) == (HEADER, "waiting-for-translation-admin")
    assert skip.message.startswith("1 new unit; changed T:3; until then every page that calls it shows its last "
                                   "marked version; Translate refused: You do not have permission to "
                                   "manage translatable pages")
    assert skip.message.endswith(f"a translation administrator can mark it at {url.rsplit('/', 1)[0]}/index.php?"
                                 "title=Special%3APageTranslation&target=Template%3AGlobal+Advocacy%2FHeader&do=mark")
    assert fresh.text == BEFORE


@pytest.mark.parametrize("translate_wiki", [("no-module", BEFORE)], indirect=True)
def test_mark_without_the_api_module_waits_and_sends_nothing(translate_wiki):
    """The REL1_39 Translate of the recordings: marking only through the form, which a bot session cannot use."""
    url, password = translate_wiki
    with recorded_only_from(url, "translate-mark-no-module"):
        run = bot_run(url, password, "advocacytrnomodule")
        mark_tree(run)
        run.client.close()
    [skip] = run.report.skipped
    assert skip.code == "waiting-for-translation-admin" and "has no markfortranslation API" in skip.message
    assert requests_with("translate-mark-no-module", "action", "markfortranslation") == []


@pytest.mark.parametrize("translate_wiki", [("mark", AFTER)], indirect=True)
def test_mark_leaves_a_page_as_translate_last_marked_it(translate_wiki):
    """Every unit has its id and the definitions Translate returns match: nothing to mark, no module asked."""
    url, password = translate_wiki
    with recorded_only_from(url, "translate-mark-current"):
        run = bot_run(url, password, "advocacytrcurrent")
        mark_tree(run)
        run.client.close()
    assert run.report.edits == run.report.skipped == run.report.errors == []
    [collection] = requests_with("translate-mark-current", "list", "messagecollection")
    assert collection["mcgroup"] == f"page-{HEADER}"
    assert requests_with("translate-mark-current", "action", "paraminfo") == []


# -- status -----------------------------------------------------------------------------------------

def status_run(translate_wiki, name: str):
    """``translate status`` replayed from the cassette ``name``: the run, and the status page after it."""
    url, password = translate_wiki
    with recorded_only_from(url, name):
        run = bot_run(url, password, "advocacy" + name.replace("-", ""))
        status_tree(run)
        page = run.read([STATUS])[STATUS]
        run.client.close()
    return run, page


@pytest.mark.parametrize("translate_wiki", [("status", AFTER)], indirect=True)
def test_status_page_from_the_recorded_statistics(translate_wiki):
    run, page = status_run(translate_wiki, "translate-status")
    requests = run.client.counter.by_action
    stats = {HEADER: status.parse_stats(recorded("messagegroupstats")["response"]["query"]["messagegroupstats"])}
    # the five tab labels: ja lacks 3 (units 1-2 translated), ru 2 and has 1 outdated (its recorded collection)
    header = status.UnitList(HEADER, 5, {"ja": (3, 0), "ru": (2, 1)})
    assert page.text == status.status_text(stats, "en", HEADER, bot=f"[[User:{BOT}|{BOT}]]", header=header,
                                           mark=mark_comment(BOT))  # the page is the bot's (ownership.py)
    assert "changed since marked" not in page.text  # the source is as Translate last marked it
    [edit] = run.report.edits
    assert edit.title == STATUS and edit.summary == (
        "Translation status: 1 translatable page in 2 languages; behind on the navigation header: ja, ru"
        f" ([[User:{BOT}|advocacy-bot]])")
    # one messagegroups request lists the translatable pages; one languagestats per language with a
    # translation page (ja, ru), none per page; the header's
    # units in each incomplete language and its definitions (one messagecollection each)
    assert len(requests_with("translate-status", "meta", "messagegroups|userinfo")) == 1
    assert sorted(r["lslanguage"] for r in requests_with("translate-status", "meta", "languagestats|userinfo")) == [
        "ja", "ru"]
    assert requests_with("translate-status", "meta", "messagegroupstats|userinfo") == []
    assert sorted(r["mclanguage"] for r in requests_with("translate-status", "list", "messagecollection")) == [
        "ja", "qqq", "ru"]
    assert requests["edit"] == 1


@pytest.mark.parametrize("translate_wiki", [("status", BEFORE)], indirect=True)
def test_status_page_says_when_the_source_changed_since_marked(translate_wiki):
    """The source holds a changed label and a new tab that Translate has not marked yet: the numbers
    describe the marked version, and the page says so with what changed."""
    run, page = status_run(translate_wiki, "translate-status-changed")
    assert f"| [[{HEADER}]]<br /><small>changed since marked</small> || 5" in page.text
    assert f"* [[{HEADER}]]: 1 new unit; changed T:3" in page.text
    # the new tab has no id yet: the labels counted are the four Translate knows
    assert f"; Navigation header ([[{HEADER}]], 4 tab labels)" in page.text
    [edit] = run.report.edits
    assert "1 page changed since marked" in edit.summary


def test_translate_cassettes_hold_no_session_tokens():
    for path in sorted(CASSETTES.glob("translate-*.yaml")):
        assert not re.search(r'token\\?"\s*:\s*\\?"[0-9a-f]{8}', path.read_text(encoding="utf-8")), path
