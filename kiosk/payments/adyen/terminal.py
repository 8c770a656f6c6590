"""`AdyenTerminal`: the kiosk's contract over Adyen's Terminal API.

A payment is sent under a ServiceID derived from the attempt key, so its
status can always be asked again (`TransactionStatusRequest`), from any
process, after a lost answer. Cloud terminals take the payment on `/async`,
which returns at once; a local terminal only answers when the customer is
done, so the payment is sent from a background thread and its answer kept
(`_InFlight`) while the kiosk polls the status.
"""

from __future__ import annotations

import logging
import math
import threading
import time
from dataclasses import dataclass
from datetime import UTC, datetime
from urllib.parse import urlsplit

import Adyen  # type: ignore[import-untyped]  # the library has no annotations
import requests

from kiosk.payments.adyen import messages
from kiosk.payments.adyen.transport import CONNECT_TIMEOUT_S, Transport
from kiosk.payments.base import (
    RefundResult,
    RefundStatus,
    TerminalCheck,
    TerminalConfig,
    TerminalError,
    TerminalRejected,
    TerminalResult,
    TerminalStatus,
    TerminalTransaction,
    TerminalUnavailable,
)

logger = logging.getLogger(__name__)

CHECKOUT_VERSION = "v72"  # the version of Adyen's library
# Adyen ends a payment the issuer has not answered after 120 s (local).
PAYMENT_READ_TIMEOUT_S = 130.0
# How long a payment sent from this process may be unknown to the terminal.
START_GRACE_S = 15.0
IN_FLIGHT_KEPT_S = 3600.0
ABORT_STATUS_TRIES = 3
ABORT_STATUS_PAUSE_S = 0.3


@dataclass
class _InFlight:
    started_at: float
    result: TerminalResult | None = None
    is_cancelled: bool = False


_IN_FLIGHT: dict[str, _InFlight] = {}
_IN_FLIGHT_LOCK = threading.Lock()


def _in_flight_add(attempt_key: str) -> bool:
    """Note a payment this process sends; False when it already was."""
    now = time.monotonic()
    with _IN_FLIGHT_LOCK:
        if attempt_key in _IN_FLIGHT:
            return False
        for key, flight in list(_IN_FLIGHT.items()):
            if now - flight.started_at > IN_FLIGHT_KEPT_S:
                del _IN_FLIGHT[key]
        _IN_FLIGHT[attempt_key] = _InFlight(started_at=now)
        return True


def _in_flight(attempt_key: str) -> _InFlight | None:
    with _IN_FLIGHT_LOCK:
        return _IN_FLIGHT.get(attempt_key)


