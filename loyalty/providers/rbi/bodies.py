"""The bodies RBI's loyalty API v1 takes, field by field as RBI's personalised
offers page (the authority, `assumptions.SEED`) writes them.

Validate is "an exact mirror" of the claim: both come from `transaction_body`
with the same status and payments for the payment the customer chose. The
unclaimed sale and the void carry no loyaltyId, no transactionId and no
supportingPos, as the page's examples of them do.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from loyalty.providers.base import OrderPosting, PostedLine, PostedLineKind
from loyalty.providers.rbi.client import price

CHANNEL = "Restaurant"
POS_TYPE = "Partner"  # "the name agreed with RBI, Partner in most cases"
PENDING = "PENDING"
CLAIMED = "CLAIMED"
SERVICE_MODES = {"eat_in": "EAT_IN", "take_away": "TAKEOUT"}
CARD_TYPES = {"VISA": "VISA", "MASTERCARD": "MASTERCARD", "AMEX": "AMEX"}
CARD = "CREDIT"  # a card whose brand is not known (yet)
CASH = "CASH"
# The seed writes incentives in upper case; items and combos as its examples do.
PRODUCT_TYPES = {
    PostedLineKind.ITEM: "item",
    PostedLineKind.COMBO: "combo",
    PostedLineKind.REWARD: "REWARD",
    PostedLineKind.OFFER: "OFFER",
}


@dataclass(frozen=True)
class RbiStore:
    """What the provider needs of the store beyond the neutral ProgrammeStore."""

    store_id: str
    vendor: str  # supportingPos, as RBI names the store's POS vendor
    sanity_url: str
    language: str
    country: str = "FR"  # x-ui-region of GraphQL calls
    operator: str = ""  # posVendor.operator, when RBI gave one
    matching_id: str = ""  # posVendor.matchingId (smgCode), when RBI gave one
    offers_document: str = "feature-loyalty-offers-ui-singleton"


def request_id(kind: str, order_reference: str, transaction: str = "") -> str:
    """The x-request-id of one posting: the same at every attempt."""
    name = f"open-kiosk:rbi:{kind}:{order_reference}:{transaction}"
    return str(uuid.uuid5(uuid.NAMESPACE_URL, name))


def pos_vendor(
    store: RbiStore, order_reference: str, terminal: str, *, supporting: bool = True
) -> dict[str, Any]:
    """The kiosk as RBI sees it; our order's id is the POS transaction id."""
    vendor: dict[str, Any] = {
        "posType": POS_TYPE,
        "storeId": store.store_id,
        "terminal": terminal,
        "transactionId": order_reference,
    }
    if supporting and store.vendor:
        vendor["supportingPos"] = store.vendor
    if store.operator:
        vendor["operator"] = store.operator
    if store.matching_id:
        vendor["matchingId"] = store.matching_id
    return vendor


def identify_body(
    store: RbiStore, identifier: str, order_reference: str, terminal: str
) -> dict[str, Any]:
    return {
        "identifier": identifier,
        "posVendor": pos_vendor(store, order_reference, terminal),
    }


def payments(posting: OrderPosting) -> tuple[str, list[dict[str, Any]]]:
    """The status and payments of a claim for the payment chosen.

    Before the customer chose how to pay, nothing is paid yet: PENDING with
    no payment, as the pay-at-counter hold sends it.
    """
    if posting.payment_method == "card":
        kind = CARD_TYPES.get(posting.card_brand.upper(), CARD)
    elif posting.payment_method == "cash":
        kind = CASH
    else:
        return PENDING, []
    return CLAIMED, [{"amount": posting.amount, "type": kind}]


def line_body(line: PostedLine, *, personalised_offers: bool) -> dict[str, Any]:
    """One order line. Rewards name their Sanity id; offers their Sanity id and,
    where personalised offers are supported, their engine id; a personalised
    offer its own engine id only."""
    body: dict[str, Any] = {
        "name": line.name,
        "price": price(line.unit_amount),
        "productId": line.plu or line.sku,
        "productType": PRODUCT_TYPES[line.kind],
        "quantity": line.quantity,
        "referenceId": line.reference_id,
        "tax": price(line.tax_amount),
    }
    if line.parent_reference_id:
        body["parentReferenceId"] = line.parent_reference_id
    if line.kind == PostedLineKind.REWARD:
        body["incentiveId"] = line.reward_reference
    elif line.kind == PostedLineKind.OFFER:
        if not line.is_personalised:
            body["incentiveId"] = line.reward_reference
        if personalised_offers and line.engine_reference:
            body["loyaltyEngineId"] = line.engine_reference
    return body


def posted_lines(lines: tuple[PostedLine, ...]) -> list[PostedLine]:
    """The lines RBI's POS knows: a free choice with no PLU (a drink's flavour,
    "no onions") is left out; a priced one keeps its SKU so its price counts."""
    return [line for line in lines if line.plu or line.unit_amount]


def transaction_body(
    store: RbiStore,
    posting: OrderPosting,
    *,
    status: str,
    paid: list[dict[str, Any]],
    personalised_offers: bool,
    member: bool = True,
) -> dict[str, Any]:
    """The shared body of validate, update, void and unclaimed.

    `member`: a claim, hold or validate of the member's transaction names it
    and its member; an unclaimed sale or a void does not.
    """
    body: dict[str, Any] = {
        "channel": CHANNEL,
        "created": posting.created_at.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "serviceMode": SERVICE_MODES.get(posting.service_mode, "EAT_IN"),
        "status": status,
        "transactionDetails": {
            "currency": posting.store.currency,
            "order": [
                line_body(line, personalised_offers=personalised_offers)
                for line in posted_lines(posting.lines)
            ],
            "payments": paid,
            "posVendor": pos_vendor(
                store, posting.order_reference, posting.terminal, supporting=member
            ),
        },
    }
    if member and posting.session_reference:
        body["loyaltyId"] = posting.member_reference
        body["transactionId"] = posting.session_reference
    return body


def bare_void_body(
    store: RbiStore,
    order_reference: str,
    terminal: str,
    *,
    currency: str,
    created: datetime,
) -> dict[str, Any]:
    """A void with no order ("order information does not need to be
    included"): for a transaction the kiosk knows nothing of but its id."""
    return {
        "channel": CHANNEL,
        "created": created.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "serviceMode": "EAT_IN",
        "status": PENDING,
        "transactionDetails": {
            "currency": currency,
            "order": [],
            "payments": [],
            "posVendor": pos_vendor(store, order_reference, terminal, supporting=False),
        },
    }
