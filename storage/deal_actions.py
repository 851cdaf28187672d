"""The one-line deal commands as services: each finds the deal the words name, changes it
and reads back its card in one unit of work, committed with the update's key.

The caller hands in a unit of work it has not entered; the service opens, commits and
closes it, so a handler never holds half a change, and one update costs one transaction.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from storage.actors import Actor
from storage.cards import DealCard
from storage.cards import deal_card as load_card
from storage.errors import Conflict, NotFound
from storage.models import ActivityKind, Opportunity, Result, Stage, StageKind
from storage.opportunities import add_activity, get_opportunity, update_opportunity
from storage.queries import AmbiguousDeal, resolve_deal
from storage.stages import move_stage
from storage.team_chat import WinNotice, win_notice
from storage.uow import UnitOfWork


@dataclass(frozen=True, slots=True)
class Named:
    """The deal the leading words named, and the words after them."""

    deal_id: int
    name: str
    version: int
    result: Result
    rest: list[str]


@dataclass(frozen=True, slots=True)
class Done:
    """The change is committed; ``card`` is the deal as it is now."""

    card: DealCard
    win: WinNotice | None = None
    # The probability the deal took in its new stage, for the "Moved to…" line.
    probability: int | None = None


@dataclass(frozen=True, slots=True)
class ChangedMeanwhile:
    """Someone else changed the deal first; nothing was written. Its card now."""

    card: DealCard


@dataclass(frozen=True, slots=True)
class NeedsReopen:
    """The deal is closed the other way: the member is asked before it is reopened."""

    named: Named
    stage: Stage


@dataclass(frozen=True, slots=True)
class NeedsReason:
    """/lost without a reason: nothing was written."""

    named: Named


Outcome = Done | ChangedMeanwhile | NeedsReopen | NeedsReason


async def split_deal(
    uow: UnitOfWork, actor: Actor, words: list[str]
) -> tuple[Opportunity, list[str]]:
    """The deal named by the longest leading run of ``words``, and the words after it.

    Raises:
        NotFound: no leading run names a deal. AmbiguousDeal: the longest one that
            matches anything matches several deals.
    """
    for size in range(len(words), 0, -1):
        try:
            return await resolve_deal(uow, actor, " ".join(words[:size])), words[size:]
        except NotFound:
            continue
        except AmbiguousDeal as ambiguous:
            ambiguous.words_used = size
            raise
    raise NotFound("opportunities", " ".join(words))


# What a command names a deal by: the words typed (the deal's, then the rest), or the id
# a button carries.
Ref = list[str] | int


async def _named(uow: UnitOfWork, actor: Actor, ref: Ref) -> Named:
    if isinstance(ref, int):
        deal, rest = await get_opportunity(uow, actor, ref), []
    else:
        deal, rest = await split_deal(uow, actor, ref)
    return Named(deal.id, deal.name, deal.version, deal.result, rest)


async def _done(
    uow: UnitOfWork,
    actor: Actor,
    deal_id: int,
    win: WinNotice | None = None,
    probability: int | None = None,
) -> Done:
    return Done(await load_card(uow, actor, deal_id), win, probability)


async def _changed(uow: UnitOfWork, actor: Actor, deal_id: int) -> ChangedMeanwhile:
    # The failed write's transaction is gone; the card is read in a fresh one.
    await uow.rollback()
    return ChangedMeanwhile(await load_card(uow, actor, deal_id))


async def show(uow: UnitOfWork, actor: Actor, words: Ref) -> Outcome:
    """/deal: only reads."""
    async with uow:
        named = await _named(uow, actor, words)
        return await _done(uow, actor, named.deal_id)


async def close(
    uow: UnitOfWork,
    actor: Actor,
    words: Ref,
    *,
    stage: Stage,
    closing: bool,
    reason: str | None = None,
    reopen: bool = True,
    key: str | None,
) -> Outcome:
    """/won, /lost or /stage: move the named deal to ``stage``, and read what the team
    will be told.

    ``closing`` is /won and /lost (and a digest's buttons): they close only an open deal,
    and ask before reversing one closed the other way. /lost's reason is the words after
    the deal's, or ``reason`` (a digest's button). Without ``reopen`` a deal closed the
    other way is a ``ChangedMeanwhile``. The caller passes the stage from the team's
    pipeline it already holds, so nothing reads the stages again.

    Raises:
        NotFound, AmbiguousDeal: the words name no deal, or several.
        InvalidInput: the stage is the deal's own, or a loss has no reason.
    """
    async with uow:
        named = await _named(uow, actor, words)
        if stage.kind is StageKind.LOST and closing:
            reason = reason or " ".join(named.rest) or None
            if reason is None:
                return NeedsReason(named)
        other_way = {StageKind.WON: Result.LOST, StageKind.LOST: Result.WON}.get(stage.kind)
        if other_way is not None and named.result is other_way and reopen:
            return NeedsReopen(named, stage)
        try:
            moved = await move_stage(
                uow,
                actor,
                named.deal_id,
                stage.id,
                expected_version=named.version,
                lost_reason=reason,
                idempotency_key=key,
                only_if_open=closing,
            )
        except Conflict:
            return await _changed(uow, actor, named.deal_id)
        probability = moved.probability
        win = None
        if stage.kind is StageKind.WON:
            try:
                win = await win_notice(uow, actor, named.deal_id)
            except NotFound:
                win = None
        return await _done(uow, actor, named.deal_id, win, probability)


async def set_close_date(uow: UnitOfWork, actor: Actor, words: list[str], day: date) -> Outcome:
    """/close: a new expected close date for the named deal."""
    async with uow:
        named = await _named(uow, actor, words)
        try:
            await update_opportunity(
                uow, actor, named.deal_id, {"close_date": day}, expected_version=named.version
            )
        except Conflict:
            return await _changed(uow, actor, named.deal_id)
        return await _done(uow, actor, named.deal_id)


async def note(
    uow: UnitOfWork, actor: Actor, words: list[str], *, key: str | None
) -> tuple[Named, bool]:
    """/note: the named deal, and whether a note was logged (False when no text followed)."""
    async with uow:
        named = await _named(uow, actor, words)
        if not named.rest:
            return named, False
        await add_activity(
            uow, actor, named.deal_id, ActivityKind.NOTE, " ".join(named.rest), idempotency_key=key
        )
        return named, True


async def resolve(uow: UnitOfWork, actor: Actor, words: list[str]) -> Named:
    """The named deal only, for a command that asks something before it changes anything."""
    async with uow:
        return await _named(uow, actor, words)
