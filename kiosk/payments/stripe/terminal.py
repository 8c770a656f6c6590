"""`StripeTerminal`: the kiosk's contract over Stripe Terminal, server-driven.

An attempt is one card_present PaymentIntent, created under the idempotency
key `<attempt>:pi` with the attempt key in its metadata, then handed to the
reader (`process_payment_intent`, key `<attempt>:process`). Its state is
always read from Stripe: the PaymentIntent (found again by its id, or by its
metadata after a lost answer) and, while it waits for a card, the reader's
action. Capture is manual: an authorised PaymentIntent is captured when the
kiosk reads it, and voided when the kiosk cancels, so a cancel racing the
card never leaves the card charged for an unpaid order.
"""

from __future__ import annotations

import logging
import threading
import time
from collections import OrderedDict
from datetime import UTC, datetime
from typing import Any

from kiosk.payments.base import (
    RefundResult,
    TerminalCheck,
    TerminalConfig,
    TerminalError,
    TerminalRejected,
    TerminalResult,
    TerminalStatus,
    TerminalTransaction,
    TerminalUnavailable,
)
from kiosk.payments.stripe import api, intents
from kiosk.payments.stripe.api import Json, StripeRefusal
from kiosk.payments.stripe.intents import ATTEMPT_METADATA, IntentStep

logger = logging.getLogger(__name__)

# A PaymentIntent this young may not be on the reader yet.
START_GRACE_S = 15.0
CANCEL_TRIES = 3
CANCEL_PAUSE_S = 0.3
# Stripe may not have reached the reader: what it did is not known.
READER_UNCERTAIN = {"terminal_reader_timeout"}
EXPAND_CHARGE = ["latest_charge"]
RECENT_SEARCHED = 100
KEPT_IDS = 10_000

_INTENT_IDS: OrderedDict[str, str] = OrderedDict()
_INTENT_IDS_LOCK = threading.Lock()


def _id_remember(attempt_key: str, intent_id: str) -> None:
    with _INTENT_IDS_LOCK:
        _INTENT_IDS[attempt_key] = intent_id
        while len(_INTENT_IDS) > KEPT_IDS:
            _INTENT_IDS.popitem(last=False)


def _id_known(attempt_key: str) -> str | None:
    with _INTENT_IDS_LOCK:
        return _INTENT_IDS.get(attempt_key)


