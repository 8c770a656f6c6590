from __future__ import annotations

import pytest

from hardware.printer.text import printable_text, two_columns, wrap


@pytest.mark.parametrize("code_page", ["CP858", "CP1252"])
def test_accents_and_the_euro_sign_are_kept(code_page):
    text = "Crème brûlée, Zoë, Müller, à la française, ß: 12,50 €"

    assert printable_text(text, code_page) == text


def test_no_break_spaces_become_spaces():
    assert printable_text("12,50\u00a0€ 1\u202f000", "CP858") == "12,50 € 1 000"


def test_typographic_punctuation_becomes_plain():
    text = "“Le chef’s” – menu… ‘ok’ — fin"

    assert printable_text(text, "CP858") == "\"Le chef's\" - menu... 'ok' - fin"


def test_letters_the_code_page_lacks_lose_their_accent_or_become_a_question_mark():
    assert printable_text("Ő ź Ł 漢", "CP858") == "O z ? ?"


def test_control_characters_are_removed():
    assert printable_text("a\x1b@b\x00c\x10\x04\x01", "CP858") == "a@bc"


def test_wrap_cuts_words_longer_than_the_line():
    assert wrap("Supercalifragilistic burger", 10) == [
        "Supercalif",
        "ragilistic",
        "burger",
    ]


def test_two_columns_puts_the_amount_flush_right_on_the_first_line():
    lines = two_columns("2 x Menu burger double cheese", "25,00 €", 26, indent=2)

    assert lines == [
        "  2 x Menu burger  25,00 €",
        "  double cheese",
    ]
