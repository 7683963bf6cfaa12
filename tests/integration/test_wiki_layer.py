"""The wiki layer against a real MediaWiki: batched reads, conflict-safe saves, nobots, protection,
the shutoff page and the edit scope. Every assertion reads the wiki back."""

from __future__ import annotations

import math
from dataclasses import replace

import pytest

from advocacy_bot.outcomes import ShutoffRequested, UsageProblem
from advocacy_bot.plan import change_for
from advocacy_bot.report import RunReport
from advocacy_bot.settings import BotPages, default_settings
from advocacy_bot.wiki.session import BotRun

from .helpers import HEADER, ensure_header, make_run, read_back, seed, unique_root

pytestmark = pytest.mark.devwiki


def plan_for(run, titles):
    pages = run.read(titles)
    return [change for change in (ensure_header(pages[t]) for t in titles) if change]


def current_text(wiki, title):
    return read_back(wiki, title)[title]


def seed_batch_tree(devwiki) -> tuple[str, dict[str, str]]:
    root = unique_root("Batch")
    pages = {root: "root"}
    pages.update({f"{root}/Page {i:03d}": f"text {i}" for i in range(300)})
    pages.update({f"Talk:{root}/Page {i:03d}": f"talk {i}" for i in range(15)})
    pages.update({f"Template:{root}/Box": "box", f"{root} Extra": "not in the tree"})
    seed(devwiki, pages)
    return root, pages


def read_whole_tree(run, pages: dict[str, str]) -> int:
    """Reads the tree after start(); the requests that took."""
    session = run.client.requests_made
    pages_read, listing = run.read_tree()
    used = run.client.requests_made - session
    in_tree = sorted(t for t in pages if not t.endswith(" Extra"))
    assert sorted(pages_read) == in_tree
    assert sorted(t for titles in listing.values() for t in titles) == in_tree
    assert all(p.exists and p.text for p in pages_read.values())
    assert run.report.pages_read == 316 + 1  # and the root, read once, by start()
    return used


def test_the_bot_reads_a_tree_at_the_bots_limit_of_500_titles(devwiki):
    """Issue 19: the bot account has apihighlimits (the bot group), so one content query takes 500
    titles; the limit comes from the account's rights, which the wiki gave pywikibot."""
    root, pages = seed_batch_tree(devwiki)
    run = make_run(devwiki, root)
    run.start()  # a saving run: signed in (a session still valid, or a login now: the tree needs it)
    assert "apihighlimits" in run.client.rights() and run.reader.batch_size == 500
    used = read_whole_tree(run, pages)
    # 316 pages besides the root: the 15 talk pages read whole (generator=allpages) with the template
    # listing in one request, the 300 the main listing (with start()) found and the template in the next
    assert used == 2, run.client.counter.by_action
    run.client.close()


def test_a_reader_without_the_bots_rights_reads_at_50_titles(devwiki):
    """Anonymous (a dry run without a session): 49 titles and the shutoff page a request."""
    from tests.recording import anonymous_client

    from pywikibot.comms import http

    root, pages = seed_batch_tree(devwiki)
    http.cookie_jar.clear()  # no session of the bot's (other tests' logins) in this process
    client = anonymous_client(devwiki.info().api_url, "advocacyanonymousbatch")
    run = BotRun(client, replace(default_settings(), root=root), RunReport("test", "dev", True), dry_run=True)
    run.start()
    assert run.reader.batch_size == 50
    # 316 pages at 49 a request; the talk and template listings ride on the first two of them
    assert read_whole_tree(run, pages) == math.ceil(316 / 49) == 7, run.client.counter.by_action
    client.close()


