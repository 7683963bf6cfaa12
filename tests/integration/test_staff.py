"""``staff sync|check|adopt`` against a real MediaWiki: real processes, exit codes, the wiki read back."""

from __future__ import annotations

import json
import re

import uuid

import pytest
import yaml

from advocacy_bot.roster import parse_roster
from advocacy_bot.wikitext import staff_block as sb
from advocacy_bot.wikitext import translate_markup as tm

from .helpers import dev_cli as cli
from .helpers import dev_cli_report as run_report
from .helpers import make_run, read_back, seed, seed_json, unique_root

pytestmark = pytest.mark.devwiki

STATE = "User:AdvocacyBot/state.json"  # the default state page: the staff guard's records

BOT = "AdvocacyBot"
# Admin and AdvocacyBot are the dev wiki's accounts: the roster's usernames must exist.
MEMBERS = [
    {"key": "ana", "name": "Ana Lúcia Ferraz", "title": "Lead Public Policy Specialist", "username": "Admin",
     "email": "ana@example.org", "region": "latin-america"},
    {"key": "harumi", "name": "Harumi Takenaka", "title": "Lead Public Policy Specialist (Asia)", "region": "asia"},
    {"key": "liesbeth", "name": "Liesbeth van Roon", "title": "Public Policy Specialist (Europe)",
     "username": "AdvocacyBot"},
]



def write_config(tmp_path, root, roster, targets):
    path = tmp_path / f"settings-{uuid.uuid4().hex[:6]}.yaml"
    path.write_text(yaml.safe_dump({"root": root, "staff": {"roster": roster, "targets": targets}}))
    return path


def roster_file(tmp_path, members=MEMBERS):
    path = tmp_path / "roster.yaml"
    path.write_text(yaml.safe_dump({"members": members}, allow_unicode=True))
    return path




def team_page(hint="the team roster"):
    """A root page whose team list was adopted earlier: stale titles, a member who left."""
    return ("<languages/>\n<translate>\n== The team == <!--T:1-->\n\n<!--T:2-->\nWho we are.\n</translate>\n\n"
            f"{sb.begin_comment(BOT, hint)}\n"
            "* '''Ana Lúcia Ferraz''' – <translate><!--T:8--> Senior Public Policy Specialist</translate>\n"
            "* '''Harumi Takenaka''' – <translate><!--T:9--> Lead Public Policy Specialist (Asia)</translate>\n"
            "* '''Samir Qasemi''' – <translate><!--T:10--> Public Policy Specialist (MENA)</translate>\n"
            f"{sb.end_comment(BOT)}\n\n<translate>\n== Contact == <!--T:11-->\n\n<!--T:12-->\nWrite to us.\n"
            "</translate>\n[[Category:Team]]")


FAQ = ("<languages/>\n<translate>\n== Contacts == <!--T:1-->\n\n<!--T:2-->\nAsk the specialist for your region:\n"
       "* Asia – Harumi Takenaka, Senior Public Policy Specialist (Asia)\n"
       "* Europe – Liesbeth van Roon, Public Policy Advisor (Europe)\n\n<!--T:3-->\nOr write on the talk page.\n"
       "</translate>")


