"""The embedded dev wiki: a real MediaWiki from Debian's packages, SQLite, PHP's built-in server.

One dev wiki lives in one folder (``--devwiki-dir``); several folders give several wikis side by side,
each on its own port. Layout of the folder::

    devwiki.json      port, API URL, family name, server pid (the wiki's own configuration)
    credentials.json  Admin and bot passwords (mode 600; never printed)
    db/               the SQLite databases
    conf/             LocalSettings.php from install.php, plus AdvocacySettings.php written by us
    jobs/, cache/     the real Translate's cache folder (only with ``--translate-dir``)
    pywikibot/        PYWIKIBOT_DIR for this wiki: user-config.py, user-password.py (mode 600)
    server.log        the PHP server's output

Accounts: ``Admin`` (sysop, bureaucrat) and ``AdvocacyBot`` (bot group) which logs in with a
BotPassword (``AdvocacyBot@advocacybot``), as the real bot does on Meta-Wiki.

Translate: by default the wiki loads ``TranslateShim.php``, which renders Translate markup as the real
extension does for the cases the bot depends on. With a *Translate directory* (``up(translate_dir=...)``:
checkouts ``Translate/`` and ``UniversalLanguageSelector/`` of branch REL1_39) it loads the real extension
instead; ``devwiki.json`` remembers the choice across ``down``/``up``.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.error
import urllib.request
from contextlib import closing
from dataclasses import dataclass
from pathlib import Path

from ..logs import register_secret

MEDIAWIKI_DIR = Path("/usr/share/mediawiki")
DEBIAN_PACKAGES = ("mediawiki", "php-cli", "php-sqlite3", "php-intl", "php-mbstring", "php-xml")
DEFAULT_PORT = 8089
ADMIN_USER = "Admin"
BOT_USER = "AdvocacyBot"
BOT_APP_ID = "advocacybot"
# The least a sync needs: read, edit and create pages, high limits (500 titles a read), own JSON pages.
BOT_GRANTS = "basic,highvolume,editpage,createeditmovepage,editmycssjs"
SHIM_FILE = Path(__file__).with_name("TranslateShim.php")
READY_TAG_SCRIPT = Path(__file__).with_name("tagTranslatablePages.php")
# The extensions a Translate directory holds, in load order (Translate requires ULS).
TRANSLATE_EXTENSIONS = ("UniversalLanguageSelector", "Translate")
DEMO_SNAPSHOT = Path(__file__).with_name("demo_snapshot.xml")
# The staff of the demo's roster (User:AdvocacyBot/roster.json in demo_snapshot.xml), as a JSON list of members.
DEMO_ROSTER = Path(__file__).with_name("demo_roster.json")
FAMILIES_DIR = Path(__file__).resolve().parents[2] / "families"
SCRIPTS_DIR = Path(__file__).resolve().parents[2] / "scripts"
# pywikibot finds scripts by name (`pwb nav_sync`) in user_script_paths, entries relative to its folder
# and written with dots for slashes: a link in the folder works wherever the checkout lives.
SCRIPTS_LINK = "advocacy_scripts"


def demo_roster() -> tuple[dict, ...]:
    """The members of the demo's roster (``demo_roster.json``): key, name, title, region, username, email."""
    return tuple(json.loads(DEMO_ROSTER.read_text(encoding="utf-8")))


def demo_usernames() -> list[str]:
    """The accounts of the demo roster's staff, in roster order (members without one left out)."""
    return [member["username"] for member in demo_roster() if member.get("username")]


class DevWikiError(RuntimeError):
    """The dev wiki could not be set up, started or reached; the message says what to do."""


@dataclass(frozen=True)
class DevWikiInfo:
    """What other code needs to reach a dev wiki: read from ``devwiki.json`` and ``credentials.json``."""

    directory: Path
    port: int
    api_url: str
    family: str
    bot_user: str
    bot_password_name: str
    bot_password: str
    wiki_id: str = ""  # made at install, kept when the port changes: what reports name the wiki by

    @property
    def pywikibot_dir(self) -> Path:
        return self.directory / "pywikibot"


