"""The load generator: simulated people who wait for each answer before the next message."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
import os
import random
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import AsyncIterator, Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import httpx

from bench.echo_bot import TOKEN
from bot.fake_telegram import FakeTelegram, SimUser
from bot.fake_telegram.http import SECRET_HEADER, TelegramHTTPServer
from bot.fake_telegram.records import ChatState
from bot.fake_telegram.server import REPLY_METHODS

SECRET = "bench-secret"
ROOT = Path(__file__).resolve().parent.parent
# Several bot processes of a run share one database, which remembers update_ids (a repeat
# is dropped) and message ids (a repeated quick-create only says "already saved"): each
# stand-in numbers its updates and messages from where no earlier one reached.
_FIRST_IDS = itertools.count(100, 10_000_000)


class BenchTelegram(FakeTelegram):
    """The stand-in, telling waiting people the moment the bot answers their chat."""

    def __init__(self) -> None:
        self.first_id = next(_FIRST_IDS)
        super().__init__(TOKEN, first_update_id=self.first_id)
        self.waiters: dict[int, asyncio.Future[float]] = {}

    def add_chat(self, chat: Mapping[str, Any]) -> ChatState:
        state = super().add_chat(chat)
        state.next_message_id = max(state.next_message_id, self.first_id)
        return state

    def expect(self, chat_id: int) -> asyncio.Future[float]:
        future: asyncio.Future[float] = asyncio.get_running_loop().create_future()
        self.waiters[chat_id] = future
        return future

    async def handle(self, method: str, params: Any, files: Any = None, **kwargs: Any) -> Any:
        result = await super().handle(method, params, files, **kwargs)
        if method in REPLY_METHODS:
            chat_id = params.get("chat_id") if hasattr(params, "get") else None
            try:
                future = self.waiters.pop(int(chat_id))
            except (TypeError, ValueError, KeyError):
                future = None
            if future is not None and not future.done():
                future.set_result(time.perf_counter())
        return result


class BenchUser(SimUser):
    """A simulated person whose webhook deliveries share one keep-alive HTTP client."""

    client: httpx.AsyncClient
    hook_url: str

    async def _dispatch(self, update: dict[str, Any], via: Any) -> None:
        if via != "webhook":
            await super()._dispatch(update, via)
            return
        response = await self.client.post(
            self.hook_url, json=update, headers={SECRET_HEADER: SECRET}
        )
        if response.status_code != 200:
            raise RuntimeError(f"webhook answered {response.status_code}")


Step = tuple[str, str]  # ("send", text) or ("click", label)


@dataclass
class Result:
    name: str
    updates: int = 0
    missing: int = 0
    seconds: float = 0.0
    latencies: list[float] = field(default_factory=list)
    peak_rss_mb: float = 0.0
    idle_rss_mb: float = 0.0  # once started, before the first update
    cpu_seconds: float = 0.0  # the bot process's user + system time over the run
    problems: list[str] = field(default_factory=list)  # why steps could not be played

    @property
    def rate(self) -> float:
        return self.updates / self.seconds if self.seconds else 0.0

    def percentile(self, p: float) -> float:
        if not self.latencies:
            return float("nan")
        ordered = sorted(self.latencies)
        return ordered[min(len(ordered) - 1, int(p / 100 * len(ordered)))] * 1000

    @property
    def cpu_ms_per_update(self) -> float:
        return self.cpu_seconds / self.updates * 1000 if self.updates else float("nan")

    @property
    def p50(self) -> float:
        return statistics.median(self.latencies) * 1000 if self.latencies else float("nan")


def _status_mb(pid: int, field_name: str) -> float:
    """A memory figure of /proc/<pid>/status: VmHWM is the peak RSS, VmRSS the current."""
    try:
        for line in Path(f"/proc/{pid}/status").read_text().splitlines():
            if line.startswith(f"{field_name}:"):
                return int(line.split()[1]) / 1024
    except OSError:
        pass
    return 0.0


_TICKS = os.sysconf("SC_CLK_TCK")


def cpu_seconds(pid: int) -> float:
    """User + system CPU time of process ``pid`` so far (fields 14 and 15 of its stat)."""
    try:
        stat = Path(f"/proc/{pid}/stat").read_text()
    except OSError:
        return 0.0
    # The command name (field 2) may hold spaces; the fields after it never do.
    fields = stat[stat.rindex(")") + 2 :].split()
    return (int(fields[11]) + int(fields[12])) / _TICKS


class BotProcess:
    """A bot under test in its own process, so its RSS and CPU are its own.

    ``kind`` "echo" is bench/echo_bot.py run as a script, so that nothing of the project
    is imported into it; "dealbot" is bench/botproc.py.
    """

    def __init__(self, kind: str, api_url: str, mode: str, port: int, db: str = "") -> None:
        echo = [str(ROOT / "bench" / "echo_bot.py")]
        program = echo if kind == "echo" else ["-m", "bench.botproc"]
        self.args = [
            sys.executable,
            *program,
            "--api",
            api_url,
            "--mode",
            mode,
            "--port",
            str(port),
            "--secret",
            SECRET,
            *(["--db", db] if kind != "echo" else []),
        ]
        self.process: subprocess.Popen[bytes] | None = None
        self.env: dict[str, str] = {}  # added to this process's environment

    @property
    def pid(self) -> int:
        assert self.process is not None
        return self.process.pid

    def cpu_seconds(self) -> float:
        return cpu_seconds(self.pid)

    def rss_mb(self) -> float:
        return _status_mb(self.pid, "VmRSS")

    def start(self) -> None:
        env = dict(os.environ, **self.env)
        if "bench.botproc" in self.args:
            env["PYTHONPATH"] = str(ROOT)
        self.process = subprocess.Popen(self.args, cwd=ROOT, env=env)

    async def stop(self, patience: float = 20.0) -> float:
        """Stop the bot (by its own PID) and return its peak RSS in MB.

        The wait must not block the loop: the stand-in in this process has to go on
        answering the bot's last requests, or the bot's shutdown waits on their timeouts.
        """
        assert self.process is not None
        peak = _status_mb(self.process.pid, "VmHWM")
        self.process.terminate()
        deadline = time.perf_counter() + patience
        while self.process.poll() is None:
            if time.perf_counter() > deadline:
                self.process.kill()
                self.process.wait()
                break
            await asyncio.sleep(0.05)
        return peak


async def step(
    fake: BenchTelegram, user: BenchUser, action: str, argument: str, via: str, patience: float
) -> float:
    """One message or button press, and the seconds until the bot answered the chat.

    Raises:
        TimeoutError: no answer within ``patience`` seconds.
        AssertionError: the button to press is not in the chat (the flow went astray).
    """
    waiter = fake.expect(user.chat_id)
    started = time.perf_counter()
    if action == "send":
        await user.send(argument, via=via)
    else:
        await user.click(argument, via=via)
    answered = await asyncio.wait_for(waiter, patience)
    return answered - started


async def drive(
    name: str,
    fake: BenchTelegram,
    users: list[BenchUser],
    script: Callable[[int, int], list[Step]],
    rounds: int,
    via: str,
    *,
    measured: Callable[[int], bool] = lambda index: True,
    patience: float = 15.0,
    pause: float = 0.0,
) -> Result:
    """Every user runs ``rounds`` of its script, each step waiting for the bot's answer.

    With ``pause``, a user thinks for 0.5 to 1.5 times that many seconds before each
    step, so the bot is measured below its capacity; without, it is kept saturated.
    """
    result = Result(name)

    async def person(index: int, user: BenchUser) -> None:
        thinking = random.Random(index)
        for round_number in range(rounds):
            steps = script(index, round_number)
            for position, (action, argument) in enumerate(steps):
                if pause:
                    await asyncio.sleep(pause * thinking.uniform(0.5, 1.5))
                try:
                    latency = await step(fake, user, action, argument, via, patience)
                except TimeoutError:
                    result.missing += 1
                    continue
                except AssertionError as error:
                    # The rest of this round cannot be played: all of it counts as missing.
                    result.missing += len(steps) - position
                    result.problems.append(str(error))
                    break
                if measured(index):
                    result.updates += 1
                    result.latencies.append(latency)

    began = time.perf_counter()
    await asyncio.gather(*(person(i, user) for i, user in enumerate(users)))
    result.seconds = time.perf_counter() - began
    return result


async def wait_ready(fake: FakeTelegram, mode: str, patience: float = 60.0) -> None:
    """Until the bot set its webhook (webhook mode) or started polling."""
    deadline = time.perf_counter() + patience
    method = "setWebhook" if mode == "webhook" else "getUpdates"
    while not any(call.method in (method, "deleteWebhook") for call in fake.calls) or (
        mode == "webhook" and fake.webhook is None
    ):
        if time.perf_counter() > deadline:
            raise RuntimeError("the bot did not start")
        await asyncio.sleep(0.05)
    await asyncio.sleep(0.3)


def make_users(
    fake: BenchTelegram, ids: list[int], client: httpx.AsyncClient, hook_url: str
) -> list[BenchUser]:
    users = []
    for telegram_id in ids:
        person = {
            "id": telegram_id,
            "is_bot": False,
            "first_name": f"U{telegram_id}",
            "language_code": "en",
        }
        fake.add_chat({"id": telegram_id, "type": "private", "first_name": person["first_name"]})
        user = BenchUser(fake, person)
        user.client, user.hook_url = client, hook_url
        users.append(user)
    return users


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


async def serve_stand_in(fake: BenchTelegram) -> TelegramHTTPServer:
    return await TelegramHTTPServer(fake).start()


@dataclass
class RunningBot:
    """A bot process answering a stand-in, and the users who chat with it through the stand-in."""

    fake: BenchTelegram
    process: BotProcess
    users: list[BenchUser] = field(default_factory=list)
    peak_rss_mb: float = 0.0  # set once the process has stopped


@contextlib.asynccontextmanager
async def running_bot(kind: str, mode: str, db: str, ids: list[int]) -> AsyncIterator[RunningBot]:
    """Start a stand-in and a bot process, wait until it is ready, hand over its users.

    On the way out the users' client is closed first, then the bot is stopped (its peak
    RSS kept in ``peak_rss_mb``), then the stand-in.
    """
    fake = BenchTelegram()
    server = await serve_stand_in(fake)
    port = free_port()
    process = BotProcess(kind, server.url, mode, port, db)
    process.start()
    bot = RunningBot(fake, process)
    try:
        await wait_ready(fake, mode)
        limits = httpx.Limits(max_connections=200, max_keepalive_connections=200)
        async with httpx.AsyncClient(limits=limits, trust_env=False, timeout=30) as client:
            bot.users = make_users(fake, ids, client, f"http://127.0.0.1:{port}/hook")
            yield bot
    finally:
        bot.peak_rss_mb = await process.stop()
        await server.stop()


Runner = Callable[[], Awaitable[Result]]
