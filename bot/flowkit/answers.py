"""Saving a flow's answer: merged into its draft, with the next step, in one transaction."""

from __future__ import annotations

from typing import Any

from bot.context import BotContext
from storage import idempotency
from storage.drafts import get_draft, stage_draft
from storage.models import Draft


async def save_answer(context: BotContext, flow: str, step: str, changes: dict[str, Any]) -> Draft:
    """Merge ``changes`` into the flow's draft and move it to ``step``.

    The update's key is claimed in the same transaction, so a duplicate delivery of the
    same answer cannot be stored twice.
    """
    async with context.uow() as uow:
        draft = await get_draft(uow, context.actor, flow)
        data = dict(draft.data) if draft else {}
        data.update(changes)
        draft = stage_draft(
            uow,
            context.actor,
            draft,
            flow=flow,
            step=step,
            data=data,
            ttl=context.bot_data.settings.draft_ttl,
            now=context.now(),
        )
        await idempotency.claim(uow.session, context.update_key)
        await uow.commit()
    return draft
