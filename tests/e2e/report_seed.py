"""A team of three reps with 40 deals in VND and USD, and what its reports must say."""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date, datetime, timedelta

from storage.actors import Actor
from storage.models import Campaign, Role
from storage.opportunities import OpportunityInput, create_opportunity
from storage.stages import team_stages
from storage.teams import add_user, team_sources

# Monday 23 November 2026, 09:00 in Ho Chi Minh City.
NOW = datetime.fromisoformat("2026-11-23T02:00:00+00:00")
TODAY = date(2026, 11, 23)
USD_RATE = 25_400  # VND per USD, set with /fx USD 25400
STAGE_CYCLE = (
    "prospecting",
    "qualification",
    "proposal",
    "negotiation",
    "prospecting",
    "proposal",
    "won",
    "lost",
)
PROBABILITY = {
    "prospecting": 10,
    "qualification": 20,
    "proposal": 50,
    "negotiation": 80,
    "won": 100,
    "lost": 0,
}


@dataclass(frozen=True)
class SeededDeal:
    owner: Actor
    currency: str
    amount: int  # minor units
    stage: str
    close: date
    campaign: str | None

    @property
    def is_open(self) -> bool:
        return self.stage not in ("won", "lost")

    @property
    def in_vnd(self) -> int:
        """Hand conversion: a USD cent is 254 đồng at 25,400 đồng a dollar."""
        return self.amount * USD_RATE // 100 if self.currency == "USD" else self.amount

    @property
    def weighted_vnd(self) -> int:
        return self.in_vnd * PROBABILITY[self.stage] // 100


@dataclass
class Seeded:
    reps: list[Actor]
    deals: list[SeededDeal]


async def seed_forty_deals(uow_factory, seed) -> Seeded:
    """Deal i: rep i % 3, USD when i % 4 == 3, (i + 1) million đồng or (i + 1) × $100,
    a stage from STAGE_CYCLE, closing 60 days ago and every 9 days on, campaign by i % 5."""
    async with uow_factory() as uow:
        third = await add_user(
            uow, team_id=seed.team.id, name="Chi Rep", role=Role.REP, telegram_id=103
        )
    reps = [seed.rep, seed.rep2, Actor.of(third)]
    async with uow_factory() as uow:
        campaigns = {
            name: Campaign(team_id=seed.team.id, name=name, search_name=name.casefold())
            for name in ("Tet 2027", "Summer Sale")
        }
        uow.session.add_all(campaigns.values())
        await uow.commit()
        stages = {stage.code: stage.id for stage in await team_stages(uow, seed.team.id)}
        referral = next(s.id for s in await team_sources(uow, seed.team.id) if s.code == "referral")
    deals = []
    for i in range(40):
        currency = "USD" if i % 4 == 3 else "VND"
        campaign = {0: "Tet 2027", 1: "Tet 2027", 2: "Summer Sale"}.get(i % 5)
        deal = SeededDeal(
            owner=reps[i % 3],
            currency=currency,
            amount=(i + 1) * (10_000 if currency == "USD" else 1_000_000),
            stage=STAGE_CYCLE[i % 8],
            close=TODAY + timedelta(days=9 * i - 60),
            campaign=campaign,
        )
        async with uow_factory() as uow:
            await create_opportunity(
                uow,
                deal.owner,
                OpportunityInput(
                    name=f"Deal {i:02d}",
                    close_date=deal.close,
                    amount=deal.amount,
                    currency=currency,
                    stage_id=stages[deal.stage],
                    campaign_id=campaigns[campaign].id if campaign else None,
                    source_id=referral if i % 2 else None,
                ),
            )
        deals.append(deal)
    return Seeded(reps, deals)
