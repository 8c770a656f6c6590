"""Just enough GraphQL for the sandbox (`rbi.md` §12.4): no engine, no schema.

The query is read for its root fields, their aliases and arguments (from
`variables`, or written inline); every root field is answered with the whole
seed object, whatever the selection set asks. Locale aliases such as
`name: frRaw` are honoured by copying the locale field under the alias in
every locale object. A root field the sandbox does not serve is a 400.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from sandboxes.core.web import SandboxRequest, SandboxResponse, json_response

LOCALE_FIELDS = ("en", "fr", "enRaw", "frRaw")
LOCALE_TYPES = ("LocaleString", "LocaleBlockContent", "LocaleImage")
RAW_LOCALE_PATTERN = re.compile(r"[a-z]{2}Raw")

TOKEN_PATTERN = re.compile(
    r"""
      (?P<ignored>[\s,\ufeff]+|\#[^\n\r]*)
    | (?P<block>\"\"\"(?:[^"\\]|\\.|"(?!""))*\"\"\")
    | (?P<string>"(?:[^"\\\n]|\\.)*")
    | (?P<spread>\.\.\.)
    | (?P<variable>\$[_A-Za-z][_0-9A-Za-z]*)
    | (?P<number>-?\d+(?:\.\d+)?(?:[eE][+-]?\d+)?)
    | (?P<name>[_A-Za-z][_0-9A-Za-z]*)
    | (?P<punctuator>[!{}()\[\]:=@|&])
    """,
    re.VERBOSE,
)
LITERALS: dict[str, object] = {"true": True, "false": False, "null": None}


class GraphQLError(Exception):
    """A query the sandbox cannot answer: 400 with GraphQL's `errors` list."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class FieldError(Exception):
    """A root field that resolves to null, with an error beside the data."""

    def __init__(self, message: str, code: str) -> None:
        super().__init__(message)
        self.message = message
        self.code = code


@dataclass(frozen=True)
class Token:
    kind: str
    text: str


@dataclass(frozen=True)
class RootField:
    name: str
    alias: str
    arguments: dict[str, object]


Resolver = Callable[[RootField], object]


def graphql_serve(
    request: SandboxRequest, resolvers: Mapping[str, Resolver]
) -> SandboxResponse:
    """Answer one GraphQL request with these root-field resolvers."""
    try:
        query, variables = _operation(request)
        tokens = tokenize(query)
        fields = QueryReader(tokens, variables).root_fields()
        aliases = locale_aliases(tokens)
        for root in fields:
            if root.name not in resolvers:
                raise GraphQLError(f"Unsupported query in sandbox: {root.name}")
    except GraphQLError as error:
        return json_response({"errors": [{"message": error.message}]}, 400)
    data: dict[str, object] = {}
    errors: list[dict[str, object]] = []
    for root in fields:
        try:
            data[root.alias] = aliases_apply(resolvers[root.name](root), aliases)
        except FieldError as error:
            data[root.alias] = None
            errors.append(
                {
                    "message": error.message,
                    "path": [root.alias],
                    "extensions": {"code": error.code},
                }
            )
    payload: dict[str, object] = {"data": data}
    if errors:
        payload["errors"] = errors
    return json_response(payload)