def test_a_run_spells_titles_with_the_wikis_own_namespace_names(devwiki):
    """Issue 18: namespaces from the run's site info. The dev wiki's project namespace is named after
    the wiki (as Meta-Wiki's is "Meta"), which MediaWiki's standard names do not know."""
    from advocacy_bot.wikitext.titles import normalize_title

    assert normalize_title("project:a page") == "Project:A page"
    run = make_run(devwiki, unique_root("Spaces"))
    seed(devwiki, {run.settings.root: "root"})
    run.start()
    before = run.client.requests_made
    assert normalize_title("project:a page") == "Advocacy Dev Wiki:A page"
    assert normalize_title("advocacy_dev_wiki_talk:a page") == "Advocacy Dev Wiki talk:A page"
    assert normalize_title("image:x.png") == "File:X.png" and normalize_title("talk:x") == "Talk:X"
    assert run.client.requests_made == before  # known from what pywikibot asked when it first connected
    run.client.close()


def logged_in_start(devwiki, label: str):
    """A one-page tree, a logged-in run that has made its first read, and the change to save."""
    root = unique_root(label)
    seed(devwiki, {root: "root text"})
    run = make_run(devwiki, root)
    run.client.login()
    return root, run, ensure_header(run.start())


def test_the_first_read_brings_the_token_so_a_save_costs_one_request(devwiki):
    root, run, change = logged_in_start(devwiki, "Token")
    run.client.site.tokens.clear()  # pywikibot's own tokens (other tests' saves) are not what it uses
    before = run.client.requests_made
    run.apply([change])
    assert [edit.title for edit in run.report.edits] == [root]
    assert run.client.requests_made - before == 1, run.client.counter.by_action  # the edit, nothing else


def test_a_token_the_wiki_no_longer_takes_is_renewed_once_and_the_save_goes_through(devwiki):
    root, run, change = logged_in_start(devwiki, "Bad token")
    run.client.offer_token("0123456789abcdef0123456789abcdef+\\")  # a token of another session
    before = run.client.requests_made
    run.apply([change])
    used = run.client.requests_made - before  # (the counter sees every request to the wiki's host)
    assert not run.report.errors, run.report.errors
    assert current_text(devwiki, root).text == change.new_text
    assert used == 3  # refused (badtoken), a new token, the edit again


def test_saves_only_changes_and_a_second_run_makes_no_edit(devwiki):
    root = unique_root("Idempotent")
    titles = [root, f"{root}/A", f"{root}/B"]
    seed(devwiki, {root: "root text", f"{root}/A": f"{HEADER}\nalready fine", f"{root}/B": "b text"})
    run = make_run(devwiki, root)
    run.apply(plan_for(run, titles))
    assert [edit.title for edit in run.report.edits] == [root, f"{root}/B"]
    assert all(edit.new_revid and edit.new_revid > edit.old_revid for edit in run.report.edits)
    assert current_text(devwiki, f"{root}/B").text == f"{HEADER}\nb text"

    again = make_run(devwiki, root)
    assert plan_for(again, titles) == []


def test_dry_run_prints_diffs_and_saves_nothing(devwiki):
    root = unique_root("Dry run")
    seed(devwiki, {root: "line one\nline two"})
    before = current_text(devwiki, root)
    shown: list[str] = []
    run = make_run(devwiki, root, dry_run=True, out=shown.append)
    run.apply(plan_for(run, [root]))

    assert current_text(devwiki, root).revid == before.revid
    assert len(shown) == 1 and f"+{HEADER}" in shown[0] and shown[0].startswith(f"--- {root} (r{before.revid})")
    assert run.report.edits[0].new_revid is None


def test_edit_conflict_rereads_and_keeps_the_human_edit(devwiki):
    root = unique_root("Conflict")
    seed(devwiki, {root: "first line\nsecond line"})
    run = make_run(devwiki, root)
    changes = plan_for(run, [root])
    # A human edits the same spot between the bot's read and its save.
    run.applier.before_save = lambda change: (
        devwiki.edit_as("Admin", root, "human line\nfirst line\nsecond line", "human edit")
        if change.base.text == "first line\nsecond line" else None)
    run.apply(changes)

    final = current_text(devwiki, root)
    assert final.text == f"{HEADER}\nhuman line\nfirst line\nsecond line"
    assert run.report.errors == [] and len(run.report.edits) == 1


