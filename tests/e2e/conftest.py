"""Browser flows: Chromium (Debian's, through Playwright) against a real daphne
process serving the test database, with the demo store of the flow loaded."""

from __future__ import annotations

import os
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from functools import partial
from pathlib import Path

import pytest
from django.conf import settings
from django.db import connection
from playwright.sync_api import Browser, BrowserContext, Page, expect

from hardware.models import Device
from hardware.services.devices import device_token_rotate, kiosk_device_token_rotate
from kiosk.demo.loader import demo_load
from kiosk.models import Kiosk, UpsellRule
from kiosk.services.provisioning import kiosk_provisioning_create
from kitchen.demo import KITCHEN_PRINTER_NAME, kitchen_demo_setup
from loyalty.demo import loyalty_demo_setup
from tests.processes import (
    Hardware,
    SandboxProcess,
    child_env,
    daphne_start,
    hardware_start,
    wait_until,
)

# Playwright's sync API runs an event loop in this thread; the ORM calls the
# tests make around it are still plain synchronous calls.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

CHROMIUM = os.environ.get("KIOSK_TEST_CHROMIUM", "/usr/bin/chromium")

expect.set_options(timeout=10_000)


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "/e2e/" in str(item.path):
            item.add_marker(pytest.mark.e2e)


def _sandbox_url(process: SandboxProcess) -> str:
    assert process.control is not None
    return process.control.base_url


@pytest.fixture(scope="session")
def media_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("media")
    settings.MEDIA_ROOT = path
    return path


@pytest.fixture(scope="session")
def kiosk_server(
    django_db_setup: None,
    django_db_blocker: object,
    media_root: Path,
    tmp_path_factory: pytest.TempPathFactory,
    pongo_sandbox_process: SandboxProcess,
    rbi_sandbox_process: SandboxProcess,
) -> Iterator[str]:
    """`daphne config.asgi:application` on a free port, as in production.

    Both loyalty sandboxes are its programmes; this process (which runs the
    loyalty outbox in the flows) talks to the same ones. The pages carry the
    demo's development scan control, as under `make demo`: every flow taps
    through the screens with it on."""
    pongo, rbi = _sandbox_url(pongo_sandbox_process), _sandbox_url(rbi_sandbox_process)
    settings.PONGO_BASE_URL, settings.RBI_BASE_URL = pongo, rbi
    settings.RBI_SANITY_URL = ""
    env = child_env(
        KIOSK_MEDIA_ROOT=str(media_root),
        PONGO_BASE_URL=pongo,
        RBI_BASE_URL=rbi,
        RBI_SANITY_URL="",
        HARDWARE_DEVELOPMENT_CONTROLS="1",
    )
    with daphne_start(env, directory=tmp_path_factory.mktemp("daphne")) as server:
        yield server.base


@pytest.fixture(scope="session")
def browser_type_launch_args(
    browser_type_launch_args: dict[str, object],
) -> dict[str, object]:
    return {
        **browser_type_launch_args,
        "executable_path": CHROMIUM,
        "args": [
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, object]) -> dict[str, object]:
    return {
        **browser_context_args,
        "viewport": {"width": 1280, "height": 900},
        "locale": "en-GB",
    }


def provision(page: Page, server: str, kiosk: Kiosk) -> None:
    """Bind the page's browser to a kiosk the way an installer does."""
    token = kiosk_provisioning_create(kiosk=kiosk)
    page.goto(f"{server}/provision/{token}/")
    page.get_by_role("button", name="Use this screen as the kiosk").click()
    expect(page.locator("#start")).to_be_visible()
    # Listening for scans and order updates, as a kiosk is long before a guest comes.
    expect(page.locator("#live")).to_have_attribute("data-connection", "open")


def _without_offers(store_slug: str) -> None:
    """Flows about something else see no upsell offer; test_upsell turns its rule on."""
    UpsellRule.objects.filter(store__slug=store_slug).update(is_active=False)


