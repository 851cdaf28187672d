"""Helpers for the scheduled-push tests: a movable clock, deals, and reading what arrived."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from zoneinfo import ZoneInfo

from sqlalchemy import update
from telegram.ext import Application

from bot.fake_telegram import FakeTelegram
from bot.runtime.scheduler import JOB_NAME
from storage.actors import Actor
from storage.models import Opportunity
from storage.opportunities import OpportunityInput, create_opportunity

HCM = "Asia/Ho_Chi_Minh"
# Telegram ids and names of the seeded members (tests/conftest.py).
SEEDED = ((100, "Mai"), (101, "An"), (102, "Binh"), (200, "Somchai"), (201, "Niran"), (1, "Admin"))


class Clock:
    """The application's clock, moved by the test: ``clock.set("2026-03-02 08:00")``."""

    def __init__(self, local: str, zone: str = HCM) -> None:
        self.set(local, zone)

    def set(self, local: str, zone: str = HCM) -> None:
        self.now = datetime.fromisoformat(local).replace(tzinfo=ZoneInfo(zone)).astimezone(UTC)

    def today(self, zone: str = HCM) -> date:
        return self.now.astimezone(ZoneInfo(zone)).date()

    def __call__(self) -> datetime:
        return self.now


def without_job(app: Application) -> Application:
    """Tests drive the tick themselves; the periodic job must not run beside them."""
    for job in app.job_queue.get_jobs_by_name(JOB_NAME):
        job.schedule_removal()
    return app


def register_members(fake: FakeTelegram) -> None:
    """Give every seeded member a chat, so sends to them succeed."""
    for telegram_id, name in SEEDED:
        fake.user(telegram_id, name)


async def add_deal(
    uow_factory,
    actor: Actor,
    name: str,
    close: date,
    *,
    created: datetime,
    amount: int = 50_000_000,
) -> int:
    """A deal created (and last moved) at ``created`` on the test's clock."""
    async with uow_factory() as uow:
        deal = await create_opportunity(
            uow, actor, OpportunityInput(name=name, close_date=close, amount=amount)
        )
    async with uow_factory() as uow:
        await uow.session.execute(
            update(Opportunity)
            .where(Opportunity.id == deal.id)
            .values(created_at=created, stage_changed_at=created)
        )
        await uow.commit()
    return deal.id


def sent_texts(fake: FakeTelegram, chat_id: int, marker: str) -> list[str]:
    """Texts (as sent, HTML) of the messages delivered to a chat that contain ``marker``."""
    return [
        call.params["text"]
        for call in fake.calls_of("sendMessage", chat_id)
        if call.error is None and marker in call.params["text"]
    ]


def digests(fake: FakeTelegram, chat_id: int) -> list[str]:
    return sent_texts(fake, chat_id, "Your deals")


def reminders(fake: FakeTelegram, chat_id: int) -> list[str]:
    return sent_texts(fake, chat_id, "Reminder")


def days(n: int) -> timedelta:
    return timedelta(days=n)