def test_edit_conflict_twice_leaves_the_page_to_the_human(devwiki):
    root = unique_root("Conflict twice")
    seed(devwiki, {root: "start"})
    run = make_run(devwiki, root)
    versions = iter(["human 1\nstart", "human 2\nstart"])
    run.applier.before_save = lambda change: devwiki.edit_as("Admin", root, next(versions), "human")
    run.apply(plan_for(run, [root]))

    assert current_text(devwiki, root).text == "human 2\nstart"
    assert [(e.title, e.code) for e in run.report.errors] == [(root, "edit-conflict")]
    assert run.report.edits == []


def test_intervening_edit_elsewhere_is_merged_not_lost(devwiki):
    root = unique_root("Merge")
    body = "\n".join(f"paragraph {i}" for i in range(12))
    seed(devwiki, {root: body})
    run = make_run(devwiki, root)
    run.applier.before_save = lambda change: (
        devwiki.edit_as("Admin", root, body + "\nhuman addition", "human") if change.base.exists
        and "human" not in change.base.text else None)
    run.apply(plan_for(run, [root]))

    final = current_text(devwiki, root).text
    assert final.startswith(HEADER + "\n") and final.endswith("human addition")
    assert run.report.errors == []


def test_nobots_page_is_skipped(devwiki):
    root = unique_root("Nobots")
    seed(devwiki, {root: "{{nobots}}\ncontent", f"{root}/Bots": "{{bots|deny=AdvocacyBot}}\ncontent"})
    run = make_run(devwiki, root)
    run.apply(plan_for(run, [root, f"{root}/Bots"]))

    assert {(s.title, s.code) for s in run.report.skipped} == {(root, "nobots"), (f"{root}/Bots", "nobots")}
    assert current_text(devwiki, root).text == "{{nobots}}\ncontent"
    assert run.report.edits == []


def test_protected_page_is_an_error_and_untouched(devwiki):
    root = unique_root("Protected")
    seed(devwiki, {root: "protected text", f"{root}/Open": "open text"})
    devwiki.protect(root, "sysop")
    run = make_run(devwiki, root)
    run.apply(plan_for(run, [root, f"{root}/Open"]))

    assert [(e.title, e.code) for e in run.report.errors] == [(root, "protected")]
    assert current_text(devwiki, root).text == "protected text"
    assert current_text(devwiki, f"{root}/Open").text.startswith(HEADER)


def test_a_page_that_needs_another_saved_first_is_not_saved_when_that_one_is_not(devwiki):
    root = unique_root("Needs")
    state, user, other = f"{root}/State", f"{root}/Uses ids", f"{root}/Independent"
    seed(devwiki, {root: "root", state: "ids", user: "uses", other: "free"})
    devwiki.protect(state, "sysop")  # the change the others wait for fails
    run = make_run(devwiki, root)
    changes = plan_for(run, [state, user, other])
    run.apply([changes[0], replace(changes[1], needs=(state,)), changes[2]])

    assert [(e.title, e.code) for e in run.report.errors] == [(state, "protected"), (user, "prerequisite-not-saved")]
    assert state in run.report.errors[1].message
    assert current_text(devwiki, user).text == "uses"  # untouched
    assert current_text(devwiki, other).text.startswith(HEADER)  # what does not need it is saved


def test_shutoff_page_stops_the_run_before_the_next_save(devwiki):
    root = unique_root("Shutoff")
    shutoff = f"User:AdvocacyBot/Shutoff {root}"
    bot_pages = BotPages(shutoff=f"User:<bot>/Shutoff {root}")
    seed(devwiki, {root: "one", f"{root}/Two": "two"})
    run = make_run(devwiki, root, bot_pages=bot_pages)
    run.shutoff.interval = 0  # check before every save
    first, second = plan_for(run, [root, f"{root}/Two"])
    run.apply([first])
    devwiki.edit_as("Admin", shutoff, "Stop: the header is wrong", "stop the bot")
    with pytest.raises(ShutoffRequested, match="header is wrong"):
        run.apply([second])

    assert current_text(devwiki, root).text.startswith(HEADER)
    assert current_text(devwiki, f"{root}/Two").text == "two"
    with pytest.raises(ShutoffRequested):
        make_run(devwiki, root, bot_pages=bot_pages).start()


