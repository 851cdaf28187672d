"""The gettext catalogs: complete, well-formed, in step with the source, and required."""

from __future__ import annotations

import re
import subprocess
import sys
from collections import Counter
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po

import bot.i18n
from bot.i18n import LANGUAGES, MissingCatalog

ROOT = Path(__file__).resolve().parents[2]
LOCALES = ROOT / "locales"
TEMPLATE = LOCALES / "messages.pot"
TRANSLATED = ("vi", "th")

PYBABEL = (sys.executable, "-m", "babel.messages.frontend")
# The options of the project's `pybabel extract` command; keep the two in step.
EXTRACT_OPTIONS = (
    "-F",
    "babel.cfg",
    "-k",
    "_",
    "-k",
    "n_:1,2",
    "-k",
    "p_:1c,2",
    "-k",
    "N_",
    "--no-default-keywords",
    "--add-comments=TRANSLATORS:",
    "--project=dealbot",
    "--copyright-holder=dealbot",
    "--msgid-bugs-address=none",
)

# Messages whose translation may legitimately read exactly like the English msgid.
# Keep this tiny: every entry needs a reason. (Messages without a single word, only
# placeholders, tags and signs such as "{field}: {old} → {new}", are allowed anyway.)
SAME_AS_ENGLISH = frozenset(
    {
        "Email",  # a loanword some languages spell the English way
    }
)

PLACEHOLDER = re.compile(r"\{[^{}]*\}")
HTML_TAG = re.compile(r"</?[A-Za-z][^<>]*>")
# "/help", "/lead": not "</b>", not "31/12", not "and/or", not a URL's path.
COMMAND = re.compile(r"(?<![\w<:/])/[a-z_]+\b")


def _read(path: Path, locale: str | None = None) -> Catalog:
    with path.open("rb") as handle:
        return read_po(handle, locale=locale, abort_invalid=True)


def _catalog(language: str) -> Catalog:
    return _read(LOCALES / language / "LC_MESSAGES" / "messages.po", language)


def _messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


def _has_words(text: str) -> bool:
    return re.search(r"[^\W\d_]", HTML_TAG.sub("", PLACEHOLDER.sub("", text))) is not None


def _key(message: Message) -> tuple[str | None, str | tuple[str, ...]]:
    return (message.context, message.id)


def _source(message: Message) -> str:
    """The English text a translation stands for (the plural, which vi and th use always)."""
    return message.id[-1] if isinstance(message.id, tuple) else message.id


def _forms(message: Message) -> tuple[str, ...]:
    return message.string if isinstance(message.string, tuple) else (message.string,)


def _pairs(language: str) -> list[tuple[Message, str]]:
    """Every (template message, translated form) of ``language``."""
    return [
        (message, form) for message in _messages(_catalog(language)) for form in _forms(message)
    ]


def _keys(catalog) -> set:
    return {_key(message) for message in _messages(catalog)}


def _only_in(these: set, those: set) -> list[str]:
    return sorted(map(str, these - those))


@pytest.mark.parametrize("language", LANGUAGES)
def test_each_catalog_holds_exactly_the_templates_messages(language):
    template, catalog = _keys(_read(TEMPLATE)), _keys(_catalog(language))
    assert _only_in(template, catalog) == [], "run pybabel update"
    assert _only_in(catalog, template) == [], "run pybabel update"


@pytest.mark.parametrize("language", TRANSLATED)
def test_every_message_has_a_translation_that_is_not_the_english(language):
    catalog = _catalog(language)
    untranslated = []
    for wanted in _messages(_read(TEMPLATE)):
        message = catalog.get(wanted.id, context=wanted.context)
        forms = _forms(message) if message is not None else ("",)
        english = set(wanted.id) if isinstance(wanted.id, tuple) else {wanted.id}
        allowed_same = _source(wanted) in SAME_AS_ENGLISH or not _has_words(_source(wanted))
        if any(not form.strip() or (form in english and not allowed_same) for form in forms):
            untranslated.append(_source(wanted))
    assert untranslated == []


