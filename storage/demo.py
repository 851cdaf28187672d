"""A sample team so a newcomer's first look at the bot has something to show."""

from __future__ import annotations

import random
from datetime import date, timedelta
from decimal import Decimal

from sqlalchemy import func, select

from storage import clock
from storage.actors import Actor
from storage.campaigns import new_campaign
from storage.directory import new_account, new_contact
from storage.fx import set_rate
from storage.leads import LeadInput, create_lead
from storage.models import Role, StageKind, User
from storage.opportunities import OpportunityInput, insert_opportunity
from storage.stages import move_stage, team_stages
from storage.teams import TeamSettings, add_user, create_team
from storage.uow import UnitOfWork

DEMO_ADMIN_TELEGRAM_ID = 900_000
PEOPLE = (
    ("Linh Tran", Role.MANAGER, 900_001, "vi"),
    ("Minh Nguyen", Role.REP, 900_002, "vi"),
    ("Somchai Dee", Role.REP, 900_003, "th"),
    ("Jenny Lee", Role.REP, 900_004, "en"),
)
COMPANIES = (
    "Công ty TNHH Minh Phát",
    "Saigon Coffee Roasters",
    "บริษัท สยามเทค จำกัด",
    "Hanoi Logistics JSC",
    "Bangkok Dental Clinic",
    "Đà Nẵng Resort",
)
CONTACTS = ("Nguyễn Văn An", "Trần Thị Bích", "สมศรี ใจดี", "Lê Hoàng", "Pim Suksan", "Phạm Quốc")
PRODUCTS = ("ERP", "CRM licences", "POS system", "Cloud backup", "Training", "Support plan")


async def is_empty(uow: UnitOfWork) -> bool:
    return not await uow.session.scalar(select(func.count(User.id)))


async def fill_demo(uow_factory, *, admin_name: str = "Admin", today: date | None = None) -> None:  # type: ignore[no-untyped-def]
    """Create the demo team: an admin, a manager, three reps, companies, leads, 40 deals."""
    today = today or clock.today("Asia/Ho_Chi_Minh")
    rng = random.Random(2026)
    async with uow_factory() as uow:
        team = await create_team(
            uow, TeamSettings(name="Demo Sales", currency="VND", timezone="Asia/Ho_Chi_Minh")
        )
    async with uow_factory() as uow:
        # Some demo deals are in USD: with a rate, the totals show them converted.
        await set_rate(uow, None, team.id, "USD", Decimal("25400"), today - timedelta(days=30))
    async with uow_factory() as uow:
        await add_user(
            uow,
            team_id=team.id,
            name=admin_name,
            role=Role.ADMIN,
            telegram_id=DEMO_ADMIN_TELEGRAM_ID,
        )
    members = []
    for name, role, telegram_id, language in PEOPLE:
        async with uow_factory() as uow:
            user = await add_user(
                uow,
                team_id=team.id,
                name=name,
                role=role,
                telegram_id=telegram_id,
                language=language,
            )
        members.append(Actor.of(user))
    reps = [member for member in members if member.role is Role.REP]

    async with uow_factory() as uow:
        stages = await team_stages(uow, team.id)
        campaign = new_campaign(team.id, "Tết 2027")
        uow.session.add(campaign)
        accounts = []
        for index, company in enumerate(COMPANIES):
            account = new_account(reps[index % len(reps)], company)
            uow.session.add(account)
            accounts.append(account)
        await uow.session.flush()
        contacts = []
        for index, person in enumerate(CONTACTS):
            owner = reps[index % len(reps)]
            contact = new_contact(
                owner, person, account=accounts[index], phone=f"090{1000000 + index * 7919}"
            )
            uow.session.add(contact)
            contacts.append((owner, contact))
        await uow.session.flush()
        deals = []
        for number in range(40):
            owner = reps[number % len(reps)]
            index = number % len(COMPANIES)
            currency = "USD" if number % 5 == 0 else "VND"
            amount = rng.randrange(5, 500) * (100_000 if currency == "USD" else 1_000_000)
            deal = await insert_opportunity(
                uow.session,
                owner,
                OpportunityInput(
                    name=f"{PRODUCTS[number % len(PRODUCTS)]} – {COMPANIES[index]}"[:200],
                    close_date=today + timedelta(days=rng.randrange(-10, 120)),
                    amount=amount,
                    currency=currency,
                    account_id=accounts[index].id if accounts[index].owner_id == owner.id else None,
                    campaign_id=campaign.id if number % 3 == 0 else None,
                ),
            )
            deals.append((owner, deal.id))
        await uow.commit()

    open_stages = [stage for stage in stages if stage.kind is StageKind.OPEN]
    closed = {stage.kind: stage for stage in stages if stage.kind is not StageKind.OPEN}
    for number, (owner, deal_id) in enumerate(deals):
        target = rng.choice([*open_stages[1:], closed[StageKind.WON], closed[StageKind.LOST]])
        if number % 4 == 0:
            continue
        async with uow_factory() as uow:
            reason = "Price too high" if target.kind is StageKind.LOST else None
            await move_stage(uow, owner, deal_id, target.id, lost_reason=reason)

    leads = (
        ("Hoàng Minh Tuấn", "Cty Cổ phần Sao Mai", "0912 345 678", "tuan@saomai.vn"),
        ("Niran Chai", "Chiang Mai Foods", "+66 81 234 5678", "niran@cmfoods.co.th"),
        ("Emily Tan", "Acme Asia", None, "emily@acme.asia"),
    )
    for index, (person, company, phone, email) in enumerate(leads):
        async with uow_factory() as uow:
            await create_lead(
                uow,
                reps[index % len(reps)],
                LeadInput(person_name=person, company_name=company, phone=phone, email=email),
            )
