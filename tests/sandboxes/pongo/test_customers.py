"""Customer routes: look-ups, the paginated list, enrolment, updates, tags, attributes."""

from __future__ import annotations

import pytest

from tests.sandboxes.conftest import CH_TOKEN

NEW_PHONE = "33600000001"


def _enrol(api, **fields):
    body = {"phone": NEW_PHONE, "reference_store_slug": "demo-paris-11", **fields}
    return api.post("/v1/customers", json=body)


def test_lookup_by_phone(api):
    response = api.get("/v1/customers/phone/33612345678")

    assert (response.status_code, response.json()["data"]["public_id"]) == (
        200,
        "cust_0000000001",
    )


def test_lookup_of_an_unknown_phone_is_404(api):
    response = api.get("/v1/customers/phone/33600000001")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Customer not found."},
    )


@pytest.mark.parametrize(
    "phone",
    [
        "%2B33612345678",
        "0612345678",
        "3361234",
        "3361234567890123",
        "33%20612345678",
        "33a12345678",
    ],
)
def test_lookup_of_a_malformed_phone_is_422(api, phone):
    response = api.get(f"/v1/customers/phone/{phone}")

    assert (response.status_code, response.json()) == (
        422,
        {
            "message": "The phone format is invalid.",
            "errors": {"phone": ["The phone format is invalid."]},
        },
    )


def test_head_of_a_known_phone_is_200_without_body(api):
    response = api.request("HEAD", "/v1/customers/phone/33612345678")

    assert (response.status_code, response.content) == (200, b"")


def test_head_of_an_unknown_phone_is_404(api):
    response = api.request("HEAD", "/v1/customers/phone/33600000001")

    assert (response.status_code, response.content) == (404, b"")


def test_lookup_by_pass_id(api):
    response = api.get("/v1/customers/cust_0000000004")

    assert response.json()["data"]["first_name"] == "Inès"


def test_lookup_of_an_unknown_id_is_404(api):
    response = api.get("/v1/customers/cust_ffffffffff")

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Customer not found."},
    )


def test_list_first_page(api):
    response = api.get("/v1/customers", params={"per_page": 3})

    body = response.json()
    assert [customer["public_id"] for customer in body["data"]] == [
        "cust_0000000001",
        "cust_0000000002",
        "cust_0000000003",
    ]
    assert body["meta"] == {
        "current_page": 1,
        "per_page": 3,
        "total": 4,
        "last_page": 2,
    }
    assert body["links"] == {
        "first": f"{api.base_url}/v1/customers?page=1&per_page=3",
        "last": f"{api.base_url}/v1/customers?page=2&per_page=3",
        "prev": None,
        "next": f"{api.base_url}/v1/customers?page=2&per_page=3",
    }


def test_list_last_page(api):
    response = api.get("/v1/customers", params={"per_page": 3, "page": 2})

    body = response.json()
    assert [customer["public_id"] for customer in body["data"]] == ["cust_0000000004"]
    assert (body["links"]["prev"], body["links"]["next"]) == (
        f"{api.base_url}/v1/customers?page=1&per_page=3",
        None,
    )


def test_list_pages_by_15_by_default(api):
    response = api.get("/v1/customers")

    assert response.json()["meta"] == {
        "current_page": 1,
        "per_page": 15,
        "total": 4,
        "last_page": 1,
    }


@pytest.mark.parametrize(
    ("params", "field"),
    [
        ({"per_page": 101}, "per_page"),
        ({"page": 0}, "page"),
        ({"created_from": "2025-13-01"}, "created_from"),
    ],
)
def test_list_with_bad_paging_or_dates_is_422(api, params, field):
    response = api.get("/v1/customers", params=params)

    assert (response.status_code, list(response.json()["errors"])) == (422, [field])


