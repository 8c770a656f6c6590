"""The demo's loyalty: the Pongo sandbox, the worker, and the brasserie connected."""

from __future__ import annotations

import sys

from django.conf import settings
from django.utils import timezone

from kiosk.demo.supervisor import ProcessSpec
from kiosk.models import Store
from loyalty.models import PongoConnection, Programme, RbiConnection, StoreLoyalty

# The sandbox's fixed token of its French merchant, and the store the brasserie is.
PONGO_DEMO_TOKEN = "sandbox-fr-token"  # noqa: S105 (a public sandbox token)
PONGO_DEMO_STORE_SLUG = "demo-paris-11"
PONGO_DEMO_STORE = "brasserie-demo"
# The RBI sandbox's market: its public key, and store 9999 for the burger restaurant.
RBI_DEMO_KEY = "rbi-sandbox-kiosk-key"
RBI_DEMO_STORE = "burger-demo"


def loyalty_demo_setup() -> None:
    """Point the brasserie at the local Pongo sandbox, as if its merchant had connected."""
    store = Store.objects.filter(slug=PONGO_DEMO_STORE).first()
    if store is None:
        return
    StoreLoyalty.objects.update_or_create(
        store=store, defaults={"programme": Programme.PONGO, "is_enabled": True}
    )
    PongoConnection.objects.update_or_create(
        store=store,
        defaults={
            "access_token": PONGO_DEMO_TOKEN,
            "merchant_name": "Brasserie Démo (sandbox)",
            "store_slug": PONGO_DEMO_STORE_SLUG,
            "connected_at": timezone.now(),
            "needs_reconnect": False,
        },
    )


def rbi_demo_setup() -> None:
    """Point the burger restaurant at the local RBI sandbox (store 9999, market FR)."""
    store = Store.objects.filter(slug=RBI_DEMO_STORE).first()
    if store is None:
        return
    StoreLoyalty.objects.update_or_create(
        store=store, defaults={"programme": Programme.RBI, "is_enabled": True}
    )
    RbiConnection.objects.update_or_create(
        store=store,
        defaults={
            "api_key": RBI_DEMO_KEY,
            "region": RbiConnection.Region.EUC1,
            "environment": RbiConnection.Environment.DEV,
            "brand": RbiConnection.Brand.BK,
            "market": "FR",
            "rbi_store_id": "9999",
            "supporting_pos": "partner",
            "needs_attention": False,
        },
    )


def loyalty_demo_processes() -> list[ProcessSpec]:
    python = sys.executable
    return [
        ProcessSpec(
            name="pongo",
            command=[
                python,
                "manage.py",
                "sandbox",
                "pongo",
                "--port",
                str(settings.SANDBOX_PONGO_PORT),
                "--allow-http-webhooks",
            ],
        ),
        ProcessSpec(
            name="rbi",
            command=[
                python,
                "manage.py",
                "sandbox",
                "rbi",
                "--port",
                str(settings.SANDBOX_RBI_PORT),
            ],
        ),
        ProcessSpec(name="loyalty", command=[python, "manage.py", "loyalty_worker"]),
    ]


def loyalty_demo_instructions() -> list[str]:
    pongo = f"http://127.0.0.1:{settings.SANDBOX_PONGO_PORT}/_sandbox/"
    rbi = f"http://127.0.0.1:{settings.SANDBOX_RBI_PORT}/_sandbox/"
    return [
        "  Loyalty: the brasserie runs Pongo, the burger restaurant RBI (both local sandboxes).",
        f"    Pongo members and their pass QR codes: {pongo} (e.g. phone 06 12 34 56 78)",
        f"    RBI members and app codes: {rbi} (seed codes such as 222222 work once;",
        "    the page makes fresh codes for any member)",
    ]
