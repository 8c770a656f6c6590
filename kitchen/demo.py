"""The demo stores' kitchens: stations, their screens, the expo view and the
order-ready board, with fresh links at each start."""

from __future__ import annotations

from dataclasses import dataclass

from hardware.models import Device
from hardware.services.devices import store_device_ensure
from kiosk.models import Category, Store
from kitchen.models import Screen, ScreenKind, Station
from kitchen.services.screens import screen_token_rotate


@dataclass(frozen=True)
class StationSpec:
    name: str
    categories: tuple[str, ...]  # English category names
    target_seconds: int
    takes_unrouted: bool = False
    # Tickets print on the store's kitchen printer, a device of its own that
    # the demo drives with a virtual printer and a hardware agent.
    prints_tickets: bool = False


DEMO_KITCHENS: dict[str, tuple[StationSpec, ...]] = {
    "burger-demo": (
        StationSpec(
            "Grill",
            ("Burgers", "Chicken", "Sides", "Salads & veggie", "Desserts"),
            240,
            takes_unrouted=True,
            prints_tickets=True,
        ),
        StationSpec("Drinks", ("Drinks",), 90),
    ),
    "brasserie-demo": (
        StationSpec(
            "Kitchen",
            ("Brunch", "Starters", "Mains", "Desserts"),
            600,
            takes_unrouted=True,
        ),
        StationSpec("Bar", ("Hot drinks", "Cold drinks", "Wine & beer"), 120),
    ),
}


@dataclass(frozen=True)
class ScreenLink:
    screen: Screen
    token: str

    @property
    def path(self) -> str:
        return f"/kitchen/screen/{self.token}/"


KITCHEN_PRINTER_NAME = "Kitchen printer"


def _printer(store: Store) -> Device:
    return store_device_ensure(store=store, name=KITCHEN_PRINTER_NAME)


def _station(store: Store, position: int, spec: StationSpec) -> Station:
    station, _created = Station.objects.update_or_create(
        store=store,
        name=spec.name,
        defaults={
            "position": position,
            "target_seconds": spec.target_seconds,
            "takes_unrouted": spec.takes_unrouted,
            "printer": _printer(store) if spec.prints_tickets else None,
        },
    )
    station.categories.set(
        Category.objects.filter(store=store, name_en__in=spec.categories)
    )
    return station


def _screen(store: Store, kind: str, name: str, station: Station | None) -> ScreenLink:
    screen, _created = Screen.objects.get_or_create(
        store=store, kind=kind, station=station, defaults={"name": name}
    )
    return ScreenLink(screen, screen_token_rotate(screen=screen))


def kitchen_demo_setup(*, slugs: tuple[str, ...] | None = None) -> list[ScreenLink]:
    """Stations and screens for the demo stores; new links for every screen."""
    links: list[ScreenLink] = []
    stores = Store.objects.filter(slug__in=slugs or tuple(DEMO_KITCHENS))
    for store in stores.order_by("pk"):
        for position, spec in enumerate(DEMO_KITCHENS.get(store.slug, ())):
            station = _station(store, position, spec)
            links.append(
                _screen(store, ScreenKind.STATION, f"{spec.name} screen", station)
            )
        links.append(_screen(store, ScreenKind.EXPO, "Expo", None))
        links.append(_screen(store, ScreenKind.BOARD, "Order-ready board", None))
    return links


def kitchen_demo_instructions(*, base: str, links: list[ScreenLink]) -> list[str]:
    lines = ["  Kitchen screens (station screens, expo, order-ready board):"]
    for link in links:
        lines.append(f"    “{link.screen}”: {base}{link.path}")
    lines.append(
        "  Kitchen tickets: the burger restaurant's grill prints them on the "
        f"store's “{KITCHEN_PRINTER_NAME}” (its virtual_printer line is with the kiosks' printers)."
    )
    return lines
