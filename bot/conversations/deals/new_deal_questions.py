"""The guided deal form's questions: each step's text and buttons, from the draft and storage."""

from __future__ import annotations

import html
from typing import Any

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Update

from bot.buttons.pickers import close_date_rows
from bot.context import BotContext
from bot.conversations.deals.form_view import (
    button,
    controls,
    form_data,
    grid,
    summary_keyboard,
    summary_text,
)
from bot.conversations.deals.new_deal_steps import OPTIONAL, PRODUCT, QUERY, Step, form_of
from bot.formatting import format_money, format_number
from bot.labels import (
    DEAL_TYPE_NAMES,
    RATING_NAMES,
    SOURCE_NAMES,
    STAGE_NAMES,
    coded_name,
)
from storage.deal_form import (
    get_product,
    preview_deal,
    search_campaigns,
    team_products,
)
from storage.drafts import NONCE
from storage.errors import NotFound
from storage.models import Account, Contact, DealType, Rating
from storage.queries import search
from storage.teams import team_sources

Rows = list[list[InlineKeyboardButton]]
MATCHES = 6


async def ask(
    update: Update,
    context: BotContext,
    data: dict[str, Any],
    step: Step,
    prefix: str = "",
    choices: list[tuple[str, tuple[str, ...]]] | None = None,
) -> Step:
    """Send the question of ``step`` with its buttons; return ``step`` as the state.

    ``prefix`` explains why the question is asked again; ``choices`` are extra
    buttons that would fix the last answer (e.g. the readings of an ambiguous amount).
    """
    nonce = data[NONCE]
    text, rows = await _question(context, data, step)
    if choices:
        rows = [[button(label, nonce, step, *parts)] for label, parts in choices] + rows
    if step is Step.SUMMARY:
        markup = summary_keyboard(context.t, nonce)
    else:
        first = step is Step.NAME
        rows += controls(
            context.t,
            nonce,
            step,
            optional=step in OPTIONAL,
            first=first,
            skip_label=_skip_label(context, data, step),
        )
        markup = InlineKeyboardMarkup(rows)
    await update.effective_message.reply_text(
        (prefix + "\n\n" if prefix else "") + text, reply_markup=markup
    )
    return step


def _skip_label(context: BotContext, data: dict[str, Any], step: Step) -> str | None:
    # Lines already added are kept by going on, so "Skip" would say the wrong thing.
    if step is Step.PRODUCTS and data.get("lines"):
        return context.t._("Continue")
    return None


async def _question(context: BotContext, data: dict[str, Any], step: Step) -> tuple[str, Rows]:
    t = context.t
    nonce = data[NONCE]
    if step is Step.NAME:
        text = t._("New deal. What is it called? For example: Acme ERP.")
        if data.get("contact_name"):
            text = (
                t._("A deal with {contact}.").format(contact=html.escape(data["contact_name"]))
                + "\n"
                + text
            )
        return text, []
    if step is Step.AMOUNT:
        return t._(
            "How much is the deal worth? For example 50000000 or 50tr. "
            "Add the currency if it is not {currency}, e.g. $5,000."
        ).format(currency=context.member.currency), []
    if step is Step.CLOSE_DATE:
        text = t._("When is this deal expected to close? For example 31/12 or end of month.")
        return text, close_date_rows(
            t,
            context.today(),
            lambda day: form_data(nonce, step, "dt", f"{day:%Y%m%d}"),
            gregorian=context.member.gregorian_years,
        )
    if step is Step.STAGE:
        return await _stage_question(context, data)
    if step in (Step.ACCOUNT, Step.CONTACT, Step.CAMPAIGN):
        return await _search_question(context, data, step)
    if step is Step.RATING:
        buttons = [button(t._(RATING_NAMES[r.value]), nonce, step, "rt", r.value) for r in Rating]
        return t._(
            "How warm is the deal?\n"
            "Cold: no clear need or budget yet.\n"
            "Warm: interested, comparing offers.\n"
            "Hot: ready to buy soon."
        ), [buttons]
    if step is Step.DEAL_TYPE:
        buttons = [
            button(t._(DEAL_TYPE_NAMES[kind.value]), nonce, step, "ty", kind.value)
            for kind in DealType
        ]
        return t._("Is this a new customer or an existing one?"), [buttons]
    if step is Step.SOURCE:
        async with context.uow() as uow:
            sources = await team_sources(uow, context.actor.team_id)
        buttons = [
            button(coded_name(t, SOURCE_NAMES, s.code, s.name), nonce, step, "src", s.id)
            for s in sources
        ]
        return t._("Where did this deal come from?"), grid(buttons, 3)
    if step is Step.PROBABILITY:
        async with context.uow() as uow:
            preview = await preview_deal(uow, context.actor, form_of({**data, "probability": None}))
        return t._(
            "The stage gives a probability of {percent}%. Type another percentage "
            "from 0 to 100 to change it, or press Skip."
        ).format(percent=preview.probability), []
    if step is Step.PRODUCTS:
        return await _products_question(context, data)
    if step is Step.QUANTITY:
        try:
            async with context.uow() as uow:
                product = await get_product(uow, context.actor, data.get(PRODUCT) or 0)
            name = product.name
        except NotFound:
            name = "?"
        return t._("How many {product}? Type a whole number.").format(product=html.escape(name)), []
    if step is Step.DESCRIPTION:
        return t._("Anything to note about the deal? Type a short description."), []
    async with context.uow() as uow:
        preview = await preview_deal(uow, context.actor, form_of(data))
    return summary_text(t, preview, gregorian=context.member.gregorian_years), []


