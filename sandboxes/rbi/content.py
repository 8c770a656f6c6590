"""The Sanity content of dataset `dev_bk_fr`: the two singletons the kiosk reads.

Documents carry every field the kiosk's queries select (`rbi.md` §11.2) and
`__typename` on every object, so union fragments (`... on Reward`) can be
told apart. Locale fields exist in `en` and `fr`, as plain strings and as
Portable Text (`enRaw`). Images point at the sandbox's own placeholders.
"""

from __future__ import annotations

from collections.abc import Mapping

from sandboxes.rbi.incentives import (
    WEEKDAYS,
    DateSpan,
    DaysOfWeek,
    FirstOrderOnly,
    Incentive,
    IncentiveKind,
    IncentiveRule,
    MinimumSpend,
    Product,
    RequiresAuthentication,
    ServiceModeRestriction,
    StoreRestriction,
    Text,
)
from sandboxes.rbi.seed import (
    CONFIG_OFFERS,
    REWARD_CATEGORY_ID,
    REWARD_CATEGORY_LABEL,
    REWARDS,
    SANITY_OFFERS_SINGLETON,
    SANITY_REWARDS_SINGLETON,
    SYSTEMWIDE_OFFERS,
)

Document = dict[str, object]


def image_url(base_url: str, name: str) -> str:
    return f"{base_url}/_sandbox/images/{name}.svg"


def offers_singleton(base_url: str) -> Document:
    """`LoyaltyOffersUI`: system-wide offers in display order, config templates."""
    return {
        "__typename": "LoyaltyOffersUI",
        "_id": SANITY_OFFERS_SINGLETON,
        "_type": "loyaltyOffersUI",
        "sortedSystemwideOffers": [
            offer_document(offer, base_url) for offer in SYSTEMWIDE_OFFERS
        ],
        "liveConfigOffers": [
            offer_document(offer, base_url) for offer in CONFIG_OFFERS
        ],
    }


def rewards_singleton(base_url: str) -> Document:
    """`RewardList`: one category holding every reward."""
    return {
        "__typename": "RewardList",
        "_id": SANITY_REWARDS_SINGLETON,
        "_type": "rewardList",
        "rewardCategories": [
            {
                "__typename": "RewardCategory",
                "_id": REWARD_CATEGORY_ID,
                "label": locale_text(REWARD_CATEGORY_LABEL),
                "rewards": [reward_document(reward, base_url) for reward in REWARDS],
            }
        ],
    }


def reward_document(reward: Incentive, base_url: str) -> Document:
    return {
        **_incentive_fields(reward, base_url),
        "__typename": "Reward",
        "_type": "reward",
        "ruleSet": [
            {"__typename": "LoyaltyPoints", "points": reward.points},
            {"__typename": "RewardPrice", "price": 0},
            *(rule_document(rule) for rule in reward.rules),
        ],
    }


def offer_document(offer: Incentive, base_url: str) -> Document:
    is_config = offer.kind is IncentiveKind.CONFIG_OFFER
    return {
        **_incentive_fields(offer, base_url),
        "__typename": "ConfigOffer" if is_config else "SystemwideOffer",
        "_type": "configOffer" if is_config else "systemwideOffer",
        "offerPrice": offer.price_cents,
        "rules": [rule_document(rule) for rule in offer.rules],
    }


def _incentive_fields(incentive: Incentive, base_url: str) -> Document:
    return {
        "_id": incentive.sanity_id,
        "loyaltyEngineId": incentive.engine_id,
        "name": locale_text(incentive.name),
        "description": locale_text(incentive.description),
        "image": locale_image(image_url(base_url, incentive.sanity_id)),
        "vendorConfigs": vendor_configs(incentive.plus),
        "incentives": [product_document(incentive.benefit, base_url)],
    }


def product_document(product: Product, base_url: str) -> Document:
    return {
        "__typename": product.typename,
        "_id": product.sanity_id,
        "_type": product.typename.lower(),
        "name": locale_text(product.name),
        "image": locale_image(image_url(base_url, product.sanity_id)),
        "vendorConfigs": vendor_configs(product.plus),
    }


def rule_document(rule: IncentiveRule) -> Document:
    if isinstance(rule, RequiresAuthentication):
        return {
            "__typename": "RequiresAuthentication",
            "requiresAuthentication": rule.is_required,
        }
    if isinstance(rule, DateSpan):
        return {
            "__typename": "LoyaltyBetweenDates",
            "startDate": rule.start.isoformat(),
            "endDate": rule.end.isoformat(),
        }
    if isinstance(rule, DaysOfWeek):
        return {
            "__typename": "DayOfWeekBand",
            **{day: day in rule.days for day in WEEKDAYS},
        }
    if isinstance(rule, StoreRestriction):
        return {
            "__typename": "RestaurantRestrictions",
            "storeIds": list(rule.store_ids),
        }
    if isinstance(rule, ServiceModeRestriction):
        return {
            "__typename": "ServiceModeRestrictions",
            "serviceModes": list(rule.service_modes),
        }
    if isinstance(rule, MinimumSpend):
        return {"__typename": "SubtotalSpend", "minimumSpend": rule.cents}
    assert isinstance(rule, FirstOrderOnly)
    return {"__typename": "FirstOrderOnly", "firstOrderOnly": True}


def vendor_configs(plus: Mapping[str, str | None]) -> Document:
    """`{vendor: {pluType, constantPlu}}`; no PLU is the Empty type (hide it)."""
    return {
        vendor: {
            "__typename": "VendorConfig",
            "pluType": "constantPlu" if plu else "empty",
            "constantPlu": plu,
        }
        for vendor, plu in plus.items()
    }


def locale_text(text: Text) -> Document:
    return {
        "__typename": "LocaleBlockContent",
        "en": text.en,
        "fr": text.fr,
        "enRaw": portable_text(text.en),
        "frRaw": portable_text(text.fr),
    }


def portable_text(text: str) -> list[Document]:
    """One block of Portable Text holding one span, as Sanity writes a paragraph."""
    return [
        {
            "_type": "block",
            "_key": "block0",
            "style": "normal",
            "markDefs": [],
            "children": [{"_type": "span", "_key": "span0", "text": text, "marks": []}],
        }
    ]


def locale_image(url: str) -> Document:
    image = {
        "__typename": "Image",
        "asset": {"__typename": "SanityImageAsset", "url": url},
    }
    return {"__typename": "LocaleImage", "en": image, "fr": image}
