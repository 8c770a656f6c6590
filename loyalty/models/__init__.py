"""Loyalty records of the kiosk: which programme a store runs, who identified
on an order, the rewards it carries, the outbox of calls to the programmes and
consent events. Each programme's own records live in its folder
(loyalty/providers/<programme>/models.py) and are registered here, so their
tables and migrations are this app's.
"""

from __future__ import annotations

from loyalty.models.consent import ConsentChannel, ConsentEvent
from loyalty.models.orders import OrderLoyalty, Redemption, RedemptionKind
from loyalty.models.outbox import OutboxMessage, OutboxOperation, OutboxStatus
from loyalty.models.programmes import Programme, StoreLoyalty
from loyalty.models.webhooks import WebhookEvent
from loyalty.providers.pongo.models import MirroredMember, PongoConnection
from loyalty.providers.rbi.models import RbiConnection

__all__ = [
    "ConsentChannel",
    "ConsentEvent",
    "MirroredMember",
    "OrderLoyalty",
    "OutboxMessage",
    "OutboxOperation",
    "OutboxStatus",
    "PongoConnection",
    "Programme",
    "RbiConnection",
    "Redemption",
    "RedemptionKind",
    "StoreLoyalty",
    "WebhookEvent",
]