async def _stage_question(context: BotContext, data: dict[str, Any]) -> tuple[str, Rows]:
    t = context.t
    stages = await context.open_stages()
    buttons = []
    for stage in stages:
        name = t._("{stage} ({probability}%)").format(
            stage=coded_name(t, STAGE_NAMES, stage.code, stage.name), probability=stage.probability
        )
        if stage.id == data.get("stage_id"):
            name = "✓ " + name
        buttons.append(button(name, data[NONCE], Step.STAGE, "st", stage.id))
    return t._("Which stage is the deal in?"), grid(buttons, 2)


async def _search_question(
    context: BotContext, data: dict[str, Any], step: Step
) -> tuple[str, Rows]:
    """Ask for part of a name; once one is typed, offer the matches and "Create new"."""
    t = context.t
    query = data.get(QUERY)
    if not query:
        questions = {
            Step.ACCOUNT: t._("Which company is the deal with? Type part of its name."),
            Step.CONTACT: t._("Who is the contact person? Type part of their name."),
            Step.CAMPAIGN: t._("Which campaign did the deal come from? Type part of its name."),
        }
        return questions[step], []
    async with context.uow() as uow:
        if step is Step.ACCOUNT:
            found: list[Any] = await search(uow, context.actor, Account, query, limit=MATCHES)
        elif step is Step.CONTACT:
            found = await search(uow, context.actor, Contact, query, limit=MATCHES)
        else:
            found = await search_campaigns(uow, context.actor, query, limit=MATCHES)
    nonce = data[NONCE]
    rows = [[button(row.name, nonce, step, "p", row.id)] for row in found]
    # Campaigns are the managers' to define, so a rep is not offered to create one.
    if step is not Step.CAMPAIGN or context.actor.is_manager:
        rows.append([button(t._("Create new: {name}").format(name=query), nonce, step, "new")])
    escaped = html.escape(query)
    if found:
        text = t._("Matches for “{text}”: choose one, create a new one, or type again.")
    else:
        text = t._("Nothing matches “{text}”. Type another part of the name, or create it.")
    return text.format(text=escaped), rows


async def _products_question(context: BotContext, data: dict[str, Any]) -> tuple[str, Rows]:
    t = context.t
    currency = data.get("currency") or context.member.currency
    async with context.uow() as uow:
        products = await team_products(uow, context.actor, currency, data.get(QUERY))
        preview = (
            await preview_deal(uow, context.actor, form_of(data)) if data.get("lines") else None
        )
    nonce = data[NONCE]
    lang = t.language
    buttons = [
        button(
            f"{product.name} · {format_money(product.unit_price, product.currency, lang)}",
            nonce,
            Step.PRODUCTS,
            "pr",
            product.id,
        )
        for product in products
    ]
    rows = grid(buttons, 1)
    lines = []
    if preview is not None:
        rows.append([button(t._("Remove the products"), nonce, Step.PRODUCTS, "clear")])
        lines = [
            f"• {html.escape(line.product_name)} × {format_number(line.quantity, lang)}"
            for line in preview.lines
        ]
        lines.append(
            t._("Amount so far: {amount}").format(
                amount=format_money(preview.amount, preview.currency, lang)
            )
        )
    if data.get(QUERY) and not products:
        text = t._("No product matches “{text}”. Type another part of its name.").format(
            text=html.escape(data[QUERY])
        )
    elif products:
        text = t._(
            "Add a product: choose it, or type part of its name. "
            "The deal's amount becomes the sum of its products."
        )
    else:
        text = t._("Your team has no products priced in {currency} to choose from.").format(
            currency=currency
        )
    return "\n".join([text, *lines]), rows
