"""A file beside a SQLite database listing updates whose answer reached the chat.

The moment an answer arrives is worth keeping the instant it is known: a crash right
after it must not answer again. SQLite lets one writer at a time in, and under load a
separate transaction for that mark waits behind the handlers' writes for a long time;
an append to a file takes microseconds and survives a killed process. PostgreSQL has
no such queue, and its inbox rows carry the mark alone.
"""

from __future__ import annotations

import os
from pathlib import Path

from sqlalchemy.engine import make_url

# Past this size the log is emptied once every answer in it is also in the database.
LIMIT = 1 << 20


class AnsweredLog:
    """Append-only keys, one a line; read back after a crash."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_APPEND, 0o600)

    @classmethod
    def beside(cls, database_url: str) -> AnsweredLog | None:
        """The log of a SQLite file database; None for PostgreSQL or memory."""
        url = make_url(database_url)
        if url.get_backend_name() != "sqlite" or not url.database or url.database == ":memory:":
            return None
        return cls(Path(url.database).with_suffix(Path(url.database).suffix + ".answered"))

    def add(self, key: str) -> None:
        # One write of a short line with O_APPEND: lines never interleave.
        os.write(self._fd, (key + "\n").encode())

    def keys(self) -> set[str]:
        try:
            return set(self.path.read_text().split())
        except FileNotFoundError:
            return set()

    def clear_if_large(self) -> None:
        """Empty the log; call only when every key in it is marked in the database too."""
        if os.fstat(self._fd).st_size > LIMIT:
            os.ftruncate(self._fd, 0)

    def clear(self) -> None:
        os.ftruncate(self._fd, 0)

    def close(self) -> None:
        os.close(self._fd)
