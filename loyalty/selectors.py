"""Reads for the kiosk's pages: is loyalty on, who identified, which rewards."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.models import Order, Store
from loyalty.models import OrderLoyalty, Redemption, RedemptionKind
from loyalty.programmes import provider_for, store_programme
from loyalty.providers.base import IdentifierKind
from loyalty.texts import redemption_rule_text


@dataclass(frozen=True)
class OrderLoyaltyState:
    is_on: bool  # the store runs a programme the kiosk can reach
    loyalty: OrderLoyalty | None  # who identified on this order
    has_voucher: bool
    issues: dict[int, str]  # order line id → why the programme refuses its incentive


def order_loyalty_state(order: Order) -> OrderLoyaltyState:
    return OrderLoyaltyState(
        is_on=bool(store_programme(order.store)),
        loyalty=OrderLoyalty.objects.filter(order=order).first(),
        has_voucher=Redemption.objects.filter(
            order=order, kind=RedemptionKind.VOUCHER
        ).exists(),
        issues={
            redemption.line_id: redemption_rule_text(redemption)
            for redemption in Redemption.objects.filter(
                order=order, line__isnull=False
            ).exclude(issue_rule="")
            if redemption.line_id is not None
        },
    )


@dataclass(frozen=True)
class LoyaltySummary:
    """What a paid order gave its member, as far as the programme has said."""

    first_name: str
    points_earned: int | None
    balance: int | None


def order_loyalty_summary(order: Order) -> LoyaltySummary | None:
    loyalty = OrderLoyalty.objects.filter(order=order).first()
    if loyalty is None:
        return None
    if loyalty.points_earned is not None:
        return LoyaltySummary(
            loyalty.member_first_name, loyalty.points_earned, loyalty.balance_after
        )
    return LoyaltySummary(
        loyalty.member_first_name, loyalty.points_projected, loyalty.balance_projected
    )


def store_identifiers(store: Store) -> frozenset[IdentifierKind]:
    """How members identify at the store's kiosks now (none without a programme)."""
    provider = provider_for(store)
    return provider.identifiers if provider is not None else frozenset()
