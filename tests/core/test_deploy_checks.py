"""``fawang check --deploy``: the demo's settings are flagged, a configured deployment passes."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.core.management.base import SystemCheckError

from fawang.core import checks

CONFIGURED = {
    "SECRET_KEY": "x" * 60,
    "PII_KEYS": ["cHJvZHVjdGlvbi1rZXktb2YtMzItYnl0ZXMtISEhISE="],
    "PII_BLIND_INDEX_KEY": "cHJvZHVjdGlvbi1rZXktb2YtMzItYnl0ZXMtISEhISE=",
}


def _ids(messages) -> set[str]:
    return {m.id for m in messages}


def test_the_demo_keys_are_errors(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    settings.PII_KEYS = ["cHJvZHVjdGlvbi1rZXktb2YtMzItYnl0ZXMtISEhISE=", settings.DEMO_PII_KEY]
    settings.PII_BLIND_INDEX_KEY = ""
    assert _ids(checks.check_keys()) == {"fawang.E001", "fawang.E002", "fawang.W003"}
    for name, value in CONFIGURED.items():
        setattr(settings, name, value)
    assert checks.check_keys() == []


def test_notices_that_would_go_nowhere_and_wechat_by_half(settings):
    console = checks.CONSOLE_ADAPTER
    settings.FAWANG_NOTIFICATION_ADAPTERS = {"sms": console, "wechat": console, "site": "x"}
    settings.FAWANG_WECHAT_TOKEN, settings.FAWANG_WECHAT_APP_ID = "token", ""
    settings.FAWANG_WECHAT_APP_SECRET = "secret"
    assert _ids(checks.check_channels()) == {"fawang.W010", "fawang.E011", "fawang.W012"}

    settings.FAWANG_NOTIFICATION_ADAPTERS = {"sms": "gateway.Adapter", "site": "x",
                                             "wechat": "fawang.portal.wechat_push.WechatCustomerMessageAdapter"}
    settings.FAWANG_WECHAT_APP_ID, settings.FAWANG_PUBLIC_URL = "wx1", ""
    assert _ids(checks.check_channels()) == {"fawang.W013"}
    settings.FAWANG_PUBLIC_URL = "https://12348.example.gov.cn"
    assert checks.check_channels() == []


def test_a_per_process_cache_is_flagged(settings):
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.locmem.LocMemCache"}}
    assert _ids(checks.check_cache()) == {"fawang.W014"}
    settings.CACHES = {"default": {"BACKEND": "django.core.cache.backends.redis.RedisCache",
                                   "LOCATION": "redis://127.0.0.1:6379/1"}}
    assert checks.check_cache() == []


def test_check_deploy_stops_on_the_demo_keys(settings):
    settings.SECRET_KEY = settings.DEMO_SECRET_KEY
    with pytest.raises(SystemCheckError, match="fawang.E001"):
        call_command("check", "--deploy", "--fail-level", "ERROR")
