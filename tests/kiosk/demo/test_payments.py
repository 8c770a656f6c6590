from __future__ import annotations

import pytest

from kiosk.demo.loader import demo_load
from kiosk.demo.payments import payments_demo_processes, payments_demo_setup
from kiosk.models import KioskTerminal
from sandboxes.adyen.notifications import HMAC_KEY


@pytest.mark.django_db
def test_the_brasserie_pays_on_the_adyen_sandbox_the_burger_store_on_stripe(
    settings,
):
    settings.SANDBOX_ADYEN_PORT = 8899
    settings.SANDBOX_STRIPE_PORT = 8898
    demo_load(with_images=False)

    payments_demo_setup()
    payments_demo_setup()  # again: nothing doubles

    terminals = list(
        KioskTerminal.objects.select_related("kiosk__store").filter(vendor="adyen")
    )
    assert {t.kiosk.store.slug for t in terminals} == {"brasserie-demo"}
    terminal = terminals[0]
    burger = KioskTerminal.objects.get(kiosk__store__slug="burger-demo")
    assert burger.vendor == "stripe"
    assert burger.terminal_id == "tmr_BurgerDemo1"
    assert burger.endpoint == "http://127.0.0.1:8898"
    assert burger.credentials == {
        "secret_key": "sk_test_kiosk_sandbox",
        "webhook_secret": "whsec_kiosk_sandbox",
    }
    assert burger.options["screen_url"] == (
        "http://127.0.0.1:8898/_sandbox/terminal/tmr_BurgerDemo1/screen"
    )
    assert not KioskTerminal.objects.filter(vendor="simulator").exists()
    assert terminal.vendor == "adyen"
    assert terminal.endpoint == "http://127.0.0.1:8899"
    assert terminal.credentials == {
        "api_key": "kiosk-sandbox-api-key",
        # The key the sandbox signs its REFUND notifications with.
        "webhook_secret": HMAC_KEY,
    }
    # The account the sandbox takes refunds for, as Adyen checks its own.
    assert terminal.options["merchant_account"] == "KioskSandboxPOS"
    assert terminal.options["screen_url"] == (
        f"http://127.0.0.1:8899/_sandbox/terminal/{terminal.terminal_id}/screen"
    )


def test_the_demo_runs_the_terminal_sandboxes_on_their_ports(settings):
    settings.SANDBOX_ADYEN_PORT = 8899
    settings.SANDBOX_STRIPE_PORT = 8898

    adyen, stripe = payments_demo_processes(web_base="http://127.0.0.1:8000")

    assert adyen.command[-4:] == ["sandbox", "adyen", "--port", "8899"]
    assert stripe.command[-4:] == ["sandbox", "stripe", "--port", "8898"]
    assert [need.port for need in stripe.ports] == [8898]
    # Its events go to the kiosk's webhook, signed with the demo's secret.
    assert stripe.env == {
        "SANDBOX_STRIPE_WEBHOOK_URL": "http://127.0.0.1:8000/payments/stripe/webhook/"
    }
    assert adyen.env == {
        "SANDBOX_ADYEN_WEBHOOK_URL": "http://127.0.0.1:8000/payments/adyen/webhook/"
    }


def test_the_demo_points_the_kiosk_at_the_sandboxes_on_their_ports(settings):
    from loyalty.demo import loyalty_demo_sandbox_env

    settings.SANDBOX_PONGO_PORT, settings.SANDBOX_RBI_PORT = 9911, 9912

    assert loyalty_demo_sandbox_env({}) == {
        "PONGO_BASE_URL": "http://127.0.0.1:9911",
        "RBI_BASE_URL": "http://127.0.0.1:9912",
    }
    # An address the operator set is theirs.
    assert loyalty_demo_sandbox_env({"RBI_BASE_URL": "https://rbi.example"}) == {
        "PONGO_BASE_URL": "http://127.0.0.1:9911"
    }
