"""Pongo behind the neutral loyalty contract (see loyalty.providers.base)."""

from __future__ import annotations

import logging
import re
import uuid
from dataclasses import replace
from typing import Any

from loyalty.http import delivery_key, posting_timeout
from loyalty.providers.base import (
    Assumption,
    Capability,
    CheckResult,
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
from loyalty.providers.pongo.assumptions import ASSUMPTIONS
from loyalty.providers.pongo.checks import live_check
from loyalty.providers.pongo.client import (
    Answer,
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
# In a frozen posting, not sent: the owned rewards to mark used once it is posted.
USED_APART = "kiosk_used_apart"


def customer_reference(customer: dict[str, Any]) -> str:
    """The customer's `cust_…` id: `public_id` (kiosk guide), or the `id` that
    starts with `cust_` (POS guide: "the code contains the customer.id")."""
    fallback = customer.get("id")
    if customer.get("public_id") is None and str(fallback).startswith("cust_"):
        return str(fallback)
    return text(customer, "public_id", required=True)


def member_from(obj: Any, *, is_new: bool = False) -> Member:
    customer = mapping(obj, "customer")
    return Member(
        reference=customer_reference(customer),
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
        skus=skus_from(external),
        value=value if isinstance(value, int) and not isinstance(value, bool) else None,
    )


def owned_from(obj: Any) -> OwnedReward:
    """A reward won by the customer. The guides put `external_id` (free
    products) and `coupon_code` (vouchers) on it; its catalogue reward is
    nested as `reward`."""
    owned = mapping(obj, "customer reward")
    reward = reward_from(owned.get("reward"))
    if owned.get("external_id") is not None:
        reward = replace(reward, skus=skus_from(text(owned, "external_id")))
    return OwnedReward(
        reference=text(owned, "id", required=True),
        reward=reward,
        coupon_code=text(owned, "coupon_code"),
    )


def skus_from(external_id: str) -> tuple[str, ...]:
    """The SKUs of a free product: one or several, separated by commas."""
    return tuple(sku.strip() for sku in external_id.split(",") if sku.strip())


class PongoProvider:
    name = "pongo"
    capabilities = frozenset(
        {Capability.ENROLMENT, Capability.OWNED_REWARDS, Capability.CONTENT}
    )
    # Members type their phone number, or scan their Digital Pass.
    identifiers = frozenset({IdentifierKind.PHONE, IdentifierKind.PASS})
    # What the client relies on about Pongo's API, and where it is written.
    assumptions: tuple[Assumption, ...] = ASSUMPTIONS

    def __init__(self, *, client: PongoClient) -> None:
        self.client = client

    def live_check(
        self, *, store: ProgrammeStore, test_identifier: str = ""
    ) -> tuple[CheckResult, ...]:
        """Token, stores, the test customer by phone and by pass, the rewards and
        the rewards won: GETs only, each answer checked field by field."""
        return live_check(self.client, store=store, test_identifier=test_identifier)

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

    def _owned_answer(self, customer: str, *, used: str) -> Answer:
        """GET rewards won by a customer, `used` "true" or "false"."""
        answer = self.client.call(
            "GET", path("owned", customer=customer), params={"used": used}
        )
        if answer.status == 404:
            raise LoyaltyRejected(
                "Pongo no longer knows this customer", code=ErrorCode.UNKNOWN_MEMBER
            )
        return answer

    def _owned(self, member: Member) -> tuple[OwnedReward, ...]:
        answer = self._owned_answer(member.reference, used="false")
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
                # One request per purchase: a lost answer is read back, never resent.
                idempotency_key=uuid.uuid4().hex,
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
        """Lock the reward for the order; a lost answer or a refusal is read back:
        the reward locked for this very order is locked, whatever Pongo answered."""
        # Locked again after a release, it is a new lock: its own key.
        key = f"{order_reference}:reward_lock:{owned.reference}:{uuid.uuid4().hex[:8]}"
        try:
            self.client.call(
                "POST",
                path("lock", customer=member.reference, owned=owned.reference),
                json={
                    "order_id": order_reference,
                    "store_slug": store.reference,
                    "duration_minutes": LOCK_MINUTES,
                },
                idempotency_key=key,
            )
        except LoyaltyUnavailable:
            if not self._is_locked_for(member, owned.reference, order_reference):
                raise
        except LoyaltyRejected as err:
            if err.code != "reward_locked" or not self._is_locked_for(
                member, owned.reference, order_reference
            ):
                raise _neutral(err) from err

    def _is_locked_for(self, member: Member, owned: str, order_reference: str) -> bool:
        """Whether Pongo shows the owned reward locked for this order."""
        try:
            found = _owned_item(
                self._owned_answer(member.reference, used="false"), owned
            )
        except (LoyaltyUnavailable, LoyaltyRejected):
            return False
        return found is not None and found.get("locked_order_id") == order_reference

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
        """Release this order's lock from the outbox. The request names the order,
        so a resend never releases another order's lock; a reward that is free,
        used, or locked by another order has no lock of ours left: done."""
        try:
            self.client.call(
                "DELETE",
                path("lock", customer=payload["customer"], owned=payload["owned"]),
                json={
                    "order_id": payload["order_id"],
                    "store_slug": payload["store_slug"],
                },
                idempotency_key=_change_key(
                    f"{payload['order_id']}:reward_unlock:{payload['owned']}"
                ),
                timeout=posting_timeout(),
            )
        except LoyaltyRejected as err:
            if err.code not in {"not_found", "reward_used", "reward_locked"}:
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
            # Rewards used are named on their lines only (the documented way):
            # the same reward listed twice could be taken twice.
            "reward_ids": [],
            "status": "paid",
            "delivery_status": "pending",
            "created_at": posting.created_at.isoformat(),
            "withdrawal_at": None,
            "comment": None,
            "lines": [_line(line) for line in posting.lines if line.unit_amount >= 0],
            "customer": _customer(posting),
            "payments": [{"method": posting.payment_method, "amount": posting.amount}],
            "device_id": posting.store.device_id,
            "device_name": posting.store.device_name,
            USED_APART: _used_apart(posting),
        }

    def posting_deliver(self, *, payload: Payload) -> PostingResult:
        """Post the order; Pongo answers 202 to an order it already has (by
        `order_id` and store), so a resend after a lost answer counts once."""
        answer = self.client.call(
            "POST",
            path("orders"),
            json={key: value for key, value in payload.items() if key != USED_APART},
            idempotency_key=_change_key(f"{payload.get('order_id')}:order_post"),
            timeout=posting_timeout(),
        )
        # Marked used apart once the order is posted, whatever Pongo answered.
        used_apart = tuple(str(owned) for owned in payload.get(USED_APART, ()))
        if answer.status == 202:
            return PostingResult(
                remote_reference=_processed_id(answer),
                already_processed=True,
                unused_owned_references=used_apart,
            )
        order = mapping(data(answer), "order")
        earned = order.get("points_earned")
        customer = order.get("customer")
        return PostingResult(
            remote_reference=text(order, "id"),
            points_earned=earned if isinstance(earned, int) else None,
            balance=self._balance_after(customer),
            unused_owned_references=used_apart,
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
        """PATCH use-a-reward: the documented fallback when a line could not carry it.

        A resend after a lost answer may be refused as used: the reward is read
        back, and used by this order it is done."""
        try:
            self.client.call(
                "PATCH",
                path("use", customer=payload["customer"], owned=payload["owned"]),
                json={
                    "store_slug": payload["store_slug"],
                    "order_id": payload["order_id"],
                },
                idempotency_key=_change_key(
                    f"{payload['order_id']}:reward_use:{payload['owned']}"
                ),
                timeout=posting_timeout(),
            )
        except LoyaltyRejected as err:
            if err.code != "reward_used":
                raise
            self._confirm_used(payload)

    def _confirm_used(self, payload: Payload) -> None:
        """Done when Pongo shows the reward used by this order (or by no order
        it names); used by another order, staff must look."""
        answer = self._owned_answer(str(payload["customer"]), used="true")
        found = _owned_item(answer, str(payload["owned"]))
        if found is None:
            raise LoyaltyRejected(
                "Pongo refused the reward as used but does not list it used",
                code=ErrorCode.REFUSED,
            )
        used_by = found.get("used_order_id")
        if used_by not in (None, "", payload["order_id"]):
            raise LoyaltyRejected(
                f"Pongo: this reward was used by another order ({used_by})",
                code=ErrorCode.REFUSED,
            )
        logger.info(
            "pongo reward found used by this order", extra={"owned": payload["owned"]}
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
            idempotency_key=_change_key(f"{payload['order_id']}:order_refund"),
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


def _change_key(fallback: str) -> str:
    """The Idempotency-Key of a change: the key of the outbox message the worker
    is delivering (the same on every retry), else `fallback`."""
    return delivery_key() or fallback


def _owned_item(answer: Answer, owned: str) -> dict[str, Any] | None:
    """The owned reward `owned` in a rewards-won answer, or None."""
    items = listing(data(answer), "rewards won")
    return next(
        (item for item in items if isinstance(item, dict) and item.get("id") == owned),
        None,
    )


def _processed_id(answer: Answer) -> str:
    """Pongo's id of an order it had processed already (202), "" if not given."""
    body = answer.body if isinstance(answer.body, dict) else {}
    nested = body.get("data")
    found = body.get("id") or (nested.get("id") if isinstance(nested, dict) else "")
    return found if isinstance(found, str) else ""


def _used_apart(posting: OrderPosting) -> list[str]:
    """Owned rewards the order's lines cannot carry: vouchers, which the kiosk
    applies as a discount with their coupon code (Pongo documents no line for
    one, nor a negative amount), to be marked used with PATCH use."""
    return [
        line.owned_reference
        for line in posting.lines
        if line.unit_amount < 0 and line.owned_reference
    ]


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
