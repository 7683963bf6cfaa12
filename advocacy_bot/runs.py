"""What a task's body may use of a run, as a typed protocol.

Two classes provide it: :class:`~advocacy_bot.wiki.session.BotRun`, the real run, and
:class:`~advocacy_bot.pipeline.PlanningRun`, run-all's planning view of it. A body typed with
:class:`Run` reads pages, checks them and hands its changes to ``apply``; it has no way to save
otherwise (no applier, no client writes), so a body that plans inside run-all cannot save early.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Protocol

if TYPE_CHECKING:
    from .ownership import WholePage
    from .plan import Page, PageChange
    from .report import RunReport
    from .settings import BotPages, Settings
    from .wiki.session import SiteFacts


class ClientView(Protocol):
    """Who saves, and where: what a body may know of the connection."""

    @property
    def bot_user(self) -> str: ...

    @property
    def api_url(self) -> str: ...

    @property
    def name(self) -> str: ...

    def rights(self) -> frozenset[str]: ...


class Run(Protocol):
    report: RunReport

    @property
    def settings(self) -> Settings: ...

    @property
    def bot_pages(self) -> BotPages: ...

    @property
    def dry_run(self) -> bool: ...

    @property
    def site_facts(self) -> SiteFacts: ...

    @property
    def state_dir(self) -> Path | None: ...

    @property
    def client(self) -> ClientView: ...

    @property
    def out(self) -> Callable[[str], None]: ...

    def start(self, also: Iterable[str] = ()) -> Page: ...

    def read(self, titles: Iterable[str]) -> dict[str, Page]: ...

    def read_tree(self, also: Iterable[str] = (), after_batch: Callable[[dict[str, Page]], None] | None = None
                  ) -> tuple[dict[str, Page], dict[int, list[str]]]: ...

    def tree_titles(self, namespaces: Iterable[int] = ...) -> list[str]: ...

    def translatable_pages(self) -> frozenset[str] | None: ...

    def apply(self, changes: Iterable[PageChange | None]) -> None: ...

    def refusal(self, page: Page) -> tuple[str, str] | None: ...

    def render(self, wikitext: str, title: str, language: str = "") -> str: ...

    def ownership_problem(self, entry: WholePage, page: Page) -> str | None: ...

    def existing_users(self, names: Iterable[str]) -> frozenset[str]: ...

    def api_module_exists(self, name: str) -> bool: ...

    def translate_definitions(self, title: str) -> list[dict]: ...

    def translate_language_stats(self, language: str) -> list[dict]: ...

    def translate_unit_states(self, title: str, language: str, revision: int) -> list[dict]: ...


if TYPE_CHECKING:
    from .pipeline import PlanningRun
    from .wiki.session import BotRun

    def _both_are_runs(real: BotRun, planning: PlanningRun) -> tuple[Run, Run]:
        """mypy checks here that both classes provide the protocol."""
        return real, planning
