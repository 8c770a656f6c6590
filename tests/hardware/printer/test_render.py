"""Golden receipts: rendered for each printer profile, decoded as that printer
reads its code pages, "€" and accents included."""

from __future__ import annotations

import dataclasses

import pytest

from hardware.printer.decoder import (
    PrintedImage,
    PrintedLine,
    PrintedQrCode,
    decode_receipts,
)
from hardware.printer.profiles import PROFILES, code_page_numbers
from hardware.printer.render import receipt_to_escpos
from hardware.receipt import Receipt

GOLDEN_42 = """\
Brasserie Démo
48 rue Oberkampf
75011 Paris

Commande
42
22/11/2026 14:05
Sur place
------------------------------------------
1 x Menu burger                    12,50 €
  Burger
    Bacon                          +1,50 €
  Grandes frites                   +0,50 €
2 x Crème brûlée                    9,00 €
1 x Müller-Thurgau                  6,00 €
1 x Café                            0,00 €
  (Récompense fidélité)
------------------------------------------
Sous-total                         29,00 €
Bon "bienvenue"                    -2,00 €
Total                              27,00 €

TVA 10 % (21,00 €)                  1,91 €
TVA 20 % (6,00 €)                   1,00 €

Payé par carte                     27,00 €
------------------------------------------
Fidélité
Zoë
Points gagnés                           27
Nouveau solde                          340
------------------------------------------

Merci de votre visite !"""

GOLDEN_48 = """\
Brasserie Démo
48 rue Oberkampf
75011 Paris

Commande
42
22/11/2026 14:05
Sur place
------------------------------------------------
1 x Menu burger                          12,50 €
  Burger
    Bacon                                +1,50 €
  Grandes frites                         +0,50 €
2 x Crème brûlée                          9,00 €
1 x Müller-Thurgau                        6,00 €
1 x Café                                  0,00 €
  (Récompense fidélité)
------------------------------------------------
Sous-total                               29,00 €
Bon "bienvenue"                          -2,00 €
Total                                    27,00 €

TVA 10 % (21,00 €)                        1,91 €
TVA 20 % (6,00 €)                         1,00 €

Payé par carte                           27,00 €
------------------------------------------------
Fidélité
Zoë
Points gagnés                                 27
Nouveau solde                                340
------------------------------------------------

Merci de votre visite !"""

GOLDEN_32 = """\
Brasserie Démo
48 rue Oberkampf
75011 Paris

Commande
42
22/11/2026 14:05
Sur place
--------------------------------
1 x Menu burger          12,50 €
  Burger
    Bacon                +1,50 €
  Grandes frites         +0,50 €
2 x Crème brûlée          9,00 €
1 x Müller-Thurgau        6,00 €
1 x Café                  0,00 €
  (Récompense fidélité)
--------------------------------
Sous-total               29,00 €
Bon "bienvenue"          -2,00 €
Total                    27,00 €

TVA 10 % (21,00 €)        1,91 €
TVA 20 % (6,00 €)         1,00 €

Payé par carte           27,00 €
--------------------------------
Fidélité
Zoë
Points gagnés                 27
Nouveau solde                340
--------------------------------



Merci de votre visite !"""

GOLDEN = {
    "TM-T88V": GOLDEN_42,
    "TM-T20II": GOLDEN_48,
    "POS-5890": GOLDEN_32,
    "ZJ-5870": GOLDEN_32,
}


def _decoded(receipt: Receipt, profile_name: str):
    data = receipt_to_escpos(receipt, PROFILES[profile_name])
    [decoded] = decode_receipts(data, code_page_numbers(profile_name))
    return data, decoded


@pytest.mark.parametrize("profile_name", sorted(PROFILES))
def test_the_receipt_prints_as_the_golden_text(receipt, profile_name):
    _data, decoded = _decoded(receipt, profile_name)

    assert decoded.text == GOLDEN[profile_name]
    assert "€" in decoded.text
    assert "é" in decoded.text
    assert "ü" in decoded.text
    assert decoded.unknown_commands == []


@pytest.mark.parametrize(
    ("profile_name", "pinned"),
    [
        ("TM-T88V", b"\x1b@\x1bt\x13"),  # CP858 is 19 on Epson
        ("TM-T20II", b"\x1b@\x1bt\x13"),
        ("POS-5890", b"\x1b@\x1bt\x35"),  # the profile's own number for CP858
        ("ZJ-5870", b"\x1b@\x1bt\x10"),  # no CP858 there: CP1252 is 16
    ],
)
def test_the_code_page_is_pinned_right_after_the_reset(receipt, profile_name, pinned):
    data, decoded = _decoded(receipt, profile_name)

    assert data.startswith(pinned)
    assert decoded.code_pages == [PROFILES[profile_name].code_page.lower()]


def test_the_order_number_is_printed_four_times_the_normal_size(receipt):
    _data, decoded = _decoded(receipt, "TM-T88V")

    number = next(line for line in decoded.lines if line.text == "42")
    assert (number.width, number.height, number.bold, number.align) == (
        4,
        4,
        True,
        "center",
    )


