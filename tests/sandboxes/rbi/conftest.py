"""Helpers for talking to the RBI sandbox over real HTTP: headers, bodies, clock."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from typing import Any
from zoneinfo import ZoneInfo

import pytest
import requests

from sandboxes.core.control import SandboxControl
from sandboxes.rbi.control import RbiSandboxControl

API_KEY = "rbi-sandbox-kiosk-key"
HEADERS = {
    "x-api-key": API_KEY,
    "x-region": "FR",
    "x-user-datetime": "2025-05-04T15:39:47+02:00",
}
PARIS = ZoneInfo("Europe/Paris")

ALEX = "00000000-0000-4000-8000-000000000001"
SAM = "00000000-0000-4000-8000-000000000002"
KIM = "00000000-0000-4000-8000-000000000003"
ROBIN = "00000000-0000-4000-8000-000000000004"
UNKNOWN_USER = "00000000-0000-4000-8000-000000000099"

VENDOR_CONFIGS = """vendorConfigs {
      partner { __typename pluType constantPlu } ncr { __typename pluType constantPlu }
    }"""
OFFERS_QUERY = f"""
query KioskOffers {{
  LoyaltyOffersUI(id: "feature-loyalty-offers-ui-singleton") {{
    sortedSystemwideOffers {{ _id loyaltyEngineId name {{ enRaw }} description {{ enRaw }}
      offerPrice {VENDOR_CONFIGS}
      incentives {{ __typename ... on Combo {{ _id {VENDOR_CONFIGS} }}
                   ... on Item {{ _id {VENDOR_CONFIGS} }} }}
      rules {{ __typename ... on RequiresAuthentication {{ requiresAuthentication }}
               ... on LoyaltyBetweenDates {{ startDate endDate }} }} }}
    liveConfigOffers {{ _id loyaltyEngineId name {{ enRaw }} description {{ enRaw }} }}
  }}
}}
"""
REWARDS_QUERY = f"""
query KioskRewards {{
  RewardList(id: "reward-list-singleton") {{
    rewardCategories {{ _id label {{ en fr }}
      rewards {{ ... on Reward {{ _id loyaltyEngineId name {{ en }} description {{ enRaw }}
        image {{ en {{ asset {{ url }} }} }} {VENDOR_CONFIGS}
        ruleSet {{ ... on LoyaltyPoints {{ points }} ... on RewardPrice {{ price }}
                   ... on SubtotalSpend {{ minimumSpend }} }}
        incentives {{ __typename ... on Item {{ _id {VENDOR_CONFIGS} }}
                     ... on Combo {{ _id {VENDOR_CONFIGS} }} }} }} }} }}
  }}
}}
"""
OFFERS_V2_QUERY = """
query Offers($loyaltyId: ID, $where: LoyaltyOffersInput) {
  loyaltyOffersV2(loyaltyId: $loyaltyId, where: $where) { id name type sanityId errors { code ruleId } }
}
"""
REWARDS_V2_QUERY = """
query Rewards($loyaltyId: ID, $where: LoyaltyRewardsInput) {
  loyaltyRewardsV2(loyaltyId: $loyaltyId, where: $where) {
    id name errors { code ruleId currentValue targetValue }
  }
}
"""


class RbiApi:
    """Calls the sandbox's loyalty API with the market's headers."""

    def __init__(self, base_url: str) -> None:
        self.base_url = base_url
        self.session = requests.Session()
        self.session.trust_env = False

    def request(
        self,
        method: str,
        path: str,
        *,
        headers: dict[str, str] | None = None,
        **kwargs: Any,
    ) -> requests.Response:
        kwargs.setdefault("timeout", 5)
        return self.session.request(
            method,
            self.base_url + path,
            headers=HEADERS if headers is None else headers,
            **kwargs,
        )

    def identify(
        self, identifier: str = "111111", **pos_vendor_fields: Any
    ) -> requests.Response:
        """Identify from a new order of the kiosk, unless `transactionId` is given."""
        fields = {"transactionId": uuid.uuid4().hex, **pos_vendor_fields}
        body = {"identifier": identifier, "posVendor": pos_vendor(**fields)}
        return self.request("POST", "/loyalty/identify", json=body)

    def identified(
        self, identifier: str = "111111", **pos_vendor_fields: Any
    ) -> dict[str, Any]:
        response = self.identify(identifier, **pos_vendor_fields)
        assert response.status_code == 200, response.text
        data: dict[str, Any] = response.json()
        return data

    def validate(
        self, transaction_id: str, body: dict[str, Any], method: str = "POST"
    ) -> requests.Response:
        return self.request(
            method, f"/loyalty/transaction/pos/validate/{transaction_id}", json=body
        )

    def update(self, transaction_id: str, body: dict[str, Any]) -> requests.Response:
        return self.request(
            "PUT", f"/loyalty/transaction/pos/{transaction_id}", json=body
        )

    def void(
        self, transaction_id: str, body: dict[str, Any] | None = None
    ) -> requests.Response:
        return self.request(
            "PUT",
            f"/loyalty/transaction/pos/{transaction_id}/void",
            json=body if body is not None else {},
        )

    def unclaimed(self, body: dict[str, Any]) -> requests.Response:
        return self.request("POST", "/loyalty/transaction/pos", json=body)

    def graphql(
        self, query: str, variables: dict[str, Any] | None = None
    ) -> requests.Response:
        return self.request(
            "POST", "/graphql", json={"query": query, "variables": variables or {}}
        )

    def sanity(
        self,
        query: str,
        variables: dict[str, Any] | None = None,
        dataset: str = "dev_bk_fr",
    ) -> requests.Response:
        return self.request(
            "POST",
            f"/sanity/v1/graphql/{dataset}/default",
            headers={},
            json={"query": query, "variables": variables or {}},
        )


@pytest.fixture
def api(rbi_sandbox: SandboxControl) -> Iterator[RbiApi]:
    client = RbiApi(rbi_sandbox.base_url)
    yield client
    client.session.close()


def pos_vendor(**overrides: Any) -> dict[str, Any]:
    vendor = {
        "transactionId": "5f0c8e2a9b1d4c7e8f3a2b1c0d9e8f7a",
        "storeId": "9999",
        "terminal": "2",
        "posType": "Partner",
        "supportingPos": "partner",
    }
    vendor.update(overrides)
    return vendor


def line(
    reference_id: str, product_type: str, product_id: str, price: float, **extra: Any
) -> dict[str, Any]:
    item = {
        "referenceId": reference_id,
        "productType": product_type,
        "productId": product_id,
        "name": f"PLU {product_id}",
        "quantity": 1,
        "price": price,
        "tax": 0,
    }
    item.update(extra)
    return item


def meal_lines() -> list[dict[str, Any]]:
    """The Whopper Meal M of rbi.md §5.1: 8.49, its children at 0."""
    return [
        line("1", "combo", "4001", 8.49, tax=0.56),
        line("2", "item", "4101", 0, parentReferenceId="1"),
        line("3", "item", "4102", 0, parentReferenceId="1"),
    ]


def reward_line(
    incentive_id: str, plu: str, reference_id: str = "4", **extra: Any
) -> dict[str, Any]:
    return line(reference_id, "reward", plu, 0, incentiveId=incentive_id, **extra)


def offer_line(
    incentive_id: str | None,
    engine_id: str,
    plu: str,
    price: float,
    reference_id: str = "5",
    **extra: Any,
) -> dict[str, Any]:
    ids = {"loyaltyEngineId": engine_id}
    if incentive_id is not None:
        ids["incentiveId"] = incentive_id
    return line(reference_id, "offer", plu, price, **ids, **extra)


FREE_DRINK = ("reward-free-drink", "9001")
CHICKEN_MEAL = ("offer-chicken-meal-299", "eng-ofr-0001", "8001", 2.99)
FRIES_OFFER = ("offer-open-fries", "eng-ofr-0002", "8002", 1.00)
WEEKEND_WHOPPER = ("offer-weekend-whopper", "eng-ofr-0003", "8003", 3.99)
STORE_SPECIAL = ("offer-store-special", "eng-ofr-0004", "8004", 4.49)
NUGGETS = ("offer-nuggets-min-spend", "eng-ofr-0005", "8005", 1.00)
WELCOME_SHAKE = ("offer-first-order", "eng-ofr-0006", "8006", 0.99)


def transaction_body(
    transaction_id: str | None,
    *,
    loyalty_id: str | None = ALEX,
    status: str = "PENDING",
    lines: list[dict[str, Any]] | None = None,
    payments: list[dict[str, Any]] | None = None,
    service_mode: str = "EAT_IN",
    **vendor: Any,
) -> dict[str, Any]:
    """The shared body of rbi.md §5.1; payments default to the lines' total."""
    order = meal_lines() if lines is None else lines
    if payments is None:
        total = sum(round(item["price"] * 100) * item["quantity"] for item in order)
        payments = [{"amount": total, "type": "VISA"}]
    body: dict[str, Any] = {
        "channel": "Restaurant",
        "created": "2025-05-04T13:39:47Z",
        "serviceMode": service_mode,
        "status": status,
        "transactionDetails": {
            "currency": "EUR",
            "order": order,
            "payments": payments,
            "posVendor": pos_vendor(**vendor),
        },
    }
    if loyalty_id is not None:
        body["loyaltyId"] = loyalty_id
    if transaction_id is not None:
        body["transactionId"] = transaction_id
    return body


def rules_of(response: requests.Response) -> list[tuple[str, str]]:
    """(code, ruleId) of every rule failure of a RulesError."""
    assert response.status_code == 400, response.text
    return [
        (entry["code"], entry["ruleId"])
        for entry in response.json()["details"]["ruleEvaluation"]
    ]


def market_time(control: SandboxControl, moment: datetime) -> None:
    """Move the sandbox clock to this moment (write it in Paris time)."""
    control.set_clock((moment - datetime.now(UTC)).total_seconds())


def paris(year: int, month: int, day: int, hour: int = 12) -> datetime:
    return datetime(year, month, day, hour, tzinfo=PARIS)


def available_points(control: RbiSandboxControl, loyalty_id: str) -> int:
    return int(control.user(loyalty_id)["availablePoints"])