def default_directory() -> Path:
    return Path(os.environ.get("ADVOCACY_DEVWIKI_DIR") or ".devwiki")


class DevWiki:
    """Create, start, stop and reset one dev wiki in ``directory``."""

    def __init__(self, directory: Path | str, log=None):
        self.directory = Path(directory).resolve()
        self._log = log or (lambda message: print(message, file=sys.stderr))

    # -- paths --------------------------------------------------------------------------------
    @property
    def pywikibot_dir(self) -> Path:
        """PYWIKIBOT_DIR for this wiki (see DevWikiInfo.pywikibot_dir), known before it is installed."""
        return self.directory / "pywikibot"

    @property
    def state_file(self) -> Path:
        return self.directory / "devwiki.json"

    @property
    def credentials_file(self) -> Path:
        return self.directory / "credentials.json"

    @property
    def db_dir(self) -> Path:
        return self.directory / "db"

    @property
    def conf_dir(self) -> Path:
        return self.directory / "conf"

    @property
    def local_settings(self) -> Path:
        return self.conf_dir / "LocalSettings.php"

    def _state(self) -> dict:
        if not self.state_file.exists():
            return {}
        return json.loads(self.state_file.read_text())

    def _write_state(self, state: dict) -> None:
        self.state_file.write_text(json.dumps(state, indent=2, sort_keys=True) + "\n")

    def exists(self) -> bool:
        return self.local_settings.exists() and self.credentials_file.exists()

    def info(self) -> DevWikiInfo:
        if not self.exists():
            raise DevWikiError(f"no dev wiki in {self.directory}: run `advocacy-bot devwiki up` first")
        state = self._state()
        if not state.get("wiki_id"):  # a wiki installed before reports named their wiki
            state["wiki_id"] = _new_wiki_id()
            self._write_state(state)
        credentials = json.loads(self.credentials_file.read_text())
        return DevWikiInfo(
            directory=self.directory,
            port=state["port"],
            api_url=api_url(state["port"]),
            family=state["family"],
            bot_user=BOT_USER,
            bot_password_name=BOT_APP_ID,
            bot_password=credentials["bot_password"],
            wiki_id=state["wiki_id"],
        )

    def admin_password(self) -> str:
        if not self.credentials_file.exists():
            raise DevWikiError(f"no dev wiki in {self.directory}: run `advocacy-bot devwiki up` first")
        return json.loads(self.credentials_file.read_text())["admin_password"]

    # -- lifecycle ----------------------------------------------------------------------------
    def up(self, port: int | None = None, snapshot: Path | None = None, translate_dir: Path | None = None,
           documentation_language: bool | None = None, shim: bool = False) -> DevWikiInfo:
        """Create the wiki once, (re)start the server, import ``snapshot``; harmless when running.

        ``translate_dir`` loads the real Translate from that folder (remembered until ``shim=True``);
        ``documentation_language=False`` leaves Translate's default (no ``qqq``).
        """
        ensure_packages(self._log)
        if translate_dir is not None:
            translate_dir = check_translate_dir(translate_dir)
        created = False
        if not self.exists():
            self._install(port or DEFAULT_PORT)
            created = True
        state = self._state()
        changed = self._choose_translate(state, translate_dir, documentation_language, shim)
        running_pid = self.running_pid()
        if running_pid and changed:
            self._stop_for_copy()  # PHP's server workers keep the old settings loaded
            running_pid = None
        if running_pid and port not in (None, state["port"]):
            raise DevWikiError(
                f"the dev wiki in {self.directory} is running on port {state['port']}; "
                "run `advocacy-bot devwiki down` before moving it to another port"
            )
        if port and port != state["port"]:
            state["port"] = port
            self._write_state(state)
        elif not port and not running_pid and _port_answers(state["port"]):
            # Not a port the user chose: another program holds it (a second demo, another server).
            free = _free_port()
            self._log(f"port {state['port']} is in use by another program; the dev wiki runs on port {free}")
            state["port"] = free
            self._write_state(state)
        self._write_settings()
        self._update_translate_tables()
        self._write_pywikibot_config()
        if not running_pid:
            self._start_server()
        wait_for_api(api_url(self._state()["port"]))
        if snapshot is not None:
            self.import_xml(snapshot)
            if Path(snapshot).resolve() == DEMO_SNAPSHOT.resolve():
                # As on Meta-Wiki, the staff in the demo roster have accounts (the staff sync checks).
                self.create_accounts(demo_usernames())
        elif created:
            self._log(f"created an empty dev wiki in {self.directory}")
        return self.info()

    def down(self) -> bool:
        """Stop the server this folder started; returns whether one was running."""
        pid = self.running_pid()
        if not pid:
            return False
        os.killpg(pid, signal.SIGTERM)
        for _ in range(50):
            if not _is_our_server(pid):
                break
            time.sleep(0.1)
        else:
            os.killpg(pid, signal.SIGKILL)
        state = self._state()
        for _ in range(50):  # the server's workers may hold the port a moment longer: a next `up` needs it
            if not state.get("port") or not _port_answers(state["port"]):
                break
            time.sleep(0.1)
        state.pop("pid", None)
        self._write_state(state)
        return True

    def reset(self, port: int | None = None) -> DevWikiInfo:
        """Recreate an empty wiki in the same folder (same port unless one is given)."""
        old_port = self._state().get("port") if self.state_file.exists() else None
        self.down()
        for child in ("db", "conf", "pywikibot"):
            shutil.rmtree(self.directory / child, ignore_errors=True)
        for name in ("devwiki.json", "credentials.json", "server.log"):
            (self.directory / name).unlink(missing_ok=True)
        self._forget_moves()
        return self.up(port=port or old_port)

    def save_database(self, copy: Path | str) -> None:
        """Copy the SQLite databases to ``copy`` (benchmarks and reliability tests start each case
        from the same wiki). SQLite's backup copies each one consistently while the server runs."""
        copy = Path(copy)
        shutil.rmtree(copy, ignore_errors=True)
        copy.mkdir(parents=True)
        for database in self._databases():
            _copy_database(database, copy / database.name)

    def _forget_moves(self) -> None:
        """The bot's archive journal describes the pages as they were: with the pages put back or
        gone, it would name moves that never happened on them."""
        from ..archive_journal import journal_file

        journal_file(self.directory, "dev").unlink(missing_ok=True)
        self._forget_run_state()

    def _forget_run_state(self) -> None:
        """Pages put back or imported leave no recent change (or one dated in the past): the
        incremental runs' state (incremental.py) would let the next run read nothing. Without it, the
        next run reads the whole tree."""
        from ..incremental import state_file

        state_file(self.directory, "dev").unlink(missing_ok=True)

    def restore_database(self, copy: Path | str) -> None:
        """Put back the databases :meth:`save_database` copied: the wiki is again exactly as it was.
        Written through SQLite's backup into the live files, under SQLite's locks, so the server keeps
        running (a request finishing meanwhile waits for the copy or is overwritten by it, never mixed)."""
        copy = Path(copy)
        saved = sorted(path.name for path in copy.glob("*.sqlite"))
        if saved != sorted(path.name for path in self._databases()):
            raise DevWikiError(f"{copy} does not hold this wiki's databases ({', '.join(saved) or 'none'})")
        for name in saved:
            _copy_database(copy / name, self.db_dir / name)
        self._forget_moves()

    def _databases(self) -> list[Path]:
        return sorted(self.db_dir.glob("*.sqlite"))

    def _stop_for_copy(self) -> bool:
        """Stop the server and wait until its workers have let go of the port; whether it was running."""
        running = bool(self.running_pid())
        self.down()
        deadline = time.monotonic() + 10
        while running and _port_answers(self._state()["port"]) and time.monotonic() < deadline:
            time.sleep(0.05)
        return running

    def running_pid(self) -> int | None:
        pid = self._state().get("pid")
        if pid and _is_our_server(pid):
            return pid
        return None

    # -- Translate ----------------------------------------------------------------------------
    @property
    def translate_dir(self) -> Path | None:
        """The folder the real Translate is loaded from, or None when the wiki runs the shim."""
        folder = self._state().get("translate_dir")
        return Path(folder) if folder else None

    @property
    def documentation_language(self) -> bool:
        return self._state().get("documentation_language", True)

    def _choose_translate(self, state: dict, translate_dir: Path | None, documentation_language: bool | None,
                          shim: bool) -> bool:
        """Record the Translate choice in devwiki.json; whether it differs from the one recorded."""
        before = (state.get("translate_dir"), state.get("documentation_language", True))
        if shim:
            state.pop("translate_dir", None)
        elif translate_dir is not None:
            state["translate_dir"] = str(translate_dir)
        if documentation_language is not None:
            state["documentation_language"] = documentation_language
        self._write_state(state)
        return before != (state.get("translate_dir"), state.get("documentation_language", True))

    def _update_translate_tables(self) -> None:
        """Translate's own tables (``update.php``), once per Translate directory."""
        state = self._state()
        folder = state.get("translate_dir")
        if not folder or state.get("translate_tables") == folder:
            return
        self._log(f"creating Translate's tables (update.php) for {folder} ...")
        self.maintenance("update.php", "--quick", "--skip-external-dependencies")
        state["translate_tables"] = folder
        self._write_state(state)

    def run_jobs(self) -> int:
        """Run MediaWiki's job queue to the end (``$wgJobRunRate`` is 0: FuzzyBot's work waits here);
        how many jobs ran. (runJobs' own output is not passed on: it holds the session cookies.)"""
        output = self.maintenance("runJobs.php")
        return sum(1 for line in output.splitlines() if line.endswith(" good") or " error=" in line)

    # -- content ------------------------------------------------------------------------------
    def import_xml(self, path: Path, recent_changes: bool = True) -> None:
        """Import a Special:Export file (pages keep their authors and timestamps).

        ``recent_changes=False`` leaves Special:RecentChanges and the site statistics as they were:
        rebuilding them reads every revision of the wiki, which a test that seeds a few pages into
        a wiki of thousands does not need (the bot reads pages, listings and revisions). Either way
        the next run-all reads the whole tree (:meth:`_forget_run_state`)."""
        self.maintenance("importDump.php", "--no-updates", str(Path(path).resolve()))
        self._forget_run_state()
        if recent_changes:
            # importDump skips link tables with --no-updates; rebuild what the API's lists rely on.
            self.maintenance("rebuildrecentchanges.php")
            self.maintenance("initSiteStats.php", "--update")
        if self.translate_dir:
            # Translate tags a page "ready for translation" when it is saved; an import saves nothing, so
            # Special:PageTranslation would refuse the imported pages (tpt-notsuitable) until edited.
            self.maintenance_file(READY_TAG_SCRIPT)

    def create_accounts(self, names) -> None:
        """Create plain user accounts (random passwords nobody keeps); existing ones are left as they are."""
        for name in names:
            try:
                self.maintenance("createAndPromote.php", name, secrets.token_hex(16))
            except DevWikiError as error:
                if "Account exists" not in str(error):
                    raise

    def add_bot_account(self, name: str) -> str:
        """Another bot account with a BotPassword of the same grants, added to the dev wiki's
        user-password.py (until the next `devwiki up` rewrites it): what `-user:NAME` logs in with.
        Returns the BotPassword."""
        password = secrets.token_hex(16)
        self.maintenance("createAndPromote.php", "--force", "--bot", name, secrets.token_hex(16))
        self.maintenance("createBotPassword.php", "--appid", BOT_APP_ID, "--grants", BOT_GRANTS, name, password)
        register_secret(password)
        with (self.pywikibot_dir / "user-password.py").open("a") as handle:
            handle.write(f"({name!r}, BotPassword({BOT_APP_ID!r}, {password!r}))\n")
        return password

    def edit_as(self, user: str, title: str, text: str, summary: str = "") -> None:
        """Save ``text`` as ``user`` through maintenance/edit.php: a human's edit, for tests and demos,
        in the recent changes as a human's edit is (an incremental run finds it there)."""
        self.maintenance("edit.php", "--user", user, "--summary", summary or "edit", title,
                         stdin=text)

    def protect(self, title: str, level: str = "sysop", reason: str = "test") -> None:
        """Protect ``title`` as Admin: ``sysop`` (full) or ``autoconfirmed`` (semi-protection)."""
        levels = {"sysop": [], "autoconfirmed": ["--semiprotect"]}
        self.maintenance("protect.php", "--user", ADMIN_USER, "--reason", reason, *levels[level], title)

    def maintenance(self, script: str, *args: str, stdin: str | None = None) -> str:
        return self.maintenance_file(MEDIAWIKI_DIR / "maintenance" / script, *args, stdin=stdin)

    def maintenance_file(self, script: Path, *args: str, stdin: str | None = None) -> str:
        """Run a maintenance script (MediaWiki's or one of ours) against this wiki."""
        command = ["php", str(script), "--conf", str(self.local_settings), *args]
        name = Path(script).name
        env = dict(os.environ, MW_INSTALL_PATH=str(MEDIAWIKI_DIR))
        result = subprocess.run(command, input=stdin, capture_output=True, text=True, env=env)
        if result.returncode != 0:
            raise DevWikiError(f"{name} failed ({result.returncode}): {result.stderr or result.stdout}")
        return result.stdout

    # -- internals ----------------------------------------------------------------------------
    def _install(self, port: int) -> None:
        self.directory.mkdir(parents=True, exist_ok=True)
        self.db_dir.mkdir(exist_ok=True)
        self.conf_dir.mkdir(exist_ok=True)
        admin_password = "Admin-" + secrets.token_hex(12)
        bot_password = secrets.token_hex(16)  # BotPasswords are exactly 32 characters
        self._log(f"installing MediaWiki into {self.directory} ...")
        subprocess.run(
            ["php", str(MEDIAWIKI_DIR / "maintenance" / "install.php"), "--dbtype", "sqlite",
             "--dbpath", str(self.db_dir), "--confpath", str(self.conf_dir),
             "--server", f"http://127.0.0.1:{port}", "--scriptpath", "", "--lang", "en",
             "--pass", admin_password, "--skins", "Vector", "Advocacy Dev Wiki", ADMIN_USER],
            check=True, capture_output=True, text=True,
        )
        with self.local_settings.open("a") as handle:
            handle.write('\n# advocacy-bot: port, extensions and the Translate shim\n'
                         'require_once __DIR__ . "/AdvocacySettings.php";\n')
        self.local_settings.chmod(0o600)  # it holds $wgSecretKey and $wgUpgradeKey
        family = f"advocacydev{port}"
        self._write_state({"port": port, "family": family, "wiki_id": _new_wiki_id()})
        write_private(self.credentials_file, json.dumps(
            {"admin_password": admin_password, "bot_password": bot_password}, indent=2))
        self._write_settings()
        self.maintenance("createAndPromote.php", "--force", "--bot", BOT_USER, secrets.token_hex(16))
        self.maintenance("createBotPassword.php", "--appid", BOT_APP_ID, "--grants", BOT_GRANTS,
                         BOT_USER, bot_password)

    def _write_settings(self) -> None:
        state = self._state()
        port = state["port"]
        if state.get("translate_dir"):
            translate = translate_settings(Path(state["translate_dir"]), self.directory / "cache",
                                           state.get("documentation_language", True))
        else:
            translate = f"require_once {json.dumps(str(SHIM_FILE))};\n"
        (self.conf_dir / "AdvocacySettings.php").write_text(f"""<?php
// Written by `advocacy-bot devwiki up`; rewritten at every start.
$wgServer = "http://127.0.0.1:{port}";
$wgSitename = "Advocacy Dev Wiki";
// the MediaWiki flower, not the "set $wgLogos" placeholder
$wgLogos = [ "1x" => "$wgResourceBasePath/resources/assets/mediawiki.png" ];
$wgMainCacheType = CACHE_NONE;
$wgSessionCacheType = CACHE_DB;
$wgJobRunRate = 0;
$wgEnableBotPasswords = true;
$wgShowExceptionDetails = true;
$wgRateLimits = [];
$wgCookieSecure = false;
wfLoadExtension( 'ParserFunctions' );
{translate}""")

    def _write_pywikibot_config(self) -> None:
        """A pywikibot configuration for this wiki, usable with pwb.py and our scripts."""
        info = self.info()
        folder = info.pywikibot_dir
        folder.mkdir(exist_ok=True)
        families = ""
        if FAMILIES_DIR.is_dir():  # a source checkout: the family file that reads devwiki.json
            families = (f"user_families_paths = [{str(FAMILIES_DIR)!r}]\n"
                        f"usernames['advocacydev']['*'] = {BOT_USER!r}\n")
        if SCRIPTS_DIR.is_dir():  # and the scripts, so that `pwb nav_sync` finds them
            link = folder / SCRIPTS_LINK
            if link.is_symlink() or link.exists():
                link.unlink()
            link.symlink_to(SCRIPTS_DIR, target_is_directory=True)
            families += f"user_script_paths = [{SCRIPTS_LINK!r}]\n"
        (folder / "user-config.py").write_text(f"""# Written by `advocacy-bot devwiki up` for the dev wiki in
# {self.directory}.
family_files[{info.family!r}] = {info.api_url!r}
family = {info.family!r}
mylang = {info.family!r}
usernames[{info.family!r}]['*'] = {BOT_USER!r}
{families}password_file = {str(folder / 'user-password.py')!r}
put_throttle = 0
write_maxlag = 5
max_retries = 2
retry_wait = 1
retry_max = 4
""")
        write_private(folder / "user-password.py",
                      f"({BOT_USER!r}, BotPassword({BOT_APP_ID!r}, {info.bot_password!r}))\n")

    def _start_server(self) -> None:
        port = self._state()["port"]
        if _port_answers(port):
            raise DevWikiError(f"port {port} is already in use by another program; choose one with --port")
        env = dict(os.environ, MW_CONFIG_FILE=str(self.local_settings), PHP_CLI_SERVER_WORKERS="4")
        log = (self.directory / "server.log").open("ab")
        process = subprocess.Popen(
            ["php", "-S", f"127.0.0.1:{port}", "-t", str(MEDIAWIKI_DIR)],
            cwd=str(MEDIAWIKI_DIR), env=env, stdout=log, stderr=subprocess.STDOUT,
            stdin=subprocess.DEVNULL, start_new_session=True,
        )
        state = self._state()
        state["pid"] = process.pid
        self._write_state(state)


