"""Payment terminals, chosen by the PAYMENT_TERMINAL setting.

Each terminal is a module (or a package) of its own under `kiosk.payments`,
implementing the contract of `kiosk.payments.base`; `TERMINALS` names them.
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from kiosk.payments.base import CustomerPlayable, PaymentTerminal

# The value of PAYMENT_TERMINAL → the dotted path of its class.
TERMINALS: dict[str, str] = {
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


def customer_playable_terminal() -> CustomerPlayable | None:
    """The terminal, when the kiosk can play its customer (see `CustomerPlayable`)."""
    terminal = get_terminal()
    return terminal if isinstance(terminal, CustomerPlayable) else None
