"""What the kiosk relies on about Pongo's API, each with the public document
that says so, or UNCONFIRMED.

Pongo publishes its integration guides and, per endpoint, a title, a
description and the meaning of the fields, but often not their names nor
the paths: every path and field name below that no document gives is the
kiosk's choice, the one the sandbox implements. `manage.py loyalty_check`
checks the ones a read-only call can show (see `checks.py`) against a
merchant's account before going live; when Pongo confirms or corrects one,
change it here, then the client and the sandbox.
"""

from __future__ import annotations

from loyalty.providers.base import UNCONFIRMED, Assumption

KIOSK_GUIDE = (
    "Pongo, Build a Kiosk integration "
    "(https://hey-pongo.readme.io/reference/build-a-kiosk-integration)"
)
POS_GUIDE = (
    "Pongo, Build Point of Sale integration "
    "(https://hey-pongo.readme.io/reference/build-point-of-sale-integration)"
)
AUTHENTICATION = "https://hey-pongo.readme.io/reference/authentication-2"
ACCESS_TOKEN = "https://hey-pongo.readme.io/reference/getaccesstoken-1"
USER_INFORMATION = "https://hey-pongo.readme.io/reference/getuserinformation-1"
CREATE_CUSTOMER = "https://hey-pongo.readme.io/reference/createacustomer-1"
CREATE_ORDER = "https://hey-pongo.readme.io/reference/createanorder-1"
GET_REWARDS = "https://hey-pongo.readme.io/reference/getrewards-1"
BUY_REWARD = "https://hey-pongo.readme.io/reference/buyarewardforacustomer-1"
LOCK_REWARD = "https://hey-pongo.readme.io/reference/addalockonareward"
WEBHOOKS = "https://hey-pongo.readme.io/reference/subscribetoawebhookevent"
QUALITY_CHECK = "https://hey-pongo.readme.io/reference/quality-check"


def _a(key: str, statement: str, source: str = UNCONFIRMED) -> Assumption:
    return Assumption(key=key, statement=statement, source=source)


CONNECTION = (
    _a(
        "auth.bearer",
        "Every call carries the merchant's access token as "
        "`Authorization: Bearer <token>`.",
        AUTHENTICATION,
    ),
    _a(
        "auth.token",
        "The access token is a JWT, kept as it is and never decoded.",
        ACCESS_TOKEN,
    ),
    _a(
        "auth.no_refresh",
        "Pongo issues no refresh token: a refused token (401) means the "
        "merchant connects the store again.",
    ),
    _a(
        "answer.envelope",
        'A resource comes as {"data": …} (a bare object is taken too); a '
        "refusal has `message`, and a 422 `errors` by field.",
    ),
    _a(
        "me.path",
        "GET /v1/oauth/me answers, for a valid token, who the token is for.",
        USER_INFORMATION,
    ),
    _a(
        "me.merchant",
        "Its answer names the merchant: `merchant`, an object with its `name`.",
    ),
    _a(
        "stores.path",
        "GET /v1/stores lists the merchant's stores, not paginated.",
    ),
    _a(
        "stores.slug",
        "Each store has its `slug`, the value an order carries as "
        "`loyalty_store_slug`.",
        CREATE_ORDER,
    ),
    _a(
        "stores.contains_store",
        "The Pongo store this kiosk's store is mapped to is one of the "
        "merchant's stores.",
        QUALITY_CHECK,
    ),
)

