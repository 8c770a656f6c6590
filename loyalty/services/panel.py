"""The member's panel: balance, rewards and offers, as this kiosk can honour them.

A view model built from the programme's fresh answer and our catalogue: for
each reward, the products of ours it may be, and why it cannot be had here.
"""

from __future__ import annotations

import logging
from dataclasses import dataclass

from django.utils.translation import gettext as _

from kiosk.models import Order, Product, ProductVendorPlu
from loyalty.http import loyalty_budget
from loyalty.models import OrderLoyalty, Redemption, RedemptionKind
from loyalty.programmes import programme_store, provider_for
from loyalty.providers.base import (
    Capability,
    LoyaltyProvider,
    LoyaltyRejected,
    LoyaltyUnavailable,
    Member,
    OwnedReward,
    Panel,
    ProductCode,
    Reward,
    RewardKind,
    RuleCode,
)
from loyalty.texts import rule_text

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
    def image_url(self) -> str:
        return _first_image(self.products)

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

    @property
    def image_url(self) -> str:
        return _first_image(self.products)


def _first_image(products: tuple[Product, ...]) -> str:
    """The picture of the reward: the menu's own image of its first product.

    The kiosk shows no image from outside (its pages allow only their own)."""
    return next((p.image.url for p in products if p.image), "")


@dataclass(frozen=True)
class PanelView:
    member: Member
    rewards: list[RewardChoice]
    owned: list[OwnedChoice]
    # Rewards bought with points, then used (OWNED_REWARDS); or rewards and
    # offers put on the order and checked there (SESSION).
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


def reward_products(order: Order, reward: Reward) -> tuple[Product, ...]:
    """Our products the reward may be, in the reward's order (it may name
    products of other systems, which are left out)."""
    if not reward.gives_product or not reward.skus:
        return ()
    if reward.product_code == ProductCode.PLU:
        return _products_by_plu(order, reward.skus)
    products = Product.objects.filter(
        store_id=order.store_id, sku__in=reward.skus, is_active=True
    ).select_related("category", "store")
    by_sku = {product.sku: product for product in products}
    return tuple(by_sku[sku] for sku in reward.skus if sku in by_sku)


def _products_by_plu(order: Order, codes: tuple[str, ...]) -> tuple[Product, ...]:
    """Our products by the PLU of the store's POS vendor (or our own PLU)."""
    assert order.kiosk is not None
    vendor = programme_store(order.kiosk).plu_vendor or "partner"
    by_vendor = {
        row.plu: row.product_id
        for row in ProductVendorPlu.objects.filter(
            product__store_id=order.store_id, vendor=vendor
        )
    }
    queryset = Product.objects.filter(
        store_id=order.store_id, is_active=True
    ).select_related("category", "store")
    found = []
    for code in codes:
        product_id = by_vendor.get(code)
        match = (
            queryset.filter(pk=product_id).first()
            if product_id
            else queryset.filter(plu=code).first()
        )
        if match is not None:
            found.append(match)
    return tuple(found)


def _reason(reward: Reward, products: tuple[Product, ...]) -> str:
    if reward.kind == RewardKind.UNSUPPORTED:
        return _("Not available at this kiosk")
    if reward.gives_product and not products:
        return _("Not available at this kiosk")
    if reward.gives_product and not any(p.is_available for p in products):
        return _("Not available right now")
    if reward.is_voucher and not reward.value:
        return _("Not available at this kiosk")
    return ""


def _rule_reason(panel: Panel, reward: Reward) -> str:
    """A rule the programme says refuses the reward now; missing points are
    shown as such, not as a refusal."""
    issue = next(
        (i for i in panel.issues if i.reward_reference == reward.reference), None
    )
    if issue is None or issue.code == RuleCode.INSUFFICIENT_POINTS:
        return ""
    return rule_text(issue.code)


def _reward_choices(
    order: Order, panel: Panel, on_order: dict[str, Redemption], has_session: bool
) -> list[RewardChoice]:
    choices = []
    for reward in panel.rewards:
        products = reward_products(order, reward)
        reason = _reason(reward, products) or _rule_reason(panel, reward)
        redemption = (
            on_order.get(reward.engine_reference or reward.reference)
            if has_session
            else None
        )
        choices.append(
            RewardChoice(
                reward=reward,
                products=products,
                points_missing=max(0, reward.points - panel.member.points),
                reason=reason,
                redemption=redemption,
            )
        )
    return choices


def _owned_choices(
    order: Order, panel: Panel, on_order: dict[str, Redemption], has_voucher: bool
) -> list[OwnedChoice]:
    choices = []
    for item in panel.owned:
        products = reward_products(order, item.reward)
        reason = _reason(item.reward, products)
        redemption = on_order.get(item.reference)
        if not reason and redemption is None and item.reward.is_voucher and has_voucher:
            reason = _("One voucher per order")
        choices.append(
            OwnedChoice(
                owned=item, products=products, reason=reason, redemption=redemption
            )
        )
    return choices


def _panel_view(order: Order, panel: Panel, has_session: bool) -> PanelView:
    redemptions = list(Redemption.objects.filter(order=order))
    on_order = {r.owned_reference: r for r in redemptions}
    has_voucher = any(r.kind == RedemptionKind.VOUCHER for r in redemptions)
    return PanelView(
        member=panel.member,
        rewards=_reward_choices(order, panel, on_order, has_session),
        owned=_owned_choices(order, panel, on_order, has_voucher),
        has_session=has_session,
    )


def order_programme(order: Order) -> tuple[LoyaltyProvider, OrderLoyalty] | None:
    """The store's provider and the member identified on the order, if both."""
    provider = provider_for(order.store)
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    if provider is None or loyalty is None or order.kiosk is None:
        return None
    return provider, loyalty


def loyalty_panel(*, order: Order) -> PanelView | None:
    """The member's balance and rewards, fresh from the programme; None when unavailable."""
    found = order_programme(order)
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
