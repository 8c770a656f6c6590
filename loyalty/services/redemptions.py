"""Rewards on an order: the member's panel, buying with points, and putting a
reward on the order as a free product or a voucher.

Burning points is online only: a reward goes on an order after the programme
locked it for this order, and it leaves the order with its lock released.
"""

from __future__ import annotations

import logging
import uuid
from dataclasses import dataclass
from enum import StrEnum

from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiosk.models import DiscountKind, Order, Product
from kiosk.services.cart import (
    cart_line_add,
    cart_line_remove,
    order_discount_add,
    order_discount_remove,
)
from kiosk.services.errors import CartError
from kiosk.services.selections import LineSelection
from loyalty.http import loyalty_budget
from loyalty.models import (
    OrderLoyalty,
    OutboxMessage,
    OutboxOperation,
    OutboxStatus,
    Programme,
    Redemption,
    RedemptionKind,
)
from loyalty.providers import programme_store, provider_for
from loyalty.providers.base import (
    Capability,
    LoyaltyProvider,
    LoyaltyRejected,
    LoyaltyUnavailable,
    Member,
    OwnedReward,
    Panel,
    Reward,
    RewardKind,
)
from loyalty.services.sessions import (
    basket_validate,
    incentive_put_on_order,
    issue_text,
    products_by_plu,
    rule_text,
)

logger = logging.getLogger(__name__)


@dataclass(frozen=True)
class RewardChoice:
    """A catalogue reward (or an offer) as this member sees it at this kiosk."""

    reward: Reward
    products: tuple[Product, ...]
    points_missing: int
    reason: str  # why it cannot be had here, or ""
    redemption: Redemption | None = None  # already on this order

    @property
    def can_buy(self) -> bool:
        return not self.reason and not self.points_missing

    @property
    def can_add(self) -> bool:
        """Session programmes: it goes on the order, the programme checks it there."""
        return not self.reason and self.redemption is None


@dataclass(frozen=True)
class OwnedChoice:
    owned: OwnedReward
    products: tuple[Product, ...]
    reason: str
    redemption: Redemption | None

    @property
    def can_use(self) -> bool:
        return not self.reason and self.redemption is None


@dataclass(frozen=True)
class PanelView:
    member: Member
    rewards: list[RewardChoice]
    owned: list[OwnedChoice]
    # Pongo: rewards are bought, then used; RBI: rewards and offers go on the order.
    has_session: bool = False

    @property
    def offers(self) -> list[RewardChoice]:
        return [c for c in self.rewards if c.reward.kind == RewardKind.OFFER]

    @property
    def point_rewards(self) -> list[RewardChoice]:
        return [c for c in self.rewards if c.reward.kind != RewardKind.OFFER]


def member_of(loyalty: OrderLoyalty) -> Member:
    return Member(
        reference=loyalty.member_reference,
        first_name=loyalty.member_first_name,
        points=loyalty.points_before,
        phone=loyalty.member_phone,
    )


def _products_for(order: Order, reward: Reward) -> tuple[Product, ...]:
    """Our products among the reward's SKUs (the list may name other systems' SKUs)."""
    if not reward.gives_product or not reward.skus:
        return ()
    if reward.product_code == "plu":
        return products_by_plu(order, reward)
    products = Product.objects.filter(
        store_id=order.store_id, sku__in=reward.skus, is_active=True
    ).select_related("category", "store")
    by_sku = {product.sku: product for product in products}
    return tuple(by_sku[sku] for sku in reward.skus if sku in by_sku)


def _reason(order: Order, reward: Reward, products: tuple[Product, ...]) -> str:
    if reward.kind == RewardKind.UNSUPPORTED:
        return _("Not available at this kiosk")
    if reward.gives_product and not products:
        return _("Not available at this kiosk")
    if reward.gives_product and not any(p.is_available for p in products):
        return _("Not available right now")
    if reward.is_voucher and not reward.value:
        return _("Not available at this kiosk")
    return ""


def _session_reason(panel: Panel, reward: Reward) -> str:
    issue = next(
        (i for i in panel.issues if i.reward_reference == reward.reference), None
    )
    if issue is None or issue.rule == "point-balance":
        return ""
    return issue_text(issue.rule)


