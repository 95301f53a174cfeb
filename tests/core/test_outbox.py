from __future__ import annotations

import datetime as dt

import pytest
from django.db import connection, transaction
from django.test import override_settings
from django.utils import timezone

from fawang.core.errors import DomainError
from fawang.core.models import OutboxMessage, OutboxStatus, SiteMessage
from fawang.core.notifications import NotificationAdapter, NotificationHeld
from fawang.core.outbox import (
    MAX_ATTEMPTS,
    backoff,
    outbox_dispatch_pending,
    outbox_enqueue,
    outbox_message_held,
    outbox_release,
)
from fawang.core.pii import pii_blind_index

pytestmark = pytest.mark.django_db

FAILING = f"{__name__}.FailingAdapter"  # importable: the module is in sys.modules
HOLDING = f"{__name__}.HoldingAdapter"


class FailingAdapter(NotificationAdapter):
    def send(self, message: OutboxMessage) -> None:
        raise ConnectionError("gateway unreachable")


class HoldingAdapter(NotificationAdapter):
    """Holds every message the first time, sends it once released."""

    sent: list[int] = []

    def send(self, message: OutboxMessage) -> None:
        if message.attempts == 0:
            raise NotificationHeld("recipient out of reach")
        HoldingAdapter.sent.append(message.pk)


def enqueue(key: str = "case-1-accepted", **kw) -> OutboxMessage:
    params = {"channel": "sms", "recipient": "13812345678", "subject": "受理通知",
              "body": "您的申请已受理。", "idempotency_key": key}
    params.update(kw)
    return outbox_enqueue(**params)


def test_enqueue_is_idempotent() -> None:
    first = enqueue()
    second = enqueue(body="changed")
    assert first.pk == second.pk
    assert OutboxMessage.objects.count() == 1
    assert OutboxMessage.objects.get().body == "您的申请已受理。"


def test_recipient_is_encrypted_at_rest() -> None:
    message = enqueue()
    with connection.cursor() as cursor:
        cursor.execute("SELECT recipient FROM core_outboxmessage WHERE id = %s", [message.pk])
        raw = cursor.fetchone()[0]
    assert "13812345678" not in raw
    assert OutboxMessage.objects.get().recipient == "13812345678"


def test_rollback_discards_the_message() -> None:
    with pytest.raises(RuntimeError):
        with transaction.atomic():
            enqueue()
            raise RuntimeError("business operation failed")
    assert not OutboxMessage.objects.exists()


def test_context_renders_templates_and_validates_channel() -> None:
    message = enqueue(body="{{ name }}，您的案件{{ number }}已受理。", context={"name": "张三", "number": "4101-1"})
    assert message.body == "张三，您的案件4101-1已受理。"
    with pytest.raises(DomainError):
        enqueue(key="x", channel="fax")
    with pytest.raises(DomainError):
        enqueue(key="")


def test_dispatch_marks_sent() -> None:
    message = enqueue()
    counts = outbox_dispatch_pending()
    assert counts == {"sent": 1, "retry": 0, "failed": 0, "held": 0}
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and message.attempts == 1 and message.sent_at
    assert outbox_dispatch_pending() == {"sent": 0, "retry": 0, "failed": 0, "held": 0}  # nothing twice


def test_on_commit_dispatches(django_capture_on_commit_callbacks) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        message = enqueue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT


def test_site_message_adapter(django_user_model) -> None:
    user = django_user_model.objects.create_user("citizen1", password="x")
    outbox_enqueue(channel="site", recipient="", user=user, subject="办理结果", body="已办结",
                   idempotency_key="site-1")
    outbox_enqueue(channel="site", recipient="13912345678", subject="通知", body="无账号群众",
                   idempotency_key="site-2")
    outbox_dispatch_pending()
    assert SiteMessage.objects.get(user=user).body == "已办结"
    assert SiteMessage.objects.get(recipient_index=pii_blind_index("13912345678")).body == "无账号群众"


@override_settings(FAWANG_NOTIFICATION_ADAPTERS={"sms": FAILING})
def test_failing_adapter_retries_with_backoff_then_fails() -> None:
    message = enqueue()
    now = timezone.now()
    for attempt in range(1, MAX_ATTEMPTS + 1):
        counts = outbox_dispatch_pending(now=now)
        message.refresh_from_db()
        assert message.attempts == attempt
        assert "gateway unreachable" in message.last_error
        if attempt < MAX_ATTEMPTS:
            assert counts["retry"] == 1 and message.status == OutboxStatus.PENDING
            assert message.next_attempt_at == now + backoff(attempt)
            # Not due yet: a dispatch a second later does nothing.
            assert outbox_dispatch_pending(now=now + dt.timedelta(seconds=1))["retry"] == 0
            now = message.next_attempt_at
    assert message.status == OutboxStatus.FAILED
    assert counts["failed"] == 1
    assert outbox_dispatch_pending(now=now + dt.timedelta(days=1)) == {"sent": 0, "retry": 0, "failed": 0, "held": 0}


