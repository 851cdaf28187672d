"""Who sent an update, and whether it was handled, in one statement."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import update

from storage import idempotency, member_lookup
from storage.models import Role, User
from storage.teams import set_language


async def test_a_member_comes_with_their_team_and_a_fresh_update_is_not_seen(
    uow_factory, seed
) -> None:
    async with uow_factory() as uow:
        found = await member_lookup.look_up(uow, 101, "update:1:10")
    assert found.seen is False
    member = found.member
    assert member is not None
    assert member.actor == seed.rep
    assert (member.name, member.role, member.team_currency) == ("An Rep", Role.REP, "VND")
    assert member.team_timezone == "Asia/Ho_Chi_Minh" and member.blocked_at is None


async def test_a_changed_language_shows_at_the_next_update(uow_factory, seed) -> None:
    async with uow_factory() as uow:
        await set_language(uow, seed.rep, "th")
    async with uow_factory() as uow:
        found = await member_lookup.look_up(uow, 101, "update:1:11")
    assert found.member is not None and found.member.language == "th"


async def test_a_processed_update_is_seen_whether_or_not_its_sender_is_a_member(
    uow_factory, seed
) -> None:
    async with uow_factory() as uow:
        await idempotency.claim(uow.session, "update:1:12")
        await uow.commit()
    async with uow_factory() as uow:
        member = await member_lookup.look_up(uow, 101, "update:1:12")
        stranger = await member_lookup.look_up(uow, 999, "update:1:12")
        fresh_stranger = await member_lookup.look_up(uow, 999, "update:1:13")
    assert member.seen and member.member is not None
    assert stranger.seen and stranger.member is None
    assert not fresh_stranger.seen and fresh_stranger.member is None


async def test_a_removed_member_is_no_member_and_unblocking_clears_the_mark(
    uow_factory, seed
) -> None:
    async with uow_factory() as uow:
        await uow.session.execute(
            update(User)
            .where(User.id == seed.rep.id)
            .values(blocked_at=datetime(2026, 3, 1, tzinfo=UTC))
        )
        await uow.session.execute(update(User).where(User.id == seed.rep2.id).values(active=False))
        await uow.commit()
    async with uow_factory() as uow:
        blocked = await member_lookup.look_up(uow, 101, "update:1:14")
        removed = await member_lookup.look_up(uow, 102, "update:1:14")
        assert blocked.member is not None and blocked.member.blocked_at is not None
        assert removed.member is None
        await member_lookup.unblock(uow, blocked.member.id)
    async with uow_factory() as uow:
        assert (await uow.session.get(User, seed.rep.id)).blocked_at is None
