"""Loyalty programmes the kiosk speaks, one folder each.

`PROVIDERS` maps the programme a store runs (`StoreLoyalty.programme`) to the
connector of its folder: the class that builds the programme's provider from
the store's connection (see `loyalty.programmes.ProgrammeConnector`). Adding a
programme means adding a folder and a line here; nothing else in the kiosk
names a programme.

Kept free of Django and of the programmes' modules: their models are
loaded through this package while Django is still starting.
"""

from __future__ import annotations

from importlib.util import find_spec

PROVIDERS: dict[str, str] = {
    "pongo": "loyalty.providers.pongo.connection.PongoConnector",
    "rbi": "loyalty.providers.rbi.connection.RbiConnector",
}


def provider_modules(name: str) -> list[str]:
    """The `name` module of each programme's folder, where it has one (urls, admin)."""
    modules = []
    for connector in PROVIDERS.values():
        module = f"{connector.rsplit('.', 2)[0]}.{name}"
        if find_spec(module) is not None:
            modules.append(module)
    return modules
