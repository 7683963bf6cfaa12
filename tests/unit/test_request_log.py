"""The debug line each request leaves (-vv): what it asked, without page texts or titles' lists."""

from __future__ import annotations

import requests

from advocacy_bot.wiki.client import _action_of, describe_request


def prepared(method: str, params: dict) -> requests.PreparedRequest:
    url = "http://127.0.0.1:8080/api.php"
    if method == "GET":
        return requests.Request("GET", url, params=params).prepare()
    return requests.Request("POST", url, data=params).prepare()


def test_a_read_says_its_modules_and_how_many_titles():
    request = prepared("POST", {"action": "query", "prop": "revisions|info", "meta": "userinfo",
                                "titles": "Global Advocacy|Global Advocacy/FAQ|Talk:Global Advocacy"})
    assert describe_request(request) == "query prop=revisions|info meta=userinfo titles=3"
    assert _action_of(request) == "query"


def test_an_edit_says_its_page_never_its_text():
    request = prepared("POST", {"action": "edit", "title": "Global Advocacy/FAQ", "text": "secret & long text",
                                "token": "abc+\\"})
    assert describe_request(request) == "edit title=Global Advocacy/FAQ"


def test_a_request_in_the_url_is_described_too():
    request = prepared("GET", {"action": "query", "meta": "siteinfo|userinfo"})
    assert describe_request(request) == "query meta=siteinfo|userinfo"


def test_a_body_without_a_content_type_is_read_as_form_parameters():
    request = prepared("POST", {"action": "query", "meta": "tokens"})
    del request.headers["Content-Type"]
    assert describe_request(request) == "query meta=tokens"
