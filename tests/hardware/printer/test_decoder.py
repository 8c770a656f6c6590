from __future__ import annotations

from escpos.printer import Dummy

from hardware.printer.decoder import (
    DecodedReceipt,
    EscposDecoder,
    PrintedBarcode,
    PrintedImage,
    PrintedLine,
    StatusQuery,
    decode_receipts,
)

INIT = b"\x1b@"
CP858 = b"\x1bt\x13"
CUT = b"\x1dV\x00"


def test_text_is_decoded_with_the_selected_code_page():
    [receipt] = decode_receipts(INIT + CP858 + b"Caf\x82 \xd5 M\x81ller\n" + CUT)

    assert receipt.text == "Café € Müller"
    assert receipt.code_pages == ["cp858"]
    assert receipt.is_cut is True


def test_after_a_reset_the_printer_is_back_on_its_default_code_page():
    [receipt] = decode_receipts(INIT + CP858 + b"\xd5\n" + INIT + b"\xd5\n" + CUT)

    assert receipt.text == "€\n╒"


def test_a_font_switch_falls_back_to_the_default_code_page():
    [receipt] = decode_receipts(INIT + CP858 + b"\x1bM\x01\xd5\n" + CUT)

    assert receipt.text == "╒"


def test_it_catches_the_code_page_bug_of_python_escpos_3_1():
    """Without the driver's workaround, "€" after a reset prints as another glyph."""
    printer = Dummy(profile="TM-T88V")
    printer.charcode("CP858")
    printer.text("€\n")
    printer.hw("INIT")
    printer.text("€\n")

    [receipt] = decode_receipts(printer.output)

    assert receipt.text == "€\n╒"


def test_a_command_split_across_two_chunks_is_decoded():
    decoder = EscposDecoder()

    first = decoder.feed(INIT + b"\x1b")
    second = decoder.feed(b"t\x13\xd5\n\x1dV")
    third = decoder.feed(b"\x00")

    assert (first, second) == ([], [])
    assert [event.text for event in third if isinstance(event, DecodedReceipt)] == ["€"]


def test_status_queries_are_reported_as_they_come():
    decoder = EscposDecoder()

    events = decoder.feed(b"\x10\x04\x01\x10\x04\x04\x1dr\x01")

    assert events == [
        StatusQuery(b"\x10\x04\x01"),
        StatusQuery(b"\x10\x04\x04"),
        StatusQuery(b"\x1dr\x01"),
    ]
    assert [
        (query.kind, query.number) for query in events if isinstance(query, StatusQuery)
    ] == [
        ("dle_eot", 1),
        ("dle_eot", 4),
        ("gs_r", 1),
    ]


def test_styles_are_kept_per_line():
    data = (
        INIT
        + b"\x1ba\x01\x1d!\x33\x1bE\x01"
        + b"42\n"
        + b"\x1ba\x00\x1d!\x00\x1bE\x00ok\n"
        + CUT
    )

    [receipt] = decode_receipts(data)

    assert receipt.lines == [
        PrintedLine("42", bold=True, width=4, height=4, align="center"),
        PrintedLine("ok"),
    ]


def test_print_mode_sets_bold_and_double_size():
    [receipt] = decode_receipts(INIT + b"\x1b!\x38big\n\x1b!\x00small\n" + CUT)

    assert [(line.bold, line.width, line.height) for line in receipt.lines] == [
        (True, 2, 2),
        (False, 1, 1),
    ]


def test_a_raster_image_is_kept_with_its_size():
    image = b"\x1dv0\x00\x02\x00\x03\x00" + bytes(range(6))

    [receipt] = decode_receipts(INIT + image + CUT)

    assert receipt.blocks == [
        PrintedImage(width_bytes=2, height=3, data=bytes(range(6)))
    ]


def test_barcodes_and_drawer_kicks_are_recorded():
    data = (
        INIT
        + b"\x1dk\x02301762042200\x00"
        + b"\x1dkI\x04ABCD"
        + b"\x1bp\x00\x19\xfa"
        + CUT
    )

    [receipt] = decode_receipts(data)

    assert receipt.blocks == [PrintedBarcode("301762042200"), PrintedBarcode("ABCD")]
    assert receipt.drawer_kicks == 1


def test_a_receipt_without_a_cut_ends_with_the_data():
    [receipt] = decode_receipts(INIT + CP858 + b"no cutter\n")

    assert (receipt.text, receipt.is_cut) == ("no cutter", False)


def test_several_receipts_in_one_stream():
    receipts = decode_receipts(INIT + b"one\n" + CUT + INIT + b"two\n" + CUT)

    assert [receipt.text for receipt in receipts] == ["one", "two"]


def test_nothing_printed_is_no_receipt():
    decoder = EscposDecoder()
    decoder.feed(INIT + CP858)

    assert decoder.finish() is None


def test_an_unknown_code_page_number_is_reported():
    [receipt] = decode_receipts(INIT + b"\x1bt\x63x\n" + CUT)

    assert receipt.unknown_commands == ["ESC t 99"]