def _panel_view(order: Order, panel: Panel, has_session: bool) -> PanelView:
    redemptions = list(Redemption.objects.filter(order=order))
    on_order = {r.owned_reference: r for r in redemptions}
    has_voucher = any(r.kind == RedemptionKind.VOUCHER for r in redemptions)
    rewards = []
    for reward in panel.rewards:
        products = _products_for(order, reward)
        reason = _reason(order, reward, products) or (
            _session_reason(panel, reward) if has_session else ""
        )
        rewards.append(
            RewardChoice(
                reward=reward,
                products=products,
                points_missing=max(0, reward.points - panel.member.points),
                reason=reason,
                redemption=on_order.get(reward.engine_reference or reward.reference)
                if has_session
                else None,
            )
        )
    owned = []
    for item in panel.owned:
        products = _products_for(order, item.reward)
        reason = _reason(order, item.reward, products)
        redemption = on_order.get(item.reference)
        if not reason and redemption is None and item.reward.is_voucher and has_voucher:
            reason = _("One voucher per order")
        owned.append(
            OwnedChoice(
                owned=item, products=products, reason=reason, redemption=redemption
            )
        )
    return PanelView(
        member=panel.member, rewards=rewards, owned=owned, has_session=has_session
    )


def _context(order: Order) -> tuple[LoyaltyProvider, OrderLoyalty] | None:
    provider = provider_for(order.store)
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    if provider is None or loyalty is None or order.kiosk is None:
        return None
    return provider, loyalty


def loyalty_panel(*, order: Order) -> PanelView | None:
    """The member's balance and rewards, fresh from the programme; None when unavailable."""
    found = _context(order)
    if found is None or not found[1].is_verified:
        return None
    provider, loyalty = found
    assert order.kiosk is not None
    try:
        with loyalty_budget():
            panel = provider.panel(
                member=member_of(loyalty), store=programme_store(order.kiosk)
            )
    except (LoyaltyUnavailable, LoyaltyRejected) as err:
        logger.info("loyalty panel unavailable", extra={"code": err.code})
        return None
    if loyalty.points_before != panel.member.points:
        OrderLoyalty.objects.filter(pk=loyalty.pk).update(
            points_before=panel.member.points
        )
    return _panel_view(order, panel, Capability.SESSION in provider.capabilities)


class BuyStatus(StrEnum):
    BOUGHT = "bought"
    REFUSED = "refused"
    UNAVAILABLE = "unavailable"


@dataclass(frozen=True)
class BuyOutcome:
    status: BuyStatus
    message: str = ""
    owned: OwnedReward | None = None


_BUY_MESSAGES = {
    "insufficient_points": _("You do not have enough points for this reward."),
    "invalid_pin": _("This PIN is not right. Please try again."),
}


def loyalty_reward_buy(
    *, order: Order, reward_reference: str, pin: str = ""
) -> BuyOutcome:
    """Spend the member's points on a reward; the reward is theirs even if they leave."""
    found = _context(order)
    if found is None:
        return BuyOutcome(
            BuyStatus.UNAVAILABLE, _("Rewards are unavailable right now.")
        )
    provider, loyalty = found
    assert order.kiosk is not None
    try:
        with loyalty_budget():
            owned = provider.reward_buy(
                member=member_of(loyalty),
                reward_reference=reward_reference,
                store=programme_store(order.kiosk),
                pin=pin,
            )
    except LoyaltyUnavailable:
        return BuyOutcome(
            BuyStatus.UNAVAILABLE,
            _("Rewards are unavailable right now. No points were spent."),
        )
    except LoyaltyRejected as err:
        message = _BUY_MESSAGES.get(err.code, _("This reward cannot be bought here."))
        return BuyOutcome(BuyStatus.REFUSED, message)
    return BuyOutcome(BuyStatus.BOUGHT, owned=owned)


class UseStatus(StrEnum):
    ADDED = "added"
    CHOOSE = "choose"  # the customer picks the product or its options first
    REFUSED = "refused"


@dataclass(frozen=True)
class UseOutcome:
    status: UseStatus
    message: str = ""
    products: tuple[Product, ...] = ()
    owned: OwnedReward | None = None
    reward: Reward | None = None  # session programmes: the incentive to choose for


def _find_owned(order: Order, owned_reference: str) -> OwnedChoice | None:
    view = loyalty_panel(order=order)
    if view is None:
        return None
    return next((c for c in view.owned if c.owned.reference == owned_reference), None)


