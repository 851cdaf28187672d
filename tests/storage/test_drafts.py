"""Draft services: each owns its transaction, claims the update's key, one flow at a time."""

from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError

from storage.drafts import (
    NONCE,
    DraftWrite,
    end_flow,
    get_draft,
    save_step,
    start_flow,
    take_draft,
)
from storage.models import Draft, ProcessedKey

NOW = datetime(2026, 6, 1, 9, 0, tzinfo=UTC)
TTL = timedelta(hours=24)
UNCLAIMED = DraftWrite(key=None, ttl=TTL, now=NOW)


def claiming(key):
    return DraftWrite(key=key, ttl=TTL, now=NOW)


async def _flows(uow_factory, actor):
    async with uow_factory() as uow:
        rows = await uow.session.execute(select(Draft.flow).where(Draft.user_id == actor.id))
        return sorted(flow for (flow,) in rows)


async def _claimed(uow_factory, key):
    async with uow_factory() as uow:
        return await uow.session.get(ProcessedKey, key) is not None


async def test_starting_a_flow_drops_the_members_other_drafts_and_claims_the_key(seed, uow_factory):
    await start_flow(uow_factory(), seed.rep, "lead", "PERSON", {}, UNCLAIMED)
    draft = await start_flow(
        uow_factory(), seed.rep, "new_deal", "NAME", {"name": "Acme"}, claiming("k1")
    )
    assert await _flows(uow_factory, seed.rep) == ["new_deal"]
    assert await _claimed(uow_factory, "k1")
    assert draft.data["name"] == "Acme" and draft.data[NONCE]


async def test_an_offer_beside_a_flow_keeps_the_flow(seed, uow_factory):
    await start_flow(uow_factory(), seed.rep, "lead", "PERSON", {}, UNCLAIMED)
    await start_flow(uow_factory(), seed.rep, "shared", "OFFER", {}, UNCLAIMED, alone=False)
    assert await _flows(uow_factory, seed.rep) == ["lead", "shared"]


async def test_saving_a_step_merges_the_answer_keeps_the_nonce_and_forgets_what_it_is_told(
    seed, uow_factory
):
    started = await start_flow(
        uow_factory(), seed.rep, "new_deal", "NAME", {"_query": "ac"}, UNCLAIMED
    )
    saved = await save_step(
        uow_factory(), seed.rep, "new_deal", "AMOUNT", {"name": "Acme"},
        claiming("k2"), forget=("_query",),
    )  # fmt: skip
    assert saved.step == "AMOUNT"
    assert saved.data["name"] == "Acme" and "_query" not in saved.data
    assert saved.data[NONCE] == started.data[NONCE]
    async with uow_factory() as uow:
        stored = await get_draft(uow, seed.rep, "new_deal")
    assert stored.step == "AMOUNT" and stored.data["name"] == "Acme"


async def test_the_same_key_cannot_save_an_answer_twice(seed, uow_factory):
    await start_flow(uow_factory(), seed.rep, "lead", "PERSON", {}, claiming("k3"))
    with pytest.raises(IntegrityError):
        await save_step(
            uow_factory(), seed.rep, "lead", "COMPANY", {"person_name": "Mai"},
            claiming("k3"),
        )  # fmt: skip
    async with uow_factory() as uow:
        assert (await get_draft(uow, seed.rep, "lead")).step == "PERSON"


async def test_ending_a_flow_drops_its_draft_only(seed, uow_factory):
    await start_flow(uow_factory(), seed.rep, "lead", "PERSON", {}, UNCLAIMED)
    await save_step(uow_factory(), seed.rep, "pick", "PICK", {}, UNCLAIMED)
    await end_flow(uow_factory(), seed.rep, "lead", key="k4")
    assert await _flows(uow_factory, seed.rep) == ["pick"]
    assert await _claimed(uow_factory, "k4")
    await end_flow(uow_factory(), seed.rep, None, key=None)
    assert await _flows(uow_factory, seed.rep) == []


async def test_a_draft_is_taken_once_and_only_by_its_own_nonce(seed, uow_factory):
    draft = await save_step(uow_factory(), seed.rep, "reclose", "CONFIRM", {}, UNCLAIMED)
    assert await take_draft(uow_factory(), seed.rep, "reclose", "forged") is None
    taken = await take_draft(uow_factory(), seed.rep, "reclose", draft.data[NONCE])
    assert taken is not None and taken.id == draft.id
    assert await take_draft(uow_factory(), seed.rep, "reclose", draft.data[NONCE]) is None
