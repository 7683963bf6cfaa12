import pytest

from advocacy_bot.wikitext.bots import bot_may_edit
from advocacy_bot.wikitext.redirects import redirect_target


@pytest.mark.parametrize("text, allowed", [
    ("plain text", True),
    ("{{nobots}}", False),
    ("{{ NoBots }}", False),
    ("{{bots}}", True),
    ("{{bots|deny=all}}", False),
    ("{{bots|deny=SomeBot, AdvocacyBot}}", False),
    ("{{bots|deny=SomeBot}}", True),
    ("{{bots|deny=none}}", True),
    ("{{bots|allow=none}}", False),
    ("{{bots|allow=all}}", True),
    ("{{bots|allow=SomeBot}}", False),
    ("{{bots|allow=Advocacy_Bot,SomeBot}}", False),
    ("{{bots|allow=AdvocacyBot,SomeBot}}", True),
    ("<!-- {{nobots}} -->", True),
    ("<nowiki>{{nobots}}</nowiki>", True),
    ("{{Box|content={{nobots}}}}", False),
])
def test_bots_and_nobots(text, allowed):
    assert bot_may_edit(text, "AdvocacyBot") is allowed


@pytest.mark.parametrize("text, target", [
    ("#REDIRECT [[Global Advocacy]]", "Global Advocacy"),
    ("#redirect:[[Wikimedia_Foundation/Legal/Global Advocacy|x]]", "Wikimedia Foundation/Legal/Global Advocacy"),
    ("  #Redirect [[Global Advocacy#Team]]", "Global Advocacy"),
    ("Text with #REDIRECT [[X]] later", None),
    ("", None),
])
def test_redirect_target(text, target):
    assert redirect_target(text) == target
