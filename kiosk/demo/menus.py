"""The demo menus as plain data: one French brasserie, one burger restaurant.

Rows refer to each other by the keys the loader looks them up by: categories by
English name, tax rates and modifier groups by name, products by SKU. The
loyalty sandboxes know some SKUs and PLUs by heart, so those stay fixed.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import time

from kiosk.models.catalog import Allergen, ComboSlotKind, ProductKind
from kiosk.models.store import ServiceMode
from kiosk.models.upsell import UpsellKind, UpsellTrigger


@dataclass(frozen=True)
class TaxRateSpec:
    name: str
    eat_in_rate: int
    take_away_rate: int


@dataclass(frozen=True)
class CategorySpec:
    name_en: str
    name_fr: str
    available_from: time | None = None
    available_until: time | None = None


@dataclass(frozen=True)
class OptionSpec:
    name_en: str
    name_fr: str
    price: int = 0
    is_default: bool = False


@dataclass(frozen=True)
class ModifierGroupSpec:
    internal_name: str
    name_en: str
    name_fr: str
    min_choices: int
    max_choices: int
    options: tuple[OptionSpec, ...]


@dataclass(frozen=True)
class ChoiceSpec:
    """A product offered in a combo slot, by SKU, with its extra price."""

    sku: str
    price: int = 0
    is_default: bool = False


@dataclass(frozen=True)
class SlotSpec:
    kind: str
    name_en: str
    name_fr: str
    choices: tuple[ChoiceSpec, ...]


@dataclass(frozen=True)
class ProductSpec:
    """One product; `category` is None for products sold only inside combos."""

    sku: str
    name_en: str
    name_fr: str
    description_en: str
    description_fr: str
    price: int
    tax_rate: str
    category: str | None
    image: str
    kind: str = ProductKind.ITEM
    plu: str = ""
    allergens: tuple[str, ...] = ()
    calories: int | None = None
    modifier_groups: tuple[str, ...] = ()
    slots: tuple[SlotSpec, ...] = ()
    is_available: bool = True


@dataclass(frozen=True)
class KitchenNoteSpec:
    """A note for the kitchen customers may tick; `categories` name English
    categories (none: every product)."""

    name_en: str
    name_fr: str
    categories: tuple[str, ...] = ()


@dataclass(frozen=True)
class UpsellSpec:
    """An upsell rule; triggers and offers name categories (English) and SKUs."""

    name: str
    kind: str
    trigger: str
    title_en: str
    title_fr: str
    trigger_categories: tuple[str, ...] = ()
    trigger_skus: tuple[str, ...] = ()
    offered_skus: tuple[str, ...] = ()
    priority: int = 0


@dataclass(frozen=True)
class KioskSpec:
    name: str
    code: str
    terminal_location_en: str = "The card reader is below the screen, on your right."
    terminal_location_fr: str = "Le lecteur de carte est sous l’écran, à votre droite."


@dataclass(frozen=True)
class StoreMenu:
    slug: str
    name: str
    currency: str
    timezone: str
    country: str
    default_language: str
    languages: tuple[str, ...]
    service_modes: tuple[str, ...]
    address: str
    kiosks: tuple[KioskSpec, ...]
    tax_rates: tuple[TaxRateSpec, ...]
    categories: tuple[CategorySpec, ...]
    modifier_groups: tuple[ModifierGroupSpec, ...]
    products: tuple[ProductSpec, ...]
    upsells: tuple[UpsellSpec, ...] = ()
    kitchen_notes: tuple[KitchenNoteSpec, ...] = ()


# French VAT. Drinks poured into a glass or cup are sold for immediate
# consumption, so they take the food rate even to take away; only soft drinks in
# a bottle or can that keeps drop to 5.5 % when taken away.
FOOD_TAX = "TVA restauration 10 %"
SOFT_DRINK_TAX = "TVA boissons sans alcool 10 % / 5,5 %"
ALCOHOL_TAX = "TVA alcool 20 %"

FRENCH_VAT = (
    TaxRateSpec(FOOD_TAX, eat_in_rate=1000, take_away_rate=1000),
    TaxRateSpec(SOFT_DRINK_TAX, eat_in_rate=1000, take_away_rate=550),
    TaxRateSpec(ALCOHOL_TAX, eat_in_rate=2000, take_away_rate=2000),
)

SLOT_NAMES = {
    ComboSlotKind.MAIN: ("Main", "Plat"),
    ComboSlotKind.SIDE: ("Side", "Accompagnement"),
    ComboSlotKind.DRINK: ("Drink", "Boisson"),
    ComboSlotKind.DESSERT: ("Dessert", "Dessert"),
}

GLUTEN = Allergen.GLUTEN
EGGS = Allergen.EGGS
FISH = Allergen.FISH
SOY = Allergen.SOYBEANS
MILK = Allergen.MILK
NUTS = Allergen.NUTS
CELERY = Allergen.CELERY
MUSTARD = Allergen.MUSTARD
SESAME = Allergen.SESAME
SULPHITES = Allergen.SULPHITES
MOLLUSCS = Allergen.MOLLUSCS

COMBO = ProductKind.COMBO


def choice(sku: str, price: int = 0, *, default: bool = False) -> ChoiceSpec:
    return ChoiceSpec(sku=sku, price=price, is_default=default)


def slot(kind: ComboSlotKind, *choices: ChoiceSpec) -> SlotSpec:
    name_en, name_fr = SLOT_NAMES[kind]
    return SlotSpec(kind=kind, name_en=name_en, name_fr=name_fr, choices=choices)


# --- Brasserie Démo -------------------------------------------------------------

BRUNCH = "Brunch"
STARTERS = "Starters"
MAINS = "Mains"
SET_MENUS = "Set menus"
DESSERTS = "Desserts"
HOT_DRINKS = "Hot drinks"
COLD_DRINKS = "Cold drinks"
WINE_AND_BEER = "Wine & beer"

BRASSERIE_CATEGORIES = (
    # Brunch is served from opening until mid-afternoon only.
    CategorySpec(BRUNCH, "Brunch", time(9, 0), time(15, 0)),
    CategorySpec(SET_MENUS, "Formules"),
    CategorySpec(STARTERS, "Entrées"),
    CategorySpec(MAINS, "Plats"),
    CategorySpec(DESSERTS, "Desserts"),
    CategorySpec(HOT_DRINKS, "Boissons chaudes"),
    CategorySpec(COLD_DRINKS, "Boissons fraîches"),
    CategorySpec(WINE_AND_BEER, "Vins et bières"),
)

BRASSERIE_MODIFIER_GROUPS = (
    ModifierGroupSpec(
        "cuisson-viande",
        "Cooking",
        "Cuisson",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Very rare", "Bleu"),
            OptionSpec("Rare", "Saignant"),
            OptionSpec("Medium", "À point"),
            OptionSpec("Well done", "Bien cuit"),
        ),
    ),
    ModifierGroupSpec(
        "sauces-viande",
        "Sauces",
        "Sauces",
        min_choices=0,
        max_choices=2,
        options=(
            OptionSpec("Béarnaise", "Béarnaise"),
            OptionSpec("Pepper sauce", "Sauce au poivre"),
            OptionSpec("Roquefort sauce", "Sauce roquefort", price=150),
            OptionSpec("Shallot butter", "Beurre échalote", price=100),
        ),
    ),
    ModifierGroupSpec(
        "supplements",
        "Extras",
        "Suppléments",
        min_choices=0,
        max_choices=3,
        options=(
            OptionSpec("Fried egg", "Œuf au plat", price=150),
            OptionSpec("Smoked bacon", "Bacon fumé", price=200),
            OptionSpec("Extra Comté", "Supplément comté", price=150),
            OptionSpec("Caramelised onions", "Oignons confits", price=100),
        ),
    ),
    ModifierGroupSpec(
        "garniture",
        "Side",
        "Garniture",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Hand-cut fries", "Frites maison", is_default=True),
            OptionSpec("Green salad", "Salade verte"),
            OptionSpec("Mashed potatoes", "Purée maison"),
            OptionSpec("Seasonal vegetables", "Légumes de saison", price=150),
        ),
    ),
    ModifierGroupSpec(
        "nuage-de-lait",
        "A dash of milk",
        "Un nuage de lait",
        min_choices=0,
        max_choices=1,
        options=(
            OptionSpec("Cow's milk", "Lait de vache"),
            OptionSpec("Oat milk", "Lait d’avoine", price=40),
            OptionSpec("Soy milk", "Lait de soja", price=40),
        ),
    ),
    ModifierGroupSpec(
        "lait",
        "Milk",
        "Lait",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Whole milk", "Lait entier", is_default=True),
            OptionSpec("Oat milk", "Lait d’avoine", price=40),
            OptionSpec("Soy milk", "Lait de soja", price=40),
            OptionSpec("Lactose-free milk", "Lait sans lactose", price=40),
        ),
    ),
    ModifierGroupSpec(
        "the",
        "Tea",
        "Thé",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("English breakfast", "English breakfast"),
            OptionSpec("Earl Grey", "Earl Grey"),
            OptionSpec("Jasmine green tea", "Thé vert au jasmin"),
            OptionSpec("Mint tea", "Thé à la menthe"),
            OptionSpec("Verbena infusion", "Infusion verveine"),
        ),
    ),
    ModifierGroupSpec(
        "oeufs",
        "Eggs",
        "Œufs",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Fried", "Au plat"),
            OptionSpec("Scrambled", "Brouillés"),
            OptionSpec("Poached", "Pochés"),
            OptionSpec("Soft-boiled", "À la coque"),
        ),
    ),
    ModifierGroupSpec(
        "parfums-glace",
        "Flavours",
        "Parfums",
        min_choices=2,
        max_choices=2,
        options=(
            OptionSpec("Vanilla", "Vanille"),
            OptionSpec("Dark chocolate", "Chocolat noir"),
            OptionSpec("Salted butter caramel", "Caramel beurre salé"),
            OptionSpec("Strawberry sorbet", "Sorbet fraise"),
            OptionSpec("Lemon sorbet", "Sorbet citron"),
        ),
    ),
    ModifierGroupSpec(
        "sirop",
        "Syrup",
        "Sirop",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Grenadine", "Grenadine"),
            OptionSpec("Mint", "Menthe"),
            OptionSpec("Lemon", "Citron"),
            OptionSpec("Peach", "Pêche"),
        ),
    ),
)

BRASSERIE_SIDES = slot(
    ComboSlotKind.SIDE,
    choice("SKU-SIDE-FRITES", default=True),
    choice("SKU-SIDE-SALADE"),
    choice("SKU-SIDE-FRITES-TRUFFE", 150),
)

BRASSERIE_DRINKS = slot(
    ComboSlotKind.DRINK,
    choice("SKU-EAU-PLATE-50", default=True),
    choice("SKU-EAU-GAZEUSE-50"),
    choice("SKU-COLA"),
    choice("SKU-LIMONADE"),
    choice("SKU-JUS-POMME"),
    choice("SKU-DEMI", 150),
)

BRASSERIE_PRODUCTS = (
    # Brunch
    ProductSpec(
        sku="SKU-BRUNCH-2",
        name_en="Brunch for two",
        name_fr="Brunch pour deux",
        description_en="Hot drinks, fresh orange juices, pastries, eggs your way, bacon, pancakes and fruit salad, for two.",
        description_fr="Boissons chaudes, jus d’orange pressés, viennoiseries, œufs au choix, bacon, pancakes et salade de fruits, pour deux.",
        price=5400,
        tax_rate=FOOD_TAX,
        category=BRUNCH,
        image="brunch",
        allergens=(GLUTEN, EGGS, MILK),
        calories=2300,
        modifier_groups=("oeufs",),
    ),
    ProductSpec(
        sku="SKU-BRUNCH-1",
        name_en="Parisian brunch",
        name_fr="Brunch parisien",
        description_en="Hot drink, orange juice, croissant, eggs your way with bacon, toast and jam.",
        description_fr="Boisson chaude, jus d’orange, croissant, œufs au choix et bacon, tartines et confiture.",
        price=2900,
        tax_rate=FOOD_TAX,
        category=BRUNCH,
        image="brunch",
        allergens=(GLUTEN, EGGS, MILK),
        calories=1150,
        modifier_groups=("oeufs",),
    ),
    ProductSpec(
        sku="SKU-OEUFS-BENEDICTE",
        name_en="Eggs Benedict",
        name_fr="Œufs Bénédicte",
        description_en="Two poached eggs on toasted muffins with ham and hollandaise sauce.",
        description_fr="Deux œufs pochés sur muffins toastés, jambon et sauce hollandaise.",
        price=1450,
        tax_rate=FOOD_TAX,
        category=BRUNCH,
        image="brunch",
        allergens=(GLUTEN, EGGS, MILK),
        calories=690,
    ),
    ProductSpec(
        sku="SKU-TARTINE-AVOCAT",
        name_en="Avocado toast",
        name_fr="Tartine avocat",
        description_en="Sourdough toast, crushed avocado, poached egg, pickled red onion and seeds.",
        description_fr="Pain au levain grillé, avocat écrasé, œuf poché, oignon rouge mariné et graines.",
        price=1250,
        tax_rate=FOOD_TAX,
        category=BRUNCH,
        image="croque",
        allergens=(GLUTEN, EGGS, SESAME),
        calories=520,
    ),
    ProductSpec(
        sku="SKU-PANCAKES",
        name_en="Pancakes with maple syrup",
        name_fr="Pancakes au sirop d’érable",
        description_en="Three fluffy pancakes, maple syrup, salted butter and red berries.",
        description_fr="Trois pancakes moelleux, sirop d’érable, beurre demi-sel et fruits rouges.",
        price=950,
        tax_rate=FOOD_TAX,
        category=BRUNCH,
        image="pancakes",
        allergens=(GLUTEN, EGGS, MILK),
        calories=610,
    ),
    ProductSpec(
        sku="SKU-CROISSANT",
        name_en="Croissant",
        name_fr="Croissant",
        description_en="All-butter croissant from our neighbourhood baker.",
        description_fr="Croissant pur beurre de notre boulanger de quartier.",
        price=190,
        tax_rate=FOOD_TAX,
        category=BRUNCH,
        image="croissant",
        allergens=(GLUTEN, EGGS, MILK),
        calories=270,
    ),
    ProductSpec(
        sku="SKU-PAIN-CHOCOLAT",
        name_en="Pain au chocolat",
        name_fr="Pain au chocolat",
        description_en="All-butter pastry with two bars of dark chocolate.",
        description_fr="Viennoiserie pur beurre et deux barres de chocolat noir.",
        price=210,
        tax_rate=FOOD_TAX,
        category=BRUNCH,
        image="croissant",
        allergens=(GLUTEN, EGGS, MILK, SOY),
        calories=300,
    ),
    # Set menus
    ProductSpec(
        sku="SKU-MENU-CLASSIC",
        name_en="Menu Classic",
        name_fr="Formule Classique",
        description_en="A croque-monsieur, a beef patty or our burger, with a side and a drink.",
        description_fr="Un croque-monsieur, un steak haché ou notre burger, avec un accompagnement et une boisson.",
        price=1250,
        tax_rate=FOOD_TAX,
        category=SET_MENUS,
        image="combo_croque",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("SKU-CROQUE-MONSIEUR", default=True),
                choice("SKU-STEAK-HACHE"),
                choice("SKU-BURGER-BRASSERIE", 450),
            ),
            BRASSERIE_SIDES,
            BRASSERIE_DRINKS,
        ),
    ),
    ProductSpec(
        sku="SKU-MENU-VEGGIE",
        name_en="Menu Veggie",
        name_fr="Formule Végétarienne",
        description_en="A vegetarian main with a side and a drink.",
        description_fr="Un plat végétarien avec un accompagnement et une boisson.",
        price=1390,
        tax_rate=FOOD_TAX,
        category=SET_MENUS,
        image="combo_veggie",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("SKU-VEGGIE-BURGER", default=True),
                choice("SKU-OMELETTE"),
                choice("SKU-SALADE-CHEVRE", 200),
            ),
            BRASSERIE_SIDES,
            BRASSERIE_DRINKS,
        ),
    ),
    ProductSpec(
        sku="SKU-MENU-ENFANT",
        name_en="Kids' menu",
        name_fr="Menu enfant",
        description_en="For children up to 10: a main, a side, a drink and a dessert.",
        description_fr="Jusqu’à 10 ans : un plat, un accompagnement, une boisson et un dessert.",
        price=990,
        tax_rate=FOOD_TAX,
        category=SET_MENUS,
        image="combo_nuggets",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("SKU-STEAK-HACHE", default=True),
                choice("SKU-POISSON-PANE"),
            ),
            slot(
                ComboSlotKind.SIDE,
                choice("SKU-SIDE-FRITES", default=True),
                choice("SKU-SIDE-PUREE"),
            ),
            slot(
                ComboSlotKind.DRINK,
                choice("SKU-JUS-POMME", default=True),
                choice("SKU-EAU-PLATE-50"),
                choice("SKU-SIROP"),
            ),
            slot(
                ComboSlotKind.DESSERT,
                choice("SKU-BOULE-GLACE", default=True),
                choice("SKU-COOKIE"),
            ),
        ),
    ),
    # Starters
    ProductSpec(
        sku="SKU-SOUPE-OIGNON",
        name_en="French onion soup",
        name_fr="Soupe à l’oignon gratinée",
        description_en="Slow-cooked onions in beef broth, croutons and melted Comté.",
        description_fr="Oignons fondants, bouillon de bœuf, croûtons et comté gratiné.",
        price=950,
        tax_rate=FOOD_TAX,
        category=STARTERS,
        image="soup",
        allergens=(GLUTEN, MILK, CELERY, SULPHITES),
        calories=420,
    ),
    ProductSpec(
        sku="SKU-OEUF-MAYO",
        name_en="Egg mayonnaise",
        name_fr="Œuf mayonnaise",
        description_en="Boiled free-range eggs, homemade mayonnaise and baby leaves.",
        description_fr="Œufs plein air durs, mayonnaise maison et jeunes pousses.",
        price=650,
        tax_rate=FOOD_TAX,
        category=STARTERS,
        image="salad",
        allergens=(EGGS, MUSTARD),
        calories=320,
    ),
    ProductSpec(
        sku="SKU-POIREAUX",
        name_en="Leeks vinaigrette",
        name_fr="Poireaux vinaigrette",
        description_en="Tender leeks, mustard vinaigrette, chopped egg and chives.",
        description_fr="Poireaux fondants, vinaigrette moutardée, œuf mimosa et ciboulette.",
        price=750,
        tax_rate=FOOD_TAX,
        category=STARTERS,
        image="salad",
        allergens=(EGGS, MUSTARD, SULPHITES),
        calories=240,
    ),
    ProductSpec(
        sku="SKU-TERRINE",
        name_en="Country terrine",
        name_fr="Terrine de campagne",
        description_en="Pork and herb terrine with gherkins and toasted sourdough.",
        description_fr="Terrine de porc aux herbes, cornichons et pain au levain grillé.",
        price=850,
        tax_rate=FOOD_TAX,
        category=STARTERS,
        image="board",
        allergens=(GLUTEN, EGGS, SULPHITES),
        calories=410,
    ),
    ProductSpec(
        sku="SKU-PLANCHE-MIXTE",
        name_en="Sharing board",
        name_fr="Planche mixte",
        description_en="Cured ham, saucisson, Comté and Brie, gherkins and country bread.",
        description_fr="Jambon sec, saucisson, comté et brie, cornichons et pain de campagne.",
        price=1650,
        tax_rate=FOOD_TAX,
        category=STARTERS,
        image="board",
        allergens=(GLUTEN, MILK, SULPHITES),
        calories=980,
    ),
    # Mains
    ProductSpec(
        sku="SKU-STEAK-FRITES",
        name_en="Steak frites",
        name_fr="Steak frites",
        description_en="Grilled beef rump steak with hand-cut fries.",
        description_fr="Pavé de rumsteck grillé et frites maison.",
        price=1990,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="steak",
        allergens=(MILK,),
        calories=980,
        modifier_groups=("cuisson-viande", "sauces-viande"),
    ),
    ProductSpec(
        sku="SKU-ENTRECOTE",
        name_en="Rib-eye steak, 300 g",
        name_fr="Entrecôte 300 g",
        description_en="Charolais rib-eye with herb butter and the side of your choice.",
        description_fr="Entrecôte charolaise, beurre maître d’hôtel et garniture au choix.",
        price=2890,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="steak",
        allergens=(MILK,),
        calories=1150,
        modifier_groups=("cuisson-viande", "garniture", "sauces-viande"),
    ),
    ProductSpec(
        sku="SKU-TARTARE",
        name_en="Beef tartare",
        name_fr="Tartare de bœuf",
        description_en="Hand-cut raw beef, capers, shallots and egg yolk, with fries and salad.",
        description_fr="Bœuf cru coupé au couteau, câpres, échalotes et jaune d’œuf, frites et salade.",
        price=1890,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="tartare",
        allergens=(EGGS, FISH, MUSTARD),
        calories=870,
    ),
    ProductSpec(
        sku="SKU-BURGER-BRASSERIE",
        name_en="Brasserie burger",
        name_fr="Burger de la brasserie",
        description_en="Charolais beef, aged Comté and caramelised onions in a brioche bun, with fries.",
        description_fr="Bœuf charolais, comté affiné et oignons confits dans un pain brioché, avec frites.",
        price=1790,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="burger",
        allergens=(GLUTEN, EGGS, MILK, MUSTARD, SESAME),
        calories=1050,
        modifier_groups=("cuisson-viande", "supplements"),
    ),
    ProductSpec(
        sku="SKU-VEGGIE-BURGER",
        name_en="Veggie burger",
        name_fr="Burger végétarien",
        description_en="Chickpea and vegetable patty, cheddar, pickled red onion and smoky sauce, with fries.",
        description_fr="Galette de pois chiches et légumes, cheddar, oignon rouge mariné et sauce fumée, avec frites.",
        price=1650,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="veggie_burger",
        allergens=(GLUTEN, EGGS, MILK, MUSTARD, SESAME),
        calories=890,
    ),
    ProductSpec(
        sku="SKU-CROQUE-MONSIEUR",
        name_en="Croque-monsieur",
        name_fr="Croque-monsieur",
        description_en="Ham, béchamel and Comté on grilled country bread, with a green salad.",
        description_fr="Jambon, béchamel et comté sur pain de campagne grillé, salade verte.",
        price=1250,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="croque",
        allergens=(GLUTEN, MILK),
        calories=720,
        modifier_groups=("supplements",),
    ),
    ProductSpec(
        sku="SKU-OMELETTE",
        name_en="Herb omelette",
        name_fr="Omelette aux fines herbes",
        description_en="Three free-range eggs and fresh herbs, with a green salad.",
        description_fr="Trois œufs plein air et herbes fraîches, salade verte.",
        price=1100,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="omelette",
        allergens=(EGGS, MILK),
        calories=480,
    ),
    ProductSpec(
        sku="SKU-SAUMON",
        name_en="Grilled salmon",
        name_fr="Pavé de saumon grillé",
        description_en="Salmon fillet, beurre blanc and seasonal vegetables.",
        description_fr="Pavé de saumon, beurre blanc et légumes de saison.",
        price=2150,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="fish",
        allergens=(FISH, MILK, SULPHITES),
        calories=640,
    ),
    ProductSpec(
        sku="SKU-MOULES-FRITES",
        name_en="Mussels and fries",
        name_fr="Moules-frites marinières",
        description_en="A pot of mussels cooked in white wine, shallots and parsley, with fries.",
        description_fr="Une cocotte de moules au vin blanc, échalotes et persil, avec frites.",
        price=1850,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="mussels",
        allergens=(MOLLUSCS, MILK, CELERY, SULPHITES),
        calories=890,
    ),
    ProductSpec(
        sku="SKU-SALADE-CHEVRE",
        name_en="Warm goat's cheese salad",
        name_fr="Salade de chèvre chaud",
        description_en="Goat's cheese on toast, honey, walnuts, baby leaves and mustard vinaigrette.",
        description_fr="Toasts de chèvre, miel, noix, jeunes pousses et vinaigrette moutardée.",
        price=1450,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="salad",
        allergens=(GLUTEN, MILK, NUTS, MUSTARD),
        calories=620,
    ),
    ProductSpec(
        sku="SKU-SALADE-CESAR",
        name_en="Caesar salad",
        name_fr="Salade César",
        description_en="Cos lettuce, grilled chicken, Parmesan, croutons and anchovy dressing.",
        description_fr="Romaine, poulet grillé, parmesan, croûtons et sauce aux anchois.",
        price=1550,
        tax_rate=FOOD_TAX,
        category=MAINS,
        image="salad",
        allergens=(GLUTEN, EGGS, FISH, MILK, MUSTARD),
        calories=680,
    ),
    # Sold only inside the set menus.
    ProductSpec(
        sku="SKU-STEAK-HACHE",
        name_en="Beef patty",
        name_fr="Steak haché",
        description_en="Pure beef patty, 150 g, with its gravy.",
        description_fr="Steak haché pur bœuf de 150 g et son jus.",
        price=1050,
        tax_rate=FOOD_TAX,
        category=None,
        image="steak",
        calories=330,
        modifier_groups=("cuisson-viande",),
    ),
    ProductSpec(
        sku="SKU-POISSON-PANE",
        name_en="Fish fingers",
        name_fr="Poisson pané",
        description_en="Breaded pollock fingers with a lemon wedge.",
        description_fr="Bâtonnets de colin panés et quartier de citron.",
        price=800,
        tax_rate=FOOD_TAX,
        category=None,
        image="nuggets",
        allergens=(GLUTEN, FISH),
        calories=310,
    ),
    ProductSpec(
        sku="SKU-SIDE-FRITES",
        name_en="Hand-cut fries",
        name_fr="Frites maison",
        description_en="Hand-cut fries with sea salt.",
        description_fr="Frites coupées à la main, fleur de sel.",
        price=450,
        tax_rate=FOOD_TAX,
        category=None,
        image="fries",
        calories=380,
    ),
    ProductSpec(
        sku="SKU-SIDE-FRITES-TRUFFE",
        name_en="Truffle fries",
        name_fr="Frites à la truffe",
        description_en="Hand-cut fries with truffle oil and Parmesan.",
        description_fr="Frites maison, huile de truffe et parmesan.",
        price=650,
        tax_rate=FOOD_TAX,
        category=None,
        image="fries",
        allergens=(MILK,),
        calories=450,
    ),
    ProductSpec(
        sku="SKU-SIDE-SALADE",
        name_en="Green salad",
        name_fr="Salade verte",
        description_en="Baby leaves with mustard vinaigrette.",
        description_fr="Jeunes pousses, vinaigrette moutardée.",
        price=400,
        tax_rate=FOOD_TAX,
        category=None,
        image="salad",
        allergens=(MUSTARD,),
        calories=90,
    ),
    ProductSpec(
        sku="SKU-SIDE-PUREE",
        name_en="Mashed potatoes",
        name_fr="Purée maison",
        description_en="Creamy mashed potatoes with butter.",
        description_fr="Purée de pommes de terre onctueuse au beurre.",
        price=450,
        tax_rate=FOOD_TAX,
        category=None,
        image="mash",
        allergens=(MILK,),
        calories=260,
    ),
    ProductSpec(
        sku="SKU-BOULE-GLACE",
        name_en="Scoop of vanilla ice cream",
        name_fr="Boule de glace vanille",
        description_en="One scoop of Bourbon vanilla ice cream.",
        description_fr="Une boule de glace à la vanille Bourbon.",
        price=300,
        tax_rate=FOOD_TAX,
        category=None,
        image="ice_cream",
        allergens=(EGGS, MILK),
        calories=140,
    ),
    # Desserts
    ProductSpec(
        sku="SKU-COOKIE",
        name_en="Cookie",
        name_fr="Cookie",
        description_en="Chocolate chip cookie, baked every morning.",
        description_fr="Cookie aux pépites de chocolat, cuit chaque matin.",
        price=300,
        tax_rate=FOOD_TAX,
        category=DESSERTS,
        image="cookie",
        allergens=(GLUTEN, EGGS, MILK, SOY),
        calories=380,
    ),
    ProductSpec(
        sku="SKU-CREME-BRULEE",
        name_en="Crème brûlée",
        name_fr="Crème brûlée",
        description_en="Bourbon vanilla custard under a crackling caramel crust.",
        description_fr="Crème à la vanille Bourbon sous une croûte de caramel craquante.",
        price=850,
        tax_rate=FOOD_TAX,
        category=DESSERTS,
        image="dessert",
        allergens=(EGGS, MILK),
        calories=430,
    ),
    ProductSpec(
        sku="SKU-MOUSSE-CHOCOLAT",
        name_en="Chocolate mousse",
        name_fr="Mousse au chocolat",
        description_en="Dark chocolate mousse, 70 % cocoa.",
        description_fr="Mousse au chocolat noir 70 % de cacao.",
        price=750,
        tax_rate=FOOD_TAX,
        category=DESSERTS,
        image="dessert",
        allergens=(EGGS, MILK, SOY),
        calories=410,
    ),
    ProductSpec(
        sku="SKU-TARTE-TATIN",
        name_en="Tarte Tatin",
        name_fr="Tarte Tatin",
        description_en="Caramelised upside-down apple tart with crème fraîche.",
        description_fr="Tarte renversée aux pommes caramélisées et crème fraîche.",
        price=950,
        tax_rate=FOOD_TAX,
        category=DESSERTS,
        image="dessert",
        allergens=(GLUTEN, EGGS, MILK),
        calories=520,
    ),
    ProductSpec(
        sku="SKU-ILE-FLOTTANTE",
        name_en="Floating island",
        name_fr="Île flottante",
        description_en="Poached meringue on vanilla custard, caramel and pink pralines.",
        description_fr="Blanc en neige sur crème anglaise, caramel et pralines roses.",
        price=750,
        tax_rate=FOOD_TAX,
        category=DESSERTS,
        image="dessert",
        allergens=(EGGS, MILK, NUTS),
        calories=350,
        # Sold out, so the demo shows how a sold-out card looks.
        is_available=False,
    ),
    ProductSpec(
        sku="SKU-CAFE-GOURMAND",
        name_en="Café gourmand",
        name_fr="Café gourmand",
        description_en="An espresso with three mini desserts of the day.",
        description_fr="Un expresso et trois mignardises du jour.",
        price=1050,
        tax_rate=FOOD_TAX,
        category=DESSERTS,
        image="coffee",
        allergens=(GLUTEN, EGGS, MILK, NUTS),
        calories=450,
        modifier_groups=("nuage-de-lait",),
    ),
    ProductSpec(
        sku="SKU-COUPE-GLACEE",
        name_en="Ice cream, two scoops",
        name_fr="Coupe glacée deux boules",
        description_en="Two scoops of your choice with whipped cream.",
        description_fr="Deux boules au choix et crème chantilly.",
        price=750,
        tax_rate=FOOD_TAX,
        category=DESSERTS,
        image="ice_cream",
        allergens=(EGGS, MILK),
        calories=380,
        modifier_groups=("parfums-glace",),
    ),
    # Hot drinks
    ProductSpec(
        sku="SKU-ESPRESSO",
        name_en="Espresso",
        name_fr="Expresso",
        description_en="Single-origin espresso, roasted in Paris.",
        description_fr="Expresso pure origine, torréfié à Paris.",
        price=220,
        tax_rate=FOOD_TAX,
        category=HOT_DRINKS,
        image="coffee",
        calories=2,
        modifier_groups=("nuage-de-lait",),
    ),
    ProductSpec(
        sku="SKU-DOUBLE-ESPRESSO",
        name_en="Double espresso",
        name_fr="Double expresso",
        description_en="Two shots of our single-origin espresso.",
        description_fr="Deux expressos pure origine dans une tasse.",
        price=400,
        tax_rate=FOOD_TAX,
        category=HOT_DRINKS,
        image="coffee",
        calories=4,
        modifier_groups=("nuage-de-lait",),
    ),
    ProductSpec(
        sku="SKU-CAFE-LONG",
        name_en="Long coffee",
        name_fr="Café allongé",
        description_en="Espresso lengthened with hot water.",
        description_fr="Expresso allongé d’eau chaude.",
        price=280,
        tax_rate=FOOD_TAX,
        category=HOT_DRINKS,
        image="coffee",
        calories=4,
        modifier_groups=("nuage-de-lait",),
    ),
    ProductSpec(
        sku="SKU-CAFE-CREME",
        name_en="Café crème",
        name_fr="Café crème",
        description_en="Espresso topped with steamed milk.",
        description_fr="Expresso et lait chaud moussé.",
        price=480,
        tax_rate=FOOD_TAX,
        category=HOT_DRINKS,
        image="coffee",
        allergens=(MILK,),
        calories=90,
        modifier_groups=("lait",),
    ),
    ProductSpec(
        sku="SKU-CAPPUCCINO",
        name_en="Cappuccino",
        name_fr="Cappuccino",
        description_en="Espresso, steamed milk and a thick layer of foam.",
        description_fr="Expresso, lait chaud et une belle mousse de lait.",
        price=520,
        tax_rate=FOOD_TAX,
        category=HOT_DRINKS,
        image="coffee",
        allergens=(MILK,),
        calories=110,
        modifier_groups=("lait",),
    ),
    ProductSpec(
        sku="SKU-CHOCOLAT-CHAUD",
        name_en="Hot chocolate",
        name_fr="Chocolat chaud",
        description_en="Dark chocolate melted into hot milk.",
        description_fr="Chocolat noir fondu dans du lait chaud.",
        price=550,
        tax_rate=FOOD_TAX,
        category=HOT_DRINKS,
        image="hot_chocolate",
        allergens=(MILK, SOY),
        calories=230,
        modifier_groups=("lait",),
    ),
    ProductSpec(
        sku="SKU-THE",
        name_en="Tea or infusion",
        name_fr="Thé ou infusion",
        description_en="Loose-leaf tea or herbal infusion, served in a pot.",
        description_fr="Thé en vrac ou infusion, servi en théière.",
        price=450,
        tax_rate=FOOD_TAX,
        category=HOT_DRINKS,
        image="tea",
        calories=2,
        modifier_groups=("the",),
    ),
    # Cold drinks
    ProductSpec(
        sku="SKU-EAU-PLATE-50",
        name_en="Still mineral water, 50 cl",
        name_fr="Eau minérale plate 50 cl",
        description_en="Natural mineral water from the Alps.",
        description_fr="Eau minérale naturelle des Alpes.",
        price=400,
        tax_rate=SOFT_DRINK_TAX,
        category=COLD_DRINKS,
        image="water",
        calories=0,
    ),
    ProductSpec(
        sku="SKU-EAU-GAZEUSE-50",
        name_en="Sparkling water, 50 cl",
        name_fr="Eau gazeuse 50 cl",
        description_en="Naturally sparkling mineral water.",
        description_fr="Eau minérale naturellement gazeuse.",
        price=450,
        tax_rate=SOFT_DRINK_TAX,
        category=COLD_DRINKS,
        image="water",
        calories=0,
    ),
    ProductSpec(
        sku="SKU-COLA",
        name_en="Cola, 33 cl",
        name_fr="Cola 33 cl",
        description_en="Chilled can of cola.",
        description_fr="Canette de cola bien fraîche.",
        price=450,
        tax_rate=SOFT_DRINK_TAX,
        category=COLD_DRINKS,
        image="drink",
        calories=139,
    ),
    ProductSpec(
        sku="SKU-LIMONADE",
        name_en="Craft lemonade, 33 cl",
        name_fr="Limonade artisanale 33 cl",
        description_en="Cloudy lemonade from a Breton soft-drink maker.",
        description_fr="Limonade trouble d’une limonaderie bretonne.",
        price=450,
        tax_rate=SOFT_DRINK_TAX,
        category=COLD_DRINKS,
        image="drink",
        calories=120,
    ),
    ProductSpec(
        sku="SKU-JUS-POMME",
        name_en="Organic apple juice, 25 cl",
        name_fr="Jus de pomme bio 25 cl",
        description_en="Pressed Normandy apples, nothing added.",
        description_fr="Pommes de Normandie pressées, sans sucre ajouté.",
        price=450,
        tax_rate=SOFT_DRINK_TAX,
        category=COLD_DRINKS,
        image="juice",
        calories=110,
    ),
    ProductSpec(
        sku="SKU-JUS-ORANGE",
        name_en="Fresh orange juice",
        name_fr="Jus d’orange pressé",
        description_en="Oranges squeezed to order.",
        description_fr="Oranges pressées à la minute.",
        price=550,
        tax_rate=FOOD_TAX,
        category=COLD_DRINKS,
        image="juice",
        calories=110,
    ),
    ProductSpec(
        sku="SKU-SIROP",
        name_en="Syrup and water",
        name_fr="Sirop à l’eau",
        description_en="A French classic: fruit syrup topped up with cold water.",
        description_fr="Le classique : sirop au choix allongé d’eau fraîche.",
        price=300,
        tax_rate=FOOD_TAX,
        category=COLD_DRINKS,
        image="drink",
        calories=90,
        modifier_groups=("sirop",),
    ),
    # Wine and beer
    ProductSpec(
        sku="SKU-DEMI",
        name_en="Draught lager, 25 cl",
        name_fr="Demi pression 25 cl",
        description_en="Crisp French lager on tap.",
        description_fr="Bière blonde française à la pression.",
        price=450,
        tax_rate=ALCOHOL_TAX,
        category=WINE_AND_BEER,
        image="beer",
        allergens=(GLUTEN,),
        calories=105,
    ),
    ProductSpec(
        sku="SKU-PINTE",
        name_en="Draught lager, 50 cl",
        name_fr="Pinte pression 50 cl",
        description_en="Crisp French lager on tap, by the pint.",
        description_fr="Bière blonde française à la pression, en pinte.",
        price=800,
        tax_rate=ALCOHOL_TAX,
        category=WINE_AND_BEER,
        image="beer",
        allergens=(GLUTEN,),
        calories=210,
    ),
    ProductSpec(
        sku="SKU-IPA",
        name_en="Craft IPA, 33 cl",
        name_fr="IPA artisanale 33 cl",
        description_en="Hoppy pale ale from a brewery in Montreuil.",
        description_fr="Pale ale houblonnée d’une brasserie de Montreuil.",
        price=750,
        tax_rate=ALCOHOL_TAX,
        category=WINE_AND_BEER,
        image="beer",
        allergens=(GLUTEN,),
        calories=190,
    ),
    ProductSpec(
        sku="SKU-VIN-ROUGE",
        name_en="Côtes-du-Rhône red, 12 cl glass",
        name_fr="Côtes-du-Rhône rouge, verre 12 cl",
        description_en="Round and fruity, Grenache and Syrah.",
        description_fr="Rond et fruité, grenache et syrah.",
        price=650,
        tax_rate=ALCOHOL_TAX,
        category=WINE_AND_BEER,
        image="wine",
        allergens=(SULPHITES,),
        calories=100,
    ),
    ProductSpec(
        sku="SKU-VIN-BLANC",
        name_en="Muscadet white, 12 cl glass",
        name_fr="Muscadet blanc, verre 12 cl",
        description_en="Dry and mineral, from the Loire valley.",
        description_fr="Sec et minéral, du val de Loire.",
        price=650,
        tax_rate=ALCOHOL_TAX,
        category=WINE_AND_BEER,
        image="white_wine",
        allergens=(SULPHITES,),
        calories=95,
    ),
    ProductSpec(
        sku="SKU-KIR",
        name_en="Kir",
        name_fr="Kir",
        description_en="Aligoté white wine with blackcurrant liqueur.",
        description_fr="Aligoté et crème de cassis.",
        price=600,
        tax_rate=ALCOHOL_TAX,
        category=WINE_AND_BEER,
        image="wine",
        allergens=(SULPHITES,),
        calories=150,
    ),
    ProductSpec(
        sku="SKU-CHAMPAGNE",
        name_en="Glass of Champagne, 12 cl",
        name_fr="Coupe de champagne 12 cl",
        description_en="Brut Champagne from a family house.",
        description_fr="Champagne brut d’une maison familiale.",
        price=1200,
        tax_rate=ALCOHOL_TAX,
        category=WINE_AND_BEER,
        image="white_wine",
        allergens=(SULPHITES,),
        calories=90,
    ),
)

BRASSERIE = StoreMenu(
    slug="brasserie-demo",
    name="Brasserie Démo",
    currency="EUR",
    timezone="Europe/Paris",
    country="FR",
    default_language="fr",
    languages=("fr", "en"),
    service_modes=(ServiceMode.EAT_IN, ServiceMode.TAKE_AWAY),
    address="48 rue Oberkampf\n75011 Paris",
    kiosks=(KioskSpec(name="Borne 1", code="brasserie-borne-1"),),
    tax_rates=FRENCH_VAT,
    categories=BRASSERIE_CATEGORIES,
    modifier_groups=BRASSERIE_MODIFIER_GROUPS,
    products=BRASSERIE_PRODUCTS,
    kitchen_notes=(
        KitchenNoteSpec("Sauce on the side", "Sauce à part", (STARTERS, MAINS)),
        KitchenNoteSpec("No bread", "Sans pain", (STARTERS, MAINS)),
        KitchenNoteSpec("No ice", "Sans glaçons", (COLD_DRINKS,)),
    ),
    upsells=(
        UpsellSpec(
            name="Drink or dessert before checkout",
            kind=UpsellKind.ADD_PRODUCT,
            trigger=UpsellTrigger.BEFORE_CHECKOUT,
            title_en="Add a drink or dessert?",
            title_fr="Une boisson ou un dessert ?",
            offered_skus=(
                "SKU-LIMONADE",
                "SKU-CREME-BRULEE",
                "SKU-MOUSSE-CHOCOLAT",
                "SKU-TARTE-TATIN",
            ),
        ),
    ),
)


# --- Burger Démo ----------------------------------------------------------------

MEALS = "Meals"
BURGERS = "Burgers"
CHICKEN = "Chicken"
SIDES = "Sides"
SALADS_AND_VEGGIE = "Salads & veggie"
DRINKS = "Drinks"
SWEETS = "Desserts"

BURGER_CATEGORIES = (
    CategorySpec(MEALS, "Menus"),
    CategorySpec(BURGERS, "Burgers"),
    CategorySpec(CHICKEN, "Poulet"),
    CategorySpec(SIDES, "Accompagnements"),
    CategorySpec(SALADS_AND_VEGGIE, "Salades et veggie"),
    CategorySpec(DRINKS, "Boissons"),
    CategorySpec(SWEETS, "Desserts"),
)

BURGER_MODIFIER_GROUPS = (
    ModifierGroupSpec(
        "angus-cooking",
        "Cooking",
        "Cuisson",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Pink", "Rosé"),
            OptionSpec("Medium", "À point"),
            OptionSpec("Well done", "Bien cuit"),
        ),
    ),
    ModifierGroupSpec(
        "chicken-recipe",
        "Recipe",
        "Recette",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Crispy", "Croustillant"),
            OptionSpec("Spicy", "Épicé"),
            OptionSpec("Grilled", "Grillé"),
        ),
    ),
    ModifierGroupSpec(
        "burger-extras",
        "Extras",
        "Suppléments",
        min_choices=0,
        max_choices=3,
        options=(
            OptionSpec("Cheddar slice", "Tranche de cheddar", price=60),
            OptionSpec("Bacon", "Bacon", price=100),
            OptionSpec("Extra beef patty", "Steak supplémentaire", price=200),
            OptionSpec("Jalapeños", "Jalapeños", price=50),
            OptionSpec("Crispy onions", "Oignons frits", price=50),
        ),
    ),
    ModifierGroupSpec(
        "burger-hold",
        "Hold",
        "Sans",
        min_choices=0,
        max_choices=4,
        options=(
            OptionSpec("No onion", "Sans oignon"),
            OptionSpec("No pickles", "Sans cornichons"),
            OptionSpec("No tomato", "Sans tomate"),
            OptionSpec("No lettuce", "Sans salade"),
            OptionSpec("No sauce", "Sans sauce"),
        ),
    ),
    ModifierGroupSpec(
        "dips",
        "Dips",
        "Sauces",
        min_choices=0,
        max_choices=2,
        options=(
            OptionSpec("Ketchup", "Ketchup"),
            OptionSpec("Mayonnaise", "Mayonnaise"),
            OptionSpec("Barbecue", "Barbecue", price=30),
            OptionSpec("Sweet and sour", "Aigre-douce", price=30),
            OptionSpec("Curry", "Curry", price=30),
        ),
    ),
    ModifierGroupSpec(
        "soft-drink-flavour",
        "Flavour",
        "Parfum",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Cola", "Cola", is_default=True),
            OptionSpec("Cola zero", "Cola zéro"),
            OptionSpec("Lemon-lime", "Citron-citron vert"),
            OptionSpec("Orange", "Orange"),
            OptionSpec("Peach iced tea", "Thé glacé pêche"),
        ),
    ),
    ModifierGroupSpec(
        "shake-flavour",
        "Flavour",
        "Parfum",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Vanilla", "Vanille"),
            OptionSpec("Chocolate", "Chocolat"),
            OptionSpec("Strawberry", "Fraise"),
            OptionSpec("Salted caramel", "Caramel salé"),
        ),
    ),
    ModifierGroupSpec(
        "sundae-topping",
        "Topping",
        "Nappage",
        min_choices=1,
        max_choices=1,
        options=(
            OptionSpec("Caramel", "Caramel"),
            OptionSpec("Chocolate", "Chocolat"),
            OptionSpec("Strawberry", "Fraise"),
        ),
    ),
    ModifierGroupSpec(
        "coffee-milk",
        "Milk",
        "Lait",
        min_choices=0,
        max_choices=1,
        options=(
            OptionSpec("Milk", "Lait"),
            OptionSpec("Oat milk", "Lait d’avoine", price=30),
        ),
    ),
)

BURGER_SIDES = slot(
    ComboSlotKind.SIDE,
    choice("BRG-FRIES-M", default=True),
    choice("BRG-FRIES-L", 50),
    choice("BRG-ONION-RINGS", 100),
    choice("BRG-SIDE-SALAD"),
)

BURGER_DRINKS = slot(
    ComboSlotKind.DRINK,
    choice("BRG-SOFT-M", default=True),
    choice("BRG-SOFT-L", 50),
    choice("BRG-WATER"),
    choice("BRG-APPLE-JUICE"),
    choice("BRG-SHAKE", 150),
)

BURGER_PRODUCTS = (
    # Meals
    ProductSpec(
        sku="BRG-MEAL-WHOPPER-M",
        plu="4001",
        name_en="Whopper Meal M",
        name_fr="Menu Whopper M",
        description_en="A Whopper with medium fries and a medium drink.",
        description_fr="Un Whopper, des frites moyennes et une boisson moyenne.",
        price=1090,
        tax_rate=FOOD_TAX,
        category=MEALS,
        image="combo",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("BRG-WHOPPER", default=True),
                choice("BRG-DOUBLE-WHOPPER", 250),
                choice("BRG-ANGUS", 300),
            ),
            BURGER_SIDES,
            BURGER_DRINKS,
        ),
    ),
    ProductSpec(
        sku="BRG-MEAL-CHICKEN",
        plu="4002",
        name_en="Chicken Sandwich Meal",
        name_fr="Menu Chicken Sandwich",
        description_en="A chicken sandwich, crispy, spicy or grilled, with fries and a drink.",
        description_fr="Un chicken sandwich croustillant, épicé ou grillé, avec frites et boisson.",
        price=1050,
        tax_rate=FOOD_TAX,
        category=MEALS,
        image="combo_chicken",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("BRG-CHICKEN-SANDWICH", default=True),
                choice("BRG-CHICKEN-WRAP"),
            ),
            BURGER_SIDES,
            BURGER_DRINKS,
        ),
    ),
    ProductSpec(
        sku="BRG-MEAL-DOUBLE-CHEESE",
        plu="4003",
        name_en="Double Cheese Meal",
        name_fr="Menu Double Cheese",
        description_en="A double cheeseburger with medium fries and a medium drink.",
        description_fr="Un double cheeseburger, des frites moyennes et une boisson moyenne.",
        price=890,
        tax_rate=FOOD_TAX,
        category=MEALS,
        image="combo",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("BRG-DOUBLE-CHEESE", default=True),
                choice("BRG-BACON-DOUBLE-CHEESE", 100),
            ),
            BURGER_SIDES,
            BURGER_DRINKS,
        ),
    ),
    ProductSpec(
        sku="BRG-MEAL-NUGGETS",
        plu="4004",
        name_en="Nuggets Meal",
        name_fr="Menu Nuggets",
        description_en="Chicken or veggie nuggets with two dips, fries and a drink.",
        description_fr="Nuggets de poulet ou végétariens, deux sauces, frites et boisson.",
        price=890,
        tax_rate=FOOD_TAX,
        category=MEALS,
        image="combo_nuggets",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("BRG-NUGGETS-6", default=True),
                choice("BRG-NUGGETS-9", 200),
                choice("BRG-VEGGIE-NUGGETS"),
            ),
            BURGER_SIDES,
            BURGER_DRINKS,
        ),
    ),
    ProductSpec(
        sku="BRG-MEAL-VEGGIE",
        plu="4005",
        name_en="Veggie Meal",
        name_fr="Menu Veggie",
        description_en="A plant-based burger or nuggets with fries and a drink.",
        description_fr="Un burger ou des nuggets végétariens avec frites et boisson.",
        price=990,
        tax_rate=FOOD_TAX,
        category=MEALS,
        image="combo_veggie",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("BRG-VEGGIE-BURGER", default=True),
                choice("BRG-VEGGIE-NUGGETS"),
            ),
            BURGER_SIDES,
            BURGER_DRINKS,
        ),
    ),
    ProductSpec(
        sku="BRG-MEAL-KIDS",
        plu="4006",
        name_en="Kids Meal",
        name_fr="Menu Kids",
        description_en="A small burger or four nuggets, a small side and a drink.",
        description_fr="Un petit burger ou quatre nuggets, un petit accompagnement et une boisson.",
        price=550,
        tax_rate=FOOD_TAX,
        category=MEALS,
        image="combo",
        kind=COMBO,
        slots=(
            slot(
                ComboSlotKind.MAIN,
                choice("BRG-HAMBURGER", default=True),
                choice("BRG-CHEESEBURGER", 30),
                choice("BRG-NUGGETS-4"),
            ),
            slot(
                ComboSlotKind.SIDE,
                choice("BRG-FRIES-S", default=True),
                choice("BRG-APPLE-SLICES"),
            ),
            slot(
                ComboSlotKind.DRINK,
                choice("BRG-APPLE-JUICE", default=True),
                choice("BRG-WATER"),
                choice("BRG-SOFT-S"),
            ),
        ),
    ),
    # Burgers
    ProductSpec(
        sku="BRG-WHOPPER",
        plu="4101",
        name_en="Whopper",
        name_fr="Whopper",
        description_en="Flame-grilled beef, tomato, lettuce, pickles, onion, mayonnaise and ketchup on a sesame bun.",
        description_fr="Bœuf grillé à la flamme, tomate, salade, cornichons, oignon, mayonnaise et ketchup, pain au sésame.",
        price=690,
        tax_rate=FOOD_TAX,
        category=BURGERS,
        image="burger",
        allergens=(GLUTEN, EGGS, MUSTARD, SESAME),
        calories=660,
        modifier_groups=("burger-extras", "burger-hold"),
    ),
    ProductSpec(
        sku="BRG-DOUBLE-WHOPPER",
        plu="4104",
        name_en="Double Whopper",
        name_fr="Double Whopper",
        description_en="The Whopper with two flame-grilled beef patties.",
        description_fr="Le Whopper avec deux steaks grillés à la flamme.",
        price=890,
        tax_rate=FOOD_TAX,
        category=BURGERS,
        image="double_burger",
        allergens=(GLUTEN, EGGS, MUSTARD, SESAME),
        calories=900,
        modifier_groups=("burger-extras", "burger-hold"),
    ),
    ProductSpec(
        sku="BRG-ANGUS",
        plu="4108",
        name_en="Angus Steakhouse",
        name_fr="Angus Steakhouse",
        description_en="Angus beef cooked your way, aged cheddar, crispy onions and smoky sauce in a brioche bun.",
        description_fr="Bœuf Angus à la cuisson choisie, cheddar affiné, oignons frits et sauce fumée, pain brioché.",
        price=1190,
        tax_rate=FOOD_TAX,
        category=BURGERS,
        image="burger",
        allergens=(GLUTEN, EGGS, MILK, MUSTARD, SESAME),
        calories=850,
        modifier_groups=("angus-cooking", "burger-extras", "burger-hold"),
    ),
    ProductSpec(
        sku="BRG-CHEESEBURGER",
        plu="4105",
        name_en="Cheeseburger",
        name_fr="Cheeseburger",
        description_en="Beef patty, cheddar, pickles, ketchup and mustard.",
        description_fr="Steak de bœuf, cheddar, cornichons, ketchup et moutarde.",
        price=290,
        tax_rate=FOOD_TAX,
        category=BURGERS,
        image="burger",
        allergens=(GLUTEN, MILK, MUSTARD, SESAME),
        calories=300,
        modifier_groups=("burger-extras", "burger-hold"),
    ),
    ProductSpec(
        sku="BRG-DOUBLE-CHEESE",
        plu="4106",
        name_en="Double Cheeseburger",
        name_fr="Double Cheeseburger",
        description_en="Two beef patties, two slices of cheddar, pickles, ketchup and mustard.",
        description_fr="Deux steaks de bœuf, deux tranches de cheddar, cornichons, ketchup et moutarde.",
        price=450,
        tax_rate=FOOD_TAX,
        category=BURGERS,
        image="double_burger",
        allergens=(GLUTEN, MILK, MUSTARD, SESAME),
        calories=450,
        modifier_groups=("burger-extras", "burger-hold"),
    ),
    ProductSpec(
        sku="BRG-BACON-DOUBLE-CHEESE",
        plu="4109",
        name_en="Bacon Double Cheese",
        name_fr="Bacon Double Cheese",
        description_en="Two beef patties, cheddar and crispy smoked bacon.",
        description_fr="Deux steaks de bœuf, cheddar et bacon fumé croustillant.",
        price=590,
        tax_rate=FOOD_TAX,
        category=BURGERS,
        image="double_burger",
        allergens=(GLUTEN, MILK, MUSTARD, SESAME),
        calories=560,
        modifier_groups=("burger-extras", "burger-hold"),
        # Sold out, so the demo shows how a sold-out card looks.
        is_available=False,
    ),
    ProductSpec(
        sku="BRG-HAMBURGER",
        plu="4107",
        name_en="Hamburger",
        name_fr="Hamburger",
        description_en="Beef patty, pickles, onion, ketchup and mustard.",
        description_fr="Steak de bœuf, cornichons, oignon, ketchup et moutarde.",
        price=250,
        tax_rate=FOOD_TAX,
        category=BURGERS,
        image="burger",
        allergens=(GLUTEN, MUSTARD, SESAME),
        calories=250,
        modifier_groups=("burger-hold",),
    ),
    # Chicken
    ProductSpec(
        sku="BRG-CHICKEN-SANDWICH",
        plu="4110",
        name_en="Chicken Sandwich",
        name_fr="Chicken Sandwich",
        description_en="Chicken breast, crispy, spicy or grilled, with lettuce and mayonnaise in a toasted bun.",
        description_fr="Filet de poulet croustillant, épicé ou grillé, salade et mayonnaise dans un pain toasté.",
        price=650,
        tax_rate=FOOD_TAX,
        category=CHICKEN,
        image="chicken_burger",
        allergens=(GLUTEN, EGGS, MUSTARD, SESAME),
        calories=610,
        modifier_groups=("chicken-recipe", "burger-hold"),
    ),
    ProductSpec(
        sku="BRG-NUGGETS-6",
        plu="4103",
        name_en="6 Nuggets",
        name_fr="6 Nuggets",
        description_en="Six crispy chicken breast nuggets.",
        description_fr="Six nuggets de filet de poulet croustillants.",
        price=450,
        tax_rate=FOOD_TAX,
        category=CHICKEN,
        image="nuggets",
        allergens=(GLUTEN, CELERY),
        calories=270,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-NUGGETS-9",
        plu="4111",
        name_en="9 Nuggets",
        name_fr="9 Nuggets",
        description_en="Nine crispy chicken breast nuggets.",
        description_fr="Neuf nuggets de filet de poulet croustillants.",
        price=620,
        tax_rate=FOOD_TAX,
        category=CHICKEN,
        image="nuggets",
        allergens=(GLUTEN, CELERY),
        calories=400,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-NUGGETS-4",
        plu="4112",
        name_en="4 Nuggets",
        name_fr="4 Nuggets",
        description_en="Four crispy chicken breast nuggets.",
        description_fr="Quatre nuggets de filet de poulet croustillants.",
        price=320,
        tax_rate=FOOD_TAX,
        category=CHICKEN,
        image="nuggets",
        allergens=(GLUTEN, CELERY),
        calories=180,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-CHICKEN-WRAP",
        plu="4113",
        name_en="Crispy Chicken Wrap",
        name_fr="Wrap poulet croustillant",
        description_en="Crispy chicken, lettuce, tomato and ranch sauce in a soft tortilla.",
        description_fr="Poulet croustillant, salade, tomate et sauce ranch dans une tortilla moelleuse.",
        price=450,
        tax_rate=FOOD_TAX,
        category=CHICKEN,
        image="wrap",
        allergens=(GLUTEN, EGGS, MILK, MUSTARD),
        calories=420,
    ),
    # Sides
    ProductSpec(
        sku="BRG-FRIES-S",
        plu="4115",
        name_en="Fries S",
        name_fr="Frites S",
        description_en="Golden fries, lightly salted.",
        description_fr="Frites dorées, légèrement salées.",
        price=250,
        tax_rate=FOOD_TAX,
        category=SIDES,
        image="fries",
        calories=230,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-FRIES-M",
        plu="4102",
        name_en="Fries M",
        name_fr="Frites M",
        description_en="Golden fries, lightly salted.",
        description_fr="Frites dorées, légèrement salées.",
        price=320,
        tax_rate=FOOD_TAX,
        category=SIDES,
        image="fries",
        calories=330,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-FRIES-L",
        plu="4116",
        name_en="Fries L",
        name_fr="Frites L",
        description_en="Golden fries, lightly salted.",
        description_fr="Frites dorées, légèrement salées.",
        price=370,
        tax_rate=FOOD_TAX,
        category=SIDES,
        image="fries",
        calories=430,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-ONION-RINGS",
        plu="4117",
        name_en="Onion Rings",
        name_fr="Onion rings",
        description_en="Eight golden battered onion rings.",
        description_fr="Huit rondelles d’oignon en beignet.",
        price=350,
        tax_rate=FOOD_TAX,
        category=SIDES,
        image="onion_rings",
        allergens=(GLUTEN, MILK),
        calories=320,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-CHEESE-BITES",
        plu="4118",
        name_en="Cheese Bites",
        name_fr="Bouchées fromage",
        description_en="Five breaded bites with a melting cheese heart.",
        description_fr="Cinq bouchées panées au cœur de fromage fondant.",
        price=390,
        tax_rate=FOOD_TAX,
        category=SIDES,
        image="nuggets",
        allergens=(GLUTEN, MILK),
        calories=300,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-SIDE-SALAD",
        plu="4119",
        name_en="Side Salad",
        name_fr="Petite salade",
        description_en="Lettuce, cherry tomatoes and carrot with balsamic dressing.",
        description_fr="Salade, tomates cerises et carotte, vinaigrette balsamique.",
        price=290,
        tax_rate=FOOD_TAX,
        category=SIDES,
        image="salad",
        allergens=(MUSTARD, SULPHITES),
        calories=60,
    ),
    ProductSpec(
        sku="BRG-APPLE-SLICES",
        plu="4120",
        name_en="Apple Slices",
        name_fr="Tranches de pomme",
        description_en="A bag of crunchy fresh apple slices.",
        description_fr="Un sachet de tranches de pomme fraîches et croquantes.",
        price=150,
        tax_rate=FOOD_TAX,
        category=None,
        image="fruit",
        calories=40,
    ),
    # Salads and veggie
    ProductSpec(
        sku="BRG-VEGGIE-BURGER",
        plu="4121",
        name_en="Veggie Burger",
        name_fr="Burger végétarien",
        description_en="Plant-based patty, tomato, lettuce, pickles, onion and vegan mayonnaise.",
        description_fr="Steak végétal, tomate, salade, cornichons, oignon et mayonnaise végane.",
        price=650,
        tax_rate=FOOD_TAX,
        category=SALADS_AND_VEGGIE,
        image="veggie_burger",
        allergens=(GLUTEN, SOY, MUSTARD, SESAME),
        calories=560,
        modifier_groups=("burger-hold",),
    ),
    ProductSpec(
        sku="BRG-VEGGIE-NUGGETS",
        plu="4122",
        name_en="6 Veggie Nuggets",
        name_fr="6 Nuggets végétariens",
        description_en="Six plant-based nuggets in a crispy coating.",
        description_fr="Six nuggets végétaux à la panure croustillante.",
        price=450,
        tax_rate=FOOD_TAX,
        category=SALADS_AND_VEGGIE,
        image="nuggets",
        allergens=(GLUTEN, SOY),
        calories=250,
        modifier_groups=("dips",),
    ),
    ProductSpec(
        sku="BRG-CRISPY-SALAD",
        plu="4123",
        name_en="Crispy Chicken Salad",
        name_fr="Salade poulet croustillant",
        description_en="Lettuce, tomatoes, cheddar and crispy chicken strips with Caesar dressing.",
        description_fr="Salade, tomates, cheddar et aiguillettes de poulet croustillantes, sauce César.",
        price=790,
        tax_rate=FOOD_TAX,
        category=SALADS_AND_VEGGIE,
        image="salad",
        allergens=(GLUTEN, EGGS, FISH, MILK, MUSTARD),
        calories=480,
    ),
    # Drinks
    ProductSpec(
        sku="BRG-SOFT-S",
        plu="4204",
        name_en="Soft Drink S",
        name_fr="Boisson S",
        description_en="25 cl fountain drink, in the flavour of your choice.",
        description_fr="Boisson fontaine de 25 cl, au parfum de votre choix.",
        price=250,
        tax_rate=FOOD_TAX,
        category=DRINKS,
        image="drink",
        calories=140,
        modifier_groups=("soft-drink-flavour",),
    ),
    ProductSpec(
        sku="BRG-SOFT-M",
        plu="4201",
        name_en="Soft Drink M",
        name_fr="Boisson M",
        description_en="40 cl fountain drink, in the flavour of your choice.",
        description_fr="Boisson fontaine de 40 cl, au parfum de votre choix.",
        price=290,
        tax_rate=FOOD_TAX,
        category=DRINKS,
        image="drink",
        calories=210,
        modifier_groups=("soft-drink-flavour",),
    ),
    ProductSpec(
        sku="BRG-SOFT-L",
        plu="4203",
        name_en="Soft Drink L",
        name_fr="Boisson L",
        description_en="50 cl fountain drink, in the flavour of your choice.",
        description_fr="Boisson fontaine de 50 cl, au parfum de votre choix.",
        price=340,
        tax_rate=FOOD_TAX,
        category=DRINKS,
        image="drink",
        calories=280,
        modifier_groups=("soft-drink-flavour",),
    ),
    ProductSpec(
        sku="BRG-SHAKE",
        plu="4202",
        name_en="Shake",
        name_fr="Milk-shake",
        description_en="Thick shake made with soft-serve ice cream.",
        description_fr="Milk-shake épais à la glace italienne.",
        price=390,
        tax_rate=FOOD_TAX,
        category=DRINKS,
        image="shake",
        allergens=(MILK,),
        calories=400,
        modifier_groups=("shake-flavour",),
    ),
    ProductSpec(
        sku="BRG-WATER",
        plu="4205",
        name_en="Still Water, 50 cl",
        name_fr="Eau minérale 50 cl",
        description_en="Bottle of natural mineral water.",
        description_fr="Bouteille d’eau minérale naturelle.",
        price=250,
        tax_rate=SOFT_DRINK_TAX,
        category=DRINKS,
        image="water",
        calories=0,
    ),
    ProductSpec(
        sku="BRG-APPLE-JUICE",
        plu="4206",
        name_en="Organic Apple Juice, 20 cl",
        name_fr="Jus de pomme bio 20 cl",
        description_en="Bottle of organic apple juice, no added sugar.",
        description_fr="Bouteille de jus de pomme bio, sans sucre ajouté.",
        price=220,
        tax_rate=SOFT_DRINK_TAX,
        category=DRINKS,
        image="juice",
        calories=90,
    ),
    ProductSpec(
        sku="BRG-COFFEE",
        plu="4207",
        name_en="Coffee",
        name_fr="Café",
        description_en="Freshly ground espresso coffee.",
        description_fr="Café expresso fraîchement moulu.",
        price=190,
        tax_rate=FOOD_TAX,
        category=DRINKS,
        image="coffee",
        calories=2,
        modifier_groups=("coffee-milk",),
    ),
    ProductSpec(
        sku="BRG-LAGER",
        plu="4208",
        name_en="Lager, 33 cl",
        name_fr="Bière blonde 33 cl",
        description_en="Chilled bottle of French lager.",
        description_fr="Bouteille de bière blonde française bien fraîche.",
        price=450,
        tax_rate=ALCOHOL_TAX,
        category=DRINKS,
        image="beer",
        allergens=(GLUTEN,),
        calories=140,
    ),
    # Desserts
    ProductSpec(
        sku="BRG-SUNDAE",
        plu="4301",
        name_en="Sundae",
        name_fr="Sundae",
        description_en="Vanilla soft-serve with the topping of your choice.",
        description_fr="Glace italienne vanille et nappage au choix.",
        price=290,
        tax_rate=FOOD_TAX,
        category=SWEETS,
        image="ice_cream",
        allergens=(MILK,),
        calories=280,
        modifier_groups=("sundae-topping",),
    ),
    ProductSpec(
        sku="BRG-COOKIE",
        plu="4302",
        name_en="Cookie",
        name_fr="Cookie",
        description_en="Soft-baked chocolate chip cookie.",
        description_fr="Cookie moelleux aux pépites de chocolat.",
        price=190,
        tax_rate=FOOD_TAX,
        category=SWEETS,
        image="cookie",
        allergens=(GLUTEN, EGGS, MILK, SOY),
        calories=320,
    ),
    ProductSpec(
        sku="BRG-BROWNIE",
        plu="4303",
        name_en="Chocolate Brownie",
        name_fr="Brownie au chocolat",
        description_en="Fudgy chocolate brownie with pecan nuts.",
        description_fr="Brownie fondant au chocolat et noix de pécan.",
        price=250,
        tax_rate=FOOD_TAX,
        category=SWEETS,
        image="dessert",
        allergens=(GLUTEN, EGGS, MILK, NUTS, SOY),
        calories=360,
    ),
    ProductSpec(
        sku="BRG-APPLE-PIE",
        plu="4304",
        name_en="Apple Pie",
        name_fr="Chausson aux pommes",
        description_en="Warm turnover filled with cinnamon apples.",
        description_fr="Chausson chaud aux pommes et à la cannelle.",
        price=190,
        tax_rate=FOOD_TAX,
        category=SWEETS,
        image="dessert",
        allergens=(GLUTEN,),
        calories=250,
    ),
    ProductSpec(
        sku="BRG-CHEESECAKE",
        plu="4305",
        name_en="Cheesecake",
        name_fr="Cheesecake",
        description_en="New York cheesecake with red berry coulis.",
        description_fr="Cheesecake new-yorkais et coulis de fruits rouges.",
        price=320,
        tax_rate=FOOD_TAX,
        category=SWEETS,
        image="dessert",
        allergens=(GLUTEN, EGGS, MILK),
        calories=390,
    ),
)

BURGER = StoreMenu(
    slug="burger-demo",
    name="Burger Démo",
    currency="EUR",
    timezone="Europe/Paris",
    country="FR",
    default_language="en",
    languages=("en", "fr"),
    service_modes=(ServiceMode.EAT_IN, ServiceMode.TAKE_AWAY),
    address="102 boulevard de Sébastopol\n75003 Paris",
    kiosks=(KioskSpec(name="Kiosk 1", code="burger-kiosk-1"),),
    tax_rates=FRENCH_VAT,
    categories=BURGER_CATEGORIES,
    modifier_groups=BURGER_MODIFIER_GROUPS,
    products=BURGER_PRODUCTS,
    kitchen_notes=(
        KitchenNoteSpec("Cut in half", "Coupé en deux", (MEALS, BURGERS, CHICKEN)),
        KitchenNoteSpec("No salt", "Sans sel", (MEALS, SIDES)),
        KitchenNoteSpec("No ice", "Sans glaçons", (MEALS, DRINKS)),
    ),
    upsells=(
        UpsellSpec(
            name="Burger: make it a meal",
            kind=UpsellKind.MEAL,
            trigger=UpsellTrigger.AFTER_ADD,
            title_en="Make it a meal?",
            title_fr="Et en menu ?",
            trigger_categories=(BURGERS, CHICKEN),
            priority=10,
        ),
        UpsellSpec(
            name="Large fries for +0,50",
            kind=UpsellKind.SIZE_UP,
            trigger=UpsellTrigger.AFTER_ADD,
            title_en="Large fries for +0,50 €?",
            title_fr="Grandes frites pour 0,50 € de plus ?",
            trigger_skus=("BRG-FRIES-M",),
            offered_skus=("BRG-FRIES-L",),
        ),
    ),
)

DEMO_MENUS = (BRASSERIE, BURGER)
