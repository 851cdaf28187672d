"""Which multi-step flow each user is in, so a stale conversation never takes their text."""

from __future__ import annotations

from telegram import Update
from telegram.ext import filters


class ActiveFlows:
    """One flow at a time per user.

    Each flow is its own ConversationHandler, and a handler left in a state (its flow
    replaced by another) would still match the user's next text and store it in the
    wrong field. The text handlers of a flow therefore match only while it is the
    user's active one. Rebuilt from the drafts table at start-up.
    """

    def __init__(self) -> None:
        self._by_user: dict[int, str] = {}

    def start(self, user_id: int, flow: str) -> None:
        self._by_user[user_id] = flow

    def end(self, user_id: int, flow: str | None = None) -> None:
        if flow is None or self._by_user.get(user_id) == flow:
            self._by_user.pop(user_id, None)

    def current(self, user_id: int) -> str | None:
        return self._by_user.get(user_id)

    def is_active(self, user_id: int, flow: str) -> bool:
        return self._by_user.get(user_id) == flow

    def only(self, flow: str) -> filters.UpdateFilter:
        """A filter that passes updates of users whose active flow is ``flow``."""
        return _ActiveFlowFilter(self, flow)


class _ActiveFlowFilter(filters.UpdateFilter):
    def __init__(self, flows: ActiveFlows, flow: str) -> None:
        super().__init__(name=f"ActiveFlow({flow})")
        self._flows = flows
        self._flow = flow

    def filter(self, update: Update) -> bool:
        user = update.effective_user
        return user is not None and self._flows.is_active(user.id, self._flow)
