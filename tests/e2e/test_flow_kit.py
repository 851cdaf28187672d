"""The draft-flow kit: one read of the draft per update, and stale buttons refused."""

from sqlalchemy import event, func, select

from storage.models import Draft, Opportunity
from tests.e2e.deal_helpers import data_of_button


class DraftReads:
    """Counts the statements that look up one flow's draft (storage.drafts.get_draft)."""

    def __init__(self, engine):
        self.count = 0
        self._engine = engine.sync_engine

    def __enter__(self):
        event.listen(self._engine, "before_cursor_execute", self._seen)
        return self

    def __exit__(self, *exc):
        event.remove(self._engine, "before_cursor_execute", self._seen)

    def _seen(self, conn, cursor, statement, parameters, context, executemany):
        if statement.lstrip().upper().startswith("SELECT") and "drafts.flow =" in statement:
            self.count += 1


async def test_a_typed_answer_reads_its_draft_once_and_once_more_to_store_it(fake, app, seed):
    rep = fake.user(101, "An", language_code="en")
    await rep.send("/language en")
    await rep.send("/new")
    with DraftReads(app.bot_data.engine) as reads:
        await rep.send("Acme ERP")
    assert "How much is the deal worth" in rep.last_text()
    # The handler, the next question and the step's choice share one read; the write
    # reads the row again inside its own transaction, which merges the answer into it.
    assert reads.count == 2


async def test_a_date_button_of_a_cancelled_one_liner_saves_nothing(fake, app, seed, uow_factory):
    rep = fake.user(101, "An", language_code="en")
    await rep.send("/language en")
    await rep.send("/new Acme ERP 50tr")
    old_question = rep.last_message()
    await rep.send("/cancel")
    await rep.send("/new Beta CRM 20tr")
    day = data_of_button(old_question, lambda button: button["callback_data"].count(":") >= 2)
    await rep.click_data(old_question["message_id"], day)
    assert "no longer open" in rep.last_text()
    async with uow_factory() as uow:
        deals = await uow.session.scalar(select(func.count()).select_from(Opportunity))
        draft = (await uow.session.execute(select(Draft))).scalar_one()
    assert deals == 0
    assert draft.flow == "quick" and draft.data["line"] == "Beta CRM 20tr"
