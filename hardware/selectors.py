"""Reads of the hardware app: a paid order's receipt, and what became of it."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
from decimal import Decimal

from django.utils import formats, translation
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from hardware.models import WAITING_JOB_STATUSES, Device, PrintJob, PrintJobKind
from hardware.receipt import (
    Receipt,
    ReceiptAmount,
    ReceiptLabels,
    ReceiptLine,
    ReceiptLoyalty,
    ReceiptProgrammeText,
    ReceiptTax,
    receipt_from_dict,
)
from kiosk.models import (
    Order,
    Payment,
    PaymentChannel,
    PaymentMethod,
    PaymentStatus,
    ServiceMode,
)
from kiosk.money import format_money
from kiosk.selectors import LineTree, order_line_trees, totals_of
from loyalty.selectors import order_loyalty_summary, order_receipt_text

RECEIPT_TIME_FORMAT = "%d/%m/%Y %H:%M"


def _labels() -> ReceiptLabels:
    return ReceiptLabels(
        order=pgettext("receipt", "Order"),
        subtotal=pgettext("receipt", "Subtotal"),
        total=pgettext("receipt", "Total"),
        reward=pgettext("receipt", "Loyalty reward"),
        vat=pgettext("receipt", "VAT"),
        copy=pgettext("receipt", "Copy"),
        loyalty=pgettext("receipt", "Loyalty"),
        points_earned=pgettext("receipt", "Points earned"),
        points_balance=pgettext("receipt", "New balance"),
        points_pending=pgettext(
            "receipt", "Your points will be added to your account."
        ),
        thanks=pgettext("receipt", "Thank you for your visit!"),
    )


def _lines(
    tree: LineTree, money: Callable[[int], str], depth: int = 0
) -> Iterator[ReceiptLine]:
    line = tree.line
    if depth == 0:
        amount = money(line.total)
    else:
        # What hangs under an item costs per unit of it: a modifier's price,
        # a combo choice's surcharge.
        extra = line.unit_price * line.quantity
        amount = f"+{money(extra)}" if extra else ""
    yield ReceiptLine(
        quantity=line.quantity,
        name=line.name,
        amount=amount,
        depth=depth,
        is_reward=bool(line.reward_reference),
    )
    if line.note:
        # The kitchen notes ticked, as the kitchen got them.
        yield ReceiptLine(quantity=1, name=line.note, amount="", depth=depth + 1)
    for child in tree.children:
        yield from _lines(child, money, depth + 1)


def _rate(rate_percent: Decimal) -> str:
    return f"{formats.number_format(rate_percent.normalize())} %"


def _paid_by(order: Order) -> str:
    if order.payment_method == PaymentMethod.CARD:
        return pgettext("receipt", "Paid by card")
    if order.payment_method == PaymentMethod.NOTHING_TO_PAY:
        return pgettext("receipt", "Nothing to pay")
    return pgettext("receipt", "Paid at the counter")


def receipt_for_order(order: Order, *, is_copy: bool = False) -> Receipt:
    """The receipt of a paid order, in the order's language."""
    store = order.store

    def money(amount: int) -> str:
        return format_money(amount, order.currency, order.language)

    with translation.override(order.language):
        labels = _labels()
        trees = order_line_trees(order)
        totals = totals_of(trees, list(order.discounts.all()))
        rows = [ReceiptAmount(labels.subtotal, money(totals.subtotal))]
        rows += [
            ReceiptAmount(applied.discount.name, f"-{money(applied.amount)}")
            for applied in totals.discounts
        ]
        rows.append(ReceiptAmount(labels.total, money(totals.total), is_total=True))
        paid_by = _paid_by(order)
        when = store.local_now(order.paid_at or order.created_at)
        details = [when.strftime(RECEIPT_TIME_FORMAT)]
        if order.service_mode:
            details.append(str(ServiceMode(order.service_mode).label))
        if order.estimated_wait_minutes and not is_copy:
            details.append(
                _("Estimated wait: about %(minutes)s min")
                % {"minutes": order.estimated_wait_minutes}
            )
        return Receipt(
            store_name=store.name,
            store_address=[line for line in store.address.splitlines() if line.strip()],
            order_number=str(order.number or ""),
            details=details,
            lines=[line for tree in trees for line in _lines(tree, money)],
            totals=rows,
            taxes=[
                ReceiptTax(
                    label=f"{labels.vat} {_rate(tax.rate_percent)}",
                    base=money(tax.gross),
                    tax=money(tax.tax),
                )
                for tax in totals.taxes
            ],
            payments=[ReceiptAmount(paid_by, money(totals.total))],
            card=_card(order),
            qr_code=str(order.uuid),
            labels=labels,
            is_copy=is_copy,
            loyalty=_loyalty(order),
            programme_text=_programme_text(order),
        )


