"""Which terminal a kiosk, or an attempt already made, talks to."""

from __future__ import annotations

from django.utils import timezone

from kiosk.models import Kiosk, KioskTerminal, Payment
from kiosk.payments import customer_playable, default_config, get_terminal
from kiosk.payments.base import (
    CustomerPlayable,
    PaymentTerminal,
    TerminalCheck,
    TerminalCheckable,
    TerminalConfig,
    TerminalEnvironment,
)


def terminal_config(terminal: KioskTerminal) -> TerminalConfig:
    return TerminalConfig(
        vendor=terminal.vendor,
        terminal_id=terminal.terminal_id,
        environment=TerminalEnvironment(terminal.environment),
        endpoint=terminal.endpoint,
        credentials=terminal.credentials,
        options={str(k): str(v) for k, v in (terminal.options or {}).items()},
        sale_id=terminal.kiosk.code,
    )


def kiosk_terminal(kiosk: Kiosk | None) -> KioskTerminal | None:
    """The kiosk's own active terminal; None means the default one."""
    if kiosk is None:
        return None
    return (
        KioskTerminal.objects.select_related("kiosk")
        .filter(kiosk=kiosk, is_active=True)
        .first()
    )


def terminal_for_kiosk(kiosk: Kiosk | None) -> PaymentTerminal:
    own = kiosk_terminal(kiosk)
    return get_terminal(terminal_config(own) if own else None)


def terminal_for_payment(payment: Payment) -> PaymentTerminal:
    """The terminal the attempt was sent to, even if the kiosk's changed since."""
    if payment.kiosk_terminal is not None:
        return get_terminal(terminal_config(payment.kiosk_terminal))
    if payment.terminal_vendor:
        return get_terminal(TerminalConfig(vendor=payment.terminal_vendor))
    return get_terminal(default_config())


def terminal_screen_url(kiosk: Kiosk | None) -> str:
    """The address of a page showing the terminal's screen, for demos ("" if none).

    An emulated terminal has no screen of its own: the demo sets its page in
    the terminal's options ("screen_url") and the payment screen shows it
    beside the amount. A real terminal leaves it unset.
    """
    return _screen_url(kiosk_terminal(kiosk))


def _screen_url(own: KioskTerminal | None) -> str:
    if own is None:
        return ""
    url = str((own.options or {}).get("screen_url", ""))
    return url if url.startswith(("http://", "https://")) else ""


def kiosk_terminal_secrets(*, vendor: str) -> list[str]:
    """The webhook signing secrets set on the active terminals of `vendor`."""
    found = []
    for terminal in KioskTerminal.objects.filter(vendor=vendor, is_active=True):
        secret = str(terminal.credentials.get("webhook_secret", ""))
        if secret and secret not in found:
            found.append(secret)
    return found


def customer_playable_for_kiosk(kiosk: Kiosk | None) -> CustomerPlayable | None:
    return customer_playable(terminal_for_kiosk(kiosk))


def payment_screen_terminal(kiosk: Kiosk | None) -> tuple[CustomerPlayable | None, str]:
    """What the payment screen shows of the kiosk's terminal, read once: the
    keys to play its customer (a simulator) and its screen's address (an
    emulator)."""
    own = kiosk_terminal(kiosk)
    terminal = get_terminal(terminal_config(own) if own else None)
    return customer_playable(terminal), _screen_url(own)


def terminal_check(*, terminal: KioskTerminal) -> TerminalCheck:
    """Test the terminal (admin's action) and keep the result on its row."""
    device = get_terminal(terminal_config(terminal))
    if isinstance(device, TerminalCheckable):
        result = device.check()
    else:
        result = TerminalCheck(ok=True, detail="This terminal has no test.")
    KioskTerminal.objects.filter(pk=terminal.pk).update(
        last_check_at=timezone.now(),
        last_check_ok=result.ok,
        last_check_detail=result.detail[:300],
    )
    return result
