"""Rebuilds ConversationHandler state from the drafts table after a restart.

PTB's own persistence writes late and from the previous step; our drafts are
written in each answer's transaction, so they are the truth and PTB's
conversation dict is only a cache filled from them at start-up.
"""

from __future__ import annotations

import enum
from typing import Any

from telegram.ext import BasePersistence, PersistenceInput

from bot.flowkit.active import ActiveFlows
from storage.drafts import live_drafts
from storage.uow import UnitOfWork


class DraftPersistence(BasePersistence[dict, dict, dict]):
    """Only conversations, and only read: every write happens in the handlers."""

    def __init__(
        self,
        uow_factory: Any,
        flows: dict[str, type[enum.IntEnum]],
        active: ActiveFlows,
    ) -> None:
        super().__init__(
            store_data=PersistenceInput(
                bot_data=False, chat_data=False, user_data=False, callback_data=False
            ),
            update_interval=3600,
        )
        self._uow_factory = uow_factory
        self._flows = flows
        self._active = active

    async def get_conversations(self, name: str) -> dict[tuple[int, ...], object]:
        states = self._flows.get(name)
        if states is None:
            return {}
        uow: UnitOfWork = self._uow_factory()
        async with uow:
            rows = await live_drafts(uow, name)
        restored: dict[tuple[int, ...], object] = {}
        for telegram_id, step in rows:
            if step in states.__members__:
                # Private chats: the chat id is the user's id.
                restored[(telegram_id, telegram_id)] = states[step]
                self._active.start(telegram_id, name)
        return restored

    async def update_conversation(self, name: str, key: tuple[int, ...], new_state: object) -> None:
        """Nothing to do: the handler already stored the draft."""

    async def get_user_data(self) -> dict[int, dict]:
        return {}

    async def get_chat_data(self) -> dict[int, dict]:
        return {}

    async def get_bot_data(self) -> dict:
        return {}

    async def get_callback_data(self) -> None:
        return None

    async def update_user_data(self, user_id: int, data: dict) -> None:
        """Not stored."""

    async def update_chat_data(self, chat_id: int, data: dict) -> None:
        """Not stored."""

    async def update_bot_data(self, data: dict) -> None:
        """Not stored."""

    async def update_callback_data(self, data: Any) -> None:
        """Not stored."""

    async def drop_chat_data(self, chat_id: int) -> None:
        """Not stored."""

    async def drop_user_data(self, user_id: int) -> None:
        """Not stored."""

    async def refresh_user_data(self, user_id: int, user_data: dict) -> None:
        """Not stored."""

    async def refresh_chat_data(self, chat_id: int, chat_data: dict) -> None:
        """Not stored."""

    async def refresh_bot_data(self, bot_data: dict) -> None:
        """Not stored."""

    async def flush(self) -> None:
        """Not stored."""
