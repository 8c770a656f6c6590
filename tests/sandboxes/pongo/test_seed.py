"""The seed data of the contract, as `/_sandbox/reset` restores it."""

from __future__ import annotations

from tests.sandboxes.conftest import CH_TOKEN


def _summary(customer):
    return (
        customer["public_id"],
        customer["phone"],
        customer["first_name"],
        customer["last_name"],
        customer["points"],
        customer["has_optin_sms"],
        customer["has_optin_email"],
        customer["tags"],
        customer["has_pin"],
        customer["reference_store"]["slug"],
    )


def test_fr_customers(api):
    response = api.get("/v1/customers", params={"per_page": 100})

    assert [_summary(customer) for customer in response.json()["data"]] == [
        (
            "cust_0000000001",
            "33612345678",
            "Léa",
            "Martin",
            320,
            True,
            True,
            [],
            False,
            "demo-paris-11",
        ),
        (
            "cust_0000000002",
            "33698765432",
            "Hugo",
            "Bernard",
            0,
            True,
            False,
            [],
            False,
            "demo-paris-11",
        ),
        (
            "cust_0000000003",
            "33611112222",
            "Chloé",
            "Petit",
            150,
            False,
            False,
            [],
            False,
            "demo-lyon-2",
        ),
        (
            "cust_0000000004",
            "33622223333",
            "Inès",
            "Moreau",
            80,
            True,
            True,
            ["student"],
            True,
            "demo-paris-11",
        ),
    ]


def test_ch_customer(api):
    response = api.get("/v1/customers", token=CH_TOKEN)

    assert [_summary(customer) for customer in response.json()["data"]] == [
        (
            "cust_0000000101",
            "41791234567",
            "Noah",
            "Keller",
            120,
            True,
            True,
            [],
            False,
            "demo-geneve",
        ),
    ]


def test_customer_as_in_the_contract_example(api):
    assert api.customer("cust_0000000001") == {
        "public_id": "cust_0000000001",
        "phone": "33612345678",
        "email": "lea@example.com",
        "first_name": "Léa",
        "last_name": "Martin",
        "gender": "woman",
        "birthday": None,
        "tags": [],
        "points": 320,
        "has_optin": True,
        "has_optin_sms": True,
        "has_optin_email": True,
        "has_pin": False,
        "reference_store": {"public_id": "sto_fr00000001", "slug": "demo-paris-11"},
        "created_at": "2025-01-10T09:00:00+00:00",
        "updated_at": "2025-01-10T09:00:00+00:00",
    }


def test_fr_stores(api):
    response = api.get("/v1/stores")

    assert response.json() == {
        "data": [
            {
                "public_id": "sto_fr00000001",
                "slug": "demo-paris-11",
                "name": "Démo Paris 11",
                "address": "12 rue Oberkampf",
                "city": "Paris",
                "country": "FR",
                "timezone": "Europe/Paris",
            },
            {
                "public_id": "sto_fr00000002",
                "slug": "demo-lyon-2",
                "name": "Démo Lyon 2",
                "address": "5 place Bellecour",
                "city": "Lyon",
                "country": "FR",
                "timezone": "Europe/Paris",
            },
        ]
    }


def test_ch_stores(api):
    response = api.get("/v1/stores", token=CH_TOKEN)

    assert [
        (store["public_id"], store["slug"], store["name"], store["timezone"])
        for store in response.json()["data"]
    ] == [
        ("sto_ch00000001", "demo-geneve", "Démo Genève", "Europe/Zurich"),
        ("sto_ch00000002", "demo-lausanne", "Démo Lausanne", "Europe/Zurich"),
    ]


