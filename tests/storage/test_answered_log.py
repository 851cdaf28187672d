"""The answered log beside a SQLite file: what it holds survives a reopen, as after a kill."""

from __future__ import annotations

from storage.answered_log import AnsweredLog


def test_keys_written_before_a_kill_are_read_back_and_postgresql_has_no_log(tmp_path):
    url = f"sqlite+aiosqlite:///{tmp_path / 'bot.sqlite3'}"
    log = AnsweredLog.beside(url)
    assert log is not None
    log.add("update:1:5")
    log.add("update:1:6")
    # No close(): a killed process closes nothing.
    again = AnsweredLog.beside(url)
    assert again is not None and again.keys() == {"update:1:5", "update:1:6"}
    again.clear()
    assert again.keys() == set()
    log.close()
    again.close()
    assert AnsweredLog.beside("postgresql+asyncpg://u@127.0.0.1/db") is None
    assert AnsweredLog.beside("sqlite+aiosqlite:///:memory:") is None
