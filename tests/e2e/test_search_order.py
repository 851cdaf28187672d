"""Search ranks exact matches, then a word starting with the text, then any other match."""

import pytest

from tests.e2e.deal_helpers import make_deal
from tests.e2e.directory_helpers import add_accounts, add_contacts
from tests.e2e.people import rep_speaking


@pytest.mark.parametrize("language", ["vi", "en"])
async def test_contact_search_lists_a_word_match_before_a_substring(
    fake, now_app, seed, uow_factory, language
):
    await add_contacts(uow_factory, seed.rep, "Nguyễn Văn An", "Lê Hoàng")
    rep = await rep_speaking(fake, language)
    await rep.send("/contact an")
    labels = " | ".join(rep.buttons())
    assert labels.index("Nguyễn Văn An") < labels.index("Lê Hoàng")


@pytest.mark.parametrize("language", ["th", "en"])
async def test_find_lists_the_exact_name_first(fake, now_app, seed, uow_factory, language):
    await make_deal(uow_factory, seed.rep, "Phần mềm ERP")
    await make_deal(uow_factory, seed.rep, "ERP")
    await make_deal(uow_factory, seed.rep, "Superpower")
    await add_accounts(uow_factory, seed.rep, "Interpol", "ERP Solutions")
    rep = await rep_speaking(fake, language)
    await rep.send("/find erp")
    text = rep.last_text()
    assert text.index(" ERP ·") < text.index("Phần mềm ERP") < text.index("Superpower")
    assert text.index("ERP Solutions") < text.index("Interpol")
