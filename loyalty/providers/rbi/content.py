"""RBI incentives: content from Sanity, eligibility from the loyalty platform.

Content (names, images, benefit PLUs) is cached for 10 minutes and the last
good copy is served when Sanity fails; eligibility is asked per member. Both
are GraphQL with every argument as a variable.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass
from typing import Any

import requests
from django.core.cache import cache

from loyalty.http import loyalty_request, loyalty_session
from loyalty.providers.base import (
    ErrorCode,
    LoyaltyUnavailable,
    ProductCode,
    Reward,
    RewardKind,
    RuleIssue,
)
from loyalty.providers.rbi.client import MalformedAnswer, RbiClient
from loyalty.providers.rbi.rules import rule_code

logger = logging.getLogger(__name__)

CONTENT_SECONDS = 600
OFFERS_SINGLETON = "feature-loyalty-offers-ui-singleton"
REWARDS_SINGLETON = "reward-list-singleton"

OFFERS_QUERY = """
query KioskOffers($id: ID!) {
  LoyaltyOffersUI(id: $id) {
    sortedSystemwideOffers { _id loyaltyEngineId name { enRaw frRaw } description { enRaw frRaw }
      offerPrice rules { ... on RequiresAuthentication { requiresAuthentication } }
      vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } }
      incentives { ... on Item { _id vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } } }
                   ... on Combo { _id vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } } } } }
    liveConfigOffers { _id loyaltyEngineId name { enRaw frRaw } description { enRaw frRaw } offerPrice
      vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } }
      incentives { ... on Item { _id vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } } }
                   ... on Combo { _id vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } } } } }
  }
}
"""

REWARDS_QUERY = """
query KioskRewards($id: ID!) {
  RewardList(id: $id) {
    rewardCategories { _id label { en fr }
      rewards { ... on Reward { _id loyaltyEngineId name { en fr } description { enRaw frRaw }
        image { en { asset { url } } }
        vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } }
        ruleSet { ... on LoyaltyPoints { points } ... on RewardPrice { price } ... on SubtotalSpend { minimumSpend } }
        incentives { ... on Item { _id vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } } }
                     ... on Combo { _id vendorConfigs { partner { pluType constantPlu } ncr { pluType constantPlu } } } } } } }
  }
}
"""

ELIGIBLE_OFFERS = """
query EligibleOffers($loyaltyId: ID!, $where: LoyaltyOffersInput) {
  loyaltyOffersV2(loyaltyId: $loyaltyId, where: $where) { id name type sanityId errors { code ruleId } }
}
"""

ELIGIBLE_REWARDS = """
query EligibleRewards($loyaltyId: ID!, $where: LoyaltyRewardsInput) {
  loyaltyRewardsV2(loyaltyId: $loyaltyId, where: $where) { id name errors { code ruleId } }
}
"""


@dataclass(frozen=True)
class Content:
    """Every incentive of the market, by Sanity id."""

    rewards: dict[str, Reward]
    offers: dict[str, Reward]
    signed_out_offers: frozenset[str]  # offers open to guests who did not sign in

    def incentive(self, reference: str) -> Reward | None:
        return self.rewards.get(reference) or self.offers.get(reference)


def text(field: Any, language: str) -> str:
    """A localised Sanity field, plain (`en`) or Portable Text (`enRaw`)."""
    if not isinstance(field, dict):
        return ""
    for key in (language, f"{language}Raw", "en", "enRaw"):
        value = field.get(key)
        if isinstance(value, str) and value:
            return value
        if isinstance(value, list) and value:
            return " ".join(
                str(child.get("text", ""))
                for block in value
                if isinstance(block, dict)
                for child in block.get("children", [])
                if isinstance(child, dict)
            ).strip()
    return ""


def plu(document: Any, vendor: str) -> str:
    """The vendor's PLU of a document; "" when Empty (hidden for this vendor)."""
    configs = document.get("vendorConfigs") if isinstance(document, dict) else None
    if not isinstance(configs, dict):
        return ""
    config = configs.get(vendor) or configs.get("partner")
    if (
        not isinstance(config, dict)
        or str(config.get("pluType", "")).lower() == "empty"
    ):
        return ""
    value = config.get("constantPlu")
    return str(value) if value not in (None, "") else ""


def _benefits(document: dict[str, Any], vendor: str) -> tuple[str, ...]:
    incentives = document.get("incentives") or []
    return tuple(code for item in incentives if (code := plu(item, vendor)))


def _reward(document: dict[str, Any], vendor: str, language: str) -> Reward:
    points = 0
    for rule in document.get("ruleSet") or []:
        if isinstance(rule, dict) and isinstance(rule.get("points"), int):
            points = rule["points"]
    image = (((document.get("image") or {}).get("en") or {}).get("asset") or {}).get(
        "url", ""
    )
    return Reward(
        reference=str(document["_id"]),
        name=text(document.get("name"), language),
        kind=RewardKind.FREE_PRODUCT,
        points=points,
        description=text(document.get("description"), language),
        image_url=str(image or ""),
        skus=_benefits(document, vendor),
        product_code=ProductCode.PLU,
        engine_reference=str(document.get("loyaltyEngineId") or ""),
        line_code=plu(document, vendor),
    )


