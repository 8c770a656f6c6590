"""Errors raised by services, with messages meant for the person at the screen."""

from __future__ import annotations

from collections.abc import Mapping


class KioskError(Exception):
    """A refusal with a message that can be shown as it is."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class CartError(KioskError):
    """A cart change was refused; `errors` maps form fields to their problem."""

    def __init__(self, message: str, errors: Mapping[str, str] | None = None) -> None:
        super().__init__(message)
        self.errors = dict(errors or {})


class OrderStateError(KioskError):
    """The order is not in a state that allows this change."""


class PaymentMismatch(KioskError):
    """A payment confirmation does not match the order it names."""


class ProvisioningError(KioskError):
    """A provisioning link that is unknown, used or expired."""
