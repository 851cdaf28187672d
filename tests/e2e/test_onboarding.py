"""Who may use the bot: strangers are refused, invites make members, languages switch."""

from sqlalchemy import func, select

from storage.models import Lead, Role, User
from storage.teams import create_invite
from tests.e2e.people import manager_speaking, rep_speaking, reply_to


async def test_an_unknown_user_is_refused_and_sees_no_data(fake, app, seed):
    stranger = fake.user(999, "Stranger", language_code="en")
    for text in ("/start", "/help", "/lead", "hello"):
        await stranger.send(text)
    texts = [message["text"] for message in stranger.messages]
    # One refusal an hour, however often they write: a flood must not become one of answers.
    assert len(texts) == 1
    assert "only for members" in texts[0]


async def test_the_refusal_speaks_the_strangers_telegram_language(fake, app, seed):
    stranger = fake.user(998, "Khách", language_code="vi")
    assert "thành viên" in await reply_to(stranger, "/start")


async def test_an_invite_link_makes_a_stranger_a_rep(fake, app, seed, uow_factory):
    async with uow_factory() as uow:
        invite = await create_invite(uow, team_id=seed.team.id, role=Role.REP)
    newcomer = fake.user(555, "Lan", language_code="en")
    assert "Welcome aboard, Lan" in await reply_to(newcomer, f"/start {invite.code}")
    async with uow_factory() as uow:
        user = (await uow.session.execute(select(User).where(User.telegram_id == 555))).scalar_one()
    assert (user.role, user.team_id) == (Role.REP, seed.team.id)
    assert "/lead" in await reply_to(newcomer, "/help")
    assert "/invite" not in newcomer.last_text()


async def test_a_used_invite_does_not_work_twice(fake, app, seed, uow_factory):
    async with uow_factory() as uow:
        invite = await create_invite(uow, team_id=seed.team.id, role=Role.REP)
    await fake.user(556, "First").send(f"/start {invite.code}")
    second = fake.user(557, "Second")
    assert "only for members" in await reply_to(second, f"/start {invite.code}")


async def test_a_manager_makes_an_invite_link_in_chat(fake, app, seed):
    manager = await manager_speaking(fake)
    assert "https://t.me/dealbot_test_bot?start=" in await reply_to(manager, "/invite rep")
    rep = await rep_speaking(fake)
    assert "Only a manager" in await reply_to(rep, "/invite rep")


async def test_language_th_makes_the_next_answer_thai(fake, app, seed):
    rep = await rep_speaking(fake)
    assert "What I can do" in await reply_to(rep, "/help")
    await rep.send("/language th")
    assert "What I can do" not in await reply_to(rep, "/help")
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in rep.last_text())


async def test_a_removed_member_loses_access_at_once(fake, app, seed, uow_factory):
    from storage.teams import remove_member

    rep = fake.user(102, "Binh", language_code="en")
    assert "/lead" in await reply_to(rep, "/help")
    async with uow_factory() as uow:
        await remove_member(uow, 102)
    assert "only for members" in await reply_to(rep, "/help")


async def test_the_same_update_delivered_twice_creates_one_lead(fake, app, seed, uow_factory):
    rep = fake.user(101, "An", language_code="en")
    await rep.send("/lead")
    await rep.send("Nguyễn Văn An")
    for _ in range(4):
        await rep.click("Skip")
    await rep.click("Save")
    await rep.deliver_again()
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count(Lead.id))) == 1


async def test_another_bot_on_the_same_database_is_not_taken_for_a_repeat(
    settings, seed, uow_factory
):
    """Update and message ids are a bot's own: a second bot's update 100 is not the first's."""
    from dataclasses import replace

    from bot.fake_telegram import FakeTelegram
    from tests.e2e.apps import start_app, stop_app

    for token in ("111111:" + "A" * 35, "222222:" + "B" * 35):
        fake = FakeTelegram(token)
        app = await start_app(fake, replace(settings, token=token))
        rep = fake.user(101, "An", language_code="en")
        # Update 100 and message 1 at both bots.
        await rep.send(f"/lead Lan Pham 0901 234 567 lan@{token[:6]}.vn")
        await stop_app(app)
    async with uow_factory() as uow:
        assert await uow.session.scalar(select(func.count(Lead.id))) == 2


async def test_update_keys_older_than_two_days_are_forgotten(uow_factory):
    from datetime import UTC, datetime, timedelta

    from storage import idempotency
    from storage.models import ProcessedKey

    now = datetime.now(UTC)
    async with uow_factory() as uow:
        uow.session.add_all(
            [
                ProcessedKey(key=idempotency.update_key(1, 5), created_at=now - timedelta(days=3)),
                ProcessedKey(key=idempotency.update_key(1, 6), created_at=now - timedelta(hours=1)),
                ProcessedKey(key="msg:7:8", created_at=now - timedelta(days=30)),
            ]
        )
        await uow.commit()
    async with uow_factory() as uow:
        gone = await idempotency.forget_update_keys(uow.session, now - timedelta(days=2))
        await uow.commit()
        kept = set(await uow.session.scalars(select(ProcessedKey.key)))
    assert gone == 1
    assert kept == {idempotency.update_key(1, 6), "msg:7:8"}
