from __future__ import annotations

import pytest
from django.test import Client

from fawang.core.audit import audit_record
from fawang.core.models import AuditEntry
from fawang.core.outbox import outbox_dispatch_pending, outbox_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def national(django_user_model):
    return django_user_model.objects.create_user("nat", password="x", role="supervisor", real_name="国家督导")


def test_audit_api_requires_staff_and_permission(client: Client, national, django_user_model) -> None:
    assert client.get("/api/core/audit/").status_code == 401
    citizen = django_user_model.objects.create_user("cit", password="x", role="citizen")
    client.force_login(citizen)
    assert client.get("/api/core/audit/").status_code == 403
    adviser = django_user_model.objects.create_user("adv", password="x", role="village_adviser")
    client.force_login(adviser)
    assert client.get("/api/core/audit/").status_code == 403
    audit_record(actor=national, action="export", region_code="410105", detail="统计导出")
    client.force_login(national)
    body = client.get("/api/core/audit/").json()
    assert body["count"] >= 1
    assert any(item["detail"] == "统计导出" for item in body["items"])


def test_reveal_api_logs_the_read(client: Client, national) -> None:
    message = outbox_enqueue(channel="sms", recipient="13812345678", subject="", body="b",
                             idempotency_key="k", region_code="410105")
    client.force_login(national)
    payload = {"model": "core.outboxmessage", "id": str(message.pk), "field": "recipient", "purpose": "回访"}
    response = client.post("/api/core/pii/reveal", payload, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json() == {"value": "13812345678"}
    entry = AuditEntry.objects.get(action="read")
    assert entry.actor == national and entry.changes == {"fields": ["recipient"]}
    payload["id"] = "999999"
    assert client.post("/api/core/pii/reveal", payload, content_type="application/json").status_code == 404
    payload.update(model="accounts.user", id=str(national.pk), field="password")
    assert client.post("/api/core/pii/reveal", payload, content_type="application/json").status_code == 404


def test_site_messages_api(client: Client, django_user_model) -> None:
    citizen = django_user_model.objects.create_user("cit", password="x", role="citizen")
    other = django_user_model.objects.create_user("cit2", password="x", role="citizen")
    outbox_enqueue(channel="site", recipient="", user=citizen, subject="受理", body="已受理", idempotency_key="m1")
    outbox_enqueue(channel="site", recipient="", user=other, subject="别人的", body="x", idempotency_key="m2")
    outbox_dispatch_pending()
    client.force_login(citizen)
    items = client.get("/api/core/messages/").json()
    assert [m["subject"] for m in items] == ["受理"]
    assert client.post(f"/api/core/messages/{items[0]['id']}/read").json()["read_at"]
    other_id = other.site_messages.get().pk
    assert client.post(f"/api/core/messages/{other_id}/read").status_code == 404


def test_me(client: Client, national) -> None:
    assert client.get("/api/accounts/me").status_code == 401
    client.force_login(national)
    body = client.get("/api/accounts/me").json()
    assert body["role"] == "supervisor" and body["scope_code"] == ""
    assert body["supervision_level"] == "national" and "audit.view" in body["actions"]
