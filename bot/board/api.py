"""The board's JSON API: every call signed with Telegram initData, answered by storage services."""

from __future__ import annotations

import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from datetime import date
from typing import Any
from zoneinfo import ZoneInfo

from sqlalchemy.ext.asyncio import AsyncSession, async_sessionmaker
from telegram import Bot
from tornado.web import RequestHandler

from bot.board import payload
from bot.board.initdata import InvalidInitData, verify
from bot.board.payload import plain
from bot.handlers.members.group import send_win_notices
from bot.i18n import Translator, pick_language, translator
from bot.invalid import explain
from storage import clock
from storage.actors import Actor
from storage.board import BoardFilter, board, board_choices, stage_of_kind
from storage.cards import deal_card
from storage.deal_history import deal_history
from storage.errors import Conflict, InvalidInput, NotFound
from storage.models import ActivityKind, StageKind, Team
from storage.opportunities import add_activity, update_opportunity
from storage.stages import move_stage
from storage.team_chat import win_notice
from storage.teams import member_by_telegram_id
from storage.uow import UnitOfWork

logger = logging.getLogger(__name__)

_MONTH = re.compile(r"\d{4}-(0[1-9]|1[0-2])")


@dataclass(frozen=True)
class BoardDeps:
    """What the API needs from the running bot."""

    sessions: async_sessionmaker[AsyncSession]
    token: str
    timezone: str
    language: str
    # Wins are announced through the bot; None only where nobody listens (unit tests).
    bot: Bot | None = None


# The web application's setting that holds the BoardDeps.
DEPS = "board_deps"


class Refused(Exception):
    """An answer other than the call's own: its status and JSON body."""

    def __init__(self, status: int, body: dict[str, Any]) -> None:
        super().__init__(status)
        self.status = status
        self.body = body


@dataclass(frozen=True)
class Viewer:
    """The member behind a signed request, as the API needs them."""

    actor: Actor
    name: str
    language: str
    gregorian: bool
    timezone: str

    @property
    def t(self) -> Translator:
        return translator(self.language)

    def today(self) -> date:
        return clock.today(self.timezone)


def _deps(request: RequestHandler) -> BoardDeps:
    deps: BoardDeps = request.settings[DEPS]
    return deps


def _init_data(request: RequestHandler) -> str:
    headers = request.request.headers
    header = headers.get("Authorization", "")
    if header.lower().startswith("tma "):
        return header[4:].strip()
    return headers.get("X-Telegram-Init-Data", "")


async def _viewer(request: RequestHandler) -> Viewer:
    deps = _deps(request)
    try:
        user = verify(_init_data(request), deps.token, clock.now())
    except InvalidInitData as error:
        logger.info("board request refused: %s", error)
        raise Refused(401, {"error": "unauthorized"}) from error
    async with UnitOfWork(deps.sessions) as uow:
        found = await member_by_telegram_id(uow, user.id)
        team = await uow.session.get(Team, found.team_id) if found else None
    if found is None or team is None:
        language = pick_language(None, user.language_code, deps.language)
        message = translator(language)._(
            "Sorry, this bot is only for members of a sales team. "
            "Ask your manager for an invite link."
        )
        raise Refused(403, {"error": message})
    return Viewer(
        actor=Actor.of(found),
        name=found.name,
        language=pick_language(found.language, user.language_code, team.language),
        gregorian=found.gregorian_years,
        timezone=found.timezone or team.timezone or deps.timezone,
    )


def json_text(data: Any) -> str:
    """The JSON of every answer: Vietnamese and Thai as they are, not as \\u escapes."""
    return json.dumps(data, ensure_ascii=False)


Handler = Callable[[RequestHandler, Viewer], Awaitable[Any]]
Answer = Callable[[RequestHandler], Awaitable[Any]]


def signed(handler: Handler) -> Answer:
    """Check initData, then turn the storage errors into localized JSON refusals."""

    async def wrapped(request: RequestHandler) -> Any:
        viewer = await _viewer(request)
        t = viewer.t
        try:
            return await handler(request, viewer)
        except NotFound as error:
            raise Refused(404, {"error": t._("That deal was not found.")}) from error
        except Conflict as error:
            message = t._(
                "Someone changed this deal meanwhile; nothing was overwritten. "
                "The board now shows it as it is."
            )
            raise Refused(409, {"error": message}) from error
        except InvalidInput as error:
            body = {"error": plain(explain(t, error)), "field": error.field}
            raise Refused(400, body) from error

    return wrapped


def _body(request: RequestHandler) -> dict[str, Any]:
    try:
        data = json.loads(request.request.body)
    except ValueError as error:
        raise Refused(400, {"error": "bad json"}) from error
    if not isinstance(data, dict):
        raise Refused(400, {"error": "bad json"})
    return data


def _int(value: Any, field: str) -> int:
    try:
        return int(value)
    except (TypeError, ValueError) as error:
        raise InvalidInput(field, "unknown") from error


def _deal_id(request: RequestHandler) -> int:
    return _int(request.path_kwargs["deal_id"], "deal")


def _uow(request: RequestHandler) -> UnitOfWork:
    return UnitOfWork(_deps(request).sessions)


