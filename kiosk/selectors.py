"""Reads: the menu a kiosk shows, and the cart as a tree of lines with totals."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from datetime import date, datetime
from uuid import UUID

from django.db.models import Count, Prefetch, Q, QuerySet

from kiosk.models import (
    KITCHEN_NOTE_SEPARATOR,
    AttractBrand,
    AttractSlide,
    Category,
    DiscountKind,
    Kiosk,
    KitchenNote,
    Order,
    OrderDiscount,
    OrderLine,
    OrderState,
    Product,
    Store,
    UpsellOffer,
)
from kiosk.money import TaxLine, discount_amount, spread, tax_breakdown


@dataclass
class LineTree:
    line: OrderLine
    children: list[LineTree] = field(default_factory=list)

    def taxable(self, multiplier: int = 1) -> Iterator[tuple[int, int]]:
        """(tax rate, gross amount) of every line, with combo prices shared out."""
        units = multiplier * self.line.quantity
        shared_out = sum(child.line.allocated_price for child in self.children)
        base = self.line.unit_price + self.line.allocated_price - shared_out
        yield self.line.tax_rate, base * units
        for child in self.children:
            yield from child.taxable(units)

    def walk(self, multiplier: int = 1) -> Iterator[tuple[OrderLine, int]]:
        """Every line of the subtree with the number of units it stands for."""
        units = multiplier * self.line.quantity
        yield self.line, units
        for child in self.children:
            yield from child.walk(units)

    @property
    def unit_total(self) -> int:
        return self.line.unit_price + sum(
            child.unit_total * child.line.quantity for child in self.children
        )

    def signature(self) -> tuple[object, ...]:
        """What makes two lines "the same thing", whatever their quantities."""
        line = self.line
        return (
            line.kind,
            line.product_id,
            line.modifier_option_id,
            line.combo_slot_id,
            line.unit_price,
            line.reward_reference,
            tuple(child.signature() for child in self.children),
            tuple(line.kitchen_note_ids or ()),
        )


@dataclass(frozen=True)
class DiscountLine:
    discount: OrderDiscount
    amount: int

    @property
    def unused(self) -> int:
        """What an amount voucher is worth beyond what it takes off: lost,
        for the order does not keep the rest."""
        if self.discount.kind != DiscountKind.AMOUNT:
            return 0
        return max(self.discount.value - self.amount, 0)


@dataclass(frozen=True)
class Totals:
    subtotal: int
    discounts: list[DiscountLine]
    total: int
    tax_total: int
    taxes: list[TaxLine]

    @property
    def discount_total(self) -> int:
        return self.subtotal - self.total


@dataclass
class CartView:
    order: Order
    trees: list[LineTree]
    totals: Totals
    # The kitchen notes of each root line, in the customer's language.
    notes: dict[int, str] = field(default_factory=dict)

    @property
    def item_count(self) -> int:
        return sum(tree.line.quantity for tree in self.trees)

    @property
    def is_empty(self) -> bool:
        return not self.trees


def line_trees(lines: list[OrderLine]) -> list[LineTree]:
    nodes = {line.pk: LineTree(line) for line in lines}
    roots: list[LineTree] = []
    for line in lines:
        node = nodes[line.pk]
        if line.parent_id is None:
            roots.append(node)
        else:
            nodes[line.parent_id].children.append(node)
    return roots


def order_line_trees(order: Order) -> list[LineTree]:
    return line_trees(list(order.lines.order_by("position", "id")))


def totals_of(trees: list[LineTree], discounts: list[OrderDiscount]) -> Totals:
    """Lines, then vouchers in the order they were applied, then VAT.

    A discount lowers every VAT rate's base pro rata to its share of the lines.
    """
    subtotal = sum(tree.line.total for tree in trees)
    applied, left = [], subtotal
    for discount in discounts:
        amount = discount_amount(kind=discount.kind, value=discount.value, base=left)
        applied.append(DiscountLine(discount=discount, amount=amount))
        left -= amount
    gross_by_rate: dict[int, int] = {}
    for tree in trees:
        for rate, gross in tree.taxable():
            gross_by_rate[rate] = gross_by_rate.get(rate, 0) + gross
    rates = sorted(gross_by_rate)
    reductions = spread(subtotal - left, [gross_by_rate[rate] for rate in rates])
    taxes = tax_breakdown(
        (rate, gross_by_rate[rate] - reduction)
        for rate, reduction in zip(rates, reductions, strict=True)
    )
    return Totals(
        subtotal=subtotal,
        discounts=applied,
        total=left,
        tax_total=sum(tax.tax for tax in taxes),
        taxes=taxes,
    )


def order_totals(order: Order) -> Totals:
    return totals_of(order_line_trees(order), list(order.discounts.all()))


def line_notes(trees: list[LineTree]) -> dict[int, str]:
    """The kitchen notes ticked on each root line, in the active language (the
    line keeps them in the kitchen's); one query, and none without notes."""
    ids = {tree.line.pk: list(tree.line.kitchen_note_ids or ()) for tree in trees}
    wanted = {note for notes in ids.values() for note in notes}
    if not wanted:
        return {}
    names = {note.pk: note.name for note in KitchenNote.objects.filter(pk__in=wanted)}
    return {
        line_id: KITCHEN_NOTE_SEPARATOR.join(names[n] for n in notes if n in names)
        for line_id, notes in ids.items()
        if notes
    }


def cart_view(order: Order) -> CartView:
    trees = order_line_trees(order)
    totals = totals_of(trees, list(order.discounts.all()))
    return CartView(order=order, trees=trees, totals=totals, notes=line_notes(trees))


def order_for_kiosk(*, kiosk: Kiosk, order_uuid: str | None) -> Order | None:
    """The customer's current order on this kiosk, as remembered by the session."""
    if not order_uuid:
        return None
    try:
        key = UUID(order_uuid)
    except ValueError:
        return None
    return (
        Order.objects.select_related("store", "kiosk")
        .filter(uuid=key, kiosk=kiosk)
        .exclude(state=OrderState.CANCELLED)
        .first()
    )


@dataclass
class MenuCategory:
    category: Category
    products: list[Product]


def orderable_products(store: Store) -> QuerySet[Product]:
    return Product.objects.filter(store=store, is_active=True).select_related(
        "category", "tax_rate"
    )


def menu_for_store(*, store: Store, now: datetime) -> list[MenuCategory]:
    """Categories open now, in order, with their products (sold-out ones included)."""
    local_now = store.local_now(now)
    categories = (
        Category.objects.filter(store=store, is_active=True)
        .order_by("position", "id")
        .prefetch_related(
            Prefetch(
                "products",
                queryset=Product.objects.filter(is_active=True).order_by(
                    "position", "id"
                ),
            )
        )
    )
    menu = []
    for category in categories:
        if not category.is_available_at(local_now):
            continue
        products = list(category.products.all())
        if products:
            menu.append(MenuCategory(category=category, products=products))
    return menu


def awaiting_counter_orders(*, store: Store) -> QuerySet[Order]:
    return (
        Order.objects.filter(store=store, state=OrderState.AWAITING_PAYMENT)
        .select_related("kiosk")
        .prefetch_related("lines", "payments")
        .order_by("submitted_at", "id")
    )


def paid_orders_to_hand_over(*, store: Store) -> QuerySet[Order]:
    return (
        Order.objects.filter(store=store, state=OrderState.PAID)
        .select_related("kiosk")
        .prefetch_related("lines")
        .order_by("paid_at", "id")
    )


@dataclass(frozen=True)
class TakeRate:
    """How often a rule's offer was taken: shown, accepted, and the rate in %."""

    rule_id: int
    shown: int
    accepted: int

    @property
    def rate(self) -> float:
        return round(100 * self.accepted / self.shown, 1) if self.shown else 0.0


def upsell_take_rates(
    *,
    store: Store | None = None,
    since: datetime | None = None,
    until: datetime | None = None,
) -> dict[int, TakeRate]:
    """The take rate of every rule with offers shown in [since, until), by rule id."""
    offers = UpsellOffer.objects.all()
    if store is not None:
        offers = offers.filter(rule__store=store)
    if since is not None:
        offers = offers.filter(shown_at__gte=since)
    if until is not None:
        offers = offers.filter(shown_at__lt=until)
    rows = offers.values("rule_id").annotate(
        shown=Count("id"), taken=Count("id", filter=Q(accepted=True))
    )
    return {
        row["rule_id"]: TakeRate(
            rule_id=row["rule_id"], shown=row["shown"], accepted=row["taken"]
        )
        for row in rows
    }


@dataclass(frozen=True)
class AttractContent:
    """What the attract screen shows of the operator's own: brand and slides."""

    brand: AttractBrand | None
    slides: list[AttractSlide]

    @property
    def is_branded(self) -> bool:
        return self.brand is not None


def attract_brand(*, store: Store) -> AttractBrand | None:
    return AttractBrand.objects.filter(store=store).first()


def attract_content(*, store: Store, day: date) -> AttractContent:
    """The store's brand, if set, and its slides shown on `day`, in order."""
    brand = attract_brand(store=store)
    slides = [
        slide
        for slide in AttractSlide.objects.filter(store=store, is_active=True)
        if slide.is_shown_on(day)
    ]
    return AttractContent(brand=brand, slides=slides)