def check_translate_dir(folder: Path | str) -> Path:
    """The absolute Translate directory, or a DevWikiError naming what is missing."""
    folder = Path(folder).expanduser().resolve()
    missing = [name for name in TRANSLATE_EXTENSIONS if not (folder / name / "extension.json").is_file()]
    if missing:
        raise DevWikiError(
            f"{folder} has no {' and no '.join(name + '/extension.json' for name in missing)}: the folder must "
            "hold checkouts Translate/ and UniversalLanguageSelector/ (branch REL1_39 of both)")
    return folder


def translate_settings(folder: Path, cache_dir: Path, documentation_language: bool) -> str:
    """LocalSettings lines that load the real Translate and ULS from ``folder``, set up as on Meta-Wiki
    for what the bot touches: page translation, page languages in the database, the rights."""
    cache_dir.mkdir(parents=True, exist_ok=True)
    lines = [f"wfLoadExtension( {name!r}, {json.dumps(str(folder / name / 'extension.json'))} );"
             for name in TRANSLATE_EXTENSIONS]
    lines += [
        "$wgEnablePageTranslation = true;",
        "$wgPageLanguageUseDB = true;",
        f"$wgCacheDirectory = {json.dumps(str(cache_dir))};",
        "$wgTranslateDocumentationLanguageCode = " + ("'qqq';" if documentation_language else "false;"),
        "foreach ( [ 'pagetranslation', 'translate', 'translate-manage' ] as $right ) {",
        "	$wgGroupPermissions['sysop'][$right] = true;",
        "}",
        "$wgGroupPermissions['bot']['translate'] = true;",
        "$wgGroupPermissions['sysop']['pagelang'] = true;",
    ]
    return "// The real Translate extension (devwiki up --translate-dir)\n" + "\n".join(lines) + "\n"


