"""The Terminal API messages the kiosk writes and reads, without a terminal."""

from __future__ import annotations

import base64
import json
from datetime import UTC, datetime
from decimal import Decimal

import pytest

from kiosk.payments.adyen import messages
from kiosk.payments.base import TerminalStatus, TerminalUnavailable


def test_a_payments_service_id_is_derived_from_its_attempt():
    first = messages.service_id_for("3f2a9c")

    assert first == messages.service_id_for("3f2a9c")
    assert first != messages.service_id_for("3f2a9d")
    assert len(first) == 10


def test_other_requests_get_a_fresh_service_id():
    ids = {messages.service_id_new() for _ in range(50)}

    assert len(ids) == 50
    assert {len(service_id) for service_id in ids} == {10}


@pytest.mark.parametrize(
    ("amount", "currency", "written"),
    [
        (1250, "EUR", "12.50"),
        (5, "EUR", "0.05"),
        (1250, "JPY", "1250"),
        (1250, "KWD", "1.250"),
    ],
)
def test_the_amount_is_a_json_number_in_major_units(amount, currency, written):
    request = messages.payment_request(
        attempt_key="k",
        sale_id="kiosk-1",
        poiid="P400Plus-1",
        reference="A-1",
        amount=amount,
        currency=currency,
        now=datetime(2026, 12, 4, 12, 0, tzinfo=UTC),
    )

    text = messages.encode(request).decode()

    assert f'"RequestedAmount": {written}}}' in text
    amounts = json.loads(text, parse_float=Decimal)["SaleToPOIRequest"][
        "PaymentRequest"
    ]
    assert amounts["PaymentTransaction"]["AmountsReq"]["RequestedAmount"] == Decimal(
        written
    )


def test_the_header_names_the_kiosk_and_the_terminal():
    request = messages.status_request(attempt_key="k", sale_id="kiosk-1", poiid="P1")

    header = request["SaleToPOIRequest"]["MessageHeader"]
    reference = request["SaleToPOIRequest"]["TransactionStatusRequest"][
        "MessageReference"
    ]
    assert header["ProtocolVersion"] == "3.0"
    assert header["MessageClass"] == "Service"
    assert header["MessageCategory"] == "TransactionStatus"
    assert header["MessageType"] == "Request"
    assert (header["SaleID"], header["POIID"]) == ("kiosk-1", "P1")
    assert reference == {
        "MessageCategory": "Payment",
        "ServiceID": messages.service_id_for("k"),
        "SaleID": "kiosk-1",
    }


def test_additional_response_in_base64_json_is_read():
    encoded = base64.b64encode(
        json.dumps(
            {"additionalData": {"cardType": "visa", "pspReference": "P1"}}
        ).encode()
    ).decode()

    assert messages.additional_response(encoded) == {
        "cardType": "visa",
        "pspReference": "P1",
    }


def test_additional_response_url_encoded_is_read():
    value = "cardType=mc&applicationLabel=MASTERCARD%20DEBIT&AID=A0000000041010"

    assert messages.additional_response(value) == {
        "cardType": "mc",
        "applicationLabel": "MASTERCARD DEBIT",
        "AID": "A0000000041010",
    }


def test_a_refusal_is_declined_with_its_message():
    result = messages.payment_result(
        {
            "Response": {
                "Result": "Failure",
                "ErrorCondition": "Refusal",
                "AdditionalResponse": "refusalReason=Refused&message=NOT%20ENOUGH%20BALANCE",
            }
        }
    )

    assert result.status == TerminalStatus.DECLINED
    assert result.message == "NOT ENOUGH BALANCE"


def test_a_partial_approval_is_not_taken_as_paid():
    result = messages.payment_result({"Response": {"Result": "Partial"}})

    assert result.status == TerminalStatus.FAILED


def test_a_status_without_its_body_leaves_the_outcome_unknown():
    with pytest.raises(TerminalUnavailable):
        messages.status_result({"SaleToPOIResponse": {"MessageHeader": {}}})


def test_an_answer_that_is_not_json_leaves_the_outcome_unknown():
    with pytest.raises(TerminalUnavailable):
        messages.decode(b"<html>Bad gateway</html>")
