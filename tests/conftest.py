"""Fixtures shared by the whole suite: a small menu, a kiosk browser, and the
sandboxes (the loyalty programmes, the virtual printer and scanner)."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

import pytest
from django.conf import settings
from django.test import Client

from kiosk.devices import device_cookie_value
from kiosk.models import (
    Category,
    ComboChoice,
    ComboSlot,
    Kiosk,
    ModifierGroup,
    ModifierOption,
    Order,
    Product,
    ProductKind,
    ProductModifierGroup,
    Store,
    TaxRate,
)
from kiosk.services.orders import order_start
from sandboxes.adyen.control import AdyenSandboxControl
from sandboxes.core.control import SandboxControl
from sandboxes.pongo.control import PongoSandboxControl
from sandboxes.printer.emulator import VirtualPrinter
from sandboxes.rbi.control import RbiSandboxControl
from sandboxes.scanner.emulator import VirtualScanner
from sandboxes.stripe.control import StripeSandboxControl
from tests.factories import (
    CategoryFactory,
    ComboChoiceFactory,
    ComboSlotFactory,
    KioskFactory,
    ModifierGroupFactory,
    ModifierOptionFactory,
    ProductFactory,
    ProductModifierGroupFactory,
    StoreFactory,
    TaxRateFactory,
)
from tests.processes import SandboxProcess


@dataclass
class Menu:
    """A burger place: a burger with a required cooking choice and paid extras,
    fries, a cola, and a combo of the three (large fries cost 50 more)."""

    store: Store
    kiosk: Kiosk
    food: TaxRate
    drinks: TaxRate
    mains: Category
    burger: Product
    cooking: ModifierGroup
    rare: ModifierOption
    well_done: ModifierOption
    extras: ModifierGroup
    bacon: ModifierOption
    cheese: ModifierOption
    fries: Product
    large_fries: Product
    cola: Product
    combo: Product
    main_slot: ComboSlot
    side_slot: ComboSlot
    drink_slot: ComboSlot


@pytest.fixture
def menu(db) -> Menu:
    store = StoreFactory(name="Burger Test", slug="burger-test")
    kiosk = KioskFactory(store=store, name="Kiosk 1", code="burger-test-1")
    food = TaxRateFactory(
        store=store, name="Food", eat_in_rate=1000, take_away_rate=1000
    )
    drinks = TaxRateFactory(
        store=store, name="Soft drinks", eat_in_rate=1000, take_away_rate=550
    )
    mains = CategoryFactory(
        store=store, name_en="Burgers", name_fr="Burgers", position=1
    )
    sides = CategoryFactory(
        store=store, name_en="Sides", name_fr="Accompagnements", position=2
    )
    menus = CategoryFactory(store=store, name_en="Meals", name_fr="Menus", position=0)
    burger = ProductFactory(
        store=store,
        category=mains,
        tax_rate=food,
        sku="BURGER",
        plu="4101",
        name_en="Burger",
        name_fr="Burger",
        price=900,
        allergens=["gluten", "milk"],
    )
    cooking = ModifierGroupFactory(
        store=store,
        internal_name="cooking",
        name_en="Cooking",
        name_fr="Cuisson",
        min_choices=1,
        max_choices=1,
    )
    rare = ModifierOptionFactory(
        group=cooking, name_en="Rare", name_fr="Saignant", position=0
    )
    well_done = ModifierOptionFactory(
        group=cooking, name_en="Well done", name_fr="Bien cuit", position=1
    )
    extras = ModifierGroupFactory(
        store=store,
        internal_name="extras",
        name_en="Extras",
        name_fr="Suppléments",
        min_choices=0,
        max_choices=2,
    )
    bacon = ModifierOptionFactory(
        group=extras, name_en="Bacon", name_fr="Bacon", price=150, position=0
    )
    cheese = ModifierOptionFactory(
        group=extras, name_en="Cheese", name_fr="Fromage", price=100, position=1
    )
    ProductModifierGroupFactory(product=burger, group=cooking, position=0)
    ProductModifierGroupFactory(product=burger, group=extras, position=1)
    fries = ProductFactory(
        store=store,
        category=sides,
        tax_rate=food,
        sku="FRIES",
        plu="4102",
        name_en="Fries",
        name_fr="Frites",
        price=350,
    )
    large_fries = ProductFactory(
        store=store,
        category=sides,
        tax_rate=food,
        sku="FRIES-L",
        name_en="Large fries",
        name_fr="Grandes frites",
        price=400,
    )
    cola = ProductFactory(
        store=store,
        category=sides,
        tax_rate=drinks,
        sku="COLA",
        plu="4201",
        name_en="Cola",
        name_fr="Cola",
        price=300,
    )
    combo = ProductFactory(
        store=store,
        category=menus,
        tax_rate=food,
        sku="MEAL",
        plu="4001",
        name_en="Burger meal",
        name_fr="Menu burger",
        price=1250,
        kind=ProductKind.COMBO,
    )
    main_slot = ComboSlotFactory(
        combo=combo, kind="main", name_en="Main", name_fr="Plat", position=0
    )
    side_slot = ComboSlotFactory(
        combo=combo, kind="side", name_en="Side", name_fr="Accompagnement", position=1
    )
    drink_slot = ComboSlotFactory(
        combo=combo, kind="drink", name_en="Drink", name_fr="Boisson", position=2
    )
    ComboChoiceFactory(slot=main_slot, product=burger, is_default=True)
    ComboChoiceFactory(slot=side_slot, product=fries, is_default=True, position=0)
    ComboChoiceFactory(slot=side_slot, product=large_fries, price=50, position=1)
    ComboChoiceFactory(slot=drink_slot, product=cola, is_default=True)
    return Menu(
        store=store,
        kiosk=kiosk,
        food=food,
        drinks=drinks,
        mains=mains,
        burger=burger,
        cooking=cooking,
        rare=rare,
        well_done=well_done,
        extras=extras,
        bacon=bacon,
        cheese=cheese,
        fries=fries,
        large_fries=large_fries,
        cola=cola,
        combo=combo,
        main_slot=main_slot,
        side_slot=side_slot,
        drink_slot=drink_slot,
    )


@pytest.fixture
def draft_order(menu: Menu) -> Order:
    order = order_start(kiosk=menu.kiosk, language="en")
    order.service_mode = "eat_in"
    order.save()
    return order


@pytest.fixture
def kiosk_client(menu: Menu) -> Client:
    """A browser bound to the menu's kiosk."""
    client = Client()
    client.cookies[settings.KIOSK_DEVICE_COOKIE] = device_cookie_value(menu.kiosk)
    return client


