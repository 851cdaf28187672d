"""`dealbot admin …`: members and invites from the command line, where the admin is trusted."""

from __future__ import annotations

import argparse
import os

from sqlalchemy import select

from bot.config import Settings
from storage import migrate
from storage.db import create_engine, create_session_factory
from storage.errors import DomainError, InvalidInput
from storage.models import Role, Team
from storage.team_rules import (
    MAX_OFFSET,
    MAX_OFFSETS,
    STALE_DAYS,
    rules_of_team,
    update_team_rules,
)
from storage.teams import (
    add_user,
    create_invite,
    create_team,
    list_members,
    remove_member,
    set_role,
)
from storage.uow import UnitOfWork


async def _team(uow: UnitOfWork, wanted: str | None, settings: Settings) -> Team:
    statement = select(Team).order_by(Team.id)
    if wanted:
        statement = statement.where(
            Team.id == int(wanted) if wanted.isdigit() else Team.name == wanted
        )
    team = (await uow.session.execute(statement.limit(1))).scalar()
    if team is not None:
        return team
    if wanted:
        raise SystemExit(f"dealbot: no team {wanted!r}")
    return await create_team(
        uow,
        settings.first_team(),
    )


async def _bot_username(settings: Settings) -> str:
    configured = os.environ.get("DEALBOT_BOT_USERNAME", "").strip().lstrip("@")
    if configured:
        return configured
    if not settings.token:
        raise SystemExit("dealbot: set DEALBOT_BOT_USERNAME or DEALBOT_TOKEN to make a link")
    from telegram import Bot

    async with Bot(settings.token) as bot:
        return bot.username


async def _team_rules(args: argparse.Namespace, settings: Settings, uow: UnitOfWork) -> int:
    team = await _team(uow, args.team, settings)
    offsets = None
    if args.reminders is not None:
        try:
            offsets = [int(day) for day in args.reminders.replace(" ", "").split(",")]
        except ValueError:
            print("dealbot: write the reminder days as numbers, e.g. --reminders 7,3,1,0")
            return 2
    if offsets is not None or args.stuck_days is not None:
        try:
            await update_team_rules(
                uow, None, team.id, reminder_offsets=offsets, stale_days=args.stuck_days
            )
        except InvalidInput as error:
            if error.field == "stale_days":
                print(f"dealbot: --stuck-days must be {STALE_DAYS[0]} to {STALE_DAYS[-1]}")
            else:
                print(f"dealbot: give 1 to {MAX_OFFSETS} reminder days, each 0 to {MAX_OFFSET}")
            return 1
    rules = await rules_of_team(uow, team.id)
    days = ",".join(str(offset) for offset in rules.reminder_offsets)
    print(
        f"{team.name}: reminders {days} days before the close date; stuck after "
        f"{rules.stale_days} days without a stage change"
    )
    return 0


async def run_admin(args: argparse.Namespace, settings: Settings) -> int:
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        sessions = create_session_factory(engine)
        async with UnitOfWork(sessions) as uow:
            try:
                return await _dispatch(args, settings, uow)
            except DomainError as error:
                print(f"dealbot: {error}")
                return 1
    finally:
        await engine.dispose()


async def _dispatch(args: argparse.Namespace, settings: Settings, uow: UnitOfWork) -> int:
    if args.action == "add":
        team = await _team(uow, args.team, settings)
        user = await add_user(
            uow, team_id=team.id, name=args.name, role=Role(args.role), telegram_id=args.telegram_id
        )
        print(f"added {user.name} ({user.role.value}) to {team.name}")
    elif args.action == "list":
        for user in await list_members(uow):
            state = "active" if user.active else "removed"
            print(
                f"{user.telegram_id}\t{user.role.value}\tteam {user.team_id}\t{state}\t{user.name}"
            )
    elif args.action == "set-role":
        user = await set_role(uow, args.telegram_id, Role(args.role))
        print(f"{user.name} is now {user.role.value}")
    elif args.action == "remove":
        await remove_member(uow, args.telegram_id)
        print(f"removed {args.telegram_id}")
    elif args.action == "fx":
        from bot.cli.data import admin_fx

        return await admin_fx(args, uow)
    elif args.action == "team":
        return await _team_rules(args, settings, uow)
    elif args.action == "invite":
        team = await _team(uow, args.team, settings)
        invite = await create_invite(uow, team_id=team.id, role=Role(args.role), uses=args.uses)
        username = await _bot_username(settings)
        print(f"https://t.me/{username}?start={invite.code}")
        print(f"valid until {invite.expires_at:%Y-%m-%d %H:%M} UTC for {invite.uses_left} use(s)")
    return 0
