"""A member's data stays in their private chat: in a group the bot only points there."""

from __future__ import annotations

from datetime import timedelta

from telegram import Update
from telegram.constants import ChatType
from telegram.ext import ApplicationHandlerStop

from bot.context import BotContext
from storage import clock

# What a group may hear: where wins are announced is chosen in the group itself.
ALLOWED_IN_GROUPS = frozenset({"setgroup"})
# A member who keeps typing commands in the group hears the pointer once in a while,
# not once per command: the group is there for people, not for the bot.
POINTER_EVERY = timedelta(hours=1)
_POINTED = "private_pointer_sent"


def _command(update: Update, bot_username: str) -> str | None:
    """The command the message starts with, if it is meant for this bot."""
    message = update.effective_message
    text = (message.text or message.caption or "") if message else ""
    if not text.startswith("/"):
        return None
    name, _, addressee = text.split(maxsplit=1)[0][1:].partition("@")
    if addressee and addressee.lower() != bot_username.lower():
        return None
    return name.lower()


def pointer_text(context: BotContext) -> str:
    link = f"https://t.me/{context.bot.username}"
    return context.t._(
        "I answer that only in a private chat, so the team's data stays out of groups. "
        'Write to me here: <a href="{link}">@{name}</a>'
    ).format(link=link, name=context.bot.username)


async def keep_private(update: Update, context: BotContext) -> None:
    """Stop any update from a group but /setgroup, after one brief pointer.

    Raises:
        ApplicationHandlerStop: the update came from a group and is not allowed there.
    """
    chat = update.effective_chat
    if chat is None or chat.type == ChatType.PRIVATE:
        return
    if update.callback_query is not None:
        await update.callback_query.answer(pointer_text(context), show_alert=True)
        raise ApplicationHandlerStop
    command = _command(update, context.bot.username)
    if command in ALLOWED_IN_GROUPS:
        return
    user = update.effective_user
    if command is not None and user is not None and _due(context, user.id):
        await context.bot.send_message(
            chat.id, pointer_text(context), disable_web_page_preview=True
        )
    raise ApplicationHandlerStop


def _due(context: BotContext, user_id: int) -> bool:
    """Whether this member has not been pointed to the private chat lately in this group."""
    sent = context.chat_data.setdefault(_POINTED, {}) if context.chat_data is not None else {}
    now = clock.now()
    last = sent.get(user_id)
    if last is not None and now - last < POINTER_EVERY:
        return False
    sent[user_id] = now
    return True
