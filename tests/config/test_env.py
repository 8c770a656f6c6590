from __future__ import annotations

import stat

import pytest
from django.core.exceptions import ImproperlyConfigured

from config.env import (
    env_bool,
    env_float,
    env_int,
    env_list,
    env_secret,
    env_str,
    local_secret_key,
)


@pytest.mark.parametrize("raw", ["1", "true", "YES", " on "])
def test_env_bool_reads_true(monkeypatch, raw):
    monkeypatch.setenv("KIOSK_TEST_FLAG", raw)

    assert env_bool("KIOSK_TEST_FLAG", False) is True


@pytest.mark.parametrize("raw", ["0", "false", "No", "off", ""])
def test_env_bool_reads_false(monkeypatch, raw):
    monkeypatch.setenv("KIOSK_TEST_FLAG", raw)

    assert env_bool("KIOSK_TEST_FLAG", True) is False


def test_env_bool_without_the_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("KIOSK_TEST_FLAG", raising=False)

    assert env_bool("KIOSK_TEST_FLAG", True) is True


@pytest.mark.parametrize("raw", ["maybe", "2", "enabled"])
def test_env_bool_rejects_a_malformed_value_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("KIOSK_TEST_FLAG", raw)

    with pytest.raises(ImproperlyConfigured) as caught:
        env_bool("KIOSK_TEST_FLAG")

    assert str(caught.value) == (
        f"KIOSK_TEST_FLAG must be a boolean (1/0, true/false), not {raw!r}"
    )


def test_env_int_reads_an_integer(monkeypatch):
    monkeypatch.setenv("KIOSK_TEST_NUMBER", "42")

    assert env_int("KIOSK_TEST_NUMBER", 7) == 42


def test_env_int_without_the_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("KIOSK_TEST_NUMBER", raising=False)

    assert env_int("KIOSK_TEST_NUMBER", 7) == 7


@pytest.mark.parametrize("raw", ["ten", "1.5", ""])
def test_env_int_rejects_a_malformed_value_naming_the_variable(monkeypatch, raw):
    monkeypatch.setenv("KIOSK_TEST_NUMBER", raw)

    with pytest.raises(ImproperlyConfigured) as caught:
        env_int("KIOSK_TEST_NUMBER", 7)

    assert str(caught.value) == f"KIOSK_TEST_NUMBER must be an integer, not {raw!r}"


def test_env_int_rejects_a_value_below_the_minimum(monkeypatch):
    monkeypatch.setenv("KIOSK_TEST_NUMBER", "4")

    with pytest.raises(ImproperlyConfigured) as caught:
        env_int("KIOSK_TEST_NUMBER", 90, minimum=5)

    assert str(caught.value) == "KIOSK_TEST_NUMBER must be at least 5, not 4"


def test_env_float_rejects_a_malformed_value_naming_the_variable(monkeypatch):
    monkeypatch.setenv("KIOSK_TEST_SECONDS", "soon")

    with pytest.raises(ImproperlyConfigured) as caught:
        env_float("KIOSK_TEST_SECONDS", 1.0)

    assert str(caught.value) == "KIOSK_TEST_SECONDS must be a number, not 'soon'"


def test_env_float_reads_a_number(monkeypatch):
    monkeypatch.setenv("KIOSK_TEST_SECONDS", "2.5")

    assert env_float("KIOSK_TEST_SECONDS", 1.0) == 2.5


def test_env_list_splits_on_commas_and_drops_blanks(monkeypatch):
    monkeypatch.setenv("KIOSK_TEST_HOSTS", " kiosk.local, ,10.0.0.5 ,")

    assert env_list("KIOSK_TEST_HOSTS", ["default"]) == ["kiosk.local", "10.0.0.5"]


def test_env_str_without_the_variable_gives_the_default(monkeypatch):
    monkeypatch.delenv("KIOSK_TEST_TEXT", raising=False)

    assert env_str("KIOSK_TEST_TEXT", "fallback") == "fallback"


def test_env_secret_reads_the_file_named_by_name_file(monkeypatch, tmp_path):
    secret = tmp_path / "secret"
    secret.write_text("s3cr3t\n", encoding="utf-8")
    monkeypatch.setenv("KIOSK_TEST_SECRET_FILE", str(secret))
    monkeypatch.setenv("KIOSK_TEST_SECRET", "from-the-environment")

    assert env_secret("KIOSK_TEST_SECRET") == "s3cr3t"


def test_env_secret_reads_the_variable_without_a_file(monkeypatch):
    monkeypatch.delenv("KIOSK_TEST_SECRET_FILE", raising=False)
    monkeypatch.setenv("KIOSK_TEST_SECRET", "from-the-environment")

    assert env_secret("KIOSK_TEST_SECRET") == "from-the-environment"


def test_env_secret_without_either_gives_the_default(monkeypatch):
    monkeypatch.delenv("KIOSK_TEST_SECRET_FILE", raising=False)
    monkeypatch.delenv("KIOSK_TEST_SECRET", raising=False)

    assert env_secret("KIOSK_TEST_SECRET", "dev") == "dev"


def test_local_secret_key_is_created_private_and_then_reused(tmp_path):
    data_dir = tmp_path / "data"

    first = local_secret_key(data_dir)
    second = local_secret_key(data_dir)

    path = data_dir / "secret_key"
    assert second == first
    assert path.read_text(encoding="utf-8") == first
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
