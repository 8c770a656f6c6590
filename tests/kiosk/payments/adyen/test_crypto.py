"""Nexo message protection against vectors computed apart, with the OpenSSL CLI.

`openssl kdf -keylen 80 -kdfopt digest:SHA1 -kdfopt pass:<passphrase>
-kdfopt salt:AdyenNexoV1Salt -kdfopt iter:4000 PBKDF2`, then `openssl enc
-aes-256-cbc` with the IV XOR the nonce, and `openssl dgst -sha256 -mac HMAC`
over the clear text.
"""

from __future__ import annotations

import pytest

from kiosk.payments.adyen.crypto import (
    NexoCryptoError,
    SharedKey,
    nexo_decrypt,
    nexo_encrypt,
)

KEY = SharedKey("kiosk-sandbox-key", "kiosk-sandbox-passphrase", 1)
TEXT = b'{"SaleToPOIRequest": {"MessageHeader": {"ServiceID": "1"}}}'
NONCE = bytes(range(16))
BLOB = "6FdvP+kXB6+o8F5LEvfRsgIiMjC2emt3XL34590c6Zkl3327LfJAV8tLVGnodnEYR4f5kiT95qNKUNKCCdDsbA=="
HMAC = "OqSa8bK05sKsAsQK2yCrseB0nXMghDdci+d6ILkq8v8="


def test_the_key_material_is_derived_from_the_passphrase():
    material = KEY.material()

    assert material.hmac_key.hex() == (
        "02a631cdc208b1fafb7e5d6a9a388e0168868eb4470534b312c862a8f5924336"
    )
    assert material.cipher_key.hex() == (
        "86299df4d6c8e8c468bcf4723e1acab9b24591f84e7b6017920da3da480bc9e6"
    )
    assert material.iv.hex() == "b90f6fa61bb620af15d807e384468772"


def test_a_message_is_encrypted_and_signed_as_openssl_does():
    sent = nexo_encrypt(TEXT, key=KEY, nonce=NONCE)["SaleToPOIRequest"]

    assert sent["MessageHeader"] == {"ServiceID": "1"}
    assert sent["NexoBlob"] == BLOB
    assert sent["SecurityTrailer"] == {
        "AdyenCryptoVersion": 1,
        "KeyIdentifier": "kiosk-sandbox-key",
        "KeyVersion": 1,
        "Nonce": "AAECAwQFBgcICQoLDA0ODw==",
        "Hmac": HMAC,
    }


def test_a_message_is_decrypted_and_verified():
    message = nexo_encrypt(TEXT, key=KEY, nonce=NONCE)

    assert nexo_decrypt(message, key=KEY) == TEXT


def test_a_tampered_signature_is_refused():
    message = nexo_encrypt(TEXT, key=KEY, nonce=NONCE)
    message["SaleToPOIRequest"]["SecurityTrailer"]["Hmac"] = HMAC.replace("O", "P", 1)

    with pytest.raises(NexoCryptoError, match="signature"):
        nexo_decrypt(message, key=KEY)


def test_another_passphrase_cannot_read_it():
    message = nexo_encrypt(TEXT, key=KEY, nonce=NONCE)

    with pytest.raises(NexoCryptoError):
        nexo_decrypt(message, key=SharedKey("kiosk-sandbox-key", "another", 1))
