"""Programmes with a transaction of their own (RBI), from identify to claim.

Identification opens the transaction and brings what the member picked in
their app; those incentives land in the cart as our products. Every change of
incentives, and once more before payment, the basket is validated and each
rule failure is written on the line it concerns. The transaction is claimed
after payment, kept PENDING for the counter, and voided when abandoned.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass, replace
from typing import Any

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kiosk.models import Order, Product, ProductVendorPlu
from kiosk.services.cart import cart_line_add
from kiosk.services.errors import CartError
from kiosk.services.selections import LineSelection, default_selection
from loyalty.http import loyalty_budget
from loyalty.models import (
    OrderLoyalty,
    OutboxMessage,
    OutboxOperation,
    RbiConnection,
    Redemption,
    RedemptionKind,
)
from loyalty.providers.base import (
    BasketCheck,
    Identification,
    LoyaltyError,
    LoyaltyProvider,
    LoyaltyRejected,
    LoyaltyUnavailable,
    Reward,
    RewardKind,
)

logger = logging.getLogger(__name__)


def products_by_plu(order: Order, reward: Reward) -> tuple[Product, ...]:
    """Our products whose PLU (for the store's POS vendor) is a benefit of the reward."""
    if not reward.skus:
        return ()
    connection = RbiConnection.objects.filter(store=order.store).first()
    vendor = connection.supporting_pos.lower() if connection else "partner"
    products = Product.objects.filter(
        store_id=order.store_id, is_active=True
    ).select_related("category", "store")
    by_vendor = {
        row.plu: row.product_id
        for row in ProductVendorPlu.objects.filter(
            product__store_id=order.store_id, vendor=vendor
        )
    }
    found = []
    for code in reward.skus:
        product_id = by_vendor.get(code)
        match = (
            products.filter(pk=product_id).first()
            if product_id
            else products.filter(plu=code).first()
        )
        if match is not None:
            found.append(match)
    return tuple(found)


def _price(reward: Reward) -> int:
    return reward.value or 0 if reward.kind == RewardKind.OFFER else 0


def _redemption_kind(reward: Reward) -> str:
    return (
        RedemptionKind.OFFER
        if reward.kind == RewardKind.OFFER
        else RedemptionKind.FREE_PRODUCT
    )


@transaction.atomic
def incentive_put_on_order(
    *,
    order: Order,
    reward: Reward,
    selection: LineSelection,
    is_preselected: bool = False,
) -> Redemption:
    """The incentive's product as an order line at the incentive's price."""
    line = cart_line_add(
        order=order,
        selection=selection,
        reward_reference=reward.reference,
        price=_price(reward),
    )
    return Redemption.objects.create(
        order=order,
        owned_reference=reward.engine_reference or reward.reference,
        reward_reference=reward.reference,
        reward_name=reward.name[:120],
        kind=_redemption_kind(reward),
        line=line,
        line_code=reward.line_code,
        engine_reference=reward.engine_reference,
        is_personalised=reward.is_personalised,
        is_preselected=is_preselected,
        points=reward.points,
    )


def _selection_for(product: Product) -> LineSelection | None:
    """The product with its defaults, if it needs no choice from the customer."""
    selection = default_selection(product)
    slots = list(product.combo_slots.all())
    if len(selection.slots) != len(slots):
        return None
    groups = product.modifier_groups.filter(min_choices__gt=0)
    if any(
        len(selection.option_ids.get(group.pk, ())) < group.min_choices
        for group in groups
    ):
        return None
    return selection


def preselections_to_cart(*, order: Order, identification: Identification) -> list[str]:
    """What the member picked in the app lands in the cart; returns names left out."""
    left_out = []
    for reward in identification.preselected:
        products = products_by_plu(order, reward)
        selection = _selection_for(products[0]) if products else None
        if selection is None:
            left_out.append(reward.name)
            continue
        try:
            incentive_put_on_order(
                order=order, reward=reward, selection=selection, is_preselected=True
            )
        except CartError:
            left_out.append(reward.name)
    return left_out


def posting_payload(order: Order, operation: str) -> dict[str, Any]:
    """The frozen body of a session operation, built from the order as it is now."""
    from loyalty.services.outbox import posting_from, provider_of

    loyalty = OrderLoyalty.objects.get(order=order)
    provider = provider_of(order, loyalty.programme)
    posting = posting_from(order, loyalty)
    if operation == OutboxOperation.SESSION_VOID:
        return provider.void_payload(posting=posting)
    return provider.hold_payload(posting=posting)


def session_enqueue(*, order: Order, operation: str) -> OutboxMessage | None:
    """Queue a hold (PENDING for the counter) or a void of the member's transaction."""
    loyalty = (
        OrderLoyalty.objects.filter(order=order).exclude(session_reference="").first()
    )
    if loyalty is None:
        return None
    payload = posting_payload(order, operation)
    return OutboxMessage.objects.create(
        order=order,
        programme=loyalty.programme,
        operation=operation,
        payload=payload,
        idempotency_key=f"{order.uuid.hex}:{operation}:{uuid.uuid4().hex[:8]}",
        next_attempt_at=timezone.now(),
    )


@dataclass(frozen=True)
class ValidationResult:
    is_checked: bool  # False when the programme did not answer
    issues: int = 0


def basket_validate(*, order: Order, provider: LoyaltyProvider) -> ValidationResult:
    """Dry-run the basket; each incentive's rule failure goes on its line."""
    from loyalty.services.outbox import posting_from

    loyalty = (
        OrderLoyalty.objects.filter(order=order).exclude(session_reference="").first()
    )
    if loyalty is None:
        return ValidationResult(is_checked=False)
    try:
        with loyalty_budget():
            check = provider.basket_validate(posting=posting_from(order, loyalty))
    except LoyaltyError as err:
        logger.info(
            "rbi validate unavailable", extra={"code": err.code, "error": err.message}
        )
        return ValidationResult(is_checked=False)
    _record(order, loyalty, check)
    return ValidationResult(is_checked=True, issues=len(check.issues))


@transaction.atomic
def _record(order: Order, loyalty: OrderLoyalty, check: BasketCheck) -> None:
    redemptions = list(Redemption.objects.filter(order=order))
    for redemption in redemptions:
        issue = next(
            (
                i
                for i in check.issues
                if i.reward_reference
                in {redemption.reward_reference, redemption.engine_reference}
            ),
            None,
        )
        redemption.issue_rule = issue.rule if issue else ""
        redemption.issue_current = issue.current if issue else None
        redemption.issue_target = issue.target if issue else None
        redemption.save(update_fields=["issue_rule", "issue_current", "issue_target"])
    if not check.issues:
        loyalty.points_projected = check.points_earned
        loyalty.balance_projected = check.balance_after
        loyalty.save(update_fields=["points_projected", "balance_projected"])


def rescan(
    *,
    order: Order,
    provider: LoyaltyProvider,
    current: OrderLoyalty,
    found: Identification,
) -> str:
    """A second scan on the same order (rbi.md §7, rescan rules).

    The same member: the previous transaction is voided (waiting for the
    answer) and the whole basket goes on the new one. Another member: the new
    transaction is voided and the first one kept. Returns "same" or "other".
    """
    assert order.kiosk is not None
    from loyalty.services.outbox import posting_from

    if found.member.reference != current.member_reference:
        theirs = replace(
            posting_from(order, current),
            member_reference=found.member.reference,
            session_reference=found.member.session_reference,
        )
        void = provider.void_payload(posting=theirs)
        _deliver_now_or_later(
            order, current, OutboxOperation.SESSION_VOID, void, provider
        )
        return "other"
    previous = provider.void_payload(posting=posting_from(order, current))
    _deliver_now_or_later(
        order, current, OutboxOperation.SESSION_VOID, previous, provider
    )
    OrderLoyalty.objects.filter(pk=current.pk).update(
        session_reference=found.member.session_reference,
        points_before=found.member.points,
    )
    current.refresh_from_db()
    if Redemption.objects.filter(order=order).exists():
        hold = provider.hold_payload(posting=posting_from(order, current))
        _deliver_now_or_later(
            order, current, OutboxOperation.SESSION_HOLD, hold, provider
        )
    return "same"


def _deliver_now_or_later(
    order: Order,
    loyalty: OrderLoyalty,
    operation: str,
    payload: dict[str, Any],
    provider: LoyaltyProvider,
) -> None:
    """Wait for the programme's answer; if it does not come, the outbox carries on."""
    try:
        with loyalty_budget():
            if operation == OutboxOperation.SESSION_VOID:
                provider.void_deliver(payload=payload)
            else:
                provider.hold_deliver(payload=payload)
        return
    except (LoyaltyUnavailable, LoyaltyRejected) as err:
        logger.info(
            "rbi session call left to the outbox",
            extra={"code": err.code, "operation": operation},
        )
    OutboxMessage.objects.create(
        order=order,
        programme=loyalty.programme,
        operation=operation,
        payload=payload,
        idempotency_key=f"{order.uuid.hex}:{operation}:{uuid.uuid4().hex[:8]}",
        next_attempt_at=timezone.now(),
    )


def issue_text(
    rule: str, *, current: float | None = None, target: float | None = None
) -> str:
    """A rule failure in plain words, for the customer."""
    if rule == "point-balance" and target is not None:
        missing = int(target - (current or 0))
        count = max(missing, 1)
        return ngettext(
            "You need %(count)d more point for this.",
            "You need %(count)d more points for this.",
            count,
        ) % {"count": count}
    texts = {
        "point-balance": _("You do not have enough points for this."),
        "min-spend": _("Your order is below the minimum spend for this offer."),
        "limit-per-order": _("This can be used once per order."),
        "day-of-the-week": _("Not valid today."),
        "date-span": _("This offer is not valid at the moment."),
        "service-mode": _("Not valid for this service mode."),
        "store-restrictions": _("Not available in this restaurant."),
        "first-order-only": _("Only for your first order."),
        "requires-authentication": _("Scan your app to use this."),
    }
    return texts.get(rule, _("This can't be used with this order."))


def rule_text(redemption: Redemption) -> str:
    """The last rule failure of an incentive on the order, or ""."""
    if not redemption.issue_rule:
        return ""
    return issue_text(
        redemption.issue_rule,
        current=redemption.issue_current,
        target=redemption.issue_target,
    )


def loyalty_basket_check(*, order: Order) -> ValidationResult:
    """Once more before payment: the programme checks the basket as it will be claimed."""
    from loyalty.providers import provider_for
    from loyalty.providers.base import Capability

    provider = provider_for(order.store)
    if provider is None or Capability.SESSION not in provider.capabilities:
        return ValidationResult(is_checked=False)
    if not Redemption.objects.filter(order=order).exists():
        return ValidationResult(is_checked=False)
    return basket_validate(order=order, provider=provider)
