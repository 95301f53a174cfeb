"""Rate limits on public writes: per client address, staff exempt, clear 429 answers that keep input."""

from __future__ import annotations

import pytest
from django.test import RequestFactory

from fawang.core.throttle import Throttled, client_address, throttle_check, throttle_hit
from fawang.env import env_rate

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(("value", "expected"), [
    ("60/600", (60, 600)), (" 5 / 60 ", (5, 60)), ("0", (0, 0)), ("off", (0, 0)),
    ("", None), ("60", None), ("60/0", None), ("many/600", None),
])
def test_limits_are_read_from_the_environment(monkeypatch, value, expected):
    monkeypatch.setenv("FAWANG_THROTTLE_X", value)
    assert env_rate("FAWANG_THROTTLE_X") == expected


def test_the_client_is_the_address_the_trusted_proxy_saw(settings):
    request = RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    settings.FAWANG_TRUSTED_PROXIES = 0
    assert client_address(request) == "10.0.0.2"  # no proxy: whatever X-Forwarded-For says is ignored
    settings.FAWANG_TRUSTED_PROXIES = 1
    assert client_address(request) == "203.0.113.7"  # not the 6.6.6.6 the client wrote itself
    settings.FAWANG_TRUSTED_PROXIES = 3  # fewer hops than proxies: fall back to the socket address
    assert client_address(request) == "10.0.0.2"


def test_a_client_past_its_limit_waits_for_the_next_window(settings):
    settings.FAWANG_THROTTLE = {"consult": (3, 60)}
    for _ in range(3):
        throttle_hit("consult", "198.51.100.1", now=1000.0)
    with pytest.raises(Throttled) as caught:
        throttle_hit("consult", "198.51.100.1", now=1010.0)
    assert caught.value.status_code == 429 and "12348" in caught.value.message
    throttle_hit("consult", "198.51.100.2", now=1010.0)  # another client is not affected
    throttle_hit("consult", "198.51.100.1", now=1080.0)  # next window
    settings.FAWANG_THROTTLE = {"consult": (0, 0)}
    for _ in range(10):
        throttle_hit("consult", "198.51.100.1", now=1080.0)  # 0 = no limit


def test_staff_are_never_limited(settings):
    from consultation.conftest import staff

    settings.FAWANG_THROTTLE = {"consult": (1, 600)}
    request = RequestFactory().post("/", REMOTE_ADDR="192.0.2.9")
    request.user = staff()
    for _ in range(5):
        throttle_check(request, "consult")


def test_consultations_and_call_backs_answer_429_past_the_limit(client, settings):
    from consultation.conftest import make_laws
    from fawang.consultation.models import CallbackRequest, SmartConsultation

    make_laws()
    settings.FAWANG_THROTTLE = {"consult": (2, 600), "callback": (1, 3600)}
    for _ in range(2):
        assert client.post("/api/consultation/ask", {"question": "老板拖欠工资怎么办"},
                           content_type="application/json").status_code == 201
    refused = client.post("/api/consultation/ask", {"question": "老板拖欠工资怎么办"}, content_type="application/json")
    assert refused.status_code == 429 and refused.json()["code"] == "throttled"
    page = client.post("/consult/ask/", {"question": "第三个问题：离婚后孩子归谁"})
    assert page.status_code == 429
    text = page.content.decode()
    assert "操作过于频繁" in text and "第三个问题：离婚后孩子归谁" in text, "the question stays in the form"
    assert SmartConsultation.objects.count() == 2

    body = {"name": "张三", "phone": "13800138000"}
    assert client.post("/api/consultation/callbacks", body, content_type="application/json").status_code == 201
    assert client.post("/api/consultation/callbacks", body, content_type="application/json").status_code == 429
    assert client.post("/consult/callback/", body).status_code == 429
    assert CallbackRequest.objects.count() == 1


def test_the_audit_trail_records_the_same_trusted_address(client, settings, monkeypatch):
    from fawang.core import audit_context

    seen = {}
    real = audit_context.set_request_context
    monkeypatch.setattr(audit_context, "set_request_context", lambda **kw: seen.update(kw) or real(**kw))
    settings.FAWANG_TRUSTED_PROXIES = 1
    client.get("/healthz", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR="6.6.6.6, 203.0.113.7")
    assert seen["ip_address"] == "203.0.113.7"