def test_check_dry_run_sync_and_a_quiet_second_run(devwiki, tmp_path):
    root = unique_root("Staff sync")
    seed(devwiki, {root: team_page(), f"{root}/de": "Das Team:\n* '''Samir Qasemi''' – Spezialist"})
    config = write_config(tmp_path, root, str(roster_file(tmp_path)), [{"page": root, "form": "cards"}])
    before = read_back(devwiki, root, f"{root}/de")

    checked, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "check")
    assert checked.returncode == 1, checked.stderr
    assert report["drift"] == [{"title": root, "what": "adds Liesbeth van Roon; removes Samir Qasemi; "
                                                       "new title for Ana Lúcia Ferraz"}]
    assert [(s["title"], s["code"]) for s in report["skipped"]] == [(f"{root}/de", "pending-remark")]

    dry = cli(devwiki, "--config", str(config), "--dry-run", "staff", "sync")
    assert dry.returncode == 0, dry.stderr
    assert dry.stdout.startswith(f"--- {root} (r{before[root].revid})")
    assert '+<div class="ga-staff-card" data-staff="liesbeth"' in dry.stdout
    assert read_back(devwiki, root)[root].revid == before[root].revid

    synced, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "sync")
    assert synced.returncode == 0, synced.stderr
    # the list, then what the bot wrote on it in its state page (what the next run's guard compares with)
    assert [e["title"] for e in report["edits"]] == [root, STATE]
    assert report["edits"][0]["summary"].startswith("Staff list synced with the roster: adds Liesbeth van Roon")
    assert json.loads(read_back(devwiki, STATE)[STATE].text)["staff"]["last_written"][root] == [
        "ana", "harumi", "liesbeth"]
    after = read_back(devwiki, root, f"{root}/de")
    text, old = after[root].text, before[root].text
    span, old_span = sb.find_block(text), sb.find_block(old)
    assert text[:span.start] == old[:old_span.start] and text[span.end:] == old[old_span.end:]
    shown = sb.read_entries(text[span.content_start:span.content_end]).entries
    assert [(e.key, e.title, e.unit_id) for e in shown] == [
        ("ana", "Lead Public Policy Specialist", "8"), ("harumi", "Lead Public Policy Specialist (Asia)", "9"),
        ("liesbeth", "Public Policy Specialist (Europe)", None)]
    assert "<!--T:10-->" in text and "Samir" not in text and tm.validate(text) == []
    assert after[f"{root}/de"].revid == before[f"{root}/de"].revid  # translation pages are never edited

    again, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "sync")
    assert again.returncode == 0 and report["edits"] == []
    assert report["api_requests"] <= 8, report  # session, root, site info, one listing, one batch, users
    assert cli(devwiki, "--config", str(config), "staff", "check").returncode == 0


def test_adopt_prints_the_roster_then_wraps_the_list_once(devwiki, tmp_path):
    root = unique_root("Staff adopt")
    faq = f"{root}/FAQ"
    seed(devwiki, {root: "root", faq: FAQ})
    roster = roster_file(tmp_path)
    config = write_config(tmp_path, root, str(roster), [{"page": faq, "form": "contacts"}])
    revid = read_back(devwiki, faq)[faq].revid

    shown = cli(devwiki, "--config", str(config), "staff", "adopt", "--page", faq, "--section", "contacts")
    assert shown.returncode == 0, shown.stderr
    found = parse_roster(yaml.safe_load(shown.stdout), "printed")
    assert [(m.name, m.title, m.region) for m in found.members] == [
        ("Harumi Takenaka", "Senior Public Policy Specialist (Asia)", "Asia"),
        ("Liesbeth van Roon", "Public Policy Advisor (Europe)", "Europe")]
    assert read_back(devwiki, faq)[faq].revid == revid

    saved, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "adopt", "--page", faq,
                               "--section", "Contacts", "--save")
    assert saved.returncode == 0, saved.stderr
    assert len(report["edits"]) == 1 and "retired: 2" in report["edits"][0]["summary"]
    expected = sb.adopt(FAQ, "Contacts", BOT, "the roster file roster.yaml kept by the bot's operator").new_text
    text = read_back(devwiki, faq)[faq].text
    assert text == expected and tm.validate(text) == []

    again, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "adopt", "--page", faq,
                               "--section", "Contacts", "--save")
    assert again.returncode == 0 and report["edits"] == []

    synced = cli(devwiki, "--config", str(config), "staff", "sync")
    assert synced.returncode == 0, synced.stderr
    text = read_back(devwiki, faq)[faq].text
    assert "[[User:Admin|Admin]]" in text and "[mailto:ana@example.org ana@example.org]" in text
    assert text.startswith(FAQ.split("* Asia")[0].replace("<!--T:2-->\n", ""))  # the intro, its unit retired


def test_an_on_wiki_roster_must_be_protected_or_the_bots_own(devwiki, tmp_path):
    root = unique_root("Staff trust")
    roster_page = f"{root}/roster.json"
    seed(devwiki, {root: team_page()})
    seed_json(devwiki, roster_page, {"members": MEMBERS})
    config = write_config(tmp_path, root, f"wiki:{roster_page}", [{"page": root, "form": "cards"}])
    revid = read_back(devwiki, root)[root].revid

    refused = cli(devwiki, "--config", str(config), "staff", "sync")
    assert refused.returncode == 2
    assert f"the roster page {roster_page} is not trusted" in refused.stderr
    assert read_back(devwiki, root)[root].revid == revid

    devwiki.protect(roster_page, "autoconfirmed")
    assert cli(devwiki, "--config", str(config), "staff", "sync").returncode == 2  # semi-protection is not enough

    devwiki.protect(roster_page, "sysop")
    accepted = cli(devwiki, "--config", str(config), "staff", "sync")
    assert accepted.returncode == 0, accepted.stderr
    assert "Liesbeth van Roon" in read_back(devwiki, root)[root].text

    own = f"User:AdvocacyBot/roster-{uuid.uuid4().hex[:6]}.json"
    seed_json(devwiki, own, {"members": MEMBERS})
    config = write_config(tmp_path, root, f"wiki:{own}", [{"page": root, "form": "cards"}])
    checked = cli(devwiki, "--config", str(config), "staff", "check")  # accepted: drift, not exit 2
    assert checked.returncode == 1 and checked.stdout == f"{root}\tthe block's note to editors (roster source)\n"


