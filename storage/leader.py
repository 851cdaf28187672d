"""One active bot per database: a PostgreSQL advisory lock, or a lock file for SQLite."""

from __future__ import annotations

import asyncio
import contextlib
import fcntl
import logging
import os
from collections.abc import Callable
from pathlib import Path

from sqlalchemy import text
from sqlalchemy.engine import make_url
from sqlalchemy.ext.asyncio import AsyncConnection, AsyncEngine

logger = logging.getLogger(__name__)

# An arbitrary constant that names "the dealbot leader" among advisory locks.
ADVISORY_KEY = 0x6465616C626F74


class LeaderLock:
    """Held for as long as this process is the bot that polls Telegram."""

    def __init__(self, engine: AsyncEngine) -> None:
        self._engine = engine
        self._connection: AsyncConnection | None = None
        self._fd: int | None = None

    def _lock_path(self) -> Path | None:
        url = make_url(str(self._engine.url))
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return Path(url.database).with_suffix(Path(url.database).suffix + ".lock")

    async def try_acquire(self) -> bool:
        """Take the lock if it is free; never waits."""
        if self._engine.dialect.name == "postgresql":
            connection = await self._engine.connect()
            got = await connection.scalar(
                text("SELECT pg_try_advisory_lock(:key)"), {"key": ADVISORY_KEY}
            )
            # The lock lives as long as this session: keep the connection open.
            await connection.commit()
            if got:
                self._connection = connection
                return True
            await connection.close()
            return False
        path = self._lock_path()
        if path is None:
            return True
        fd = os.open(path, os.O_RDWR | os.O_CREAT, 0o600)
        try:
            fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(fd)
            return False
        os.ftruncate(fd, 0)
        os.write(fd, str(os.getpid()).encode())
        self._fd = fd
        return True

    async def acquire(
        self, *, on_wait: Callable[[], None] | None = None, poll_seconds: float = 5.0
    ) -> None:
        """Wait until this process is the leader, saying once why it waits."""
        told = False
        while not await self.try_acquire():
            if not told:
                told = True
                if on_wait is not None:
                    on_wait()
            await asyncio.sleep(poll_seconds)

    async def held(self) -> bool:
        """Whether this process still holds the lock, checked against the database or file.

        A PostgreSQL session can end under us (a failover, an idle-connection reaper,
        ``pg_terminate_backend``) and its advisory lock with it; a lock file can be
        deleted, after which another process locks a new file of the same name.
        """
        if self._connection is not None:
            try:
                count = await self._connection.scalar(
                    text(
                        "SELECT count(*) FROM pg_locks WHERE locktype = 'advisory' "
                        "AND pid = pg_backend_pid() AND granted"
                    )
                )
                await self._connection.commit()
            except Exception:
                logger.warning("the leader lock's connection is gone", exc_info=True)
                return False
            return bool(count)
        if self._fd is not None:
            path = self._lock_path()
            try:
                return path is not None and os.stat(path).st_ino == os.fstat(self._fd).st_ino
            except OSError:
                return False
        return True

    async def watch(self, on_lost: Callable[[], None], *, every: float = 3.0) -> None:
        """Check the lock every ``every`` seconds; call ``on_lost`` once it is gone."""
        while await self.held():  # noqa: ASYNC110 - nothing signals a lost lock
            await asyncio.sleep(every)
        logger.error("this instance lost the leader lock; it stops serving")
        on_lost()

    async def release(self) -> None:
        if self._connection is not None:
            try:
                await self._connection.execute(
                    text("SELECT pg_advisory_unlock(:key)"), {"key": ADVISORY_KEY}
                )
            except Exception:
                # The session (and with it the lock) is already gone.
                logger.warning("could not unlock the leader lock", exc_info=True)
            finally:
                connection, self._connection = self._connection, None
                with contextlib.suppress(Exception):
                    await connection.close()
        if self._fd is not None:
            fcntl.flock(self._fd, fcntl.LOCK_UN)
            os.close(self._fd)
            self._fd = None
