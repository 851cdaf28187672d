"""The `dealbot` command line: run, console, board, migrate, admin, parse, import, export."""

from __future__ import annotations

import argparse
import asyncio
import sys
from collections.abc import Sequence

from bot.config import ConfigError, Settings, load_settings
from storage.models import Role

ROLES = [role.value for role in Role]


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="dealbot",
        description="A Telegram bot that is a sales team's CRM front end (vi, th, en).",
        epilog="Configuration comes from DEALBOT_* environment variables or a .env file; "
        "see the README.",
    )
    commands = parser.add_subparsers(dest="command", required=True, metavar="COMMAND")

    commands.add_parser(
        "run",
        help="run the bot against Telegram (long polling, or a webhook if DEALBOT_WEBHOOK_URL)",
        description="Apply migrations, wait to be the only instance on the database, then "
        "serve Telegram. Needs DEALBOT_TOKEN.",
    )

    console = commands.add_parser(
        "console",
        help="chat with the bot in this terminal, without Telegram",
        description="Talk to the bot through a local stand-in of the Telegram Bot API, against "
        "the real database. Type text or /commands; type a number to press that button.",
    )
    console.add_argument("--as", dest="name", help="chat as the member with this name")
    console.add_argument("--lang", choices=["vi", "th", "en"], help="the language to chat in")
    console.add_argument(
        "--demo", action="store_true", help="fill an empty database with a sample team first"
    )

    board = commands.add_parser(
        "board",
        help="serve the pipeline board locally and print a signed link to open in a browser",
        description="Serve the board (the Telegram Mini App) on 127.0.0.1 against the "
        "configured database, and print a link signed as a member, so it can be tried "
        "without Telegram. Ctrl-C stops it.",
    )
    board.add_argument("--as", dest="name", help="open the board as the member with this name")
    board.add_argument("--port", type=int, default=8080, help="the local port (0: any free one)")
    board.add_argument("--lang", choices=["vi", "th", "en"], help="the board's language")
    board.add_argument(
        "--demo", action="store_true", help="fill an empty database with a sample team first"
    )

    commands.add_parser(
        "migrate",
        help="bring the database schema up to date",
        description="Apply the Alembic migrations to DEALBOT_DATABASE_URL (SQLite by default).",
    )

    admin = commands.add_parser(
        "admin", help="manage members and invites", description="Manage members and invites."
    )
    actions = admin.add_subparsers(dest="action", required=True, metavar="ACTION")
    add = actions.add_parser("add", help="add a member by Telegram id", description="Add a member.")
    add.add_argument("--telegram-id", type=int, required=True)
    add.add_argument("--name", required=True)
    add.add_argument("--role", choices=ROLES, default="rep")
    add.add_argument("--team", help="team id or name (default: the first team)")
    actions.add_parser("list", help="list members", description="List every member.")
    set_role = actions.add_parser(
        "set-role", help="change a member's role", description="Change a role."
    )
    set_role.add_argument("--telegram-id", type=int, required=True)
    set_role.add_argument("--role", choices=ROLES, required=True)
    remove = actions.add_parser(
        "remove", help="take a member's access away", description="Remove a member at once."
    )
    remove.add_argument("--telegram-id", type=int, required=True)
    invite = actions.add_parser(
        "invite",
        help="print an invite link valid for 7 days",
        description="Print https://t.me/<bot>?start=<code>; the bot's username comes from "
        "DEALBOT_BOT_USERNAME, or from Telegram with DEALBOT_TOKEN.",
    )
    invite.add_argument("--role", choices=["rep", "manager"], default="rep")
    invite.add_argument("--team", help="team id or name (default: the first team)")
    invite.add_argument("--uses", type=int, default=1, help="how many people may use it")
    team = actions.add_parser(
        "team",
        help="show or change a team's reminder days and stuck threshold",
        description="With no option, print the team's rules. --reminders 7,3,1,0 sets the "
        "days before a close date on which its owner is reminded (0 is the day itself); "
        "--stuck-days 10 lists an open deal as stuck after 10 days without a stage change.",
    )
    team.add_argument("--team", help="team id or name (default: the first team)")
    team.add_argument("--reminders", metavar="DAYS", help="e.g. 7,3,1,0")
    team.add_argument("--stuck-days", type=int, metavar="N")

    parse = commands.add_parser(
        "parse",
        help="show how a one-line deal is read, as JSON",
        description="Parse a quick-create line the way /new <text> does and print JSON.",
    )
    parse.add_argument("text")
    parse.add_argument("--lang", choices=["vi", "th", "en"], default="en")
    parse.add_argument("--today", help="YYYY-MM-DD to read relative dates from")
    parse.add_argument("--currency", default=None, help="the team currency (default from env)")
    from bot.cli.data import add_commands, add_fx_command

    add_commands(commands)
    add_fx_command(actions)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    args = _parser().parse_args(argv)
    try:
        if args.command == "run":
            return _run()
        if args.command == "console":
            settings = _console_settings()
            from bot.cli.console import run_console

            return asyncio.run(
                run_console(settings, name=args.name, language=args.lang, demo=args.demo)
            )
        if args.command == "board":
            from bot.board.local import run_board

            settings = load_settings(require_token=False)
            asyncio.run(
                run_board(
                    settings, name=args.name, port=args.port, demo=args.demo, language=args.lang
                )
            )
            return 0
        if args.command == "migrate":
            from storage.migrate import upgrade_sync

            settings = load_settings(require_token=False)
            upgrade_sync(settings.database_url)
            print("database is up to date")
            return 0
        if args.command == "admin":
            from bot.cli.admin import run_admin

            return asyncio.run(run_admin(args, load_settings(require_token=False)))
        if args.command in ("import", "export"):
            from bot.cli.data import run_data_command

            return asyncio.run(run_data_command(args, load_settings(require_token=False)))
        if args.command == "parse":
            from bot.cli.parse import run_parse

            return run_parse(args)
    except ConfigError as error:
        print(f"dealbot: {error}", file=sys.stderr)
        return 2
    return 1


def _console_settings() -> Settings:
    from dataclasses import replace

    from bot.cli.console import CONSOLE_TOKEN

    settings = load_settings(require_token=False)
    # The console never talks to Telegram: a made-up token keeps the real one out of it.
    return replace(settings, token=CONSOLE_TOKEN, webhook_url=None)


def _run() -> int:
    from bot.runtime.runner import configure_logging, serve

    settings = load_settings()
    configure_logging(settings)
    lost = asyncio.run(serve(settings))
    # A supervisor that restarts failed services brings the instance back as a waiter.
    return 1 if lost else 0


if __name__ == "__main__":
    sys.exit(main())