@pytest.mark.parametrize("members, message", [
    (MEMBERS[:2] + [dict(MEMBERS[2], username="Nobody Here 7")],
     "member 'Liesbeth van Roon': field 'username': no account 'Nobody Here 7' on the wiki"),
    (MEMBERS + [dict(MEMBERS[0], name="Someone Else")], "field 'key': 'ana' is also the key of"),
    ([dict(MEMBERS[0], phone="+1")], "unknown field(s) phone"),
])
def test_a_bad_roster_exits_2_and_edits_nothing(devwiki, tmp_path, members, message):
    root = unique_root("Staff bad roster")
    seed(devwiki, {root: team_page()})
    config = write_config(tmp_path, root, str(roster_file(tmp_path, members)), [{"page": root, "form": "cards"}])
    revid = read_back(devwiki, root)[root].revid
    result = cli(devwiki, "--config", str(config), "staff", "sync")
    assert result.returncode == 2 and message in result.stderr
    assert read_back(devwiki, root)[root].revid == revid


def test_removing_more_than_half_needs_force(devwiki, tmp_path):
    root = unique_root("Staff truncated")
    seed(devwiki, {root: team_page()})
    config = write_config(tmp_path, root, str(roster_file(tmp_path, MEMBERS[1:2])), [{"page": root, "form": "cards"}])
    revid = read_back(devwiki, root)[root].revid
    refused, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "sync")
    assert refused.returncode == 1 and "remove 2 of the 3 members the page shows today" in refused.stderr
    assert [(e["title"], e["code"]) for e in report["errors"]] == [(root, "roster-shrinks")]
    assert read_back(devwiki, root)[root].revid == revid
    forced = cli(devwiki, "--config", str(config), "staff", "sync", "--force")
    assert forced.returncode == 0, forced.stderr
    shown = sb.read_entries(read_back(devwiki, root)[root].text).entries
    assert [e.name for e in shown] == ["Harumi Takenaka"]


def test_a_target_without_block_fails_alone_and_the_other_target_is_saved(devwiki, tmp_path):
    # Issue 14: removing the BEGIN/END comments from one target stopped every task, run after run.
    root = unique_root("Staff no block")
    seed(devwiki, {root: team_page(), f"{root}/FAQ": FAQ})
    config = write_config(tmp_path, root, str(roster_file(tmp_path)),
                          [{"page": root, "form": "cards"}, {"page": f"{root}/FAQ", "form": "contacts"}])
    before = read_back(devwiki, root, f"{root}/FAQ")
    result, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "sync")
    assert result.returncode == 1 and f"staff adopt --page \"{root}/FAQ\"" in result.stderr
    assert [(e["title"], e["code"]) for e in report["errors"]] == [(f"{root}/FAQ", "no-staff-block")]
    after = read_back(devwiki, root, f"{root}/FAQ")
    assert after[root].revid != before[root].revid  # the other target is saved
    assert after[f"{root}/FAQ"].revid == before[f"{root}/FAQ"].revid


