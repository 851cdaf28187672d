"""The unit of work: one session per update or job, rolled back unless committed."""

from __future__ import annotations

import weakref
from types import TracebackType
from typing import Self

from sqlalchemy.ext.asyncio import AsyncEngine, AsyncSession, async_sessionmaker

from storage.db import READ_ONLY

# The read-only variant of each engine, made once: making one copies the engine's
# options and dispatch, a cost every read would otherwise pay.
_READING: weakref.WeakKeyDictionary[AsyncEngine, AsyncEngine] = weakref.WeakKeyDictionary()


def _reading_engine(engine: AsyncEngine) -> AsyncEngine:
    reading = _READING.get(engine)
    if reading is None:
        reading = _READING[engine] = engine.execution_options(**{READ_ONLY: True})
    return reading


class UnitOfWork:
    """Owns one session for the duration of an ``async with`` block.

    Services receive it, do their reads and writes through ``uow.session`` and call
    ``commit()`` once; leaving the block without a commit rolls everything back.

    ``read_only=True`` is for work that only reads (cards, lists, reports, exports): on
    SQLite its transactions stay deferred, so a long read never holds the write lock
    that every other member's change waits for.
    """

    def __init__(
        self, session_factory: async_sessionmaker[AsyncSession], *, read_only: bool = False
    ) -> None:
        self._factory = session_factory
        self._session: AsyncSession | None = None
        self.read_only = read_only

    @property
    def session(self) -> AsyncSession:
        if self._session is None:
            raise RuntimeError("the unit of work is used outside its 'async with' block")
        return self._session

    async def __aenter__(self) -> Self:
        if self.read_only:
            # Every transaction of this session begins with the option on its connection,
            # where storage.db reads it before BEGIN.
            self._session = self._factory(bind=_reading_engine(self._factory.kw["bind"]))
        else:
            self._session = self._factory()
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        session, self._session = self.session, None
        # close() rolls back whatever was not committed, but unlike rollback() it
        # detaches objects without expiring them, so results stay readable.
        await session.close()

    async def commit(self) -> None:
        if self.read_only:
            raise RuntimeError("a read-only unit of work cannot commit")
        await self.session.commit()

    async def rollback(self) -> None:
        await self.session.rollback()

    async def end_reading(self) -> None:
        """End the current transaction, keeping what was read, before slow work without
        the database (parsing a file); the next statement begins a fresh transaction."""
        if self.session.new or self.session.dirty or self.session.deleted:
            raise RuntimeError("end_reading() with unsaved changes would lose them")
        await self.session.close()
