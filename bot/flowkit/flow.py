"""The draft-flow kit: one ``Flow`` per multi-step flow, over its row in the drafts table.

The draft row owns "which step": the ConversationHandler's state is derived from it
(``Flow.state``), ActiveFlows follows its writes, and DraftPersistence rebuilds both
from it after a restart.
"""

from __future__ import annotations

import contextlib
import enum
import warnings
from collections.abc import AsyncIterator, Sequence
from typing import Any, Generic, Protocol, TypeVar

from telegram import Update
from telegram.ext import BaseHandler, ConversationHandler, filters
from telegram.warnings import PTBUserWarning

from bot.context import BotContext
from bot.flowkit import drafts, endings
from bot.flowkit.active import ActiveFlows
from storage import drafts as stored
from storage import idempotency
from storage.drafts import NONCE, discard_draft, is_expired
from storage.models import Draft
from storage.uow import UnitOfWork

S = TypeVar("S", bound=enum.IntEnum)


class NamesDraft(Protocol):
    """Button data that carries the draft's nonce (every flow's buttons do)."""

    nonce: str


async def _refused(update: Update, context: BotContext, refusal: str | None) -> None:
    """Say that a pressed button's draft is gone (``refusal`` says it instead, when given)."""
    await update.effective_message.reply_text(
        refusal or context.t._("That button belongs to a draft that is no longer open.")
    )


