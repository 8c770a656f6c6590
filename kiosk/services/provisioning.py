"""Binding a browser to a kiosk with a one-time link, and the stores' POS tokens."""

from __future__ import annotations

import hashlib
import secrets
from datetime import timedelta

from django.conf import settings
from django.contrib.auth.models import User
from django.db import transaction
from django.db.models import F
from django.utils import timezone
from django.utils.translation import gettext as _

from kiosk.models import Kiosk, KioskProvisioning, Store
from kiosk.services.errors import ProvisioningError


def token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def kiosk_provisioning_create(*, kiosk: Kiosk, user: User | None = None) -> str:
    """A new one-time link token for this kiosk; only its hash is stored."""
    token = secrets.token_urlsafe(32)
    KioskProvisioning.objects.create(
        kiosk=kiosk,
        token_hash=token_hash(token),
        expires_at=timezone.now()
        + timedelta(hours=settings.KIOSK_PROVISIONING_LINK_HOURS),
        created_by=user if user is not None and user.is_authenticated else None,
    )
    return token


@transaction.atomic
def kiosk_provision(*, token: str) -> Kiosk:
    """Spend a link: the kiosk gets a new device generation for the caller's browser."""
    link = (
        KioskProvisioning.objects.select_for_update()
        .select_related("kiosk")
        .filter(token_hash=token_hash(token))
        .first()
    )
    if link is None:
        raise ProvisioningError(_("This provisioning link is not valid."))
    if link.used_at is not None:
        raise ProvisioningError(
            _(
                "This provisioning link has already been used. Create a new one in admin."
            )
        )
    if link.expires_at <= timezone.now():
        raise ProvisioningError(
            _("This provisioning link has expired. Create a new one in admin.")
        )
    if not link.kiosk.is_active:
        raise ProvisioningError(_("This kiosk is switched off in admin."))
    link.used_at = timezone.now()
    link.save(update_fields=["used_at"])
    Kiosk.objects.filter(pk=link.kiosk_id).update(
        device_generation=F("device_generation") + 1, provisioned_at=timezone.now()
    )
    return Kiosk.objects.select_related("store").get(pk=link.kiosk_id)


def store_pos_token_rotate(*, store: Store) -> str:
    """A new token for the store's POS; the previous one stops working."""
    token = f"pos_{secrets.token_urlsafe(32)}"
    Store.objects.filter(pk=store.pk).update(
        pos_token_hash=token_hash(token), pos_token_created_at=timezone.now()
    )
    return token


def store_for_pos_token(token: str) -> Store | None:
    if not token:
        return None
    return Store.objects.filter(pos_token_hash=token_hash(token)).first()
