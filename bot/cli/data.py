"""`dealbot import`, `dealbot export` and `dealbot admin fx`: deals and rates from a terminal."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from datetime import date
from decimal import Decimal, InvalidOperation
from pathlib import Path
from typing import TextIO

from sqlalchemy import select

from bot.config import Settings
from bot.handlers.imports.cells import LocaleCells
from bot.handlers.imports.views import problem_text
from bot.i18n import LANGUAGES, translator
from storage import clock, migrate
from storage.actors import Actor
from storage.csv.apply import run_import
from storage.csv.export import export_csv, rejected_csv
from storage.csv.imports import ImportPlan, prepare_import
from storage.db import create_engine, create_session_factory
from storage.errors import DomainError, InvalidInput
from storage.fx import current_rates, set_rate
from storage.fx_hints import example_currency, suggested_rate
from storage.models import Role, Team, User
from storage.uow import UnitOfWork

BAR_WIDTH = 30


def add_commands(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The import and export subcommands of `dealbot`."""
    importing = commands.add_parser(
        "import",
        help="import deals from a CSV or Excel file, with a preview and a progress bar",
        description="Import deals from a CSV file (UTF-8, comma or semicolon, headers in "
        "English, Vietnamese or Thai) or an Excel .xlsx file (its first sheet). Rows already "
        "imported are found and not duplicated. "
        "Rejected rows are written to FILE.rejected.csv with the reason.",
    )
    importing.add_argument("file", type=Path)
    importing.add_argument("--team", help="team id or name (default: the first team)")
    importing.add_argument("--dry-run", action="store_true", help="check every row, save nothing")
    importing.add_argument(
        "--update", action="store_true", help="update deals that exist already (default: skip)"
    )
    importing.add_argument(
        "--add-missing",
        action="store_true",
        help="add the sources and campaigns the file names that the team has not got "
        "(default: import those deals without them)",
    )
    importing.add_argument("--lang", choices=LANGUAGES, help="how amounts and dates are written")
    importing.add_argument("--as", dest="member", help="Telegram id of the importing manager")
    exporting = commands.add_parser(
        "export",
        help="export a team's deals to a CSV file, or an Excel file when it ends in .xlsx",
        description="Write every deal of the team to a CSV file (or FILE.xlsx) that "
        "`dealbot import` and the bot read back unchanged.",
    )
    exporting.add_argument("file", type=Path)
    exporting.add_argument("--team", help="team id or name (default: the first team)")
    exporting.add_argument("--lang", choices=LANGUAGES, help="the language of the headers")