def api_url(port: int) -> str:
    return f"http://127.0.0.1:{port}/api.php"


def write_private(path: Path, text: str) -> None:
    """Write a file only its owner can read (passwords)."""
    path.touch(mode=0o600, exist_ok=True)
    os.chmod(path, 0o600)
    path.write_text(text)


def ensure_packages(log) -> None:
    """Install Debian's MediaWiki and PHP packages when missing (needs root, like the README says)."""
    if (MEDIAWIKI_DIR / "maintenance" / "install.php").exists() and shutil.which("php"):
        return
    if os.geteuid() != 0:
        raise DevWikiError("MediaWiki is not installed; run as root (or: apt-get install "
                           + " ".join(DEBIAN_PACKAGES) + ")")
    log("installing Debian packages: " + " ".join(DEBIAN_PACKAGES))
    env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
    subprocess.run(["apt-get", "update", "-qq"], check=True, env=env)
    subprocess.run(["apt-get", "install", "-y", "-qq", "--no-install-recommends", *DEBIAN_PACKAGES],
                   check=True, env=env)


def _copy_database(source: Path, target: Path) -> None:
    """``source`` into ``target`` through SQLite's online backup: a consistent copy even while the
    wiki's server has either open (it waits up to 30 s for their locks)."""
    import sqlite3

    with closing(sqlite3.connect(source, timeout=30)) as reading, \
            closing(sqlite3.connect(target, timeout=30)) as writing:
        reading.backup(writing)


def wait_for_api(url: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    last_error: Exception | None = None
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(url + "?action=query&meta=siteinfo&format=json", timeout=5) as answer:
                if b'"general"' in answer.read():
                    return
        except (urllib.error.URLError, OSError) as error:
            last_error = error
        time.sleep(0.2)
    raise DevWikiError(f"the dev wiki's API at {url} did not answer within {timeout:.0f} s: {last_error}")


def _free_port() -> int:
    import socket

    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


def _port_answers(port: int) -> bool:
    import socket

    with socket.socket() as probe:
        probe.settimeout(0.5)
        return probe.connect_ex(("127.0.0.1", port)) == 0


def _is_our_server(pid: int) -> bool:
    """True when ``pid`` is alive and is a PHP built-in server (not a reused pid)."""
    try:
        cmdline = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return False
    return bool(cmdline) and b"php" in cmdline[0] and b"-S" in cmdline


def _new_wiki_id() -> str:
    """A dev wiki's identity: every install gets its own, so that a report of one is never undone on another."""
    return "devwiki-" + secrets.token_hex(6)
