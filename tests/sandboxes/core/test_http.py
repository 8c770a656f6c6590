"""The JSON control endpoint of the virtual devices, over a real socket."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import requests

from sandboxes.core.control import ControlError, control_request
from sandboxes.core.http import ControlServer


def _echo(body: dict[str, object]) -> dict[str, object]:
    return {"received": body}


def _refuse(body: dict[str, object]) -> object:
    return {"code": body["code"]}


@pytest.fixture
def control() -> Iterator[ControlServer]:
    server = ControlServer(
        0,
        {
            ("GET", "/state"): lambda body: {"is_ready": True},
            ("POST", "/echo"): _echo,
            ("POST", "/needs-code"): _refuse,
        },
    )
    server.start()
    yield server
    server.stop()


def _post(control: ControlServer, path: str, data: bytes) -> requests.Response:
    with requests.Session() as session:
        session.trust_env = False
        return session.post(
            f"http://127.0.0.1:{control.port}{path}", data=data, timeout=5
        )


def test_a_route_answers_json(control):
    assert control_request(control.port, "GET", "/state") == {"is_ready": True}


def test_the_json_body_reaches_the_route(control):
    answer = control_request(control.port, "POST", "/echo", {"code": "3017620422003"})

    assert answer == {"received": {"code": "3017620422003"}}


def test_an_empty_body_is_an_empty_object(control):
    assert control_request(control.port, "POST", "/echo") == {"received": {}}


def test_an_unknown_route_is_404(control):
    response = _post(control, "/nothing-here", b"{}")

    assert (response.status_code, response.json()) == (
        404,
        {"error": "no such endpoint"},
    )


def test_a_known_path_with_another_method_is_404(control):
    response = _post(control, "/state", b"{}")

    assert (response.status_code, response.json()) == (
        404,
        {"error": "no such endpoint"},
    )


def test_a_body_the_route_cannot_use_is_400(control):
    response = _post(control, "/needs-code", b"{}")

    assert (response.status_code, response.json()) == (400, {"error": "'code'"})


def test_a_body_that_is_not_a_json_object_is_400(control):
    not_json, not_an_object = (
        _post(control, "/echo", b"{"),
        _post(control, "/echo", b"[1, 2]"),
    )

    assert (not_json.status_code, not_an_object.status_code) == (400, 400)
    assert not_an_object.json() == {"error": "expected a JSON object"}


def test_an_error_status_is_a_control_error(control):
    with pytest.raises(ControlError, match="404"):
        control_request(control.port, "GET", "/nothing-here")


def test_a_control_endpoint_that_is_not_there_is_a_control_error(control):
    port = control.port
    control.stop()

    with pytest.raises(ControlError, match=f"control endpoint on port {port}"):
        control_request(port, "GET", "/state")
