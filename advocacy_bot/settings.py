"""The settings file: one documented schema (README, "Settings"), validated before anything runs.

Without ``--config`` the built-in defaults describe Meta-Wiki's tree under ``Global Advocacy``.
Unknown keys, wrong types and bad values raise :class:`~advocacy_bot.outcomes.UsageProblem` (exit 2).
Each task's part (``nav``, ``staff``, ``archive``) is validated here too, so a run never starts with
settings that only fail half-way.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field, fields, replace
from pathlib import Path
from typing import Any

import yaml

from .outcomes import UsageProblem
from .wikitext.talk_threads import parse_algo, parse_size
from .wikitext.titles import normalize_title

WIKI_ROSTER_PREFIX = "wiki:"  # staff.roster: "wiki:<title>" names a page, anything else a file

BOT_PLACEHOLDER = "<bot>"


@dataclass(frozen=True)
class Tab:
    key: str
    label: str
    target: str


@dataclass(frozen=True)
class NavSettings:
    template: str = "Template:Global Advocacy/Header"
    tabs: tuple[Tab, ...] = ()


@dataclass(frozen=True)
class StaffTarget:
    page: str
    form: str  # "cards" or "contacts"


@dataclass(frozen=True)
class StaffSettings:
    roster: str | None = None  # a YAML/JSON file path, or "wiki:<title>" for a JSON page on the wiki
    targets: tuple[StaffTarget, ...] = ()


@dataclass(frozen=True)
class BotPages:
    """The bot's own pages; ``<bot>`` stands for the bot account's user name."""

    shutoff: str = f"User:{BOT_PLACEHOLDER}/Shutoff"
    status: str = f"User:{BOT_PLACEHOLDER}/Translation status"
    run_log: str | None = None
    state: str = f"User:{BOT_PLACEHOLDER}/state.json"
    # Optional JSON settings that maintainers edit on the wiki (see onwiki.py); only read, never
    # saved, so it is not among titles() and gives the bot no page to edit.
    settings: str | None = None
    # The page that explains the bot (who runs it, what it does, how to stop it), linked from every
    # edit summary; only linked, never read or saved. "" leaves the link out.
    about: str = f"User:{BOT_PLACEHOLDER}"

    def for_bot(self, bot_user: str) -> BotPages:
        def fill(title: str) -> str:
            return title.replace(BOT_PLACEHOLDER, bot_user)

        def fill_optional(title: str | None) -> str | None:
            return fill(title) if title else title

        return BotPages(fill(self.shutoff), fill(self.status), fill_optional(self.run_log), fill(self.state),
                        fill_optional(self.settings), fill(self.about))

    def titles(self) -> list[str]:
        """The pages the bot may save (the edit scope adds them to the tree)."""
        return [t for t in (self.shutoff, self.status, self.run_log, self.state) if t]


@dataclass(frozen=True)
class ArchiveDefaults:
    """Defaults for talk pages whose configuration template leaves a parameter out."""

    algo: str = "old(30d)"
    resolvedalgo: str = "old(2d)"
    resolvedtemplates: tuple[str, ...] = ("Resolved", "Section resolved")
    minthreadsleft: int = 5
    minthreadstoarchive: int = 2
    maxarchivesize: str = "200K"
    archiveheader: str = "{{Talk archive}}"


@dataclass(frozen=True)
class Settings:
    root: str = "Global Advocacy"
    legacy_roots: tuple[str, ...] = ("Public policy",)
    nav: NavSettings = field(default_factory=NavSettings)
    staff: StaffSettings = field(default_factory=StaffSettings)
    bot_pages: BotPages = field(default_factory=BotPages)
    archive: ArchiveDefaults = field(default_factory=ArchiveDefaults)
    # where these settings came from, for messages (not a key of the file)
    source: str = field(default="built-in defaults", metadata={"derived": True})

    @property
    def talk_root(self) -> str:
        return f"Talk:{self.root}"


def default_tabs(root: str) -> tuple[Tab, ...]:
    """The nine tabs of the English header on Meta-Wiki (FACTS.md section 1)."""
    sub = [("about", "About"), ("documentation", "Documentation"), ("resource-center", "Resource Center"),
           ("conversation-hours", "Conversation Hours and Events"), ("get-involved", "Get Involved"), ("faq", "FAQ"),
           ("announcements", "Announcements")]
    return (Tab("home", "Home", root), *(Tab(key, label, f"{root}/{label}") for key, label in sub),
            Tab("discussion", "Discussion", f"Talk:{root}"))


def default_staff(root: str) -> StaffSettings:
    """The roster as the bot's own JSON page; the team on the root (cards), the regional contacts in the FAQ."""
    return StaffSettings(f"wiki:User:{BOT_PLACEHOLDER}/roster.json",
                         (StaffTarget(root, "cards"), StaffTarget(f"{root}/FAQ", "contacts")))


