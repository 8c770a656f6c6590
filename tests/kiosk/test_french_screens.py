"""Every customer screen, walked in French: no English may show.

The walk goes through the kiosk's screens with the test client, as a French
customer would, at the brasserie (Pongo) and at the burger restaurant (RBI),
and reads each page's visible text and spoken labels. A message of the French
catalogue left in English (a string translated when its module was imported,
before any language was chosen) shows up as its English text; a string never
marked for translation shows up by its English words.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from html.parser import HTMLParser
from pathlib import Path

import pytest
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.cache import cache
from django.core.management import call_command
from django.test import Client
from django.utils.translation import trans_real

from kiosk.customer_session import ORDER_KEY
from kiosk.devices import device_cookie_value
from kiosk.models import (
    AttractBrand,
    AttractSlide,
    Kiosk,
    Order,
    Product,
    UpsellOffer,
)
from kiosk.services.cart import order_discount_add, order_discount_remove
from kiosk.services.selections import default_selection
from sandboxes.pongo.control import PongoSandboxControl
from sandboxes.rbi.control import RbiSandboxControl

# Words of English sentences that French screens never use.
ENGLISH_WORDS = re.compile(
    r"(?<![\w’'])(the|your|you|please|with|this|here|order|pay|add|back)(?![\w’'])",
    re.IGNORECASE,
)
PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")
# English messages that are French words as well: French screens show them.
FRENCH_TOO = {"Menu", "Modifier"}
# Attributes that screen readers speak or the confirmation dialog shows.
SPOKEN = ("aria-label", "data-confirm", "title", "placeholder", "alt")


class _Text(HTMLParser):
    """The text a customer sees or hears on a page."""

    def __init__(self) -> None:
        super().__init__()
        self.parts: list[str] = []
        self._skipping = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        if tag in ("script", "style", "head"):
            self._skipping += 1
        for name, value in attrs:
            if name in SPOKEN and value:
                self.parts.append(f"\n{value}\n")

    def handle_endtag(self, tag: str) -> None:
        if tag in ("script", "style", "head"):
            self._skipping -= 1

    def handle_data(self, data: str) -> None:
        if not self._skipping:
            self.parts.append(data)


def visible_text(html: str) -> str:
    parser = _Text()
    parser.feed(html)
    return " ".join(" ".join(parser.parts).split())


def _english_patterns() -> list[tuple[str, re.Pattern[str]]]:
    po_path = Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"
    with po_path.open("rb") as po_file:
        catalog = read_po(po_file)
    patterns: list[tuple[str, re.Pattern[str]]] = []
    for message in catalog:
        if not message.id or message.context:
            continue
        sources = [message.id] if isinstance(message.id, str) else list(message.id)
        string = message.string or ""
        targets = [string] if isinstance(string, str) else list(string)
        for source in sources:
            if source in (*targets, *FRENCH_TOO):
                continue  # the same in both languages ("Total", "Gluten")
            words = re.sub(r"<[^>]+>", " ", source)
            pieces = [re.escape(piece) for piece in PLACEHOLDER.split(words)]
            body = r"\s*.+?\s*".join(pieces)
            body = re.sub(r"(\\ )+", r"\\s+", body)
            patterns.append((source, re.compile(rf"(?<![\w-]){body}(?![\w-])")))
    return patterns


ENGLISH_MESSAGES = _english_patterns()


def english_in(html: str) -> list[str]:
    text = visible_text(html)
    found = [source for source, pattern in ENGLISH_MESSAGES if pattern.search(text)]
    found += [f"…{m.group(0)}…" for m in ENGLISH_WORDS.finditer(text)]
    return found


def test_the_checker_finds_english_messages_and_words():
    page = (
        '<main><h1>Votre commande</h1><p aria-label="Cancel order">x</p>'
        "<p>This screen goes back to the start in <span>30</span> seconds.</p>"
        "<p>Merci, see you soon</p></main>"
    )

    found = english_in(page)

    assert {
        "Cancel order",
        "This screen goes back to the start in <span data-"
        "countdown>%(confirmation_seconds)s</span> seconds.",
        "…you…",
    } <= set(found)
    assert not [text for text in found if "Votre" in text or "Merci" in text]


@pytest.fixture(autouse=True)
def _french_catalogue_compiled():
    call_command("compile_translations", verbosity=0)
    trans_real._translations.clear()  # type: ignore[attr-defined]
    cache.clear()  # identification attempts of earlier tests


class Walk:
    """A customer at a kiosk; each screen seen is kept with its English."""

    def __init__(self, kiosk: Kiosk) -> None:
        self.client = Client()
        self.client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(kiosk)
        self.english: dict[str, list[str]] = {}
        self.seen: list[str] = []

    def see(self, screen: str, response) -> None:
        while response.status_code == 302:
            response = self.client.get(response["Location"])
        assert response.status_code in (200, 404, 409, 422), (screen, response)
        self.seen.append(screen)
        found = english_in(response.content.decode())
        if found:
            self.english[screen] = found

    def get(self, screen: str, address: str) -> None:
        self.see(screen, self.client.get(address))

    def post(self, screen: str, address: str, data: dict[str, str] | None = None):
        self.see(screen, self.client.post(address, data or {}))

    @property
    def order(self) -> Order:
        return Order.objects.get(uuid=self.client.session[ORDER_KEY])


def _brasserie(pongo_sandbox: PongoSandboxControl) -> Kiosk:
    from kiosk.demo.loader import demo_load
    from loyalty.demo import loyalty_demo_setup

    settings.PONGO_BASE_URL = pongo_sandbox.base_url
    demo_load(slugs=["brasserie-demo"], with_images=False)
    loyalty_demo_setup(stores=("brasserie-demo",))
    return Kiosk.objects.select_related("store").get(code="brasserie-borne-1")


def _burger(rbi_sandbox: RbiSandboxControl) -> Kiosk:
    from kiosk.demo.loader import demo_load
    from loyalty.demo import loyalty_demo_setup

    settings.RBI_BASE_URL = rbi_sandbox.base_url
    settings.RBI_SANITY_URL = ""
    demo_load(slugs=["burger-demo"], with_images=False)
    loyalty_demo_setup(stores=("burger-demo",))
    return Kiosk.objects.select_related("store").get(code="burger-kiosk-1")


def _meal_form(meal: Product, **extra: str) -> dict[str, str]:
    """The meal's default choices (a required option may still be missing)."""
    selection = default_selection(meal)
    form = {
        f"slot-{slot}": str(chosen.choice_id)
        for slot, chosen in selection.slots.items()
    }
    return {**form, "quantity": "1", **extra}


