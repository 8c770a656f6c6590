"""Signals of the hardware app, for the apps built on it (the kitchen), which
the hardware app never imports.

`printer_state_changed` (keyword `device_id`): a device's printer, or its
agent's connection, changed state. Sent after the change committed, so a
receiver reads the new state.
"""

from __future__ import annotations

from django.dispatch import Signal

printer_state_changed = Signal()
