"""The command menu: each command, what it does and an example, per role."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

from bot.i18n import N_
from storage.models import Role

EVERYONE = frozenset(Role)
MANAGERS = frozenset({Role.MANAGER, Role.ADMIN})


@dataclass(frozen=True)
class Command:
    name: str
    description: str
    example: str
    roles: frozenset[Role] = EVERYONE
    # The example in Vietnamese and Thai where its arguments are words or amounts.
    examples: Mapping[str, str] = field(default_factory=dict)

    def example_in(self, language: str) -> str:
        """The example whose arguments a member of ``language`` would type."""
        return self.examples.get(language, self.example)


# Filled in by /help with the team's currency and a rate of the right order.
FX_EXAMPLE = "/fx {currency} {rate}"


@dataclass(frozen=True)
class _Account:
    """An account's name as each language's examples call it."""

    names: Mapping[str, str]

    def example(self, command: str) -> dict[str, str]:
        return {language: f"{command} {name}" for language, name in self.names.items()}


ACCOUNT = _Account({"vi": "Minh Phát", "th": "สยามเทค"})

COMMANDS: tuple[Command, ...] = (
    Command("start", N_("Greet the bot or join a team with an invite"), "/start"),
    Command(
        "new",
        N_("Create a deal: /new alone asks one question at a time, or write it in one line"),
        "/new Acme ERP $5,000 31/12 hot @Acme",
        examples={
            "vi": "/new Phần mềm kế toán 50tr 31/12 nóng @MinhPhat",
            "th": "/new ระบบ POS 1.2 ล้าน 31/12 ร้อน @สยามเทค",
        },
    ),
    Command("deal", N_("Show a deal's card"), "/deal Acme", examples=ACCOUNT.example("/deal")),
    Command("mydeals", N_("List my open deals, soonest close date first"), "/mydeals"),
    Command(
        "stage",
        N_("Move a deal to another stage; alone, pick from my deals"),
        "/stage Acme",
        examples=ACCOUNT.example("/stage"),
    ),
    Command("won", N_("Mark a deal as won"), "/won Acme", examples=ACCOUNT.example("/won")),
    Command(
        "lost",
        N_("Mark a deal as lost, with the reason"),
        "/lost Acme price too high",
        examples={"vi": "/lost Minh Phát giá cao quá", "th": "/lost สยามเทค ราคาสูงเกินไป"},
    ),
    Command(
        "close",
        N_("Set a deal's expected close date"),
        "/close Acme 31/12",
        examples={"vi": "/close Minh Phát 31/12", "th": "/close สยามเทค 31/12"},
    ),
    Command(
        "note",
        N_("Add a note to a deal"),
        "/note Acme called, wants a demo",
        examples={
            "vi": "/note Minh Phát đã gọi, khách muốn xem demo",
            "th": "/note สยามเทค โทรแล้ว ลูกค้าอยากดูเดโม",
        },
    ),
    Command(
        "find",
        N_("Search deals, contacts, accounts and leads"),
        "/find nguyen",
        examples={"vi": "/find nguyễn", "th": "/find สมชาย"},
    ),
    Command("lead", N_("Add a lead, one question at a time"), "/lead"),
    Command("leads", N_("List my leads, newest first"), "/leads"),
    Command("convert", N_("Convert a lead into an account, a contact and a deal"), "/convert 12"),
    Command(
        "contact",
        N_("Show a contact's card and their deals"),
        "/contact Lan",
        examples={"th": "/contact สมชาย"},
    ),
    Command(
        "account",
        N_("Show an account with its contacts and deals"),
        "/account Acme",
        examples=ACCOUNT.example("/account"),
    ),
    Command("digest", N_("Send my digest now: deals due, totals, stuck deals"), "/digest"),
    Command(
        "settings",
        N_("My language, time zone, digest time and days, quiet mode"),
        "/settings time 07:30",
    ),
    Command("language", N_("Choose the language I speak to you in"), "/language th"),
    Command("invite", N_("Make an invite link for a new rep or manager"), "/invite rep", MANAGERS),
    Command(
        "team",
        N_("The team's reminder days and when a deal counts as stuck"),
        "/team reminders 7,3,1,0",
        MANAGERS,
    ),
    Command("setgroup", N_("Announce the team's wins in this group"), "/setgroup", MANAGERS),
    Command(
        "pipeline",
        N_("Open deals by stage: count, amount, weighted; a manager's for the team"),
        "/pipeline team this quarter",
        examples={"vi": "/pipeline nhóm quý này", "th": "/pipeline ทีม ไตรมาสนี้"},
    ),
    Command(
        "forecast",
        N_("Weighted forecast by close month, wins by month, win rate"),
        "/forecast",
    ),
    Command(
        "campaigns",
        N_("Deals, wins and win rate per campaign"),
        "/campaigns this year",
        examples={"vi": "/campaigns năm nay", "th": "/campaigns ปีนี้"},
    ),
    Command("sources", N_("Deals, wins and win rate per lead source"), "/sources"),
    Command(
        "export",
        N_("Send the deals I can see as a CSV or Excel file"),
        "/export open",
        examples={"vi": "/export đang mở", "th": "/export เปิดอยู่"},
    ),
    Command("import", N_("Import deals from a CSV or Excel file"), "/import", MANAGERS),
    Command("fx", N_("Exchange rates into the team's currency (an admin sets them)"), FX_EXAMPLE),
    Command("cancel", N_("Stop what we are doing; a draft is discarded"), "/cancel"),
    Command("help", N_("Show every command with an example"), "/help"),
)


def commands_for(role: Role) -> list[Command]:
    return [command for command in COMMANDS if role in command.roles]
