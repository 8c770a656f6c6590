"""Stripe's form encoding, read back: `a[b]=v` and `a[0]=v` become nested values."""

from __future__ import annotations

import re
from typing import Any
from urllib.parse import parse_qsl

_PART = re.compile(r"\[([^\[\]]*)\]")
MAX_DEPTH = 5


class FormError(ValueError):
    pass


def form_decode(pairs: list[tuple[str, str]]) -> dict[str, Any]:
    root: dict[str, Any] = {}
    for name, value in pairs:
        head, _, rest = name.partition("[")
        parts = [head, *_PART.findall("[" + rest)] if rest else [head]
        if len(parts) > MAX_DEPTH or not head:
            raise FormError(f"invalid parameter name {name!r}")
        node = root
        for part in parts[:-1]:
            child = node.setdefault(part, {})
            if not isinstance(child, dict):
                raise FormError(f"invalid parameter name {name!r}")
            node = child
        node[parts[-1]] = value
    decoded: dict[str, Any] = _lists(root)
    return decoded


def _lists(value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    converted = {key: _lists(item) for key, item in value.items()}
    if converted and all(key.isdigit() for key in converted):
        return [converted[key] for key in sorted(converted, key=int)]
    return converted


def body_decode(body: bytes) -> dict[str, Any]:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError as error:
        raise FormError("the body is not UTF-8") from error
    return form_decode(parse_qsl(text, keep_blank_values=True))