def _menu_and_order(walk: Walk, store_slug: str) -> Iterator[None]:
    """The menu, a product refused then added, cart, checkout, card declined,
    paid; then a second order at the counter."""
    client = walk.client
    walk.get("menu", "/menu/")
    for product in Product.objects.filter(store__slug=store_slug, is_active=True):
        if product.category_id:
            walk.get("menu category", f"/menu/{product.category_id}/")
    required = next(
        p
        for p in Product.objects.filter(store__slug=store_slug, is_active=True)
        if any(g.min_choices for g in p.modifier_groups.all())
    )
    walk.get("product sheet", f"/product/{required.pk}/")
    walk.post("product sheet with an error", f"/product/{required.pk}/add/")
    meal = Product.objects.filter(store__slug=store_slug, kind="combo").first()
    if meal is not None:
        walk.get("meal, first step", f"/product/{meal.pk}/")
        walk.post(
            "meal, a step refused",
            f"/product/{meal.pk}/preview/",
            _meal_form(meal, step_goto="9"),
        )
        walk.post(
            "meal summary",
            f"/product/{meal.pk}/preview/",
            {**_meal_form(meal), "step": "9"},
        )
    yield
    walk.get("cart", "/cart/")
    walk.get("offer before checkout", "/offer/?at=checkout")
    offer = UpsellOffer.objects.filter(order=walk.order).first()
    if offer is not None and not offer.is_answered:
        walk.post("offer declined", "/offer/decline/", {"offer": str(offer.pk)})
    walk.get("checkout", "/checkout/")
    walk.post("payment", "/checkout/submit/", {"method": "card"})
    client.post("/pay/simulate/", {"outcome": "decline"})
    walk.post("payment declined", "/pay/status/")
    walk.post("payment retried", "/pay/retry/")
    client.post("/pay/simulate/", {"outcome": "approve"})
    client.post("/pay/status/")
    walk.get("confirmation", "/done/")
    walk.get("error screen", "/nowhere/")


