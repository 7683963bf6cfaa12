from pathlib import Path

import pytest

from advocacy_bot.outcomes import UsageProblem
from advocacy_bot.settings import default_settings, load_settings, parse_settings


def test_defaults_describe_the_nine_meta_tabs():
    settings = default_settings()
    assert settings.root == "Global Advocacy"
    assert [tab.label for tab in settings.nav.tabs] == [
        "Home", "About", "Documentation", "Resource Center", "Conversation Hours and Events", "Get Involved",
        "FAQ", "Announcements", "Discussion"]
    assert settings.nav.tabs[-1].target == "Talk:Global Advocacy"
    assert settings.nav.template == "Template:Global Advocacy/Header"
    assert load_settings(None) == settings


def test_a_file_sets_every_part(tmp_path: Path):
    path = tmp_path / "settings.yaml"
    path.write_text("""
root: Wikimedia Foundation/Legal/Global Advocacy
legacy_roots: [Public policy, Global Advocacy]
nav:
  template: Template:GA/Header
  tabs:
    - {key: home, label: Home, target: Wikimedia Foundation/Legal/Global Advocacy}
    - {key: faq, label: FAQ, target: Wikimedia Foundation/Legal/Global Advocacy/FAQ}
staff:
  roster: roster.yaml
  targets:
    - {page: Wikimedia Foundation/Legal/Global Advocacy, form: cards}
    - {page: Wikimedia Foundation/Legal/Global Advocacy/FAQ, form: contacts}
bot_pages: {shutoff: User:<bot>/Stop, run_log: User:<bot>/Log}
archive: {algo: old(60d), minthreadsleft: 3, resolvedtemplates: [Done]}
""")
    settings = load_settings(path)
    assert settings.legacy_roots == ("Public policy", "Global Advocacy")
    assert [t.key for t in settings.nav.tabs] == ["home", "faq"]
    assert [t.form for t in settings.staff.targets] == ["cards", "contacts"]
    pages = settings.bot_pages.for_bot("AdvocacyBot")
    assert pages.shutoff == "User:AdvocacyBot/Stop" and pages.run_log == "User:AdvocacyBot/Log"
    assert pages.state == "User:AdvocacyBot/state.json"
    assert settings.archive.algo == "old(60d)" and settings.archive.minthreadsleft == 3
    assert settings.archive.resolvedtemplates == ("Done",)
    assert settings.archive.minthreadstoarchive == 2  # default kept


def test_the_page_that_explains_the_bot_defaults_to_its_user_page_and_can_be_left_out():
    assert default_settings().bot_pages.for_bot("AdvocacyBot").about == "User:AdvocacyBot"
    named = parse_settings({"bot_pages": {"about": "Meta:Bots/<bot>"}}, source="test.yaml")
    assert named.bot_pages.for_bot("AdvocacyBot").about == "Meta:Bots/AdvocacyBot"
    assert parse_settings({"bot_pages": {"about": ""}}, source="test.yaml").bot_pages.for_bot("X").about == ""
    assert "Meta:Bots/AdvocacyBot" not in named.bot_pages.for_bot("AdvocacyBot").titles()  # linked, never saved


@pytest.mark.parametrize("data, message", [
    ({"rooot": "x"}, "unknown key\\(s\\) rooot"),
    ({"nav": {"tabs": [{"key": "a", "label": "A", "target": "X", "colour": "red"}]}}, "nav.tabs\\[\\]|colour"),
    ({"nav": {"tabs": [{"key": "a", "label": "A"}]}}, "missing 'target'"),
    ({"nav": {"tabs": [{"key": "a", "label": "A", "target": "X"}, {"key": "a", "label": "B", "target": "Y"}]}},
     "duplicate key 'a'"),
    ({"staff": {"targets": [{"page": "X", "form": "poster"}]}}, "form: must be one of"),
    ({"root": ""}, "root: expected a non-empty string"),
    ({"root": "Bad [[title]]"}, "not a valid page title"),
    ({"archive": {"minthreadsleft": -1}}, "minthreadsleft"),
    ({"archive": {"algo": "nonsense"}}, "archive.algo: "),  # issue 15: it failed later, as a skip
    ({"archive": {"maxarchivesize": "huge"}}, "archive.maxarchivesize: "),
    ({"bot_pages": {"owner": "me"}}, "unknown key\\(s\\) owner"),
    ({"source": "somewhere"}, "unknown key\\(s\\) source"),  # the settings' own record, not the file's
    ({"bot_pages": {"about": "User:<bot>|x"}}, "bot_pages.about: .* not a valid page title"),
    # issue 14: the header template is written whole; a talk page there lost its threads
    ({"nav": {"template": "Talk:Global Advocacy"}}, "nav.template: 'Talk:Global Advocacy' is not in the Template"),
    (["a list"], "expected a mapping"),
])
def test_bad_settings_are_refused_with_the_key_named(data, message):
    with pytest.raises(UsageProblem, match=message):
        parse_settings(data, source="test.yaml")


