"""The one reading rule for on/off flags (``fawang.env.env_bool``)."""

from __future__ import annotations

import pytest

from fawang.env import env_bool


@pytest.mark.parametrize("value", ["1", "true", "TRUE", " yes ", "On"])
def test_on_words_turn_a_flag_on_whatever_its_default(monkeypatch, value):
    monkeypatch.setenv("FAWANG_SOME_FLAG", value)
    assert env_bool("FAWANG_SOME_FLAG", False) is True


@pytest.mark.parametrize("value", ["0", "false", "No", " off "])
def test_off_words_turn_a_flag_off_whatever_its_default(monkeypatch, value):
    monkeypatch.setenv("FAWANG_SOME_FLAG", value)
    assert env_bool("FAWANG_SOME_FLAG", True) is False


@pytest.mark.parametrize("default", [True, False])
def test_unset_empty_or_mistyped_keeps_the_default(monkeypatch, default):
    """A typo must not switch a safety feature such as the login lockout off."""
    monkeypatch.delenv("FAWANG_SOME_FLAG", raising=False)
    assert env_bool("FAWANG_SOME_FLAG", default) is default
    for value in ("", "  ", "ture", "disabled"):
        monkeypatch.setenv("FAWANG_SOME_FLAG", value)
        assert env_bool("FAWANG_SOME_FLAG", default) is default