def test_every_brasserie_screen_is_in_french(db, pongo_sandbox):
    walk = Walk(_brasserie(pongo_sandbox))
    walk.get("attract", "/")
    walk.post("service mode", "/start/")
    walk.post("identification", "/mode/", {"mode": "eat_in"})
    walk.get("phone keypad", "/loyalty/phone/")
    walk.post("phone refused", "/loyalty/phone/submit/", {"digits": "12"})
    walk.post("join", "/loyalty/phone/submit/", {"digits": "0699999999"})
    walk.post("cancel order", "/reset/")
    walk.client.post("/start/")
    walk.client.post("/mode/", {"mode": "eat_in"})
    walk.post("rewards", "/loyalty/phone/submit/", {"digits": "0622223333"})
    walk.get("reward to buy", "/loyalty/rewards/rew_0000000001/buy/")
    walk.post("wrong PIN", "/loyalty/rewards/rew_0000000001/buy/", {"pin": "0000"})
    walk.post("reward bought", "/loyalty/rewards/rew_0000000001/buy/", {"pin": "1234"})
    steps = _menu_and_order(walk, "brasserie-demo")
    next(steps)
    cookie = Product.objects.get(store__slug="brasserie-demo", sku="SKU-COOKIE")
    walk.post("product added", f"/product/{cookie.pk}/add/", {"quantity": "1"})
    walk.post("voucher on the order", "/loyalty/owned/crw_0000000003/use/")
    next(steps, None)
    walk.post("new order", "/reset/", {"reason": "finished"})
    walk.client.post("/start/")
    walk.client.post("/mode/", {"mode": "take_away"})
    walk.get("skipped loyalty", "/menu/")
    walk.post("product added", f"/product/{cookie.pk}/add/", {"quantity": "1"})
    walk.post("pay at the counter", "/checkout/submit/", {"method": "counter"})

    assert walk.english == {}
    assert len(walk.seen) > 20
    assert UpsellOffer.objects.filter(rule__kind="add_product").count() == 1


def _cart_changes(walk: Walk, product: Product) -> None:
    """A line changed from the cart, removed then put back, and a voucher
    worth more than the order."""
    line = walk.order.lines.get(parent=None, product=product, reward_reference="")
    walk.get("line sheet", f"/cart/line/{line.pk}/edit/")
    walk.post("line updated", f"/cart/line/{line.pk}/update/", {"quantity": "2"})
    walk.post("line removed, undo", "/cart/remove/", {"line": str(line.pk)})
    walk.post("line put back", "/cart/undo/")
    voucher = order_discount_add(
        order=walk.order, name="Bon", kind="amount", value=100000, source="test"
    )
    walk.get("voucher worth more than the order", "/cart/")
    walk.get("checkout with that voucher", "/checkout/")
    order_discount_remove(order=walk.order, discount_id=voucher.pk)


def test_every_burger_screen_is_in_french(db, rbi_sandbox):
    kiosk = _burger(rbi_sandbox)
    AttractBrand.objects.update_or_create(
        store=kiosk.store,
        defaults={"primary_colour": "#8B1A0E", "accent_colour": "#FFC72C"},
    )
    AttractSlide.objects.create(
        store=kiosk.store,
        image="attract/no-file-needed.png",
        headline_en="Shakes are back",
        headline_fr="Le retour des milk-shakes",
        text_en="Vanilla, chocolate or strawberry.",
        text_fr="Vanille, chocolat ou fraise.",
    )
    walk = Walk(kiosk)
    walk.post("attract in French", "/language/", {"language": "fr"})
    walk.post("service mode", "/start/")
    walk.post("identification", "/mode/", {"mode": "eat_in"})
    walk.get("code keypad", "/loyalty/code/")
    walk.post("code refused", "/loyalty/code/submit/", {"code": "12"})
    walk.post("code expired", "/loyalty/code/submit/", {"code": "999999"})
    walk.post("rewards and offers", "/loyalty/code/submit/", {"code": "222222"})
    steps = _menu_and_order(walk, "burger-demo")
    next(steps)
    fries = Product.objects.get(store__slug="burger-demo", plu="4102")
    walk.post(
        "product added, large fries offered",
        f"/product/{fries.pk}/add/",
        {"quantity": "1"},
    )
    _cart_changes(walk, fries)
    next(steps, None)

    assert walk.english == {}
    assert len(walk.seen) > 15
    assert UpsellOffer.objects.filter(rule__kind="size_up").count() == 1
