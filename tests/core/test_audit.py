from __future__ import annotations

import pytest
from django.db import models

from fawang.core import audit_context
from fawang.core.audit import audit_read_personal_data, audit_record, diff, reveal_personal_data, snapshot
from fawang.core.errors import DomainError, PermissionDenied
from fawang.core.models import AppendOnlyError, AuditEntry, OutboxMessage
from fawang.core.outbox import outbox_enqueue

pytestmark = pytest.mark.django_db


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user("clerk", password="x", role="window_clerk", real_name="李明")


@pytest.fixture
def message():
    return outbox_enqueue(channel="sms", recipient="13812345678", subject="s", body="b",
                          idempotency_key="k1", region_code="410105")


def test_record_uses_request_context(clerk, message) -> None:
    token = audit_context.set_request_context(user=clerk, ip_address="10.1.2.3", path="/admin/x/")
    try:
        entry = audit_record(actor=None, action="update", obj=message, changes={"status": ["a", "b"]})
    finally:
        audit_context.reset(token)
    assert entry.actor == clerk and entry.actor_name == "李明"
    assert entry.ip_address == "10.1.2.3" and entry.path == "/admin/x/"
    assert entry.object_type == "core.outboxmessage" and entry.object_id == str(message.pk)
    assert entry.region_code == "410105"
    with pytest.raises(ValueError):
        audit_record(actor=clerk, action="teleport")


def test_append_only(clerk) -> None:
    entry = audit_record(actor=clerk, action="login")
    entry.detail = "tampered"
    with pytest.raises(AppendOnlyError):
        entry.save()
    with pytest.raises(AppendOnlyError):
        entry.delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.all().delete()
    with pytest.raises(AppendOnlyError):
        AuditEntry.objects.update(detail="x")
    assert AuditEntry.objects.get().detail == ""


def test_actor_snapshot_survives_user_deletion(clerk) -> None:
    entry = audit_record(actor=clerk, action="login")
    assert entry.actor_name == "李明"
    # Removing the user keeps the entry (SET_NULL) with the name snapshot above.
    assert AuditEntry._meta.get_field("actor").remote_field.on_delete is models.SET_NULL


def test_diff_hides_encrypted_values(message) -> None:
    before = snapshot(message)
    message.recipient = "13900000000"
    message.subject = "新标题"
    changes = diff(message, before)
    assert changes["subject"] == ["s", "新标题"]
    assert changes["recipient"] == ["[已加密]", "[已加密]"]
    assert "13900000000" not in str(changes)


def test_personal_data_reads_are_logged(clerk, message) -> None:
    audit_read_personal_data(actor=clerk, obj=message, fields=["recipient"], purpose="回访")
    entry = AuditEntry.objects.get(action="read")
    assert entry.changes == {"fields": ["recipient"]} and entry.detail == "回访"


def test_reveal_checks_permission_and_logs(clerk, message, django_user_model) -> None:
    assert reveal_personal_data(actor=clerk, obj=message, field="recipient") == "13812345678"
    assert AuditEntry.objects.filter(action="read", actor=clerk).count() == 1
    with pytest.raises(DomainError):
        reveal_personal_data(actor=clerk, obj=message, field="subject")  # not personal data
    adviser = django_user_model.objects.create_user("adv", password="x", role="village_adviser")
    with pytest.raises(PermissionDenied):
        reveal_personal_data(actor=adviser, obj=OutboxMessage.objects.get(), field="recipient")
    assert AuditEntry.objects.filter(action="read").count() == 1
