"""The Pongo emulator: Pongo's loyalty API as the kiosk's contract describes it.

`emulator.PongoEmulator` plugs into the generic sandbox server; the other
modules hold the schema, the seed data, token handling and one module per
group of routes.
"""

from __future__ import annotations
