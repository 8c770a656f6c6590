"""Tokens and scopes: 401 without a valid token, 403 without the scope."""

from __future__ import annotations

import pytest

from tests.sandboxes.conftest import CH_TOKEN, READONLY_TOKEN

UNAUTHENTICATED = {"message": "Unauthenticated."}
INVALID_SCOPE = {"message": "Invalid scope(s) provided."}
YEAR_AND_A_DAY_S = 366 * 24 * 3600


def test_missing_token_is_401(api):
    response = api.get("/v1/stores", token=None)

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_unknown_token_is_401(api):
    response = api.get("/v1/customers/cust_0000000001", token="not-a-token")

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_token_with_a_forged_signature_is_401(pongo_sandbox, api):
    token = _issued_token(pongo_sandbox, api)
    header, claims, _ = token.split(".")

    response = api.get("/v1/oauth/test", token=f"{header}.{claims}.AAAA")

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


def test_issued_token_works(pongo_sandbox, api):
    response = api.get("/v1/oauth/test", token=_issued_token(pongo_sandbox, api))

    assert (response.status_code, response.json()) == (200, {"message": "ok"})


def test_issued_token_expires_after_a_year_on_the_sandbox_clock(pongo_sandbox, api):
    token = _issued_token(pongo_sandbox, api)
    pongo_sandbox.set_clock(YEAR_AND_A_DAY_S)

    response = api.get("/v1/oauth/test", token=token)

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize(
    "path",
    [
        "/v1/oauth/me",
        "/v1/oauth/test",
        "/v1/stores",
        "/v1/customers/phone/33612345678",
        "/v1/customers/cust_0000000001",
        "/v1/customers",
        "/v1/customer-tags",
        "/v1/rewards",
        "/v1/customers/cust_0000000001/rewards",
    ],
)
def test_every_read_route_needs_a_token(api, path):
    response = api.get(path, token=None)

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/customers"),
        ("PATCH", "/v1/customers/cust_0000000001"),
        ("POST", "/v1/rewards/rew_0000000001/buy"),
        ("POST", "/v1/customers/cust_0000000001/rewards/crw_0000000001/lock"),
        ("DELETE", "/v1/customers/cust_0000000001/rewards/crw_0000000001/lock"),
        ("PATCH", "/v1/customers/cust_0000000001/rewards/crw_0000000001/use"),
        ("POST", "/v1/orders"),
        ("PATCH", "/v1/orders/5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a/status"),
        ("POST", "/v1/checkins"),
        ("POST", "/v1/webhooks"),
        ("DELETE", "/v1/webhooks/wh_0000000001"),
    ],
)
def test_every_write_route_needs_a_token(api, method, path):
    response = api.request(method, path, token=None, json={})

    assert (response.status_code, response.json()) == (401, UNAUTHENTICATED)


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("POST", "/v1/customers"),
        ("PUT", "/v1/customers/cust_0000000001"),
        ("PATCH", "/v1/customers/cust_0000000001"),
        ("POST", "/v1/rewards/rew_0000000001/buy"),
        ("POST", "/v1/customers/cust_0000000001/rewards/crw_0000000001/lock"),
        ("DELETE", "/v1/customers/cust_0000000001/rewards/crw_0000000001/lock"),
        ("PATCH", "/v1/customers/cust_0000000001/rewards/crw_0000000001/use"),
        ("POST", "/v1/orders"),
        ("PATCH", "/v1/orders/5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a/status"),
        ("POST", "/v1/checkins"),
    ],
)
def test_readonly_token_is_refused_by_every_scoped_write(api, method, path):
    response = api.request(method, path, token=READONLY_TOKEN, json={})

    assert (response.status_code, response.json()) == (403, INVALID_SCOPE)


def test_refused_write_changes_nothing(api):
    api.post(
        "/v1/rewards/rew_0000000001/buy",
        token=READONLY_TOKEN,
        json={"customer": "cust_0000000001", "store_slug": "demo-paris-11"},
    )

    assert api.customer("cust_0000000001")["points"] == 320


@pytest.mark.parametrize(
    "path",
    [
        "/v1/customers/phone/33612345678",
        "/v1/customers/cust_0000000001",
        "/v1/customers",
        "/v1/customer-tags",
        "/v1/rewards",
        "/v1/customers/cust_0000000001/rewards",
        "/v1/stores",
        "/v1/oauth/me",
    ],
)
def test_readonly_token_reads(api, path):
    response = api.get(path, token=READONLY_TOKEN)

    assert response.status_code == 200


def test_webhooks_need_no_scope(api):
    response = api.post(
        "/v1/webhooks",
        token=READONLY_TOKEN,
        json={"event": "customer.created", "url": "https://127.0.0.1:9/hooks"},
    )

    assert response.status_code == 201


def test_customer_of_another_merchant_is_not_found(api):
    response = api.get("/v1/customers/cust_0000000001", token=CH_TOKEN)

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Customer not found."},
    )


def test_me_tells_the_user_merchant_and_scopes(api):
    response = api.get("/v1/oauth/me", token=READONLY_TOKEN)

    assert response.json() == {
        "data": {
            "user": {
                "id": "usr_fr00000001",
                "name": "Camille Durand",
                "email": "manager@brasserie-demo.example",
            },
            "merchant": {"id": "mer_fr00000001", "name": "Brasserie Démo"},
            "scopes": ["customer.read", "reward.read"],
        }
    }


def _issued_token(pongo_sandbox, api):
    code = pongo_sandbox.authorize(merchant="FR")["code"]
    response = api.post(
        "/v1/oauth/token",
        token=None,
        json={
            "grant_type": "client_credentials",
            "client_id": "kiosk-sandbox",
            "client_secret": "kiosk-sandbox-secret",
            "code": code,
        },
    )
    return response.json()["access_token"]
