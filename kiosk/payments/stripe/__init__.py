"""Stripe Terminal smart readers (WisePOS E, S700), server-driven.

All of Stripe's JSON stays in this package: `api` calls Stripe through the
official `stripe` library and maps its errors, `intents` reads a
PaymentIntent (and its charge) into the contract's result, `webhooks`
verifies and reads Stripe's events, `terminal` is the contract's
`StripeTerminal`, and `assumptions` lists what no public document confirms.
"""

from __future__ import annotations

from kiosk.payments.stripe.terminal import StripeTerminal

__all__ = ["StripeTerminal"]
