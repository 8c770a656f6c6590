"""Loyalty fixtures: the demo brasserie connected to the Pongo sandbox.

`pongo_sandbox` (tests/conftest.py) is a `PongoSandboxControl` (with `base_url`) on a
sandbox that was just reset: seed data, no faults, empty request log, clock at
real time, no webhooks.
"""

from __future__ import annotations

import pytest

from sandboxes.pongo.control import PongoSandboxControl
from sandboxes.rbi.control import RbiSandboxControl


@pytest.fixture
def brasserie(db, pongo_sandbox: PongoSandboxControl, settings):
    """The demo brasserie, connected to the running Pongo sandbox."""
    from kiosk.demo.loader import demo_load
    from kiosk.models import Kiosk
    from loyalty.demo import loyalty_demo_setup

    settings.PONGO_BASE_URL = pongo_sandbox.base_url
    demo_load(slugs=["brasserie-demo"], with_images=False)
    loyalty_demo_setup(stores=("brasserie-demo",))
    return Kiosk.objects.select_related("store").get(code="brasserie-borne-1")


@pytest.fixture
def brasserie_order(brasserie):
    """A customer started an order at the brasserie's kiosk and chose to eat in."""
    from kiosk.services.orders import order_start

    order = order_start(kiosk=brasserie, language="fr")
    order.service_mode = "eat_in"
    order.save()
    return order


@pytest.fixture
def burger(db, rbi_sandbox: RbiSandboxControl, settings):
    """The demo burger restaurant, connected to the running RBI sandbox (store 9999)."""
    from kiosk.demo.loader import demo_load
    from kiosk.models import Kiosk
    from loyalty.demo import loyalty_demo_setup
    from tests.caching import caches_clear

    caches_clear()  # Sanity content is cached per URL; each sandbox run is new
    settings.RBI_BASE_URL = rbi_sandbox.base_url
    settings.RBI_SANITY_URL = ""
    demo_load(slugs=["burger-demo"], with_images=False)
    loyalty_demo_setup(stores=("burger-demo",))
    return Kiosk.objects.select_related("store").get(code="burger-kiosk-1")


@pytest.fixture
def burger_order(burger):
    """A customer started an order at the burger kiosk and chose to eat in."""
    from kiosk.services.orders import order_start

    order = order_start(kiosk=burger, language="en")
    order.service_mode = "eat_in"
    order.save()
    return order
