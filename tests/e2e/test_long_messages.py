"""Answers longer than Telegram allows are split or shortened, never refused."""

from bot.i18n import translator
from storage.actors import Actor
from storage.directory import create_account, create_contact
from storage.leads import LeadInput, create_lead
from storage.models import Opportunity, Role
from storage.teams import add_user
from tests.e2e.deal_helpers import make_deal, refused_calls
from tests.e2e.people import rep_speaking
from tests.e2e.test_imports import _manager

DESCRIPTION = ("Khách hàng cần demo <sớm> & báo giá chi tiết. " * 100)[:4000]


def _nothing_refused(fake, *users) -> None:
    assert [call.error for call in refused_calls(fake)] == []
    for user in users:
        assert "Sorry" not in user.last_text()


async def test_a_4000_character_description_fits_the_summary_and_the_draft_saves(
    fake, now_app, seed, uow_factory
):
    t = translator("en")
    rep = await rep_speaking(fake)
    await rep.send("/new")
    await rep.send("Acme ERP")
    await rep.send("50000000")
    await rep.click(t._("End of next month"))
    await rep.click(t._("Proposal"))
    question = t._("Anything to note about the deal? Type a short description.")
    for _ in range(15):
        if question in rep.last_text():
            break
        labels = rep.buttons()
        await rep.click(t._("Skip") if t._("Skip") in labels else t._("Continue"))
    assert question in rep.last_text()
    await rep.send(DESCRIPTION)
    _nothing_refused(fake, rep)
    await rep.click(t._("Save"))
    assert t._("Deal saved.") in rep.last_text()
    _nothing_refused(fake, rep)
    async with uow_factory() as uow:
        [deal] = (await uow.session.execute(Opportunity.__table__.select())).all()
    assert deal.description == DESCRIPTION


async def test_the_card_of_a_deal_with_a_4000_character_description_is_sent(
    fake, now_app, seed, uow_factory
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP", description=DESCRIPTION)
    rep = await rep_speaking(fake)
    await rep.send(f"/deal {deal.id}")
    _nothing_refused(fake, rep)
    assert "Acme ERP" in rep.last_text()


async def test_find_with_many_long_names_answers(fake, now_app, seed, uow_factory):
    def long(number: int) -> str:
        return f"Acme {number} " + "Công ty TNHH Thương mại " * 8

    for number in range(8):
        await make_deal(uow_factory, seed.rep, long(number)[:200])
    for number in range(5):
        async with uow_factory() as uow:
            await create_account(uow, seed.rep, long(10 + number)[:200])
        async with uow_factory() as uow:
            await create_contact(uow, seed.rep, long(20 + number)[:200])
        async with uow_factory() as uow:
            await create_lead(uow, seed.rep, LeadInput(person_name=long(30 + number)[:200]))
    rep = await rep_speaking(fake)
    await rep.send("/find acme")
    _nothing_refused(fake, rep)
    assert "Acme 30" in "".join(message.get("text", "") for message in rep.messages)


async def test_pipeline_by_rep_with_sixty_reps_answers(fake, now_app, seed, uow_factory):
    for number in range(60):
        async with uow_factory() as uow:
            user = await add_user(
                uow,
                team_id=seed.team.id,
                name=f"Rep {number:02d} " + "Nguyễn Thị Minh Khai " * 4,
                role=Role.REP,
                telegram_id=5000 + number,
            )
        async with uow_factory() as uow:
            owner = await uow.session.get(type(user), user.id)
        await make_deal(uow_factory, Actor.of(owner), f"Deal {number}", currency="VND")
    manager = await _manager(fake)
    await manager.send("/pipeline team")
    await manager.click("By rep")
    _nothing_refused(fake, manager)
    # Nobody is cut off: the reps that do not fit follow in new messages, buttons last.
    shown = "\n".join(message.get("text", "") for message in manager.messages)
    assert all(f"Rep {number:02d}" in shown for number in range(60))
    assert "By stage" in manager.buttons()


async def test_an_import_preview_with_many_bad_rows_answers(fake, now_app, seed):
    manager = await _manager(fake)
    rows = "".join(f"Deal {n},{'31/02/2027 ' * 40}\n" for n in range(400))
    await manager.send_document("deals.csv", ("Name,Close date\n" + rows).encode(), "text/csv")
    _nothing_refused(fake, manager)


async def test_a_long_description_is_cut_on_the_card_and_show_all_sends_it_whole(
    fake, now_app, seed, uow_factory
):
    deal = await make_deal(uow_factory, seed.rep, "Acme ERP", description=DESCRIPTION)
    rep = await rep_speaking(fake)
    await rep.send(f"/deal {deal.id}")
    card = rep.last_text()
    assert "…" in card and len(card) < 1500
    await rep.click("Show the whole description")
    whole = rep.last_text()
    assert DESCRIPTION.replace("  ", " ").strip()[-40:] in whole
    _nothing_refused(fake, rep)
