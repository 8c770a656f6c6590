"""The messages between a hardware agent and the server, on `/ws/device/`.

JSON objects with a "type", intent-level only: the server never sends printer
bytes or commands to run, the agent never sends anything but what its devices
did. In order:

    agent  → hello         {"token", "agent": {"version", "printer_profile", …}}
    server → welcome       {"kiosk", "device"}       (or a close, code below;
                                                     "kiosk" is empty for a
                                                     store's own printer)
    agent  → status        {"scanner": {"state", "detail"}, "printer": {…}}
    agent  → scan          {"code"}
    server → print_receipt {"job", "receipt"}        (hardware.receipt)
    agent  → job_claim     {"job"}                   just before printing
    server → job_claim_answer {"job", "is_granted", "reason"}
    agent  → job_result    {"job", "outcome", "reason"}

A job is printed only after the server granted its claim, and the server
grants a claim once: a receipt never prints twice on its own.
"""

from __future__ import annotations

import json
from typing import Any

HELLO = "hello"
WELCOME = "welcome"
STATUS = "status"
SCAN = "scan"
PRINT_RECEIPT = "print_receipt"
JOB_CLAIM = "job_claim"
JOB_CLAIM_ANSWER = "job_claim_answer"
JOB_RESULT = "job_result"

# Websocket close codes (4000–4999 are the application's).
CLOSE_BAD_MESSAGE = 4400
CLOSE_TOKEN_REFUSED = 4401
CLOSE_BROWSER_ORIGIN = 4403
CLOSE_REPLACED = 4409
CLOSE_TOKEN_ROTATED = 4410

CLOSE_REASONS = {
    CLOSE_BAD_MESSAGE: "malformed or unexpected message",
    CLOSE_TOKEN_REFUSED: "device token refused",
    CLOSE_BROWSER_ORIGIN: "browser origin refused",
    CLOSE_REPLACED: "another agent connected with this device's token",
    CLOSE_TOKEN_ROTATED: "the device token was rotated",
}

MAX_MESSAGE_CHARACTERS = 64 * 1024
MAX_CODE_CHARACTERS = 256


class ProtocolError(ValueError):
    pass


def message_encode(message_type: str, **fields: Any) -> str:
    return json.dumps({"type": message_type, **fields}, separators=(",", ":"))


def message_decode(text: str | None) -> dict[str, Any]:
    """A message as a dict with a text "type"; raises ProtocolError otherwise."""
    if text is None or len(text) > MAX_MESSAGE_CHARACTERS:
        raise ProtocolError("empty or oversized message")
    try:
        data = json.loads(text)
    except (ValueError, RecursionError) as err:
        # RecursionError: JSON nested deeper than the parser goes.
        raise ProtocolError("not JSON") from err
    if not isinstance(data, dict) or not isinstance(data.get("type"), str):
        raise ProtocolError("not an object with a type")
    return data


def text_field(message: dict[str, Any], key: str, *, limit: int = 200) -> str:
    value = message.get(key, "")
    if not isinstance(value, str):
        raise ProtocolError(f"{key} must be text")
    return value[:limit]


def job_field(message: dict[str, Any]) -> int:
    value = message.get("job")
    if not isinstance(value, int) or isinstance(value, bool) or value <= 0:
        raise ProtocolError("job must be a positive number")
    return value
