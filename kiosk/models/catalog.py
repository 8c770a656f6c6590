"""The menu of a store: categories, products, modifier groups and combos.

Prices are integer minor units (cents), tax-inclusive, as menus show them.
"""

from __future__ import annotations

from datetime import datetime, time

from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from kiosk.fields import ChoiceListField
from kiosk.models.store import ServiceMode, Store
from kiosk.models.translated import TranslatedNameMixin


class Allergen(models.TextChoices):
    """The 14 allergens of Regulation (EU) No 1169/2011, Annex II."""

    GLUTEN = "gluten", _("Gluten")
    CRUSTACEANS = "crustaceans", _("Crustaceans")
    EGGS = "eggs", _("Eggs")
    FISH = "fish", _("Fish")
    PEANUTS = "peanuts", _("Peanuts")
    SOYBEANS = "soybeans", _("Soy")
    MILK = "milk", _("Milk")
    NUTS = "nuts", _("Nuts")
    CELERY = "celery", _("Celery")
    MUSTARD = "mustard", _("Mustard")
    SESAME = "sesame", _("Sesame")
    SULPHITES = "sulphites", _("Sulphites")
    LUPIN = "lupin", _("Lupin")
    MOLLUSCS = "molluscs", _("Molluscs")


class TaxRate(models.Model):
    """A VAT rate, which may differ between eating in and taking away."""

    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="tax_rates")
    name = models.CharField(_("name"), max_length=60)
    eat_in_rate = models.PositiveIntegerField(
        _("eat-in rate (basis points)"),
        help_text=_("1000 = 10 %."),
        validators=[MaxValueValidator(10000)],
    )
    take_away_rate = models.PositiveIntegerField(
        _("take-away rate (basis points)"),
        help_text=_("1000 = 10 %."),
        validators=[MaxValueValidator(10000)],
    )

    class Meta:
        verbose_name = _("tax rate")
        verbose_name_plural = _("tax rates")
        ordering = ["store", "name"]
        constraints = [
            models.UniqueConstraint(
                fields=["store", "name"], name="tax_rate_unique_name"
            )
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.eat_in_rate / 100:g} % / {self.take_away_rate / 100:g} %)"

    def rate_for(self, service_mode: str) -> int:
        if service_mode == ServiceMode.TAKE_AWAY:
            return self.take_away_rate
        return self.eat_in_rate


class Category(TranslatedNameMixin, models.Model):
    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="categories"
    )
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=80, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("shown"), default=True)
    available_from = models.TimeField(
        _("available from"), null=True, blank=True, help_text=_("Store local time.")
    )
    available_until = models.TimeField(
        _("available until"),
        null=True,
        blank=True,
        help_text=_("Store local time. Earlier than “from” means overnight."),
    )

    class Meta:
        verbose_name = _("category")
        verbose_name_plural = _("categories")
        ordering = ["store", "position", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.name_en or self.name_fr):
            raise ValidationError(
                _("Give the category a name in at least one language.")
            )
        if (self.available_from is None) != (self.available_until is None):
            raise ValidationError(_("Give both ends of the time window, or neither."))

    def is_open_at(self, local_time: time) -> bool:
        start, end = self.available_from, self.available_until
        if start is None or end is None or start == end:
            return True
        if start < end:
            return start <= local_time < end
        return local_time >= start or local_time < end

    def is_available_at(self, local_now: datetime) -> bool:
        return self.is_active and self.is_open_at(local_now.time())


class ProductKind(models.TextChoices):
    ITEM = "item", _("Item")
    COMBO = "combo", _("Combo")