@dataclass
class OtherStore:
    store: Store
    kiosk: Kiosk
    product: Product
    group: ModifierGroup
    option: ModifierOption
    combo: Product
    slot: ComboSlot
    choice: ComboChoice


@pytest.fixture
def other(menu) -> OtherStore:
    """Another store with a product, a modifier and a combo of its own."""
    store = Store.objects.create(
        name="Pizza Test",
        slug="pizza-test",
        languages=["en"],
        service_modes=["eat_in", "take_away"],
    )
    kiosk = Kiosk.objects.create(store=store, name="Kiosk P", code="pizza-test-1")
    rate = TaxRate.objects.create(
        store=store, name="Food", eat_in_rate=1000, take_away_rate=550
    )
    category = Category.objects.create(store=store, name_en="Pizzas")
    product = Product.objects.create(
        store=store,
        category=category,
        tax_rate=rate,
        sku="PIZZA",
        name_en="Pizza",
        price=1100,
    )
    group = ModifierGroup.objects.create(
        store=store, internal_name="toppings", max_choices=2
    )
    option = ModifierOption.objects.create(group=group, name_en="Olives", price=80)
    ProductModifierGroup.objects.create(product=product, group=group)
    combo = Product.objects.create(
        store=store,
        category=category,
        tax_rate=rate,
        sku="PIZZA-MEAL",
        name_en="Pizza meal",
        price=1400,
        kind=ProductKind.COMBO,
    )
    slot = ComboSlot.objects.create(combo=combo, kind="main", name_en="Main")
    choice = ComboChoice.objects.create(slot=slot, product=product, is_default=True)
    return OtherStore(
        store=store,
        kiosk=kiosk,
        product=product,
        group=group,
        option=option,
        combo=combo,
        slot=slot,
        choice=choice,
    )


