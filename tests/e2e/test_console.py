"""The console shows what the bot really sends, and keeps working across restarts."""

import io
import logging
from dataclasses import replace

import pytest
from sqlalchemy import func, select

from bot.cli.console import run_console, stranger_id
from storage.db import create_engine, create_session_factory
from storage.models import User
from storage.uow import UnitOfWork


def _settings(settings, tmp_path):
    return replace(settings, database_url=f"sqlite+aiosqlite:///{tmp_path / 'c.sqlite3'}")


async def _chat(settings, tmp_path, lines, **options) -> tuple[int, str]:
    stdout = io.StringIO()
    status = await run_console(
        settings,
        stdin=io.StringIO("\n".join([*lines, "/quit", ""])),
        stdout=stdout,
        files_dir=tmp_path / "files",
        **options,
    )
    return status, stdout.getvalue()


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_a_restarted_console_answers_its_first_messages(tmp_path, settings, language):
    settings = _settings(settings, tmp_path)
    await _chat(settings, tmp_path, ["/help", "/help", "/help"], name="Admin", language=language)
    _, output = await _chat(settings, tmp_path, ["/find zzz"], name="Admin", language=language)
    assert "zzz" in output.split("> ")[-2]


@pytest.mark.parametrize("language", ["en", "th"])
async def test_as_a_demo_member_chats_as_them_and_a_stranger_is_told_who_is(
    tmp_path, settings, language
):
    settings = _settings(settings, tmp_path)
    status, _ = await _chat(
        settings, tmp_path, [], name="Minh Nguyen", demo=True, language=language
    )
    assert status == 0
    engine = create_engine(settings.database_url)
    try:
        async with UnitOfWork(create_session_factory(engine)) as uow:
            same_name = await uow.session.scalar(
                select(func.count(User.id)).where(User.name == "Minh Nguyen")
            )
    finally:
        await engine.dispose()
    assert same_name == 1
    status, output = await _chat(settings, tmp_path, [], name="Nobody", language=language)
    assert status == 2
    assert "Nobody" in output and "Minh Nguyen" in output and "--as" in output


async def test_tag_like_text_is_shown_as_typed_and_files_are_written(tmp_path, settings):
    settings = _settings(settings, tmp_path)
    lines = ["/language en", "/find <b>gấp</b>", "/new Acme ERP 50tr 31/12", "/export"]
    _, output = await _chat(settings, tmp_path, lines, name="Admin")
    assert "<b>gấp</b>" in output
    written = list((tmp_path / "files").glob("*.csv"))
    assert written and str(written[0]) in output


def test_every_stranger_gets_an_id_of_their_own():
    assert stranger_id("Alice") != stranger_id("Bob")
    assert stranger_id("Alice") == stranger_id("alice")


class _LoggingInput(io.StringIO):
    """Standard input that logs a warning, as the bot's jobs do while the console waits."""

    def readline(self, *args):  # type: ignore[no-untyped-def]
        logging.getLogger("bot.runtime.scheduler").warning(
            "could not tell chat 900003 about won deal 8"
        )
        return super().readline(*args)


async def test_log_lines_go_to_a_file_not_into_the_chat(tmp_path, settings, capsys):
    settings = _settings(settings, tmp_path)
    stdout = io.StringIO()
    await run_console(
        settings,
        name="Admin",
        stdin=_LoggingInput("/help\n/quit\n"),
        stdout=stdout,
        files_dir=tmp_path / "files",
    )
    assert "could not tell chat" not in stdout.getvalue()
    assert "could not tell chat" not in capsys.readouterr().err
    assert "could not tell chat" in (tmp_path / "files" / "console.log").read_text()