CUSTOMERS = (
    _a(
        "customer.phone_format",
        "Phone numbers are international, digits only, without '+'.",
        CREATE_CUSTOMER,
    ),
    _a(
        "customer.by_phone.path",
        "GET /v1/customers/phone/{phone} answers the customer with this phone "
        "number, 404 when there is none.",
    ),
    _a(
        "customer.pass",
        "A Digital Pass's QR code carries the customer's id, which starts with "
        "`cust_`.",
        POS_GUIDE,
    ),
    _a(
        "customer.by_id.path",
        "GET /v1/customers/{customer} answers the customer with this `cust_…` "
        "id, 404 when there is none.",
    ),
    _a(
        "customer.id",
        "A customer's id is its `public_id` (kiosk guide), or its `id` (POS "
        "guide), and starts with `cust_`.",
        KIOSK_GUIDE,
    ),
    _a(
        "customer.points",
        "GET customer gives the points balance (kiosk guide) as `points`, an integer.",
    ),
    _a(
        "customer.first_name",
        "A customer's first name, shown on screen, is `first_name` (text or null).",
    ),
    _a(
        "customer.phone",
        "A customer's `phone` is its number, digits only, international.",
    ),
    _a(
        "customer.has_pin",
        "`has_pin` (true or false) says the customer must give a 4-digit PIN "
        "to buy a reward.",
    ),
    _a(
        "customer.create.path",
        "POST /v1/customers with `phone` and `reference_store_slug` enrols a "
        "customer (201); a phone taken meanwhile is 422 with `errors.phone`, "
        "and the kiosk then looks the number up.",
    ),
    _a(
        "customer.create.has_optin",
        "The e-mail and SMS opt-ins asked at enrolment go in `has_optin`.",
        KIOSK_GUIDE,
    ),
    _a(
        "customer.create.optins_apart",
        "The SMS and e-mail opt-ins also go apart, as `has_optin_sms` and "
        "`has_optin_email`; `has_optin` is true only when both are.",
    ),
)

REWARDS = (
    _a(
        "rewards.path",
        "GET /v1/rewards lists the merchant's rewards; with `customer` and "
        "`store_slug`, those this customer can get in this store.",
        GET_REWARDS,
    ),
    _a("rewards.id", "A reward's id is its `public_id` (text)."),
    _a("rewards.name", "A reward's `name` is text, shown on screen."),
    _a(
        "rewards.type",
        "A reward's `type` is `free_product` or `voucher_*`.",
        KIOSK_GUIDE,
    ),
    _a(
        "rewards.voucher_types",
        "Vouchers are `voucher_amount` (`value`: cents off) and "
        "`voucher_percent` (`value`: percent off); any other type is shown "
        "but cannot be used at the kiosk.",
    ),
    _a("rewards.points", "A reward's price in points is `points`, an integer."),
    _a(
        "rewards.external_id",
        "A free product names its products in `external_id`: SKUs separated "
        "by commas, some of them other systems'.",
        KIOSK_GUIDE,
    ),
    _a(
        "owned.path",
        "GET /v1/customers/{customer}/rewards lists the rewards the customer "
        "won, `used=false` those not used yet.",
    ),
    _a("owned.id", "A reward won has its own `id` (text), apart from the reward's."),
    _a("owned.reward", "A reward won carries its catalogue reward as `reward`."),
    _a(
        "owned.coupon_code",
        "A voucher won carries its unique `coupon_code`, which the kiosk "
        "applies to the order as a discount with the same code.",
        KIOSK_GUIDE,
    ),
    _a(
        "owned.state",
        "A reward won shows the order holding its lock as `locked_order_id` "
        "and the order that used it as `used_order_id` (read back after a "
        "lost answer).",
    ),
    _a(
        "buy.path",
        "POST /v1/rewards/{reward}/buy with `customer`, `store_slug`, "
        "`used: false` (and `pin`) spends the points and answers the reward won "
        "(201); 409 `insufficient_points`.",
    ),
    _a(
        "buy.fields",
        "Buying names the customer, the store where it is bought, whether it "
        "is used at once, and the customer's PIN.",
        BUY_REWARD,
    ),
    _a(
        "buy.once",
        "Buying is not idempotent: a purchase is sent once, and after a lost "
        "answer the kiosk reads the rewards won and never buys again.",
    ),
    _a(
        "lock.purpose",
        "A lock keeps a reward won for one order, so that another device "
        "cannot use it meanwhile; it can be removed.",
        LOCK_REWARD,
    ),
    _a(
        "lock.path",
        "POST and DELETE /v1/customers/{customer}/rewards/{won}/lock with "
        "`order_id` and `store_slug` lock and release a reward for an order "
        "(Pongo's reference has the customer as path parameter and a reward "
        "hash and the PIN in the body, their names not public).",
    ),
    _a(
        "lock.repeat",
        "Pongo may refuse to lock a reward already locked, even for the same "
        "order: a lock refused as `reward_locked`, or without an answer, is "
        "read back, and locked for this order it is locked.",
    ),
    _a(
        "unlock.repeat",
        "A release names its order, so a resend never frees another order's "
        "lock; a reward not found, used, or locked by another order has no "
        "lock of this order left.",
    ),
)

