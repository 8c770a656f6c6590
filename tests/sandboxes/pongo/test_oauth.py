"""The OAuth code flow: consent form, code, token, and the codes that cannot be used."""

from __future__ import annotations

from urllib.parse import parse_qs, urlsplit

import pytest

REDIRECT_URI = "http://127.0.0.1:8000/loyalty/pongo/callback"
CLIENT = {"client_id": "kiosk-sandbox", "client_secret": "kiosk-sandbox-secret"}
TEN_MINUTES_AND_A_SECOND_S = 601


def _form_query(**overrides):
    query = {
        "client_id": "kiosk-sandbox",
        "state": "s-123",
        "redirect_uri": REDIRECT_URI,
        "scope": "customer.read,reward.read",
    }
    query.update(overrides)
    return query


def _token(api, **fields):
    return api.post("/v1/oauth/token", token=None, json={**CLIENT, **fields})


def test_form_lists_the_merchants_and_posts_back(api):
    response = api.get("/v1/oauth/form", token=None, params=_form_query())

    assert response.status_code == 200
    assert response.headers["Content-Type"] == "text/html; charset=utf-8"
    assert 'value="mer_fr00000001"' in response.text
    assert 'value="mer_ch00000001"' in response.text
    assert '<form method="post" action="/v1/oauth/form">' in response.text


def test_form_refuses_an_unknown_client(api):
    response = api.get(
        "/v1/oauth/form", token=None, params=_form_query(client_id="intruder")
    )

    assert (response.status_code, response.json()) == (
        400,
        {"message": "invalid_client"},
    )


@pytest.mark.parametrize(
    "redirect_uri",
    [
        "https://127.0.0.1:8000/callback",
        "http://kiosk.example/callback",
        "http://127.0.0.2:8000/callback",
        "",
    ],
)
def test_form_refuses_a_redirect_uri_that_is_not_whitelisted(api, redirect_uri):
    response = api.get(
        "/v1/oauth/form", token=None, params=_form_query(redirect_uri=redirect_uri)
    )

    assert (response.status_code, response.json()) == (
        400,
        {"message": "invalid_redirect_uri"},
    )


@pytest.mark.parametrize(
    "redirect_uri",
    ["http://localhost:9123/cb", "http://127.0.0.1:1/pongo/callback?next=admin"],
)
def test_form_accepts_loopback_redirect_uris_on_any_port(api, redirect_uri):
    response = api.get(
        "/v1/oauth/form", token=None, params=_form_query(redirect_uri=redirect_uri)
    )

    assert response.status_code == 200


def test_authorize_redirects_with_code_and_state(api):
    response = api.post(
        "/v1/oauth/form",
        token=None,
        data={**_form_query(), "merchant": "mer_fr00000001"},
        allow_redirects=False,
    )

    location = urlsplit(response.headers["Location"])
    query = parse_qs(location.query)
    assert response.status_code == 302
    assert f"{location.scheme}://{location.netloc}{location.path}" == REDIRECT_URI
    assert query["state"] == ["s-123"]
    assert len(query["code"]) == 1


def test_code_from_the_form_gives_a_token_of_that_merchant(api):
    redirect = api.post(
        "/v1/oauth/form",
        token=None,
        data={**_form_query(), "merchant": "mer_ch00000001"},
        allow_redirects=False,
    )
    code = parse_qs(urlsplit(redirect.headers["Location"]).query)["code"][0]

    token = _token(api, grant_type="client_credentials", code=code).json()[
        "access_token"
    ]

    me = api.get("/v1/oauth/me", token=token).json()["data"]
    assert (me["merchant"]["id"], me["scopes"]) == (
        "mer_ch00000001",
        ["customer.read", "reward.read"],
    )


def test_token_response_shape(pongo_sandbox, api):
    code = pongo_sandbox.authorize()["code"]

    response = _token(api, grant_type="client_credentials", code=code)

    body = response.json()
    assert response.status_code == 200
    assert (body["token_type"], body["expires_in"]) == ("Bearer", 31536000)
    assert body["access_token"].count(".") == 2