class AdyenTerminal:
    """An Adyen terminal, through Adyen's cloud or on the store's network.

    Configuration: `terminal_id` is the POIID (`[model]-[serial]`); options
    `communication` ("cloud", the default, or "local"), `merchant_account`
    (refunds), `timeout_seconds` (read timeout of a status call);
    credentials `api_key` (cloud and refunds), `key_identifier`,
    `key_passphrase`, `key_version` (local encryption). `endpoint` replaces
    Adyen's address: the terminal's `https://<ip>:8443` in local mode, an
    emulator in tests and demos.
    """

    def __init__(self, *, config: TerminalConfig) -> None:
        self.config = config
        self.transport = Transport(config)

    def _ids(self) -> dict[str, str]:
        return {"sale_id": self.config.sale_id, "poiid": self.config.terminal_id}

    # --- Payments ---------------------------------------------------------------

    def payment_start(
        self, *, attempt_key: str, amount: int, currency: str, reference: str
    ) -> None:
        if amount <= 0:
            raise TerminalRejected("amount must be positive")
        if not _in_flight_add(attempt_key):
            return
        try:
            if self._is_known(attempt_key):
                return
        except TerminalError:
            with _IN_FLIGHT_LOCK:
                _IN_FLIGHT.pop(attempt_key, None)
            raise
        request = messages.payment_request(
            attempt_key=attempt_key,
            reference=reference,
            amount=amount,
            currency=currency,
            now=datetime.now(tz=UTC),
            **self._ids(),
        )
        if self.transport.is_local:
            threading.Thread(
                target=self._payment_wait,
                args=(attempt_key, request),
                name=f"adyen-payment-{attempt_key[:8]}",
                daemon=True,
            ).start()
            return
        self.transport.send_async(request)

    def _is_known(self, attempt_key: str) -> bool:
        """Whether the terminal already has this attempt: it is never sent twice."""
        try:
            self._status(attempt_key)
        except messages.PaymentNotFound:
            return False
        return True

    def _payment_wait(self, attempt_key: str, request: messages.Message) -> None:
        flight = _in_flight(attempt_key)
        if flight is not None and flight.is_cancelled:
            return
        try:
            answer = self.transport.send(request, read_timeout_s=PAYMENT_READ_TIMEOUT_S)
            result = messages.payment_response(answer)
        except (TerminalUnavailable, TerminalRejected):
            # The status request will tell what happened.
            logger.warning("adyen payment answer lost", extra={"attempt": attempt_key})
            return
        with _IN_FLIGHT_LOCK:
            if attempt_key in _IN_FLIGHT:
                _IN_FLIGHT[attempt_key].result = result

    def _status_answer(self, attempt_key: str) -> messages.Message:
        request = messages.status_request(attempt_key=attempt_key, **self._ids())
        return self.transport.send(request)

    def _status(self, attempt_key: str) -> TerminalResult:
        return messages.status_result(self._status_answer(attempt_key))

    def payment_status(self, *, attempt_key: str) -> TerminalResult:
        flight = _in_flight(attempt_key)
        if flight is not None and flight.result is not None:
            return flight.result
        try:
            return self._status(attempt_key)
        except messages.PaymentNotFound as err:
            if (
                flight is not None
                and time.monotonic() - flight.started_at < START_GRACE_S
            ):
                return TerminalResult(TerminalStatus.PENDING)
            raise TerminalRejected("the terminal does not know this payment") from err

    def payment_cancel(self, *, attempt_key: str) -> TerminalResult:
        flight = _in_flight(attempt_key)
        if flight is not None:
            # A local payment not yet sent by its thread is never sent.
            flight.is_cancelled = True
        request = messages.abort_request(attempt_key=attempt_key, **self._ids())
        # The abort's own answer says nothing of the payment: its status does.
        try:
            self.transport.send_unanswered(request)
        except TerminalRejected:
            logger.warning("adyen abort refused", extra={"attempt": attempt_key})
        result = TerminalResult(TerminalStatus.PENDING)
        for attempt in range(ABORT_STATUS_TRIES):
            if attempt:
                time.sleep(ABORT_STATUS_PAUSE_S)
            try:
                result = self._status(attempt_key)
            except messages.PaymentNotFound:
                return TerminalResult(TerminalStatus.CANCELLED, message="Never started")
            if result.is_final:
                return result
        return result

    # --- Capabilities -------------------------------------------------------------

    def check(self) -> TerminalCheck:
        request = messages.diagnosis_request(**self._ids())
        try:
            ok, detail = messages.diagnosis_ok(self.transport.send(request))
        except (TerminalUnavailable, TerminalRejected) as err:
            return TerminalCheck(ok=False, detail=str(err))
        return TerminalCheck(ok=ok, detail=detail)

    def transactions(
        self, *, start: datetime, end: datetime, attempt_keys: list[str]
    ) -> list[TerminalTransaction]:
        """The kiosk's attempts, asked one by one with a TransactionStatusRequest.

        Adyen's Terminal API has no list of a terminal's payments (reports are
        in the Customer Area), so `start` and `end` are not used; an attempt
        the terminal does not know is left out. The amount is the authorised
        one, 0 when none was.
        """
        found = []
        for attempt_key in attempt_keys:
            answer = self._status_answer(attempt_key)
            try:
                result = messages.status_result(answer)
            except messages.PaymentNotFound:
                continue
            amount, currency = messages.status_amount(answer)
            found.append(
                TerminalTransaction(
                    attempt_key=attempt_key,
                    reference=result.reference,
                    status=result.status,
                    amount=amount,
                    currency=currency,
                )
            )
        return found

    def refund(
        self,
        *,
        refund_key: str,
        attempt_key: str,
        payment_reference: str,
        amount: int,
        currency: str,
    ) -> RefundResult:
        """A referenced refund through Adyen's Checkout API (card not present)."""
        if not payment_reference:
            raise TerminalRejected("the payment has no PSP reference to refund")
        request = {
            "merchantAccount": self.config.options.get("merchant_account", ""),
            "amount": {"value": amount, "currency": currency.upper()},
            "reference": attempt_key,
        }
        service = self._checkout().checkout.modifications_api
        override = self._checkout_url()
        if override:
            service.baseUrl = override
        try:
            answer = service.refund_captured_payment(
                request, payment_reference, idempotency_key=refund_key
            )
        except requests.RequestException as err:
            raise TerminalUnavailable("Adyen cannot be reached") from err
        except Adyen.AdyenError as err:
            if (getattr(err, "status_code", None) or 500) >= 500:
                raise TerminalUnavailable("Adyen could not take the refund") from err
            raise TerminalRejected(f"Adyen refused the refund: {err.message}") from err
        message = answer.message if isinstance(answer.message, dict) else {}
        return RefundResult(
            status=RefundStatus.PENDING,
            reference=str(message.get("pspReference", "")),
            message=str(message.get("status", "")),
        )

    def _checkout(self) -> Adyen.Adyen:
        # Live URLs are built by the library from the merchant's prefix.
        return Adyen.Adyen(
            xapikey=self.config.credentials.get("api_key", ""),
            platform=self.config.environment.value,
            live_endpoint_prefix=self.config.options.get("live_endpoint_prefix"),
            http_timeout=math.ceil(self.transport.read_timeout_s + CONNECT_TIMEOUT_S),
        )

    def _checkout_url(self) -> str:
        """The Checkout API's address when not Adyen's own ("" keeps the library's).

        An endpoint outside adyen.com in cloud mode (an emulator) serves
        Checkout too; a regional Adyen host only replaces the Terminal API's.
        """
        override = self.config.options.get("checkout_endpoint", "")
        if override:
            return override.rstrip("/")
        endpoint = self.config.endpoint.rstrip("/")
        host = urlsplit(endpoint).hostname or ""
        if not endpoint or self.transport.is_local or host.endswith(".adyen.com"):
            return ""
        return f"{endpoint}/checkout/{CHECKOUT_VERSION}"
