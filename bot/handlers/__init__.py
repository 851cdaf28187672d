"""All handlers, registered in one ordered list: order matters."""

from __future__ import annotations

from telegram.ext import Application

from bot.conversations import move_stage
from bot.conversations.convert_lead import build_convert_lead_conversation
from bot.conversations.new_deal import build_new_deal_conversation
from bot.conversations.new_lead import build_new_lead_conversation
from bot.conversations.shared_contact import build_shared_contact_conversation
from bot.flows import ActiveFlows
from bot.handlers import (
    deal_card,
    deal_commands,
    directory,
    errors,
    fallback,
    flow_gate,
    imports,
    leads,
    members,
    pick_deal,
    push_buttons,
    quick,
    reopen,
    reports,
    settings,
    team_rules,
)
from bot.handlers import group as group_chat
from bot.handlers.quick import build_quick_new_conversation


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
    for handler in [*quick.handlers(), *deal_commands.handlers(), *reopen.handlers()]:
        app.add_handler(handler, group=0)
    for handler in pick_deal.handlers():
        app.add_handler(handler, group=0)
    for handler in [*deal_card.handlers(), *move_stage.handlers(), *group_chat.handlers()]:
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
