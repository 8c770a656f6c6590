from __future__ import annotations

import re
from pathlib import Path

import pytest
from babel.messages.catalog import Catalog, Message
from babel.messages.pofile import read_po
from django.conf import settings
from django.core.management import call_command
from django.utils import translation
from django.utils.translation import trans_real

PLACEHOLDER = re.compile(r"%\(\w+\)[sd]")


def _po_path() -> Path:
    return Path(settings.LOCALE_PATHS[0]) / "fr" / "LC_MESSAGES" / "django.po"


def _forms(value: str | tuple[str, ...] | list[str] | None) -> tuple[str, ...]:
    if value is None:
        return ()
    if isinstance(value, str):
        return (value,)
    return tuple(value)


def _label(message: Message) -> str:
    return _forms(message.id)[0]


@pytest.fixture(scope="module")
def catalog() -> Catalog:
    with _po_path().open("rb") as po_file:
        return read_po(po_file, abort_invalid=True)


@pytest.fixture(scope="module")
def messages(catalog: Catalog) -> list[Message]:
    return [message for message in catalog if message.id]


@pytest.fixture(scope="module")
def compiled() -> None:
    call_command("compile_translations")


def test_the_french_catalogue_is_not_empty(messages):
    assert len(messages) > 300


def test_the_header_is_french_and_filled_in(catalog):
    assert str(catalog.locale) == "fr"
    assert catalog.plural_forms == "nplurals=2; plural=(n > 1);"
    header = dict(catalog.mime_headers)
    # Babel splits this header into project and version, so it comes back as
    # " open-kiosk" when no version is given.
    assert header["Project-Id-Version"].strip() == "open-kiosk"
    assert "charset=utf-8" in header["Content-Type"].lower()
    assert not catalog.fuzzy
    for placeholder in ("FULL NAME", "EMAIL@ADDRESS", "PACKAGE", "YEAR"):
        assert all(placeholder not in value for _name, value in catalog.mime_headers)


def test_every_message_is_translated(messages):
    untranslated = [
        _label(message)
        for message in messages
        if not _forms(message.string) or not all(_forms(message.string))
    ]

    assert untranslated == []


def test_plural_messages_have_both_french_forms(messages):
    plurals = [message for message in messages if message.pluralizable]

    assert plurals
    assert [_label(m) for m in plurals if len(_forms(m.string)) != 2] == []


def test_no_message_is_fuzzy(messages):
    assert [_label(message) for message in messages if message.fuzzy] == []


def test_translations_keep_the_placeholders_of_the_source(messages):
    mismatched = []
    for message in messages:
        expected = {
            name for text in _forms(message.id) for name in PLACEHOLDER.findall(text)
        }
        for text in _forms(message.string):
            if set(PLACEHOLDER.findall(text)) != expected:
                mismatched.append((_label(message), text))

    assert mismatched == []


@pytest.mark.parametrize(
    ("source", "french"),
    [
        ("Touch to start your order", "Touchez pour commencer votre commande"),
        ("Your order is empty.", "Votre commande est vide."),
        ("Eat in", "Sur place"),
        ("Take away", "À emporter"),
        ("Thank you! Your order number is", "Merci ! Votre numéro de commande est"),
        ("Pay at the counter", "Payer au comptoir"),
        ("Cancel order", "Annuler la commande"),
        ("I'm still here", "Je suis toujours là"),
        ("Are you still there?", "Êtes-vous toujours là ?"),
    ],
)
def test_key_kiosk_texts_are_translated_as_agreed(catalog, source, french):
    assert catalog[source].string == french


@pytest.mark.usefixtures("compiled")
def test_django_serves_the_compiled_french_catalogue():
    trans_real._translations.clear()  # type: ignore[attr-defined]

    with translation.override("fr"):
        assert translation.gettext("Your order is empty.") == "Votre commande est vide."
        assert (
            translation.ngettext("%(counter)s item", "%(counter)s items", 2)
            % {"counter": 2}
            == "2 articles"
        )