def default_settings() -> Settings:
    settings = Settings()
    return replace(settings, nav=replace(settings.nav, tabs=default_tabs(settings.root)),
                   staff=default_staff(settings.root))


# -- loading and validation ---------------------------------------------------------------------

def _file_keys(settings_class: type) -> set[str]:
    """The keys a settings file may give for ``settings_class``: its fields, but those it derives."""
    return {spec.name for spec in fields(settings_class) if not spec.metadata.get("derived")}


# The schema is the dataclasses' own fields: a field added there is a key the file may give.
_SCHEMA_KEYS = {
    "": _file_keys(Settings),
    "nav": _file_keys(NavSettings),
    "nav.tabs[]": _file_keys(Tab),
    "staff": _file_keys(StaffSettings),
    "staff.targets[]": _file_keys(StaffTarget),
    "bot_pages": _file_keys(BotPages),
    "archive": _file_keys(ArchiveDefaults),
}
STAFF_FORMS = ("cards", "contacts")


def load_settings(path: Path | str | None) -> Settings:
    """Read and validate a settings file; None gives the built-in defaults."""
    if path is None:
        return default_settings()
    return parse_settings(*read_settings_data(path))


def read_settings_data(path: Path | str | None) -> tuple[Any, str]:
    """The settings file's data, unvalidated, and its name for messages (``({}, ...)`` without a file).

    For layering the on-wiki settings page over the file (:mod:`advocacy_bot.onwiki`).
    """
    if path is None:
        return {}, "built-in defaults"
    path = Path(path)
    try:
        with path.open(encoding="utf-8") as handle:  # a stream with a name: YAML's errors name the file
            data = yaml.safe_load(handle)
    except OSError as error:
        raise UsageProblem(f"cannot read settings file {path}: {error.strerror}") from error
    except yaml.YAMLError as error:
        raise UsageProblem(f"settings file {path} is not valid YAML: {error}") from error
    return _paths_from(path.parent, data if data is not None else {}), str(path)


def _paths_from(folder: Path, data: Any) -> Any:
    """``data`` with a relative roster path made the settings file's neighbour (not the shell's)."""
    staff = data.get("staff") if isinstance(data, dict) else None
    if not isinstance(staff, dict):
        return data
    roster = staff.get("roster")
    if isinstance(roster, str) and roster.strip() and not roster.startswith(WIKI_ROSTER_PREFIX) \
            and not Path(roster).expanduser().is_absolute():
        staff["roster"] = str(folder.absolute() / roster)
    return data


def parse_settings(data: Any, source: str = "settings") -> Settings:
    """Validate a settings mapping (from YAML or an on-wiki JSON page) into :class:`Settings`."""
    where = _Where(source)
    mapping = where.mapping(data, "")
    root = where.title(mapping.get("root", "Global Advocacy"), "root")
    legacy = tuple(where.title(t, f"legacy_roots[{i}]")
                   for i, t in enumerate(where.sequence(mapping.get("legacy_roots", ["Public policy"]),
                                                        "legacy_roots")))
    nav_data = where.mapping(mapping.get("nav", {}), "nav")
    tabs = default_tabs(root)
    if "tabs" in nav_data:
        tabs = tuple(_tab(where, item, f"nav.tabs[{i}]")
                     for i, item in enumerate(where.sequence(nav_data["tabs"], "nav.tabs")))
    _unique(where, [t.key for t in tabs], "nav.tabs", "key")
    _unique(where, [t.target for t in tabs], "nav.tabs", "target")
    template = where.title(nav_data.get("template", f"Template:{root}/Header"), "nav.template")
    if not template.startswith("Template:"):
        # the bot writes the header template whole: a page of another namespace is someone's content
        where.fail(f"nav.template: {template!r} is not in the Template namespace (Template:...)")
    nav = NavSettings(template, tabs)

    staff_data = where.mapping(mapping.get("staff", {}), "staff")
    staff_defaults = default_staff(root)
    targets = staff_defaults.targets
    if "targets" in staff_data:
        targets = tuple(_staff_target(where, item, f"staff.targets[{i}]")
                        for i, item in enumerate(where.sequence(staff_data["targets"], "staff.targets")))
    roster = staff_data.get("roster", staff_defaults.roster)
    if roster is not None:
        roster = where.text(roster, "staff.roster")
    staff = StaffSettings(roster, targets)

    pages_data = where.mapping(mapping.get("bot_pages", {}), "bot_pages")
    defaults = BotPages()
    bot_pages = BotPages(
        shutoff=where.title(pages_data.get("shutoff", defaults.shutoff), "bot_pages.shutoff"),
        status=where.title(pages_data.get("status", defaults.status), "bot_pages.status"),
        run_log=(where.title(pages_data["run_log"], "bot_pages.run_log")
                 if pages_data.get("run_log") is not None else None),
        state=where.title(pages_data.get("state", defaults.state), "bot_pages.state"),
        settings=(where.title(pages_data["settings"], "bot_pages.settings")
                  if pages_data.get("settings") is not None else None),
        about=(where.title(pages_data.get("about", defaults.about), "bot_pages.about")
               if pages_data.get("about", defaults.about) else ""),
    )
    archive = _archive(where, where.mapping(mapping.get("archive", {}), "archive"))
    return Settings(root, legacy, nav, staff, bot_pages, archive, source)


