"""Words a native speaker would write: examples in the member's language, one register,
one word per concept, no doubled colons, no run-together lines."""

import re
from datetime import date

import pytest

from bot.commands import COMMANDS
from bot.i18n import translator
from bot.parsing.oneline import parse_deal_line
from storage.directory import create_account, create_contact
from storage.opportunities import OpportunityInput, create_opportunity
from tests.e2e.report_seed import NOW, TODAY

ENGLISH_ARGUMENTS = ("price too high", "team this quarter", "/export open", "this year", "called,")


@pytest.fixture
async def text_app(make_app):
    return await make_app(clock=lambda: NOW)


async def _member(fake, language, telegram_id=100, name="Mai"):
    user = fake.user(telegram_id, name, language_code=language)
    await user.send(f"/language {language}")
    return user


@pytest.mark.parametrize("language", ["vi", "th"])
async def test_help_examples_are_written_in_the_members_language(fake, text_app, seed, language):
    manager = await _member(fake, language)
    await manager.send("/help")
    text = manager.last_text()
    assert not [words for words in ENGLISH_ARGUMENTS if words in text]
    assert "50tr" not in text if language == "th" else "50tr" in text
    assert "/fx USD 25000" in text  # the team's currency is VND


@pytest.mark.parametrize("language", ["en", "th"])
async def test_only_vietnamese_examples_use_vietnamese_amounts(fake, text_app, seed, language):
    manager = await _member(fake, language)
    await manager.send("/help")
    assert "50tr" not in manager.last_text()


@pytest.mark.parametrize("language", ["vi", "th", "en"])
def test_the_new_deal_example_reads_as_a_deal_in_its_language(language):
    command = next(command for command in COMMANDS if command.name == "new")
    parsed = parse_deal_line(command.example_in(language), language, TODAY, "VND")
    assert parsed.amount is not None and parsed.close_date is not None
    assert (parsed.rating, parsed.errors, parsed.ambiguities) == ("hot", (), ())


@pytest.mark.parametrize(
    ("language", "wrong", "right"), [("vi", "Tôi", "Mình"), ("th", "ฉัน", "บอท")]
)
async def test_the_help_heading_speaks_in_the_bots_one_voice(
    fake, text_app, seed, language, wrong, right
):
    rep = await _member(fake, language, 101, "An")
    await rep.send("/help")
    heading = rep.last_text().splitlines()[0]
    assert wrong not in heading and right in heading


@pytest.mark.parametrize("language", ["vi", "th"])
def test_disqualify_and_the_type_field_are_different_words(language):
    t = translator(language)
    assert t._("Disqualify") != t._("Type")
    assert not t._("Type").startswith(t._("Disqualify"))


@pytest.mark.parametrize("language", ["vi", "th", "en"])
async def test_the_quiet_mode_line_has_one_colon(fake, text_app, seed, language):
    rep = await _member(fake, language, 101, "An")
    await rep.send("/settings")
    quiet = translator(language)._("Quiet mode: {quiet}").split("{")[0]
    line = next(line for line in rep.last_text().splitlines() if line.startswith(quiet))
    assert line.count(":") == 1, line


@pytest.mark.parametrize(("language", "spoken"), [("vi", "nói tiếng Việt"), ("th", "เป็นภาษาไทย")])
async def test_the_language_is_named_as_a_sentence_of_it_would(
    fake, text_app, seed, language, spoken
):
    rep = fake.user(101, "An", language_code="en")
    await rep.send(f"/language {language}")
    assert spoken in rep.last_text()
    assert "Tiếng Việt" not in rep.last_text() and "เป็น ภาษา" not in rep.last_text()


@pytest.mark.parametrize("language", ["th", "vi"])
async def test_a_lead_forms_error_and_its_question_are_on_separate_lines(
    fake, text_app, seed, language
):
    t = translator(language)
    rep = await _member(fake, language, 101, "An")
    await rep.send("/lead")
    await rep.send("Somchai")
    await rep.click(t._("Skip"))  # company
    await rep.send("not a phone")
    text = rep.last_text()
    first, _, rest = text.partition("\n")
    assert rest.strip(), text
    assert "phone" not in first or language != "en"


@pytest.mark.parametrize("language", ["en", "vi"])
async def test_the_contact_card_uses_the_same_words_as_the_rest(
    fake, text_app, seed, uow_factory, language
):
    t = translator(language)
    async with uow_factory() as uow:
        account = await create_account(uow, seed.rep, "Minh Phát")
    async with uow_factory() as uow:
        contact = await create_contact(
            uow, seed.rep, "Lan Phạm", account_id=account.id, email="lan@minhphat.vn"
        )
    async with uow_factory() as uow:
        await create_opportunity(
            uow,
            seed.rep,
            OpportunityInput(
                name="Tủ lạnh", close_date=date(2026, 12, 31), amount=1, contact_id=contact.id
            ),
        )
    rep = await _member(fake, language, 101, "An")
    await rep.send("/contact lan")
    card = rep.last_text()
    assert f"{t._('Email')}: lan@minhphat.vn" in card
    assert f"{t._('Deals')}: 1" in card
    if language == "en":
        assert not re.search(r"Opportunit|E-mail", card + " ".join(rep.buttons()))


@pytest.mark.parametrize("language", ["en", "th"])
async def test_amount_hints_use_amounts_of_the_members_language(fake, text_app, seed, language):
    rep = await _member(fake, language, 101, "An")
    await rep.send("/new")
    await rep.send("Acme ERP")
    hint = rep.last_text()
    assert "50tr" not in hint
    assert ("50k" if language == "en" else "ล้าน") in hint
    await rep.send("??")
    assert "50tr" not in rep.last_text()
