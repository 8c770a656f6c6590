"""Payment terminals, chosen by the PAYMENT_TERMINAL setting."""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from kiosk.payments.base import PaymentTerminal

TERMINALS = {
    "simulator": "kiosk.payments.simulator.SimulatedTerminal",
}


def get_terminal() -> PaymentTerminal:
    try:
        path = TERMINALS[settings.PAYMENT_TERMINAL]
    except KeyError as err:
        raise ImproperlyConfigured(
            f"KIOSK_PAYMENT_TERMINAL={settings.PAYMENT_TERMINAL!r} is not one of {sorted(TERMINALS)}"
        ) from err
    terminal: PaymentTerminal = import_string(path)()
    return terminal


def is_simulated() -> bool:
    return bool(settings.PAYMENT_TERMINAL == "simulator")
