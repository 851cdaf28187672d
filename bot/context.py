"""The typed context callbacks receive: the member, their translator, a unit of work."""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker
from telegram.ext import Application, CallbackContext, ExtBot

from bot.config import Settings
from bot.delivery.refusals import RefusalLimit
from bot.flowkit.active import ActiveFlows
from bot.formatting import Formatter
from bot.i18n import Translator, translator
from storage import clock
from storage.actors import Actor
from storage.models import Draft, Role, Stage, StageKind
from storage.stages import team_stages
from storage.uow import UnitOfWork


class BotData:
    """What every callback shares: settings and the database."""

    settings: Settings
    engine: AsyncEngine
    sessions: async_sessionmaker[AsyncSession]
    flows: ActiveFlows
    refusals: RefusalLimit
    # Updates replayed after a crash whose changes had been committed (see bot.runtime.intake).
    recovered_keys: set[str]
    # Each team's pipeline, read once: stages are made with the team and never change
    # (storage.teams.create_team), so no update needs a transaction just to name them.
    pipelines: dict[int, list[Stage]]


@dataclass(frozen=True)
class Member:
    """The member behind an update, resolved once per update in group -1."""

    actor: Actor
    name: str
    language: str
    telegram_id: int
    gregorian_years: bool = False
    timezone: str | None = None
    currency: str = "VND"

    @property
    def role(self) -> Role:
        return self.actor.role


@dataclass
class UpdateState:
    member: Member | None = None
    language: str = "vi"
    update_key: str | None = None
    extra: dict[str, Any] = field(default_factory=dict)
    formatter: Formatter | None = None
    made_for: Member | None = None
    # Drafts read or written during this update, by flow (None: it has none), so a
    # second look in the same update does not query again (see bot.flowkit.drafts).
    drafts: dict[str, Draft | None] = field(default_factory=dict)


class BotContext(CallbackContext[ExtBot[None], dict, dict, BotData]):
    """CallbackContext with the member and translator of the current update."""

    def __init__(
        self,
        application: Application[Any, Any, Any, Any, Any, Any],
        chat_id: int | None = None,
        user_id: int | None = None,
    ) -> None:
        super().__init__(application=application, chat_id=chat_id, user_id=user_id)
        self.state = UpdateState()

    @property
    def member(self) -> Member:
        if self.state.member is None:
            raise RuntimeError("no member resolved for this update")
        return self.state.member

    @property
    def actor(self) -> Actor:
        return self.member.actor

    @property
    def t(self) -> Translator:
        return translator(self.state.language)

    @property
    def fmt(self) -> Formatter:
        """Dates and money for this update's member: made once, again only when the member
        is resolved or their language changes during the update."""
        made, member = self.state.formatter, self.state.member
        if made is None or made.language != self.state.language or self.state.made_for != member:
            self.state.made_for = member
            made = Formatter(
                language=self.state.language,
                gregorian=member.gregorian_years if member else False,
                timezone=(member.timezone if member else None) or self.bot_data.settings.timezone,
                currency=member.currency if member else "VND",
            )
            self.state.formatter = made
        return made

    @property
    def update_key(self) -> str | None:
        """The idempotency key of the update being handled."""
        return self.state.update_key

    def uow(self) -> UnitOfWork:
        return UnitOfWork(self.bot_data.sessions)

    def reading(self) -> UnitOfWork:
        """A unit of work that only reads: on SQLite it never waits for, or holds, the write
        lock, so a long report does not hold up anyone's change."""
        return UnitOfWork(self.bot_data.sessions, read_only=True)

    async def stages(self, team_id: int | None = None) -> list[Stage]:
        """The pipeline of ``team_id`` (the member's team by default), in order."""
        team = team_id if team_id is not None else self.actor.team_id
        known = self.bot_data.pipelines.get(team)
        if known is None:
            async with self.reading() as uow:
                known = await team_stages(uow, team)
            self.bot_data.pipelines[team] = known
        return known

    async def open_stages(self) -> list[Stage]:
        """The stages a new deal may start in: the member's team's open ones, in order."""
        return [stage for stage in await self.stages() if stage.kind is StageKind.OPEN]

    async def stage_of_kind(self, kind: StageKind) -> Stage:
        """The member's team's won or lost stage (a pipeline has one of each)."""
        return next(stage for stage in await self.stages() if stage.kind is kind)

    def enter_flow(self, flow: str) -> None:
        self.bot_data.flows.start(self.member.telegram_id, flow)

    def leave_flow(self, flow: str | None = None) -> None:
        self.bot_data.flows.end(self.member.telegram_id, flow)

    def now(self) -> datetime:
        return clock.now()

    def today(self) -> date:
        """The member's local date, which relative dates and days-to-close count from."""
        zone = self.state.member.timezone if self.state.member else None
        return clock.today(zone or self.bot_data.settings.timezone)
