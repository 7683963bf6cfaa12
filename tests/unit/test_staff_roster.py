"""The roster: loading, every validation rule (each message names the member and the field), trust."""

from __future__ import annotations

import json

import pytest

from advocacy_bot.outcomes import UsageProblem
from advocacy_bot.plan import Page
from advocacy_bot.roster import (check_usernames, derive_key, load_roster_text, parse_roster, read_roster_file,
                                 roster_source, roster_yaml, trust_problem, username_problems)
from tests.fixtures.snapshot import ROSTER, ROSTER_PAGE, demo_pages


def member(**fields):
    return {"name": "Tomasz Wielgosz", "title": "Public Policy Director", **fields}


def test_the_demo_roster_page_loads_in_display_order():
    page = next(p for p in demo_pages() if p.title == ROSTER_PAGE)
    roster = load_roster_text(page.text, ROSTER_PAGE, "json")
    assert [m.key for m in roster.members] == [m["key"] for m in ROSTER]
    first = roster.members[0]
    assert (first.name, first.title, first.region, first.username, first.email) == (
        "Marguerite Okonkwo-Hale", "Vice President of Global Advocacy", "Global", "MOkonkwo-Hale (WMF)",
        "mokonkwohale@example.org")
    lindqvist = next(m for m in roster.members if m.key == "olindqvist")
    assert lindqvist.username is None and lindqvist.email is None  # null and absent mean the same
    assert len(roster.usernames) == 10


def test_a_plain_list_and_defaults(tmp_path):
    path = tmp_path / "roster.yaml"
    path.write_text("- {name: Ana Lúcia Ferraz, title: Lead Public Policy Specialist, username: alferraz_(WMF)}\n"
                    "- {name: '  Harumi Takenaka ', title: Lead Public Policy Specialist (Asia), region: ''}\n")
    roster = read_roster_file(path)
    ana, harumi = roster.members
    assert ana.key == "ana-lucia-ferraz" and ana.username == "Alferraz (WMF)"  # MediaWiki's form of the name
    assert harumi.name == "Harumi Takenaka" and harumi.region is None
    assert roster.source == str(path)


def test_json_file_and_yaml_round_trip(tmp_path):
    path = tmp_path / "roster.json"
    path.write_text(json.dumps({"members": list(ROSTER), "updated": "2026-09-01"}))
    roster = read_roster_file(path)
    again = load_roster_text(roster_yaml(roster.members), "printed")
    assert again.members == roster.members


@pytest.mark.parametrize("name, key", [
    ("Ana Lúcia Ferraz", "ana-lucia-ferraz"),
    ("Liesbeth van Roon", "liesbeth-van-roon"),
    ("Nadia Haddad-Lorimer", "nadia-haddad-lorimer"),
    ("武田 花子", "武田-花子"),
    ("  O'Brien,  Siobhán ", "o-brien-siobhan"),
])
def test_derived_keys(name, key):
    assert derive_key(name) == key


@pytest.mark.parametrize("data, expected", [
    ([member(phone="123")], ["member 1 ('Tomasz Wielgosz')", "unknown field(s) phone"]),
    ({"members": [member()], "version": 2}, ["unknown top-level key(s) version"]),
    ([{"title": "Director"}], ["member 1", "field 'name' is missing"]),
    ([member(title="  ")], ["member 1 ('Tomasz Wielgosz')", "field 'title' is empty"]),
    ([member(title=3)], ["field 'title' must be text"]),
    ([member(), member(name="tomasz  WIELGOSZ", key="other")], ["member 'tomasz  WIELGOSZ'", "field 'name'",
                                                                 "duplicate of 'Tomasz Wielgosz'"]),
    ([member(key="tw"), member(name="Tomasz Wielgosz Jr", key="tw")], ["member 'Tomasz Wielgosz Jr'",
                                                                        "field 'key'", "also the key of"]),
    ([member(name="Ana Lúcia Ferraz"), member(name="Ana Lucia Ferraz")], ["member 'Ana Lucia Ferraz'",
                                                                         "'ana-lucia-ferraz' is also the key"]),
    ([member(key="t w")], ["member 1 ('Tomasz Wielgosz')", "field 'key' must be"]),
    ([member(title="Director [[of]] things")], ["field 'title' must be plain text"]),
    ([member(name="Tomasz\nWielgosz")], ["field 'name' must be plain text"]),
    ([member(email="not-an-address")], ["field 'email'", "not an e-mail address"]),
    ([member(username="Bad|Name")], ["field 'username'", "not a valid user name"]),
    ([], ["no members"]),
    ({"members": None}, ["expected a list of members"]),
    ("just text", ["expected a list of members"]),
    ([member(), "Harumi"], ["member 2: expected a mapping"]),
])
def test_every_bad_roster_is_refused_naming_member_and_field(data, expected):
    with pytest.raises(UsageProblem) as caught:
        parse_roster(data, "roster.yaml")
    assert caught.value.exit_code == 2
    assert caught.value.message.startswith("roster roster.yaml:")
    for part in expected:
        assert part in caught.value.message


