"""The kitchen: a kiosk order on its stations' screens, bumped, on the board,
handed over at the counter; a station screen offline during payment."""

from __future__ import annotations

from django.contrib.auth.models import Permission, User
from playwright.sync_api import BrowserContext, Page, expect

from hardware.models import PrintJob
from kiosk.models import Kiosk, Order
from kitchen.demo import kitchen_demo_setup
from tests.e2e.helpers import (
    add_simple_product,
    choose_required,
    open_product,
    simple_product,
    start_order,
)
from tests.processes import Hardware, wait_until


def _links(kiosk: Kiosk) -> dict[str, str]:
    return {
        link.screen.name: link.path
        for link in kitchen_demo_setup(slugs=(kiosk.store.slug,))
    }


def _order_and_pay_by_card(
    page: Page, store_slug: str, plus: list[str], notes: dict[str, str] | None = None
) -> None:
    """Order these products, ticking the kitchen notes named for a PLU."""
    start_order(page)
    for plu in plus:
        product = simple_product(store_slug, plu)
        note = (notes or {}).get(plu)
        if note is None:
            add_simple_product(page, product)
            continue
        open_product(page, product)
        choose_required(page, product)
        page.locator("#kitchen-notes").get_by_text(note, exact=True).click()
        page.click("#add-to-order")
        expect(page.locator("#view-order")).to_be_visible()
    page.click("#view-order")
    page.click("#go-checkout")
    page.click("#pay-card")
    page.click("#simulate-approve")
    expect(page.locator("#order-number")).to_be_visible()


def _open(context: BrowserContext, url: str) -> Page:
    screen = context.new_page()
    screen.goto(url)
    expect(screen.locator("#connection")).to_have_attribute("data-state", "open")
    return screen


def test_an_order_goes_from_the_stations_to_the_board_and_is_handed_over(
    kiosk_page: Page,
    kiosk_server: str,
    burger_kiosk: Kiosk,
    second_context: BrowserContext,
):
    links = _links(burger_kiosk)
    grill = _open(second_context, kiosk_server + links["Grill screen"])
    drinks = _open(second_context, kiosk_server + links["Drinks screen"])
    board = _open(second_context, kiosk_server + links["Order-ready board"])

    # 6 Nuggets (chicken, on the grill) cut in half, and a soft drink (drinks).
    _order_and_pay_by_card(
        kiosk_page, "burger-demo", ["4103", "4201"], notes={"4103": "Cut in half"}
    )
    number = Order.objects.get().number

    grill_ticket = grill.locator(f"#ticket-{number}")
    drinks_ticket = drinks.locator(f"#ticket-{number}")
    expect(grill_ticket).to_contain_text("6 Nuggets")
    expect(grill_ticket.locator(".note")).to_have_text("Cut in half")
    expect(grill_ticket).not_to_contain_text("Soft Drink")
    expect(drinks_ticket).not_to_contain_text("Cut in half")
    expect(drinks_ticket).to_contain_text("Soft Drink M")
    expect(drinks_ticket).not_to_contain_text("Nuggets")
    expect(grill.locator("#all-day")).to_contain_text("1 6 Nuggets")
    expect(board.locator("#board-preparing")).to_have_text(str(number))
    expect(kiosk_page.locator(".estimated-wait")).to_contain_text("4 min")

    grill.click(f"#bump-{number}")  # a tap
    expect(grill_ticket).to_have_count(0)
    expect(board.locator("#board-ready li")).to_have_count(0)
    drinks.keyboard.press("1")  # the bump bar: select the first ticket, bump it
    drinks.keyboard.press("Enter")
    expect(drinks_ticket).to_have_count(0)
    expect(board.locator("#board-ready li.is-newest")).to_have_text(str(number))
    expect(board.locator("#board-preparing li")).to_have_count(0)
    expect(board.locator("body")).to_have_attribute("data-chimed", str(number))

    # Recalled on the grill by mistake, bumped again.
    grill.keyboard.press("r")
    expect(grill_ticket).to_be_visible()
    expect(board.locator("#board-preparing")).to_have_text(str(number))
    grill.keyboard.press("Enter")
    expect(board.locator("#board-ready")).to_have_text(str(number))

    user = User.objects.create_user("till", password="till-password", is_staff=True)
    user.user_permissions.add(
        Permission.objects.get(codename="confirm_counter_payment")
    )
    counter = second_context.new_page()
    counter.goto(f"{kiosk_server}/counter/burger-demo/")
    counter.fill("#id_username", "till")
    counter.fill("#id_password", "till-password")
    counter.click("input[type=submit]")
    counter.click(f"#counter-complete-{number}")

    expect(board.locator("#board-ready li")).to_have_count(0)
    assert Order.objects.get().kitchen_order.state == "handed_over"


def test_a_station_offline_during_payment_catches_up(
    kiosk_page: Page,
    kiosk_server: str,
    burger_kiosk: Kiosk,
    second_context: BrowserContext,
):
    links = _links(burger_kiosk)
    grill = _open(second_context, kiosk_server + links["Grill screen"])

    second_context.set_offline(True)
    expect(grill.locator("#connection")).to_have_attribute("data-state", "closed")
    expect(grill.locator("#connection")).to_contain_text("Connection lost")
    _order_and_pay_by_card(kiosk_page, "burger-demo", ["4103"])
    number = Order.objects.get().number
    grill.wait_for_timeout(500)
    expect(grill.locator(f"#ticket-{number}")).to_have_count(0)

    second_context.set_offline(False)

    expect(grill.locator("#connection")).to_have_attribute("data-state", "open")
    expect(grill.locator(f"#ticket-{number}")).to_contain_text("6 Nuggets")


def test_a_kitchen_ticket_prints_once_with_the_station_items(
    kiosk_page: Page, burger_kiosk: Kiosk, hardware: Hardware, kitchen_printer: Hardware
):
    # The grill's tickets print on the store's kitchen printer; the kiosk's
    # own printer gives the customer's receipt only.
    _order_and_pay_by_card(kiosk_page, "burger-demo", ["4103", "4201"])

    wait_until(lambda: len(kitchen_printer.receipts()) == 1, what="the ticket")
    [ticket] = kitchen_printer.receipts()
    number = str(Order.objects.get().number)
    assert "Grill" in ticket["text"]
    assert "6 Nuggets" in ticket["text"]
    assert "Soft Drink" not in ticket["text"]
    assert number in ticket["text"].split()
    assert ticket["qr_codes"] == []
    job = PrintJob.objects.get(kind="document")
    assert (job.status, job.attempts, job.kiosk_id) == ("printed", 1, None)
    wait_until(lambda: len(hardware.receipts()) == 1, what="the receipt")
    kiosk_page.wait_for_timeout(1000)
    assert len(kitchen_printer.receipts()) == 1
    [receipt] = hardware.receipts()
    assert "Grill" not in receipt["text"]
    assert number in receipt["text"].split()
