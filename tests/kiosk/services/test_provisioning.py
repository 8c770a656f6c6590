from __future__ import annotations

import hashlib
from datetime import UTC, datetime, timedelta

import pytest
from django.contrib.auth.models import User
from django.utils import timezone

from kiosk.devices import device_cookie_value, kiosk_from_device_cookie
from kiosk.models import Kiosk, KioskProvisioning, Store
from kiosk.services.errors import ProvisioningError
from kiosk.services.provisioning import (
    kiosk_provision,
    kiosk_provisioning_create,
    store_for_pos_token,
    store_pos_token_rotate,
)


def sha256(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def test_a_provisioning_link_stores_only_the_hash_of_its_token(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)

    link = KioskProvisioning.objects.get()
    assert link.token_hash == sha256(token)
    stored = KioskProvisioning.objects.values().get()
    assert [name for name, value in stored.items() if token in str(value)] == []
    assert (link.kiosk, link.used_at, link.created_by) == (menu.kiosk, None, None)


def test_a_provisioning_link_expires_after_the_configured_hours(
    menu, monkeypatch, settings
):
    settings.KIOSK_PROVISIONING_LINK_HOURS = 3
    now = datetime(2025, 3, 10, 9, 0, tzinfo=UTC)
    monkeypatch.setattr(timezone, "now", lambda: now)

    kiosk_provisioning_create(kiosk=menu.kiosk)

    link = KioskProvisioning.objects.get()
    assert (link.created_at, link.expires_at) == (now, now + timedelta(hours=3))


def test_a_provisioning_link_remembers_the_admin_who_made_it(menu):
    user = User.objects.create_user("manager")

    kiosk_provisioning_create(kiosk=menu.kiosk, user=user)

    assert KioskProvisioning.objects.get().created_by == user


def test_a_provisioning_link_binds_the_kiosk_once(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)

    kiosk = kiosk_provision(token=token)

    link = KioskProvisioning.objects.get()
    assert (kiosk.pk, kiosk.device_generation) == (menu.kiosk.pk, 1)
    assert kiosk.provisioned_at is not None
    assert link.used_at is not None


def test_a_used_provisioning_link_is_refused(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)
    kiosk_provision(token=token)
    used_at = KioskProvisioning.objects.get().used_at

    with pytest.raises(ProvisioningError, match="already been used"):
        kiosk_provision(token=token)

    assert Kiosk.objects.get(pk=menu.kiosk.pk).device_generation == 1
    assert KioskProvisioning.objects.get().used_at == used_at


def test_an_expired_provisioning_link_is_refused(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)
    KioskProvisioning.objects.update(expires_at=timezone.now() - timedelta(seconds=1))

    with pytest.raises(ProvisioningError, match="has expired"):
        kiosk_provision(token=token)

    kiosk = Kiosk.objects.get(pk=menu.kiosk.pk)
    assert (kiosk.device_generation, kiosk.provisioned_at) == (0, None)
    assert KioskProvisioning.objects.get().used_at is None


def test_an_unknown_provisioning_token_is_refused(menu):
    kiosk_provisioning_create(kiosk=menu.kiosk)

    with pytest.raises(ProvisioningError, match="not valid"):
        kiosk_provision(token="not-a-token")

    assert Kiosk.objects.get(pk=menu.kiosk.pk).device_generation == 0


def test_a_link_of_a_switched_off_kiosk_is_refused(menu):
    token = kiosk_provisioning_create(kiosk=menu.kiosk)
    Kiosk.objects.filter(pk=menu.kiosk.pk).update(is_active=False)

    with pytest.raises(ProvisioningError, match="switched off"):
        kiosk_provision(token=token)

    assert Kiosk.objects.get(pk=menu.kiosk.pk).device_generation == 0
    assert KioskProvisioning.objects.get().used_at is None


def test_provisioning_again_unbinds_the_browsers_bound_before(menu):
    old_cookie = device_cookie_value(menu.kiosk)
    assert kiosk_from_device_cookie(old_cookie) == menu.kiosk

    kiosk = kiosk_provision(token=kiosk_provisioning_create(kiosk=menu.kiosk))

    assert kiosk_from_device_cookie(old_cookie) is None
    assert kiosk_from_device_cookie(device_cookie_value(kiosk)) == menu.kiosk


def test_a_pos_token_authenticates_its_store_and_only_its_hash_is_stored(menu):
    token = store_pos_token_rotate(store=menu.store)

    store = Store.objects.get(pk=menu.store.pk)
    assert token.startswith("pos_")
    assert store.pos_token_hash == sha256(token)
    assert store.pos_token_created_at is not None
    assert store_for_pos_token(token) == menu.store


def test_rotating_the_pos_token_invalidates_the_previous_one(menu):
    old = store_pos_token_rotate(store=menu.store)

    new = store_pos_token_rotate(store=menu.store)

    assert new != old
    assert store_for_pos_token(old) is None
    assert store_for_pos_token(new) == menu.store


def test_an_empty_pos_token_authenticates_nothing(menu):
    assert store_for_pos_token("") is None
