"""The kiosk's scanner and printer, simulated, through the hardware agent:
a scanned code reaches the page, and paper out never hides the order number."""

from __future__ import annotations

from urllib.parse import parse_qs

from playwright.sync_api import Page, expect

from hardware.models import Device, PrintJob
from kiosk.models import Kiosk, Order
from tests.e2e.helpers import add_simple_product, simple_product, start_order
from tests.processes import Hardware, wait_until


def test_a_code_typed_into_the_scanner_is_posted_by_the_page(
    kiosk_page: Page, hardware: Hardware
):
    page = kiosk_page

    with page.expect_request(
        lambda request: request.url.endswith("/scan/") and request.method == "POST"
    ) as posted:
        hardware.scan("3017620422003")

    expect(page.locator("#scan-event input[name=code]")).to_have_value("3017620422003")
    fields = parse_qs(posted.value.post_data or "")
    assert (fields["code"], fields["screen"]) == (["3017620422003"], ["attract"])


def test_paper_out_at_payment_shows_the_number_then_prints_once_paper_is_back(
    kiosk_page: Page, hardware: Hardware, burger_kiosk: Kiosk
):
    page = kiosk_page
    hardware.printer_faults(fault="paper_out")
    wait_until(
        lambda: Device.objects.get(kiosk=burger_kiosk).printer_state == "paper_out",
        what="paper out",
    )
    start_order(page)
    add_simple_product(page, simple_product("burger-demo", "4102"))
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-card")
    page.click("#simulate-approve")

    expect(page.locator("#order-number")).to_have_text("1")
    expect(page.locator("#receipt-unavailable")).to_have_text(
        "Receipt unavailable: please note your number 1."
    )
    order = Order.objects.get(state="paid")
    wait_until(
        lambda: PrintJob.objects.get(order=order).last_error == "paper_out",
        what="the printer's refusal",
    )
    assert hardware.receipts() == []

    hardware.printer_faults(fault="none")

    expect(page.locator("#receipt-printed")).to_have_text("Please take your receipt.")
    job = PrintJob.objects.get(order=order)
    assert (job.status, job.attempts) == ("printed", 1)
    [receipt] = hardware.receipts()
    assert receipt["qr_codes"] == [str(order.uuid)]
    # Two more status rounds of the agent, and still one receipt.
    queries = hardware.printer_state()["status_queries"]
    wait_until(
        lambda: hardware.printer_state()["status_queries"] >= queries + 6,
        what="two more status reads",
    )
    assert len(hardware.receipts()) == 1
