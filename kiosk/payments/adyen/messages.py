"""The Terminal API (nexo Sale to POI) messages the kiosk sends and reads.

Every Adyen JSON shape of the kiosk is here: requests are built as plain
dicts, answers are read into the contract's `TerminalResult`. Amounts travel
as JSON numbers in major units, written from `Decimal` (never a float).
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import json
import re
import secrets
import string
from datetime import datetime
from decimal import Decimal
from typing import Any
from urllib.parse import parse_qsl

from kiosk.payments.base import (
    CardDetails,
    TerminalResult,
    TerminalStatus,
    TerminalUnavailable,
)

PROTOCOL_VERSION = "3.0"
SERVICE_ID_LENGTH = 10
_ALPHABET = string.digits + string.ascii_lowercase
# ISO 4217 currencies whose minor unit is not the cent.
_EXPONENTS = {"JPY": 0, "KRW": 0, "ISK": 0, "CLP": 0, "BHD": 3, "KWD": 3, "JOD": 3}

DECLINED_CONDITIONS = {
    "Refusal",
    "WrongPIN",
    "InvalidCard",
    "PaymentRestriction",
    "NotAllowed",
}
CANCELLED_CONDITIONS = {"Cancel", "Aborted"}

Message = dict[str, Any]


class PaymentNotFound(Exception):
    """The terminal has no payment under that ServiceID."""


def service_id_for(attempt_key: str) -> str:
    """The payment's ServiceID, derived from the attempt: a lost answer can be found again."""
    number = int.from_bytes(hashlib.sha256(attempt_key.encode()).digest()[:8], "big")
    return _base36(number)[-SERVICE_ID_LENGTH:].rjust(SERVICE_ID_LENGTH, "0")


def service_id_new() -> str:
    """A fresh ServiceID for a status, abort or diagnosis request."""
    return "".join(secrets.choice(_ALPHABET) for _ in range(SERVICE_ID_LENGTH))


def _base36(number: int) -> str:
    digits = ""
    while number:
        number, digit = divmod(number, 36)
        digits = _ALPHABET[digit] + digits
    return digits or "0"


def major_units(amount: int, currency: str) -> Decimal:
    exponent = _EXPONENTS.get(currency.upper(), 2)
    return Decimal(amount).scaleb(-exponent)


def minor_units(amount: object, currency: str) -> int:
    exponent = _EXPONENTS.get(currency.upper(), 2)
    return int(Decimal(str(amount)).scaleb(exponent))


def _header(category: str, *, service_id: str, sale_id: str, poiid: str) -> Message:
    return {
        "ProtocolVersion": PROTOCOL_VERSION,
        "MessageClass": "Service",
        "MessageCategory": category,
        "MessageType": "Request",
        "ServiceID": service_id,
        "SaleID": sale_id,
        "POIID": poiid,
    }


def _reference(payment_service_id: str, sale_id: str) -> Message:
    return {
        "MessageCategory": "Payment",
        "ServiceID": payment_service_id,
        "SaleID": sale_id,
    }


def payment_request(
    *,
    attempt_key: str,
    sale_id: str,
    poiid: str,
    reference: str,
    amount: int,
    currency: str,
    now: datetime,
) -> Message:
    header = _header(
        "Payment", service_id=service_id_for(attempt_key), sale_id=sale_id, poiid=poiid
    )
    return {
        "SaleToPOIRequest": {
            "MessageHeader": header,
            "PaymentRequest": {
                "SaleData": {
                    "SaleTransactionID": {
                        "TransactionID": reference,
                        "TimeStamp": now.isoformat(timespec="seconds"),
                    },
                    "SaleReferenceID": attempt_key,
                    "SaleToAcquirerData": f"metadata.attemptKey={attempt_key}",
                },
                "PaymentTransaction": {
                    "AmountsReq": {
                        "Currency": currency.upper(),
                        "RequestedAmount": major_units(amount, currency),
                    }
                },
            },
        }
    }


