"""Merchant set-up calls: OAuth connection, store list, webhooks.

Used from admin by a manager, never while a customer waits.
"""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlencode

from django.conf import settings

from loyalty.http import loyalty_request, loyalty_session, posting_timeout
from loyalty.providers.base import LoyaltyRejected
from loyalty.providers.pongo.client import (
    SCOPES,
    MalformedAnswer,
    PongoClient,
    data,
    listing,
    mapping,
    path,
    text,
)


@dataclass(frozen=True)
class PongoStore:
    slug: str
    name: str
    city: str


def authorize_url(*, state: str, redirect_uri: str) -> str:
    """Where the manager's browser goes to let Pongo connect their merchant."""
    query = urlencode(
        {
            "client_id": settings.PONGO_CLIENT_ID,
            "state": state,
            "redirect_uri": redirect_uri,
            "scope": SCOPES,
        }
    )
    return f"{settings.PONGO_BASE_URL.rstrip('/')}{path('form')}?{query}"


def token_exchange(*, code: str, redirect_uri: str) -> str:
    """The access token for the authorisation code Pongo sent back."""
    session = loyalty_session(headers={})
    response = loyalty_request(
        session,
        "POST",
        f"{settings.PONGO_BASE_URL.rstrip('/')}{path('token')}",
        timeout=posting_timeout(),
        json={
            "grant_type": "client_credentials",
            "client_id": settings.PONGO_CLIENT_ID,
            "client_secret": settings.PONGO_CLIENT_SECRET,
            "code": code,
            "redirect_uri": redirect_uri,
        },
    )
    if response.status_code != 200:
        raise LoyaltyRejected(
            f"Pongo refused the authorisation code ({response.status_code})",
            code="invalid_grant",
        )
    try:
        body = mapping(response.json(), "token")
    except (ValueError, RecursionError) as err:
        raise MalformedAnswer("Pongo's token answer is not JSON") from err
    return text(body, "access_token", required=True)


def merchant_name(client: PongoClient) -> str:
    me = mapping(data(client.call("GET", path("me"))), "me")
    return text(mapping(me.get("merchant"), "merchant"), "name")


def stores(client: PongoClient) -> list[PongoStore]:
    answer = client.call("GET", path("stores"))
    result = []
    for item in listing(data(answer), "stores"):
        store = mapping(item, "store")
        result.append(
            PongoStore(
                slug=text(store, "slug", required=True),
                name=text(store, "name"),
                city=text(store, "city"),
            )
        )
    return result


def webhook_subscribe(client: PongoClient, *, url: str, event: str, secret: str) -> str:
    """Subscribe `url` to `event`, deliveries signed with `secret`; returns the id."""
    answer = client.call(
        "POST",
        path("webhooks"),
        json={"event": event, "url": url, "secret": secret},
        timeout=posting_timeout(),
    )
    return text(mapping(data(answer), "webhook"), "id", required=True)


def webhook_unsubscribe(client: PongoClient, *, webhook_id: str) -> None:
    try:
        client.call(
            "DELETE", path("webhook", webhook=webhook_id), timeout=posting_timeout()
        )
    except LoyaltyRejected as err:
        if err.code != "not_found":
            raise
