"""Rules the extractor cannot enforce by itself."""

import re
from pathlib import Path

BOT = Path(__file__).resolve().parents[2] / "bot"
# pybabel does not look inside f-strings: a message written there never reaches the catalog
# and is shown in English to everyone.
TRANSLATION_IN_FSTRING = re.compile(r"""\{(?:[\w.]+\.)?(?:_|n_|p_)\(\s*['"]""")


def test_no_translated_literal_hides_inside_an_f_string():
    offenders = [
        f"{path.relative_to(BOT.parent)}:{number}"
        for path in BOT.rglob("*.py")
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), start=1)
        if TRANSLATION_IN_FSTRING.search(line)
    ]
    assert offenders == []


def _call_at(text: str, start: int) -> str:
    """The argument text of the call whose "(" ends just before ``start``."""
    depth = 1
    for end in range(start, len(text)):
        depth += {"(": 1, ")": -1}.get(text[end], 0)
        if depth == 0:
            return text[start:end]
    return text[start:]


def test_every_date_shown_follows_the_members_year_choice():
    # A Thai member who asked for Gregorian years must never meet a Buddhist-era one:
    # dates go through ``context.fmt.date`` or pass ``gregorian=`` on.
    offenders = [
        f"{path.relative_to(BOT.parent)}:{text.count(chr(10), 0, match.start()) + 1}"
        for path in BOT.rglob("*.py")
        for text in [path.read_text(encoding="utf-8")]
        for match in re.finditer(r"(?<![\w.])format_date\(", text)
        if "gregorian" not in _call_at(text, match.end())
        and not text[: match.start()].endswith("def ")
    ]
    assert offenders == []