def _filter(request: RequestHandler, viewer: Viewer) -> BoardFilter:
    query = request.get_query_argument
    who = query("owner", "mine" if not viewer.actor.is_manager else "team")
    owner_id: int | None = None
    if who == "mine":
        owner_id = viewer.actor.id
    elif who != "team":
        owner_id = _int(who, "owner")
    month = query("month", None) or None
    if month is not None and not _MONTH.fullmatch(month):
        month = None
    campaign = query("campaign", None) or None
    return BoardFilter(
        owner_id=owner_id,
        month=month,
        campaign_id=_int(campaign, "campaign") if campaign else None,
    )


async def get_board(request: RequestHandler, viewer: Viewer) -> Any:
    """GET /board/api/board: columns with totals, cards, filter options and the page's words."""
    deps = _deps(request)
    wanted = _filter(request, viewer)
    async with UnitOfWork(deps.sessions) as uow:
        found = await board(uow, viewer.actor, wanted)
        people, campaigns = await board_choices(uow, viewer.actor)
    return payload.board_payload(viewer, found, wanted, people, campaigns)


async def get_deal(request: RequestHandler, viewer: Viewer) -> Any:
    """GET /board/api/deals/{id}: the chat's deal card as lines, and its history."""
    deal_id = _deal_id(request)
    deps = _deps(request)
    async with UnitOfWork(deps.sessions) as uow:
        card = await deal_card(uow, viewer.actor, deal_id)
        history = await deal_history(uow, viewer.actor, deal_id)
    return payload.deal_payload(viewer, card, history, ZoneInfo(viewer.timezone))


async def _announce_if_won(request: RequestHandler, viewer: Viewer, deal_id: int) -> None:
    deps = _deps(request)
    if deps.bot is None:
        return
    try:
        async with UnitOfWork(deps.sessions) as uow:
            notice = await win_notice(uow, viewer.actor, deal_id)
    except NotFound:
        return
    await send_win_notices(deps.bot, notice, viewer.name)


async def _moved(
    request: RequestHandler, viewer: Viewer, deal_id: int, stage_id: int, **kw: Any
) -> Any:
    deps = _deps(request)
    async with UnitOfWork(deps.sessions) as uow:
        await move_stage(uow, viewer.actor, deal_id, stage_id, **kw)
    await _announce_if_won(request, viewer, deal_id)
    return await get_deal(request, viewer)


async def post_move(request: RequestHandler, viewer: Viewer) -> Any:
    """POST /board/api/deals/{id}/move {stage_id, version[, reason]}: the same move as /stage."""
    body = _body(request)
    return await _moved(
        request,
        viewer,
        _deal_id(request),
        _int(body.get("stage_id"), "stage"),
        expected_version=_int(body.get("version"), "version"),
        lost_reason=body.get("reason"),
    )


async def _closing(request: RequestHandler, viewer: Viewer, kind: StageKind) -> Any:
    body = _body(request)
    deps = _deps(request)
    async with UnitOfWork(deps.sessions) as uow:
        stage = await stage_of_kind(uow, viewer.actor.team_id, kind)
    return await _moved(
        request,
        viewer,
        _deal_id(request),
        stage.id,
        expected_version=_int(body.get("version"), "version"),
        lost_reason=body.get("reason"),
    )


async def post_won(request: RequestHandler, viewer: Viewer) -> Any:
    """POST /board/api/deals/{id}/won {version}."""
    return await _closing(request, viewer, StageKind.WON)


async def post_lost(request: RequestHandler, viewer: Viewer) -> Any:
    """POST /board/api/deals/{id}/lost {version, reason}."""
    return await _closing(request, viewer, StageKind.LOST)


async def post_close_date(request: RequestHandler, viewer: Viewer) -> Any:
    """POST /board/api/deals/{id}/close-date {version, date: YYYY-MM-DD}."""
    body = _body(request)
    try:
        day = date.fromisoformat(str(body.get("date")))
    except ValueError as error:
        raise InvalidInput("close_date", "required") from error
    async with _uow(request) as uow:
        await update_opportunity(
            uow,
            viewer.actor,
            _deal_id(request),
            {"close_date": day},
            expected_version=_int(body.get("version"), "version"),
        )
    return await get_deal(request, viewer)


async def post_note(request: RequestHandler, viewer: Viewer) -> Any:
    """POST /board/api/deals/{id}/note {text}: a note, as /note logs it."""
    body = _body(request)
    async with _uow(request) as uow:
        await add_activity(
            uow,
            viewer.actor,
            _deal_id(request),
            ActivityKind.NOTE,
            str(body.get("text") or ""),
        )
    return await get_deal(request, viewer)


def routes(prefix: str) -> list[tuple[str, dict[str, Answer]]]:
    """Each API path (a pattern) with its answer for each method."""
    deal = prefix + r"/deals/(?P<deal_id>\d+)"
    return [
        (prefix + "/board", {"GET": signed(get_board)}),
        (deal, {"GET": signed(get_deal)}),
        (deal + "/move", {"POST": signed(post_move)}),
        (deal + "/won", {"POST": signed(post_won)}),
        (deal + "/lost", {"POST": signed(post_lost)}),
        (deal + "/close-date", {"POST": signed(post_close_date)}),
        (deal + "/note", {"POST": signed(post_note)}),
    ]