def test_every_field_of_the_settings_is_a_key_of_the_file():
    """Issue 18: the schema repeated the dataclasses' fields. A file giving every field gets each one."""
    data = {"root": "Root", "legacy_roots": ["Old"],
            "nav": {"template": "Template:Root/Tabs", "tabs": [{"key": "a", "label": "A", "target": "Root"}]},
            "staff": {"roster": "wiki:User:<bot>/team.json", "targets": [{"page": "Root", "form": "cards"}]},
            "bot_pages": {"shutoff": "User:<bot>/Off", "status": "User:<bot>/Status", "run_log": "User:<bot>/Log",
                          "state": "User:<bot>/s.json", "settings": "User:<bot>/c.json", "about": "User:<bot>"},
            "archive": {"algo": "old(10d)", "resolvedalgo": "old(1d)", "resolvedtemplates": ["Done"],
                        "minthreadsleft": 1, "minthreadstoarchive": 1, "maxarchivesize": "50K",
                        "archiveheader": "{{Archive}}"}}
    settings = parse_settings(data, source="test.yaml")
    assert settings.archive.algo == "old(10d)" and settings.archive.resolvedtemplates == ("Done",)
    assert settings.bot_pages.run_log == "User:<bot>/Log" and settings.nav.template == "Template:Root/Tabs"
    assert settings.legacy_roots == ("Old",) and settings.staff.targets[0].form == "cards"


def test_unreadable_or_invalid_files_are_usage_problems(tmp_path: Path):
    with pytest.raises(UsageProblem, match="cannot read"):
        load_settings(tmp_path / "missing.yaml")
    bad = tmp_path / "bad.yaml"
    bad.write_text("root: [unclosed")
    with pytest.raises(UsageProblem, match="not valid YAML"):
        load_settings(bad)


def test_yaml_errors_name_the_file_and_line(tmp_path: Path):
    """Issue 17: YAML errors said `in "<unicode string>"` instead of the file."""
    bad = tmp_path / "bad.yaml"
    bad.write_text("root: Global Advocacy\nnav:\n  tabs: [unclosed\n")
    with pytest.raises(UsageProblem) as caught:
        load_settings(bad)
    assert f'"{bad}", line' in caught.value.message and "<unicode string>" not in caught.value.message


def test_a_relative_roster_path_is_the_settings_files_neighbour(tmp_path: Path, monkeypatch):
    """Issue 17: a relative roster path was resolved from the shell's directory."""
    folder = tmp_path / "conf"
    folder.mkdir()
    path = folder / "settings.yaml"
    path.write_text("staff: {roster: team/roster.yaml}\n")
    monkeypatch.chdir(tmp_path)
    assert load_settings(path).staff.roster == str(folder / "team" / "roster.yaml")
    path.write_text("staff: {roster: 'wiki:User:<bot>/roster.json'}\n")
    assert load_settings(path).staff.roster == "wiki:User:<bot>/roster.json"  # a page, not a path


def test_the_header_templates_default_follows_the_root():
    """Issue 17: `root` changed, `nav.template` stayed Template:Global Advocacy/Header."""
    settings = parse_settings({"root": "Wikimedia Foundation/Advocacy"})
    assert settings.nav.template == "Template:Wikimedia Foundation/Advocacy/Header"
    assert parse_settings({}).nav.template == "Template:Global Advocacy/Header"
