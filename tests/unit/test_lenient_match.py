"""Optional import values are matched by any language's name, its accents and case aside."""

import pytest

from storage.csv.vocabulary import lenient_match
from storage.text import fold

SOURCES = {
    fold(name): code
    for code, names in {
        "referral": ("Referral", "Được giới thiệu", "แนะนำ"),
        "website": ("Website", "Trang web", "เว็บไซต์"),
        "walk_in": ("Walk-in", "Khách vãng lai", "ลูกค้าเดินเข้าร้าน"),
    }.items()
    for name in names
}


@pytest.mark.parametrize(
    ("cell", "wanted"),
    [
        ("Giới thiệu", "referral"),
        ("gioi thieu", "referral"),
        ("ĐƯỢC GIỚI THIỆU", "referral"),
        ("REFERRAL", "referral"),
        ("แนะนำ", "referral"),
        ("trang web", "website"),
        ("เว็บไซต์", "website"),
        ("khách vãng lai", "walk_in"),
    ],
)
def test_a_source_is_found_by_any_languages_name(cell, wanted):
    assert lenient_match(SOURCES, cell) == wanted


@pytest.mark.parametrize("cell", ["Quảng cáo Zalo", "โฆษณา", "Trade show", "", "web site x y"])
def test_an_unknown_or_ambiguous_name_matches_nothing(cell):
    assert lenient_match(SOURCES, cell) is None


def test_a_word_shared_by_two_options_is_ambiguous():
    options = {fold("Khách hàng mới"): "new", fold("Khách hàng cũ"): "existing"}
    assert lenient_match(options, "khách hàng") is None
    assert lenient_match(options, "khach hang moi") == "new"
