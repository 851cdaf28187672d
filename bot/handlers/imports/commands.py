"""CSV import (a manager sends a file: preview, then Import or Cancel) and /export."""

from __future__ import annotations

import asyncio
import enum
import html
import logging
import time

from telegram import InlineKeyboardButton, InlineKeyboardMarkup, Message, Update
from telegram.error import BadRequest
from telegram.ext import CallbackQueryHandler, CommandHandler, MessageHandler, filters

from bot.buttons import codec as cb
from bot.context import BotContext
from bot.flowkit.flow import Flow
from bot.handlers.imports.cells import LocaleCells
from bot.handlers.imports.views import (
    done_text,
    file_problem,
    preview_text,
    problem_text,
    progress_text,
)
from bot.handlers.reports.args import parse_report_args
from storage.csv.apply import run_import
from storage.csv.export import (
    ExportFilter,
    deals_csv,
    deals_workbook,
    export_rows,
    rejected_csv,
)
from storage.csv.imports import ImportPlan, RowProblem, prepare_import
from storage.drafts import NONCE
from storage.errors import Forbidden, InvalidInput
from storage.people import match_person, team_people
from storage.reports.forecast import period_bounds

logger = logging.getLogger(__name__)


class Step(enum.IntEnum):
    PREVIEW = 1


# Not a conversation: the draft keeps the file's id between the preview and its buttons.
IMPORTING = Flow("import", Step, takes_text=False)
MAX_BYTES = 10 * 1024 * 1024
# Telegram lets a bot edit a message about once a second; fewer edits are kinder.
PROGRESS_INTERVAL = 2.0
XLSX_MIME = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
XLSX_WORDS = ("xlsx", "excel")


def _cells(context: BotContext) -> LocaleCells:
    return LocaleCells(context.t.language, context.today())


async def _download(context: BotContext, file_id: str) -> bytes:
    telegram_file = await context.bot.get_file(file_id)
    return bytes(await telegram_file.download_as_bytearray())


async def _send_rejected(
    message: Message, context: BotContext, plan: ImportPlan, problems: list[RowProblem]
) -> None:
    t = context.t
    data = rejected_csv(
        plan.header,
        problems,
        delimiter=plan.delimiter,
        reason_title=t._("Problem"),
        reason_text=lambda problem: problem_text(t, problem),
    )
    await message.reply_document(
        document=data,
        filename="rejected-rows.csv",
        caption=t._(
            "The rows that were not imported or were imported without a value, with the "
            "reason in the last column. Fix them and send the file again."
        ),
    )


async def _plan(context: BotContext, data: bytes) -> ImportPlan:
    async with context.reading() as uow:
        return await prepare_import(uow, context.actor, data, _cells(context))


async def received_csv(update: Update, context: BotContext) -> None:
    """A .csv or .xlsx file: check every row and show the preview with Import / Cancel."""
    t, message = context.t, update.effective_message
    document = message.document
    if not context.actor.is_manager:
        await message.reply_text(t._("Only a manager can import deals."))
        return
    if document.file_size and document.file_size > MAX_BYTES:
        await message.reply_text(t._("That file is too big: 10 MB at most."))
        return
    data = await _download(context, document.file_id)
    try:
        plan = await _plan(context, data)
    except InvalidInput as error:
        await message.reply_text(file_problem(t, error))
        return
    # A new preview: the buttons of an older one no longer import anything.
    file = {"file_id": document.file_id, "name": document.file_name or "deals.csv"}
    draft = await IMPORTING.offer(context, Step.PREVIEW, file)
    nonce = draft.data[NONCE]
    rows = []
    if plan.valid:
        if plan.existing:
            rows.append(
                [
                    InlineKeyboardButton(
                        t._("Import, skip existing"), callback_data=_data(nonce, "s")
                    )
                ]
            )
            rows.append(
                [
                    InlineKeyboardButton(
                        t._("Import, update existing"), callback_data=_data(nonce, "u")
                    )
                ]
            )
        else:
            rows.append([InlineKeyboardButton(t._("Import"), callback_data=_data(nonce, "s"))])
        if any(plan.missing_names):
            label = t._("Import and add the missing sources and campaigns")
            rows.append([InlineKeyboardButton(label, callback_data=_data(nonce, "a"))])
    rows.append([InlineKeyboardButton(t._("Cancel"), callback_data=_data(nonce, "x"))])
    if plan.problems or plan.warnings:
        # The file first, so the preview and its buttons end the chat.
        await _send_rejected(message, context, plan, plan.problems + plan.warnings)
    await message.reply_text(preview_text(t, plan), reply_markup=InlineKeyboardMarkup(rows))