class Product(TranslatedNameMixin, models.Model):
    store = models.ForeignKey(Store, on_delete=models.CASCADE, related_name="products")
    category = models.ForeignKey(
        Category,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="products",
        help_text=_("Leave empty for products sold only inside combos."),
    )
    kind = models.CharField(
        _("kind"), max_length=8, choices=ProductKind.choices, default=ProductKind.ITEM
    )
    sku = models.CharField(
        _("SKU"),
        max_length=64,
        help_text=_("Stock keeping unit, sent to loyalty programmes."),
    )
    plu = models.CharField(
        _("PLU"),
        max_length=16,
        blank=True,
        help_text=_("Price look-up code of the store's POS."),
    )
    name_en = models.CharField(_("name (English)"), max_length=120, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=120, blank=True)
    description_en = models.TextField(_("description (English)"), blank=True)
    description_fr = models.TextField(_("description (French)"), blank=True)
    price = models.PositiveIntegerField(
        _("price (minor units)"), help_text=_("Tax included, in cents: 1250 = 12.50.")
    )
    tax_rate = models.ForeignKey(
        TaxRate, on_delete=models.PROTECT, related_name="products"
    )
    image = models.ImageField(_("image"), upload_to="products/", blank=True)
    allergens = ChoiceListField(
        _("allergens"), item_choices=Allergen.choices, blank=True
    )
    calories = models.PositiveIntegerField(_("energy (kcal)"), null=True, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(
        _("on the menu"), default=True, help_text=_("Off hides the product everywhere.")
    )
    is_available = models.BooleanField(
        _("available"), default=True, help_text=_("Off marks the product sold out.")
    )
    modifier_groups: models.ManyToManyField[ModifierGroup, ProductModifierGroup] = (
        models.ManyToManyField(
            "ModifierGroup",
            through="ProductModifierGroup",
            blank=True,
            related_name="products",
        )
    )

    class Meta:
        verbose_name = _("product")
        verbose_name_plural = _("products")
        ordering = ["store", "position", "id"]
        constraints = [
            models.UniqueConstraint(fields=["store", "sku"], name="product_unique_sku"),
        ]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.name_en or self.name_fr):
            raise ValidationError(
                _("Give the product a name in at least one language.")
            )
        if self.category is not None and self.category.store_id != self.store_id:
            raise ValidationError(
                {"category": _("The category belongs to another store.")}
            )
        if self.tax_rate_id and self.tax_rate.store_id != self.store_id:
            raise ValidationError(
                {"tax_rate": _("The tax rate belongs to another store.")}
            )

    @property
    def is_combo(self) -> bool:
        return self.kind == ProductKind.COMBO

    @property
    def is_orderable(self) -> bool:
        return self.is_active and self.is_available


class ProductVendorPlu(models.Model):
    """The product's PLU in another POS vendor's numbering (RBI's vendorConfigs).

    Product.plu is the store's own POS; a row here names the product for one
    more vendor (e.g. ncr), so loyalty lines carry the codes that POS expects.
    """

    product = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="vendor_plus"
    )
    vendor = models.SlugField(
        _("POS vendor"), max_length=20, help_text=_("e.g. partner, ncr, sicom")
    )
    plu = models.CharField(_("PLU"), max_length=16)

    class Meta:
        verbose_name = _("PLU for a POS vendor")
        verbose_name_plural = _("PLUs for other POS vendors")
        constraints = [
            models.UniqueConstraint(
                fields=["product", "vendor"], name="product_vendor_plu_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.vendor}: {self.plu}"


def plu_for(product: Product, vendor: str) -> str:
    """The product's PLU for a POS vendor; the store's own PLU by default."""
    for row in product.vendor_plus.all():
        if row.vendor == vendor:
            return row.plu
    return product.plu


class ModifierGroup(TranslatedNameMixin, models.Model):
    """Choices offered with a product, e.g. "Cooking" (pick 1) or "Extras" (up to 3)."""

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="modifier_groups"
    )
    internal_name = models.CharField(
        _("internal name"), max_length=80, help_text=_("Tells groups apart in admin.")
    )
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=80, blank=True)
    min_choices = models.PositiveSmallIntegerField(_("at least"), default=0)
    max_choices = models.PositiveSmallIntegerField(
        _("at most"), default=1, validators=[MinValueValidator(1)]
    )

    class Meta:
        verbose_name = _("modifier group")
        verbose_name_plural = _("modifier groups")
        ordering = ["store", "internal_name"]

    def __str__(self) -> str:
        return self.internal_name

    def clean(self) -> None:
        if self.min_choices > self.max_choices:
            raise ValidationError(_("“At least” cannot be more than “at most”."))

    @property
    def is_single_choice(self) -> bool:
        return self.max_choices == 1


