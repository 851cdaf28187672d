"""Sending within Telegram's flood limits, retrying on RetryAfter, 5xx and network errors."""

from __future__ import annotations

import asyncio
import logging
from collections import deque
from collections.abc import Callable, Coroutine
from contextvars import ContextVar
from typing import Any

from telegram.error import BadRequest, NetworkError, TelegramError
from telegram.ext import AIORateLimiter

from bot.runtime.ordering import note_sent

logger = logging.getLogger(__name__)

# rate_limit_args for unsolicited sends: paced as below, and retried up to 10 times on
# RetryAfter, since nobody waits on them and giving up would leave a digest for later.
PACED = 10

_paced: ContextVar[bool] = ContextVar("paced", default=False)

# Requests to a chat that show the member nothing they could have been waiting for.
NOT_ANSWERS = frozenset(("sendChatAction", "getChat", "getChatMember", "deleteMessage"))

# A 5xx or a broken connection is retried this often, waiting 0.5 s, 1 s, 2 s… (at most 8 s).
NETWORK_RETRIES = 6


def transient(error: BaseException) -> bool:
    """A failure that may pass if the same request is made again: a 5xx or the network.

    PTB raises NetworkError for 5xx answers and broken connections, and BadRequest (a
    refusal that would only repeat) is a NetworkError too, hence the exception.
    """
    return isinstance(error, NetworkError) and not isinstance(error, BadRequest)


def backoff(attempt: int) -> float:
    """Seconds to wait before retry number ``attempt`` (from 0)."""
    return min(0.5 * 2**attempt, 8.0)


async def retrying(call: Any, attempts: int = 6) -> Any:
    """Await ``call()``, again after a backoff while it fails with a transient error."""
    for attempt in range(attempts):
        try:
            return await call()
        except TelegramError as error:
            if not transient(error) or attempt == attempts - 1:
                raise
            await asyncio.sleep(backoff(attempt))
    return None


class Pacer:
    """Spaces sends: at most ``per_window`` in any ``window`` seconds, and per chat one a ``gap``.

    PTB's overall limiter is a leaky bucket: it lets a full bucket go at once and then
    drips, so any one second can see up to twice its rate, and after a RetryAfter pause
    every request held meanwhile is released together. This gate counts the sends of the
    last window instead and sits just before each request, after the RetryAfter wait, so
    what Telegram receives keeps the limits. ``window`` and ``gap`` carry a little margin
    for the time a request takes to reach Telegram.
    """

    def __init__(self, per_window: int = 30, window: float = 1.05, gap: float = 1.05) -> None:
        self.per_window, self.window, self.gap = per_window, window, gap
        self._sent: deque[float] = deque()
        self._last: dict[int, float] = {}

    def _prune(self, now: float) -> None:
        while self._sent and self._sent[0] <= now - self.window:
            self._sent.popleft()
        if len(self._last) > 4096:
            self._last = {chat: at for chat, at in self._last.items() if at > now - self.gap}

    def note(self, now: float, chat_id: int | None) -> None:
        """Count a send that did not wait (a reply), so paced sends leave room for it."""
        self._prune(now)
        self._sent.append(now)
        if chat_id is not None:
            self._last[chat_id] = now

    async def wait(self, chat_id: int | None) -> None:
        """Return when a send to ``chat_id`` (None: no per-chat gap) keeps both limits."""
        loop = asyncio.get_running_loop()
        while True:
            now = loop.time()
            self._prune(now)
            ready = now
            if len(self._sent) >= self.per_window:
                ready = self._sent[len(self._sent) - self.per_window] + self.window
            if chat_id is not None and chat_id in self._last:
                ready = max(ready, self._last[chat_id] + self.gap)
            if ready <= now:
                # Checked and recorded with no await between: no other send slips in.
                self._sent.append(now)
                if chat_id is not None:
                    self._last[chat_id] = now
                return
            await asyncio.sleep(ready - now)


class ChatPacingRateLimiter(AIORateLimiter):
    """PTB's limiter, with the overall and per-chat pace kept for unsolicited sends.

    Sends made with ``rate_limit_args=PACED`` (digests, reminders, announcements: bursts
    nobody is waiting for) go at most 30 a second overall and one a second per chat.
    A reply to a person who just wrote is one message they are waiting on: it is not
    queued behind the pace (it is counted, so paced sends leave room for it), and a 429
    Telegram still answers is retried all the same. Groups keep PTB's 20 a minute.
    """

    def __init__(self, **kwargs: Any) -> None:
        kwargs.setdefault("overall_max_rate", 30)
        kwargs.setdefault("overall_time_period", 1)
        # Four 429s in a row happen under load; a reply given up on looks lost to the member.
        kwargs.setdefault("max_retries", 10)
        super().__init__(**kwargs)
        self._pacer = Pacer(per_window=int(kwargs["overall_max_rate"]))

    async def _run_request(
        self,
        chat: bool,
        group: str | int | bool,
        allow_paid_broadcast: bool,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
    ) -> Any:
        # ``chat`` is what makes PTB apply the overall limiter: only for paced sends.
        return await super()._run_request(
            chat and _paced.get(), group, allow_paid_broadcast, callback, args, kwargs
        )

    async def process_request(
        self,
        callback: Callable[..., Coroutine[Any, Any, Any]],
        args: Any,
        kwargs: dict[str, Any],
        endpoint: str,
        data: dict[str, Any],
        rate_limit_args: int | None,
    ) -> Any:
        paced = rate_limit_args == PACED
        chat_id = data.get("chat_id")
        if chat_id is not None:
            pacer = self._pacer
            private = chat_id if isinstance(chat_id, int) and chat_id > 0 else None
            inner = callback

            async def callback(*inner_args: Any, **inner_kwargs: Any) -> Any:
                # Runs after PTB's RetryAfter wait, right before the request itself.
                if paced:
                    await pacer.wait(private)
                else:
                    pacer.note(asyncio.get_running_loop().time(), private)
                return await inner(*inner_args, **inner_kwargs)

        token = _paced.set(paced)
        try:
            for attempt in range(NETWORK_RETRIES + 1):
                try:
                    result = await super().process_request(
                        callback, args, kwargs, endpoint, data, rate_limit_args
                    )
                    if chat_id is not None and endpoint not in NOT_ANSWERS:
                        note_sent(chat_id)
                    return result
                except NetworkError as error:
                    # Telegram may have done what a lost answer was for: a retried send can
                    # arrive twice, which beats a reply that never arrives.
                    if not transient(error) or attempt == NETWORK_RETRIES:
                        raise
                    logger.info("%s failed (%s); retrying", endpoint, error)
                    await asyncio.sleep(backoff(attempt))
            raise AssertionError("unreachable")
        finally:
            _paced.reset(token)
