"""The product sheet: from posted ids to a selection, and from a selection to a form.

Field names: `quantity`; `group-<id>` for the product's modifier options;
`slot-<id>` for a combo slot's choice and `slot-<id>-group-<id>` for the
options of the product chosen in that slot; `note` (repeated) for the
kitchen notes ticked ("No salt"), offered with the meal's own options on its
last step.

A combo (a meal) is built one step at a time: each slot (main, side, drink)
in turn, then a last step with the meal's own options and its quantity. The
step shown travels with the form (`step`), with `step_move` (-1, 1) or
`step_goto` (a step number) asking for another; the choices of the steps not
shown ride along as hidden fields, so the last step adds the whole meal as one
line. Moving on from a step with a missing choice stays on it and says why.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime

from django.conf import settings
from django.db.models import Prefetch
from django.http import QueryDict
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from kiosk.models import (
    ComboChoice,
    ModifierGroup,
    Order,
    Product,
)
from kiosk.services.errors import CartError
from kiosk.services.selections import (
    LineSelection,
    SlotSelection,
    kitchen_notes_for,
    modifier_groups_of,
    selection_resolve,
    unknown_choice,
)

_GROUP = re.compile(r"^group-(\d+)$")
_SLOT = re.compile(r"^slot-(\d+)$")
_SLOT_GROUP = re.compile(r"^slot-(\d+)-group-(\d+)$")


def _ids(values: list[str]) -> tuple[int, ...]:
    try:
        return tuple(int(value) for value in values if value != "")
    except ValueError as err:
        raise unknown_choice() from err


def _quantity(data: QueryDict) -> int:
    try:
        quantity = int(data.get("quantity", "1"))
        step = int(data.get("quantity_step", "0"))
    except ValueError as err:
        raise CartError(
            _("Choose a quantity from 1 to %(max)d.")
            % {"max": settings.KIOSK_MAX_LINE_QUANTITY},
            {"quantity": _("Enter a number.")},
        ) from err
    if step in (-1, 1):
        quantity = min(max(quantity + step, 1), settings.KIOSK_MAX_LINE_QUANTITY)
    return quantity


def selection_from_post(*, product_id: int, data: QueryDict) -> LineSelection:
    options: dict[int, tuple[int, ...]] = {}
    slot_choices: dict[int, int] = {}
    slot_options: dict[int, dict[int, tuple[int, ...]]] = {}
    for key in data:
        if match := _GROUP.match(key):
            options[int(match[1])] = _ids(data.getlist(key))
        elif match := _SLOT.match(key):
            chosen = _ids(data.getlist(key))
            if len(chosen) != 1:
                raise unknown_choice()
            slot_choices[int(match[1])] = chosen[0]
        elif match := _SLOT_GROUP.match(key):
            slot_options.setdefault(int(match[1]), {})[int(match[2])] = _ids(
                data.getlist(key)
            )
    if set(slot_options) - set(slot_choices):
        raise unknown_choice()
    slots = {
        slot_id: SlotSelection(
            choice_id=choice_id, option_ids=slot_options.get(slot_id, {})
        )
        for slot_id, choice_id in slot_choices.items()
    }
    return LineSelection(
        product_id=product_id,
        quantity=_quantity(data),
        option_ids=options,
        slots=slots,
        note_ids=_ids(data.getlist("note")),
    )


@dataclass
class OptionField:
    input_id: str
    value: int
    name: str
    price: int
    is_checked: bool
    is_available: bool


@dataclass
class NoteField:
    """A kitchen note the customer may tick ("No salt")."""

    input_id: str
    value: int
    name: str
    is_checked: bool


@dataclass
class GroupField:
    key: str
    group: ModifierGroup
    options: list[OptionField]
    error: str = ""

    @property
    def has_choice(self) -> bool:
        return any(option.is_checked for option in self.options)

    @property
    def input_type(self) -> str:
        return "radio" if self.group.is_single_choice else "checkbox"

    @property
    def hint(self) -> str:
        group = self.group
        if group.min_choices == group.max_choices:
            return ngettext(
                "Choose %(count)d.", "Choose %(count)d.", group.min_choices
            ) % {"count": group.min_choices}
        if group.min_choices == 0:
            return ngettext(
                "Optional, up to %(count)d.",
                "Optional, up to %(count)d.",
                group.max_choices,
            ) % {"count": group.max_choices}
        return _("Choose %(min)d to %(max)d.") % {
            "min": group.min_choices,
            "max": group.max_choices,
        }


@dataclass
class ChoiceField:
    input_id: str
    value: int
    product: Product
    price: int
    is_checked: bool


@dataclass
class SlotField:
    key: str
    name: str
    choices: list[ChoiceField]
    groups: list[GroupField] = field(default_factory=list)
    error: str = ""

    @property
    def picked(self) -> ChoiceField | None:
        return next((choice for choice in self.choices if choice.is_checked), None)

    @property
    def picked_options(self) -> list[str]:
        return [
            option.name
            for group in self.groups
            for option in group.options
            if option.is_checked
        ]


@dataclass(frozen=True)
class StepRequest:
    """Which step of a meal the sheet was on, and where the customer asked to go."""

    step: int = 0
    move: int = 0
    goto: int | None = None
    # Open on the last step (changing a meal from the cart: its summary first).
    at_end: bool = False


def _small_int(value: str | None) -> int | None:
    if value is None or not value.lstrip("-").isdigit() or len(value) > 3:
        return None
    return int(value)


def step_from_post(data: QueryDict) -> StepRequest:
    """The meal step of a posted sheet; anything malformed is step 0, staying put."""
    move = _small_int(data.get("step_move"))
    return StepRequest(
        step=max(_small_int(data.get("step")) or 0, 0),
        move=move if move in (-1, 1) else 0,
        goto=_small_int(data.get("step_goto")),
    )


@dataclass
class ProductSheet:
    product: Product
    quantity: int
    groups: list[GroupField]
    slots: list[SlotField]
    unit_total: int
    errors: dict[str, str]
    message: str = ""
    # Set when the product is a loyalty reward or offer being put on the order.
    reward_reference: str = ""
    reward_price: int | None = None
    # A meal: the step shown, 0 to len(slots); the last one is the summary.
    step: int = 0
    # The step changed with this answer: its first choice takes the focus.
    moved: bool = False
    # The kitchen notes offered for the product, ticked or not.
    notes: list[NoteField] = field(default_factory=list)

    @property
    def is_meal(self) -> bool:
        return bool(self.slots)

    @property
    def last_step(self) -> int:
        return len(self.slots)

    @property
    def on_summary(self) -> bool:
        return self.step == self.last_step

    @property
    def current_slot(self) -> SlotField | None:
        return self.slots[self.step] if self.step < len(self.slots) else None

    @property
    def step_names(self) -> list[str]:
        return [slot.name for slot in self.slots] + [_("Your meal")]

    @property
    def total(self) -> int:
        return self.unit_total * self.quantity

    @property
    def max_quantity(self) -> int:
        return int(settings.KIOSK_MAX_LINE_QUANTITY)


def _note_fields(product: Product, chosen: tuple[int, ...]) -> list[NoteField]:
    return [
        NoteField(
            input_id=f"note-{note.pk}",
            value=note.pk,
            name=note.name,
            is_checked=note.pk in chosen,
        )
        for note in kitchen_notes_for(product)
    ]


def _group_fields(
    product: Product,
    chosen: Mapping[int, tuple[int, ...]],
    prefix: str,
    errors: dict[str, str],
) -> list[GroupField]:
    fields = []
    for group in modifier_groups_of(product):
        key = f"{prefix}group-{group.pk}"
        options = [
            OptionField(
                input_id=f"{key}-option-{option.pk}",
                value=option.pk,
                name=option.name,
                price=option.price,
                is_checked=option.pk in chosen.get(group.pk, ()),
                is_available=option.is_available,
            )
            for option in group.options.all()
        ]
        fields.append(
            GroupField(key=key, group=group, options=options, error=errors.get(key, ""))
        )
    return fields


def _slot_fields(
    product: Product, selection: LineSelection, errors: dict[str, str]
) -> list[SlotField]:
    choices = Prefetch(
        "choices",
        queryset=ComboChoice.objects.select_related("product").order_by(
            "position", "id"
        ),
    )
    fields = []
    for slot in product.combo_slots.prefetch_related(choices).order_by(
        "position", "id"
    ):
        key = f"slot-{slot.pk}"
        chosen = selection.slots.get(slot.pk)
        slot_choices = [
            ChoiceField(
                input_id=f"{key}-choice-{choice.pk}",
                value=choice.pk,
                product=choice.product,
                price=choice.price,
                is_checked=chosen is not None and chosen.choice_id == choice.pk,
            )
            for choice in slot.choices.all()
            if choice.product.is_active
        ]
        slot_field = SlotField(
            key=key, name=slot.name, choices=slot_choices, error=errors.get(key, "")
        )
        picked = next((c for c in slot_choices if c.is_checked), None)
        if picked is not None and chosen is not None:
            slot_field.groups = _group_fields(
                picked.product, chosen.option_ids, f"{key}-", errors
            )
        fields.append(slot_field)
    return fields


def _without_stale_slot_options(
    product: Product, selection: LineSelection
) -> LineSelection:
    """Drop the options of a slot's previous choice when another one was picked.

    The form still carries them (a drink's size, then a shake is chosen); the
    sheet shows the new choice's options instead of refusing the whole form.
    """
    if not selection.slots:
        return selection
    choices = {
        choice.pk: choice
        for choice in ComboChoice.objects.filter(
            slot__combo=product,
            pk__in=[slot.choice_id for slot in selection.slots.values()],
        ).prefetch_related("product__modifier_groups")
    }
    slots = {}
    for slot_id, slot in selection.slots.items():
        choice = choices.get(slot.choice_id)
        if choice is None:
            slots[slot_id] = slot
            continue
        own = {group.pk for group in choice.product.modifier_groups.all()}
        slots[slot_id] = SlotSelection(
            choice_id=slot.choice_id,
            option_ids={g: ids for g, ids in slot.option_ids.items() if g in own},
        )
    return replace(selection, slots=slots)


def _belongs_to(key: str, slot_key: str) -> bool:
    return key == slot_key or key.startswith(f"{slot_key}-")


def _strict_errors(
    *, order: Order, selection: LineSelection, now: datetime
) -> dict[str, str]:
    """What "Add" would refuse in this selection, by field."""
    try:
        selection_resolve(order=order, selection=selection, now=now)
    except CartError as err:
        return dict(err.errors)
    return {}


def _meal_step(
    *,
    slots: list[SlotField],
    request: StepRequest,
    errors: dict[str, str],
    strict_errors: dict[str, str],
) -> int:
    """The step to show: the one asked for, unless a step before it is unfinished.

    Errors from "Add" (passed in) send the customer to the first step they name.
    """
    last = len(slots)
    for index, slot in enumerate(slots):
        if any(_belongs_to(key, slot.key) for key in errors):
            return index
    current = min(request.step, last)
    if request.at_end:
        target = last
    elif request.goto is not None:
        target = min(max(request.goto, 0), last)
    else:
        target = min(max(current + request.move, 0), last)
    for index in range(min(current, target), target):
        slot = slots[index]
        found = {k: v for k, v in strict_errors.items() if _belongs_to(k, slot.key)}
        if found:
            for key, message in found.items():
                if key == slot.key:
                    slot.error = message
                for group in slot.groups:
                    if group.key == key:
                        group.error = message
            return index
    return target


def product_sheet(
    *,
    order: Order,
    product: Product,
    selection: LineSelection,
    now: datetime,
    errors: dict[str, str] | None = None,
    message: str = "",
    reward_reference: str = "",
    reward_price: int | None = None,
    step: StepRequest | None = None,
) -> ProductSheet:
    """The sheet for a selection: the form, with the price of what is picked so far.

    For a loyalty reward the product itself is free; its options keep their price.
    A meal shows the step `step` leads to (the first one by default).
    """
    selection = _without_stale_slot_options(product, selection)
    resolved, found = selection_resolve(
        order=order,
        selection=selection,
        now=now,
        strict=False,
        reward_reference=reward_reference,
        price=reward_price,
    )
    errors = {**found, **(errors or {})}
    # A refused quantity (0, 10000) keeps its message but shows a valid number.
    quantity = min(max(selection.quantity, 1), settings.KIOSK_MAX_LINE_QUANTITY)
    slots = _slot_fields(product, selection, errors) if product.is_combo else []
    shown, moved = 0, False
    if slots:
        request = step or StepRequest()
        moving_on = request.at_end or request.move > 0 or request.goto is not None
        shown = _meal_step(
            slots=slots,
            request=request,
            errors=errors,
            strict_errors=(
                _strict_errors(order=order, selection=selection, now=now)
                if moving_on
                else {}
            ),
        )
        moved = step is not None and shown != request.step
    return ProductSheet(
        product=product,
        quantity=quantity,
        groups=_group_fields(product, selection.option_ids, "", errors),
        slots=slots,
        unit_total=resolved.unit_total,
        errors=errors,
        message=message,
        reward_reference=reward_reference,
        reward_price=reward_price,
        step=shown,
        moved=moved,
        notes=_note_fields(product, selection.note_ids),
    )