def _offer(
    document: dict[str, Any], vendor: str, language: str, *, personalised: bool
) -> Reward:
    price = document.get("offerPrice")
    return Reward(
        reference=str(document["_id"]),
        name=text(document.get("name"), language),
        kind=RewardKind.OFFER,
        points=0,
        description=text(document.get("description"), language),
        skus=_benefits(document, vendor),
        value=price if isinstance(price, int) and not isinstance(price, bool) else None,
        product_code=ProductCode.PLU,
        engine_reference=str(document.get("loyaltyEngineId") or ""),
        line_code=plu(document, vendor),
        is_personalised=personalised,
    )


def _post(url: str, query: str, variables: dict[str, Any]) -> dict[str, Any]:
    session = loyalty_session(headers={})
    response = loyalty_request(
        session, "POST", url, json={"query": query, "variables": variables}
    )
    if response.status_code != 200:
        raise LoyaltyUnavailable(
            f"Sanity answered {response.status_code}", code=ErrorCode.BUSY
        )
    try:
        data = response.json()["data"]
    except (ValueError, KeyError, TypeError) as err:
        raise MalformedAnswer("Sanity's answer has no data") from err
    if not isinstance(data, dict):
        raise MalformedAnswer("Sanity's data is not an object")
    return data


def _fetch(sanity_url: str, vendor: str, language: str) -> Content:
    offers_ui = (
        _post(sanity_url, OFFERS_QUERY, {"id": OFFERS_SINGLETON}).get("LoyaltyOffersUI")
        or {}
    )
    reward_list = (
        _post(sanity_url, REWARDS_QUERY, {"id": REWARDS_SINGLETON}).get("RewardList")
        or {}
    )
    rewards = {
        str(doc["_id"]): _reward(doc, vendor, language)
        for category in reward_list.get("rewardCategories") or []
        for doc in category.get("rewards") or []
        if isinstance(doc, dict) and doc.get("_id")
    }
    offers, open_offers = {}, set()
    for doc in offers_ui.get("sortedSystemwideOffers") or []:
        offers[str(doc["_id"])] = _offer(doc, vendor, language, personalised=False)
        rules = [
            r
            for r in doc.get("rules") or []
            if isinstance(r, dict) and "requiresAuthentication" in r
        ]
        if rules and not any(r["requiresAuthentication"] for r in rules):
            open_offers.add(str(doc["_id"]))
    for doc in offers_ui.get("liveConfigOffers") or []:
        offers[str(doc["_id"])] = _offer(doc, vendor, language, personalised=True)
    return Content(
        rewards=rewards, offers=offers, signed_out_offers=frozenset(open_offers)
    )


def content(sanity_url: str, *, vendor: str, language: str) -> Content:
    """The market's incentives, from the 10-minute cache or Sanity."""
    key = f"rbi:content:{sanity_url}:{vendor}:{language}"
    fresh = cache.get(key)
    if fresh is not None:
        return fresh  # type: ignore[no-any-return]
    try:
        found = _fetch(sanity_url, vendor, language)
    except (LoyaltyUnavailable, requests.RequestException, KeyError, TypeError) as err:
        stale = cache.get(f"{key}:last-good")
        if stale is not None:
            logger.warning(
                "rbi content from the last good copy", extra={"error": str(err)}
            )
            return stale  # type: ignore[no-any-return]
        if isinstance(err, LoyaltyUnavailable):
            raise
        raise MalformedAnswer(f"Sanity content unreadable: {err}") from err
    cache.set(key, found, CONTENT_SECONDS)
    cache.set(f"{key}:last-good", found, None)
    return found


@dataclass(frozen=True)
class Eligible:
    reference: str  # Sanity id
    engine_reference: str
    is_personalised: bool
    issues: tuple[RuleIssue, ...]


def _issues(entry: dict[str, Any], reference: str) -> tuple[RuleIssue, ...]:
    return tuple(
        RuleIssue(
            reward_reference=reference, code=rule_code(str(error.get("ruleId", "")))
        )
        for error in entry.get("errors") or []
        if isinstance(error, dict)
    )


def eligible(
    client: RbiClient, *, loyalty_id: str, where: dict[str, Any]
) -> list[Eligible]:
    """The offers and rewards this member may see; fixable failures carry issues."""
    variables = {"loyaltyId": loyalty_id, "where": {"omitInvalids": False, **where}}
    offers = client.call(
        "POST", "/graphql", body={"query": ELIGIBLE_OFFERS, "variables": variables}
    )
    rewards = client.call(
        "POST", "/graphql", body={"query": ELIGIBLE_REWARDS, "variables": variables}
    )
    found = []
    for entry in (offers.get("data") or {}).get("loyaltyOffersV2") or []:
        sanity_id = str(entry.get("sanityId", ""))
        found.append(
            Eligible(
                sanity_id,
                str(entry.get("id", "")),
                entry.get("type") == "PERSONALIZED",
                _issues(entry, sanity_id),
            )
        )
    for entry in (rewards.get("data") or {}).get("loyaltyRewardsV2") or []:
        found.append(Eligible("", str(entry.get("id", "")), False, _issues(entry, "")))
    return found
