"""The demo's card terminals: each demo store pays on its terminal's emulator.

The brasserie's kiosks pay on an Adyen terminal (the Adyen sandbox, cloud
communications), the burger restaurant's on a Stripe smart reader (the
Stripe sandbox, which also sends its signed webhooks to the kiosk); the
payment screen frames the emulated terminal's own screen, where the demo's
customer presents, declines or cancels the card.
"""

from __future__ import annotations

import sys

from django.conf import settings

from kiosk.demo.supervisor import PortNeed, ProcessSpec
from kiosk.models import Kiosk, KioskTerminal, TerminalVendor

# The demo sandbox's API key (the Adyen sandbox checks it as Adyen would).
ADYEN_SANDBOX_API_KEY = "kiosk-sandbox-api-key"
# The HMAC key the Adyen sandbox signs its webhooks with (hex).
ADYEN_SANDBOX_HMAC_KEY = (
    "6b696f736b2d73616e64626f782d686d61632d6b65792d666f722d61647965"
)
ADYEN_SANDBOX_MERCHANT_ACCOUNT = "KioskSandboxPOS"
ADYEN_DEMO_STORE = "brasserie-demo"
# The Stripe sandbox's secret key and the signing secret of its events.
STRIPE_SANDBOX_SECRET_KEY = "sk_test_kiosk_sandbox"
STRIPE_SANDBOX_WEBHOOK_SECRET = "whsec_kiosk_sandbox"
STRIPE_DEMO_STORE = "burger-demo"


def _adyen_base() -> str:
    return f"http://127.0.0.1:{settings.SANDBOX_ADYEN_PORT}"


def _stripe_base() -> str:
    return f"http://127.0.0.1:{settings.SANDBOX_STRIPE_PORT}"


def payments_demo_setup(
    *, adyen_base: str | None = None, stripe_base: str | None = None
) -> None:
    """Give each demo kiosk its terminal on the local emulator (idempotent).

    `adyen_base` and `stripe_base` are the sandboxes' addresses when they are
    not the demo's ports.
    """
    _adyen_setup(adyen_base or _adyen_base())
    _stripe_setup(stripe_base or _stripe_base())


def _adyen_setup(base: str) -> None:
    for index, kiosk in enumerate(
        Kiosk.objects.filter(store__slug=ADYEN_DEMO_STORE).order_by("pk")
    ):
        poiid = f"V400m-80000{index + 1:04d}"
        terminal, _ = KioskTerminal.objects.update_or_create(
            kiosk=kiosk,
            defaults={
                "vendor": TerminalVendor.ADYEN,
                "terminal_id": poiid,
                "endpoint": base,
                "options": {
                    "communication": "cloud",
                    "merchant_account": ADYEN_SANDBOX_MERCHANT_ACCOUNT,
                    "screen_url": f"{base}/_sandbox/terminal/{poiid}/screen",
                },
                "is_active": True,
            },
        )
        terminal.credentials = {
            "api_key": ADYEN_SANDBOX_API_KEY,
            "webhook_secret": ADYEN_SANDBOX_HMAC_KEY,
        }
        terminal.save()


def _stripe_setup(base: str) -> None:
    for index, kiosk in enumerate(
        Kiosk.objects.filter(store__slug=STRIPE_DEMO_STORE).order_by("pk")
    ):
        reader = f"tmr_BurgerDemo{index + 1}"
        terminal, _ = KioskTerminal.objects.update_or_create(
            kiosk=kiosk,
            defaults={
                "vendor": TerminalVendor.STRIPE,
                "terminal_id": reader,
                "endpoint": base,
                "options": {"screen_url": f"{base}/_sandbox/terminal/{reader}/screen"},
                "is_active": True,
            },
        )
        terminal.credentials = {
            "secret_key": STRIPE_SANDBOX_SECRET_KEY,
            "webhook_secret": STRIPE_SANDBOX_WEBHOOK_SECRET,
        }
        terminal.save()


def payments_demo_processes(*, web_base: str = "") -> list[ProcessSpec]:
    """The terminal sandboxes; `web_base` is the kiosk's address, where the
    Stripe sandbox sends its webhooks."""
    python = sys.executable
    stripe_env = (
        {"SANDBOX_STRIPE_WEBHOOK_URL": f"{web_base}/payments/stripe/webhook/"}
        if web_base
        else {}
    )
    adyen_env = (
        {"SANDBOX_ADYEN_WEBHOOK_URL": f"{web_base}/payments/adyen/webhook/"}
        if web_base
        else {}
    )
    return [
        ProcessSpec(
            name="adyen",
            command=[
                python,
                "manage.py",
                "sandbox",
                "adyen",
                "--port",
                str(settings.SANDBOX_ADYEN_PORT),
            ],
            env=adyen_env,
            ports=[
                PortNeed(
                    settings.SANDBOX_ADYEN_PORT,
                    "the Adyen sandbox",
                    "SANDBOX_ADYEN_PORT",
                )
            ],
        ),
        ProcessSpec(
            name="stripe",
            command=[
                python,
                "manage.py",
                "sandbox",
                "stripe",
                "--port",
                str(settings.SANDBOX_STRIPE_PORT),
            ],
            env=stripe_env,
            ports=[
                PortNeed(
                    settings.SANDBOX_STRIPE_PORT,
                    "the Stripe sandbox",
                    "SANDBOX_STRIPE_PORT",
                )
            ],
        ),
    ]


def payments_demo_instructions() -> list[str]:
    return [
        "  Card payments: the brasserie pays on an emulated Adyen terminal, shown on the",
        "    payment screen (present the card, decline or cancel there); the burger",
        "    restaurant on an emulated Stripe reader, shown the same way.",
        f"    Adyen sandbox: {_adyen_base()}/_sandbox/",
        f"    Stripe sandbox: {_stripe_base()}/_sandbox/",
    ]
