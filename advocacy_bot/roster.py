"""The team roster: one list of members in display order, validated before anything is edited.

A roster comes from a YAML or JSON file, or from a JSON page on the wiki (``wiki:<title>`` in the
settings). Either is a list of members or a mapping with ``members`` (and optional ``description``
and ``updated``). Every problem found is reported at once, naming the member and the field, as a
:class:`~advocacy_bot.outcomes.UsageProblem` (exit 2): a bad roster must never reach a page.

Pure apart from :func:`read_roster_file`; the wiki layer supplies pages and the accounts that exist.
"""

from __future__ import annotations

import json
import re
import unicodedata
from collections.abc import Iterable
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any

import yaml

from .outcomes import UsageProblem
from .plan import Page
from .settings import BOT_PLACEHOLDER, WIKI_ROSTER_PREFIX
from .wikitext.titles import normalize_title

FIELDS = ("key", "name", "title", "region", "username", "email")
REQUIRED = ("name", "title")
DOCUMENT_KEYS = ("members", "description", "updated")
WIKI_PREFIX = WIKI_ROSTER_PREFIX

# What would break the rendered list (a table cell, an inline <translate> unit) if it got in.
_MARKUP = re.compile(r"[\n\r<>\[\]{}|]")
_KEY = re.compile(r"^\w[\w.-]{0,63}$")
# No wikitext in an address: {{subst:...}} or ~~~~ would be expanded when the bot saves the link.
_EMAIL = re.compile(r"^[^@\s\[\]<>|{}'~\"]+@[^@\s\[\]<>|{}'~\"]+\.[^@\s\[\]<>|{}'~\"]+$")
_USERNAME_FORBIDDEN = re.compile(r"[#<>\[\]{}|/\n\r]")


@dataclass(frozen=True)
class Member:
    key: str
    name: str
    title: str
    region: str | None = None
    username: str | None = None
    email: str | None = None


@dataclass(frozen=True)
class Roster:
    members: tuple[Member, ...]
    source: str  # the file or page, for messages and the block's note to editors

    @property
    def usernames(self) -> list[str]:
        return [m.username for m in self.members if m.username]


@dataclass(frozen=True)
class RosterSource:
    """Where the settings say the roster lives: a wiki page title or a file path."""

    page: str | None = None
    path: str | None = None

    @property
    def hint(self) -> str:
        """How an editor of a target page finds the roster (file paths stay on the operator's machine)."""
        if self.page:
            return f"the roster page {self.page}"
        return f"the roster file {Path(self.path or '').name} kept by the bot's operator"


def roster_source(spec: str | None, bot_user: str) -> RosterSource:
    if not spec:
        raise UsageProblem("staff.roster is not set: name a YAML/JSON file or wiki:<title> in the settings")
    if spec.startswith(WIKI_PREFIX):
        title = spec[len(WIKI_PREFIX):].strip().replace(BOT_PLACEHOLDER, bot_user)
        if not title:
            raise UsageProblem("staff.roster: 'wiki:' needs a page title")
        return RosterSource(page=normalize_title(title))
    return RosterSource(path=spec)


def derive_key(name: str) -> str:
    """The default key of a member: the name's words, folded to lower-case ASCII where possible.

    ``Ana Lúcia Ferraz`` -> ``ana-lucia-ferraz``; letters without an ASCII form are kept.
    """
    folded = "".join(ch for ch in unicodedata.normalize("NFKD", name.casefold())
                     if not unicodedata.combining(ch))
    return "-".join(re.findall(r"[^\W_]+", folded))


def normalize_username(name: str) -> str:
    """MediaWiki's form of a user name: spaces for underscores, single spaces, first letter upper-case."""
    name = re.sub(r"[ _]+", " ", name).strip()
    return name[:1].upper() + name[1:]


def parse_roster(data: Any, source: str) -> Roster:
    """Validate roster data (from YAML or JSON) into a :class:`Roster`; all problems at once."""
    problems: list[str] = []
    if isinstance(data, dict):
        unknown = sorted(set(map(str, data)) - set(DOCUMENT_KEYS))
        if unknown:
            problems.append(f"unknown top-level key(s) {', '.join(unknown)} (allowed: {', '.join(DOCUMENT_KEYS)})")
        data = data.get("members")
    if not isinstance(data, list):
        _fail(source, problems + [f"expected a list of members (or 'members:'), got {type(data).__name__}"])
    if not data:
        _fail(source, problems + ["the roster has no members; refusing to empty the team lists"])
    members = []
    for index, item in enumerate(data, start=1):
        member = _member(item, index, problems)
        if member is not None:
            members.append(member)
    _check_unique(members, problems)
    if problems:
        _fail(source, problems)
    return Roster(tuple(members), source)


def load_roster_text(text: str, source: str, fmt: str = "yaml") -> Roster:
    """Parse roster text: ``json`` (an on-wiki page or a .json file) or ``yaml``."""
    try:
        data = json.loads(text) if fmt == "json" else yaml.safe_load(text)
    except (json.JSONDecodeError, yaml.YAMLError) as error:
        raise UsageProblem(f"roster {source} is not valid {fmt.upper()}: {error}") from error
    return parse_roster(data, source)


