from __future__ import annotations

import pytest
from django.conf import settings
from django.core import signing
from django.test import Client
from pytest_django.asserts import assertContains, assertTemplateUsed

from kiosk.devices import device_cookie_value
from kiosk.models import Kiosk, Order
from kiosk.services.provisioning import kiosk_provision, kiosk_provisioning_create

KIOSK_PAGES = ["/", "/menu/", "/cart/", "/checkout/", "/pay/", "/done/", "/mode/"]


def browser(cookie: str | None = None) -> Client:
    client = Client()
    if cookie is not None:
        client.cookies[settings.KIOSK_DEVICE_COOKIE] = cookie
    return client


@pytest.mark.parametrize("path", KIOSK_PAGES)
def test_an_unprovisioned_browser_is_refused_on_kiosk_pages(menu, path):
    response = browser().get(path)

    assert response.status_code == 403
    assertTemplateUsed(response, "kiosk/unprovisioned.html")


def test_an_unprovisioned_browser_cannot_start_an_order(menu):
    response = browser().post("/start/")

    assertContains(
        response, "This screen is not set up as a kiosk yet.", status_code=403
    )
    assert Order.objects.count() == 0


def test_a_forged_device_cookie_is_refused(menu):
    real = device_cookie_value(menu.kiosk)
    payload, _sep, signature = real.rpartition(":")
    forged = f"{payload}:{'A' * len(signature)}"

    assert browser(forged).get("/").status_code == 403


def test_a_device_cookie_signed_for_another_purpose_is_refused(menu):
    cookie = signing.dumps({"k": menu.kiosk.pk, "g": 0}, salt="another.purpose")

    assert browser(cookie).get("/").status_code == 403


def test_a_device_cookie_of_an_older_generation_is_refused(menu):
    old = device_cookie_value(menu.kiosk)
    kiosk_provision(token=kiosk_provisioning_create(kiosk=menu.kiosk))

    assert browser(old).get("/").status_code == 403


def test_a_device_cookie_of_a_switched_off_kiosk_is_refused(menu, kiosk_client):
    Kiosk.objects.filter(pk=menu.kiosk.pk).update(is_active=False)

    assert kiosk_client.get("/").status_code == 403


def test_a_device_cookie_binds_the_browser_to_its_kiosk(menu, kiosk_client):
    assertContains(kiosk_client.get("/"), 'data-store="Burger Test"')


def test_pages_outside_the_kiosk_need_no_device_cookie(menu):
    assert browser().get("/api/pos/v1/orders/").status_code == 401
    assert browser().get("/admin/login/").status_code == 200
