"""Adyen terminals, over the Terminal API (nexo Sale to POI).

All of Adyen's JSON stays in this package: `messages` builds and reads it,
`crypto` protects local messages, `transport` sends them (cloud or local),
`terminal` is the contract's `AdyenTerminal`, and `assumptions` lists what
no public document confirms.
"""

from __future__ import annotations

from kiosk.payments.adyen.terminal import AdyenTerminal

__all__ = ["AdyenTerminal"]
