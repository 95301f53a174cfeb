from __future__ import annotations

import io

import pytest
from django.core.management import call_command
from django.db import connection
from django.test import override_settings

from fawang.core import pii
from fawang.core.models import OutboxMessage
from fawang.core.outbox import outbox_enqueue

pytestmark = pytest.mark.django_db

OLD = "ZmF3YW5nLWRlbW8tcGlpLWtleS0zMi1ieXRlcy0hISE="
NEW = pii.generate_key()


def raw_recipient(pk: int) -> str:
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM core_outboxmessage WHERE id = %s", [pk])
        return cursor.fetchone()[0]


def test_rotate_pii_keys_command() -> None:
    with override_settings(PII_KEYS=[OLD]):
        ids = [outbox_enqueue(channel="sms", recipient=f"1381234567{i}", subject="", body="b",
                              idempotency_key=f"r{i}").pk for i in range(3)]
        before = [raw_recipient(pk) for pk in ids]
    with override_settings(PII_KEYS=[NEW, OLD]):
        out = io.StringIO()
        call_command("rotate_pii_keys", "--batch-size", "2", stdout=out)
        assert "core.OutboxMessage: 3" in out.getvalue()
        after = [raw_recipient(pk) for pk in ids]
        assert all(a != b for a, b in zip(after, before, strict=True))
    with override_settings(PII_KEYS=[NEW]):  # the old key can now be dropped
        assert sorted(m.recipient for m in OutboxMessage.objects.all()) == [
            "13812345670", "13812345671", "13812345672"]