@pytest.mark.parametrize(
    ("params", "expected"),
    [
        ({"tag": "student"}, ["cust_0000000004"]),
        ({"phone": "33611112222"}, ["cust_0000000003"]),
        ({"email": "HUGO@example.com"}, ["cust_0000000002"]),
        ({"store_slug": "demo-lyon-2"}, ["cust_0000000003"]),
        ({"created_from": "2025-01-11"}, []),
        (
            {"created_to": "2025-01-10"},
            [
                "cust_0000000001",
                "cust_0000000002",
                "cust_0000000003",
                "cust_0000000004",
            ],
        ),
    ],
)
def test_list_filters(api, params, expected):
    response = api.get("/v1/customers", params=params)

    assert [customer["public_id"] for customer in response.json()["data"]] == expected


def test_enrolment_creates_the_customer(api):
    response = _enrol(
        api,
        first_name="Zoé",
        email="zoe@example.com",
        has_optin=False,
        has_optin_sms=True,
        has_optin_email=False,
    )

    customer = response.json()["data"]
    assert response.status_code == 201
    assert customer["public_id"].startswith("cust_")
    assert len(customer["public_id"]) == len("cust_") + 10
    assert {
        key: customer[key]
        for key in (
            "phone",
            "first_name",
            "email",
            "points",
            "has_optin",
            "has_optin_sms",
            "has_optin_email",
            "has_pin",
            "reference_store",
        )
    } == {
        "phone": NEW_PHONE,
        "first_name": "Zoé",
        "email": "zoe@example.com",
        "points": 0,
        "has_optin": False,
        "has_optin_sms": True,
        "has_optin_email": False,
        "has_pin": False,
        "reference_store": {"public_id": "sto_fr00000001", "slug": "demo-paris-11"},
    }


def test_enrolled_customer_is_found_by_phone(api):
    public_id = _enrol(api).json()["data"]["public_id"]

    response = api.get(f"/v1/customers/phone/{NEW_PHONE}")

    assert response.json()["data"]["public_id"] == public_id


def test_has_optin_alone_sets_both_optins(api):
    customer = _enrol(api, has_optin=True).json()["data"]

    assert (
        customer["has_optin"],
        customer["has_optin_sms"],
        customer["has_optin_email"],
    ) == (True, True, True)


def test_optins_not_given_stay_unknown(api):
    customer = _enrol(api).json()["data"]

    assert (
        customer["has_optin"],
        customer["has_optin_sms"],
        customer["has_optin_email"],
    ) == (None, None, None)


def test_enrolment_by_store_id_and_with_points_to_add(api):
    response = api.post(
        "/v1/customers",
        json={"phone": NEW_PHONE, "reference_store_id": "sto_fr00000002", "points": 40},
    )

    customer = response.json()["data"]
    assert (customer["reference_store"]["slug"], customer["points"]) == (
        "demo-lyon-2",
        40,
    )


def test_enrolment_of_a_taken_phone_is_422(api):
    response = api.post(
        "/v1/customers",
        json={"phone": "33612345678", "reference_store_slug": "demo-paris-11"},
    )

    assert (response.status_code, response.json()) == (
        422,
        {
            "message": "The phone has already been taken.",
            "errors": {"phone": ["The phone has already been taken."]},
        },
    )


def test_the_same_phone_can_join_another_merchant(api):
    response = api.post(
        "/v1/customers",
        token=CH_TOKEN,
        json={"phone": "33612345678", "reference_store_slug": "demo-geneve"},
    )

    assert response.status_code == 201


def test_enrolment_without_phone_is_422(api):
    response = api.post("/v1/customers", json={"reference_store_slug": "demo-paris-11"})

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"phone": ["The phone field is required."]},
    )


