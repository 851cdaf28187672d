"""Membership for every update, onboarding with invites, language and help."""

from __future__ import annotations

import html
import logging

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update
from telegram import User as TelegramUser
from telegram.ext import (
    ApplicationHandlerStop,
    CallbackQueryHandler,
    CommandHandler,
    TypeHandler,
)

from bot.buttons import codec as cb
from bot.commands import FX_EXAMPLE, commands_for
from bot.context import BotContext, Member
from bot.handlers.members.private_only import keep_private
from bot.handlers.reports.views import fx_command
from bot.i18n import LANGUAGE_NAMES, LANGUAGES, SPOKEN_NAMES, Translator, pick_language
from storage import idempotency, member_lookup
from storage.errors import Forbidden, NotFound
from storage.fx_hints import example_currency, suggested_rate
from storage.models import Role, Team
from storage.teams import create_invite, member_by_telegram_id, redeem_invite, set_language

logger = logging.getLogger(__name__)


def _role_name(t: Translator, role: Role) -> str:
    names = {Role.REP: t._("rep"), Role.MANAGER: t._("manager"), Role.ADMIN: t._("admin")}
    return names[role]


def _is_start_with_code(update: Update) -> bool:
    message = update.effective_message
    text = (message.text or "") if message else ""
    return text.startswith("/start ") and len(text.split()) == 2


async def resolve_member(update: Update, context: BotContext) -> None:
    """Find the member behind the update; refuse anyone else, and drop repeats."""
    user = update.effective_user
    if user is None:
        raise ApplicationHandlerStop
    key = idempotency.update_key(context.bot.id, update.update_id)
    context.state.update_key = key
    # Read-only: every update passes here, and must not wait for a long writer.
    async with context.reading() as uow:
        found = await member_lookup.look_up(uow, user.id, key)
    member = found.member
    if found.seen:
        logger.info("update %s was already processed; ignoring it", update.update_id)
        if key in context.bot_data.recovered_keys and member is not None:
            context.state.language = pick_language(
                member.language, user.language_code, member.team_language
            )
            await _say_saved_before_restart(update, context, key)
        raise ApplicationHandlerStop
    if member is not None and member.blocked_at is not None:
        # They wrote again, so they unblocked the bot.
        async with context.uow() as uow:
            await member_lookup.unblock(uow, member.id)
    if member is None:
        context.state.language = pick_language(
            None, user.language_code, context.bot_data.settings.language
        )
        if _is_start_with_code(update):
            await keep_private(update, context)
            return
        await _refuse(update, context)
        raise ApplicationHandlerStop
    context.state.language = pick_language(
        member.language, user.language_code, member.team_language
    )
    context.state.member = Member(
        actor=member.actor,
        name=member.name,
        language=context.state.language,
        telegram_id=user.id,
        gregorian_years=member.gregorian_years,
        timezone=member.timezone or member.team_timezone,
        currency=member.team_currency,
    )
    await keep_private(update, context)


async def member_language(context: BotContext, user: TelegramUser) -> str:
    """The language to speak with ``user``: their choice, Telegram's, else the team's."""
    async with context.uow() as uow:
        found = await member_by_telegram_id(uow, user.id)
        team = await uow.session.get(Team, found.team_id) if found else None
    default = team.language if team else context.bot_data.settings.language
    return pick_language(found.language if found else None, user.language_code, default)


async def _say_saved_before_restart(update: Update, context: BotContext, key: str) -> None:
    """Answer an update whose change was committed just before a crash took its answer."""
    context.bot_data.recovered_keys.discard(key)
    if update.effective_chat is None or update.effective_chat.type != "private":
        return
    message = update.effective_message
    said = (message.text or message.caption or "") if message is not None else ""
    if len(said) > 60:
        said = said[:59] + "…"
    await context.bot.send_message(
        update.effective_chat.id,
        context.t._(
            "I restarted just after handling your message “{message}”: it was saved, "
            "there is no need to send it again."
        ).format(message=html.escape(said)),
    )


async def _refuse(update: Update, context: BotContext) -> None:
    user = update.effective_user
    if user is not None and not context.bot_data.refusals.allow(user.id):
        # Refused within the hour: a flood of messages must not become a flood of answers.
        return
    text = context.t._(
        "Sorry, this bot is only for members of a sales team. Ask your manager for an invite link."
    )
    if update.callback_query is not None:
        await update.callback_query.answer(text, show_alert=True)
    elif update.effective_chat is not None and update.effective_chat.type == "private":
        await context.bot.send_message(update.effective_chat.id, text)