class ModifierOption(TranslatedNameMixin, models.Model):
    group = models.ForeignKey(
        ModifierGroup, on_delete=models.CASCADE, related_name="options"
    )
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=80, blank=True)
    price = models.PositiveIntegerField(_("extra price (minor units)"), default=0)
    sku = models.CharField(_("SKU"), max_length=64, blank=True)
    plu = models.CharField(_("PLU"), max_length=16, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)
    is_default = models.BooleanField(_("chosen by default"), default=False)
    is_available = models.BooleanField(_("available"), default=True)

    class Meta:
        verbose_name = _("modifier option")
        verbose_name_plural = _("modifier options")
        ordering = ["group", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ProductModifierGroup(models.Model):
    product = models.ForeignKey(Product, on_delete=models.CASCADE)
    group = models.ForeignKey(ModifierGroup, on_delete=models.CASCADE)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("modifier group of a product")
        verbose_name_plural = _("modifier groups of the product")
        ordering = ["position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["product", "group"], name="product_modifier_group_unique"
            )
        ]

    def __str__(self) -> str:
        return f"{self.product} · {self.group}"


class ComboSlotKind(models.TextChoices):
    MAIN = "main", _("Main")
    SIDE = "side", _("Side")
    DRINK = "drink", _("Drink")
    DESSERT = "dessert", _("Dessert")


class ComboSlot(TranslatedNameMixin, models.Model):
    """One choice inside a combo (its main, side or drink); exactly one is picked."""

    combo = models.ForeignKey(
        Product, on_delete=models.CASCADE, related_name="combo_slots"
    )
    kind = models.CharField(_("kind"), max_length=8, choices=ComboSlotKind.choices)
    name_en = models.CharField(_("name (English)"), max_length=80, blank=True)
    name_fr = models.CharField(_("name (French)"), max_length=80, blank=True)
    position = models.PositiveIntegerField(_("position"), default=0)

    class Meta:
        verbose_name = _("combo slot")
        verbose_name_plural = _("combo slots")
        ordering = ["combo", "position", "id"]

    def __str__(self) -> str:
        return self.name


class ComboChoice(models.Model):
    slot = models.ForeignKey(
        ComboSlot, on_delete=models.CASCADE, related_name="choices"
    )
    product = models.ForeignKey(Product, on_delete=models.PROTECT, related_name="+")
    price = models.PositiveIntegerField(
        _("extra price (minor units)"),
        default=0,
        help_text=_("Added to the combo price."),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_default = models.BooleanField(_("chosen by default"), default=False)

    class Meta:
        verbose_name = _("combo choice")
        verbose_name_plural = _("combo choices")
        ordering = ["slot", "position", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["slot", "product"], name="combo_choice_unique"
            )
        ]

    def __str__(self) -> str:
        return str(self.product)

    def clean(self) -> None:
        if self.product_id and self.product.is_combo:
            raise ValidationError(
                {"product": _("A combo cannot contain another combo.")}
            )


# Between two kitchen notes of one line ("No salt · Cut in half").
KITCHEN_NOTE_SEPARATOR = " · "


class KitchenNote(TranslatedNameMixin, models.Model):
    """A note for the kitchen the customer may tick on a product's sheet ("No
    salt", "Cut in half"): a kiosk has no keyboard, so the store writes them.

    A note applies to the products of its categories, or to every product
    when it has none. It costs nothing and changes no price.
    """

    store = models.ForeignKey(
        Store, on_delete=models.CASCADE, related_name="kitchen_notes"
    )
    name_en = models.CharField(_("text (English)"), max_length=60, blank=True)
    name_fr = models.CharField(_("text (French)"), max_length=60, blank=True)
    categories = models.ManyToManyField(
        Category,
        blank=True,
        related_name="kitchen_notes",
        verbose_name=_("categories"),
        help_text=_(
            "The note is offered on these categories' products; on every "
            "product when none is chosen."
        ),
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_active = models.BooleanField(_("offered"), default=True)

    class Meta:
        verbose_name = _("kitchen note")
        verbose_name_plural = _("kitchen notes")
        ordering = ["store", "position", "id"]

    def __str__(self) -> str:
        return self.name

    def clean(self) -> None:
        if not (self.name_en or self.name_fr):
            raise ValidationError(_("Give the note a text in at least one language."))
