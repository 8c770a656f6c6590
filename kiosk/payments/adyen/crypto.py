"""Nexo message protection for the local Terminal API.

A terminal on the store's network takes requests only when they are
encrypted with the shared key set in Adyen's Customer Area (key identifier,
passphrase, version). The key material is derived from the passphrase with
PBKDF2-HMAC-SHA1; the message is AES-256-CBC encrypted and its clear text
signed with HMAC-SHA256, as Adyen's own libraries do (see `assumptions`).
"""

from __future__ import annotations

import base64
import hmac
import json
import os
from dataclasses import dataclass
from hashlib import pbkdf2_hmac, sha256
from typing import Any

from cryptography.hazmat.primitives import padding
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes

SALT = b"AdyenNexoV1Salt"
ITERATIONS = 4000
CRYPTO_VERSION = 1


class NexoCryptoError(Exception):
    """A message that cannot be decrypted or whose signature does not match."""


@dataclass(frozen=True)
class KeyMaterial:
    hmac_key: bytes
    cipher_key: bytes
    iv: bytes


@dataclass(frozen=True)
class SharedKey:
    identifier: str
    passphrase: str
    version: int = 1

    def material(self) -> KeyMaterial:
        derived = pbkdf2_hmac(
            "sha1", self.passphrase.encode(), SALT, ITERATIONS, dklen=80
        )
        return KeyMaterial(derived[:32], derived[32:64], derived[64:80])


def _cipher(material: KeyMaterial, nonce: bytes) -> Cipher[modes.CBC]:
    iv = bytes(a ^ b for a, b in zip(material.iv, nonce, strict=True))
    return Cipher(algorithms.AES(material.cipher_key), modes.CBC(iv))


def nexo_encrypt(
    plaintext: bytes, *, key: SharedKey, nonce: bytes | None = None
) -> dict[str, Any]:
    """A message's JSON text as sent encrypted: its clear header, the blob, the trailer."""
    ((envelope, body),) = json.loads(plaintext).items()
    material = key.material()
    nonce = nonce or os.urandom(16)
    padder = padding.PKCS7(128).padder()
    padded = padder.update(plaintext) + padder.finalize()
    encryptor = _cipher(material, nonce).encryptor()
    blob = encryptor.update(padded) + encryptor.finalize()
    signature = hmac.new(material.hmac_key, plaintext, sha256).digest()
    return {
        envelope: {
            "MessageHeader": body["MessageHeader"],
            "NexoBlob": base64.b64encode(blob).decode(),
            "SecurityTrailer": {
                "AdyenCryptoVersion": CRYPTO_VERSION,
                "KeyIdentifier": key.identifier,
                "KeyVersion": key.version,
                "Nonce": base64.b64encode(nonce).decode(),
                "Hmac": base64.b64encode(signature).decode(),
            },
        }
    }


def nexo_decrypt(message: dict[str, Any], *, key: SharedKey) -> bytes:
    """The clear JSON text of an encrypted message; NexoCryptoError when it does not verify."""
    try:
        ((_envelope, body),) = message.items()
        trailer = body["SecurityTrailer"]
        blob = base64.b64decode(body["NexoBlob"])
        nonce = base64.b64decode(trailer["Nonce"])
        signature = base64.b64decode(trailer["Hmac"])
        material = key.material()
        decryptor = _cipher(material, nonce).decryptor()
        padded = decryptor.update(blob) + decryptor.finalize()
        unpadder = padding.PKCS7(128).unpadder()
        plaintext = unpadder.update(padded) + unpadder.finalize()
    except (KeyError, TypeError, ValueError, AttributeError) as err:
        raise NexoCryptoError("message cannot be decrypted") from err
    expected = hmac.new(material.hmac_key, plaintext, sha256).digest()
    if not hmac.compare_digest(expected, signature):
        raise NexoCryptoError("message signature does not match")
    return plaintext
