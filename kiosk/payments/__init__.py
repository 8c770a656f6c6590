"""Payment terminals: one class per vendor, chosen by each kiosk's terminal.

Each terminal is a module (or a package) of its own under `kiosk.payments`,
implementing the contract of `kiosk.payments.base`; `TERMINALS` names them.
A kiosk without a terminal of its own uses PAYMENT_TERMINAL (the simulator
by default).
"""

from __future__ import annotations

from django.conf import settings
from django.core.exceptions import ImproperlyConfigured
from django.utils.module_loading import import_string

from kiosk.payments.base import (
    CustomerPlayable,
    NoticeReader,
    PaymentTerminal,
    TerminalConfig,
)

# A terminal's vendor → the dotted path of its class, built as Class(config=...).
TERMINALS: dict[str, str] = {
    "simulator": "kiosk.payments.simulator.SimulatedTerminal",
    "adyen": "kiosk.payments.adyen.AdyenTerminal",
    "stripe": "kiosk.payments.stripe.StripeTerminal",
}

# A vendor that notifies the kiosk (webhooks) → the dotted path of its reader.
NOTICE_READERS: dict[str, str] = {
    "adyen": "kiosk.payments.adyen.notifications.notices_read",
    "stripe": "kiosk.payments.stripe.webhooks.notices_read",
}


def default_config() -> TerminalConfig:
    """The terminal of a kiosk that has none of its own."""
    return TerminalConfig(vendor=settings.PAYMENT_TERMINAL)


def get_terminal(config: TerminalConfig | None = None) -> PaymentTerminal:
    config = config or default_config()
    try:
        path = TERMINALS[config.vendor]
    except KeyError as err:
        raise ImproperlyConfigured(
            f"payment terminal {config.vendor!r} is not one of {sorted(TERMINALS)}"
        ) from err
    terminal: PaymentTerminal = import_string(path)(config=config)
    return terminal


def customer_playable(terminal: PaymentTerminal) -> CustomerPlayable | None:
    """The terminal, when the kiosk can play its customer (see `CustomerPlayable`)."""
    return terminal if isinstance(terminal, CustomerPlayable) else None


def notice_reader(vendor: str) -> NoticeReader | None:
    """How to read `vendor`'s webhooks; None for a vendor that sends none."""
    path = NOTICE_READERS.get(vendor)
    if path is None:
        return None
    reader: NoticeReader = import_string(path)
    return reader
