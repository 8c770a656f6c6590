from __future__ import annotations

import json

from django.db import connection

from kiosk.models import KioskTerminal


def form_data(terminal: KioskTerminal, **changes) -> dict[str, str]:
    data = {
        "kiosk": str(terminal.kiosk_id),
        "vendor": "simulator",
        "terminal_id": "SIM-2",
        "environment": "test",
        "endpoint": "",
        "options": "{}",
        "is_active": "on",
        "new_credentials": "",
    }
    data.update(changes)
    return data


def change_url(terminal: KioskTerminal) -> str:
    return f"/admin/kiosk/kioskterminal/{terminal.pk}/change/"


def test_the_credentials_are_never_shown_back(admin_client, terminal):
    page = admin_client.get(change_url(terminal)).content.decode()

    assert "very-secret-key" not in page
    assert "stored, encrypted: api_key" in page


def test_saving_without_credentials_keeps_the_stored_ones(admin_client, terminal):
    response = admin_client.post(change_url(terminal), form_data(terminal))

    assert response.status_code == 302
    terminal.refresh_from_db()
    assert terminal.terminal_id == "SIM-2"
    assert terminal.credentials == {"api_key": "very-secret-key"}


def test_new_credentials_replace_the_stored_ones_encrypted(admin_client, terminal):
    secrets = {"api_key": "new-key", "webhook_secret": "hook"}

    admin_client.post(
        change_url(terminal),
        form_data(terminal, new_credentials=json.dumps(secrets)),
    )

    terminal.refresh_from_db()
    assert terminal.credentials == secrets
    with connection.cursor() as cursor:
        cursor.execute(
            "SELECT credentials_json FROM kiosk_kioskterminal WHERE id = %s",
            [terminal.pk],
        )
        [stored] = cursor.fetchone()
    assert stored
    assert "new-key" not in stored


def test_credentials_that_are_not_an_object_of_texts_are_refused(
    admin_client, terminal
):
    response = admin_client.post(
        change_url(terminal), form_data(terminal, new_credentials='["key"]')
    )

    assert response.status_code == 200
    assert response.context["adminform"].form.errors["new_credentials"] == [
        'Give a JSON object of texts, e.g. {"api_key": "…"}.'
    ]
    terminal.refresh_from_db()
    assert terminal.credentials == {"api_key": "very-secret-key"}


def test_a_terminal_is_added_with_its_credentials(admin_client, menu):
    response = admin_client.post(
        "/admin/kiosk/kioskterminal/add/",
        {
            "kiosk": str(menu.kiosk.pk),
            "vendor": "simulator",
            "terminal_id": "SIM-9",
            "environment": "test",
            "endpoint": "",
            "options": "{}",
            "is_active": "on",
            "new_credentials": '{"api_key": "k"}',
        },
    )

    assert response.status_code == 302
    assert KioskTerminal.objects.get().credentials == {"api_key": "k"}


def test_the_test_action_reports_and_keeps_the_result(admin_client, terminal):
    response = admin_client.post(
        "/admin/kiosk/kioskterminal/",
        {"action": "test_terminal", "_selected_action": [terminal.pk]},
        follow=True,
    )

    terminal.refresh_from_db()
    assert [str(m) for m in response.context["messages"]] == [
        f"{terminal}: Simulated terminal SIM-1 answers."
    ]
    assert (terminal.last_check_ok, terminal.last_check_detail) == (
        True,
        "Simulated terminal SIM-1 answers.",
    )
    assert terminal.last_check_at is not None


def test_the_changelist_links_to_the_reconciliation(admin_client, terminal):
    page = admin_client.get("/admin/kiosk/kioskterminal/").content.decode()

    assert 'href="/admin/kiosk/kioskterminal/reconciliation/"' in page
