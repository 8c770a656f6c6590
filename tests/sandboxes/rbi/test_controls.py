"""The RBI control routes, the demo page, promo codes and point adjustments."""

from __future__ import annotations

import re

import pytest
import requests

from sandboxes.core.control import SandboxError
from tests.sandboxes.rbi.conftest import ALEX, KIM, ROBIN, SAM, UNKNOWN_USER


def _get(url):
    session = requests.Session()
    session.trust_env = False
    return session.get(url, timeout=5)


def _page(rbi_sandbox, method="GET", **kwargs):
    session = requests.Session()
    session.trust_env = False
    return session.request(
        method, f"{rbi_sandbox.base_url}/_sandbox/", timeout=5, **kwargs
    )


def test_health_reports_the_rbi_switches_and_settings(rbi_sandbox):
    health = rbi_sandbox.health()

    assert health["emulator"] == "rbi"
    assert health["faults"] == {
        "latency_ms": 0,
        "jitter_ms": 0,
        "error_rate": 0.0,
        "error_status": 503,
        "force_status": None,
        "down": False,
        "rules": [],
        "rate_limit_per_min": None,
        "seed": 0,
        "upper_snake_codes": False,
        "loyalty_id_identifier": True,
        "email_identifier": False,
        "pending_ttl_s": 1800,
        "earn_basis": "subtotal",
    }


def test_settings_are_validated(rbi_sandbox):
    with pytest.raises(SandboxError, match="422"):
        rbi_sandbox.faults(earn_basis="visits")


def test_reset_restores_the_settings(rbi_sandbox):
    rbi_sandbox.faults(pending_ttl_s=60, upper_snake_codes=True)

    rbi_sandbox.reset()

    faults = rbi_sandbox.health()["faults"]
    assert (faults["pending_ttl_s"], faults["upper_snake_codes"]) == (1800, False)


def test_a_user_shows_balance_holds_and_offers(rbi_sandbox, api):
    api.identified("222222")

    user = rbi_sandbox.user(ALEX)

    assert {
        key: user[key] for key in ("name", "points", "heldPoints", "availablePoints")
    } == {
        "name": "Alex",
        "points": 1200,
        "heldPoints": 250,
        "availablePoints": 950,
    }
    assert [offer["loyaltyEngineId"] for offer in user["offers"]] == [
        "eng-pof-0001",
        "eng-pof-0002",
    ]


def test_seed_balances(rbi_sandbox):
    points = [
        rbi_sandbox.user(loyalty_id)["points"] for loyalty_id in (ALEX, SAM, KIM, ROBIN)
    ]

    assert points == [1200, 0, 240, 3000]


def test_set_points_sets_the_balance(rbi_sandbox):
    user = rbi_sandbox.set_points(SAM, 500)

    assert (user["points"], user["pointMovements"][-1]["kind"]) == (500, "set")


def test_set_points_refuses_a_negative_balance(rbi_sandbox):
    with pytest.raises(SandboxError, match="422"):
        rbi_sandbox.set_points(SAM, -1)


def test_set_points_of_an_unknown_user(rbi_sandbox):
    with pytest.raises(SandboxError, match="404"):
        rbi_sandbox.set_points(UNKNOWN_USER, 10)


def test_an_unknown_transaction_state_is_not_found(rbi_sandbox):
    with pytest.raises(SandboxError, match="404"):
        rbi_sandbox.transaction("f4190848-169d-4c69-9f53-f916318c432b")


def test_a_transaction_state_has_every_part(rbi_sandbox, api):
    transaction_id = api.identified("222222")["transactionId"]

    state = rbi_sandbox.transaction(transaction_id)

    assert set(state) == {
        "transactionId",
        "loyaltyId",
        "status",
        "isUnclaimed",
        "storeId",
        "posVendor",
        "serviceMode",
        "basket",
        "holds",
        "heldPoints",
        "burnedPoints",
        "earnedPoints",
        "consumedOffers",
        "createdAt",
        "updatedAt",
        "history",
    }
    assert state["history"] == [
        {
            "at": state["createdAt"],
            "event": "identified",
            "method": "code",
            "heldPoints": 250,
        }
    ]


def test_an_image_of_any_seed_name(rbi_sandbox):
    response = _get(f"{rbi_sandbox.base_url}/_sandbox/images/item-whopper.svg")

    assert (response.status_code, response.headers["Content-Type"]) == (
        200,
        "image/svg+xml",
    )
    assert ">item whopper</text></svg>" in response.text