def test_shutoff_recheck_is_throttled(devwiki):
    root = unique_root("Throttle")
    seed(devwiki, {f"{root}/{i}": str(i) for i in range(3)})
    run = make_run(devwiki, root)
    changes = plan_for(run, [f"{root}/{i}" for i in range(3)])
    before = run.client.requests_made
    run.apply(changes)
    # three edits, a login and its tokens; no shutoff re-read within 10 s of the batch read
    assert not any(a == "query" and n > 3 for a, n in run.client.counter.by_action.items())
    assert run.client.counter.by_action.get("edit") == 3
    assert run.client.requests_made - before <= 3 + 8


def test_titles_outside_the_tree_are_refused(devwiki):
    root = unique_root("Scope")
    outside = unique_root("Elsewhere")
    seed(devwiki, {outside: "someone else's page"})
    run = make_run(devwiki, root)
    page = run.read([outside])[outside]
    run.apply([change_for(page, "vandalism", "test", "test", None)])

    assert [(e.title, e.code) for e in run.report.errors] == [(outside, "outside-tree")]
    assert current_text(devwiki, outside).text == "someone else's page"


def test_settings_cannot_widen_the_scope(devwiki):
    with pytest.raises(UsageProblem, match="outside the tree"):
        make_run(devwiki, unique_root("Widen"), bot_pages=BotPages(status="Main Page"))


def test_redirects_are_never_edited(devwiki):
    root = unique_root("Redirect")
    seed(devwiki, {root: "root", f"{root}/Old": f"#REDIRECT [[{root}]]"})
    run = make_run(devwiki, root)
    run.apply(plan_for(run, [f"{root}/Old"]))
    assert [(s.title, s.code) for s in run.report.skipped] == [(f"{root}/Old", "redirect")]
    assert current_text(devwiki, f"{root}/Old").text == f"#REDIRECT [[{root}]]"


def test_a_redirected_root_stops_the_run_naming_its_target(devwiki):
    root = unique_root("Moved")
    seed(devwiki, {root: "#REDIRECT [[Wikimedia Foundation/Legal/Global Advocacy]]"})
    with pytest.raises(UsageProblem, match="Wikimedia Foundation/Legal/Global Advocacy"):
        make_run(devwiki, root).start()


def test_a_wiki_that_stops_answering_aborts_the_run(tmp_path):
    from advocacy_bot.devwiki.manager import DevWiki
    from advocacy_bot.outcomes import RunAborted

    from ..conftest import free_port

    wiki = DevWiki(tmp_path / "wiki", log=lambda message: None)
    wiki.up(port=free_port())
    run = make_run(wiki, "Global Advocacy")
    run.start()
    wiki.down()
    with pytest.raises(RunAborted, match="did not answer"):
        run.read_tree()
    run.client.close()


def test_text_that_translate_would_refuse_is_never_saved(devwiki):
    root = unique_root("Markup guard")
    good = "<translate>\n<!--T:1-->\nHello.\n</translate>"
    seed(devwiki, {root: good})
    run = make_run(devwiki, root)
    page = run.read([root])[root]
    nested = "<translate>\n<!--T:1-->\nHello <translate>again</translate>.\n</translate>"
    run.apply([change_for(page, nested, "test: broken markup", "test", None)])

    assert [(e.title, e.code) for e in run.report.errors] == [(root, "invalid-markup")]
    assert "pt-parse-nested" in run.report.errors[0].message
    assert current_text(devwiki, root).text == good


