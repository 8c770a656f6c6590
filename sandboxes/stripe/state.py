"""What the emulated Stripe account holds, in memory: PaymentIntents, charges,
readers with their current action, refunds and webhook endpoints.

Every object is a plain dict shaped as Stripe's API returns it; the emulator
changes them under one lock. Like the Adyen emulator's, this state is lost
when the sandbox restarts.
"""

from __future__ import annotations

import itertools
import secrets
import string
import threading
import time
from dataclasses import dataclass, field
from enum import StrEnum
from typing import Any

Json = dict[str, Any]

_ALPHABET = string.ascii_letters + string.digits


def object_id(prefix: str) -> str:
    return prefix + "_" + "".join(secrets.choice(_ALPHABET) for _ in range(24))


class ReaderMode(StrEnum):
    NORMAL = "normal"
    # The card goes through even when the kiosk cancels the reader's action.
    CARD_AFTER_ABORT = "card_after_abort"
    # Stripe cannot reach the reader: its actions time out.
    SILENT = "silent"


@dataclass
class Account:
    lock: threading.RLock = field(default_factory=threading.RLock)
    intents: dict[str, Json] = field(default_factory=dict)
    charges: dict[str, Json] = field(default_factory=dict)
    readers: dict[str, Json] = field(default_factory=dict)
    refunds: dict[str, Json] = field(default_factory=dict)
    endpoints: dict[str, Json] = field(default_factory=dict)
    modes: dict[str, ReaderMode] = field(default_factory=dict)
    # Readers whose next answer carrying an authorised payment is cut.
    cut_answers: set[str] = field(default_factory=set)
    # When each reader's current action started (monotonic), for auto-approve.
    action_started: dict[str, float] = field(default_factory=dict)
    # (secret key, Idempotency-Key) → (path and body digest, first answer).
    replays: dict[tuple[str, str], tuple[str, Any]] = field(default_factory=dict)
    _numbers: itertools.count[int] = field(default_factory=lambda: itertools.count(1))

    def clear(self) -> None:
        with self.lock:
            for table in (
                self.intents,
                self.charges,
                self.readers,
                self.refunds,
                self.endpoints,
                self.modes,
                self.action_started,
                self.replays,
            ):
                table.clear()
            self.cut_answers.clear()
            self._numbers = itertools.count(1)

    def number(self) -> int:
        return next(self._numbers)

    def mode(self, reader_id: str) -> ReaderMode:
        return self.modes.get(reader_id, ReaderMode.NORMAL)

    def reader(self, reader_id: str) -> Json:
        """The reader, registered on first use (every `tmr_…` id is one)."""
        if reader_id not in self.readers:
            self.readers[reader_id] = {
                "id": reader_id,
                "object": "terminal.reader",
                "action": None,
                "device_sw_version": "2.42.0",
                "device_type": "simulated_wisepos_e",
                "ip_address": "127.0.0.1",
                "label": f"simulated-wpe-{reader_id[-6:]}",
                "last_seen_at": int(time.time() * 1000),
                "livemode": False,
                "location": "tml_sandbox",
                "metadata": {},
                "serial_number": f"simulated-wpe-{reader_id[-8:]}",
                "status": "online",
            }
        return self.readers[reader_id]

    def answer_is_cut(self, reader_id: str) -> bool:
        with self.lock:
            if reader_id not in self.cut_answers:
                return False
            self.cut_answers.discard(reader_id)
            return True

    def pending_reader_intent(self, reader_id: str) -> Json | None:
        """The PaymentIntent the reader is collecting a card for, if any."""
        action = self.reader(reader_id).get("action")
        if not action or action.get("status") != "in_progress":
            return None
        intent_id = action["process_payment_intent"]["payment_intent"]
        return self.intents.get(intent_id)

    def latest_intent(self, reader_id: str) -> Json | None:
        found = [i for i in self.intents.values() if i.get("_reader") == reader_id]
        return max(found, key=lambda i: i["_number"]) if found else None
