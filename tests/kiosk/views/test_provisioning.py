from __future__ import annotations

from datetime import timedelta

from django.conf import settings
from django.test import Client
from django.utils import timezone
from pytest_django.asserts import assertContains, assertRedirects

from kiosk.devices import device_cookie_value
from kiosk.models import Kiosk, KioskProvisioning
from kiosk.services.provisioning import kiosk_provisioning_create


def test_opening_a_provisioning_link_asks_before_spending_it(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)

    response = Client().get(f"/provision/{token}/")

    assertContains(response, 'id="provision"')
    assert KioskProvisioning.objects.get().used_at is None
    assert Kiosk.objects.get(pk=menu.kiosk.pk).device_generation == 0


def test_confirming_a_provisioning_link_binds_this_browser(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)
    browser = Client()

    response = browser.post(f"/provision/{token}/")

    assertRedirects(response, "/", fetch_redirect_response=False)
    cookie = response.cookies[settings.KIOSK_DEVICE_COOKIE]
    assert (cookie["httponly"], cookie["samesite"]) == (True, "Strict")
    assert Kiosk.objects.get(pk=menu.kiosk.pk).device_generation == 1
    assertContains(browser.get("/"), "Touch to start your order")


def test_a_used_provisioning_link_is_gone(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)
    Client().post(f"/provision/{token}/")
    second = Client()

    response = second.post(f"/provision/{token}/")

    assertContains(response, "already been used", status_code=410)
    assert settings.KIOSK_DEVICE_COOKIE not in response.cookies
    assert Kiosk.objects.get(pk=menu.kiosk.pk).device_generation == 1
    assert second.get("/").status_code == 403


def test_an_expired_provisioning_link_is_gone(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)
    KioskProvisioning.objects.update(expires_at=timezone.now() - timedelta(minutes=1))

    response = Client().post(f"/provision/{token}/")

    assertContains(response, "has expired", status_code=410)
    assert Kiosk.objects.get(pk=menu.kiosk.pk).device_generation == 0


def test_an_unknown_provisioning_link_is_gone(menu):
    response = Client().post("/provision/made-up/")

    assertContains(response, "not valid", status_code=410)


def test_provisioning_another_browser_unbinds_the_previous_one(menu, kiosk_client):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)

    Client().post(f"/provision/{token}/")

    assert kiosk_client.get("/").status_code == 403


def test_a_browser_bound_again_keeps_working(menu):
    browser = Client()
    browser.post(f"/provision/{kiosk_provisioning_create(kiosk=menu.kiosk)}/")
    browser.post(f"/provision/{kiosk_provisioning_create(kiosk=menu.kiosk)}/")

    assert browser.cookies[settings.KIOSK_DEVICE_COOKIE].value == device_cookie_value(
        Kiosk.objects.get(pk=menu.kiosk.pk)
    )
    assert browser.get("/").status_code == 200
