"""How a multi-step flow ends without saving: cancelled by the member, or its draft expired."""

from __future__ import annotations

import html
from datetime import datetime

from telegram import Update
from telegram.ext import ConversationHandler

from bot.context import BotContext
from bot.flowkit import drafts
from bot.i18n import Translator
from storage.drafts import STARTED
from storage.models import Draft
from storage.queries import deals_created_since


def expiry_notice(t: Translator, draft: Draft) -> str:
    # Lead drafts are named by the person, deal drafts by the deal.
    name = draft.data.get("person_name") or draft.data.get("name") or ""
    return t._("Your unfinished draft {name} expired and was discarded.").format(
        name=html.escape(str(name))
    )


def flow_title(t: Translator, flow: str) -> str:
    """What a member is in the middle of, e.g. "a new deal"."""
    titles = {
        "new_deal": t._("a new deal"),
        "quick": t._("a new deal"),
        "lead": t._("a new lead"),
        "convert": t._("converting a lead"),
        "move": t._("a stage move"),
        "shared": t._("a shared contact"),
        "import": t._("a CSV import"),
    }
    return titles.get(flow, flow)


def described(t: Translator, flow: str, data: dict) -> str:
    """ "a new deal (Acme ERP)": the flow, and its draft's name once it has one."""
    name = str(data.get("name") or data.get("person_name") or data.get("line") or "")
    title = flow_title(t, flow)
    if not name:
        return title
    return t._("{what} ({name})").format(what=title, name=html.escape(name[:60]))


async def drop(context: BotContext, flow: str | None, *, claim: bool = False) -> None:
    """Discard the flow's draft (every draft when ``flow`` is None) and leave the flow.

    ``claim`` records the update's key with it, so a duplicate delivery of the same
    /cancel does not act twice.
    """
    await drafts.drop(context, flow, claim=claim)


async def cancelled(
    update: Update, context: BotContext, flow: str | None = None, *, claim: bool = False
) -> int:
    """Drop the draft and say what was cancelled, and that nothing of it was saved."""
    current = flow or context.bot_data.flows.current(context.member.telegram_id)
    draft = await drafts.loaded(context, current) if current else None
    saved = []
    if draft is not None and draft.data.get(STARTED):
        async with context.reading() as uow:
            since = datetime.fromisoformat(draft.data[STARTED])
            saved = await deals_created_since(uow, context.actor, since)
    await drop(context, flow, claim=claim)
    t = context.t
    if draft is None:
        text = t._("Cancelled. Nothing was saved.")
    else:
        what = described(t, draft.flow, draft.data)
        text = t._("Cancelled {what}. Nothing of it was saved.").format(what=what)
    if saved:
        # Saved by another command while the flow was open: kept, and said so.
        deals = ", ".join(f"#{deal.id} {html.escape(deal.name)}" for deal in saved)
        text += "\n" + t._("Saved meanwhile, and kept: {deals}.").format(deals=deals)
    await update.effective_message.reply_text(text)
    return ConversationHandler.END


async def expired(update: Update, context: BotContext, flow: str, draft: Draft) -> int:
    """Drop the expired draft and say so, once."""
    await drop(context, flow)
    await update.effective_message.reply_text(expiry_notice(context.t, draft))
    return ConversationHandler.END