def test_fr_rewards(api):
    response = api.get("/v1/rewards")

    rewards = sorted(response.json()["data"], key=lambda reward: reward["public_id"])
    assert [
        (
            reward["public_id"],
            reward["name"],
            reward["type"],
            reward["points"],
            reward["value"],
            reward["external_id"],
            reward["store_slugs"],
            reward["tags"],
        )
        for reward in rewards
    ] == [
        (
            "rew_0000000001",
            "Café offert",
            "free_product",
            50,
            None,
            "SKU-ESPRESSO,SKU-CAFE-LONG,ZELTY-9912",
            [],
            [],
        ),
        (
            "rew_0000000002",
            "Menu offert",
            "free_product",
            400,
            None,
            "SKU-MENU-CLASSIC,SKU-MENU-VEGGIE",
            [],
            [],
        ),
        (
            "rew_0000000003",
            "5 € de réduction",
            "voucher_amount",
            100,
            500,
            None,
            [],
            [],
        ),
        (
            "rew_0000000004",
            "-10 % sur la commande",
            "voucher_percent",
            200,
            10,
            None,
            ["demo-paris-11"],
            [],
        ),
        (
            "rew_0000000005",
            "Cookie étudiant",
            "free_product",
            30,
            None,
            "SKU-COOKIE",
            [],
            ["student"],
        ),
        ("rew_0000000006", "Tote bag", "free_product", 250, None, "SHOP-TOTE", [], []),
        (
            "rew_0000000007",
            "Brunch pour deux",
            "free_product",
            5000,
            None,
            "SKU-BRUNCH-2",
            [],
            [],
        ),
        ("rew_0000000008", "Bon cadeau", "voucher_gift", 10, None, None, [], []),
    ]


def test_ch_rewards(api):
    response = api.get("/v1/rewards", token=CH_TOKEN)

    assert [
        (
            reward["public_id"],
            reward["name"],
            reward["type"],
            reward["points"],
            reward["value"],
            reward["external_id"],
        )
        for reward in response.json()["data"]
    ] == [
        ("rew_0000000101", "Espresso offert", "free_product", 50, None, "SKU-ESPRESSO"),
        ("rew_0000000102", "CHF 5 de réduction", "voucher_amount", 100, 500, None),
    ]


def test_lea_owns_a_coffee_and_a_used_voucher(api):
    response = api.get("/v1/customers/cust_0000000001/rewards")

    assert [
        (owned["id"], owned["reward_id"], owned["coupon_code"], owned["used"])
        for owned in response.json()["data"]
    ] == [
        ("crw_0000000001", "rew_0000000001", None, False),
        ("crw_0000000002", "rew_0000000003", "PONGO-USED0001", True),
    ]


def test_ines_owns_an_unused_voucher(api):
    response = api.get("/v1/customers/cust_0000000004/rewards")

    assert [
        (owned["id"], owned["reward_id"], owned["coupon_code"], owned["used"])
        for owned in response.json()["data"]
    ] == [("crw_0000000003", "rew_0000000003", "PONGO-C3D4E5F6", False)]


def test_hugo_owns_nothing(api):
    response = api.get("/v1/customers/cust_0000000002/rewards")

    assert response.json() == {"data": []}


def test_enrolment_phone_is_unknown_in_fr(api):
    response = api.get("/v1/customers/phone/33600000001")

    assert response.status_code == 404


def test_enrolment_phone_is_unknown_in_ch(api):
    response = api.get("/v1/customers/phone/41790000001", token=CH_TOKEN)

    assert response.status_code == 404


def test_nothing_is_subscribed_or_logged_after_reset(pongo_sandbox):
    assert (pongo_sandbox.webhook_deliveries(), pongo_sandbox.requests()) == ([], [])


def test_reset_restores_balances_and_forgets_new_customers(pongo_sandbox, api):
    pongo_sandbox.set_points("cust_0000000001", 5)
    api.post(
        "/v1/customers",
        json={"phone": "33600000001", "reference_store_slug": "demo-paris-11"},
    )

    pongo_sandbox.reset()

    assert api.customer("cust_0000000001")["points"] == 320
    assert api.get("/v1/customers/phone/33600000001").status_code == 404
