"""A receipt laid out as ESC/POS bytes for one printer profile.

The same bytes go to the printer (the agent) and to the admin's receipt
preview, which decodes them with the virtual printer's decoder.

The code page is pinned (`charcode`) right after every `ESC @`: the printer
falls back to its default page there, but python-escpos 3.1 believes the old
page is still active and would not say it again, so "€" would print as another
glyph (python-escpos#729, fixed after 3.1). Font switches (`ESC M`) have the same effect, so the
layout never switches fonts.
"""

from __future__ import annotations

from escpos.printer import Dummy

from hardware.printer.profiles import PrinterProfile
from hardware.printer.text import printable_text, two_columns, wrap
from hardware.receipt import Receipt, ReceiptAmount

NUMBER_SIZE = 4  # the order number, in multiples of the normal character size
QR_MODULE_DOTS = 6


class _Layout:
    def __init__(self, profile: PrinterProfile) -> None:
        self.profile = profile
        self.columns = profile.columns
        self.printer = Dummy(profile=profile.escpos_profile)

    def initialise(self) -> None:
        self.printer.hw("INIT")
        # See the module docstring: forget the page python-escpos thinks is
        # active, then say ours.
        self.printer.magic.encoding = None
        self.printer.charcode(self.profile.code_page)

    def style(
        self,
        *,
        align: str = "left",
        bold: bool = False,
        width: int = 1,
        height: int = 1,
    ) -> None:
        self.printer.set(
            align=align, bold=bold, custom_size=True, width=width, height=height
        )

    def line(self, text: str = "") -> None:
        self.printer.text(printable_text(text, self.profile.code_page) + "\n")

    def wrapped(self, text: str, *, columns: int | None = None) -> None:
        for part in wrap(
            printable_text(text, self.profile.code_page), columns or self.columns
        ):
            self.line(part)

    def columns_line(self, left: str, right: str, *, indent: int = 0) -> None:
        code_page = self.profile.code_page
        for part in two_columns(
            printable_text(left, code_page),
            printable_text(right, code_page),
            self.columns,
            indent=indent,
        ):
            self.line(part)

    def rule(self) -> None:
        self.line("-" * self.columns)

    def qr(self, content: str) -> None:
        self.style(align="center")
        if self.profile.has_native_qr:
            self.printer.qr(content, native=True, size=QR_MODULE_DOTS)
            self.printer.text("\n")
        else:
            self.printer.qr(content, native=False, size=4, center=False)

    def finish(self) -> bytes:
        if self.profile.has_cutter:
            self.printer.cut()
        else:
            self.printer.print_and_feed(6)
        return bytes(self.printer.output)


def _header(layout: _Layout, receipt: Receipt) -> None:
    layout.style(align="center", bold=True, width=2, height=2)
    layout.wrapped(receipt.store_name, columns=layout.columns // 2)
    layout.style(align="center")
    for line in receipt.store_address:
        layout.wrapped(line)
    if receipt.is_copy:
        layout.line()
        layout.style(align="center", bold=True)
        layout.line(f"*** {receipt.labels.copy} ***")
    layout.style(align="center")
    layout.line()
    layout.line(receipt.labels.order)
    layout.style(align="center", bold=True, width=NUMBER_SIZE, height=NUMBER_SIZE)
    layout.line(receipt.order_number)
    layout.style(align="center")
    for detail in receipt.details:
        layout.wrapped(detail)
    layout.style()
    layout.rule()


def _lines(layout: _Layout, receipt: Receipt) -> None:
    for line in receipt.lines:
        indent = 2 * line.depth
        # What was ordered always shows its quantity; what hangs under it only
        # when there is more than one per unit.
        is_single_child = line.depth > 0 and line.quantity == 1
        label = line.name if is_single_child else f"{line.quantity} x {line.name}"
        layout.columns_line(label, line.amount, indent=indent)
        if line.is_reward:
            layout.columns_line(f"({receipt.labels.reward})", "", indent=indent + 2)
    layout.rule()


def _amounts(layout: _Layout, amounts: list[ReceiptAmount]) -> None:
    for amount in amounts:
        if amount.is_total:
            layout.style(bold=True, height=2)
            layout.columns_line(amount.label, amount.amount)
            layout.style()
        else:
            layout.columns_line(amount.label, amount.amount)


def _taxes(layout: _Layout, receipt: Receipt) -> None:
    if not receipt.taxes:
        return
    layout.line()
    for tax in receipt.taxes:
        layout.columns_line(f"{tax.label} ({tax.base})", tax.tax)


def _loyalty(layout: _Layout, receipt: Receipt) -> None:
    loyalty = receipt.loyalty
    if loyalty is None:
        return
    labels = receipt.labels
    layout.rule()
    layout.style(align="center", bold=True)
    layout.line(labels.loyalty)
    layout.style(align="center")
    if loyalty.member_first_name:
        layout.line(loyalty.member_first_name)
    layout.style()
    if loyalty.points_earned is None:
        layout.line(labels.points_pending)
        return
    layout.columns_line(labels.points_earned, str(loyalty.points_earned))
    if loyalty.points_balance is not None:
        layout.columns_line(labels.points_balance, str(loyalty.points_balance))


def _programme_text(layout: _Layout, receipt: Receipt) -> None:
    text = receipt.programme_text
    if text is None:
        return
    layout.rule()
    if text.header:
        layout.style(align="center", bold=True)
        layout.wrapped(text.header)
    layout.style(align="center")
    for line in text.lines:
        layout.wrapped(line)
    if text.footer:
        layout.wrapped(text.footer)
    layout.style()


def receipt_to_escpos(receipt: Receipt, profile: PrinterProfile) -> bytes:
    """The bytes that print `receipt` on a printer of `profile`."""
    layout = _Layout(profile)
    layout.initialise()
    _header(layout, receipt)
    _lines(layout, receipt)
    _amounts(layout, receipt.totals)
    _taxes(layout, receipt)
    if receipt.payments:
        layout.line()
        _amounts(layout, receipt.payments)
    _amounts(layout, receipt.card)
    _loyalty(layout, receipt)
    _programme_text(layout, receipt)
    layout.rule()
    if receipt.qr_code:
        layout.qr(receipt.qr_code)
    layout.style(align="center")
    layout.wrapped(receipt.labels.thanks)
    layout.style()
    return layout.finish()
