"""build_application(settings) -> Application: the one place everything is wired."""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from datetime import datetime

import httpx
from telegram import BotCommand
from telegram.constants import ParseMode
from telegram.ext import Application, ApplicationBuilder, ContextTypes, Defaults
from telegram.request import BaseRequest, HTTPXRequest

from bot import routes
from bot.commands import commands_for
from bot.config import Settings
from bot.context import BotContext, BotData
from bot.conversations.deals.deal_flow import MOVE
from bot.conversations.deals.new_deal import NEW_DEAL
from bot.conversations.deals.quick_flow import QUICK
from bot.conversations.directory.shared_contact import SHARED
from bot.conversations.leads.convert_steps import CONVERT
from bot.conversations.leads.lead_questions import LEAD
from bot.delivery.fit_request import FittingRequest
from bot.delivery.ratelimit import ChatPacingRateLimiter
from bot.delivery.refusals import RefusalLimit
from bot.flowkit.active import ActiveFlows
from bot.flowkit.persistence import DraftPersistence
from bot.i18n import LANGUAGES, load_all
from bot.runtime import scheduler
from bot.runtime.ordering import PerUserOrder
from storage import clock as program_clock
from storage.db import create_engine, create_session_factory
from storage.models import Role
from storage.stages import all_team_stages
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)

# Every conversation's steps by flow name: DraftPersistence restores each from its drafts.
FLOWS = {flow.name: flow.steps for flow in (LEAD, QUICK, MOVE, NEW_DEAL, CONVERT, SHARED)}


def build_application(
    settings: Settings,
    *,
    request: BaseRequest | None = None,
    get_updates_request: BaseRequest | None = None,
    clock: Callable[[], datetime] | None = None,
    rate_limiter: bool = True,
) -> Application:
    """Build the bot: handlers, typed context, database, rate limiter, draft restore.

    ``request`` swaps the network for the Bot API stand-in in tests and the console.
    """
    load_all()  # a missing catalog stops start-up here, not at a user's first message
    engine = create_engine(settings.database_url)
    sessions = create_session_factory(engine)
    flows = ActiveFlows()
    builder = (
        ApplicationBuilder()
        .token(settings.token)
        .defaults(Defaults(parse_mode=ParseMode.HTML, tzinfo=settings.tz))
        .context_types(ContextTypes(context=BotContext, bot_data=BotData))
        .concurrent_updates(PerUserOrder())
        .persistence(DraftPersistence(lambda: UnitOfWork(sessions), FLOWS, flows))
        .post_init(_post_init)
        .post_shutdown(_post_shutdown)
    )
    if rate_limiter:
        builder = builder.rate_limiter(ChatPacingRateLimiter())
    if settings.api_url:
        builder = builder.base_url(f"{settings.api_url}/bot").base_file_url(
            f"{settings.api_url}/file/bot"
        )
    if request is None:
        request, get_updates_request = _telegram_requests(get_updates_request)
    # Every call goes through FittingRequest, so no answer is ever too long for Telegram.
    builder = builder.request(FittingRequest(request))
    if get_updates_request is not None:
        builder = builder.get_updates_request(get_updates_request)
    app = builder.build()
    data: BotData = app.bot_data
    data.settings = settings
    data.engine = engine
    data.sessions = sessions
    data.flows = flows
    data.refusals = RefusalLimit()
    data.recovered_keys = set()  # the runner's intake fills it after a crash
    data.pipelines = {}
    if clock is not None:
        # Tests move time instead of waiting: the whole program reads this one clock.
        program_clock.install(clock)
    routes.register(app, flows)
    scheduler.schedule(app)
    return app


def _telegram_requests(
    get_updates_request: BaseRequest | None,
) -> tuple[BaseRequest, BaseRequest]:
    """PTB's two HTTP clients (sending, and getUpdates), with its default pool sizes.

    They share one TLS context: each would otherwise load the CA bundle into a context
    of its own, about a megabyte apiece for the life of the process.
    """
    tls = httpx.create_ssl_context()
    sending = HTTPXRequest(connection_pool_size=256, httpx_kwargs={"verify": tls})
    if get_updates_request is None:
        get_updates_request = HTTPXRequest(connection_pool_size=1, httpx_kwargs={"verify": tls})
    return sending, get_updates_request


async def _post_init(app: Application) -> None:
    """Read every team's pipeline once; set the command menu in each language."""
    from bot.i18n import translator

    async with UnitOfWork(app.bot_data.sessions, read_only=True) as uow:
        app.bot_data.pipelines = await all_team_stages(uow)

    for language in LANGUAGES:
        t = translator(language)
        commands = [
            BotCommand(command.name, t._(command.description)) for command in commands_for(Role.REP)
        ]
        await app.bot.set_my_commands(commands, language_code=language)
    board_url = app.bot_data.settings.board_url
    if board_url:
        from bot.board.server import set_board_menu_button

        await set_board_menu_button(app, board_url)


async def _post_shutdown(app: Application) -> None:
    from bot.handlers.reports import charts

    await app.bot_data.engine.dispose()
    await asyncio.to_thread(charts.shutdown)