def _lock(provider: LoyaltyProvider, loyalty: OrderLoyalty, owned: OwnedReward) -> None:
    order = loyalty.order
    assert order.kiosk is not None
    # A release still waiting in the outbox would undo this lock: drop it.
    OutboxMessage.objects.filter(
        order=order,
        operation=OutboxOperation.REWARD_UNLOCK,
        status=OutboxStatus.PENDING,
        payload__owned=owned.reference,
    ).update(
        status=OutboxStatus.DONE,
        last_error="superseded by a new lock",
        done_at=timezone.now(),
    )
    with loyalty_budget():
        provider.reward_lock(
            member=member_of(loyalty),
            owned=owned,
            order_reference=order.uuid.hex,
            store=programme_store(order.kiosk),
        )


def _is_simple(product: Product) -> bool:
    return not product.is_combo and not product.modifier_groups.exists()


def loyalty_reward_use(
    *, order: Order, owned_reference: str, selection: LineSelection | None = None
) -> UseOutcome:
    """Put an owned reward on the order: its product at price 0, or its voucher.

    A free product with several products, or with options, comes back as
    CHOOSE: the customer picks on the product sheet, then calls again with
    the selection. Paid options stay paid.
    """
    found = _context(order)
    choice = _find_owned(order, owned_reference) if found is not None else None
    if found is None or choice is None:
        return UseOutcome(UseStatus.REFUSED, _("Rewards are unavailable right now."))
    if not choice.can_use:
        return UseOutcome(
            UseStatus.REFUSED,
            choice.reason or _("This reward is already on your order."),
        )
    owned = choice.owned
    if owned.reward.kind == RewardKind.FREE_PRODUCT:
        if selection is None:
            if len(choice.products) == 1 and _is_simple(choice.products[0]):
                selection = LineSelection(product_id=choice.products[0].pk)
            else:
                return UseOutcome(
                    UseStatus.CHOOSE, products=choice.products, owned=owned
                )
        if (
            selection.product_id not in {p.pk for p in choice.products}
            or selection.quantity != 1
        ):
            return UseOutcome(
                UseStatus.REFUSED, _("This product is not part of the reward.")
            )
    provider, loyalty = found
    try:
        _lock(provider, loyalty, owned)
    except LoyaltyUnavailable:
        return UseOutcome(UseStatus.REFUSED, _("Rewards are unavailable right now."))
    except LoyaltyRejected:
        return UseOutcome(
            UseStatus.REFUSED, _("This reward is being used on another order.")
        )
    try:
        _put_on_order(order, owned, selection, source=loyalty.programme)
    except CartError as err:
        unlock_enqueue(order=order, loyalty=loyalty, owned_reference=owned.reference)
        return UseOutcome(UseStatus.REFUSED, err.message)
    return UseOutcome(UseStatus.ADDED, owned=owned)


@transaction.atomic
def _put_on_order(
    order: Order, owned: OwnedReward, selection: LineSelection | None, *, source: str
) -> None:
    reward = owned.reward
    common = {
        "order": order,
        "owned_reference": owned.reference,
        "reward_reference": reward.reference,
        "reward_name": reward.name[:120],
        "coupon_code": owned.coupon_code[:64],
    }
    if reward.kind == RewardKind.FREE_PRODUCT and selection is not None:
        line = cart_line_add(
            order=order, selection=selection, reward_reference=reward.reference
        )
        Redemption.objects.create(kind=RedemptionKind.FREE_PRODUCT, line=line, **common)
        return
    kind = (
        DiscountKind.PERCENT
        if reward.kind == RewardKind.VOUCHER_PERCENT
        else DiscountKind.AMOUNT
    )
    discount = order_discount_add(
        order=order,
        name=reward.name,
        kind=kind,
        value=reward.value or 0,
        source=source,
        code=owned.coupon_code,
        reference=reward.reference,
    )
    Redemption.objects.create(kind=RedemptionKind.VOUCHER, discount=discount, **common)


def unlock_enqueue(
    *, order: Order, loyalty: OrderLoyalty, owned_reference: str
) -> None:
    """Release the programme's lock on a reward, reliably, from the outbox."""
    assert order.kiosk is not None
    OutboxMessage.objects.create(
        order=order,
        programme=loyalty.programme,
        operation=OutboxOperation.REWARD_UNLOCK,
        payload={
            "customer": loyalty.member_reference,
            "owned": owned_reference,
            "order_id": order.uuid.hex,
            "store_slug": programme_store(order.kiosk).reference,
        },
        idempotency_key=f"{order.uuid.hex}:unlock:{owned_reference}:{uuid.uuid4().hex[:8]}",
        next_attempt_at=timezone.now(),
    )


