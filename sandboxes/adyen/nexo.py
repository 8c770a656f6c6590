"""The emulated terminal's answers to Terminal API requests.

`terminal_serve` takes one clear `SaleToPOIRequest` and returns the work
that produces its answer, run once the sandbox's request transaction is
over: a synchronous payment waits there for the customer.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlencode

from sandboxes.adyen.state import Payment, PaymentState, TerminalMode, Terminals

# Adyen ends a payment after about 150 s in the cloud; the emulator likewise.
PAYMENT_WAIT_S = 150.0
SILENT_WAIT_S = 300.0

# The emulated test card (a Mastercard, as Adyen's test cards).
TEST_CARD = {
    "brand": "mc",
    "masked_pan": "541333 **** 9999",
    "application_label": "MASTERCARD",
    "aid": "A0000000041010",
    "entry_mode": "Contactless",
    "pos_entry_mode": "CLESS_CHIP",
    "approval_code": "123456",
}

Answer = dict[str, Any] | None
Work = Callable[[], Answer]


class Rejected(Exception):
    """A message the terminal cannot take: answered with a Reject event."""


def reject_event(details: str) -> dict[str, Any]:
    return {
        "SaleToPOIRequest": {
            "EventNotification": {
                "EventToNotify": "Reject",
                "EventDetails": urlencode({"message": details}),
            }
        }
    }


def _header(request_header: dict[str, Any]) -> dict[str, Any]:
    return {**request_header, "MessageType": "Response"}


def _result(result: str, condition: str = "", **extra: str) -> dict[str, Any]:
    response: dict[str, Any] = {"Result": result}
    if condition:
        response["ErrorCondition"] = condition
    if extra:
        response["AdditionalResponse"] = urlencode(extra)
    return response


def payment_body(payment: Payment) -> dict[str, Any]:
    """The PaymentResponse of a finished payment."""
    sale = {
        "SaleTransactionID": {
            "TransactionID": payment.transaction_id,
            "TimeStamp": payment.timestamp,
        }
    }
    poi = {
        "POITransactionID": {
            "TransactionID": f"TND{payment.number:06d}.{payment.psp_reference or 'NONE'}",
            "TimeStamp": payment.timestamp,
        }
    }
    if payment.state == PaymentState.DECLINED:
        response = _result(
            "Failure", "Refusal", refusalReason="Refused", message="DECLINED"
        )
        return {"Response": response, "SaleData": sale, "POIData": poi}
    if payment.state in (PaymentState.CANCELLED, PaymentState.ABORTED):
        condition = "Cancel" if payment.state == PaymentState.CANCELLED else "Aborted"
        response = _result("Failure", condition, message=condition.upper())
        return {"Response": response, "SaleData": sale, "POIData": poi}
    response = _result(
        "Success",
        cardType=TEST_CARD["brand"],
        applicationLabel=TEST_CARD["application_label"],
        AID=TEST_CARD["aid"],
        posEntryMode=TEST_CARD["pos_entry_mode"],
        pspReference=payment.psp_reference,
        authCode=TEST_CARD["approval_code"],
    )
    result = {
        "PaymentInstrumentData": {
            "PaymentInstrumentType": "Card",
            "CardData": {
                "PaymentBrand": TEST_CARD["brand"],
                "MaskedPan": TEST_CARD["masked_pan"],
                "EntryMode": [TEST_CARD["entry_mode"]],
            },
        },
        "AmountsResp": {
            "AuthorizedAmount": float(payment.amount),
            "Currency": payment.currency,
        },
        "PaymentAcquirerData": {
            "MerchantID": "KioskSandboxPOS",
            "AcquirerPOIID": payment.poiid,
            "ApprovalCode": TEST_CARD["approval_code"],
            "AcquirerTransactionID": {
                "TransactionID": payment.psp_reference,
                "TimeStamp": payment.timestamp,
            },
        },
    }
    return {
        "Response": response,
        "SaleData": sale,
        "POIData": poi,
        "PaymentResult": result,
    }


def _text(data: object, name: str) -> str:
    value = data.get(name) if isinstance(data, dict) else None
    return value if isinstance(value, str) else ""


def _header_check(header: object) -> dict[str, Any]:
    if not isinstance(header, dict):
        raise Rejected("MessageHeader missing")
    for name in ("MessageCategory", "ServiceID", "SaleID", "POIID"):
        if not _text(header, name):
            raise Rejected(f"{name} missing")
    if len(header["ServiceID"]) > 10:
        raise Rejected("ServiceID longer than 10 characters")
    return header


def terminal_serve(
    message: object,
    *,
    terminals: Terminals,
    auto_approve_ms: int,
    is_async: bool,
    clock_iso: str,
) -> Work:
    """The work answering one request; raises Rejected for a malformed one."""
    request = message.get("SaleToPOIRequest") if isinstance(message, dict) else None
    if not isinstance(request, dict):
        raise Rejected("SaleToPOIRequest missing")
    header = _header_check(request.get("MessageHeader"))
    if terminals.mode(header["POIID"]) == TerminalMode.SILENT:
        return lambda: terminals.wait_forever(SILENT_WAIT_S)
    if "PaymentRequest" in request:
        return _payment(
            header,
            request["PaymentRequest"],
            terminals=terminals,
            auto_approve_ms=auto_approve_ms,
            is_async=is_async,
            clock_iso=clock_iso,
        )
    if "TransactionStatusRequest" in request:
        answer = _status(header, request["TransactionStatusRequest"], terminals)
        return lambda: answer
    if "AbortRequest" in request:
        _abort(request["AbortRequest"], terminals)
        return lambda: None
    if "DiagnosisRequest" in request:
        body = {
            "Response": _result("Success"),
            "POIStatus": {"GlobalStatus": "OK"},
            "HostStatus": [{"AcquirerID": "sandbox", "IsReachableFlag": True}],
        }
        answer = {
            "SaleToPOIResponse": {
                "MessageHeader": _header(header),
                "DiagnosisResponse": body,
            }
        }
        return lambda: answer
    raise Rejected("unsupported request")


def _payment(
    header: dict[str, Any],
    body: object,
    *,
    terminals: Terminals,
    auto_approve_ms: int,
    is_async: bool,
    clock_iso: str,
) -> Work:
    key = (header["SaleID"], header["ServiceID"])
    with terminals.condition:
        payment = terminals.payments.get(key)
        busy = terminals.pending(header["POIID"])
        if payment is None and busy is not None:
            answer = {
                "SaleToPOIResponse": {
                    "MessageHeader": _header(header),
                    "PaymentResponse": {"Response": _result("Failure", "Busy")},
                }
            }
            return lambda: None if is_async else answer
        if payment is None:
            payment = _payment_create(header, body, terminals, clock_iso)
            terminals.payments[key] = payment
            if auto_approve_ms > 0:
                _auto_approve(terminals, payment, auto_approve_ms)
    if is_async:
        return lambda: None
    found = payment

    def wait() -> Answer:
        terminals.wait_final(found, PAYMENT_WAIT_S)
        with terminals.condition:
            if not found.is_final:
                return None
            body = payment_body(found)
        return {
            "SaleToPOIResponse": {
                "MessageHeader": _header(header),
                "PaymentResponse": body,
            }
        }

    return wait


def _payment_create(
    header: dict[str, Any], body: object, terminals: Terminals, clock_iso: str
) -> Payment:
    sale_data = body.get("SaleData") if isinstance(body, dict) else None
    transaction = (
        sale_data.get("SaleTransactionID") if isinstance(sale_data, dict) else None
    )
    transaction_obj = body.get("PaymentTransaction") if isinstance(body, dict) else None
    amounts = (
        transaction_obj.get("AmountsReq") if isinstance(transaction_obj, dict) else None
    )
    if not isinstance(amounts, dict) or not _text(transaction, "TransactionID"):
        raise Rejected("PaymentRequest incomplete")
    try:
        amount = Decimal(str(amounts.get("RequestedAmount")))
    except InvalidOperation as error:
        raise Rejected("RequestedAmount is not a number") from error
    return Payment(
        number=terminals.next_number(),
        sale_id=header["SaleID"],
        service_id=header["ServiceID"],
        poiid=header["POIID"],
        transaction_id=_text(transaction, "TransactionID"),
        sale_reference=_text(sale_data, "SaleReferenceID"),
        amount=amount,
        currency=_text(amounts, "Currency"),
        timestamp=clock_iso,
    )


def _auto_approve(terminals: Terminals, payment: Payment, delay_ms: int) -> None:
    def approve() -> None:
        with terminals.condition:
            terminals.settle(payment, PaymentState.APPROVED)

    timer = threading.Timer(delay_ms / 1000, approve)
    timer.daemon = True
    timer.start()


def _referenced(body: object, terminals: Terminals) -> Payment | None:
    reference = body.get("MessageReference") if isinstance(body, dict) else None
    key = (_text(reference, "SaleID"), _text(reference, "ServiceID"))
    return terminals.payments.get(key)


def _status(
    header: dict[str, Any], body: object, terminals: Terminals
) -> dict[str, Any]:
    with terminals.condition:
        payment = _referenced(body, terminals)
        if payment is None:
            status: dict[str, Any] = {"Response": _result("Failure", "NotFound")}
        elif not payment.is_final:
            status = {"Response": _result("Failure", "InProgress")}
        else:
            original = {
                "MessageClass": "Service",
                "MessageCategory": "Payment",
                "MessageType": "Response",
                "ServiceID": payment.service_id,
                "SaleID": payment.sale_id,
                "POIID": payment.poiid,
            }
            status = {
                "Response": _result("Success"),
                "RepeatedMessageResponse": {
                    "MessageHeader": original,
                    "RepeatedResponseMessageBody": {
                        "PaymentResponse": payment_body(payment)
                    },
                },
            }
    return {
        "SaleToPOIResponse": {
            "MessageHeader": _header(header),
            "TransactionStatusResponse": status,
        }
    }


def _abort(body: object, terminals: Terminals) -> None:
    with terminals.condition:
        payment = _referenced(body, terminals)
        if payment is None or payment.is_final:
            return
        if terminals.mode(payment.poiid) == TerminalMode.CARD_AFTER_ABORT:
            terminals.settle(payment, PaymentState.APPROVED)
        else:
            terminals.settle(payment, PaymentState.ABORTED)


def result_terminal(answer: Answer) -> str | None:
    """The POIID when `answer` carries a finished payment (a payment's or a status's)."""
    response = answer.get("SaleToPOIResponse") if answer else None
    if not isinstance(response, dict):
        return None
    payment = response.get("PaymentResponse")
    status = response.get("TransactionStatusResponse")
    if isinstance(payment, dict):
        if payment["Response"].get("ErrorCondition") == "Busy":
            return None
    elif not isinstance(status, dict) or status["Response"]["Result"] != "Success":
        return None
    return str(response["MessageHeader"]["POIID"])
