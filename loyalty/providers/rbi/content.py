"""RBI incentives: content from Sanity, eligibility from the loyalty platform.

Content (names, images, benefit PLUs) is cached for 10 minutes and the last
good copy is served when Sanity fails; eligibility is asked per member. Both
are GraphQL with every argument as a variable, and both carry the market's
x-ui-region. A GraphQL answer with `errors` is a failure, never an empty list.
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
from loyalty.providers.rbi.client import MalformedAnswer, RbiClient, graphql_data
from loyalty.providers.rbi.rules import rule_code

logger = logging.getLogger(__name__)

CONTENT_SECONDS = 600
# The offers page's document id: the usual one, but "some markets have
# drifted" (RbiConnection.offers_document keeps the store's).
OFFERS_SINGLETON = "feature-loyalty-offers-ui-singleton"
REWARDS_SINGLETON = "reward-list-singleton"
# The keys of Sanity's vendorConfigs, as RBI spells them: a store's POS
# vendor (supportingPos) names one of them, in any case.
VENDOR_KEYS = (
    "carrols",
    "ncr",
    "oheics",
    "partner",
    "productNumber",
    "qdi",
    "qst",
    "rpos",
    "sicom",
    "simplyDelivery",
    "tablet",
)
FALLBACK_VENDOR = "partner"


def vendor_key(supporting_pos: str) -> str:
    """The vendorConfigs key of a POS vendor name: `NCR` → `ncr`."""
    wanted = supporting_pos.strip().lower()
    return next((key for key in VENDOR_KEYS if key.lower() == wanted), wanted)


def _vendor_configs(vendor: str) -> str:
    keys = dict.fromkeys((vendor_key(vendor) or FALLBACK_VENDOR, FALLBACK_VENDOR))
    return (
        "vendorConfigs { "
        + " ".join(f"{key} {{ pluType constantPlu }}" for key in keys)
        + " }"
    )


def _benefits_selection(vendor: str) -> str:
    configs = _vendor_configs(vendor)
    return (
        f"incentives {{ ... on Item {{ _id {configs} }} "
        f"... on Combo {{ _id {configs} }} }}"
    )


def offers_query(vendor: str) -> str:
    """The offers page: system-wide offers and the config offers' content."""
    common = (
        "_id loyaltyEngineId name { enRaw frRaw } description { enRaw frRaw } "
        f"offerPrice {_vendor_configs(vendor)} {_benefits_selection(vendor)}"
    )
    return f"""
query KioskOffers($id: ID!) {{
  LoyaltyOffersUI(id: $id) {{
    sortedSystemwideOffers {{ {common}
      rules {{ ... on RequiresAuthentication {{ requiresAuthentication }} }} }}
    liveConfigOffers {{ {common} }}
  }}
}}
"""


def rewards_query(vendor: str) -> str:
    """Every reward of the market, with its price in points and its benefit."""
    return f"""
query KioskRewards($id: ID!) {{
  RewardList(id: $id) {{
    rewardCategories {{ _id label {{ en fr }}
      rewards {{ ... on Reward {{ _id loyaltyEngineId name {{ en fr }} description {{ enRaw frRaw }}
        image {{ en {{ asset {{ url }} }} }}
        {_vendor_configs(vendor)}
        ruleSet {{ ... on LoyaltyPoints {{ points }} ... on RewardPrice {{ price }} ... on SubtotalSpend {{ minimumSpend }} }}
        {_benefits_selection(vendor)} }} }} }}
  }}
}}
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
class Library:
    """Where a market's content lives, and how the store reads it."""

    sanity_url: str
    vendor: str  # the store's POS vendor (supportingPos)
    language: str
    country: str  # x-ui-region
    offers_document: str = OFFERS_SINGLETON


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
    config = configs.get(vendor_key(vendor)) or configs.get(FALLBACK_VENDOR)
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
        if isinstance(rule, dict) and (found := _cents(rule.get("points"))):
            points = found
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
    return Reward(
        reference=str(document["_id"]),
        name=text(document.get("name"), language),
        kind=RewardKind.OFFER,
        points=0,
        description=text(document.get("description"), language),
        skus=_benefits(document, vendor),
        value=_cents(document.get("offerPrice")),
        product_code=ProductCode.PLU,
        engine_reference=str(document.get("loyaltyEngineId") or ""),
        line_code=plu(document, vendor),
        is_personalised=personalised,
    )


def _cents(value: Any) -> int | None:
    """A Sanity number (GraphQL Float) holding whole cents or points."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    return int(round(value))


def sanity_query(
    library: Library, query: str, variables: dict[str, Any]
) -> dict[str, Any]:
    session = loyalty_session(headers={"x-ui-region": library.country.upper()})
    response = loyalty_request(
        session,
        "POST",
        library.sanity_url,
        json={"query": query, "variables": variables},
    )
    if response.status_code >= 500 or response.status_code == 429:
        raise LoyaltyUnavailable(
            f"Sanity answered {response.status_code}", code=ErrorCode.BUSY
        )
    try:
        answer = response.json()
    except (ValueError, RecursionError) as err:
        raise MalformedAnswer(
            f"Sanity answered {response.status_code} with no JSON"
        ) from err
    return graphql_data(answer, "Sanity")


def content_documents(library: Library) -> tuple[dict[str, Any], dict[str, Any]]:
    """The offers page and the reward list, as Sanity answers them."""
    offers = sanity_query(
        library, offers_query(library.vendor), {"id": library.offers_document}
    ).get("LoyaltyOffersUI")
    rewards = sanity_query(
        library, rewards_query(library.vendor), {"id": REWARDS_SINGLETON}
    ).get("RewardList")
    if not isinstance(offers, dict):
        raise MalformedAnswer(
            f"Sanity has no offers document {library.offers_document!r}"
        )
    if not isinstance(rewards, dict):
        raise MalformedAnswer(f"Sanity has no reward list {REWARDS_SINGLETON!r}")
    return offers, rewards


def _fetch(library: Library) -> Content:
    offers_ui, reward_list = content_documents(library)
    vendor, language = library.vendor, library.language
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


def content_key(library: Library) -> str:
    """The cache key of a market's content as one store reads it."""
    return (
        f"rbi:content:{library.sanity_url}:{library.offers_document}:"
        f"{vendor_key(library.vendor)}:{library.language}"
    )


def content(library: Library) -> Content:
    """The market's incentives, from the 10-minute cache or Sanity."""
    key = content_key(library)
    fresh = cache.get(key)
    if fresh is not None:
        return fresh  # type: ignore[no-any-return]
    try:
        found = _fetch(library)
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


PERSONALIZED = "PERSONALIZED"


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
    offers = client.graphql(ELIGIBLE_OFFERS, variables).get("loyaltyOffersV2")
    rewards = client.graphql(ELIGIBLE_REWARDS, variables).get("loyaltyRewardsV2")
    if not isinstance(offers, list) or not isinstance(rewards, list):
        raise MalformedAnswer("RBI's eligibility lists are not lists")
    found = []
    for entry in offers:
        if not isinstance(entry, dict):
            continue
        sanity_id = str(entry.get("sanityId") or "")
        found.append(
            Eligible(
                sanity_id,
                str(entry.get("id") or ""),
                entry.get("type") == PERSONALIZED,
                _issues(entry, sanity_id),
            )
        )
    for entry in rewards:
        if isinstance(entry, dict):
            found.append(
                Eligible("", str(entry.get("id") or ""), False, _issues(entry, ""))
            )
    return found