def _card(order: Order) -> list[ReceiptAmount]:
    """The card section: what the terminal gave of the card, nothing more."""
    payment = (
        Payment.objects.filter(
            order=order,
            channel=PaymentChannel.TERMINAL,
            status=PaymentStatus.APPROVED,
        )
        .order_by("id")
        .last()
    )
    if payment is None:
        return []
    rows = [
        (payment.card_brand or pgettext("receipt", "Card"), payment.masked_pan),
        (payment.application_label or "AID", payment.aid),
        (pgettext("receipt", "Authorisation"), payment.auth_code),
        (pgettext("receipt", "Terminal"), payment.terminal_id),
        (
            pgettext("receipt", "Reference"),
            payment.transaction_reference or payment.reference,
        ),
    ]
    return [ReceiptAmount(label, value) for label, value in rows if value]


def _loyalty(order: Order) -> ReceiptLoyalty | None:
    """Points earned and the new balance: confirmed by the programme, or its
    forecast (RBI validates the basket before payment), or "to follow"."""
    summary = order_loyalty_summary(order)
    if summary is None:
        return None
    return ReceiptLoyalty(
        member_first_name=summary.first_name,
        points_earned=summary.points_earned,
        points_balance=summary.balance,
    )


def _programme_text(order: Order) -> ReceiptProgrammeText | None:
    """The loyalty programme's text for the receipt, if it answered in time."""
    text = order_receipt_text(order)
    if text is None or text.is_empty:
        return None
    return ReceiptProgrammeText(
        header=text.header, lines=list(text.lines), footer=text.footer
    )


def receipt_for_job(job: PrintJob) -> Receipt:
    is_copy = job.kind == PrintJobKind.REPRINT
    if job.document is not None:
        return replace(receipt_from_dict(job.document), is_copy=is_copy)
    order = Order.objects.select_related("store").get(pk=job.order_id)
    return receipt_for_order(order, is_copy=is_copy)


def device_for_kiosk(kiosk_id: int | None) -> Device | None:
    if kiosk_id is None:
        return None
    return Device.objects.filter(kiosk_id=kiosk_id).first()


@dataclass(frozen=True)
class ReceiptStatus:
    """What the confirmation screen says about the paper receipt."""

    order: Order
    state: str  # "none", "printing", "printed" or "unavailable"

    @property
    def is_unavailable(self) -> bool:
        return self.state == "unavailable"


def receipt_status_for_order(order: Order) -> ReceiptStatus:
    """ "none" when the kiosk has no printer or nothing is to print yet;
    "unavailable" when the receipt cannot be counted on: the customer is asked
    to note the number, which stays on screen whatever happens to the paper."""
    device = device_for_kiosk(order.kiosk_id)
    job = (
        PrintJob.objects.filter(order=order, kind=PrintJobKind.RECEIPT).first()
        if device is not None
        else None
    )
    if device is None or job is None:
        return ReceiptStatus(order, "none")
    if job.is_printed:
        return ReceiptStatus(order, "printed")
    if job.status in WAITING_JOB_STATUSES and device.is_printer_ready:
        return ReceiptStatus(order, "printing")
    return ReceiptStatus(order, "unavailable")