def test_the_total_is_bold_and_every_other_line_normal_size(receipt):
    _data, decoded = _decoded(receipt, "TM-T88V")

    total = next(line for line in decoded.lines if line.text.startswith("Total"))
    sizes = {
        (line.width, line.height)
        for line in decoded.lines
        if line.text not in ("42", "Brasserie Démo") and line is not total
    }
    assert (total.bold, total.height) == (True, 2)
    assert sizes == {(1, 1)}


@pytest.mark.parametrize(
    ("profile_name", "is_cut"), [("TM-T88V", True), ("ZJ-5870", False)]
)
def test_printers_with_a_cutter_cut_the_paper(receipt, profile_name, is_cut):
    _data, decoded = _decoded(receipt, profile_name)

    assert decoded.is_cut is is_cut


def test_a_native_qr_code_carries_the_order_id(receipt):
    _data, decoded = _decoded(receipt, "TM-T88V")

    assert decoded.qr_codes == ["5a3c7f6e-1111-4222-8333-444455556666"]


def test_printers_without_native_qr_get_it_as_an_image(receipt):
    _data, decoded = _decoded(receipt, "POS-5890")

    images = [block for block in decoded.blocks if isinstance(block, PrintedImage)]
    assert decoded.qr_codes == []
    assert len(images) == 1
    assert images[0].width_bytes * 8 <= PROFILES["POS-5890"].width_pixels


def test_a_copy_says_so_at_the_top(receipt):
    copy = dataclasses.replace(receipt, is_copy=True)

    _data, decoded = _decoded(copy, "TM-T88V")

    assert decoded.text.splitlines()[:5] == [
        "Brasserie Démo",
        "48 rue Oberkampf",
        "75011 Paris",
        "",
        "*** Copy ***",
    ]


def test_without_loyalty_there_is_no_loyalty_block(receipt):
    plain = dataclasses.replace(receipt, loyalty=None)

    _data, decoded = _decoded(plain, "TM-T88V")

    assert "Fidélité" not in decoded.text
    assert "Points gagnés" not in decoded.text


def test_the_store_name_is_printed_double_size_and_centred(receipt):
    _data, decoded = _decoded(receipt, "TM-T88V")

    assert decoded.lines[0] == PrintedLine(
        "Brasserie Démo", bold=True, width=2, height=2, align="center"
    )


def test_qr_blocks_are_not_text(receipt):
    _data, decoded = _decoded(receipt, "TM-T88V")

    assert [
        type(block) for block in decoded.blocks if not isinstance(block, PrintedLine)
    ] == [PrintedQrCode]


def test_points_not_confirmed_yet_are_promised_not_printed(receipt):
    pending = dataclasses.replace(
        receipt,
        loyalty=dataclasses.replace(
            receipt.loyalty, points_earned=None, points_balance=None
        ),
        labels=dataclasses.replace(
            receipt.labels, points_pending="Vos points arrivent."
        ),
    )

    _data, decoded = _decoded(pending, "TM-T88V")

    assert "Vos points arrivent." in decoded.text.splitlines()
    assert "Points gagnés" not in decoded.text


def test_the_programmes_text_prints_after_the_loyalty_block(receipt):
    from dataclasses import replace

    from hardware.receipt import ReceiptProgrammeText

    with_text = replace(
        receipt,
        loyalty=None,
        programme_text=ReceiptProgrammeText(
            header="Burger King France",
            lines=[
                "Earn points on this order: scan it in the BK app",
                "Transaction ID: 5f0c8e2a",
            ],
            footer="Thank you for your visit",
        ),
    )

    _data, decoded = _decoded(with_text, "TM-T88V")

    lines = [line.strip() for line in decoded.text.splitlines()]
    start = lines.index("Burger King France")
    assert lines[start : start + 5] == [
        "Burger King France",
        "Earn points on this order: scan it in the",
        "BK app",
        "Transaction ID: 5f0c8e2a",
        "Thank you for your visit",
    ]
    assert lines[start - 1] == "-" * 42


def test_the_card_section_prints_under_the_payment(receipt):
    from hardware.receipt import ReceiptAmount

    by_card = dataclasses.replace(
        receipt,
        card=[
            ReceiptAmount("VISA", "**** 0119"),
            ReceiptAmount("VISA CREDIT", "A0000000031010"),
            ReceiptAmount("Autorisation", "123456"),
            ReceiptAmount("Terminal", "P400-123"),
            ReceiptAmount("Référence", "SIM-000007"),
        ],
    )

    _data, decoded = _decoded(by_card, "TM-T88V")

    lines = decoded.text.splitlines()
    start = lines.index("Payé par carte                     27,00 €")
    assert lines[start : start + 6] == [
        "Payé par carte                     27,00 €",
        "VISA                             **** 0119",
        "VISA CREDIT                 A0000000031010",
        "Autorisation                        123456",
        "Terminal                          P400-123",
        "Référence                       SIM-000007",
    ]
