"""The market's headers on `/loyalty/*` and `/graphql`; none on the Sanity route."""

from __future__ import annotations

import pytest

from tests.sandboxes.rbi.conftest import HEADERS, OFFERS_QUERY, pos_vendor

IDENTIFY = {"identifier": "111111", "posVendor": pos_vendor()}
TRANSACTION = "/loyalty/transaction/pos/f4190848-169d-4c69-9f53-f916318c432b"
KEYED_ROUTES = [
    ("POST", "/loyalty/identify"),
    ("POST", "/loyalty/transaction/pos/validate/f4190848-169d-4c69-9f53-f916318c432b"),
    ("PUT", "/loyalty/transaction/pos/validate/f4190848-169d-4c69-9f53-f916318c432b"),
    ("PUT", TRANSACTION),
    ("PUT", TRANSACTION + "/void"),
    ("POST", "/loyalty/transaction/pos"),
    ("POST", "/loyalty/promo-code/redeem"),
    ("POST", "/loyalty/user/00000000-0000-4000-8000-000000000001/points"),
    ("POST", "/graphql"),
]


def _without(name):
    return {key: value for key, value in HEADERS.items() if key != name}


def test_a_missing_api_key_is_refused(api):
    response = api.request(
        "POST", "/loyalty/identify", headers=_without("x-api-key"), json=IDENTIFY
    )

    assert (response.status_code, response.json()) == (
        401,
        {"statusCode": 401, "code": "Unauthorized", "message": "Unauthorized"},
    )


@pytest.mark.parametrize(("method", "path"), KEYED_ROUTES)
def test_every_loyalty_route_needs_the_api_key(api, method, path):
    response = api.request(method, path, headers=_without("x-api-key"), json={})

    assert (response.status_code, response.json()["code"]) == (401, "Unauthorized")


@pytest.mark.parametrize(("method", "path"), KEYED_ROUTES)
def test_every_loyalty_route_checks_the_region(api, method, path):
    headers = {**HEADERS, "x-region": "BE"}

    response = api.request(method, path, headers=headers, json={})

    assert (response.status_code, response.json()["details"]) == (
        400,
        {"fields": ["x-region"]},
    )


def test_an_unknown_api_key_is_refused(api):
    headers = {**HEADERS, "x-api-key": "someone-else"}

    response = api.request("POST", "/loyalty/identify", headers=headers, json=IDENTIFY)

    assert response.status_code == 401


def test_a_refused_key_moves_nothing(rbi_sandbox, api):
    api.request(
        "POST", "/loyalty/identify", headers=_without("x-api-key"), json=IDENTIFY
    )

    assert api.identify("111111").status_code == 200


def test_the_graphql_route_needs_the_api_key(api):
    response = api.request(
        "POST", "/graphql", headers=_without("x-api-key"), json={"query": "{ x }"}
    )

    assert response.status_code == 401


def test_another_region_is_a_validation_error(api):
    headers = {**HEADERS, "x-region": "DE"}

    response = api.request("POST", "/loyalty/identify", headers=headers, json=IDENTIFY)

    assert (response.status_code, response.json()) == (
        400,
        {
            "statusCode": 400,
            "code": "ValidationError",
            "message": "Invalid request headers",
            "details": {"fields": ["x-region"]},
        },
    )


def test_a_lower_case_region_is_refused(api):
    headers = {**HEADERS, "x-region": "fr"}

    response = api.request("POST", "/loyalty/identify", headers=headers, json=IDENTIFY)

    assert response.json()["details"] == {"fields": ["x-region"]}


def test_a_missing_user_datetime_is_a_validation_error(api):
    response = api.request(
        "POST", "/loyalty/identify", headers=_without("x-user-datetime"), json=IDENTIFY
    )

    assert (response.status_code, response.json()["details"]) == (
        400,
        {"fields": ["x-user-datetime"]},
    )


@pytest.mark.parametrize("value", ["yesterday", "2025-05-04T15:39:47", "2025-13-04"])
def test_an_unparsable_user_datetime_is_a_validation_error(api, value):
    headers = {**HEADERS, "x-user-datetime": value}

    response = api.request("POST", "/loyalty/identify", headers=headers, json=IDENTIFY)

    assert response.json()["details"] == {"fields": ["x-user-datetime"]}


def test_a_utc_user_datetime_is_accepted(api):
    headers = {**HEADERS, "x-user-datetime": "2025-05-04T13:39:47Z"}

    response = api.request("POST", "/loyalty/identify", headers=headers, json=IDENTIFY)

    assert response.status_code == 200


def test_every_bad_header_is_listed(api):
    headers = {"x-api-key": HEADERS["x-api-key"], "x-region": "ES"}

    response = api.request("POST", "/loyalty/identify", headers=headers, json=IDENTIFY)

    assert response.json()["details"] == {"fields": ["x-region", "x-user-datetime"]}


def test_the_sanity_route_needs_no_header(api):
    response = api.request(
        "POST",
        "/sanity/v1/graphql/dev_bk_fr/default",
        headers={},
        json={"query": OFFERS_QUERY},
    )

    assert response.status_code == 200


def test_an_unknown_route_answers_not_found(api):
    response = api.request("POST", "/loyalty/nowhere", json={})

    assert (response.status_code, response.json()) == (
        404,
        {"statusCode": 404, "code": "NotFound", "message": "Not found", "details": {}},
    )


def test_an_unknown_route_still_needs_the_key(api):
    response = api.request("POST", "/loyalty/nowhere", headers={}, json={})

    assert response.status_code == 401


def test_a_wrong_method_answers_method_not_allowed(api):
    response = api.request("GET", "/loyalty/identify")

    assert (response.status_code, response.json()["code"]) == (405, "MethodNotAllowed")


def test_a_body_that_is_not_json_is_a_validation_error(api):
    response = api.request("POST", "/loyalty/identify", data=b"{not json")

    assert (response.status_code, response.json()["details"]) == (
        400,
        {"fields": ["body"]},
    )
