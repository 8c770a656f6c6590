"""Pongo behind the neutral loyalty contract (see loyalty.providers.base)."""

from __future__ import annotations

import logging
import re
from typing import Any

from loyalty.http import posting_timeout
from loyalty.providers.base import (
    Capability,
    Enrolment,
    ErrorCode,
    Identification,
    IdentifierKind,
    LoyaltyRejected,
    LoyaltyUnavailable,
    Member,
    OrderPosting,
    OwnedReward,
    Panel,
    Payload,
    PostedLine,
    PostingResult,
    ProgrammeStore,
    Reward,
    RewardKind,
)
from loyalty.providers.pongo.client import (
    MalformedAnswer,
    PongoClient,
    data,
    integer,
    listing,
    mapping,
    path,
    text,
)

logger = logging.getLogger(__name__)

# What a Digital Pass QR code carries: the customer's public id.
PASS_PATTERN = re.compile(r"^cust_[A-Za-z0-9]{4,40}$")
LOCK_MINUTES = 15

_KINDS = {
    "free_product": RewardKind.FREE_PRODUCT,
    "voucher_amount": RewardKind.VOUCHER_AMOUNT,
    "voucher_percent": RewardKind.VOUCHER_PERCENT,
}
_DELIVERY_MODES = {"eat_in": "on_site", "take_away": "take_away"}


def member_from(obj: Any, *, is_new: bool = False) -> Member:
    customer = mapping(obj, "customer")
    return Member(
        reference=text(customer, "public_id", required=True),
        first_name=text(customer, "first_name"),
        points=integer(customer, "points", default=0),
        phone=text(customer, "phone"),
        has_pin=bool(customer.get("has_pin")),
        is_new=is_new,
    )


def reward_from(obj: Any) -> Reward:
    reward = mapping(obj, "reward")
    kind = _KINDS.get(text(reward, "type"), RewardKind.UNSUPPORTED)
    external = text(reward, "external_id")
    value = reward.get("value")
    return Reward(
        reference=text(reward, "public_id", required=True),
        name=text(reward, "name") or text(reward, "public_id"),
        kind=kind,
        points=integer(reward, "points", default=0),
        description=text(reward, "description"),
        image_url=text(reward, "image"),
        skus=tuple(sku.strip() for sku in external.split(",") if sku.strip()),
        value=value if isinstance(value, int) and not isinstance(value, bool) else None,
    )


def owned_from(obj: Any) -> OwnedReward:
    owned = mapping(obj, "customer reward")
    return OwnedReward(
        reference=text(owned, "id", required=True),
        reward=reward_from(owned.get("reward")),
        coupon_code=text(owned, "coupon_code"),
    )


