from __future__ import annotations

import pytest

from hardware.receipt import ReceiptError, receipt_from_dict, receipt_to_dict


def test_a_receipt_survives_the_trip_to_the_agent(receipt):
    assert receipt_from_dict(receipt_to_dict(receipt)) == receipt


def test_missing_optional_parts_take_their_defaults():
    receipt = receipt_from_dict({"store_name": "Store", "order_number": "7"})

    assert (receipt.lines, receipt.loyalty, receipt.labels.total) == ([], None, "Total")


@pytest.mark.parametrize(
    ("data", "message"),
    [
        ("not an object", "receipt must be an object"),
        ({"order_number": "7"}, "store_name must be text"),
        ({"store_name": "S", "order_number": 7}, "order_number must be text"),
        ({"store_name": "S", "order_number": "7", "lines": {}}, "lines must be a list"),
        (
            {
                "store_name": "S",
                "order_number": "7",
                "lines": [{"name": "x", "depth": 0}],
            },
            "quantity must be a whole number",
        ),
        (
            {"store_name": "S", "order_number": "7", "details": [1]},
            "details must be a list of texts",
        ),
        (
            {
                "store_name": "S",
                "order_number": "7",
                "loyalty": {"member_first_name": "Zoë", "points_earned": "ten"},
            },
            "points_earned must be a whole number",
        ),
    ],
)
def test_a_malformed_receipt_is_refused(data, message):
    with pytest.raises(ReceiptError, match=message):
        receipt_from_dict(data)


def test_the_programmes_text_survives_the_trip_to_the_agent(receipt):
    from dataclasses import replace

    from hardware.receipt import ReceiptProgrammeText

    with_text = replace(
        receipt,
        programme_text=ReceiptProgrammeText(
            header="Burger King France", lines=["Transaction ID: t-1"], footer="Bye"
        ),
    )

    assert receipt_from_dict(receipt_to_dict(with_text)) == with_text
