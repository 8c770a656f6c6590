"""Reads for the kiosk's pages: is loyalty on, who identified, which rewards."""

from __future__ import annotations

from dataclasses import dataclass

from kiosk.models import Order, Store
from loyalty.models import (
    OrderLoyalty,
    OutboxMessage,
    OutboxOperation,
    OutboxStatus,
    Redemption,
    RedemptionKind,
)
from loyalty.programmes import provider_for, store_programme
from loyalty.providers.base import IdentifierKind, ReceiptText
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


def _posting(order: Order) -> OutboxMessage | None:
    return OutboxMessage.objects.filter(
        order=order, operation=OutboxOperation.ORDER_POST
    ).first()


def order_awaits_receipt_text(order: Order) -> bool:
    """The order's posting is still on its way and may bring text for the
    receipt: a guest's sale, posted only to programmes that record guests'
    sales so that the guest can claim the points later."""
    posting = _posting(order)
    return (
        posting is not None
        and posting.status in {OutboxStatus.PENDING, OutboxStatus.IN_FLIGHT}
        and not OrderLoyalty.objects.filter(order=order).exists()
    )


def order_receipt_text(order: Order) -> ReceiptText | None:
    """What the programme asked to print on the order's receipt, once it answered."""
    posting = _posting(order)
    found = (posting.result or {}).get("receipt") if posting is not None else None
    if not isinstance(found, dict):
        return None
    lines = found.get("lines")
    return ReceiptText(
        header=str(found.get("header") or ""),
        lines=tuple(str(line) for line in lines) if isinstance(lines, list) else (),
        footer=str(found.get("footer") or ""),
    )


def member_first_name(order: Order) -> str:
    """The first name of the member identified on the order, or ""."""
    name = (
        OrderLoyalty.objects.filter(order=order, is_verified=True)
        .values_list("member_first_name", flat=True)
        .first()
    )
    return name or ""
