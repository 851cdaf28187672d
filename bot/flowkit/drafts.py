"""This update's drafts: read once, kept current after each write (Flow makes the writes)."""

from __future__ import annotations

from bot.context import BotContext
from storage import drafts as stored
from storage.models import Draft


async def loaded(context: BotContext, flow: str) -> Draft | None:
    """The member's draft of ``flow``, read at most once per update.

    A step asks for it several times (the handler, the question it sends, the
    cancel text); the writes below keep the copy current, so it is never stale
    within the update.
    """
    cache = context.state.drafts
    if flow not in cache:
        async with context.reading() as uow:
            cache[flow] = await stored.get_draft(uow, context.actor, flow)
    return cache[flow]


def _gone(context: BotContext) -> None:
    """Every draft read in this update was just discarded."""
    cache = context.state.drafts
    cache.update(dict.fromkeys(cache))


def _key(context: BotContext, claim: bool) -> str | None:
    return context.update_key if claim else None


def writing(context: BotContext, claim: bool) -> stored.DraftWrite:
    """What every draft write passes besides its own values: the update's key, ttl and now."""
    return stored.DraftWrite(
        key=_key(context, claim), ttl=context.bot_data.settings.draft_ttl, now=context.now()
    )


def written(context: BotContext, flow: str, draft: Draft, *, others_gone: bool) -> Draft:
    """Keep the cached copy current after a write (the others gone too when it replaced them)."""
    if others_gone:
        _gone(context)
    context.state.drafts[flow] = draft
    return draft


async def drop(context: BotContext, flow: str | None, *, claim: bool = False) -> None:
    """Discard the draft of ``flow`` (every draft when None) and leave the flow."""
    await stored.end_flow(context.uow(), context.actor, flow, key=_key(context, claim))
    if flow is None:
        _gone(context)
        context.leave_flow()
    else:
        context.state.drafts[flow] = None
        context.leave_flow(flow)


async def take(
    context: BotContext, flow: str, nonce: str | None, *, claim: bool = False
) -> Draft | None:
    """The draft ``nonce`` names, deleted as it is read (storage.drafts.take_draft)."""
    key = _key(context, claim)
    draft = await stored.take_draft(context.uow(), context.actor, flow, nonce, key=key)
    if draft is not None:
        context.state.drafts[flow] = None
    return draft


def forget(context: BotContext, flow: str) -> None:
    """A service dropped the draft in its own transaction (the flow's result was saved)."""
    context.state.drafts[flow] = None