def test_an_image_name_must_look_like_one(rbi_sandbox):
    response = _get(f"{rbi_sandbox.base_url}/_sandbox/images/Not_An..Image.svg")

    assert response.status_code == 404


def test_the_demo_page_shows_every_user_and_balance(rbi_sandbox, api):
    api.identified("222222")

    page = _page(rbi_sandbox).text

    for name in ("Alex", "Sam", "Kim", "Robin"):
        assert f"<h2>{name}</h2>" in page
    assert '<p class="points">950 points</p>' in page
    assert "<p>Balance 1200, held 250.</p>" in page


def test_the_demo_page_lists_the_seed_codes(rbi_sandbox):
    page = _page(rbi_sandbox).text

    assert (
        "<tr><td><code>999999</code></td><td>Alex</td><td>none</td><td>used</td></tr>"
        in page
    )


def test_the_demo_page_needs_no_script_and_no_external_resource(rbi_sandbox):
    page = _page(rbi_sandbox).text

    assert "<script" not in page
    assert re.findall(r'(?:src|href)="https?://', page) == []


def test_a_new_code_from_the_demo_page_shows_it_with_its_qr(rbi_sandbox):
    response = _page(
        rbi_sandbox,
        "POST",
        data={"loyaltyId": KIM, "preselect": ["offer-open-fries"]},
    )

    found = re.search(r'<p class="otp">(\d{6})</p>', response.text)
    assert response.status_code == 200
    assert found is not None
    assert "New code for Kim</h2><svg" in response.text


def test_a_new_code_from_the_demo_page_identifies_with_its_preselection(
    rbi_sandbox, api
):
    response = _page(
        rbi_sandbox,
        "POST",
        data={
            "loyaltyId": ALEX,
            "preselect": ["reward-free-drink", "engine:eng-pof-0002"],
        },
    )
    code = re.search(r'<p class="otp">(\d{6})</p>', response.text).group(1)

    data = api.identified(code)

    assert [item["loyaltyEngineId"] for item in data["order"]] == [
        "eng-rwd-0001",
        "eng-pof-0002",
    ]


def test_a_promo_code_unlocks_its_offer(api):
    response = api.request(
        "POST",
        "/loyalty/promo-code/redeem",
        json={"promoCode": "A00001", "loyaltyId": ALEX},
    )

    assert (response.status_code, response.json()) == (
        200,
        {"sanityId": "offer-chicken-meal-299"},
    )


def test_a_promo_code_works_signed_out(api):
    response = api.request(
        "POST", "/loyalty/promo-code/redeem", json={"promoCode": "A00001"}
    )

    assert response.status_code == 200


def test_a_promo_code_is_burned_on_use(api):
    api.request("POST", "/loyalty/promo-code/redeem", json={"promoCode": "A00001"})

    response = api.request(
        "POST", "/loyalty/promo-code/redeem", json={"promoCode": "A00001"}
    )

    assert (response.status_code, response.json()["code"]) == (
        422,
        "PromoCodeAlreadyRedeemed",
    )


def test_reset_restores_the_promo_code(rbi_sandbox, api):
    api.request("POST", "/loyalty/promo-code/redeem", json={"promoCode": "A00001"})

    rbi_sandbox.reset()

    response = api.request(
        "POST", "/loyalty/promo-code/redeem", json={"promoCode": "A00001"}
    )
    assert response.status_code == 200


def test_an_unknown_promo_code_is_not_found(api):
    response = api.request(
        "POST", "/loyalty/promo-code/redeem", json={"promoCode": "Z99999"}
    )

    assert (response.status_code, response.json()["code"]) == (404, "PromoCodeNotFound")


def test_a_promo_code_is_required(api):
    response = api.request("POST", "/loyalty/promo-code/redeem", json={})

    assert (response.status_code, response.json()["details"]) == (
        400,
        {"fields": ["promoCode"]},
    )


def test_point_adjustments_are_not_implemented(api):
    response = api.request(
        "POST",
        f"/loyalty/user/{ALEX}/points",
        json={"partner": "Partner", "points": 100, "reference": "r-1"},
    )

    assert (response.status_code, response.json()) == (
        501,
        {
            "statusCode": 501,
            "code": "NotImplemented",
            "message": "Point adjustments are not available in the sandbox",
            "details": {},
        },
    )


def test_requests_are_logged_with_the_rbi_headers(rbi_sandbox, api):
    api.identify("111111")

    entry = rbi_sandbox.requests()[0]
    assert (entry["path"], entry["status"], entry["headers"]["x-region"]) == (
        "/loyalty/identify",
        200,
        "FR",
    )
