"""A manager binds a new screen to a kiosk from admin."""

from __future__ import annotations

from django.contrib.auth.models import User
from playwright.sync_api import BrowserContext, Page, expect

from kiosk.models import Kiosk


def test_a_manager_provisions_a_kiosk_from_admin(
    page: Page,
    kiosk_server: str,
    second_context: BrowserContext,
    brasserie_kiosk: Kiosk,
):
    User.objects.create_superuser("manager", password="manager-password")
    page.goto(f"{kiosk_server}/")
    expect(page.locator("h1")).to_have_text("This screen is not set up as a kiosk yet.")

    admin = second_context.new_page()
    admin.goto(f"{kiosk_server}/admin/kiosk/kiosk/")
    admin.fill("#id_username", "manager")
    admin.fill("#id_password", "manager-password")
    admin.click("input[type=submit]")
    admin.check(f"input[name=_selected_action][value='{brasserie_kiosk.pk}']")
    admin.select_option("select[name=action]", "create_provisioning_link")
    admin.click("button[name=index]")
    link = admin.locator(".messagelist a").get_attribute("href")
    assert link is not None

    page.goto(link)
    page.get_by_role("button", name="Use this screen as the kiosk").click()

    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator(".attract-store")).to_have_text("Brasserie Démo")
    page.goto(link)
    page.get_by_role("button", name="Use this screen as the kiosk").click()
    expect(page.locator(".notice-error")).to_contain_text("already been used")
