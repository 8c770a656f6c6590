"""The kiosk app's routes: customer pages, the counter, the POS API and terminal webhooks."""

from __future__ import annotations

from django.urls import path

from kiosk.views import (
    counter,
    customer,
    loyalty,
    payment,
    payment_webhooks,
    pos_api,
    provisioning,
    upsell,
)
from kiosk.views.attract import brand_stylesheet
from kiosk.views.cart_edit import (
    cart_line_change,
    cart_line_edit,
    cart_line_preview,
    cart_undo,
)

kiosk_patterns = [
    path("", customer.attract, name="attract"),
    path("brand.css", brand_stylesheet, name="brand-stylesheet"),
    path("start/", customer.start, name="start"),
    path("reset/", customer.reset, name="reset"),
    path("language/", customer.language_set, name="language"),
    path("accessibility/", customer.accessibility_set, name="accessibility"),
    path("mode/", customer.service_mode, name="service-mode"),
    path("menu/", customer.menu, name="menu"),
    path("menu/<int:category_id>/", customer.menu, name="menu-category"),
    path("product/<int:product_id>/", customer.product, name="product"),
    path(
        "product/<int:product_id>/preview/",
        customer.product_preview,
        name="product-preview",
    ),
    path("product/<int:product_id>/add/", customer.product_add, name="product-add"),
    path("cart/", customer.cart, name="cart"),
    path("cart/quantity/", customer.cart_line_quantity, name="cart-quantity"),
    path("cart/remove/", customer.cart_line_delete, name="cart-remove"),
    path("offer/", upsell.offer, name="upsell"),
    path("offer/accept/", upsell.offer_accept, name="upsell-accept"),
    path("offer/decline/", upsell.offer_decline, name="upsell-decline"),
    path("cart/undo/", cart_undo, name="cart-undo"),
    path(
        "cart/line/<int:line_id>/edit/",
        cart_line_edit,
        name="cart-line-edit",
    ),
    path(
        "cart/line/<int:line_id>/preview/",
        cart_line_preview,
        name="cart-line-preview",
    ),
    path(
        "cart/line/<int:line_id>/update/",
        cart_line_change,
        name="cart-line-update",
    ),
    path("checkout/", payment.checkout, name="checkout"),
    path("checkout/submit/", payment.checkout_submit, name="checkout-submit"),
    path("pay/", payment.payment, name="payment"),
    path("pay/status/", payment.payment_status, name="payment-status"),
    path("pay/retry/", payment.payment_retry_view, name="payment-retry"),
    path("pay/cancel/", payment.payment_cancel, name="payment-cancel"),
    path("pay/back/", payment.payment_back, name="payment-back"),
    path("pay/counter/", payment.payment_counter, name="payment-counter"),
    path("pay/simulate/", payment.payment_simulate, name="payment-simulate"),
    path("done/", customer.confirmation, name="confirmation"),
    path("done/loyalty/", customer.confirmation_loyalty, name="confirmation-loyalty"),
    path("scan/", loyalty.scan, name="scan"),
    path("loyalty/", loyalty.identify, name="loyalty-identify"),
    path("loyalty/phone/", loyalty.phone, name="loyalty-phone"),
    path("loyalty/phone/submit/", loyalty.phone_submit, name="loyalty-phone-submit"),
    path("loyalty/code/", loyalty.code, name="loyalty-code"),
    path("loyalty/code/submit/", loyalty.code_submit, name="loyalty-code-submit"),
    path(
        "loyalty/incentives/add/", loyalty.incentive_add, name="loyalty-incentive-add"
    ),
    path("loyalty/join/", loyalty.join, name="loyalty-join"),
    path("loyalty/offline/", loyalty.offline, name="loyalty-offline"),
    path("loyalty/forget/", loyalty.forget, name="loyalty-forget"),
    path("loyalty/rewards/", loyalty.panel, name="loyalty-panel"),
    path("loyalty/rewards/<str:reward>/buy/", loyalty.buy, name="loyalty-buy"),
    path("loyalty/owned/<str:owned>/use/", loyalty.use, name="loyalty-use"),
    path("loyalty/owned/<str:owned>/choose/", loyalty.choose, name="loyalty-choose"),
    path(
        "loyalty/owned/<str:owned>/add/<int:product_id>/",
        loyalty.add,
        name="loyalty-add",
    ),
    path(
        "loyalty/redemptions/<int:redemption_id>/remove/",
        loyalty.remove,
        name="loyalty-remove",
    ),
]

counter_patterns = [
    path("", counter.counter_index, name="index"),
    path("<slug:store_slug>/", counter.counter_store, name="store"),
    path(
        "<slug:store_slug>/orders/<int:order_id>/<str:action>/",
        counter.counter_order_action,
        name="order-action",
    ),
]

pos_patterns = [
    path("orders/", pos_api.orders_list, name="orders"),
    path(
        "orders/<str:order_id>/<str:action>/", pos_api.order_action, name="order-action"
    ),
]

payment_patterns = [
    path(
        "<slug:vendor>/webhook/",
        payment_webhooks.terminal_webhook,
        name="terminal-webhook",
    ),
]

provisioning_patterns = [
    path("provision/<str:token>/", provisioning.provision, name="provision"),
]
