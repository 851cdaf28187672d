"""Who may use the bot: strangers are refused, invites make members, languages switch."""

from sqlalchemy import func, select

from storage.models import Lead, Role, User
from storage.teams import create_invite


async def test_an_unknown_user_is_refused_and_sees_no_data(fake, app, seed):
    stranger = fake.user(999, "Stranger", language_code="en")
    for text in ("/start", "/help", "/lead", "hello"):
        await stranger.send(text)
    texts = [message["text"] for message in stranger.messages]
    assert len(texts) == 4
    assert all("only for members" in text for text in texts)


async def test_the_refusal_speaks_the_strangers_telegram_language(fake, app, seed):
    stranger = fake.user(998, "Khách", language_code="vi")
    await stranger.send("/start")
    assert "thành viên" in stranger.last_text()


async def test_an_invite_link_makes_a_stranger_a_rep(fake, app, seed, uow_factory):
    async with uow_factory() as uow:
        invite = await create_invite(uow, team_id=seed.team.id, role=Role.REP)
    newcomer = fake.user(555, "Lan", language_code="en")
    await newcomer.send(f"/start {invite.code}")
    assert "Welcome aboard, Lan" in newcomer.last_text()
    async with uow_factory() as uow:
        user = (await uow.session.execute(select(User).where(User.telegram_id == 555))).scalar_one()
    assert (user.role, user.team_id) == (Role.REP, seed.team.id)
    await newcomer.send("/help")
    assert "/lead" in newcomer.last_text()
    assert "/invite" not in newcomer.last_text()


async def test_a_used_invite_does_not_work_twice(fake, app, seed, uow_factory):
    async with uow_factory() as uow:
        invite = await create_invite(uow, team_id=seed.team.id, role=Role.REP)
    await fake.user(556, "First").send(f"/start {invite.code}")
    second = fake.user(557, "Second")
    await second.send(f"/start {invite.code}")
    assert "only for members" in second.last_text()


async def test_a_manager_makes_an_invite_link_in_chat(fake, app, seed):
    manager = fake.user(100, "Mai", language_code="en")
    await manager.send("/language en")
    await manager.send("/invite rep")
    assert "https://t.me/dealbot_test_bot?start=" in manager.last_text()
    rep = fake.user(101, "An", language_code="en")
    await rep.send("/language en")
    await rep.send("/invite rep")
    assert "Only a manager" in rep.last_text()


async def test_language_th_makes_the_next_answer_thai(fake, app, seed):
    rep = fake.user(101, "An", language_code="en")
    await rep.send("/language en")
    await rep.send("/help")
    assert "What I can do" in rep.last_text()
    await rep.send("/language th")
    await rep.send("/help")
    assert "What I can do" not in rep.last_text()
    assert any("\u0e00" <= ch <= "\u0e7f" for ch in rep.last_text())


async def test_a_removed_member_loses_access_at_once(fake, app, seed, uow_factory):
    from storage.teams import remove_member

    rep = fake.user(102, "Binh", language_code="en")
    await rep.send("/help")
    assert "/lead" in rep.last_text()
    async with uow_factory() as uow:
        await remove_member(uow, 102)
    await rep.send("/help")
    assert "only for members" in rep.last_text()


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
