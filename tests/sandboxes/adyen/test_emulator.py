"""The Adyen sandbox as Adyen's own library and a terminal's screen see it."""

from __future__ import annotations

import json
import time
from typing import Any

import Adyen  # type: ignore[import-untyped]  # the library has no annotations
import pytest
import requests

from kiosk.payments.adyen import crypto as kiosk_crypto
from sandboxes.adyen import crypto as sandbox_crypto
from sandboxes.adyen.emulator import API_KEY, MERCHANT_ACCOUNT

POIID = "V400m-324688179"


def message(
    category: str, service_id: str, body_name: str, body: dict[str, Any]
) -> dict[str, Any]:
    header = {
        "ProtocolVersion": "3.0",
        "MessageClass": "Service",
        "MessageCategory": category,
        "MessageType": "Request",
        "ServiceID": service_id,
        "SaleID": "kiosk-1",
        "POIID": POIID,
    }
    return {"SaleToPOIRequest": {"MessageHeader": header, body_name: body}}


def payment(service_id: str = "pay1") -> dict[str, Any]:
    return message(
        "Payment",
        service_id,
        "PaymentRequest",
        {
            "SaleData": {
                "SaleTransactionID": {
                    "TransactionID": "A-1",
                    "TimeStamp": "2026-12-04T12:00:00Z",
                }
            },
            "PaymentTransaction": {
                "AmountsReq": {"Currency": "EUR", "RequestedAmount": 3.5}
            },
        },
    )


def post(
    sandbox, path: str, body: dict[str, Any], key: str = API_KEY
) -> requests.Response:
    return requests.post(
        sandbox.base_url + path, json=body, headers={"X-API-Key": key}, timeout=5
    )


def adyen_checkout(sandbox, api_key: str = API_KEY):
    client = Adyen.Adyen(xapikey=api_key, platform="test", http_timeout=5)
    service = client.checkout.modifications_api
    service.baseUrl = sandbox.base_url + "/checkout/v72"
    return service


def approved_psp_reference(sandbox) -> str:
    assert post(sandbox, "/async", payment()).text == "ok"
    return str(sandbox.terminal_action(POIID, "approve")["payment"]["psp_reference"])


def test_adyens_library_refunds_once_per_idempotency_key(adyen_sandbox):
    psp = approved_psp_reference(adyen_sandbox)
    service = adyen_checkout(adyen_sandbox)
    request = {
        "merchantAccount": MERCHANT_ACCOUNT,
        "amount": {"value": 350, "currency": "EUR"},
        "reference": "refund-A-1",
    }

    first = service.refund_captured_payment(request, psp, idempotency_key="r-1")
    again = service.refund_captured_payment(request, psp, idempotency_key="r-1")
    other = service.refund_captured_payment(request, psp, idempotency_key="r-2")

    assert first.status_code == 201
    assert first.message["status"] == "received"
    assert first.message["paymentPspReference"] == psp
    assert again.message == first.message
    assert other.message["pspReference"] != first.message["pspReference"]
    assert len(adyen_sandbox.refunds()) == 2


def test_adyens_library_sees_a_wrong_api_key_refused(adyen_sandbox):
    psp = approved_psp_reference(adyen_sandbox)
    service = adyen_checkout(adyen_sandbox, api_key="wrong")

    with pytest.raises(Adyen.AdyenAPIAuthenticationError):
        service.refund_captured_payment(
            {
                "merchantAccount": MERCHANT_ACCOUNT,
                "amount": {"value": 1, "currency": "EUR"},
            },
            psp,
        )


def test_a_synchronous_payment_answers_when_the_customer_is_done(adyen_sandbox):
    adyen_sandbox.faults(auto_approve_ms=100)
    began = time.monotonic()

    answer = post(adyen_sandbox, "/sync", payment()).json()

    body = answer["SaleToPOIResponse"]["PaymentResponse"]
    assert body["Response"]["Result"] == "Success"
    assert body["PaymentResult"]["AmountsResp"] == {
        "AuthorizedAmount": 3.5,
        "Currency": "EUR",
    }
    assert answer["SaleToPOIResponse"]["MessageHeader"]["MessageType"] == "Response"
    assert time.monotonic() - began >= 0.1


def test_a_second_payment_on_a_busy_terminal_is_refused(adyen_sandbox):
    post(adyen_sandbox, "/async", payment("pay1"))

    answer = post(adyen_sandbox, "/sync", payment("pay2")).json()

    response = answer["SaleToPOIResponse"]["PaymentResponse"]["Response"]
    assert response == {"Result": "Failure", "ErrorCondition": "Busy"}


def test_a_service_id_longer_than_ten_characters_is_rejected(adyen_sandbox):
    answer = post(adyen_sandbox, "/sync", payment("12345678901")).json()

    event = answer["SaleToPOIRequest"]["EventNotification"]
    assert event["EventToNotify"] == "Reject"
    assert adyen_sandbox.payments() == []


def test_the_cloud_refuses_a_wrong_api_key(adyen_sandbox):
    assert post(adyen_sandbox, "/async", payment(), key="wrong").status_code == 401
    assert adyen_sandbox.payments() == []


def test_the_screen_shows_the_amount_and_may_be_framed(adyen_sandbox):
    post(adyen_sandbox, "/async", payment())

    response = requests.get(
        f"{adyen_sandbox.base_url}/_sandbox/terminal/{POIID}/screen", timeout=5
    )

    assert response.status_code == 200
    assert "X-Frame-Options" not in response.headers
    assert "3.50 EUR" in response.text
    assert "Present card" in response.text


def test_a_button_of_the_screen_plays_the_customer(adyen_sandbox):
    post(adyen_sandbox, "/async", payment())

    response = requests.post(
        f"{adyen_sandbox.base_url}/_sandbox/terminal/{POIID}/action",
        data={"action": "decline"},
        timeout=5,
        allow_redirects=False,
    )

    assert response.status_code == 302
    assert response.headers["Location"] == f"/_sandbox/terminal/{POIID}/screen"
    assert adyen_sandbox.payments()[0]["state"] == "declined"


def test_the_kiosks_encryption_is_read_by_the_terminal_and_back():
    key = kiosk_crypto.SharedKey(
        identifier=sandbox_crypto.SHARED_KEY.identifier,
        passphrase=sandbox_crypto.SHARED_KEY.passphrase,
        version=sandbox_crypto.SHARED_KEY.version,
    )
    text = json.dumps(payment()).encode()

    sent = kiosk_crypto.nexo_encrypt(text, key=key)
    received = sandbox_crypto.decrypt(sent["SaleToPOIRequest"])
    answered = sandbox_crypto.encrypt(received, {"MessageType": "Response"})

    assert received == text
    assert kiosk_crypto.nexo_decrypt(answered, key=key) == text
    assert sent["SaleToPOIRequest"]["MessageHeader"]["ServiceID"] == "pay1"


def test_a_message_under_another_passphrase_does_not_verify():
    key = kiosk_crypto.SharedKey(
        identifier=sandbox_crypto.SHARED_KEY.identifier, passphrase="another", version=1
    )

    sent = kiosk_crypto.nexo_encrypt(json.dumps(payment()).encode(), key=key)

    with pytest.raises(sandbox_crypto.CryptoFailure):
        sandbox_crypto.decrypt(sent["SaleToPOIRequest"])
