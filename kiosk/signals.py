"""What the kiosk tells the apps built on it about its orders.

Sent inside the transaction that changes the order, so a receiver's rows are
written with the change or not at all (a paid order is never lost to the
kitchen). Receivers push to screens with `transaction.on_commit`. The kiosk
imports none of its listeners: they connect in their own `AppConfig.ready`.

Each signal is sent with `order` (the locked, updated `kiosk.models.Order`).
"""

from __future__ import annotations

from django.dispatch import Signal

# The order became paid (`kiosk.services.orders.order_mark_paid`).
order_paid = Signal()
# A paid order was given back to the customer: what was started for it stops.
order_voided = Signal()
# The order was handed over to the customer (counter page, POS, expo).
order_handed_over = Signal()