@pytest.fixture
def burger_kiosk(transactional_db: None, media_root: Path) -> Kiosk:
    """The demo burger restaurant's kiosk, its store alone freshly loaded for
    each flow (without a loyalty programme until a flow sets RBI up)."""
    demo_load(slugs=["burger-demo"])
    _without_offers("burger-demo")
    return Kiosk.objects.select_related("store").get(code="burger-kiosk-1")


@pytest.fixture
def brasserie_kiosk(transactional_db: None, media_root: Path) -> Kiosk:
    """The demo brasserie's kiosk, its store alone freshly loaded for each flow,
    on the Pongo sandbox."""
    demo_load(slugs=["brasserie-demo"])
    loyalty_demo_setup(stores=("brasserie-demo",))
    _without_offers("brasserie-demo")
    return Kiosk.objects.select_related("store").get(code="brasserie-borne-1")


@pytest.fixture
def kiosk_page(page: Page, kiosk_server: str, burger_kiosk: Kiosk) -> Page:
    """A browser bound to the burger store's kiosk (English by default), on its attract screen."""
    provision(page, kiosk_server, burger_kiosk)
    return page


@pytest.fixture
def second_context(browser: Browser) -> Iterator[BrowserContext]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    yield context
    context.close()


def _token(rotate: Callable[[], str]) -> str:
    """A new device token. In a thread of its own: rotating broadcasts through
    the channel layer, which cannot run in Playwright's event loop thread."""
    with ThreadPoolExecutor(max_workers=1) as executor:
        return executor.submit(_token_in_thread, rotate).result()


def _token_in_thread(rotate: Callable[[], str]) -> str:
    try:
        return rotate()
    finally:
        connection.close()


def _hardware_running(server: str, kiosk: Kiosk, directory: Path) -> Iterator[Hardware]:
    token = _token(partial(kiosk_device_token_rotate, kiosk=kiosk))
    hardware = hardware_start(server=server, token=token, directory=directory)

    def is_ready() -> bool:
        device = Device.objects.get(kiosk=kiosk)
        return (
            device.is_agent_connected
            and device.scanner_state == "connected"
            and device.printer_state == "ok"
        )

    with hardware:
        wait_until(is_ready, what="the agent, its scanner and its printer")
        yield hardware


@pytest.fixture
def hardware(
    kiosk_server: str, burger_kiosk: Kiosk, tmp_path: Path
) -> Iterator[Hardware]:
    """The burger kiosk's hardware agent with a virtual scanner and printer."""
    yield from _hardware_running(kiosk_server, burger_kiosk, tmp_path)


@pytest.fixture
def kitchen_printer(
    kiosk_server: str, burger_kiosk: Kiosk, tmp_path: Path
) -> Iterator[Hardware]:
    """The burger store's kitchen printer (a device of the store's own, the
    grill's ticket printer in the demo): a virtual printer and its agent."""
    kitchen_demo_setup(slugs=(burger_kiosk.store.slug,))
    device = Device.objects.get(store=burger_kiosk.store, name=KITCHEN_PRINTER_NAME)
    token = _token(partial(device_token_rotate, device=device))
    directory = tmp_path / "kitchen-printer"
    directory.mkdir()
    hardware = hardware_start(
        server=kiosk_server, token=token, directory=directory, with_scanner=False
    )

    def is_ready() -> bool:
        device.refresh_from_db()
        return device.is_agent_connected and device.printer_state == "ok"

    with hardware:
        wait_until(is_ready, what="the kitchen printer's agent and its printer")
        yield hardware


@pytest.fixture
def brasserie_hardware(
    kiosk_server: str, brasserie_kiosk: Kiosk, tmp_path: Path
) -> Iterator[Hardware]:
    """The brasserie kiosk's hardware agent with a virtual scanner and printer."""
    yield from _hardware_running(kiosk_server, brasserie_kiosk, tmp_path)
