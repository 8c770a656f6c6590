"""`manage.py sandbox adyen` with its own option."""

from __future__ import annotations

import requests

from sandboxes.adyen.control import AdyenSandboxControl
from sandboxes.adyen.emulator import API_KEY
from tests.processes import SandboxProcess, wait_until
from tests.sandboxes.adyen.test_emulator import POIID, payment


def test_auto_approve_ms_approves_every_payment_by_itself(tmp_path):
    process = SandboxProcess(
        "adyen",
        database=tmp_path / "adyen.sqlite3",
        arguments=["--auto-approve-ms", "50"],
    )
    with process as sandbox:
        assert isinstance(sandbox, AdyenSandboxControl)
        response = requests.post(
            sandbox.base_url + "/async",
            json=payment(),
            headers={"X-API-Key": API_KEY},
            timeout=5,
        )

        assert response.text == "ok"
        assert sandbox.health()["faults"]["auto_approve_ms"] == 50
        wait_until(
            lambda: sandbox.payments()[0]["state"] == "approved",
            timeout=5,
            what=f"the payment on {POIID} approved",
        )
