"""Injected refusals and flood-limit bookkeeping for the Bot API stand-in."""

from __future__ import annotations

from collections import defaultdict, deque
from dataclasses import dataclass, field
from typing import Literal

from bot.fake_telegram.errors import (
    ApiError,
    SimulatedNetworkError,
    blocked_by_user,
    too_many_requests,
)

FaultKind = Literal["retry_after", "blocked", "network", "lost_response", "server_error"]
"""How an injected fault answers.

* ``retry_after``: 429 with ``parameters.retry_after`` (PTB raises ``RetryAfter``);
* ``blocked``: 403 "Forbidden: bot was blocked by the user" (``Forbidden``);
* ``network``: the connection breaks before the call has any effect (``NetworkError``);
* ``lost_response``: the call takes effect, then the connection breaks, as when a reply is
  lost on the way back, so a client that retries blindly sends twice;
* ``server_error``: 502 Bad Gateway (``NetworkError``).
"""
FAULT_KINDS: frozenset[str] = frozenset(
    ("retry_after", "blocked", "network", "lost_response", "server_error")
)
ANY_METHOD = "*"


@dataclass(frozen=True)
class Fault:
    """One injected refusal."""

    kind: FaultKind
    retry_after: int = 1

    def __post_init__(self) -> None:
        if self.kind not in FAULT_KINDS:
            raise ValueError(f"unknown fault kind {self.kind!r}; use one of {sorted(FAULT_KINDS)}")

    def before_call(self) -> None:
        """Raise what the client sees instead of the call's result, unless it is a lost reply."""
        if self.kind == "retry_after":
            raise too_many_requests(self.retry_after)
        if self.kind == "blocked":
            raise blocked_by_user()
        if self.kind == "server_error":
            raise ApiError(502, "Bad Gateway")
        if self.kind == "network":
            raise SimulatedNetworkError("simulated network failure before the request arrived")

    def after_call(self) -> None:
        """Raise once the call has taken effect, for faults that lose the reply."""
        if self.kind == "lost_response":
            raise SimulatedNetworkError("simulated network failure: the reply was lost")


@dataclass
class EveryNth:
    """A standing policy: every ``n``-th call of ``method`` fails with ``fault``."""

    method: str
    n: int
    fault: Fault
    seen: int = 0
    active: bool = True

    def cancel(self) -> None:
        """Stop failing calls."""
        self.active = False


class FaultPlan:
    """The faults waiting for the next calls, by lower-cased method name (``*`` for any)."""

    def __init__(self) -> None:
        # None in a queue lets that call through: "fail the fourth call" is three Nones first.
        self._next: dict[str, deque[Fault | None]] = defaultdict(deque)
        self._policies: list[EveryNth] = []

    def fail_next(self, method: str, fault: Fault, times: int = 1, *, after: int = 0) -> None:
        """Make the next ``times`` calls of ``method`` fail, after ``after`` that succeed."""
        self._next[method.lower()].extend([None] * after + [fault] * times)

    def every_nth(self, method: str, n: int, fault: Fault) -> EveryNth:
        """Make every ``n``-th call of ``method`` fail until the policy is cancelled."""
        if n < 1:
            raise ValueError("n must be at least 1")
        policy = EveryNth(method.lower(), n, fault)
        self._policies.append(policy)
        return policy

    def clear(self) -> None:
        """Forget every pending fault and policy."""
        self._next.clear()
        for policy in self._policies:
            policy.cancel()
        self._policies.clear()

    def pick(self, method: str) -> Fault | None:
        """Return the fault for this call of ``method`` (consuming one-shot faults), if any."""
        key = method.lower()
        chosen: Fault | None = None
        for policy in self._policies:
            if policy.active and policy.method in (key, ANY_METHOD):
                # Every policy counts the call, even when another fault wins it.
                policy.seen += 1
                if chosen is None and policy.seen % policy.n == 0:
                    chosen = policy.fault
        for name in (key, ANY_METHOD):
            queue = self._next.get(name)
            if queue:
                return queue.popleft()
        return chosen


def busiest_second(times: list[float]) -> int:
    """The most calls in any one-second window of ``times`` (seconds, any order)."""
    times = sorted(times)
    busiest, start = 0, 0
    for end, at in enumerate(times):
        while times[start] <= at - 1.0:
            start += 1
        busiest = max(busiest, end - start + 1)
    return busiest


@dataclass(frozen=True)
class FloodLimits:
    """Telegram's published sending limits, checked when a test asks for them."""

    per_second: int = 30
    per_group_per_minute: int = 20
    # Telegram tolerates short bursts in private chats, so this is off unless asked for.
    per_chat_per_second: int | None = None
    respond_429: bool = False
    retry_after: int = 1
    methods: frozenset[str] = frozenset(
        ("sendmessage", "sendphoto", "senddocument", "sendmediagroup", "copymessage")
    )


@dataclass(frozen=True)
class FloodViolation:
    """A send that went over one of the limits."""

    rule: str
    method: str
    chat_id: int | None
    at: float


@dataclass
class FloodMeter:
    """Sliding windows of send times, per bot, per chat and per group."""

    limits: FloodLimits
    violations: list[FloodViolation] = field(default_factory=list)
    _all: deque[float] = field(default_factory=deque)
    _chats: dict[int, deque[float]] = field(default_factory=lambda: defaultdict(deque))

    def check(self, method: str, chat_id: int | None, is_group: bool, at: float) -> None:
        """Record one send; note (and, if configured, refuse) the ones over a limit."""
        if method.lower() not in self.limits.methods:
            return
        rules: list[tuple[str, deque[float], float, int]] = [
            ("per_second", self._all, 1.0, self.limits.per_second)
        ]
        if chat_id is not None and is_group:
            limit = self.limits.per_group_per_minute
            rules.append(("per_group_per_minute", self._chats[chat_id], 60.0, limit))
        elif chat_id is not None and self.limits.per_chat_per_second is not None:
            limit = self.limits.per_chat_per_second
            rules.append(("per_chat_per_second", self._chats[chat_id], 1.0, limit))
        broken = None
        for rule, times, period, limit in rules:
            while times and times[0] <= at - period:
                times.popleft()
            if broken is None and len(times) >= limit:
                broken = rule
        if broken is not None:
            self.violations.append(FloodViolation(broken, method, chat_id, at))
            if self.limits.respond_429:
                raise too_many_requests(self.limits.retry_after)
        for _, times, _, _ in rules:
            times.append(at)
