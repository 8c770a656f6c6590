"""The terminal's side of nexo message protection, written apart from the kiosk's.

The shared key of every emulated terminal is `SHARED_KEY`; a kiosk set up
with another passphrase gets its messages refused.
"""

from __future__ import annotations

import base64
import hmac
import os
from dataclasses import dataclass
from hashlib import pbkdf2_hmac, sha256
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes


@dataclass(frozen=True)
class TerminalKey:
    identifier: str
    passphrase: str
    version: int


SHARED_KEY = TerminalKey("kiosk-sandbox-key", "kiosk-sandbox-passphrase", 1)


class CryptoFailure(Exception):
    pass


def _material(key: TerminalKey) -> tuple[bytes, bytes, bytes]:
    derived = pbkdf2_hmac("sha1", key.passphrase.encode(), b"AdyenNexoV1Salt", 4000, 80)
    return derived[:32], derived[32:64], derived[64:]


def _cipher(key: TerminalKey, nonce: bytes) -> Cipher[modes.CBC]:
    _hmac_key, cipher_key, base_iv = _material(key)
    iv = bytes(a ^ b for a, b in zip(base_iv, nonce, strict=True))
    return Cipher(algorithms.AES(cipher_key), modes.CBC(iv))


def decrypt(body: dict[str, Any], key: TerminalKey = SHARED_KEY) -> bytes:
    """The clear text of `{"SaleToPOIRequest": {..., "NexoBlob", "SecurityTrailer"}}`."""
    try:
        trailer = body["SecurityTrailer"]
        if trailer["KeyIdentifier"] != key.identifier:
            raise CryptoFailure("unknown key identifier")
        if int(trailer["KeyVersion"]) != key.version:
            raise CryptoFailure("unknown key version")
        nonce = base64.b64decode(trailer["Nonce"])
        decryptor = _cipher(key, nonce).decryptor()
        padded = decryptor.update(base64.b64decode(body["NexoBlob"]))
        padded += decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        text = unpadder.update(padded) + unpadder.finalize()
        signature = base64.b64decode(trailer["Hmac"])
    except (KeyError, TypeError, ValueError) as error:
        raise CryptoFailure("cannot decrypt") from error
    expected = hmac.new(_material(key)[0], text, sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise CryptoFailure("signature mismatch")
    return text


def encrypt(
    text: bytes, header: dict[str, Any], key: TerminalKey = SHARED_KEY
) -> dict[str, Any]:
    nonce = os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(text) + padder.finalize()
    encryptor = _cipher(key, nonce).encryptor()
    blob = encryptor.update(padded) + encryptor.finalize()
    signature = hmac.new(_material(key)[0], text, sha256).digest()
    return {
        "SaleToPOIResponse": {
            "MessageHeader": header,
            "NexoBlob": base64.b64encode(blob).decode(),
            "SecurityTrailer": {
                "AdyenCryptoVersion": 1,
                "KeyIdentifier": key.identifier,
                "KeyVersion": key.version,
                "Nonce": base64.b64encode(nonce).decode(),
                "Hmac": base64.b64encode(signature).decode(),
            },
        }
    }