@pytest.mark.parametrize(
    ("fields", "errors"),
    [
        ({"phone": "+33600000001"}, {"phone": ["The phone format is invalid."]}),
        ({"phone": "0600000001"}, {"phone": ["The phone format is invalid."]}),
        (
            {"reference_store_slug": "demo-geneve"},
            {"reference_store_slug": ["The selected reference store slug is invalid."]},
        ),
        (
            {"email": "not-an-email"},
            {"email": ["The email must be a valid email address."]},
        ),
        ({"gender": "robot"}, {"gender": ["The selected gender is invalid."]}),
        (
            {"birthday": "02/03/1990"},
            {"birthday": ["The birthday does not match the format Y-m-d."]},
        ),
        ({"pin": "12345"}, {"pin": ["The pin must be 4 digits."]}),
        (
            {"has_optin": "yes"},
            {"has_optin": ["The has optin field must be true or false."]},
        ),
        ({"tags": "student"}, {"tags": ["The tags must be a list of strings."]}),
        ({"points": -5}, {"points": ["The points must be at least 0."]}),
        (
            {"payment_method_hash": "unknown"},
            {"payment_method_hash": ["The payment method hash is invalid."]},
        ),
    ],
)
def test_enrolment_with_an_invalid_field_is_422(api, fields, errors):
    response = _enrol(api, **fields)

    assert (response.status_code, response.json()["errors"]) == (422, errors)


def test_enrolment_without_a_store_is_422(api):
    response = api.post("/v1/customers", json={"phone": NEW_PHONE})

    assert response.json()["errors"] == {
        "reference_store_slug": ["The reference store slug field is required."]
    }


def test_birthday_must_be_before_today_on_the_sandbox_clock(pongo_sandbox, api):
    today = pongo_sandbox.health()["clock"][:10]

    response = _enrol(api, birthday=today)

    assert response.json()["errors"] == {
        "birthday": ["The birthday must be a date before today."]
    }


def test_refused_enrolment_creates_nothing(api):
    _enrol(api, email="not-an-email")

    assert api.get(f"/v1/customers/phone/{NEW_PHONE}").status_code == 404


def test_body_that_is_not_json_is_422(api):
    response = api.post("/v1/customers", data="phone=33600000001")

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"body": ["The body must be valid JSON."]},
    )


def test_patch_records_a_changed_optin(api):
    response = api.request(
        "PATCH", "/v1/customers/cust_0000000003", json={"has_optin_sms": True}
    )

    customer = response.json()["data"]
    assert (
        customer["has_optin"],
        customer["has_optin_sms"],
        customer["has_optin_email"],
    ) == (False, True, False)


def test_put_updates_only_the_given_fields(api):
    response = api.request(
        "PUT", "/v1/customers/cust_0000000002", json={"last_name": "Bernardin"}
    )

    customer = response.json()["data"]
    assert (customer["first_name"], customer["last_name"], customer["points"]) == (
        "Hugo",
        "Bernardin",
        0,
    )


def test_update_of_an_unknown_customer_is_404(api):
    response = api.request(
        "PATCH", "/v1/customers/cust_ffffffffff", json={"has_optin": True}
    )

    assert (response.status_code, response.json()) == (
        404,
        {"message": "Customer not found."},
    )


def test_update_to_a_taken_phone_is_422(api):
    response = api.request(
        "PATCH", "/v1/customers/cust_0000000002", json={"phone": "33612345678"}
    )

    assert (response.status_code, response.json()["errors"]) == (
        422,
        {"phone": ["The phone has already been taken."]},
    )


def test_customer_tags_are_the_tags_in_use(api):
    response = api.get("/v1/customer-tags")

    assert response.json() == {"data": ["student"]}


@pytest.mark.parametrize(
    ("method", "path"),
    [
        ("GET", "/v1/customers/attributes"),
        ("GET", "/v1/customers/cust_0000000001/attributes"),
        ("POST", "/v1/customers/cust_0000000001/attributes"),
        ("PATCH", "/v1/customers/cust_0000000001/attributes/favourite"),
        ("DELETE", "/v1/customers/cust_0000000001/attributes/favourite"),
    ],
)
def test_attribute_routes_are_not_implemented(api, method, path):
    response = api.request(method, path, json={})

    assert (response.status_code, response.json()) == (
        501,
        {"message": "Not implemented in sandbox."},
    )


def test_unknown_route_is_404(api):
    response = api.get("/v1/contest-games")

    assert (response.status_code, response.json()) == (404, {"message": "Not Found."})


def test_known_route_with_another_method_is_405(api):
    response = api.request("DELETE", "/v1/stores")

    assert response.status_code == 405
