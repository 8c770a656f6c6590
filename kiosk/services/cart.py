"""The cart: the lines and vouchers of a draft order, and its totals.

Every line added is first checked against the menu and priced
(`kiosk.services.selections`); every change recomputes the order's totals.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from django.conf import settings
from django.db import transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from kiosk.models import (
    ComboChoice,
    DiscountKind,
    LineKind,
    Order,
    OrderDiscount,
    OrderLine,
    OrderState,
)
from kiosk.selectors import LineTree, line_trees, order_line_trees, totals_of
from kiosk.services.errors import CartError, OrderStateError
from kiosk.services.selections import (
    LineSelection,
    ResolvedLine,
    SlotSelection,
    product_orderable_now,
    selection_resolve,
    unknown_choice,
)


def _lock_draft(order: Order) -> Order:
    locked = Order.objects.select_for_update().select_related("store").get(pk=order.pk)
    if locked.state != OrderState.DRAFT:
        raise OrderStateError(
            _("This order has already been sent and can no longer change.")
        )
    return locked


def _write_line(
    *,
    order: Order,
    node: ResolvedLine,
    parent: OrderLine | None,
    quantity: int,
    position: int,
) -> OrderLine:
    line = OrderLine.objects.create(
        order=order,
        parent=parent,
        kind=node.kind,
        product=node.product,
        modifier_option=node.option,
        combo_slot=node.slot,
        sku=(
            node.product.sku if node.product else node.option.sku if node.option else ""
        ),
        plu=(
            node.product.plu if node.product else node.option.plu if node.option else ""
        ),
        name=node.name,
        quantity=quantity,
        unit_price=node.unit_price,
        tax_rate=node.tax_rate,
        allocated_price=node.allocated_price,
        reward_reference=node.reward_reference,
        note=node.note_text(order.store.default_language),
        kitchen_note_ids=node.note_ids,
        total=node.unit_total * quantity if parent is None else 0,
        position=position,
    )
    for index, child in enumerate(node.children):
        _write_line(order=order, node=child, parent=line, quantity=1, position=index)
    return line


def _save_totals(order: Order, trees: list[LineTree] | None = None) -> None:
    """Recompute the order's totals, and each voucher's amount, from its lines."""
    discounts = list(order.discounts.all())
    totals = totals_of(
        trees if trees is not None else order_line_trees(order), discounts
    )
    for applied in totals.discounts:
        if applied.discount.amount != applied.amount:
            applied.discount.amount = applied.amount
            applied.discount.save(update_fields=["amount"])
    order.subtotal = totals.subtotal
    order.discount_total = totals.discount_total
    order.total = totals.total
    order.tax_total = totals.tax_total
    order.save(
        update_fields=["subtotal", "discount_total", "total", "tax_total", "updated_at"]
    )


def _set_quantity(tree: LineTree, quantity: int) -> None:
    line = tree.line
    line.quantity = quantity
    line.total = tree.unit_total * quantity
    line.save(update_fields=["quantity", "total"])


def _same_line(trees: list[LineTree], resolved: ResolvedLine) -> LineTree | None:
    """The line with this very configuration; a reward is always a line of its
    own (one owned reward, one line)."""
    if resolved.reward_reference:
        return None
    return next((t for t in trees if t.signature() == resolved.signature()), None)


def _quantity_refused(maximum: int) -> CartError:
    return CartError(
        _("You can order at most %(max)d of the same item.") % {"max": maximum},
        {"quantity": _("Choose a quantity from 1 to %(max)d.") % {"max": maximum}},
    )


@transaction.atomic
def cart_line_add(
    *,
    order: Order,
    selection: LineSelection,
    now: datetime | None = None,
    reward_reference: str = "",
    price: int | None = None,
) -> OrderLine:
    """Add what the customer configured; the same configuration again adds to its quantity.

    A loyalty reward or offer (`reward_reference`) is a line of its own, at
    `price` (0 for a reward).
    """
    order = _lock_draft(order)
    resolved, _errors = selection_resolve(
        order=order,
        selection=selection,
        now=now or timezone.now(),
        reward_reference=reward_reference,
        price=price,
    )
    trees = order_line_trees(order)
    same = _same_line(trees, resolved)
    if same is not None:
        quantity = same.line.quantity + selection.quantity
        if quantity > settings.KIOSK_MAX_LINE_QUANTITY:
            raise _quantity_refused(settings.KIOSK_MAX_LINE_QUANTITY)
        _set_quantity(same, quantity)
        _save_totals(order)
        return same.line
    if len(trees) >= settings.KIOSK_MAX_CART_LINES:
        raise CartError(
            _("Your order is full. Please pay for it or remove something first.")
        )
    position = max((tree.line.position for tree in trees), default=-1) + 1
    line = _write_line(
        order=order,
        node=resolved,
        parent=None,
        quantity=selection.quantity,
        position=position,
    )
    _save_totals(order)
    return line


def _root_tree(order: Order, line_id: int) -> tuple[LineTree, list[LineTree]]:
    trees = order_line_trees(order)
    tree = next((tree for tree in trees if tree.line.pk == line_id), None)
    if tree is None:
        raise CartError(_("This item is no longer in your order."))
    return tree, trees


@transaction.atomic
def cart_line_set_quantity(*, order: Order, line_id: int, quantity: int) -> OrderLine:
    order = _lock_draft(order)
    maximum = settings.KIOSK_MAX_LINE_QUANTITY
    if not 1 <= quantity <= maximum:
        raise CartError(_("Choose a quantity from 1 to %(max)d.") % {"max": maximum})
    tree, trees = _root_tree(order, line_id)
    if tree.line.reward_reference:
        raise CartError(_("A reward is for one item: its quantity cannot change."))
    _set_quantity(tree, quantity)
    _save_totals(order, trees)
    return tree.line


@transaction.atomic
def cart_line_remove(*, order: Order, line_id: int) -> RemovedLine | None:
    """Take a line out; what it was comes back for an undo (not for a reward,
    which its programme gives back instead)."""
    order = _lock_draft(order)
    tree, _trees = _root_tree(order, line_id)
    removed = None
    if not tree.line.reward_reference:
        removed = RemovedLine(
            selection=line_selection(tree),
            position=tree.line.position,
            name=tree.line.name,
        )
    tree.line.delete()
    _save_totals(order)
    return removed


@dataclass(frozen=True)
class RemovedLine:
    """A line just removed, as much as is needed to put it back."""

    selection: LineSelection
    position: int
    name: str

    def as_data(self) -> dict[str, Any]:
        """For the session (JSON: keys become strings)."""
        selection = self.selection
        return {
            "product": selection.product_id,
            "quantity": selection.quantity,
            "options": _options_data(selection.option_ids),
            "slots": {
                str(slot_id): [slot.choice_id, _options_data(slot.option_ids)]
                for slot_id, slot in selection.slots.items()
            },
            "notes": list(selection.note_ids),
            "position": self.position,
            "name": self.name,
        }

    @classmethod
    def from_data(cls, data: dict[str, Any]) -> RemovedLine:
        try:
            selection = LineSelection(
                product_id=int(data["product"]),
                quantity=int(data["quantity"]),
                option_ids=_options_from(data["options"]),
                slots={
                    int(slot_id): SlotSelection(
                        choice_id=int(choice), option_ids=_options_from(options)
                    )
                    for slot_id, (choice, options) in data["slots"].items()
                },
                note_ids=tuple(int(note) for note in data.get("notes", [])),
            )
            return cls(
                selection=selection,
                position=int(data["position"]),
                name=str(data["name"]),
            )
        except (KeyError, TypeError, ValueError, AttributeError) as err:
            raise CartError(_("This item can no longer be put back.")) from err


def _options_data(options: Mapping[int, tuple[int, ...]]) -> dict[str, list[int]]:
    return {str(group): list(ids) for group, ids in options.items()}


def _options_from(data: dict[str, list[int]]) -> dict[int, tuple[int, ...]]:
    return {int(group): tuple(int(i) for i in ids) for group, ids in data.items()}


def _options_of(children: list[LineTree]) -> dict[int, tuple[int, ...]]:
    options: dict[int, list[int]] = {}
    for child in children:
        option = child.line.modifier_option
        if child.line.kind == LineKind.MODIFIER and option is not None:
            options.setdefault(option.group_id, []).append(option.pk)
    return {group: tuple(ids) for group, ids in options.items()}


def line_note_ids(line: OrderLine) -> tuple[int, ...]:
    """The kitchen notes ticked for a root line, by id."""
    ids = line.kitchen_note_ids
    if not isinstance(ids, list):
        return ()
    return tuple(int(i) for i in ids if isinstance(i, int))


def line_selection(tree: LineTree) -> LineSelection:
    """What was picked for a line, as its product sheet would post it."""
    slots = {}
    for child in tree.children:
        line = child.line
        if (
            line.kind != LineKind.COMBO_ITEM
            or line.combo_slot_id is None
            or line.product_id is None
        ):
            continue
        choice = ComboChoice.objects.filter(
            slot_id=line.combo_slot_id, product_id=line.product_id
        ).first()
        if choice is not None:
            slots[line.combo_slot_id] = SlotSelection(
                choice_id=choice.pk, option_ids=_options_of(child.children)
            )
    return LineSelection(
        product_id=tree.line.product_id or 0,
        quantity=tree.line.quantity,
        option_ids=_options_of(tree.children),
        slots=slots,
        note_ids=line_note_ids(tree.line),
    )


def cart_line_selection(*, order: Order, line_id: int) -> LineSelection:
    """The choices of a line of the cart, to open its sheet with them."""
    tree, _trees = _root_tree(order, line_id)
    if tree.line.reward_reference or tree.line.product_id is None:
        raise CartError(_("A reward cannot be changed: remove it and choose again."))
    return line_selection(tree)


@transaction.atomic
def cart_line_update(
    *,
    order: Order,
    line_id: int,
    selection: LineSelection,
    now: datetime | None = None,
) -> OrderLine:
    """Replace a line's choices (and quantity) in place, checked and priced as
    an added line is; the line keeps its place in the order."""
    order = _lock_draft(order)
    tree, _trees = _root_tree(order, line_id)
    line = tree.line
    if line.reward_reference:
        raise CartError(_("A reward cannot be changed: remove it and choose again."))
    if selection.product_id != line.product_id:
        raise unknown_choice()
    resolved, _errors = selection_resolve(
        order=order, selection=selection, now=now or timezone.now()
    )
    OrderLine.objects.filter(parent=line).delete()
    line.name = resolved.name
    line.unit_price = resolved.unit_price
    line.tax_rate = resolved.tax_rate
    line.allocated_price = resolved.allocated_price
    line.quantity = selection.quantity
    line.total = resolved.unit_total * selection.quantity
    line.note = resolved.note_text(order.store.default_language)
    line.kitchen_note_ids = resolved.note_ids
    line.save(
        update_fields=[
            "name",
            "unit_price",
            "tax_rate",
            "allocated_price",
            "quantity",
            "total",
            "note",
            "kitchen_note_ids",
        ]
    )
    for index, child in enumerate(resolved.children):
        _write_line(order=order, node=child, parent=line, quantity=1, position=index)
    _save_totals(order)
    return line


@transaction.atomic
def cart_line_restore(
    *, order: Order, removed: RemovedLine, now: datetime | None = None
) -> OrderLine:
    """Undo a removal: the line comes back at its place, checked and priced as
    an added line is (a choice sold out meanwhile is refused)."""
    order = _lock_draft(order)
    resolved, _errors = selection_resolve(
        order=order, selection=removed.selection, now=now or timezone.now()
    )
    trees = order_line_trees(order)
    same = _same_line(trees, resolved)
    if same is not None:
        quantity = same.line.quantity + removed.selection.quantity
        if quantity > settings.KIOSK_MAX_LINE_QUANTITY:
            raise _quantity_refused(settings.KIOSK_MAX_LINE_QUANTITY)
        _set_quantity(same, quantity)
        _save_totals(order)
        return same.line
    if len(trees) >= settings.KIOSK_MAX_CART_LINES:
        raise CartError(
            _("Your order is full. Please pay for it or remove something first.")
        )
    line = _write_line(
        order=order,
        node=resolved,
        parent=None,
        quantity=removed.selection.quantity,
        position=removed.position,
    )
    _save_totals(order)
    return line


def _tree_is_orderable(tree: LineTree, now: datetime) -> bool:
    for line, _units in tree.walk():
        if line.kind in {LineKind.ITEM, LineKind.COMBO} and line.product is not None:
            if not product_orderable_now(product=line.product, now=now):
                return False
        elif line.kind == LineKind.COMBO_ITEM and line.product is not None:
            if not line.product.is_orderable:
                return False
        elif line.modifier_option is not None and not line.modifier_option.is_available:
            return False
    return True


@transaction.atomic
def cart_remove_unavailable(*, order: Order, now: datetime | None = None) -> list[str]:
    """Take out what was sold out or went off the menu since it was added.

    Returns the names removed, for the customer to be told.
    """
    order = _lock_draft(order)
    lines = list(
        order.lines.select_related(
            "product__category", "product__store", "modifier_option"
        ).order_by("position", "id")
    )
    removed = []
    for tree in line_trees(lines):
        if not _tree_is_orderable(tree, now or timezone.now()):
            removed.append(tree.line.name)
            tree.line.delete()
    if removed:
        _save_totals(order)
    return removed


@transaction.atomic
def order_set_service_mode(*, order: Order, service_mode: str) -> Order:
    """Eat in or take away; tax rates of the lines follow (they may differ)."""
    order = _lock_draft(order)
    if service_mode not in order.store.service_modes:
        raise CartError(_("This service mode is not offered here."))
    order.service_mode = service_mode
    order.save(update_fields=["service_mode", "updated_at"])
    lines = list(
        order.lines.select_related("product__tax_rate", "parent__product__tax_rate")
    )
    for line in lines:
        owner = line.product if line.kind != LineKind.MODIFIER else line.parent.product  # type: ignore[union-attr]
        if owner is not None:
            line.tax_rate = owner.tax_rate.rate_for(service_mode)
            line.save(update_fields=["tax_rate"])
    _save_totals(order)
    return order


@transaction.atomic
def order_discount_add(
    *,
    order: Order,
    name: str,
    kind: str,
    value: int,
    source: str,
    code: str = "",
    reference: str = "",
) -> OrderDiscount:
    """Apply a voucher to the whole order; its amount follows the order's lines."""
    order = _lock_draft(order)
    if (
        kind not in DiscountKind.values
        or value <= 0
        or (kind == DiscountKind.PERCENT and value > 100)
    ):
        raise CartError(_("This voucher cannot be applied."))
    discount = OrderDiscount.objects.create(
        order=order,
        name=name[:120],
        code=code[:64],
        kind=kind,
        value=value,
        source=source,
        reference=reference[:80],
    )
    _save_totals(order)
    discount.refresh_from_db()
    return discount


@transaction.atomic
def order_discount_remove(*, order: Order, discount_id: int) -> None:
    order = _lock_draft(order)
    deleted, _rows = order.discounts.filter(pk=discount_id).delete()
    if not deleted:
        raise CartError(_("This voucher is no longer on your order."))
    _save_totals(order)
