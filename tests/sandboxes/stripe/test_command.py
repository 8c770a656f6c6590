"""`manage.py sandbox stripe` with its own option."""

from __future__ import annotations

import stripe

from sandboxes.stripe.control import StripeSandboxControl
from sandboxes.stripe.emulator import SECRET_KEY
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