def test_all_problems_are_reported_at_once():
    with pytest.raises(UsageProblem) as caught:
        parse_roster([member(phone="1"), {"name": "Harumi Takenaka"}], "r")
    assert "phone" in caught.value.message and "field 'title' is missing" in caught.value.message


def test_unreadable_sources_exit_2(tmp_path):
    with pytest.raises(UsageProblem, match="cannot read roster file"):
        read_roster_file(tmp_path / "missing.yaml")
    with pytest.raises(UsageProblem, match="not valid JSON"):
        load_roster_text("{members: [", "User:AdvocacyBot/roster.json", "json")
    with pytest.raises(UsageProblem, match="staff.roster is not set"):
        roster_source(None, "AdvocacyBot")


def test_usernames_must_exist():
    roster = parse_roster([member(username="TWielgosz (WMF)"), member(name="Harumi Takenaka", username="HTakenaka")],
                          "r")
    assert username_problems(roster, {"TWielgosz (WMF)"}) == [
        "member 'Harumi Takenaka': field 'username': no account 'HTakenaka' on the wiki"]
    check_usernames(roster, {"TWielgosz (WMF)", "HTakenaka"})
    with pytest.raises(UsageProblem, match="Harumi Takenaka.*username"):
        check_usernames(roster, set())


def test_source_and_hint():
    source = roster_source("wiki:User:<bot>/roster.json", "AdvocacyBot")
    assert source.page == "User:AdvocacyBot/roster.json"
    assert "User:AdvocacyBot/roster.json" in source.hint
    local = roster_source("/home/operator/secret/roster.yaml", "AdvocacyBot")
    assert local.path and "roster.yaml" in local.hint and "/home" not in local.hint


def page(title, namespace=2, model="json", protection=(), **kwargs):
    return Page(title, namespace, True, "[]", 5, content_model=model, protection=protection, **kwargs)


@pytest.mark.parametrize("roster_page, trusted", [
    (page("User:AdvocacyBot/roster.json"), True),  # the bot's own user JSON page
    (page("User:SomeoneElse/roster.json"), False),
    (page("User:AdvocacyBot/roster", model="wikitext"), False),  # not a .json page: anyone may edit it
    (page("Global Advocacy/roster.json", 0, protection=(("edit", "sysop"), ("move", "sysop"))), True),
    (page("Global Advocacy/roster.json", 0, protection=(("edit", "autoconfirmed"),)), False),
    (page("Global Advocacy/roster.json", 0, protection=(("move", "sysop"),)), False),
    (page("Global Advocacy/roster.json", 0), False),
    (page("User:AdvocacyBot/old.json", redirect=True), False),
    (Page("User:AdvocacyBot/roster.json", 2, False), False),
])
def test_trust_of_an_on_wiki_roster(roster_page, trusted):
    problem = trust_problem(roster_page, "AdvocacyBot")
    assert (problem is None) == trusted, problem
    if not trusted:
        assert roster_page.title in problem


def test_staff_settings_default_to_the_bots_roster_page_and_the_two_team_lists():
    from advocacy_bot.settings import StaffTarget, default_settings, parse_settings

    staff = default_settings().staff
    assert staff.roster == "wiki:User:<bot>/roster.json"
    assert staff.targets == (StaffTarget("Global Advocacy", "cards"), StaffTarget("Global Advocacy/FAQ", "contacts"))
    moved = parse_settings({"root": "Wikimedia Foundation/Legal/Global Advocacy"}).staff
    assert moved.targets[1].page == "Wikimedia Foundation/Legal/Global Advocacy/FAQ"
    chosen = parse_settings({"staff": {"roster": "team.yaml", "targets": [{"page": "X"}]}}).staff
    assert chosen.roster == "team.yaml" and chosen.targets == (StaffTarget("X", "cards"),)
    assert roster_source(staff.roster, "AdvocacyBot").page == "User:AdvocacyBot/roster.json"