@override_settings(FAWANG_NOTIFICATION_ADAPTERS={"sms": HOLDING})
def test_held_message_waits_without_retries_until_released() -> None:
    """A recipient out of reach is not retried on a clock (that would only burn the tries): the
    message is held, receivers of ``outbox_message_held`` hear of it, and a release sends it."""
    heard: list[int] = []

    def receiver(sender, message, **kwargs):
        heard.append(message.pk)

    outbox_message_held.connect(receiver)
    try:
        message = enqueue()
        assert outbox_dispatch_pending()["held"] == 1
    finally:
        outbox_message_held.disconnect(receiver)
    message.refresh_from_db()
    assert message.status == OutboxStatus.HELD and message.last_error == "recipient out of reach"
    assert heard == [message.pk]
    later = timezone.now() + dt.timedelta(days=3)
    assert outbox_dispatch_pending(now=later) == {"sent": 0, "retry": 0, "failed": 0, "held": 0}
    assert outbox_release([message.pk]) == 1
    assert outbox_release([message.pk]) == 0  # already pending: nothing to release twice
    assert outbox_dispatch_pending(now=later)["sent"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT and HoldingAdapter.sent == [message.pk]


@override_settings(FAWANG_NOTIFICATION_ADAPTERS={"sms": HOLDING})
def test_a_failing_held_receiver_does_not_stop_the_run() -> None:
    def broken(sender, message, **kwargs):
        raise RuntimeError("receiver bug")

    outbox_message_held.connect(broken)
    try:
        enqueue("k-1")
        enqueue("k-2")
        assert outbox_dispatch_pending()["held"] == 2
    finally:
        outbox_message_held.disconnect(broken)
    assert set(OutboxMessage.objects.values_list("status", flat=True)) == {OutboxStatus.HELD}


def test_backoff_grows_and_caps() -> None:
    assert [backoff(n).total_seconds() for n in (1, 2, 3, 4)] == [60, 120, 240, 480]
    assert backoff(20) == dt.timedelta(hours=1)


def test_new_key_skips_the_lookup_but_the_unique_column_still_guards() -> None:
    """``key_is_new`` (a key naming a row of this transaction) inserts without reading first;
    a caller wrongly claiming a new key gets an error, never a second message."""
    from django.db import IntegrityError

    statements: list[str] = []

    def log(execute, sql, params, many, context):
        statements.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(log):
        message = enqueue("case-event:1:sms", key_is_new=True)
    assert message.pk and OutboxMessage.objects.get(pk=message.pk).recipient == "13812345678"
    assert not any(sql.startswith("SELECT") for sql in statements)
    assert not any("SAVEPOINT" in sql for sql in statements)
    with pytest.raises(IntegrityError), transaction.atomic():
        enqueue("case-event:1:sms", key_is_new=True)
    assert OutboxMessage.objects.count() == 1


class _Clock:
    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


def test_dispatcher_kicks_are_coalesced(monkeypatch) -> None:
    """Within the window after an immediate dispatch request, commits share one deferred run
    that starts after all of them; after the window the next commit asks at once again."""
    from fawang.core import outbox

    calls: list[object] = []

    class FakeTask:
        def __init__(self, run_after=None) -> None:
            self.run_after = run_after

        def using(self, *, run_after):
            return FakeTask(run_after)

        def enqueue(self):
            calls.append(self.run_after)

    clock = _Clock()
    monkeypatch.setattr(outbox, "outbox_dispatch_task", FakeTask())
    monkeypatch.setattr(outbox.time, "monotonic", clock)
    monkeypatch.setattr(outbox, "_last_kick", float("-inf"))
    monkeypatch.setattr(outbox, "_deferred_at", float("-inf"))
    with override_settings(OUTBOX_KICK_COALESCE_SECONDS=1.0):
        outbox._kick_dispatcher()  # immediate
        assert calls == [None]
        clock.now += 0.2
        before = timezone.now()
        outbox._kick_dispatcher()  # deferred to the end of the window (0.8 s from now)
        assert len(calls) == 2 and calls[1] is not None
        assert dt.timedelta(seconds=0.7) < calls[1] - before < dt.timedelta(seconds=0.9)
        clock.now += 0.3
        outbox._kick_dispatcher()  # the deferred run (still ahead) covers this commit too
        assert len(calls) == 2
        clock.now += 0.6  # the deferred run has started; the window has passed
        outbox._kick_dispatcher()
        assert len(calls) == 3 and calls[2] is None
    with override_settings(OUTBOX_KICK_COALESCE_SECONDS=0):
        outbox._kick_dispatcher()
        outbox._kick_dispatcher()
    assert calls[3:] == [None, None]  # no coalescing: one request per commit


@override_settings(FAWANG_NOTIFICATION_ADAPTERS={"sms": FAILING, "site": "fawang.core.notifications.SiteMessageAdapter"})
def test_the_outbox_command_shows_the_backlog_and_retries_failed_messages() -> None:
    """After a gateway outage the operator sees what failed and why, and sends it again."""
    import io

    from django.core.management import call_command

    message = enqueue()
    outbox_enqueue(channel="site", recipient="13912345678", subject="通知", body="站内信", idempotency_key="site-9")
    now = timezone.now()
    for _attempt in range(MAX_ATTEMPTS):
        outbox_dispatch_pending(now=now)
        message.refresh_from_db()
        now = message.next_attempt_at
    assert message.status == OutboxStatus.FAILED

    out = io.StringIO()
    call_command("outbox", "status", stdout=out)
    status = out.getvalue()
    assert "sms      failed   1" in status and "site     sent     1" in status
    assert "1 × ConnectionError: gateway unreachable" in status

    with override_settings(FAWANG_NOTIFICATION_ADAPTERS={"sms": "fawang.core.notifications.ConsoleAdapter"}):
        out = io.StringIO()
        call_command("outbox", "retry-failed", "--channel", "wechat", stdout=out)
        assert out.getvalue().startswith("0 ")  # another channel: nothing
        call_command("outbox", "retry-failed", "--channel", "sms", "--since", timezone.localdate().isoformat(),
                     stdout=out)
        message.refresh_from_db()
        assert message.status == OutboxStatus.PENDING and message.attempts == 0
        out = io.StringIO()
        call_command("outbox", "dispatch", stdout=out)
        assert "sent=1" in out.getvalue()
    message.refresh_from_db()
    assert message.status == OutboxStatus.SENT
