"""All handlers, registered in one ordered list: order matters."""

from __future__ import annotations

from telegram.ext import Application

from bot.conversations.deals import move_stage
from bot.conversations.deals.new_deal import build_new_deal_conversation
from bot.conversations.deals.quick_new import build_quick_new_conversation
from bot.conversations.directory.shared_contact import build_shared_contact_conversation
from bot.conversations.leads.convert_lead import build_convert_lead_conversation
from bot.conversations.leads.new_lead import build_new_lead_conversation
from bot.flowkit import gate as flow_gate
from bot.flowkit.active import ActiveFlows
from bot.handlers import errors, fallback
from bot.handlers.deals import card as deal_card
from bot.handlers.deals import commands as deal_commands
from bot.handlers.deals import reopen, stages, undo
from bot.handlers.digests import buttons as push_buttons
from bot.handlers.directory import commands as directory
from bot.handlers.imports import commands as imports
from bot.handlers.leads import commands as leads
from bot.handlers.members import commands as members
from bot.handlers.members import group as group_chat
from bot.handlers.members import settings, team_rules
from bot.handlers.reports import commands as reports


def register(app: Application, flows: ActiveFlows) -> None:
    """Group -1 resolves the member; conversations come before one-shot commands;
    the catch-all is last in group 0 so it only answers what nobody else took."""
    for group, handler in members.handlers():
        if group < 0:
            app.add_handler(handler, group=group)
    # Before every conversation: a second flow asks before the first is dropped.
    for handler in flow_gate.handlers(flows):
        app.add_handler(handler, group=0)
    app.add_handler(build_new_lead_conversation(flows), group=0)
    # After the lead form, which takes a shared contact's "New lead" button.
    app.add_handler(build_shared_contact_conversation(flows), group=0)
    app.add_handler(build_convert_lead_conversation(flows), group=0)
    # Before the one-liner: /new alone is the guided form, /new <text> the quick create.
    app.add_handler(build_new_deal_conversation(flows), group=0)
    app.add_handler(build_quick_new_conversation(flows), group=0)
    app.add_handler(move_stage.build_move_stage_conversation(flows), group=0)
    for group, handler in members.handlers():
        if group >= 0:
            app.add_handler(handler, group=group)
    for handler in [*undo.handlers(), *deal_commands.handlers(), *reopen.handlers()]:
        app.add_handler(handler, group=0)
    for handler in [*deal_card.handlers(), *stages.handlers(), *move_stage.handlers()]:
        app.add_handler(handler, group=0)
    for handler in group_chat.handlers():
        app.add_handler(handler, group=0)
    for handler in [*settings.handlers(), *push_buttons.handlers(), *team_rules.handlers()]:
        app.add_handler(handler, group=0)
    for handler in [*reports.handlers(), *imports.handlers()]:
        app.add_handler(handler, group=0)
    for handler in [*leads.handlers(), *directory.handlers()]:
        app.add_handler(handler, group=0)
    for handler in fallback.handlers():
        app.add_handler(handler, group=0)
    app.add_error_handler(errors.on_error)