def status_request(*, attempt_key: str, sale_id: str, poiid: str) -> Message:
    header = _header(
        "TransactionStatus", service_id=service_id_new(), sale_id=sale_id, poiid=poiid
    )
    body = {"MessageReference": _reference(service_id_for(attempt_key), sale_id)}
    return {
        "SaleToPOIRequest": {"MessageHeader": header, "TransactionStatusRequest": body}
    }


def abort_request(*, attempt_key: str, sale_id: str, poiid: str) -> Message:
    header = _header("Abort", service_id=service_id_new(), sale_id=sale_id, poiid=poiid)
    body = {
        "AbortReason": "MerchantAbort",
        "MessageReference": _reference(service_id_for(attempt_key), sale_id),
    }
    return {"SaleToPOIRequest": {"MessageHeader": header, "AbortRequest": body}}


def diagnosis_request(*, sale_id: str, poiid: str) -> Message:
    header = _header(
        "Diagnosis", service_id=service_id_new(), sale_id=sale_id, poiid=poiid
    )
    return {
        "SaleToPOIRequest": {
            "MessageHeader": header,
            "DiagnosisRequest": {"HostDiagnosisFlag": True},
        }
    }


_DECIMAL = re.compile(r'"\\u0000decimal:([0-9.\-]+)"')


def encode(message: Message) -> bytes:
    """The message as JSON, with its decimal amounts written as JSON numbers."""

    def default(value: object) -> str:
        if isinstance(value, Decimal):
            return f"\0decimal:{value}"
        raise TypeError(f"{type(value).__name__} is not JSON")

    text = json.dumps(message, default=default)
    return _DECIMAL.sub(r"\1", text).encode()


def decode(raw: bytes) -> Message:
    """An answer's JSON object; TerminalUnavailable when it is not one."""
    try:
        data = json.loads(raw, parse_float=Decimal)
    except (UnicodeDecodeError, json.JSONDecodeError) as err:
        raise TerminalUnavailable("the terminal answered something unreadable") from err
    if not isinstance(data, dict):
        raise TerminalUnavailable("the terminal answered something unreadable")
    return data


def additional_response(value: object) -> dict[str, str]:
    """`AdditionalResponse`: URL-encoded key=value pairs, or Base64 of a JSON object."""
    if not isinstance(value, str) or not value:
        return {}
    if "=" in value.rstrip("=") or "&" in value:
        return dict(parse_qsl(value, keep_blank_values=True))
    try:
        data = json.loads(base64.b64decode(value, validate=True))
    except (binascii.Error, ValueError):
        return {}
    if isinstance(data, dict) and isinstance(data.get("additionalData"), dict):
        data = data["additionalData"]
    if not isinstance(data, dict):
        return {}
    return {str(k): str(v) for k, v in data.items()}


def _get(data: object, *path: str) -> Any:
    for name in path:
        if not isinstance(data, dict):
            return None
        data = data.get(name)
    return data


def _text(data: object, *path: str) -> str:
    value = _get(data, *path)
    return value if isinstance(value, str) else ""


def payment_result(response: Message) -> TerminalResult:
    """A `PaymentResponse` body read as the contract's final result."""
    result = _text(response, "Response", "Result")
    extra = additional_response(_get(response, "Response", "AdditionalResponse"))
    if result == "Success":
        return _approved(response, extra)
    condition = _text(response, "Response", "ErrorCondition")
    message = extra.get("message") or extra.get("refusalReason") or condition
    if result == "Partial":
        # The kiosk never allows a partial authorisation (see `assumptions`).
        return TerminalResult(
            TerminalStatus.FAILED, message="Partially approved: refund at the counter"
        )
    if condition in DECLINED_CONDITIONS:
        return TerminalResult(TerminalStatus.DECLINED, message=message or "Declined")
    if condition in CANCELLED_CONDITIONS:
        return TerminalResult(TerminalStatus.CANCELLED, message=message or "Cancelled")
    return TerminalResult(TerminalStatus.FAILED, message=message or "Failed")