class PongoProvider:
    name = "pongo"
    capabilities = frozenset(
        {Capability.ENROLMENT, Capability.OWNED_REWARDS, Capability.CONTENT}
    )
    # Members type their phone number, or scan their Digital Pass.
    identifiers = frozenset({IdentifierKind.PHONE, IdentifierKind.PASS})

    def __init__(self, *, client: PongoClient) -> None:
        self.client = client

    # --- members -------------------------------------------------------------

    def member_identify(
        self,
        *,
        identifier: str,
        kind: IdentifierKind,
        store: ProgrammeStore,
        order_reference: str = "",
    ) -> Identification | None:
        if kind == IdentifierKind.PASS:
            if not PASS_PATTERN.match(identifier):
                return None
            answer = self.client.call("GET", path("customer", customer=identifier))
        elif kind == IdentifierKind.PHONE:
            answer = self.client.call(
                "GET", path("customer_by_phone", phone=identifier)
            )
        else:
            return None
        if answer.status == 404:
            return None
        return Identification(member=member_from(data(answer)))

    def member_enrol(self, *, enrolment: Enrolment, store: ProgrammeStore) -> Member:
        body = {
            "phone": enrolment.phone,
            "reference_store_slug": store.reference,
            "has_optin_sms": enrolment.sms_optin,
            "has_optin_email": enrolment.email_optin,
            "has_optin": enrolment.sms_optin and enrolment.email_optin,
        }
        try:
            answer = self.client.call("POST", path("customers"), json=body)
        except LoyaltyRejected as err:
            if err.code != "invalid_phone":
                raise
            # "The phone has already been taken": enrolled meanwhile, elsewhere.
            existing = self.member_identify(
                identifier=enrolment.phone, kind=IdentifierKind.PHONE, store=store
            )
            if existing is None:
                raise
            return existing.member
        return member_from(data(answer), is_new=True)

    def _member(self, reference: str) -> Member:
        answer = self.client.call("GET", path("customer", customer=reference))
        if answer.status == 404:
            raise LoyaltyRejected(
                "Pongo no longer knows this customer", code=ErrorCode.UNKNOWN_MEMBER
            )
        return member_from(data(answer))

    def _owned(self, member: Member) -> tuple[OwnedReward, ...]:
        answer = self.client.call(
            "GET", path("owned", customer=member.reference), params={"used": "false"}
        )
        if answer.status == 404:
            raise LoyaltyRejected(
                "Pongo no longer knows this customer", code=ErrorCode.UNKNOWN_MEMBER
            )
        return tuple(owned_from(item) for item in listing(data(answer), "rewards won"))

    def panel(self, *, member: Member, store: ProgrammeStore) -> Panel:
        fresh = self._member(member.reference)
        answer = self.client.call(
            "GET",
            path("rewards"),
            params={"customer": member.reference, "store_slug": store.reference},
        )
        rewards = tuple(reward_from(item) for item in listing(data(answer), "rewards"))
        return Panel(member=fresh, rewards=rewards, owned=self._owned(fresh))

    # --- rewards -------------------------------------------------------------

    def reward_buy(
        self,
        *,
        member: Member,
        reward_reference: str,
        store: ProgrammeStore,
        pin: str = "",
    ) -> OwnedReward:
        before = {owned.reference for owned in self._owned(member)}
        body: Payload = {
            "customer": member.reference,
            "store_slug": store.reference,
            "used": False,
        }
        if pin:
            body["pin"] = pin
        try:
            answer = self.client.call(
                "POST",
                path("buy", reward=reward_reference),
                json=body,
                idempotent_key=True,
            )
        except LoyaltyUnavailable:
            # Buying is not idempotent: never buy again, look whether it went through.
            return self._reconcile_buy(member, reward_reference, before)
        except LoyaltyRejected as err:
            raise _neutral(err) from err
        return owned_from(data(answer))

    def _reconcile_buy(
        self, member: Member, reward_reference: str, before: set[str]
    ) -> OwnedReward:
        try:
            after = self._owned(member)
        except LoyaltyUnavailable as err:
            raise LoyaltyUnavailable(
                "Pongo did not confirm the purchase", code=ErrorCode.UNCONFIRMED
            ) from err
        new = [
            owned
            for owned in after
            if owned.reference not in before
            and owned.reward.reference == reward_reference
        ]
        if not new:
            raise LoyaltyUnavailable(
                "Pongo did not complete the purchase", code=ErrorCode.UNCONFIRMED
            )
        logger.info(
            "pongo purchase confirmed after a timeout",
            extra={"reward": reward_reference},
        )
        return new[0]

    def reward_lock(
        self,
        *,
        member: Member,
        owned: OwnedReward,
        order_reference: str,
        store: ProgrammeStore,
    ) -> None:
        try:
            self.client.call(
                "POST",
                path("lock", customer=member.reference, owned=owned.reference),
                json={
                    "order_id": order_reference,
                    "store_slug": store.reference,
                    "duration_minutes": LOCK_MINUTES,
                },
                idempotent_key=True,
            )
        except LoyaltyRejected as err:
            raise _neutral(err) from err

    def unlock_payload(
        self,
        *,
        member_reference: str,
        owned_reference: str,
        order_reference: str,
        store: ProgrammeStore,
    ) -> Payload:
        return {
            "customer": member_reference,
            "owned": owned_reference,
            "order_id": order_reference,
            "store_slug": store.reference,
        }

    def unlock_deliver(self, *, payload: Payload) -> None:
        """Release a lock from the outbox; an unknown or free lock is released already."""
        try:
            self.client.call(
                "DELETE",
                path("lock", customer=payload["customer"], owned=payload["owned"]),
                timeout=posting_timeout(),
            )
        except LoyaltyRejected as err:
            if err.code not in {"not_found", "reward_used"}:
                raise

    def catalogue(self, *, store: ProgrammeStore) -> tuple[Reward, ...]:
        """Every reward the merchant offers at this store."""
        answer = self.client.call(
            "GET", path("rewards"), params={"store_slug": store.reference}
        )
        return tuple(reward_from(item) for item in listing(data(answer), "rewards"))

    # --- orders --------------------------------------------------------------

    def posting_payload(self, *, posting: OrderPosting) -> Payload:
        return {
            "order_id": posting.order_reference,
            "partner_order_id": None,
            "channel": "kiosk",
            "delivery_mode": _DELIVERY_MODES.get(posting.service_mode, "on_site"),
            "loyalty_store_slug": posting.store.reference,
            "tablet_id": None,
            "amount": posting.amount,
            "tax_amount": posting.tax_amount,
            "reward_ids": list(posting.reward_references),
            "status": "paid",
            "delivery_status": "pending",
            "created_at": posting.created_at.isoformat(),
            "withdrawal_at": None,
            "comment": None,
            "lines": [_line(line) for line in posting.lines],
            "customer": _customer(posting),
            "payments": [{"method": posting.payment_method, "amount": posting.amount}],
            "device_id": posting.store.device_id,
            "device_name": posting.store.device_name,
        }

    def posting_deliver(self, *, payload: Payload) -> PostingResult:
        answer = self.client.call(
            "POST", path("orders"), json=payload, timeout=posting_timeout()
        )
        body = answer.body if isinstance(answer.body, dict) else {}
        if answer.status == 202:
            return PostingResult(
                remote_reference=str(body.get("id", "")), already_processed=True
            )
        order = mapping(data(answer), "order")
        earned = order.get("points_earned")
        customer = order.get("customer")
        return PostingResult(
            remote_reference=text(order, "id"),
            points_earned=earned if isinstance(earned, int) else None,
            balance=self._balance_after(customer),
            unused_owned_references=_unused(payload, body.get("warnings")),
        )

    def use_payload(self, *, posting_payload: Payload, owned_reference: str) -> Payload:
        customer = posting_payload.get("customer") or {}
        return {
            "customer": customer.get("public_id")
            if isinstance(customer, dict)
            else None,
            "owned": owned_reference,
            "order_id": posting_payload.get("order_id"),
            "store_slug": posting_payload.get("loyalty_store_slug"),
        }

    def use_deliver(self, *, payload: Payload) -> None:
        """PATCH use-a-reward: the documented fallback when a line could not carry it."""
        self.client.call(
            "PATCH",
            path("use", customer=payload["customer"], owned=payload["owned"]),
            json={"store_slug": payload["store_slug"], "order_id": payload["order_id"]},
            timeout=posting_timeout(),
        )

    def refund_payload(self, *, posting: OrderPosting) -> Payload:
        return {
            "order_id": posting.order_reference,
            "loyalty_store_slug": posting.store.reference,
        }

    def refund_deliver(self, *, payload: Payload, remote_reference: str) -> None:
        """The order's status becomes "refunded": Pongo takes its points back and
        gives back the rewards it used. Pongo knows the order by our id."""
        self.client.call(
            "PATCH",
            path("order_status", order=payload["order_id"]),
            json={
                "loyalty_store_slug": payload["loyalty_store_slug"],
                "status": "refunded",
            },
            timeout=posting_timeout(),
        )

    def _balance_after(self, customer: Any) -> int | None:
        """The member's balance once the order counted; unknown is not an error."""
        if not isinstance(customer, str) or not customer:
            return None
        try:
            return self._member(customer).points
        except (LoyaltyUnavailable, LoyaltyRejected, MalformedAnswer):
            return None