def test_headless_authorize_tells_where_the_browser_would_go(pongo_sandbox):
    result = pongo_sandbox.authorize(
        redirect_uri="http://localhost:8000/cb?x=1", state="abc"
    )

    assert (
        result["redirect_to"]
        == f"http://localhost:8000/cb?x=1&code={result['code']}&state=abc"
    )


def test_token_endpoint_accepts_form_encoding(pongo_sandbox, api):
    code = pongo_sandbox.authorize()["code"]

    response = api.post(
        "/v1/oauth/token",
        token=None,
        data={**CLIENT, "grant_type": "client_credentials", "code": code},
    )

    assert response.status_code == 200


def test_a_used_code_is_invalid_grant(pongo_sandbox, api):
    code = pongo_sandbox.authorize()["code"]
    _token(api, grant_type="client_credentials", code=code)

    response = _token(api, grant_type="client_credentials", code=code)

    assert (response.status_code, response.json()) == (
        400,
        {"message": "invalid_grant"},
    )


def test_an_expired_code_is_invalid_grant(pongo_sandbox, api):
    code = pongo_sandbox.authorize()["code"]
    pongo_sandbox.set_clock(TEN_MINUTES_AND_A_SECOND_S)

    response = _token(api, grant_type="client_credentials", code=code)

    assert (response.status_code, response.json()) == (
        400,
        {"message": "invalid_grant"},
    )


def test_an_unknown_code_is_invalid_grant(api):
    response = _token(api, grant_type="client_credentials", code="made-up")

    assert (response.status_code, response.json()) == (
        400,
        {"message": "invalid_grant"},
    )


def test_a_code_for_another_redirect_uri_is_invalid_grant(pongo_sandbox, api):
    code = pongo_sandbox.authorize(redirect_uri=REDIRECT_URI)["code"]

    response = _token(
        api,
        grant_type="client_credentials",
        code=code,
        redirect_uri="http://localhost:1/other",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"message": "invalid_grant"},
    )


def test_a_wrong_client_secret_is_401(pongo_sandbox, api):
    code = pongo_sandbox.authorize()["code"]

    response = _token(
        api, grant_type="client_credentials", code=code, client_secret="guess"
    )

    assert (response.status_code, response.json()) == (
        401,
        {"message": "invalid_client"},
    )


def test_a_refused_secret_does_not_use_up_the_code(pongo_sandbox, api):
    code = pongo_sandbox.authorize()["code"]
    _token(api, grant_type="client_credentials", code=code, client_secret="guess")

    response = _token(api, grant_type="client_credentials", code=code)

    assert response.status_code == 200


def test_password_grant_gives_a_token(api):
    response = _token(
        api,
        grant_type="password",
        username="manager@brasserie-demo.example",
        password="sandbox-password",
    )

    me = api.get("/v1/oauth/me", token=response.json()["access_token"]).json()["data"]
    assert me["merchant"]["id"] == "mer_fr00000001"


def test_password_grant_with_a_wrong_password_is_invalid_grant(api):
    response = _token(
        api,
        grant_type="password",
        username="manager@brasserie-demo.example",
        password="nope",
    )

    assert (response.status_code, response.json()) == (
        400,
        {"message": "invalid_grant"},
    )


def test_an_unknown_grant_type_is_refused(api):
    response = _token(api, grant_type="authorization_code", code="x")

    assert (response.status_code, response.json()) == (
        400,
        {"message": "unsupported_grant_type"},
    )


def test_a_token_only_has_the_scopes_asked_for(pongo_sandbox, api):
    code = pongo_sandbox.authorize(scope="customer.read")["code"]
    token = _token(api, grant_type="client_credentials", code=code).json()[
        "access_token"
    ]

    response = api.post(
        "/v1/customers",
        token=token,
        json={"phone": "33600000001", "reference_store_slug": "demo-paris-11"},
    )

    assert (response.status_code, response.json()) == (
        403,
        {"message": "Invalid scope(s) provided."},
    )


def test_an_unknown_scope_is_refused(api):
    response = api.get(
        "/v1/oauth/form", token=None, params=_form_query(scope="customer.read,admin")
    )

    assert (response.status_code, response.json()) == (
        400,
        {"message": "invalid_scope"},
    )
