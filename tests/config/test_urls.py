from __future__ import annotations

import pytest
from django.contrib.auth.models import Permission, User
from django.contrib.staticfiles import finders
from django.test import Client

ICON = "/static/kiosk/img/favicon.svg"


def test_the_icon_is_a_static_file():
    assert finders.find("kiosk/img/favicon.svg") is not None


@pytest.mark.django_db
def test_favicon_ico_sends_browsers_to_the_icon():
    response = Client().get("/favicon.ico")

    assert (response.status_code, response["Location"]) == (301, ICON)


def test_kiosk_pages_name_the_icon(kiosk_client):
    page = kiosk_client.get("/").content.decode()

    assert f'<link rel="icon" href="{ICON}" type="image/svg+xml">' in page


@pytest.mark.django_db
def test_the_page_of_a_screen_not_set_up_names_the_icon():
    page = Client().get("/").content.decode()

    assert f'<link rel="icon" href="{ICON}" type="image/svg+xml">' in page


def test_the_counter_page_names_the_icon(menu):
    user = User.objects.create_user("till", password="x")
    user.user_permissions.add(
        Permission.objects.get(codename="confirm_counter_payment")
    )
    client = Client()
    client.force_login(user)

    page = client.get(f"/counter/{menu.store.slug}/").content.decode()

    assert f'<link rel="icon" href="{ICON}" type="image/svg+xml">' in page


@pytest.mark.django_db
def test_the_health_check_answers_ok_when_the_database_does(client):
    response = client.get("/healthz/")

    assert response.status_code == 200
    assert response.content == b"ok\n"
    assert "no-cache" in response["Cache-Control"]


@pytest.mark.django_db
def test_the_health_check_answers_503_when_the_database_does_not(client, monkeypatch):
    from django.db import DatabaseError
    from django.db.backends.utils import CursorWrapper

    def fail(self, sql, params=None):
        raise DatabaseError("gone")

    monkeypatch.setattr(CursorWrapper, "execute", fail)

    response = client.get("/healthz/")

    assert response.status_code == 503