def read_roster_file(path: str | Path) -> Roster:
    path = Path(path)
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as error:
        raise UsageProblem(f"cannot read roster file {path}: {error.strerror}") from error
    return load_roster_text(text, str(path), "json" if path.suffix.lower() == ".json" else "yaml")


def trust_problem(page: Page, bot_user: str) -> str | None:
    """Why an on-wiki roster cannot be trusted, or None.

    Trusted: the bot's own user JSON page (MediaWiki lets only that user and interface
    administrators edit ``User:<name>/...json``), or a page that only administrators can edit.
    """
    if not page.exists:
        return f"the roster page {page.title} does not exist"
    if page.redirect:
        return f"the roster page {page.title} is a redirect; name its target in staff.roster"
    if is_trusted_page(page, bot_user):
        return None
    levels = ", ".join(f"{action}={level}" for action, level in page.protection) or "none"
    return (f"the roster page {page.title} is not trusted: it is not {bot_user}'s own user JSON page "
            f"(User:{bot_user}/....json) and not protected so that only administrators can edit it "
            f"(protection: {levels}); protect it (edit=sysop) or move the roster to User:{bot_user}/roster.json")


def is_trusted_page(page: Page, bot_user: str) -> bool:
    """Only the bot or administrators can edit it: the bot's own user JSON page, or edit=sysop.

    The rule for every page the bot takes instructions from (the roster, the on-wiki settings).
    """
    own = (page.namespace == 2 and page.title.startswith(f"User:{bot_user}/") and page.title.endswith(".json")
           and page.content_model == "json")
    return own or ("edit", "sysop") in page.protection


def username_problems(roster: Roster, existing: Iterable[str]) -> list[str]:
    """One message per member whose ``username`` is not an account on the wiki."""
    known = set(existing)
    return [f"member {m.name!r}: field 'username': no account {m.username!r} on the wiki"
            for m in roster.members if m.username and m.username not in known]


def check_usernames(roster: Roster, existing: Iterable[str]) -> None:
    problems = username_problems(roster, existing)
    if problems:
        _fail(roster.source, problems)


def roster_yaml(members: Iterable[Member]) -> str:
    """A roster file's text for ``members`` (what ``staff adopt`` prints); read back by :func:`parse_roster`."""
    items = [{key: value for key, value in asdict(member).items() if value} for member in members]
    return yaml.safe_dump({"members": items}, sort_keys=False, allow_unicode=True, width=120)


# -- validation helpers -------------------------------------------------------------------------

def _fail(source: str, problems: list[str]):
    raise UsageProblem(f"roster {source}:\n  " + "\n  ".join(problems))


def _member(item: Any, index: int, problems: list[str]) -> Member | None:
    if not isinstance(item, dict):
        problems.append(f"member {index}: expected a mapping with name and title, got {type(item).__name__}")
        return None
    label = f"member {index}" + (f" ({item['name']!r})" if isinstance(item.get("name"), str) else "")
    unknown = sorted(set(map(str, item)) - set(FIELDS))
    if unknown:
        problems.append(f"{label}: unknown field(s) {', '.join(unknown)} (allowed: {', '.join(FIELDS)})")
    values: dict[str, str | None] = {}
    for field in FIELDS:
        value = item.get(field)
        if value is not None and not isinstance(value, str):
            problems.append(f"{label}: field {field!r} must be text, not {type(value).__name__}")
            value = None
        value = value.strip() if value else None
        if field in REQUIRED and not value:
            problems.append(f"{label}: field {field!r} is {'empty' if field in item else 'missing'}")
        values[field] = value or None
    ok = True
    for field in ("name", "title", "region"):
        text = values[field]
        if text and _MARKUP.search(text):
            problems.append(f"{label}: field {field!r} must be plain text on one line (no < > [ ] {{ }} |)")
            ok = False
    if values["name"] and not re.search(r"[^\W_]", values["name"]):
        problems.append(f"{label}: field 'name' has no letters")
        ok = False
    key = values["key"] or (derive_key(values["name"]) if values["name"] else None)
    if values["key"] and not _KEY.match(values["key"]):
        problems.append(f"{label}: field 'key' must be letters, digits, '.', '-' or '_' (at most 64), "
                        f"not {values['key']!r}")
        ok = False
    username = values["username"]
    if username:
        if _USERNAME_FORBIDDEN.search(username):
            problems.append(f"{label}: field 'username' {username!r} is not a valid user name")
            ok = False
        username = normalize_username(username)
    if values["email"] and not _EMAIL.match(values["email"]):
        problems.append(f"{label}: field 'email' {values['email']!r} is not an e-mail address")
        ok = False
    if not (ok and key and values["name"] and values["title"]):
        return None
    return Member(key, values["name"], values["title"], values["region"], username, values["email"])


def _check_unique(members: list[Member], problems: list[str]) -> None:
    names: dict[str, Member] = {}
    keys: dict[str, Member] = {}
    for member in members:
        folded = " ".join(member.name.casefold().split())
        if folded in names:
            problems.append(f"member {member.name!r}: field 'name': duplicate of {names[folded].name!r}")
        names.setdefault(folded, member)
        if member.key in keys:
            problems.append(f"member {member.name!r}: field 'key': {member.key!r} is also the key of "
                            f"{keys[member.key].name!r}")
        keys.setdefault(member.key, member)