def loyalty_redemption_remove(*, order: Order, redemption_id: int) -> None:
    """Take a reward off the order; a Pongo member keeps it for next time, an
    RBI basket is checked again without it."""
    with transaction.atomic():
        redemption = Redemption.objects.filter(order=order, pk=redemption_id).first()
        if redemption is None:
            raise CartError(_("This reward is no longer on your order."))
        _remove(order, redemption)
    found = _context(order)
    if found is not None and Capability.SESSION in found[0].capabilities:
        basket_validate(order=order, provider=found[0])


def loyalty_incentive_add(
    *,
    order: Order,
    reference: str,
    engine_reference: str = "",
    selection: LineSelection | None = None,
) -> UseOutcome:
    """Session programmes (RBI): a reward or offer goes on the order as its product,
    then the programme checks the basket. A refused one stays, with the reason."""
    found = _context(order)
    view = loyalty_panel(order=order) if found is not None else None
    choice = None
    if view is not None:
        choice = next(
            (
                c
                for c in view.rewards
                if c.reward.reference == reference
                and (
                    not engine_reference
                    or c.reward.engine_reference == engine_reference
                )
            ),
            None,
        )
    if found is None or choice is None:
        return UseOutcome(UseStatus.REFUSED, _("Rewards are unavailable right now."))
    if not choice.can_add:
        return UseOutcome(
            UseStatus.REFUSED, choice.reason or _("This is already on your order.")
        )
    if selection is None:
        simple = len(choice.products) == 1 and _is_simple(choice.products[0])
        if not simple:
            return UseOutcome(
                UseStatus.CHOOSE, products=choice.products, reward=choice.reward
            )
        selection = LineSelection(product_id=choice.products[0].pk)
    if (
        selection.product_id not in {p.pk for p in choice.products}
        or selection.quantity != 1
    ):
        return UseOutcome(
            UseStatus.REFUSED, _("This product is not part of the reward.")
        )
    try:
        redemption = incentive_put_on_order(
            order=order, reward=choice.reward, selection=selection
        )
    except CartError as err:
        return UseOutcome(UseStatus.REFUSED, err.message)
    basket_validate(order=order, provider=found[0])
    redemption.refresh_from_db()
    return UseOutcome(UseStatus.ADDED, message=rule_text(redemption))


def _remove(order: Order, redemption: Redemption) -> None:
    loyalty = OrderLoyalty.objects.get(order=order)
    owned_reference = redemption.owned_reference
    if redemption.line_id is not None:
        cart_line_remove(order=order, line_id=redemption.line_id)
    elif redemption.discount_id is not None:
        order_discount_remove(order=order, discount_id=redemption.discount_id)
    Redemption.objects.filter(pk=redemption.pk).delete()
    if loyalty.programme == Programme.PONGO:
        unlock_enqueue(order=order, loyalty=loyalty, owned_reference=owned_reference)


@transaction.atomic
def redemptions_drop(*, order: Order) -> None:
    """Every reward leaves a draft order (another member identified, or "not me")."""
    for redemption in Redemption.objects.filter(order=order):
        _remove(order, redemption)


@transaction.atomic
def redemptions_release(*, order: Order) -> None:
    """A cancelled order: its rewards' locks are released (the member keeps them)."""
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    if loyalty is None or loyalty.programme != Programme.PONGO:
        return
    for redemption in Redemption.objects.filter(order=order):
        unlock_enqueue(
            order=order, loyalty=loyalty, owned_reference=redemption.owned_reference
        )


def loyalty_refused_drop(*, order: Order) -> list[str]:
    """Paying past the programme's refusals: the refused incentives leave the order
    (a refused reward would be free food the claim does not pay for). Returns
    their names; the programme checks what is left."""
    refused = list(Redemption.objects.filter(order=order).exclude(issue_rule=""))
    with transaction.atomic():
        for redemption in refused:
            _remove(order, redemption)
    found = _context(order) if refused else None
    if found is not None and Capability.SESSION in found[0].capabilities:
        basket_validate(order=order, provider=found[0])
    return [redemption.reward_name for redemption in refused]


@transaction.atomic
def loyalty_vouchers_drop(*, order: Order) -> None:
    """Paying at the counter: vouchers apply only to orders paid at the kiosk."""
    for redemption in Redemption.objects.filter(
        order=order, kind=RedemptionKind.VOUCHER
    ):
        _remove(order, redemption)
