"""Secrets at rest: programme tokens and members' phone numbers, encrypted.

Fernet keys are derived from SECRET_KEY (and SECRET_KEY_FALLBACKS, so a
rotated key still reads what the old one wrote). Neither the key nor the
plain values are ever stored in the database.
"""

from __future__ import annotations

import base64
import hashlib
import hmac
from functools import lru_cache
from typing import Any

from cryptography.fernet import Fernet, InvalidToken, MultiFernet
from cryptography.hazmat.primitives import hashes
from cryptography.hazmat.primitives.kdf.hkdf import HKDF
from django.conf import settings
from django.db import models

_INFO = b"open-kiosk loyalty field encryption"


def _derive(secret: str) -> bytes:
    kdf = HKDF(algorithm=hashes.SHA256(), length=32, salt=None, info=_INFO)
    return base64.urlsafe_b64encode(kdf.derive(secret.encode()))


@lru_cache(maxsize=4)
def _fernet(secret_key: str, fallbacks: tuple[str, ...]) -> MultiFernet:
    return MultiFernet([Fernet(_derive(secret)) for secret in (secret_key, *fallbacks)])


def fernet() -> MultiFernet:
    return _fernet(settings.SECRET_KEY, tuple(settings.SECRET_KEY_FALLBACKS))


def encrypt(value: str) -> str:
    return fernet().encrypt(value.encode()).decode()


def decrypt(token: str) -> str:
    try:
        return fernet().decrypt(token.encode()).decode()
    except InvalidToken as err:
        raise ValueError("encrypted value unreadable with the current keys") from err


def subject_hash(value: str) -> str:
    """A keyed hash that identifies a person (their phone) without storing it."""
    key = hashlib.sha256(f"subject:{settings.SECRET_KEY}".encode()).digest()
    return hmac.new(key, value.encode(), hashlib.sha256).hexdigest()


class EncryptedTextField(models.TextField):  # type: ignore[type-arg]
    """Text encrypted with Fernet in the database, plain in Python."""

    def from_db_value(
        self, value: str | None, expression: Any, connection: Any
    ) -> str | None:
        if value is None or value == "":
            return value
        return decrypt(value)

    def get_prep_value(self, value: Any) -> Any:
        value = super().get_prep_value(value)
        if value is None or value == "":
            return value
        return encrypt(str(value))
