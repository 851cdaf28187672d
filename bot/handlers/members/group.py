"""The team's group chat: /setgroup, and telling the owner and the group about a win."""

from __future__ import annotations

import logging

from telegram import Bot, Update
from telegram.constants import ChatType
from telegram.error import TelegramError
from telegram.ext import CommandHandler

from bot.context import BotContext
from bot.delivery.ratelimit import PACED
from bot.handlers.deals.views import owner_congratulation, win_announcement
from bot.i18n import pick_language, translator
from storage.errors import Forbidden, NotFound
from storage.team_chat import WinNotice, set_group_chat, win_notice

logger = logging.getLogger(__name__)

_OFF = {"off", "stop", "none"}


async def set_group(update: Update, context: BotContext) -> None:
    """/setgroup in a group: announce the team's wins there; /setgroup off: nowhere."""
    t = context.t
    chat = update.effective_chat
    off = bool(context.args) and context.args[0].lower() in _OFF
    if chat is None or (chat.type == ChatType.PRIVATE and not off):
        await update.effective_message.reply_text(
            t._(
                "Send /setgroup in your team's group chat (add me to it first), "
                "and I will announce wins there. /setgroup off stops the announcements."
            )
        )
        return
    try:
        async with context.uow() as uow:
            await set_group_chat(uow, context.actor, None if off else chat.id)
    except Forbidden:
        await update.effective_message.reply_text(
            t._("Only a manager can choose where the team's wins are announced.")
        )
        return
    if off:
        text = t._("Done: wins will no longer be announced in a group.")
    else:
        text = t._("Done: I will announce the team's wins in this group.")
    await update.effective_message.reply_text(text)


async def load_win(context: BotContext, deal_id: int) -> WinNotice | None:
    """Who hears about the won deal; None when it is not (or no longer) won."""
    try:
        async with context.uow() as uow:
            return await win_notice(uow, context.actor, deal_id)
    except NotFound:
        return None


async def announce_win(context: BotContext, notice: WinNotice) -> None:
    """Congratulate the owner (when someone else closed the deal) and tell the team's group.

    Called after the mover has had their answer: nobody waits on these sends, so they
    are paced, and a group that removed the bot costs a log line, not the move.
    """
    await send_win_notices(context.bot, notice, context.member.name)


async def send_win_notices(bot: Bot, notice: WinNotice, mover_name: str) -> None:
    """What ``announce_win`` sends, for callers without an update (the board)."""
    sends = []
    if not notice.owner_is_actor and notice.owner_telegram_id is not None:
        owner_t = translator(pick_language(notice.owner_language, None, notice.team_language))
        sends.append((notice.owner_telegram_id, owner_congratulation(owner_t, notice, mover_name)))
    if notice.group_chat_id is not None:
        team_t = translator(pick_language(None, None, notice.team_language))
        sends.append((notice.group_chat_id, win_announcement(team_t, notice)))
    for chat_id, text in sends:
        try:
            await bot.send_message(chat_id, text, rate_limit_args=PACED)
        except TelegramError as error:
            logger.warning(
                "could not tell chat %s about won deal %s: %s", chat_id, notice.deal_id, error
            )


def handlers() -> list[CommandHandler]:
    return [CommandHandler("setgroup", set_group)]
