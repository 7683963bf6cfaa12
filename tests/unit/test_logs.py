"""Log lines: structured for Toolforge's log files, and never a password, cookie or token, even at -vv."""

from __future__ import annotations

import io
import logging
import re

import pytest

from advocacy_bot.logs import (MASK, SecretFilter, guard_pywikibot_logging, mask, register_secret, setup_logging,
                               task_context)

TOKEN = "0123456789abcdef0123456789abcdef+\\"
SECRETS = {
    "lgpassword=hunter2hunter2&lgname=Bot": "hunter2hunter2",
    "('AdvocacyBot', BotPassword('advocacybot', 'p4ssw0rd0123456789abcdefghijklmn'))": "p4ssw0rd0123456789abcdefghijklmn",
    f"action=edit&token={TOKEN.replace('+', '%2B').replace(chr(92), '%5C')}&title=X": "0123456789abcdef0123456789abcdef",
    f'{{"query": {{"tokens": {{"csrftoken": "{TOKEN}"}}}}}}': "0123456789abcdef0123456789abcdef",
    f"bare {TOKEN} in a message": "0123456789abcdef0123456789abcdef",
    "Cookie: advocacydev_session=s3ss10nv4lue; advocacydevUserID=2": "s3ss10nv4lue",
    "Set-Cookie: centralauth_Token=t0k3nv4lu3; path=/; HttpOnly": "t0k3nv4lu3",
    "sent advocacydev_session=abcdef123456 along": "abcdef123456",
    "Authorization: Bearer eyJhbGciOi.payload.signature": "eyJhbGciOi",
    '{"password": "correct horse battery"}': "horse battery",
}


@pytest.mark.parametrize("text, secret", SECRETS.items())
def test_mask_hides_passwords_cookies_and_tokens(text, secret):
    masked = mask(text)
    assert secret not in masked and MASK in masked


def test_mask_leaves_ordinary_text_alone():
    text = 'saved r12 -> r15: Navigation header: replaced hand-copied tab bar; current tab Home'
    assert mask(text) == text


def test_a_registered_secret_is_masked_anywhere():
    register_secret("a1b2c3d4e5f6a7b8")
    assert mask("the value a1b2c3d4e5f6a7b8 leaked") == f"the value {MASK} leaked"


@pytest.fixture
def captured():
    stream = io.StringIO()
    handler = setup_logging(2, stream=stream)  # -vv: everything, the HTTP libraries included
    yield stream
    logging.getLogger().removeHandler(handler)
    logging.getLogger().setLevel(logging.WARNING)


def test_lines_are_structured_and_masked_even_at_debug(captured):
    log = logging.getLogger("advocacy_bot.test")
    with task_context("nav"):
        log.info("saved r%s -> r%s: %s", 1, 2, "header", extra={"page": "Global Advocacy", "action": "save"})
        log.debug("request %s", {"action": "edit", "token": TOKEN, "lgpassword": "hunter2hunter2"})
    logging.getLogger("urllib3.connectionpool").debug("POST /api.php?token=%s", "deadbeefdeadbeefdeadbeef")
    try:
        raise RuntimeError("login failed with password=hunter2hunter2")
    except RuntimeError:
        log.error("crash", exc_info=True, extra={"action": "crash"})
    out = captured.getvalue()
    first = out.splitlines()[0]
    assert re.fullmatch(r'\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ INFO task=nav page="Global Advocacy" action=save '
                        r'saved r1 -> r2: header', first), first
    assert "task=nav page=- action=- request" in out and "task=- page=- action=crash crash" in out
    assert "Traceback" in out and "RuntimeError" in out
    for secret in ("hunter2hunter2", "0123456789abcdef0123456789abcdef", "deadbeefdeadbeefdeadbeef"):
        assert secret not in out


def test_without_v_only_warnings_reach_the_log():
    stream = io.StringIO()
    handler = setup_logging(0, stream=stream)
    try:
        logging.getLogger("advocacy_bot.test").info("quiet")
        logging.getLogger("advocacy_bot.test").warning("loud")
    finally:
        logging.getLogger().removeHandler(handler)
    assert "quiet" not in stream.getvalue() and "loud" in stream.getvalue()


def test_pywikibots_own_output_is_masked(capsys):
    import pywikibot

    guard_pywikibot_logging()
    handlers = logging.getLogger("pywiki").handlers
    assert handlers and all(any(isinstance(f, SecretFilter) for f in h.filters) for h in handlers)
    pywikibot.warning(f"API answered with token={TOKEN} and lgpassword=hunter2hunter2")
    captured = capsys.readouterr()
    shown = captured.out + captured.err
    assert "API answered with token=" in shown
    assert "hunter2hunter2" not in shown and "0123456789abcdef0123456789abcdef" not in shown


def test_the_wiki_layer_names_the_tasks_of_each_change_in_its_log_lines():
    """Under run-all a skip or failure found while saving names the tasks whose change it was."""
    from advocacy_bot.plan import Page, change_for
    from advocacy_bot.report import RunReport
    from advocacy_bot.tree import EditScope
    from advocacy_bot.wiki.apply import PlanApplier, ShutoffWatch

    stream = io.StringIO()
    handler = setup_logging(1, stream)
    try:
        report = RunReport(task="run-all", site="memory", dry_run=True)
        applier = PlanApplier(None, None, EditScope.build("R", "Bot", ()), report, ShutoffWatch("User:Bot/Shutoff"),
                              dry_run=True, out=lambda text: None)
        excluded = change_for(Page("R/A", 0, True, "{{nobots}}", 1), "{{nobots}}\nnew", "s", "nav+translate", None)
        with task_context("run-all"):
            applier.apply([excluded])
    finally:
        logging.getLogger().removeHandler(handler)
    assert [(o.title, o.code) for o in report.skipped] == [("R/A", "nobots")]
    [line] = [line for line in stream.getvalue().splitlines() if "nobots" in line]
    assert "nav+translate" in line and "run-all" not in line
