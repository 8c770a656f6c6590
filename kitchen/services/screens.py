"""The secret links that open a station screen, the expo view or the board."""

from __future__ import annotations

import hashlib
import secrets

from django.utils import timezone

from kitchen.models import Screen


def _hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


def screen_token_rotate(*, screen: Screen) -> str:
    """A new link token for the screen; the previous link stops working."""
    token = f"ks_{secrets.token_urlsafe(24)}"
    Screen.objects.filter(pk=screen.pk).update(
        token_hash=_hash(token), token_created_at=timezone.now()
    )
    screen.token_hash = _hash(token)
    return token


def screen_for_token(token: str) -> Screen | None:
    if not token:
        return None
    return (
        Screen.objects.select_related("store", "station")
        .filter(token_hash=_hash(token))
        .first()
    )
