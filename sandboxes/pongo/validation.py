"""Field validation with Pongo's 422 body: every field error at once.

Messages follow the wording of the contract's examples ("The phone field is
required."), so the client's error mapping sees what the real API sends.
"""

from __future__ import annotations

import re
from collections.abc import Collection, Mapping
from datetime import date, datetime

from sandboxes.core.web import ApiError

# International, digits only, no "+", no national leading 0.
PHONE_PATTERN = re.compile(r"[1-9][0-9]{7,14}")
EMAIL_PATTERN = re.compile(r"[^@\s]+@[^@\s]+\.[^@\s]+")
PIN_PATTERN = re.compile(r"[0-9]{4}")


def phone_is_valid(value: str) -> bool:
    return PHONE_PATTERN.fullmatch(value) is not None


def _label(field: str) -> str:
    return field.replace("_", " ")


class Validator:
    def __init__(self, data: Mapping[str, object], prefix: str = "") -> None:
        self.data = data
        self.prefix = prefix
        self.errors: dict[str, list[str]] = {}

    def error(self, field: str, message: str) -> None:
        self.errors.setdefault(self.prefix + field, []).append(message)

    def is_present(self, field: str) -> bool:
        return self.data.get(field) is not None

    def raise_if_invalid(self) -> None:
        if self.errors:
            raise ApiError.validation(self.errors)

    def _value(self, field: str, *, is_required: bool) -> object:
        value = self.data.get(field)
        if is_required and (value is None or value == "" or value == []):
            self.error(field, f"The {_label(field)} field is required.")
        return value

    def string(
        self, field: str, *, is_required: bool = False, max_length: int = 255
    ) -> str | None:
        value = self._value(field, is_required=is_required)
        if value is None or (is_required and value == ""):
            return None
        if not isinstance(value, str):
            self.error(field, f"The {_label(field)} must be a string.")
            return None
        if len(value) > max_length:
            self.error(
                field,
                f"The {_label(field)} may not be greater than {max_length} characters.",
            )
            return None
        return value

    def integer(
        self, field: str, *, is_required: bool = False, minimum: int | None = None
    ) -> int | None:
        value = self._value(field, is_required=is_required)
        if value is None:
            return None
        if isinstance(value, bool) or not isinstance(value, int):
            self.error(field, f"The {_label(field)} must be an integer.")
            return None
        if minimum is not None and value < minimum:
            self.error(field, f"The {_label(field)} must be at least {minimum}.")
            return None
        return value

    def boolean(self, field: str) -> bool | None:
        value = self.data.get(field)
        if value is None:
            return None
        if not isinstance(value, bool):
            self.error(field, f"The {_label(field)} field must be true or false.")
            return None
        return value

    def choice(
        self, field: str, choices: Collection[str], *, is_required: bool = False
    ) -> str | None:
        value = self.string(field, is_required=is_required)
        if value is not None and value not in choices:
            self.error(field, f"The selected {_label(field)} is invalid.")
            return None
        return value

    def phone(self, field: str, *, is_required: bool = False) -> str | None:
        value = self.string(field, is_required=is_required)
        if value is not None and not phone_is_valid(value):
            self.error(field, f"The {_label(field)} format is invalid.")
            return None
        return value

    def email(self, field: str) -> str | None:
        value = self.string(field)
        if value is not None and EMAIL_PATTERN.fullmatch(value) is None:
            self.error(field, f"The {_label(field)} must be a valid email address.")
            return None
        return value

    def pin(self, field: str) -> str | None:
        value = self.string(field)
        if value is not None and PIN_PATTERN.fullmatch(value) is None:
            self.error(field, f"The {_label(field)} must be 4 digits.")
            return None
        return value

    def date_before(self, field: str, today: date) -> str | None:
        value = self.string(field)
        if value is None:
            return None
        try:
            day = date.fromisoformat(value)
        except ValueError:
            day = None
        if day is None or len(value) != 10:
            self.error(field, f"The {_label(field)} does not match the format Y-m-d.")
            return None
        if day >= today:
            self.error(field, f"The {_label(field)} must be a date before today.")
            return None
        return value

    def moment(self, field: str, *, is_required: bool = False) -> str | None:
        """An ISO 8601 datetime with its offset."""
        value = self.string(field, is_required=is_required)
        if value is None:
            return None
        try:
            has_offset = datetime.fromisoformat(value).tzinfo is not None
        except ValueError:
            has_offset = False
        if not has_offset:
            self.error(
                field, f"The {_label(field)} must be an ISO 8601 date with its offset."
            )
            return None
        return value

    def string_list(self, field: str) -> list[str] | None:
        value = self.data.get(field)
        if value is None:
            return None
        if not isinstance(value, list) or not all(
            isinstance(item, str) and item for item in value
        ):
            self.error(field, f"The {_label(field)} must be a list of strings.")
            return None
        return [str(item) for item in value]

    def objects(
        self, field: str, *, is_required: bool = False
    ) -> list[dict[str, object]] | None:
        value = self._value(field, is_required=is_required)
        if value is None or value == []:
            return None
        if not isinstance(value, list) or not all(
            isinstance(item, dict) for item in value
        ):
            self.error(field, f"The {_label(field)} must be a list of objects.")
            return None
        return [dict(item) for item in value]

    def mapping(self, field: str) -> dict[str, object] | None:
        value = self.data.get(field)
        if value is None:
            return None
        if not isinstance(value, dict):
            self.error(field, f"The {_label(field)} must be an object.")
            return None
        return dict(value)

    def nested(self, data: Mapping[str, object], prefix: str) -> Validator:
        """A validator for a nested object whose errors land in this one."""
        child = Validator(data, self.prefix + prefix)
        child.errors = self.errors
        return child
