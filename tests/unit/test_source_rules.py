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
