"""Splitting and shortening answers to Telegram's limits."""

import html

from hypothesis import given
from hypothesis import strategies as st

from bot.delivery.message_fit import (
    MAX_BUTTONS,
    fit_keyboard,
    plain_text,
    shorten,
    split_text,
    visible_length,
)
from bot.fake_telegram.markup import parse_html


def test_a_short_text_is_left_alone():
    assert split_text("<b>Hi</b> there") == ["<b>Hi</b> there"]


def test_a_long_text_is_split_at_line_breaks_and_every_part_fits():
    lines = [f"<b>Rep {n}</b>: ₫{n:,} · ระบบบริหาร &amp; co" for n in range(400)]
    parts = split_text("\n".join(lines), limit=1000)
    assert len(parts) > 1
    for part in parts:
        parse_html(part)  # each part is valid HTML on its own
        assert visible_length(part, True) <= 1000
    assert "\n".join(plain_text(p, True) for p in parts) == plain_text("\n".join(lines), True)


def test_a_tag_open_across_a_cut_is_closed_and_opened_again():
    text = "<b>" + "\n".join(["word " * 30] * 10) + "</b>"
    parts = split_text(text, limit=400)
    assert len(parts) > 1
    assert all(part.startswith("<b>") and part.endswith("</b>") for part in parts)


def test_one_line_longer_than_the_limit_is_cut_into_pieces():
    parts = split_text("x" * 9000 + " &lt;done&gt;")
    assert [visible_length(part, True) for part in parts] == [4096, 4096, 815]
    assert parts[-1].endswith("&lt;done&gt;")


def test_shorten_ends_with_an_ellipsis_within_the_limit():
    short = shorten("<i>" + "a\n" * 1000 + "</i>", limit=1024)
    assert visible_length(short, True) <= 1024
    assert short.endswith("</i>…")
    parse_html(short)


def test_utf16_counts_an_emoji_as_two():
    assert visible_length("🎉", False) == 2


def test_a_keyboard_over_a_hundred_buttons_is_cut_to_a_hundred():
    markup = {"inline_keyboard": [[{"text": str(n), "callback_data": str(n)}] for n in range(150)]}
    fitted = fit_keyboard(markup)
    assert sum(len(row) for row in fitted["inline_keyboard"]) == MAX_BUTTONS
    assert fit_keyboard({"inline_keyboard": [[{"text": "a", "callback_data": "a"}]]}) == {
        "inline_keyboard": [[{"text": "a", "callback_data": "a"}]]
    }


@given(st.lists(st.text(alphabet="ab <>&\nกข🎉", max_size=300), max_size=40))
def test_any_escaped_text_splits_into_valid_parts_that_fit(chunks):
    text = "\n".join(f"<b>{html.escape(chunk)}</b>" for chunk in chunks)
    for part in split_text(text, limit=200):
        parse_html(part)
        assert visible_length(part, True) <= 200


def test_the_stand_in_refuses_a_keyboard_over_a_hundred_buttons_as_telegram_does():
    import pytest

    from bot.fake_telegram.markup import check_reply_markup

    rows = [[{"text": str(n), "callback_data": str(n)}] for n in range(MAX_BUTTONS + 1)]
    with pytest.raises(Exception, match="reply markup is too long"):
        check_reply_markup({"inline_keyboard": rows})
    check_reply_markup({"inline_keyboard": rows[:MAX_BUTTONS]})