def test_members_a_user_pads_the_block_with_do_not_trip_the_guard(devwiki, tmp_path):
    # Issue 14: 20 fake members added inside a block made "more than half removed" stop the run.
    root = unique_root("Staff padded")
    seed(devwiki, {root: team_page()})
    config = write_config(tmp_path, root, str(roster_file(tmp_path)), [{"page": root, "form": "cards"}])
    synced = cli(devwiki, "--config", str(config), "staff", "sync")
    assert synced.returncode == 0, synced.stderr
    text = read_back(devwiki, root)[root].text
    span = sb.find_block(text)
    fakes = "".join(f"\n* '''Fake Person {n}''' – Intern" for n in range(20))
    devwiki.create_accounts(["Plainuser"])
    devwiki.edit_as("Plainuser", root, text[:span.content_end] + fakes + text[span.content_end:], "padding")
    assert len(sb.read_entries(read_back(devwiki, root)[root].text).entries) == 23
    result, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "sync")
    assert result.returncode == 0, result.stderr
    shown = sb.read_entries(read_back(devwiki, root)[root].text).entries
    assert [e.key for e in shown] == ["ana", "harumi", "liesbeth"]  # the fakes are gone, the team stays
    # and a truly truncated roster is still refused: compared with what the bot wrote, not with the fakes
    truncated = write_config(tmp_path, root, str(roster_file(tmp_path, MEMBERS[1:2])),
                             [{"page": root, "form": "cards"}])
    refused, report = run_report(tmp_path, devwiki, "--config", str(truncated), "staff", "sync")
    assert refused.returncode == 1 and "remove 2 of the 3 members the bot last wrote here" in refused.stderr


def test_an_edit_conflict_is_recomputed_and_keeps_the_human_edit(devwiki):
    from advocacy_bot.roster import parse_roster as roster_of
    from advocacy_bot.tasks import staff as task

    root = unique_root("Staff conflict")
    seed(devwiki, {root: team_page()})
    run = make_run(devwiki, root)
    page = run.read([root])[root]
    members = roster_of(MEMBERS, "test").members
    change = task.plan_target(page, members, "cards", BOT, "the team roster").change
    human = "A line a human added while the bot was working.\n" + page.text
    run.applier.before_save = lambda c: devwiki.edit_as("Admin", root, human, "human") if c.base.revid == page.revid \
        else None
    run.apply([change])
    run.client.close()

    text = read_back(devwiki, root)[root].text
    assert text.startswith("A line a human added while the bot was working.\n<languages/>")
    assert [e.key for e in sb.read_entries(text).entries] == ["ana", "harumi", "liesbeth"]
    assert run.report.errors == [] and len(run.report.edits) == 1


HOSTILE = [  # issue 15: roster text that acted as markup
    {"key": "sig", "name": "Ana ~~~~", "title": "Signs ~~~ here"},
    {"key": "bold", "name": "'''Bold start", "title": "''Italic'' title"},
    {"key": "magic", "name": "__NOINDEX__ __NOTOC__ Magic", "title": "__HIDDENCAT__ Lead"},
    {"key": "apos", "name": "Ro O'Brien'", "title": "AT&T &amp; co, see http://example.org"},
]


def test_roster_text_never_acts_as_markup(devwiki, tmp_path):
    from advocacy_bot.wikitext.rendered import visible_text

    root = unique_root("Staff hostile")
    seed(devwiki, {root: team_page()})
    config = write_config(tmp_path, root, str(roster_file(tmp_path, HOSTILE)), [{"page": root, "form": "cards"}])
    synced = cli(devwiki, "--config", str(config), "staff", "sync", "--force")
    assert synced.returncode == 0, synced.stderr
    run = make_run(devwiki, root)
    try:
        parsed = run.client.query(action="parse", page=root, prop="text|properties")["parse"]
    finally:
        run.client.close()
    shown = visible_text(parsed["text"])
    for member in HOSTILE:  # every field reads as the roster says, nothing more
        assert member["name"] in shown and member["title"] in shown, member
    assert "AdvocacyBot" not in shown.replace(sb.begin_comment(BOT, "x"), "")  # no signature
    html = parsed["text"]
    assert re.search(r"<b>(?:&#39;|'){3}Bold start</b>", html) and "<i>" not in html  # no quote run is markup
    assert not {"noindex", "notoc", "hiddencat"} & {p.get("name") for p in parsed.get("properties", [])}
    again, report = run_report(tmp_path, devwiki, "--config", str(config), "staff", "sync", "--force")
    assert again.returncode == 0 and report["edits"] == []  # a second run makes no edit


def test_an_e_mail_with_wikitext_is_refused_naming_the_member(devwiki, tmp_path):
    root = unique_root("Staff email")
    seed(devwiki, {root: team_page()})
    members = [{"key": "a", "name": "Ana", "title": "T", "email": "{{subst:PAGENAME}}@example.org"}]
    config = write_config(tmp_path, root, str(roster_file(tmp_path, members)), [{"page": root, "form": "contacts"}])
    refused = cli(devwiki, "--config", str(config), "staff", "sync")
    assert refused.returncode == 2 and "member 1 ('Ana'): field 'email'" in refused.stderr
