"""`manage.py sandbox stripe` with its own option."""

from __future__ import annotations

import threading
from http.server import BaseHTTPRequestHandler, HTTPServer
from typing import ClassVar

import stripe

from sandboxes.stripe.control import StripeSandboxControl
from sandboxes.stripe.emulator import SECRET_KEY, WEBHOOK_SECRET
from tests.processes import SandboxProcess, wait_until


def test_auto_approve_ms_approves_every_reader_action_by_itself(tmp_path):
    process = SandboxProcess(
        "stripe",
        database=tmp_path / "stripe.sqlite3",
        arguments=["--auto-approve-ms", "50"],
    )
    with process as sandbox:
        assert isinstance(sandbox, StripeSandboxControl)
        client = stripe.StripeClient(
            SECRET_KEY, base_addresses={"api": sandbox.base_url}
        )
        intent = client.v1.payment_intents.create(
            {"amount": 500, "currency": "eur", "capture_method": "manual"}
        )
        client.v1.terminal.readers.process_payment_intent(
            "tmr_Auto1", {"payment_intent": intent.id}
        )

        assert sandbox.health()["faults"]["auto_approve_ms"] == 50
        wait_until(
            lambda: sandbox.payments()[0]["status"] == "requires_capture",
            timeout=5,
            what="the payment on tmr_Auto1 authorised",
        )


class _Receiver(BaseHTTPRequestHandler):
    received: ClassVar[list[tuple[str, bytes]]] = []

    def do_POST(self) -> None:
        body = self.rfile.read(int(self.headers["Content-Length"]))
        self.received.append((self.headers["Stripe-Signature"], body))
        self.send_response(200)
        self.end_headers()

    def log_message(self, *args: object) -> None:
        """Quiet."""


def test_events_go_signed_to_the_configured_webhook_url(tmp_path):
    receiver = HTTPServer(("127.0.0.1", 0), _Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    url = f"http://127.0.0.1:{receiver.server_port}/payments/stripe/webhook/"
    process = SandboxProcess("stripe", database=tmp_path / "stripe.sqlite3")
    process.child.env["SANDBOX_STRIPE_WEBHOOK_URL"] = url
    try:
        with process as sandbox:
            client = stripe.StripeClient(
                SECRET_KEY, base_addresses={"api": sandbox.base_url}
            )
            created = client.v1.payment_intents.create(
                {"amount": 500, "currency": "eur", "metadata": {"attempt_key": "k"}}
            )
            signature, body = wait_until(
                lambda: _Receiver.received[0] if _Receiver.received else None,
                timeout=5,
                what="the event at the kiosk's webhook",
            )
    finally:
        receiver.shutdown()

    event = stripe.Webhook.construct_event(body, signature, WEBHOOK_SECRET)
    assert event.type == "payment_intent.created"
    assert event.data.object.id == created.id
