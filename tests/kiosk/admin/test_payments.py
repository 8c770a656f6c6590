from __future__ import annotations

from django.contrib.auth.models import Permission, User

from kiosk.models import CardRefund, OrderState, RefundStatusChoice
from kiosk.payments.base import TerminalRejected
from kiosk.payments.simulator import SimulatedTerminal


def refund(admin_client, order):
    return admin_client.post(
        "/admin/kiosk/order/",
        {"action": "refund_paid", "_selected_action": [order.pk]},
        follow=True,
    )


def messages_of(response) -> list[str]:
    return [str(message) for message in response.context["messages"]]


def test_the_refund_action_refunds_the_card(admin_client, card_paid):
    response = refund(admin_client, card_paid)

    card_paid.refresh_from_db()
    assert card_paid.state == OrderState.REFUNDED
    assert CardRefund.objects.get().status == RefundStatusChoice.SUCCEEDED
    assert messages_of(response) == [
        f"{card_paid}: €3.50 refunded to the card.",
        "1 order recorded as refunded.",
    ]


def test_a_refused_card_refund_tells_staff_to_refund_by_other_means(
    admin_client, card_paid, monkeypatch
):
    def refuse(self, **kwargs):
        raise TerminalRejected("card expired")

    monkeypatch.setattr(SimulatedTerminal, "refund", refuse)

    response = refund(admin_client, card_paid)

    assert messages_of(response)[0] == (
        f"{card_paid}: the card refund of €3.50 was refused (card expired). "
        "Refund by other means."
    )


def test_the_payment_page_shows_the_card_and_its_refunds(admin_client, card_paid):
    refund(admin_client, card_paid)
    payment = card_paid.payments.get()

    page = admin_client.get(f"/admin/kiosk/payment/{payment.pk}/change/")

    text = page.content.decode()
    assert page.status_code == 200
    assert "**** 0119" in text
    assert "A0000000031010" in text
    assert "Refunded to the card" in text
    assert CardRefund.objects.get().reference in text


def test_the_reconciliation_shows_the_days_totals(admin_client, card_paid):
    page = admin_client.get("/admin/kiosk/kioskterminal/reconciliation/")

    text = page.content.decode()
    assert page.status_code == 200
    assert page.context["reconciliation"].mismatch_count == 0
    assert "Everything matches." in text
    assert "€3.50" in text


def test_the_reconciliation_lists_a_difference(admin_client, card_paid):
    from kiosk.models import SimulatedTerminalTransaction

    SimulatedTerminalTransaction.objects.update(amount=400)

    page = admin_client.get("/admin/kiosk/kioskterminal/reconciliation/")

    text = page.content.decode()
    assert "1 difference to look at." in text
    assert 'class="mismatch-amount_differs"' in text
    assert "€4.00" in text


def test_the_reconciliation_shows_the_day_asked(admin_client, card_paid):
    page = admin_client.get(
        "/admin/kiosk/kioskterminal/reconciliation/", {"day": "2020-01-02"}
    )

    assert page.context["day"].isoformat() == "2020-01-02"
    [item] = page.context["reconciliation"].terminals
    assert item.kiosk_approved_count == 0
    assert 'value="2020-01-02"' in page.content.decode()


def test_the_reconciliation_needs_the_payments_permission(client, card_paid):
    user = User.objects.create_user("clerk", password="pw", is_staff=True)
    client.force_login(user)

    assert client.get("/admin/kiosk/kioskterminal/reconciliation/").status_code == 403

    user.user_permissions.add(Permission.objects.get(codename="view_payment"))
    user = User.objects.get(pk=user.pk)
    client.force_login(user)

    assert client.get("/admin/kiosk/kioskterminal/reconciliation/").status_code == 200


def test_the_reconciliation_is_not_for_customers(client, card_paid):
    response = client.get("/admin/kiosk/kioskterminal/reconciliation/")

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
