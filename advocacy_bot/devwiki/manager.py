"""The embedded dev wiki: a real MediaWiki from Debian's packages, SQLite, PHP's built-in server.

One dev wiki lives in one folder (``--devwiki-dir``); several folders give several wikis side by side,
each on its own port. Layout of the folder::

    devwiki.json      port, API URL, family name, server pid (the wiki's own configuration)
    credentials.json  Admin and bot passwords (mode 600; never printed)
    db/               the SQLite databases
    conf/             LocalSettings.php from install.php, plus AdvocacySettings.php written by us
    pywikibot/        PYWIKIBOT_DIR for this wiki: user-config.py, user-password.py (mode 600)
    server.log        the PHP server's output

Accounts: ``Admin`` (sysop, bureaucrat) and ``AdvocacyBot`` (bot group) which logs in with a
BotPassword (``AdvocacyBot@advocacybot``), as the real bot does on Meta-Wiki.
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
from dataclasses import dataclass
from pathlib import Path

MEDIAWIKI_DIR = Path("/usr/share/mediawiki")
DEBIAN_PACKAGES = ("mediawiki", "php-cli", "php-sqlite3", "php-intl", "php-mbstring", "php-xml")
DEFAULT_PORT = 8089
ADMIN_USER = "Admin"
BOT_USER = "AdvocacyBot"
BOT_APP_ID = "advocacybot"
# The least a sync needs: read, edit and create pages, high limits (50 pages a read), own JSON pages.
BOT_GRANTS = "basic,highvolume,editpage,createeditmovepage,editmycssjs"
SHIM_FILE = Path(__file__).with_name("TranslateShim.php")
DEMO_SNAPSHOT = Path(__file__).with_name("demo_snapshot.xml")
FAMILIES_DIR = Path(__file__).resolve().parents[2] / "families"


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
        credentials = json.loads(self.credentials_file.read_text())
        return DevWikiInfo(
            directory=self.directory,
            port=state["port"],
            api_url=api_url(state["port"]),
            family=state["family"],
            bot_user=BOT_USER,
            bot_password_name=BOT_APP_ID,
            bot_password=credentials["bot_password"],
        )

    # -- lifecycle ----------------------------------------------------------------------------
    def up(self, port: int | None = None, snapshot: Path | None = None) -> DevWikiInfo:
        """Create the wiki once, (re)start the server, import ``snapshot``; harmless when running."""
        ensure_packages(self._log)
        created = False
        if not self.exists():
            self._install(port or DEFAULT_PORT)
            created = True
        state = self._state()
        running_pid = self.running_pid()
        if running_pid and port not in (None, state["port"]):
            raise DevWikiError(
                f"the dev wiki in {self.directory} is running on port {state['port']}; "
                "run `advocacy-bot devwiki down` before moving it to another port"
            )
        if port and port != state["port"]:
            state["port"] = port
            self._write_state(state)
        self._write_settings()
        self._write_pywikibot_config()
        if not running_pid:
            self._start_server()
        wait_for_api(api_url(self._state()["port"]))
        if snapshot is not None:
            self.import_xml(snapshot)
            if Path(snapshot).resolve() == DEMO_SNAPSHOT.resolve():
                from .snapshot import ROSTER

                # As on Meta-Wiki, the staff in the demo roster have accounts (the staff sync checks).
                self.create_accounts(member["username"] for member in ROSTER if member.get("username"))
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
        return self.up(port=port or old_port)

    def save_database(self, copy: Path | str) -> None:
        """Copy the SQLite databases to ``copy`` (benchmarks and reliability tests start each case
        from the same wiki). The server is stopped meanwhile, so the files are consistent."""
        running = self._stop_for_copy()
        shutil.rmtree(copy, ignore_errors=True)
        shutil.copytree(self.db_dir, copy)
        if running:
            self.up()

    def restore_database(self, copy: Path | str) -> None:
        """Put back the databases :meth:`save_database` copied: the wiki is again exactly as it was."""
        running = self._stop_for_copy()
        shutil.rmtree(self.db_dir)
        shutil.copytree(copy, self.db_dir)
        if running:
            self.up()

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

    # -- content ------------------------------------------------------------------------------
    def import_xml(self, path: Path) -> None:
        """Import a Special:Export file (pages keep their authors and timestamps)."""
        self.maintenance("importDump.php", "--no-updates", str(Path(path).resolve()))
        # importDump skips link tables with --no-updates; rebuild what the API's lists rely on.
        self.maintenance("rebuildrecentchanges.php")
        self.maintenance("initSiteStats.php", "--update")

    def create_accounts(self, names) -> None:
        """Create plain user accounts (random passwords nobody keeps); existing ones are left as they are."""
        for name in names:
            try:
                self.maintenance("createAndPromote.php", name, secrets.token_hex(16))
            except DevWikiError as error:
                if "Account exists" not in str(error):
                    raise

    def edit_as(self, user: str, title: str, text: str, summary: str = "") -> None:
        """Save ``text`` as ``user`` through maintenance/edit.php: a human's edit, for tests and demos."""
        self.maintenance("edit.php", "--user", user, "--summary", summary or "edit", "--no-rc", title,
                         stdin=text)

    def protect(self, title: str, level: str = "sysop", reason: str = "test") -> None:
        """Protect ``title`` as Admin: ``sysop`` (full) or ``autoconfirmed`` (semi-protection)."""
        levels = {"sysop": [], "autoconfirmed": ["--semiprotect"]}
        self.maintenance("protect.php", "--user", ADMIN_USER, "--reason", reason, *levels[level], title)

    def maintenance(self, script: str, *args: str, stdin: str | None = None) -> str:
        command = ["php", str(MEDIAWIKI_DIR / "maintenance" / script), "--conf", str(self.local_settings),
                   *args]
        result = subprocess.run(command, input=stdin, capture_output=True, text=True)
        if result.returncode != 0:
            raise DevWikiError(f"{script} failed ({result.returncode}): {result.stderr or result.stdout}")
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
        family = f"advocacydev{port}"
        self._write_state({"port": port, "family": family})
        write_private(self.credentials_file, json.dumps(
            {"admin_password": admin_password, "bot_password": bot_password}, indent=2))
        self._write_settings()
        self.maintenance("createAndPromote.php", "--force", "--bot", BOT_USER, secrets.token_hex(16))
        self.maintenance("createBotPassword.php", "--appid", BOT_APP_ID, "--grants", BOT_GRANTS,
                         BOT_USER, bot_password)

    def _write_settings(self) -> None:
        port = self._state()["port"]
        (self.conf_dir / "AdvocacySettings.php").write_text(f"""<?php
// Written by `advocacy-bot devwiki up`; rewritten at every start.
$wgServer = "http://127.0.0.1:{port}";
$wgSitename = "Advocacy Dev Wiki";
$wgMainCacheType = CACHE_NONE;
$wgSessionCacheType = CACHE_DB;
$wgJobRunRate = 0;
$wgEnableBotPasswords = true;
$wgShowExceptionDetails = true;
$wgRateLimits = [];
$wgCookieSecure = false;
wfLoadExtension( 'ParserFunctions' );
require_once {json.dumps(str(SHIM_FILE))};
""")

    def _write_pywikibot_config(self) -> None:
        """A pywikibot configuration for this wiki, usable with pwb.py and our scripts."""
        info = self.info()
        folder = info.pywikibot_dir
        folder.mkdir(exist_ok=True)
        families = ""
        if FAMILIES_DIR.is_dir():  # a source checkout: the family file that reads devwiki.json
            families = (f"user_families_paths = [{str(FAMILIES_DIR)!r}]\n"
                        f"usernames['advocacydev']['*'] = {BOT_USER!r}\n")
        (folder / "user-config.py").write_text(f"""# Written by `advocacy-bot devwiki up` for the dev wiki in {self.directory}.
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