async def start(update: Update, context: BotContext) -> None:
    """Greet a member, or make someone with a valid invite a member."""
    t = context.t
    if context.state.member is None:
        code = (context.args or [""])[0]
        user = update.effective_user
        assert user is not None
        try:
            async with context.uow() as uow:
                joined = await redeem_invite(
                    uow,
                    code,
                    telegram_id=user.id,
                    name=user.full_name,
                    language=None,
                )
        except NotFound:
            await _refuse(update, context)
            return
        await update.effective_message.reply_text(
            t._("Welcome aboard, {name}! You joined the team as {role}.").format(
                name=html.escape(joined.name), role=_role_name(t, joined.role)
            )
            + "\n"
            + t._("Send /help to see what I can do.")
        )
        return
    await update.effective_message.reply_text(
        t._("Hello, {name}! Send /help to see what I can do.").format(
            name=html.escape(context.member.name)
        )
    )


async def show_help(update: Update, context: BotContext) -> None:
    """List every command the member may use, with an example each."""
    t = context.t
    async with context.uow() as uow:
        team = await uow.session.get(Team, context.actor.team_id)
        base = team.currency if team else "VND"
        currency = example_currency(base)
        rate = await suggested_rate(uow, context.actor.team_id, currency, base)
    lines = ["<b>" + t._("What I can do") + "</b>"]
    for command in commands_for(context.member.role):
        example = command.example_in(t.language)
        if example == FX_EXAMPLE:
            example = fx_command(t, currency, rate)
        lines.append(
            t._("/{command} — {description}\nExample: <code>{example}</code>").format(
                command=command.name,
                description=t._(command.description),
                example=html.escape(example),
            )
        )
    await update.effective_message.reply_text("\n\n".join(lines))


def _language_keyboard(current: str) -> InlineKeyboardMarkup:
    return InlineKeyboardMarkup(
        [
            [
                InlineKeyboardButton(
                    ("✓ " if code == current else "") + LANGUAGE_NAMES[code],
                    callback_data=cb.ChooseLanguage(code).pack(),
                )
                for code in LANGUAGES
            ]
        ]
    )


async def _apply_language(update: Update, context: BotContext, language: str) -> None:
    async with context.uow() as uow:
        await set_language(uow, context.actor, language)
    context.state.language = language
    await update.effective_message.reply_text(
        context.t._("Done: I will speak {language} with you.").format(
            language=SPOKEN_NAMES[language]
        )
    )


async def choose_language(update: Update, context: BotContext) -> None:
    """Set the language from ``/language th``, or offer the choices as buttons."""
    wanted = (context.args or [""])[0].lower()
    if wanted in LANGUAGES:
        await _apply_language(update, context, wanted)
        return
    await update.effective_message.reply_text(
        context.t._("Which language should I use?"),
        reply_markup=_language_keyboard(context.state.language),
    )


async def chose_language(update: Update, context: BotContext) -> None:
    """Apply the language button the member pressed."""
    query = update.callback_query
    button = cb.ChooseLanguage.parse(query.data)
    await query.answer()
    if button is not None and button.code in LANGUAGES:
        await _apply_language(update, context, button.code)


async def invite(update: Update, context: BotContext) -> None:
    """Make an invite link for a rep (default) or a manager."""
    t = context.t
    wanted = (context.args or ["rep"])[0].lower()
    roles = {"rep": Role.REP, "manager": Role.MANAGER, t._("rep"): Role.REP}
    roles[t._("manager")] = Role.MANAGER
    role = roles.get(wanted)
    if role is None:
        await update.effective_message.reply_text(
            t._("Who is it for? Send /invite rep or /invite manager.")
        )
        return
    try:
        async with context.uow() as uow:
            created = await create_invite(
                uow, team_id=context.actor.team_id, role=role, actor=context.actor
            )
    except Forbidden:
        await update.effective_message.reply_text(
            t._("Only a manager or an admin can invite people.")
        )
        return
    link = f"https://t.me/{context.bot.username}?start={created.code}"
    await update.effective_message.reply_text(
        t._("Send this link to the new {role}. It works once, for 7 days:\n{link}").format(
            role=_role_name(t, role), link=html.escape(link)
        )
    )


def handlers() -> list[tuple[int, object]]:
    """This topic's handlers with their groups; group -1 runs before everything."""
    return [
        (-1, TypeHandler(Update, resolve_member)),
        (0, CommandHandler("start", start)),
        (0, CommandHandler("help", show_help)),
        (0, CommandHandler("language", choose_language)),
        (0, CallbackQueryHandler(chose_language, pattern=cb.pattern(cb.LANGUAGE))),
        (0, CommandHandler("invite", invite)),
    ]
