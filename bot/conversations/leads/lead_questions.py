"""The /lead form's steps: their questions and buttons, and reading typed answers."""

from __future__ import annotations

import enum
import html
import re
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.flowkit.flow import Flow
from bot.handlers.deals.views import shorten
from bot.labels import SOURCE_NAMES, coded_name
from bot.parsing import parse_phone
from bot.views import lead_summary
from storage.drafts import NONCE
from storage.errors import InvalidInput, NotFound
from storage.lead_cards import team_campaign, team_campaigns
from storage.models import Draft
from storage.teams import team_sources

_EMAIL = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")


def short(name: str) -> str:
    return shorten(" ".join(name.split()), 40)


Step = enum.IntEnum("Step", "PERSON COMPANY PHONE EMAIL SOURCE CAMPAIGN CONFIRM RESUME")


LEAD = Flow("lead", Step)
FLOW = LEAD.name

OPTIONAL = {Step.COMPANY, Step.PHONE, Step.EMAIL, Step.SOURCE, Step.CAMPAIGN}
FIELDS = {
    Step.COMPANY: "company_name",
    Step.PHONE: "phone",
    Step.EMAIL: "email",
    Step.SOURCE: "source_id",
    Step.CAMPAIGN: "campaign_id",
}


def buttons(draft_id: str, step: Step, extra: list[list[InlineKeyboardButton]], t) -> Any:  # type: ignore[no-untyped-def]
    rows = list(extra)
    controls = []
    if step in OPTIONAL:
        controls.append(
            InlineKeyboardButton(
                t._("Skip"), callback_data=cb.LeadFormButton(draft_id, "skip").pack()
            )
        )
    if step is not Step.PERSON:
        controls.append(
            InlineKeyboardButton(
                t._("Back"), callback_data=cb.LeadFormButton(draft_id, "back").pack()
            )
        )
    controls.append(
        InlineKeyboardButton(
            t._("Cancel"), callback_data=cb.LeadFormButton(draft_id, "cancel").pack()
        )
    )
    rows.append(controls)
    return InlineKeyboardMarkup(rows)


async def ask(
    update: Update, context: BotContext, draft: Draft, step: Step, prefix: str = ""
) -> Step:
    """Send the question of ``step`` (with its buttons) and return it as the state."""
    t = context.t
    data = draft.data
    extra: list[list[InlineKeyboardButton]] = []
    if step is Step.PERSON:
        text = t._("New lead. What is the person's name?")
    elif step is Step.COMPANY:
        text = t._("Which company does {person} work for?").format(
            person=html.escape(data.get("person_name", ""))
        )
    elif step is Step.PHONE:
        text = t._("Their phone number? For example 0901 234 567.")
    elif step is Step.EMAIL:
        text = t._("Their email address?")
    elif step is Step.SOURCE:
        text = t._("Where did this lead come from?")
        async with context.uow() as uow:
            sources = await team_sources(uow, context.actor.team_id)
        extra = [
            [
                InlineKeyboardButton(
                    coded_name(t, SOURCE_NAMES, source.code, source.name),
                    callback_data=cb.LeadFormButton(draft.data[NONCE], "src", source.id).pack(),
                )
                for source in sources[i : i + 3]
            ]
            for i in range(0, len(sources), 3)
        ]
    elif step is Step.CAMPAIGN:
        text = t._("Which campaign brought this lead?")
        async with context.uow() as uow:
            campaigns = await team_campaigns(uow, context.actor)
        extra = [
            [
                InlineKeyboardButton(
                    short(campaign.name),
                    callback_data=cb.LeadFormButton(draft.data[NONCE], "cmp", campaign.id).pack(),
                )
            ]
            for campaign in campaigns
        ]
    else:
        text = lead_summary(
            t,
            data,
            await source_name(context, data.get("source_id")),
            await campaign_name(context, data.get("campaign_id")),
        )
        extra = [
            [
                InlineKeyboardButton(
                    t._("Save"), callback_data=cb.LeadFormButton(draft.data[NONCE], "save").pack()
                )
            ]
        ]
    await update.effective_message.reply_text(
        prefix + text, reply_markup=buttons(draft.data[NONCE], step, extra, t)
    )
    return step


async def source_name(context: BotContext, source_id: int | None) -> str | None:
    if source_id is None:
        return None
    async with context.uow() as uow:
        sources = await team_sources(uow, context.actor.team_id)
    for source in sources:
        if source.id == source_id:
            return coded_name(context.t, SOURCE_NAMES, source.code, source.name)
    return None


async def campaign_name(context: BotContext, campaign_id: int | None) -> str | None:
    if campaign_id is None:
        return None
    try:
        async with context.uow() as uow:
            return (await team_campaign(uow, context.actor, campaign_id)).name
    except NotFound:
        return None


async def landing(
    context: BotContext, step: Step, data: dict[str, Any], *, back: bool = False
) -> Step:
    """The step to show: the campaign question is passed over when the team has none, and
    the phone question when the number came with a shared Telegram contact."""
    if step is Step.PHONE and data.get("phone_shared"):
        return Step.COMPANY if back else Step.EMAIL
    if step is Step.CAMPAIGN:
        async with context.uow() as uow:
            if not await team_campaigns(uow, context.actor, limit=1):
                return Step.SOURCE if back else Step.CONFIRM
    return step


def parse_answer(
    step: Step, text: str, lang: str = "en", region: str | None = None
) -> dict[str, Any]:
    """Turn the typed answer of ``step`` into draft fields, or raise InvalidInput.

    A phone number is stored in E.164 by the one rule of ``parse_phone``: national
    numbers are the team's country's (``region``), international ones kept.
    """
    text = text.strip()
    if step is Step.PERSON:
        if not 1 <= len(text) <= 200:
            raise InvalidInput("person_name", "length")
        return {"person_name": text}
    if step is Step.COMPANY:
        if not 1 <= len(text) <= 200:
            raise InvalidInput("company_name", "length")
        return {"company_name": text}
    if step is Step.PHONE:
        phone = parse_phone(text, lang, region)
        if not isinstance(phone, str):
            raise InvalidInput("phone", "invalid")
        return {"phone": phone}
    if step is Step.EMAIL:
        if not _EMAIL.fullmatch(text) or len(text) > 254:
            raise InvalidInput("email", "invalid")
        return {"email": text}
    raise InvalidInput("source" if step is Step.SOURCE else "campaign", "use_buttons")


def explain_answer(context: BotContext, error: InvalidInput) -> str:
    t = context.t
    messages = {
        "person_name": t._("The name must be 1 to 200 characters."),
        "company_name": t._("The company name must be 1 to 200 characters."),
        "phone": t._("That does not look like a phone number, for example 0901 234 567."),
        "email": t._("That does not look like an email address, for example an@abc.vn."),
        "source": t._("Please choose one of the buttons."),
        "campaign": t._("Please choose one of the buttons."),
    }
    # On a line of its own: Thai sentences end without a full stop, so a space would run
    # the explanation into the question.
    return messages.get(error.field, t._("That answer did not work.")) + "\n"