class StripeTerminal:
    """A Stripe smart reader (WisePOS E, S700) driven from the kiosk's server.

    Configuration: `terminal_id` is the reader id (`tmr_…`); credentials
    `secret_key` (`sk_…` or a restricted `rk_…` key) and `webhook_secret`
    (`whsec_…`, the endpoint's signing secret); option `timeout_seconds` (read
    timeout of one call). `endpoint` replaces `https://api.stripe.com` (an
    emulator in tests and demos).
    """

    def __init__(self, *, config: TerminalConfig) -> None:
        self.config = config
        self.client = api.client_create(config)

    @property
    def reader_id(self) -> str:
        return self.config.terminal_id

    # --- Payments ---------------------------------------------------------------

    def payment_start(
        self, *, attempt_key: str, amount: int, currency: str, reference: str
    ) -> None:
        if amount <= 0:
            raise TerminalRejected("amount must be positive")
        if not self.reader_id:
            raise TerminalRejected("the terminal has no reader id")
        params = intents.intent_params(
            attempt_key=attempt_key,
            amount=amount,
            currency=currency,
            reference=reference,
            sale_id=self.config.sale_id,
        )
        intent = api.as_json(
            api.call(
                lambda: self.client.v1.payment_intents.create(
                    params,  # type: ignore[arg-type]
                    {"idempotency_key": f"{attempt_key}:pi"},
                )
            )
        )
        intent_id = str(intent.get("id", ""))
        _id_remember(attempt_key, intent_id)
        if intent.get("status") != "requires_payment_method" or intent.get(
            "last_payment_error"
        ):
            return  # handed to the reader already, by an earlier start
        self._process(attempt_key, intent_id)

    def _process(self, attempt_key: str, intent_id: str) -> None:
        try:
            api.call(
                lambda: self.client.v1.terminal.readers.process_payment_intent(
                    self.reader_id,
                    {
                        "payment_intent": intent_id,
                        "process_config": {"enable_customer_cancellation": True},
                    },
                    {"idempotency_key": f"{attempt_key}:process"},
                )
            )
        except StripeRefusal as err:
            if err.code in READER_UNCERTAIN:
                raise TerminalUnavailable(
                    f"the reader did not answer ({err.code})"
                ) from err
            # Refused (busy, offline): make sure this PaymentIntent is never charged.
            try:
                self._intent_cancel(intent_id)
            except TerminalError:
                logger.warning(
                    "stripe intent left open", extra={"attempt": attempt_key}
                )
            raise

    def payment_status(self, *, attempt_key: str) -> TerminalResult:
        intent = self._intent_find(attempt_key)
        if intent is None:
            raise TerminalRejected("Stripe has no payment for this attempt")
        return self._resolve(intent)

    def payment_cancel(self, *, attempt_key: str) -> TerminalResult:
        intent = self._intent_find(attempt_key)
        if intent is None:
            return TerminalResult(TerminalStatus.CANCELLED, message="Never started")
        outcome = intents.intent_outcome(intent, terminal_id=self.reader_id)
        if outcome.step == IntentStep.FINAL:
            return outcome.result
        intent_id = str(intent.get("id", ""))
        self._reader_stop(intent_id)
        result = TerminalResult(TerminalStatus.PENDING)
        for attempt in range(CANCEL_TRIES):
            if attempt:
                time.sleep(CANCEL_PAUSE_S)
            result = self._intent_cancel(intent_id)
            if result.is_final:
                return result
        return result

    # --- Reading a PaymentIntent ------------------------------------------------------

    def _retrieve(self, intent_id: str) -> Json:
        return api.as_json(
            api.call(
                lambda: self.client.v1.payment_intents.retrieve(
                    intent_id, {"expand": EXPAND_CHARGE}
                )
            )
        )

    def _intent_find(self, attempt_key: str) -> Json | None:
        """The attempt's PaymentIntent: by the id this process kept, else by its metadata."""
        known = _id_known(attempt_key)
        if known:
            return self._retrieve(known)
        found = self._search(attempt_key)
        if found is not None:
            _id_remember(attempt_key, str(found.get("id", "")))
            return self._retrieve(str(found.get("id", "")))
        return None

    def _search(self, attempt_key: str) -> Json | None:
        """Search by metadata, then the latest PaymentIntents (search may lag)."""
        safe = attempt_key.replace("'", "")
        query = f"metadata['{ATTEMPT_METADATA}']:'{safe}'"
        page = api.as_json(
            api.call(lambda: self.client.v1.payment_intents.search({"query": query}))
        )
        for intent in page.get("data") or []:
            if (
                isinstance(intent, dict)
                and intents.intent_attempt_key(intent) == attempt_key
            ):
                return dict(intent)
        recent = api.as_json(
            api.call(
                lambda: self.client.v1.payment_intents.list({"limit": RECENT_SEARCHED})
            )
        )
        for intent in recent.get("data") or []:
            if (
                isinstance(intent, dict)
                and intents.intent_attempt_key(intent) == attempt_key
            ):
                return dict(intent)
        return None

    def _resolve(self, intent: Json) -> TerminalResult:
        outcome = intents.intent_outcome(intent, terminal_id=self.reader_id)
        if outcome.step == IntentStep.CAPTURE:
            return self._capture(str(intent.get("id", "")))
        if outcome.step == IntentStep.ASK_READER:
            return self._reader_check(intent)
        return outcome.result

    def _capture(self, intent_id: str) -> TerminalResult:
        """Capture an authorised PaymentIntent; it is safe to ask twice (Stripe
        refuses a second capture, and the PaymentIntent then says succeeded)."""
        try:
            captured = api.as_json(
                api.call(
                    lambda: self.client.v1.payment_intents.capture(
                        intent_id, {"expand": EXPAND_CHARGE}
                    )
                )
            )
        except TerminalUnavailable:
            return TerminalResult(TerminalStatus.PENDING)
        except StripeRefusal:
            captured = self._retrieve(intent_id)
        outcome = intents.intent_outcome(captured, terminal_id=self.reader_id)
        return outcome.result

    def _reader_check(self, intent: Json) -> TerminalResult:
        """A PaymentIntent waiting for a card: is the reader still on it?"""
        intent_id = str(intent.get("id", ""))
        try:
            reader = api.as_json(
                api.call(
                    lambda: self.client.v1.terminal.readers.retrieve(self.reader_id)
                )
            )
        except TerminalUnavailable:
            return TerminalResult(TerminalStatus.PENDING)
        action = intents.reader_action(reader, intent_id=intent_id)
        if action.is_on_intent and action.status != "failed":
            return TerminalResult(TerminalStatus.PENDING)
        if not action.is_on_intent and _age_s(intent) < START_GRACE_S:
            return TerminalResult(TerminalStatus.PENDING)
        # The reader gave up (customer cancel, time-out) or moved on: the
        # PaymentIntent is cancelled so no card can ever be charged on it.
        try:
            result = self._intent_cancel(intent_id)
        except TerminalUnavailable:
            return TerminalResult(TerminalStatus.PENDING)
        if result.status == TerminalStatus.CANCELLED and action.failure_code:
            return TerminalResult(
                TerminalStatus.CANCELLED,
                reference=result.reference,
                message=f"Cancelled on the reader ({action.failure_code})",
            )
        return result

    def _reader_stop(self, intent_id: str) -> None:
        """Ask the reader to stop collecting for this PaymentIntent (best effort)."""
        try:
            reader = api.as_json(
                api.call(
                    lambda: self.client.v1.terminal.readers.retrieve(self.reader_id)
                )
            )
            action = intents.reader_action(reader, intent_id=intent_id)
            if action.is_on_intent and action.status == "in_progress":
                api.call(
                    lambda: self.client.v1.terminal.readers.cancel_action(
                        self.reader_id
                    )
                )
        except TerminalError:
            # Cancelling the PaymentIntent itself is what guarantees no charge.
            logger.info(
                "stripe reader action not cancelled", extra={"intent": intent_id}
            )

    def _intent_cancel(self, intent_id: str) -> TerminalResult:
        """Cancel (or void, when authorised) the PaymentIntent; its final state.

        Raises TerminalUnavailable when Stripe does not answer. PENDING when
        it cannot be cancelled yet (being processed).
        """
        try:
            intent = api.as_json(
                api.call(
                    lambda: self.client.v1.payment_intents.cancel(
                        intent_id, {"expand": EXPAND_CHARGE}
                    )
                )
            )
        except StripeRefusal:
            # Already final (succeeded, cancelled) or processing: read it.
            intent = self._retrieve(intent_id)
        outcome = intents.intent_outcome(intent, terminal_id=self.reader_id)
        if outcome.step == IntentStep.FINAL:
            return outcome.result
        return TerminalResult(TerminalStatus.PENDING)

    # --- Capabilities -------------------------------------------------------------

    def check(self) -> TerminalCheck:
        try:
            reader = api.as_json(
                api.call(
                    lambda: self.client.v1.terminal.readers.retrieve(self.reader_id)
                )
            )
        except TerminalError as err:
            return TerminalCheck(ok=False, detail=str(err))
        label = str(reader.get("label") or self.reader_id)
        if intents.reader_is_online(reader):
            return TerminalCheck(ok=True, detail=f"Reader {label} is online.")
        return TerminalCheck(ok=False, detail=f"Reader {label} is offline.")

    def refund(
        self,
        *,
        refund_key: str,
        attempt_key: str,
        payment_reference: str,
        amount: int,
        currency: str,
    ) -> RefundResult:
        """A refund of the PaymentIntent through Stripe's API (card not present)."""
        if not payment_reference.startswith("pi_"):
            raise TerminalRejected("the payment has no PaymentIntent to refund")
        refund = api.as_json(
            api.call(
                lambda: self.client.v1.refunds.create(
                    {
                        "payment_intent": payment_reference,
                        "amount": amount,
                        "metadata": {ATTEMPT_METADATA: attempt_key},
                    },
                    {"idempotency_key": refund_key},
                )
            )
        )
        return intents.refund_result(refund)

    def transactions(
        self, *, start: datetime, end: datetime, attempt_keys: list[str]
    ) -> list[TerminalTransaction]:
        """Every kiosk PaymentIntent created between `start` and `end`.

        Stripe lists them by creation time, so `attempt_keys` are not needed.
        The amount is the one received (0 until captured).
        """
        params: dict[str, Any] = {
            "limit": 100,
            "created": {"gte": int(start.timestamp()), "lte": int(end.timestamp())},
        }
        found = []
        while True:
            page = api.as_json(
                api.call(lambda: self.client.v1.payment_intents.list(params))  # type: ignore[arg-type]  # noqa: B023
            )
            data = page.get("data") or []
            for intent in data:
                transaction = self._transaction(intent)
                if transaction is not None:
                    found.append(transaction)
            if not page.get("has_more") or not data:
                return found
            params["starting_after"] = data[-1].get("id")

    def _transaction(self, intent: Json) -> TerminalTransaction | None:
        attempt_key = intents.intent_attempt_key(intent)
        if not attempt_key:
            return None
        outcome = intents.intent_outcome(intent, terminal_id=self.reader_id)
        status = (
            outcome.result.status
            if outcome.step == IntentStep.FINAL
            else TerminalStatus.PENDING
        )
        created = intent.get("created")
        return TerminalTransaction(
            attempt_key=attempt_key,
            reference=str(intent.get("id", "")),
            status=status,
            amount=int(intent.get("amount_received") or 0),
            currency=str(intent.get("currency", "")).upper(),
            at=datetime.fromtimestamp(created, tz=UTC)
            if isinstance(created, int)
            else None,
        )


def _age_s(intent: Json) -> float:
    created = intent.get("created")
    if not isinstance(created, int):
        return START_GRACE_S
    return time.time() - created