def _approved(response: Message, extra: dict[str, str]) -> TerminalResult:
    card_data = _get(response, "PaymentResult", "PaymentInstrumentData", "CardData")
    acquirer = _get(response, "PaymentResult", "PaymentAcquirerData")
    poi_transaction = _text(response, "POIData", "POITransactionID", "TransactionID")
    psp_reference = extra.get("pspReference") or poi_transaction.rpartition(".")[2]
    entry_modes = _get(card_data, "EntryMode")
    brand = _text(card_data, "PaymentBrand") or extra.get("cardType", "")
    auth_code = _text(acquirer, "ApprovalCode") or extra.get("authCode", "")
    card = CardDetails(
        brand=brand,
        masked_pan=_text(card_data, "MaskedPan") or extra.get("cardSummary", ""),
        application_label=extra.get("applicationLabel", ""),
        aid=extra.get("AID", ""),
        auth_code=auth_code,
        terminal_id=_text(acquirer, "AcquirerPOIID"),
        transaction_reference=poi_transaction
        or _text(acquirer, "AcquirerTransactionID", "TransactionID"),
        entry_mode=extra.get("posEntryMode")
        or (entry_modes[0] if isinstance(entry_modes, list) and entry_modes else ""),
    )
    return TerminalResult(
        TerminalStatus.APPROVED,
        reference=psp_reference,
        card_brand=brand,
        auth_code=auth_code,
        card=card,
    )


def status_result(answer: Message) -> TerminalResult:
    """A `TransactionStatusResponse` read: PENDING while in progress.

    Raises PaymentNotFound when the terminal has no such payment, and
    TerminalUnavailable for anything else it could not tell.
    """
    body = _get(answer, "SaleToPOIResponse", "TransactionStatusResponse")
    if not isinstance(body, dict):
        raise TerminalUnavailable("the terminal gave no transaction status")
    if _text(body, "Response", "Result") == "Success":
        payment = _get(
            body,
            "RepeatedMessageResponse",
            "RepeatedResponseMessageBody",
            "PaymentResponse",
        )
        if not isinstance(payment, dict):
            raise TerminalUnavailable("the transaction status holds no payment")
        return payment_result(payment)
    condition = _text(body, "Response", "ErrorCondition")
    if condition == "InProgress":
        return TerminalResult(TerminalStatus.PENDING)
    if condition == "NotFound":
        raise PaymentNotFound()
    raise TerminalUnavailable(f"the terminal could not tell the status ({condition})")


def status_amount(answer: Message) -> tuple[int, str]:
    """The authorised amount (minor units) and currency of a status answer; 0 when none."""
    amounts = _get(
        answer,
        "SaleToPOIResponse",
        "TransactionStatusResponse",
        "RepeatedMessageResponse",
        "RepeatedResponseMessageBody",
        "PaymentResponse",
        "PaymentResult",
        "AmountsResp",
    )
    currency = _text(amounts, "Currency")
    authorised = _get(amounts, "AuthorizedAmount")
    if not currency or not isinstance(authorised, int | Decimal):
        return 0, currency
    return minor_units(authorised, currency), currency


def payment_response(answer: Message) -> TerminalResult:
    """The answer of a synchronous PaymentRequest."""
    body = _get(answer, "SaleToPOIResponse", "PaymentResponse")
    if not isinstance(body, dict):
        raise TerminalUnavailable("the terminal gave no payment response")
    return payment_result(body)


def diagnosis_ok(answer: Message) -> tuple[bool, str]:
    body = _get(answer, "SaleToPOIResponse", "DiagnosisResponse")
    if not isinstance(body, dict):
        return False, "The terminal gave no diagnosis."
    if _text(body, "Response", "Result") == "Success":
        return True, "The terminal answers."
    condition = _text(body, "Response", "ErrorCondition") or "unknown error"
    return False, f"The terminal reports a problem: {condition}."


def rejection(answer: Message) -> str | None:
    """The terminal's refusal of a message it could not take (an event, no answer)."""
    event = _get(answer, "SaleToPOIRequest", "EventNotification")
    if isinstance(event, dict) and _text(event, "EventToNotify") == "Reject":
        details = _text(event, "EventDetails")
        return additional_response(details).get("message") or details or "rejected"
    return None