def test_a_new_process_asks_nothing_before_its_first_read_and_needs_no_login_request(devwiki):
    """Issue 19 item 4: pywikibot asks the wiki who the session is while it makes a site; the run's first
    read asks the same along with its pages, so that request is gone, every request is counted from the
    start, and with a session still valid neither the login nor the save's user check asks again."""
    from urllib.parse import parse_qsl

    from pywikibot.comms import http
    from pywikibot.site import APISite

    from advocacy_bot.wiki.client import WikiClient
    from advocacy_bot.wiki.site import _make_site

    root, warm, change = logged_in_start(devwiki, "Fresh")  # the bot's session cookie, as a run leaves it
    warm.client.close()
    sent: list[dict] = []  # every request from here on, seen by a hook of the test's own

    def seen(response, *args, **kwargs):
        body = response.request.body or ""
        sent.append(dict(parse_qsl(body if isinstance(body, str) else body.decode())))

    http.session.hooks["response"].append(seen)
    try:
        family = devwiki.info().family
        site, counter = _make_site(lambda: APISite(family, family, warm.client.bot_user), "the dev wiki")  # as a new process makes it
        client = WikiClient(site, name="dev", bot_user=warm.client.bot_user, counter=counter)
        run = BotRun(client, warm.settings, RunReport("test", "dev", False), out=lambda text: None)
        run.start()
        assert client.site.logged_in() and run.reader.batch_size == 500  # the session and its rights, told
        before = client.requests_made
        client.login()
        run.apply([change])
        assert [edit.title for edit in run.report.edits] == [root]
        assert client.requests_made - before == 1, client.counter.by_action  # the edit, nothing else
        assert client.requests_made == len(sent), sent  # every request counted, from the site's making on
        # pywikibot's own check of the session (a request for the user info alone) is not made
        assert not [params for params in sent if params.get("meta") == "userinfo" and "titles" not in params]
        client.close()
    finally:
        http.session.hooks["response"].remove(seen)


def test_which_accounts_exist_rides_on_the_tree_read(devwiki):
    """run-all's staff step asks which roster accounts exist along with the tree's next batch
    (issue 19): the answer costs no request of its own, and is the wiki's."""
    root, pages = seed_batch_tree(devwiki)
    run = make_run(devwiki, root)
    run.start()

    def after_batch(batch):
        run.ask_users_along(["Admin", "Nobody by this name"])

    run.read_tree(after_batch=after_batch)
    before = run.client.requests_made
    assert run.existing_users(["Admin", "Nobody by this name"]) == {"Admin"}
    assert run.client.requests_made == before, run.client.counter.by_action
    # names it was not asked for: asked on their own, as before
    assert run.existing_users(["Admin", "AdvocacyBot"]) == {"Admin", "AdvocacyBot"}
    assert run.client.requests_made == before + 1
    run.client.close()


def test_a_question_no_read_carried_is_asked_on_its_own(devwiki):
    root = unique_root("Along")
    seed(devwiki, {root: "root"})
    run = make_run(devwiki, root)
    run.start()
    run.ask_users_along(["Admin"])  # no read follows
    before = run.client.requests_made
    assert run.existing_users(["Admin"]) == {"Admin"} and run.client.requests_made == before + 1
    assert run.reader.along == []  # withdrawn: it will not ride on a later, unrelated read
    run.client.close()


@pytest.mark.parametrize("anonymous", [True, False], ids=["anonymous", "bot"])
def test_talk_pages_read_whole_come_with_their_text_past_a_requests_limits(devwiki, anonymous):
    """A small tree with many talk pages: the talk namespace is read by the first request's generator;
    MediaWiki gives the text of 50 pages a request to anyone but a bot (and cuts any answer at its size
    limit), and the reader follows its continuation until every page has its text."""
    from tests.recording import anonymous_client

    from pywikibot.comms import http

    root = unique_root("Whole talk")
    pages = {root: "root", f"{root}/About": "about", f"Template:{root}/Box": "box"}
    pages.update({f"Talk:{root}/Thread {i:03d}": f"talk {i} " + "x" * 20000 for i in range(120)})
    seed(devwiki, pages)
    if anonymous:
        http.cookie_jar.clear()
        client = anonymous_client(devwiki.info().api_url, "advocacywholetalk")
        run = BotRun(client, replace(default_settings(), root=root), RunReport("test", "dev", True), dry_run=True)
    else:
        run = make_run(devwiki, root)
    run.start()
    read, listing = run.read_tree()
    assert sorted(read) == sorted(pages) and sorted(t for ts in listing.values() for t in ts) == sorted(pages)
    assert all(read[title].text == text for title, text in pages.items())
    run.client.close()
