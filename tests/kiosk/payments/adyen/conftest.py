"""An `AdyenTerminal` on the Adyen sandbox, in cloud or local mode."""

from __future__ import annotations

import uuid

import pytest

from kiosk.payments.adyen import AdyenTerminal
from kiosk.payments.base import TerminalConfig
from sandboxes.adyen.control import AdyenSandboxControl
from sandboxes.adyen.crypto import SHARED_KEY
from sandboxes.adyen.emulator import API_KEY, MERCHANT_ACCOUNT

POIID = "S1F2-000158123456789"


def cloud_config(sandbox: AdyenSandboxControl, **changes: object) -> TerminalConfig:
    values: dict[str, object] = {
        "vendor": "adyen",
        "terminal_id": POIID,
        "endpoint": sandbox.base_url,
        "credentials": {"api_key": API_KEY},
        "options": {"merchant_account": MERCHANT_ACCOUNT, "timeout_seconds": "2"},
        "sale_id": "burger-test-1",
    }
    values.update(changes)
    return TerminalConfig(**values)  # type: ignore[arg-type]


def local_config(
    sandbox: AdyenSandboxControl, passphrase: str = SHARED_KEY.passphrase
) -> TerminalConfig:
    credentials = {
        "key_identifier": SHARED_KEY.identifier,
        "key_passphrase": passphrase,
        "key_version": str(SHARED_KEY.version),
    }
    options = {
        "communication": "local",
        "merchant_account": MERCHANT_ACCOUNT,
        "timeout_seconds": "2",
    }
    return cloud_config(sandbox, credentials=credentials, options=options)


@pytest.fixture
def terminal(adyen_sandbox: AdyenSandboxControl) -> AdyenTerminal:
    return AdyenTerminal(config=cloud_config(adyen_sandbox))


@pytest.fixture
def local_terminal(adyen_sandbox: AdyenSandboxControl) -> AdyenTerminal:
    return AdyenTerminal(config=local_config(adyen_sandbox))


@pytest.fixture
def attempt_key() -> str:
    return uuid.uuid4().hex


def start(terminal: AdyenTerminal, attempt_key: str, amount: int = 1250) -> None:
    terminal.payment_start(
        attempt_key=attempt_key, amount=amount, currency="EUR", reference="A-0142"
    )