# --- The loyalty sandboxes: one process each for the session, reset per test ---


def _sandbox_started(
    name: str, factory: pytest.TempPathFactory
) -> Iterator[SandboxProcess]:
    directory = factory.mktemp(f"{name}-sandbox")
    process = SandboxProcess(name, database=directory / f"{name}.sqlite3")
    try:
        process.start()
        yield process
    finally:
        process.stop()


def _sandbox_reset(sandbox: SandboxProcess, label: str) -> SandboxControl:
    process, control = sandbox.process, sandbox.control
    if process is None or process.poll() is not None or control is None:
        pytest.fail(f"the {label} sandbox is not running:\n{sandbox.output()}")
    control.reset()
    return control


@pytest.fixture(scope="session")
def pongo_sandbox_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SandboxProcess]:
    yield from _sandbox_started("pongo", tmp_path_factory)


@pytest.fixture
def pongo_sandbox(pongo_sandbox_process: SandboxProcess) -> PongoSandboxControl:
    """The Pongo sandbox's control client, reset."""
    control = _sandbox_reset(pongo_sandbox_process, "Pongo")
    assert isinstance(control, PongoSandboxControl)
    return control


@pytest.fixture(scope="session")
def adyen_sandbox_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SandboxProcess]:
    yield from _sandbox_started("adyen", tmp_path_factory)


@pytest.fixture
def adyen_sandbox(adyen_sandbox_process: SandboxProcess) -> AdyenSandboxControl:
    """The Adyen sandbox's control client, reset."""
    control = _sandbox_reset(adyen_sandbox_process, "Adyen")
    assert isinstance(control, AdyenSandboxControl)
    return control


@pytest.fixture(scope="session")
def stripe_sandbox_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SandboxProcess]:
    yield from _sandbox_started("stripe", tmp_path_factory)


@pytest.fixture
def stripe_sandbox(stripe_sandbox_process: SandboxProcess) -> StripeSandboxControl:
    """The Stripe sandbox's control client, reset."""
    control = _sandbox_reset(stripe_sandbox_process, "Stripe")
    assert isinstance(control, StripeSandboxControl)
    return control


@pytest.fixture(scope="session")
def rbi_sandbox_process(
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[SandboxProcess]:
    yield from _sandbox_started("rbi", tmp_path_factory)


@pytest.fixture
def rbi_sandbox(rbi_sandbox_process: SandboxProcess) -> RbiSandboxControl:
    """The RBI sandbox's control client, reset."""
    control = _sandbox_reset(rbi_sandbox_process, "RBI")
    assert isinstance(control, RbiSandboxControl)
    return control


# --- The virtual printer and scanner, in this process ---


@pytest.fixture
def virtual_printer() -> Iterator[VirtualPrinter]:
    """A virtual printer on a free port of 127.0.0.1."""
    printer = VirtualPrinter(port=0)
    printer.start()
    yield printer
    printer.stop()


@pytest.fixture
def virtual_scanner(tmp_path: Path) -> Iterator[VirtualScanner]:
    """A virtual scanner behind a by-id style link, plugged in, without pacing."""
    scanner = VirtualScanner(tmp_path / "usb-Virtual_Scanner_0001-if00", baudrate=0)
    scanner.plug()
    yield scanner
    scanner.unplug()