def _unused(payload: Payload, warnings: Any) -> tuple[str, ...]:
    """Owned rewards on lines that Pongo warned it did not consume."""
    if not isinstance(warnings, list):
        return ()
    lines = payload.get("lines", [])
    unused = []
    for warning in warnings:
        index = warning.get("line") if isinstance(warning, dict) else None
        if isinstance(index, int) and 0 <= index < len(lines):
            owned = lines[index].get("customer_reward_id")
            if owned:
                unused.append(str(owned))
    return tuple(unused)


def _line(line: PostedLine) -> Payload:
    body: Payload = {
        "external_id": line.sku,
        "name": line.name,
        "quantity": line.quantity,
        "unit_amount": line.unit_amount,
        "amount": line.unit_amount * line.quantity,
    }
    if line.reward_reference:
        body["reward_id"] = line.reward_reference
    if line.owned_reference:
        body["customer_reward_id"] = line.owned_reference
    if line.coupon_code:
        body["coupon_code"] = line.coupon_code
    return body


# Pongo's refusals that the customer is told about, in the kiosk's terms.
_REFUSALS = {
    "insufficient_points": ErrorCode.INSUFFICIENT_POINTS,
    "invalid_pin": ErrorCode.INVALID_PIN,
    "reward_locked": ErrorCode.REWARD_LOCKED,
    "reward_used": ErrorCode.REWARD_LOCKED,
    "unauthorized": ErrorCode.UNAUTHORIZED,
    "not_found": ErrorCode.REFUSED,
}


def _neutral(err: LoyaltyRejected) -> LoyaltyRejected:
    return LoyaltyRejected(err.message, code=_REFUSALS.get(err.code, ErrorCode.REFUSED))


def _customer(posting: OrderPosting) -> Payload | None:
    """Who the order belongs to; an unconfirmed number carries the customer's
    opt-in answers, since Pongo makes an unknown number a member."""
    if not posting.member_reference and not posting.member_phone:
        return None
    customer: Payload = {
        "public_id": posting.member_reference or None,
        "phone": posting.member_phone or None,
    }
    if posting.enrolment is not None:
        customer.update(
            {
                "has_optin_sms": posting.enrolment.sms_optin,
                "has_optin_email": posting.enrolment.email_optin,
                "has_optin": posting.enrolment.sms_optin
                and posting.enrolment.email_optin,
            }
        )
    return customer


def redact_posting(payload: Payload) -> Payload:
    """A posting without the customer's phone number (other calls carry none)."""
    customer = payload.get("customer")
    if not isinstance(customer, dict) or not customer.get("phone"):
        return payload
    return {**payload, "customer": {**customer, "phone": None}}
