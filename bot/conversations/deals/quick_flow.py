"""The one-line /new flow's steps and draft, and how it reads a line with the team's stages."""

from __future__ import annotations

import enum

from bot.context import BotContext
from bot.flowkit.flow import Flow
from bot.labels import STAGE_NAMES, coded_name, stage_aliases
from bot.parsing import DealLineParse, Money, parse_deal_line

Step = enum.IntEnum("Step", "CLOSE_DATE EDIT_LINE AMOUNT LINK")


# Edit on a deal card is the same flow: one draft between a line and the deal it changes.
QUICK = Flow("quick", Step)
FLOW = QUICK.name


async def parse_line(
    context: BotContext, text: str, bare: Money | str | None = None
) -> tuple[DealLineParse, dict[object, str]]:
    """The line read with the team's stage names, and those names by stage id (for errors)."""
    stages = await context.stages()
    parse = parse_deal_line(
        text,
        context.t.language,
        context.today(),
        context.member.currency,
        [(stage.id, stage_aliases(stage.code, stage.name)) for stage in stages],
        bare,
    )
    names = {
        stage.id: coded_name(context.t, STAGE_NAMES, stage.code, stage.name) for stage in stages
    }
    return parse, names