class Flow(Generic[S]):
    """A flow's name and steps, and everything it does with its draft.

    ``takes_text`` is False for drafts that only wait for a button (a deal picker, a
    confirmation): they never become the member's active flow.
    """

    def __init__(self, name: str, steps: type[S], *, takes_text: bool = True) -> None:
        self.name = name
        self.steps = steps
        self.takes_text = takes_text

    # --- reading -------------------------------------------------------------------------

    async def draft(self, context: BotContext) -> Draft | None:
        """The member's draft, expired or not, read once per update."""
        return await drafts.loaded(context, self.name)

    def step(self, draft: Draft | None) -> S | None:
        """The step the draft is at; None without a draft (or at a step since renamed)."""
        if draft is None or draft.step not in self.steps.__members__:
            return None
        return self.steps[draft.step]

    async def state(self, context: BotContext) -> S | int:
        """The ConversationHandler state: the draft's step, or END without a draft."""
        step = self.step(await self.draft(context))
        return ConversationHandler.END if step is None else step

    def expired(self, context: BotContext, draft: Draft) -> bool:
        return is_expired(draft, context.now())

    async def open(self, update: Update, context: BotContext) -> Draft | None:
        """The live draft; None when it is gone (the flow is left) or expired (said once)."""
        draft = await self.draft(context)
        if draft is None:
            if self.takes_text:
                context.leave_flow(self.name)
            return None
        if self.expired(context, draft):
            await endings.expired(update, context, self.name, draft)
            return None
        return draft

    def names(self, draft: Draft | None, button: NamesDraft | None) -> bool:
        """Whether ``button`` belongs to ``draft``: a forged, stale or foreign one does not."""
        return draft is not None and button is not None and button.nonce == draft.data.get(NONCE)

    async def pressed(
        self,
        update: Update,
        context: BotContext,
        button: NamesDraft | None,
        refusal: str | None = None,
        *,
        live: bool = False,
    ) -> Draft | None:
        """The open draft the pressed ``button`` belongs to; otherwise says so and None.

        Args:
            refusal: what to say instead of the plain "no longer open".
            live: an expired draft counts as no longer open (for flows that say
                nothing more about expiry).
        """
        draft = await self.draft(context)
        if self.names(draft, button) and not (live and self.expired(context, draft)):
            return draft
        await _refused(update, context, refusal)
        return None

    async def take(
        self,
        update: Update,
        context: BotContext,
        button: NamesDraft | None,
        refusal: str | None = None,
        *,
        claim: bool = False,
    ) -> Draft | None:
        """The draft ``button`` answers, deleted as it is read, so a second press finds none.

        Args:
            claim: record the update's key with the deletion, for a press that changes
                nothing else under it.
        """
        nonce = button.nonce if button else None
        draft = await drafts.take(context, self.name, nonce, claim=claim)
        if draft is None:
            await _refused(update, context, refusal)
        return draft

    # --- writing: each a storage service that commits once, with the update's key -------

    async def start(
        self, context: BotContext, step: S, data: dict[str, Any], *, claim: bool = True
    ) -> Draft:
        """Open the flow afresh at ``step``; one flow at a time, so other drafts go."""
        draft = await self._started(context, step, data, claim=claim, alone=True)
        if self.takes_text:
            context.enter_flow(self.name)
        return draft

    async def continue_or_start(
        self, context: BotContext, step: S, data: dict[str, Any]
    ) -> tuple[Draft, bool]:
        """The unfinished draft to offer to continue (True), or the flow opened afresh."""
        draft, kept = await stored.continue_or_start_flow(
            context.uow(),
            context.actor,
            self.name,
            step.name,
            data,
            drafts.writing(context, True),
        )
        drafts.written(context, self.name, draft, others_gone=not kept)
        if self.takes_text:
            context.enter_flow(self.name)
        return draft, kept

    async def offer(self, context: BotContext, step: S, data: dict[str, Any]) -> Draft:
        """A new draft that waits for a button beside whatever flow is under way."""
        return await self._started(context, step, data, claim=True, alone=False)

    async def _started(
        self, context: BotContext, step: S, data: dict[str, Any], *, claim: bool, alone: bool
    ) -> Draft:
        """A new draft (see storage.drafts.start_flow); the others go when ``alone``."""
        draft = await stored.start_flow(
            context.uow(),
            context.actor,
            self.name,
            step.name,
            data,
            drafts.writing(context, claim),
            alone=alone,
        )
        return drafts.written(context, self.name, draft, others_gone=alone)

    async def save(
        self,
        context: BotContext,
        step: S,
        changes: dict[str, Any],
        *,
        claim: bool = True,
        forget: tuple[str, ...] = (),
        alone: bool = False,
    ) -> Draft:
        """Store an answer (``changes``) and the step it leads to.

        Args:
            forget: draft keys to drop (a search text, once its question is left).
            alone: this becomes the member's one flow; other drafts go in the same
                transaction.
        """
        draft = await stored.save_step(
            context.uow(),
            context.actor,
            self.name,
            step.name,
            changes,
            drafts.writing(context, claim),
            forget=forget,
            alone=alone,
        )
        drafts.written(context, self.name, draft, others_gone=alone)
        if self.takes_text:
            context.enter_flow(self.name)
        return draft

    async def end(self, context: BotContext, *, claim: bool = False) -> int:
        """Drop the draft: its question was answered, or can no longer be."""
        await drafts.drop(context, self.name, claim=claim)
        return ConversationHandler.END

    def ended(self, context: BotContext) -> int:
        """A service dropped the draft in its own transaction along with what it saved."""
        drafts.forget(context, self.name)
        if self.takes_text:
            context.leave_flow(self.name)
        return ConversationHandler.END

    @contextlib.asynccontextmanager
    async def finishing(
        self, context: BotContext, *, claim: bool = False
    ) -> AsyncIterator[UnitOfWork]:
        """The unit of work of the service that saves the flow's result.

        The draft is dropped in the same transaction, which the service commits, so a
        crash keeps both or neither; the flow ends once the block has succeeded.
        """
        async with context.uow() as uow:
            await discard_draft(uow, context.actor, self.name)
            await idempotency.claim(uow.session, context.update_key if claim else None)
            yield uow
        self.ended(context)

    async def cancel(
        self, update: Update, context: BotContext, *, claim: bool = True, everything: bool = True
    ) -> int:
        """Cancel: drop the draft (every draft when ``everything``) and say what was lost."""
        flow = None if everything else self.name
        return await endings.cancelled(update, context, flow, claim=claim)

    # --- the ConversationHandler ---------------------------------------------------------

    def typed(self, flows: ActiveFlows) -> filters.BaseFilter:
        """Typed text that is an answer to this flow: no command, and the flow is active."""
        return filters.TEXT & ~filters.COMMAND & flows.only(self.name)

    def conversation(
        self,
        *,
        entry_points: Sequence[BaseHandler[Any, Any, Any]],
        states: dict[object, Sequence[BaseHandler[Any, Any, Any]]],
        fallbacks: Sequence[BaseHandler[Any, Any, Any]],
        allow_reentry: bool = False,
    ) -> ConversationHandler:
        """The one place that sets how every flow's ConversationHandler is keyed and kept."""
        with warnings.catch_warnings():
            # Every flow mixes typed answers and buttons, so per_message must stay False;
            # PTB warns about exactly that combination, and it is what we want.
            warnings.filterwarnings("ignore", category=PTBUserWarning, message=".*per_message.*")
            return ConversationHandler(
                name=self.name,
                entry_points=list(entry_points),
                states={state: list(handlers) for state, handlers in states.items()},
                fallbacks=list(fallbacks),
                allow_reentry=allow_reentry,
                per_user=True,
                per_chat=True,
                per_message=False,
                # Restored from the drafts table (DraftPersistence), never PTB's own copy.
                persistent=True,
            )
