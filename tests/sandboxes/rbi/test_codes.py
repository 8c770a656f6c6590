"""One-time codes minted through `/_sandbox/otp`: 6 digits, 300 s, single use."""

from __future__ import annotations

import re
from datetime import datetime, timedelta

import pytest

from sandboxes.core.control import SandboxError
from tests.sandboxes.rbi.conftest import ALEX, SAM, UNKNOWN_USER


def test_a_minted_code_is_six_digits(rbi_sandbox):
    code = rbi_sandbox.mint_code(ALEX)

    assert re.fullmatch(r"\d{6}", code["otp"])


def test_a_minted_code_expires_300_seconds_after_minting(rbi_sandbox):
    code = rbi_sandbox.mint_code(ALEX)

    lifetime = datetime.fromisoformat(code["expiresAt"]) - datetime.fromisoformat(
        code["mintedAt"]
    )
    assert lifetime == timedelta(seconds=300)


def test_a_minted_code_identifies_its_user(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(SAM)

    assert api.identified(code["otp"])["loyaltyUser"]["id"] == SAM


def test_a_minted_code_is_still_valid_after_299_seconds(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(ALEX)
    rbi_sandbox.set_clock(299)

    assert api.identify(code["otp"]).status_code == 200


def test_a_minted_code_is_not_found_after_300_seconds(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(ALEX)
    rbi_sandbox.set_clock(301)

    response = api.identify(code["otp"])

    assert (response.status_code, response.json()["code"]) == (
        404,
        "HashSetNotFoundError",
    )


def test_a_minted_code_is_single_use(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(ALEX)
    api.identified(code["otp"])

    response = api.identify(code["otp"])

    assert (response.status_code, response.json()["code"]) == (
        422,
        "OrderSelectionStatusUnclaimable",
    )


def test_a_used_code_is_not_found_once_expired(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(ALEX)
    api.identified(code["otp"])
    rbi_sandbox.set_clock(301)

    assert api.identify(code["otp"]).status_code == 404


def test_a_code_lives_as_long_as_asked(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(ALEX, ttl_s=30)
    rbi_sandbox.set_clock(31)

    assert api.identify(code["otp"]).status_code == 404


def test_seed_codes_never_expire(rbi_sandbox, api):
    rbi_sandbox.set_clock(400 * 24 * 3600)

    assert api.identify("111111").status_code == 200


def test_a_code_carries_its_preselection(rbi_sandbox, api):
    code = rbi_sandbox.mint_code(
        ALEX,
        preselect=[
            {"incentiveId": "reward-free-fries"},
            {"loyaltyEngineId": "eng-ofr-0005"},
        ],
    )

    data = api.identified(code["otp"])

    assert [item["incentiveId"] for item in data["order"]] == [
        "reward-free-fries",
        "offer-nuggets-min-spend",
    ]
    assert data["balances"] == [{"amount": 800, "currency": "points"}]


def test_minting_for_an_unknown_user_is_refused(rbi_sandbox):
    with pytest.raises(SandboxError, match="404"):
        rbi_sandbox.mint_code(UNKNOWN_USER)


def test_an_unknown_incentive_needs_its_product_type(rbi_sandbox):
    with pytest.raises(SandboxError, match="422"):
        rbi_sandbox.mint_code(ALEX, preselect=[{"incentiveId": "reward-gone"}])


def test_a_preselection_names_one_incentive(rbi_sandbox):
    with pytest.raises(SandboxError, match="422"):
        rbi_sandbox.mint_code(
            ALEX,
            preselect=[
                {"incentiveId": "reward-free-drink", "loyaltyEngineId": "eng-rwd-0001"}
            ],
        )


def test_a_lifetime_must_be_positive(rbi_sandbox):
    with pytest.raises(SandboxError, match="422"):
        rbi_sandbox.mint_code(ALEX, ttl_s=0)
