from __future__ import annotations

import datetime as dt

import pytest
from django.template import Context, Template
from django.test import RequestFactory

from fawang.core.outbox import outbox_enqueue
from fawang.core.templatetags.fawang_core import zh_duration

pytestmark = pytest.mark.django_db


def render(source: str, **context) -> str:
    return Template("{% load fawang_core %}" + source).render(Context(context))


def test_mask_filters() -> None:
    assert render("{{ v|mask_phone }}", v="13812345678") == "138****5678"
    assert render("{{ v|mask_id_number }}", v="410105199003071234") == "410105********1234"
    assert render("{{ v|mask_name }}", v="张三丰") == "张*丰"


def test_pii_tag_masks_and_offers_reveal_only_when_allowed(django_user_model) -> None:
    message = outbox_enqueue(channel="sms", recipient="13812345678", subject="", body="b", idempotency_key="k")
    request = RequestFactory().get("/")
    request.user = django_user_model.objects.create_user("clerk", password="x", role="window_clerk")
    html = render('{% pii obj "recipient" "phone" %}', obj=message, request=request)
    assert "138****5678" in html and "13812345678" not in html and "/api/core/pii/reveal" in html
    request.user = django_user_model.objects.create_user("adv", password="x", role="village_adviser")
    html = render('{% pii obj "recipient" "phone" %}', obj=message, request=request)
    assert "138****5678" in html and "/api/core/pii/reveal" not in html


def test_zh_duration() -> None:
    assert zh_duration(dt.timedelta(hours=1)) == "1小时"
    assert zh_duration(dt.timedelta(minutes=30)) == "30分钟"
    assert zh_duration(dt.timedelta(days=2)) == "2天"