def _operation(request: SandboxRequest) -> tuple[str, dict[str, object]]:
    """`query` and `variables` from a JSON body, or from the URL on GET."""
    if request.method == "GET":
        query: object = request.query.get("query")
        try:
            variables: object = json.loads(request.query.get("variables") or "{}")
        except json.JSONDecodeError as error:
            raise GraphQLError("Variables must be a JSON object") from error
    else:
        try:
            body = json.loads(request.body or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise GraphQLError("The body must be valid JSON") from error
        if not isinstance(body, dict):
            raise GraphQLError("The body must be a JSON object")
        query, variables = body.get("query"), body.get("variables") or {}
    if not isinstance(query, str) or not query.strip():
        raise GraphQLError("Must provide query string")
    if not isinstance(variables, dict):
        raise GraphQLError("Variables must be a JSON object")
    return query, variables


def tokenize(query: str) -> list[Token]:
    tokens = []
    position = 0
    while position < len(query):
        match = TOKEN_PATTERN.match(query, position)
        if match is None or match.lastgroup is None:
            raise GraphQLError(f"Syntax error at character {position}")
        position = match.end()
        if match.lastgroup != "ignored":
            tokens.append(Token(match.lastgroup, match.group()))
    return tokens


def locale_aliases(tokens: list[Token]) -> dict[str, str]:
    """`alias: frRaw` selections, outside arguments: alias → locale field."""
    aliases = {}
    depth = 0
    for index, token in enumerate(tokens):
        if token.kind == "punctuator" and token.text in ("(", ")"):
            depth += 1 if token.text == "(" else -1
            continue
        if depth or token.kind != "name":
            continue
        if RAW_LOCALE_PATTERN.fullmatch(token.text) and token.text not in LOCALE_FIELDS:
            raise GraphQLError(f"Unsupported query in sandbox: {token.text}")
        following = tokens[index + 1 : index + 3]
        if (
            len(following) == 2
            and following[0].text == ":"
            and following[1].text in LOCALE_FIELDS
        ):
            aliases[token.text] = following[1].text
    return aliases


def aliases_apply(value: object, aliases: Mapping[str, str]) -> object:
    """Copy each aliased locale field under its alias, in every locale object."""
    if not aliases:
        return value
    if isinstance(value, list):
        return [aliases_apply(item, aliases) for item in value]
    if not isinstance(value, dict):
        return value
    result = {key: aliases_apply(item, aliases) for key, item in value.items()}
    if value.get("__typename") in LOCALE_TYPES:
        for alias, locale in aliases.items():
            result[alias] = value.get(locale)
    return result


class QueryReader:
    """Reads the root fields of the first operation; deeper levels are skipped."""

    def __init__(self, tokens: list[Token], variables: Mapping[str, object]) -> None:
        self.tokens = tokens
        self.variables = variables
        self.index = 0

    def root_fields(self) -> list[RootField]:
        self._operation_start()
        fields = []
        while not self._next_is("}"):
            token = self._take()
            if token.kind != "name":
                raise GraphQLError(f"Unsupported query in sandbox: {token.text}")
            alias = name = token.text
            if self._next_is(":"):
                self._take()
                name = self._take_name()
            arguments = self._arguments() if self._next_is("(") else {}
            while self._next_is("@"):
                self._take()
                self._take_name()
                if self._next_is("("):
                    self._arguments()
            if self._next_is("{"):
                self._block_skip()
            fields.append(RootField(name, alias, arguments))
        return fields

    def _operation_start(self) -> None:
        """Skip `query Name($variable: Type)` up to the selection set."""
        depth = 0
        while True:
            token = self._take()
            if token.text == "(":
                depth += 1
            elif token.text == ")":
                depth -= 1
            elif token.text == "{" and depth == 0:
                return

    def _arguments(self) -> dict[str, object]:
        self._take()  # (
        arguments = {}
        while not self._next_is(")"):
            name = self._take_name()
            self._expect(":")
            arguments[name] = self._value()
        self._take()
        return arguments

    def _value(self) -> object:
        token = self._take()
        if token.kind == "variable":
            return self.variables.get(token.text[1:])
        if token.kind == "string":
            return json.loads(token.text)
        if token.kind == "block":
            return token.text[3:-3]
        if token.kind == "number":
            return json.loads(token.text)
        if token.kind == "name":
            return LITERALS.get(token.text, token.text)
        if token.text == "[":
            return self._list_value()
        if token.text == "{":
            return self._object_value()
        raise GraphQLError(f"Syntax error: unexpected {token.text}")

    def _list_value(self) -> list[object]:
        items = []
        while not self._next_is("]"):
            items.append(self._value())
        self._take()
        return items

    def _object_value(self) -> dict[str, object]:
        fields = {}
        while not self._next_is("}"):
            name = self._take_name()
            self._expect(":")
            fields[name] = self._value()
        self._take()
        return fields

    def _block_skip(self) -> None:
        depth = 0
        while True:
            token = self._take()
            if token.text == "{":
                depth += 1
            elif token.text == "}":
                depth -= 1
                if depth == 0:
                    return

    def _next_is(self, text: str) -> bool:
        if self.index >= len(self.tokens):
            raise GraphQLError("Syntax error: unexpected end of query")
        token = self.tokens[self.index]
        return token.kind == "punctuator" and token.text == text

    def _take(self) -> Token:
        if self.index >= len(self.tokens):
            raise GraphQLError("Syntax error: unexpected end of query")
        token = self.tokens[self.index]
        self.index += 1
        return token

    def _take_name(self) -> str:
        token = self._take()
        if token.kind != "name":
            raise GraphQLError(f"Syntax error: expected a name, found {token.text}")
        return token.text

    def _expect(self, text: str) -> None:
        token = self._take()
        if token.text != text:
            raise GraphQLError(f"Syntax error: expected {text}, found {token.text}")
