"""This update's drafts: read once, written only through the storage services that commit."""

from __future__ import annotations

from typing import Any

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


def _settings(context: BotContext) -> dict[str, Any]:
    return {"ttl": context.bot_data.settings.draft_ttl, "now": context.now()}


async def start(
    context: BotContext,
    flow: str,
    step: str,
    data: dict[str, Any],
    *,
    claim: bool = True,
    alone: bool = True,
) -> Draft:
    """A new draft of ``flow`` (see storage.drafts.start_flow); the others go when ``alone``."""
    draft = await stored.start_flow(
        context.uow(),
        context.actor,
        flow,
        step,
        data,
        key=_key(context, claim),
        alone=alone,
        **_settings(context),
    )
    if alone:
        _gone(context)
    context.state.drafts[flow] = draft
    return draft


async def continue_or_start(
    context: BotContext, flow: str, step: str, data: dict[str, Any]
) -> tuple[Draft, bool]:
    """The draft of ``flow`` to continue, or a new one (see continue_or_start_flow)."""
    draft, kept = await stored.continue_or_start_flow(
        context.uow(),
        context.actor,
        flow,
        step,
        data,
        key=_key(context, True),
        **_settings(context),
    )
    if not kept:
        _gone(context)
    context.state.drafts[flow] = draft
    return draft, kept


async def save(
    context: BotContext,
    flow: str,
    step: str,
    changes: dict[str, Any],
    *,
    claim: bool = True,
    forget: tuple[str, ...] = (),
    alone: bool = False,
) -> Draft:
    """Merge ``changes`` into the draft of ``flow`` at ``step`` (storage.drafts.save_step)."""
    draft = await stored.save_step(
        context.uow(),
        context.actor,
        flow,
        step,
        changes,
        key=_key(context, claim),
        forget=forget,
        alone=alone,
        **_settings(context),
    )
    if alone:
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
