"""The signed cookie that binds a browser to a kiosk.

It carries the kiosk id and its device generation; provisioning the kiosk
again bumps the generation, which unbinds every browser bound before.
"""

from __future__ import annotations

from django.conf import settings
from django.core import signing
from django.http import HttpResponse

from kiosk.models import Kiosk

_SALT = "kiosk.device"
_MAX_AGE = 10 * 365 * 24 * 3600


def device_cookie_value(kiosk: Kiosk) -> str:
    return signing.dumps({"k": kiosk.pk, "g": kiosk.device_generation}, salt=_SALT)


def device_cookie_set(response: HttpResponse, kiosk: Kiosk) -> None:
    response.set_cookie(
        settings.KIOSK_DEVICE_COOKIE,
        device_cookie_value(kiosk),
        max_age=_MAX_AGE,
        httponly=True,
        samesite="Strict",
        secure=settings.SECURE_COOKIES,
    )


def kiosk_id_from_device_cookie(value: str | None) -> tuple[int, int] | None:
    if not value:
        return None
    try:
        data = signing.loads(value, salt=_SALT)
        return int(data["k"]), int(data["g"])
    except (signing.BadSignature, KeyError, TypeError, ValueError):
        return None


def kiosk_from_device_cookie(value: str | None) -> Kiosk | None:
    """The active kiosk this cookie binds to, or None when it binds nothing."""
    ids = kiosk_id_from_device_cookie(value)
    if ids is None:
        return None
    kiosk_id, generation = ids
    return (
        Kiosk.objects.select_related("store")
        .filter(pk=kiosk_id, device_generation=generation, is_active=True)
        .first()
    )