def _data(nonce: str, action: str) -> str:
    return cb.ImportChoice(nonce, action).pack()


class _Progress:
    """Edits the preview message as batches go in, at most every PROGRESS_INTERVAL seconds."""

    def __init__(self, message: Message, context: BotContext) -> None:
        self.message, self.context = message, context
        self.last = time.monotonic()

    async def __call__(self, done: int, total: int) -> None:
        if done < total and time.monotonic() - self.last < PROGRESS_INTERVAL:
            return
        self.last = time.monotonic()
        try:
            await self.message.edit_text(progress_text(self.context.t, done, total))
        except BadRequest:
            logger.debug("progress edit refused; the next one will catch up")


async def pressed_import(update: Update, context: BotContext) -> None:
    """Import (skip or update existing deals), or Cancel, on a preview."""
    query = update.callback_query
    await query.answer()
    t = context.t
    button = cb.ImportChoice.parse(query.data)
    refusal = t._("That import preview is no longer open.")
    # The key goes with the draft's removal: a redelivered press finds no draft and stops.
    draft = await IMPORTING.take(update, context, button, refusal, claim=True)
    if draft is None:
        return
    if button.action not in ("s", "u", "a"):
        await query.edit_message_text(t._("Import cancelled. Nothing was saved."))
        return
    message = update.effective_message
    await query.edit_message_text(t._("Importing…"))
    try:
        plan = await _plan(context, await _download(context, draft.data["file_id"]))
        async with context.uow() as uow:
            result = await run_import(
                uow,
                context.actor,
                plan,
                update_existing=button.action == "u",
                add_missing=button.action == "a",
                progress=_Progress(message, context),
                now=context.now(),
            )
    except (InvalidInput, Forbidden) as error:
        text = file_problem(t, error) if isinstance(error, InvalidInput) else None
        await message.edit_text(text or t._("Only a manager can import deals."))
        return
    await message.edit_text(done_text(t, plan, result))
    if result.failed:
        await _send_rejected(message, context, plan, result.failed)


async def import_help(update: Update, context: BotContext) -> None:
    """/import: how to import deals."""
    t = context.t
    await update.effective_message.reply_text(
        t._(
            "Send me a .csv or .xlsx file of deals. It needs a name and an expected close date "
            "for each deal; it may also have amount, currency, stage, probability, owner, account, "
            "contact, campaign, source, rating, type, lost reason and description. Headers may "
            "be in English, Vietnamese or Thai. I show what I read before anything is saved."
        )
    )


async def export(update: Update, context: BotContext) -> None:
    """/export [xlsx] [me|<rep>] [open|won|lost] [this month|quarter|year] [text]: a CSV
    (or Excel) file of deals."""
    t, actor = context.t, context.actor
    words = list(context.args or [])
    xlsx = any(word.casefold() in XLSX_WORDS for word in words)
    words = [word for word in words if word.casefold() not in XLSX_WORDS]
    args = parse_report_args(" ".join(words), with_result=True)
    owner_id, text = None, None
    if args.who == "me":
        owner_id = actor.id
    elif args.who == "name" and args.name:
        # A rep's name narrows to their deals; any other words search deal names.
        async with context.reading() as uow:
            people = match_person(await team_people(uow, actor.team_id), args.name)
        if len(people) == 1 and actor.is_manager:
            owner_id = people[0].id
        else:
            text = args.name
    close_from, close_to = period_bounds(args.period, context.today())
    wanted = ExportFilter(owner_id, args.result, close_from, close_to, text)
    async with context.reading() as uow:
        rows = await export_rows(uow, actor, wanted)
    if not rows:
        await update.effective_message.reply_text(
            t._("No deals match, so there is nothing to export.")
        )
        return
    write = deals_workbook if xlsx else deals_csv
    data = await asyncio.to_thread(write, rows, t.language)
    caption = t.n_(
        "{n} deal. Edit it and send it back to import.",
        "{n} deals. Edit them and send the file back to import.",
        len(rows),
    ).format(n=len(rows))
    await update.effective_message.reply_document(
        document=data,
        filename=f"deals-{context.today().isoformat()}.{'xlsx' if xlsx else 'csv'}",
        caption=html.escape(caption),
    )


def handlers() -> list[object]:
    csv_file = (
        filters.Document.FileExtension("csv")
        | filters.Document.MimeType("text/csv")
        | filters.Document.FileExtension("xlsx")
        | filters.Document.MimeType(XLSX_MIME)
    )
    return [
        MessageHandler(filters.ChatType.PRIVATE & csv_file, received_csv),
        CommandHandler("import", import_help),
        CommandHandler("export", export),
        CallbackQueryHandler(pressed_import, pattern=cb.pattern(cb.IMPORT)),
    ]
