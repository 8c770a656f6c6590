"""The sandbox's GraphQL: each query parsed, validated and run with graphql-core.

Two schemas, written in SDL beside this module from RBI's public documents:
`sanity.graphql` (the content dataset) and `middleware.graphql` (the
eligibility lists). A query that asks for a field, a type or an argument
the schema does not have is refused with 400 and GraphQL's `errors`, as a
real GraphQL server does; a valid one is answered with exactly the fields
it selects (aliases included). Root fields are resolved by the emulator's
functions, which return plain documents carrying `__typename` where a
union must tell its members apart.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import Any

from graphql import (
    GraphQLError,
    GraphQLSchema,
    build_schema,
    execute_sync,
    parse,
    validate,
)

from sandboxes.core.web import SandboxRequest, SandboxResponse, json_response

SCHEMAS = Path(__file__).resolve().parent
SANITY_SCHEMA = "sanity.graphql"
MIDDLEWARE_SCHEMA = "middleware.graphql"


class RequestError(Exception):
    """A request the server cannot run: 400 with GraphQL's `errors` list."""

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
class RootField:
    name: str
    alias: str
    arguments: dict[str, object]


Resolver = Callable[[RootField], object]


@cache
def schema_load(name: str) -> GraphQLSchema:
    """One of the SDL files beside this module, built once."""
    return build_schema((SCHEMAS / name).read_text(encoding="utf-8"))


def query_errors(schema_name: str, query: str) -> list[str]:
    """Why `query` would be refused by this schema; empty when it is valid."""
    try:
        document = parse(query)
    except GraphQLError as error:
        return [error.message]
    return [error.message for error in validate(schema_load(schema_name), document)]


def graphql_serve(
    request: SandboxRequest, schema_name: str, resolvers: Mapping[str, Resolver]
) -> SandboxResponse:
    """Answer one GraphQL request against `schema_name` with these resolvers."""
    try:
        query, variables = _operation(request)
        document = parse(query)
    except RequestError as error:
        return _refusal([error.message])
    except GraphQLError as error:
        return _refusal([error.message])
    schema = schema_load(schema_name)
    problems = validate(schema, document)
    if problems:
        return _refusal([problem.message for problem in problems])
    result = execute_sync(
        schema,
        document,
        root_value={
            name: _root(name, resolver) for name, resolver in resolvers.items()
        },
        variable_values=variables,
    )
    payload: dict[str, object] = {"data": result.data}
    if result.errors:
        payload["errors"] = [error.formatted for error in result.errors]
        if result.data is None:
            # Variables that do not fit their types: nothing ran.
            return json_response(payload, 400)
    return json_response(payload)


def _root(name: str, resolver: Resolver) -> Callable[..., object]:
    def resolve(info: Any, **arguments: object) -> object:
        alias = info.path.key if info.path is not None else name
        try:
            return resolver(RootField(name, str(alias), arguments))
        except FieldError as error:
            raise GraphQLError(
                error.message, extensions={"code": error.code}
            ) from error

    return resolve


def _refusal(messages: list[str]) -> SandboxResponse:
    return json_response({"errors": [{"message": text} for text in messages]}, 400)


def _operation(request: SandboxRequest) -> tuple[str, dict[str, object]]:
    """`query` and `variables` from a JSON body, or from the URL on GET."""
    if request.method == "GET":
        query: object = request.query.get("query")
        try:
            variables: object = json.loads(request.query.get("variables") or "{}")
        except json.JSONDecodeError as error:
            raise RequestError("Variables must be a JSON object") from error
    else:
        try:
            body = json.loads(request.body or b"{}")
        except (UnicodeDecodeError, json.JSONDecodeError) as error:
            raise RequestError("The body must be valid JSON") from error
        if not isinstance(body, dict):
            raise RequestError("The body must be a JSON object")
        query, variables = body.get("query"), body.get("variables") or {}
    if not isinstance(query, str) or not query.strip():
        raise RequestError("Must provide query string")
    if not isinstance(variables, dict):
        raise RequestError("Variables must be a JSON object")
    return query, variables