ORDERS = (
    _a(
        "order.after_payment",
        "An order is sent once paid and closed, and only then.",
        KIOSK_GUIDE,
    ),
    _a(
        "order.path",
        "POST /v1/orders creates an order: 201 with `data.id` and "
        "`data.points_earned`.",
    ),
    _a(
        "order.duplicate",
        'The same `order_id` again for the same store is 202 "This order has '
        "already been processed.\" with the order's id, and counts once.",
        CREATE_ORDER,
    ),
    _a(
        "order.fields",
        "An order carries our `order_id`, the store's `loyalty_store_slug`, "
        "the amount and the taxes in cents, a status, a delivery status, a "
        "channel and a delivery mode (each from a list), its creation time in "
        "ISO 8601, its `lines` (one at least), the `customer`, the payments "
        "and the device handling it.",
        CREATE_ORDER,
    ),
    _a(
        "order.field_names",
        "Those fields are named `amount`, `tax_amount`, `status`, "
        "`delivery_status`, `channel`, `delivery_mode`, `created_at`, "
        "`payments`, `device_id` and `device_name`.",
    ),
    _a(
        "order.enum_values",
        "Pongo's lists hold `channel: kiosk`, `delivery_mode: on_site | "
        "take_away`, `status: paid | refunded`, `delivery_status: pending` "
        "(the fields are enumerated, their values not public).",
    ),
    _a(
        "order.customer",
        "An order names its customer by public id and phone number.",
        QUALITY_CHECK,
    ),
    _a(
        "order.reward_line",
        "A free product used is confirmed by its `reward_id` (the catalogue "
        "reward's id) on its line.",
        KIOSK_GUIDE,
    ),
    _a(
        "order.customer_reward_id",
        "A reward line also names the reward won, as `customer_reward_id`.",
    ),
    _a(
        "order.reward_ids",
        "`reward_ids` (listed, its meaning not documented) is left empty: "
        "rewards are named on their lines only, never twice.",
    ),
    _a(
        "order.amount_paid",
        "`amount` is what the customer paid, after a voucher; the lines are "
        "the products at their prices (a voucher is no line, nor is a "
        "negative amount).",
    ),
    _a(
        "order.voucher_used_apart",
        "A reward no line can carry (a voucher) is marked used with PATCH use "
        "once the order is posted, whatever the order's answer says.",
        KIOSK_GUIDE,
    ),
    _a(
        "use.path",
        "PATCH /v1/customers/{customer}/rewards/{won}/use with `store_slug` "
        "and `order_id` marks a reward won used by the order.",
    ),
    _a(
        "use.repeat",
        "Pongo may refuse to use a reward already used, even by the same "
        "order: a use refused as `reward_used` is read back, and used by this "
        "order (or by no order named) it is done.",
    ),
    _a(
        "refund.path",
        "PATCH /v1/orders/{order_id}/status with `loyalty_store_slug` and "
        "`status: refunded` takes back the points the order earned and gives "
        "back the rewards it used.",
    ),
    _a(
        "refund.repeat",
        "The same status sent again changes nothing. Pongo has no call that "
        "reads an order, so a refund whose answer was lost is sent again; its "
        "loyalty posting keeps the attempts and the last error for staff, who "
        "check the customer's points in Pongo if the refund counted twice.",
    ),
    _a(
        "changes.idempotency_key",
        "Every change carries an `Idempotency-Key`, its outbox message's key "
        "(a lock: its own), the same on every resend; Pongo is not assumed to "
        "honour it.",
    ),
)

WEBHOOKS_ASSUMED = (
    _a(
        "webhook.signature",
        "A webhook is signed `Pongo-Signature: t=<time>,v1=<HMAC-SHA256 of the "
        "body followed by the time>` with the subscription's secret.",
        WEBHOOKS,
    ),
)

ASSUMPTIONS: tuple[Assumption, ...] = (
    *CONNECTION,
    *CUSTOMERS,
    *REWARDS,
    *ORDERS,
    *WEBHOOKS_ASSUMED,
)