def add_fx_command(actions: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """`dealbot admin fx [CURRENCY RATE] [--date D] [--team T]`."""
    fx = actions.add_parser(
        "fx",
        help="list exchange rates, or set one",
        description="With no arguments, list the team's exchange rates. With a currency and a "
        "rate, set what one unit is worth in the team's currency, e.g. `fx USD 25400`.",
    )
    fx.add_argument("currency", nargs="?")
    fx.add_argument("rate", nargs="?")
    fx.add_argument("--date", help="YYYY-MM-DD the rate applies from (default: today)")
    fx.add_argument("--team", help="team id or name (default: the first team)")


async def _team(uow: UnitOfWork, wanted: str | None) -> Team:
    statement = select(Team).order_by(Team.id)
    if wanted:
        statement = statement.where(
            Team.id == int(wanted) if wanted.isdigit() else Team.name == wanted
        )
    team = (await uow.session.execute(statement.limit(1))).scalar()
    if team is None:
        raise SystemExit(f"dealbot: no team {wanted!r}" if wanted else "dealbot: no team yet")
    return team


async def _acting(uow: UnitOfWork, team: Team, member: str | None) -> Actor:
    """The manager the command line acts as: deals without an owner become theirs."""
    statement = select(User).where(
        User.team_id == team.id,
        User.active.is_(True),
        User.role.in_((Role.MANAGER, Role.ADMIN)),
    )
    if member:
        statement = statement.where(User.telegram_id == int(member))
    user = (await uow.session.execute(statement.order_by(User.id).limit(1))).scalar()
    if user is None:
        raise SystemExit(
            f"dealbot: team {team.name!r} has no such manager; add one with `dealbot admin add`"
        )
    # A manager of that team, even when the person is an admin: imports stay in the team.
    return Actor(user.id, team.id, Role.MANAGER)


def _today(team: Team) -> date:
    return clock.today(team.timezone)


class ProgressBar:
    """`[#####-----]  5,000/10,000 rows  3.1 s`, redrawn in place on a terminal."""

    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self.stream, self.clock, self.start = stream, clock, clock()

    async def __call__(self, done: int, total: int) -> None:
        filled = BAR_WIDTH * done // total if total else BAR_WIDTH
        bar = "#" * filled + "-" * (BAR_WIDTH - filled)
        elapsed = self.clock() - self.start
        self.stream.write(f"\rImporting [{bar}] {done:,}/{total:,} rows  {elapsed:.1f} s")
        if done >= total:
            self.stream.write("\n")
        self.stream.flush()


def _report(plan: ImportPlan, t_lang: str, out: TextIO) -> None:
    t = translator(t_lang)
    print(
        f"{plan.rows_read:,} rows read: {len(plan.valid):,} valid "
        f"({len(plan.existing):,} already here), {len(plan.problems):,} with problems",
        file=out,
    )
    for problem in plan.problems[:20]:
        print("  " + problem_text(t, problem), file=out)
    if len(plan.problems) > 20:
        print(f"  …and {len(plan.problems) - 20:,} more", file=out)
    if plan.warnings:
        print(f"{len(plan.warnings):,} rows imported without a value the team lacks:", file=out)
    for problem in plan.warnings[:20]:
        print("  " + problem_text(t, problem), file=out)


async def _import(args: argparse.Namespace, uow: UnitOfWork, out: TextIO) -> int:
    team = await _team(uow, args.team)
    actor = await _acting(uow, team, args.member)
    language = args.lang or team.language
    started = time.monotonic()
    try:
        data = args.file.read_bytes()
    except OSError as error:
        print(f"dealbot: cannot read {args.file}: {error.strerror}", file=out)
        return 2
    plan = await prepare_import(uow, actor, data, LocaleCells(language, _today(team)))
    _report(plan, language, out)
    if args.dry_run:
        print("dry run: nothing was saved", file=out)
        return 0
    result = await run_import(
        uow,
        actor,
        plan,
        update_existing=args.update,
        add_missing=args.add_missing,
        progress=ProgressBar(sys.stderr),
    )
    rejected = plan.problems + result.failed
    # With --add-missing, unknown sources and campaigns were added: no longer worth a word.
    added = ("source", "campaign") if args.add_missing else ()
    warnings = [warning for warning in plan.warnings if warning.field not in added]
    if rejected or warnings:
        t = translator(language)
        path = args.file.with_suffix(".rejected.csv")
        path.write_bytes(
            rejected_csv(
                plan.header,
                rejected + warnings,
                delimiter=plan.delimiter,
                reason_title=t._("Problem"),
                reason_text=lambda problem: problem_text(t, problem),
            )
        )
        print(f"rows rejected or imported without a value, with the reason: {path}", file=out)
    print(
        f"imported {args.file.name} into {team.name} in {time.monotonic() - started:.1f} s: "
        f"{result.created:,} created, {result.updated:,} updated, {result.unchanged:,} "
        f"unchanged, {result.skipped:,} skipped, {len(rejected):,} rejected",
        file=out,
    )
    return 0 if not rejected else 1


async def _export(args: argparse.Namespace, uow: UnitOfWork, out: TextIO) -> int:
    team = await _team(uow, args.team)
    actor = await _acting(uow, team, None)
    xlsx = args.file.suffix.casefold() == ".xlsx"
    data, count = await export_csv(uow, actor, args.lang or team.language, xlsx=xlsx)
    args.file.write_bytes(data)
    print(f"exported {count:,} deals of {team.name} to {args.file}", file=out)
    return 0


async def admin_fx(args: argparse.Namespace, uow: UnitOfWork, out: TextIO | None = None) -> int:
    """`dealbot admin fx`: list the team's rates, or set one (the admin is trusted here)."""
    out = out or sys.stdout
    team = await _team(uow, args.team)
    if args.currency and args.rate:
        try:
            rate = Decimal(args.rate.replace(",", ""))
            valid_from = date.fromisoformat(args.date) if args.date else _today(team)
        except (InvalidOperation, ValueError):
            print(
                "dealbot: write the rate as digits (25400 or 36.25) and the date as YYYY-MM-DD",
                file=out,
            )
            return 2
        try:
            saved = await set_rate(uow, None, team.id, args.currency, rate, valid_from)
        except InvalidInput as error:
            reasons = {
                "is_base": f"{args.currency.upper()} is the team's own currency",
                "unknown": f"{args.currency!r} is not a currency code such as USD",
            }
            print(f"dealbot: {reasons.get(error.reason, 'the rate must be above 0')}", file=out)
            return 1
        print(
            f"1 {saved.currency} = {saved.rate.normalize():f} {saved.base} from "
            f"{saved.valid_from.isoformat()}",
            file=out,
        )
        return 0
    rates = await current_rates(uow, team.id, _today(team))
    print(f"{team.name}: totals in {team.currency}", file=out)
    for rate in rates:
        print(
            f"1 {rate.currency} = {rate.rate.normalize():f} {rate.base} "
            f"(from {rate.valid_from.isoformat()})",
            file=out,
        )
    if not rates:
        currency = example_currency(team.currency)
        rate = await suggested_rate(uow, team.id, currency, team.currency)
        print(f"no exchange rates yet: dealbot admin fx {currency} {rate:f}", file=out)
    return 0


async def run_data_command(
    args: argparse.Namespace, settings: Settings, out: TextIO | None = None
) -> int:
    """Run `import` or `export` against the configured database."""
    out = out or sys.stdout
    engine = create_engine(settings.database_url)
    try:
        await migrate.upgrade(engine)
        async with UnitOfWork(create_session_factory(engine)) as uow:
            action = {"import": _import, "export": _export}[args.command]
            try:
                return await action(args, uow, out)
            except DomainError as error:
                print(f"dealbot: {error}", file=out)
                return 1
    finally:
        await engine.dispose()