def _not_kept(language, measure):
    """The (msgid, translation) pairs of ``language`` that ``measure`` tells apart."""
    return [
        (_source(message), form)
        for message, form in _pairs(language)
        if measure(form) != measure(_source(message))
    ]


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_msgids_placeholders(language):
    assert _not_kept(language, lambda text: Counter(PLACEHOLDER.findall(text))) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_the_msgids_html_tags(language):
    assert _not_kept(language, lambda text: Counter(HTML_TAG.findall(text))) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_translations_keep_commands_and_line_breaks_untranslated(language):
    def commands_and_lines(text):
        return Counter(COMMAND.findall(text)), text.count("\n")

    assert _not_kept(language, commands_and_lines) == []


@pytest.mark.parametrize("language", TRANSLATED)
def test_vietnamese_and_thai_have_one_plural_form(language):
    path = LOCALES / language / "LC_MESSAGES" / "messages.po"
    header = path.read_text(encoding="utf-8").split("\n\n", 1)[0]
    assert '"Plural-Forms: nplurals=1; plural=0;\\n"' in header
    catalog = _catalog(language)
    assert catalog.num_plurals == 1
    plurals = [message for message in _messages(catalog) if message.pluralizable]
    assert plurals, "the template has plural messages to check"
    assert {_source(message): len(_forms(message)) for message in plurals} == {
        _source(message): 1 for message in plurals
    }


@pytest.mark.parametrize("language", LANGUAGES)
def test_no_entry_is_fuzzy(language):
    catalog = _catalog(language)
    assert not catalog.fuzzy
    assert [_source(message) for message in _messages(catalog) if message.fuzzy] == []


def test_the_template_is_up_to_date_with_the_source(tmp_path):
    fresh = tmp_path / "messages.pot"
    run = subprocess.run(
        [*PYBABEL, "--quiet", "extract", *EXTRACT_OPTIONS, "-o", str(fresh), "."],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    )
    assert run.returncode == 0, run.stderr
    extracted, committed = _keys(_read(fresh)), _keys(_read(TEMPLATE))
    assert _only_in(extracted, committed) == [], "new strings: run pybabel extract"
    assert _only_in(committed, extracted) == [], "stale strings: run pybabel extract"


@pytest.mark.parametrize("language", TRANSLATED)
def test_the_bot_speaks_the_translations_it_loads(language):
    messages = [m for m in _messages(_read(TEMPLATE)) if _has_words(_source(m))]
    singular = next(m.id for m in messages if not m.pluralizable and not m.context)
    plural = next(m.id for m in messages if m.pluralizable and not m.context)
    bot.i18n.translator.cache_clear()
    try:
        t = bot.i18n.translator(language)
        assert t._(singular) == _catalog(language)[singular].string
        assert t.n_(*plural, 1) == t.n_(*plural, 5) == _catalog(language)[plural].string[0]
    finally:
        bot.i18n.translator.cache_clear()


@pytest.fixture
def no_catalogs(monkeypatch, tmp_path):
    """``bot.i18n`` looks for its catalogs in an empty directory, with a fresh cache."""
    bot.i18n.translator.cache_clear()
    monkeypatch.setattr(bot.i18n, "locales_dir", lambda: tmp_path)
    yield tmp_path
    bot.i18n.translator.cache_clear()


@pytest.mark.parametrize("language", LANGUAGES)
@pytest.mark.usefixtures("no_catalogs")
def test_a_missing_catalog_is_an_error_not_a_fallback_to_english(language):
    with pytest.raises(MissingCatalog):
        bot.i18n.translator(language)


def test_loading_every_catalog_at_start_up_fails_when_one_is_missing(no_catalogs):
    for language in ("vi", "en"):
        (no_catalogs / language / "LC_MESSAGES").mkdir(parents=True)
        source = LOCALES / language / "LC_MESSAGES" / "messages.po"
        (no_catalogs / language / "LC_MESSAGES" / "messages.po").write_bytes(source.read_bytes())
    with pytest.raises(MissingCatalog, match="th"):
        bot.i18n.load_all()