def _tab(where: _Where, item: Any, path: str) -> Tab:
    data = where.mapping(item, path, schema="nav.tabs[]")
    for required in ("key", "label", "target"):
        if required not in data:
            where.fail(f"{path}: missing '{required}'")
    key, label = where.text(data["key"], f"{path}.key"), where.text(data["label"], f"{path}.label")
    # The key goes into the header template (data-key, #ifeq) and every call's current=; the label
    # into a link inside a <translate> unit: markup in either would break the header.
    if not _TAB_KEY.fullmatch(key):
        where.fail(f"{path}.key: {key!r} must be letters, digits, '-', '_' or '.'")
    if any(bad in label for bad in _LABEL_FORBIDDEN):
        where.fail(f"{path}.label: {label!r} must not hold wiki markup ({' '.join(_LABEL_FORBIDDEN[:-1])})")
    return Tab(key, label, where.title(data["target"], f"{path}.target"))


_TAB_KEY = re.compile(r"[A-Za-z0-9][A-Za-z0-9_.-]*")
_LABEL_FORBIDDEN = ("[[", "]]", "{{", "}}", "<translate", "</translate", "<!--", "\n")


def _staff_target(where: _Where, item: Any, path: str) -> StaffTarget:
    data = where.mapping(item, path, schema="staff.targets[]")
    if "page" not in data:
        where.fail(f"{path}: missing 'page'")
    form = data.get("form", "cards")
    if form not in STAFF_FORMS:
        where.fail(f"{path}.form: must be one of {', '.join(STAFF_FORMS)}, not {form!r}")
    return StaffTarget(where.title(data["page"], f"{path}.page"), form)


def _archive(where: _Where, data: dict) -> ArchiveDefaults:
    defaults = ArchiveDefaults()
    values: dict[str, Any] = {}
    for key in ("algo", "resolvedalgo", "maxarchivesize", "archiveheader"):
        if key in data:
            values[key] = where.text(data[key], f"archive.{key}")
    # Checked at load, by the rules the archive task reads them with: a bad default is the
    # operator's problem (exit 2), not a skip on every talk page that leaves it out.
    for key, parse in (("algo", parse_algo), ("resolvedalgo", parse_algo), ("maxarchivesize", parse_size)):
        if key in values:
            try:
                parse(values[key])
            except ValueError as error:
                where.fail(f"archive.{key}: {error}")
    for key in ("minthreadsleft", "minthreadstoarchive"):
        if key in data:
            if not isinstance(data[key], int) or isinstance(data[key], bool) or data[key] < 0:
                where.fail(f"archive.{key}: must be a whole number >= 0, not {data[key]!r}")
            values[key] = data[key]
    if "resolvedtemplates" in data:
        values["resolvedtemplates"] = tuple(where.text(t, f"archive.resolvedtemplates[{i}]")
                                            for i, t in enumerate(where.sequence(data["resolvedtemplates"],
                                                                                 "archive.resolvedtemplates")))
    return replace(defaults, **values)


def _unique(where: _Where, values: list[str], path: str, what: str) -> None:
    seen: set[str] = set()
    for value in values:
        if value in seen:
            where.fail(f"{path}: duplicate {what} {value!r}")
        seen.add(value)


class _Where:
    """Validation helpers that name the file and the key in every message."""

    def __init__(self, source: str):
        self.source = source

    def fail(self, message: str):
        raise UsageProblem(f"{self.source}: {message}")

    def mapping(self, value: Any, path: str, schema: str | None = None) -> dict:
        if not isinstance(value, dict):
            self.fail(f"{path or 'top level'}: expected a mapping, got {type(value).__name__}")
        allowed = _SCHEMA_KEYS[schema if schema is not None else path]
        unknown = sorted(set(map(str, value)) - allowed)
        if unknown:
            self.fail(f"{path or 'top level'}: unknown key(s) {', '.join(unknown)} "
                      f"(allowed: {', '.join(sorted(allowed))})")
        return value

    def sequence(self, value: Any, path: str) -> list:
        if not isinstance(value, list):
            self.fail(f"{path}: expected a list, got {type(value).__name__}")
        return value

    def text(self, value: Any, path: str) -> str:
        if not isinstance(value, str) or not value.strip():
            self.fail(f"{path}: expected a non-empty string, got {value!r}")
        return value.strip()

    def title(self, value: Any, path: str) -> str:
        title = self.text(value, path)
        if any(char in title.replace(BOT_PLACEHOLDER, "") for char in "[]{}|#<>\n"):
            self.fail(f"{path}: {title!r} is not a valid page title")
        return normalize_title(title)
