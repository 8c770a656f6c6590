"""Access tokens of the Pongo emulator: HS256 JWTs and the fixed test tokens.

Made with the standard library (hmac, base64, json): the sandbox needs to
sign and check its own tokens only. Expiry is checked against the sandbox
clock, so a test can age a token by moving the clock a year ahead.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import hmac
import json
import sqlite3
from dataclasses import dataclass

from sandboxes.core.web import ApiError
from sandboxes.pongo.seed import FIXED_TOKENS

# The sandbox signs and checks its own tokens; nobody else holds this key.
SIGNING_KEY = b"pongo-sandbox-token-signing-key"
TOKEN_LIFETIME_S = 365 * 24 * 3600


@dataclass(frozen=True)
class Principal:
    """Who a request acts for: a merchant, through one of its users."""

    merchant: str
    user: str
    scopes: frozenset[str]


def token_issue(*, user: str, merchant: str, scopes: list[str], now: int) -> str:
    header = {"alg": "HS256", "typ": "JWT"}
    claims = {
        "sub": user,
        "merchant": merchant,
        "scopes": scopes,
        "iat": now,
        "exp": now + TOKEN_LIFETIME_S,
    }
    signing_input = f"{_encode_json(header)}.{_encode_json(claims)}"
    return f"{signing_input}.{_signature(signing_input)}"


def token_claims(token: str, *, now: float) -> dict[str, object] | None:
    """The claims of a valid, unexpired token made here; `None` otherwise."""
    parts = token.split(".")
    if len(parts) != 3:
        return None
    signing_input = f"{parts[0]}.{parts[1]}"
    if not hmac.compare_digest(_signature(signing_input), parts[2]):
        return None
    try:
        header = json.loads(_decode(parts[0]))
        claims = json.loads(_decode(parts[1]))
    except (ValueError, binascii.Error):
        return None
    if not isinstance(claims, dict) or header.get("alg") != "HS256":
        return None
    expires = claims.get("exp")
    if not isinstance(expires, int) or expires <= now:
        return None
    return claims


def principal_for_token(
    connection: sqlite3.Connection, token: str | None, *, now: float
) -> Principal:
    """Raises `ApiError` 401 for a missing, unknown, forged or expired token."""
    if token is None:
        raise unauthenticated()
    fixed = FIXED_TOKENS.get(token)
    if fixed is not None:
        user = _merchant_user(connection, fixed.merchant) or ""
        return Principal(fixed.merchant, user, frozenset(fixed.scopes))
    claims = token_claims(token, now=now)
    if claims is None:
        raise unauthenticated()
    merchant, subject, scopes = (
        claims.get("merchant"),
        claims.get("sub"),
        claims.get("scopes"),
    )
    if not isinstance(merchant, str) or not isinstance(subject, str):
        raise unauthenticated()
    if not isinstance(scopes, list):
        raise unauthenticated()
    if _merchant_user(connection, merchant) != subject:
        raise unauthenticated()
    return Principal(merchant, subject, frozenset(str(scope) for scope in scopes))


def scope_require(principal: Principal, scope: str | None) -> None:
    if scope is not None and scope not in principal.scopes:
        raise ApiError.message(403, "Invalid scope(s) provided.")


def unauthenticated() -> ApiError:
    return ApiError.message(401, "Unauthenticated.")


def _merchant_user(connection: sqlite3.Connection, merchant: str) -> str | None:
    row = connection.execute(
        "SELECT public_id FROM users WHERE merchant = ? ORDER BY public_id", (merchant,)
    ).fetchone()
    return None if row is None else str(row["public_id"])


def _signature(signing_input: str) -> str:
    digest = hmac.new(SIGNING_KEY, signing_input.encode(), hashlib.sha256).digest()
    return _encode(digest)


def _encode_json(data: object) -> str:
    return _encode(json.dumps(data, separators=(",", ":")).encode())


def _encode(raw: bytes) -> str:
    return base64.urlsafe_b64encode(raw).rstrip(b"=").decode()


def _decode(text: str) -> bytes:
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))
