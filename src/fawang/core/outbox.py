"""The notification outbox: enqueue inside the business transaction, dispatch afterwards.

Writing the message in the caller's transaction means a rolled-back change sends nothing and a
committed one cannot lose its notification. The idempotency key makes retries of the business
operation harmless: the same key returns the existing row. Dispatch runs on commit (a
django-tasks task, coalesced: see ``_kick_dispatcher``) and every minute (``fawang.core.tasks``),
claims each due row with a
conditional UPDATE (safe with several workers, on SQLite and PostgreSQL alike), sends it with
the channel's adapter and records the outcome; failures back off exponentially and give up
after ``MAX_ATTEMPTS``.
"""

from __future__ import annotations

import datetime as dt
import logging
import threading
import time
from typing import Any

from django.conf import settings
from django.db import IntegrityError, models, transaction
from django.dispatch import Signal
from django.template import Context, Template
from django.utils import timezone
from django.utils.translation import gettext as _
from django_tasks import task

from fawang.core.errors import DomainError
from fawang.core.fast_insert import insert_new
from fawang.core.models import Channel, OutboxMessage, OutboxStatus
from fawang.core.notifications import NotificationHeld, adapter_for

logger = logging.getLogger("fawang.outbox")

MAX_ATTEMPTS = 5
BASE_BACKOFF = dt.timedelta(minutes=1)
MAX_BACKOFF = dt.timedelta(hours=1)
CLAIM_LEASE = dt.timedelta(minutes=5)


# Sent (sender=OutboxMessage, message=…) when an adapter says the recipient cannot be reached on
# the message's channel for now (``NotificationHeld``); receivers may send it another way.
outbox_message_held = Signal()

_CHANNELS = frozenset(Channel.values)  # ``Choices.values`` rebuilds its list on every call


def backoff(attempts: int) -> dt.timedelta:
    """Wait before the next try after ``attempts`` failures: 1, 2, 4, 8 … minutes, ≤ 1 hour."""
    return min(BASE_BACKOFF * (2 ** max(attempts - 1, 0)), MAX_BACKOFF)


def outbox_enqueue(
    *,
    channel: str,
    recipient: str,
    subject: str,
    body: str,
    idempotency_key: str,
    user: Any = None,
    related: models.Model | None = None,
    context: dict[str, Any] | None = None,
    region_code: str = "",
    key_is_new: bool = False,
) -> OutboxMessage:
    """Queue a notification in the current transaction; the same key returns the same row.

    With ``context``, ``subject`` and ``body`` are Django template strings rendered with it.
    ``key_is_new``: the key names something created in this very transaction (a new case
    event's id), so no message can hold it yet — skip the lookup and the savepoint, which cost
    a quarter of a case intake. The unique column still stands guard if a caller is wrong.
    """
    if channel not in _CHANNELS:
        raise DomainError("invalid_channel", _("不支持的通知渠道：%(c)s") % {"c": channel}, field="channel")
    if not idempotency_key:
        raise DomainError("idempotency_key_required", _("通知缺少幂等键。"), field="idempotency_key")
    if user is not None and not recipient:
        recipient = str(user.pk)
    if not recipient:
        raise DomainError("recipient_required", _("通知缺少接收人。"), field="recipient")
    if not key_is_new:
        existing = OutboxMessage.objects.filter(idempotency_key=idempotency_key).first()
        if existing is not None:
            return existing
    if context is not None:
        subject = Template(subject).render(Context(context, autoescape=False))
        body = Template(body).render(Context(context, autoescape=False))
    fields: dict[str, Any] = {
        "channel": channel,
        "recipient": recipient,
        "user": user,
        "subject": subject[:200],
        "body": body,
        "region_code": region_code or (getattr(related, "region_code", "") or ""),
    }
    if related is not None:
        fields["related_type"] = related._meta.label_lower
        fields["related_id"] = str(related.pk)
    if key_is_new:
        message = insert_new(OutboxMessage(idempotency_key=idempotency_key, **fields))
        transaction.on_commit(_kick_dispatcher)
        return message
    try:
        with transaction.atomic():  # a savepoint: a lost race must not poison the caller's transaction
            message = OutboxMessage.objects.create(idempotency_key=idempotency_key, **fields)
    except IntegrityError:
        return OutboxMessage.objects.get(idempotency_key=idempotency_key)
    transaction.on_commit(_kick_dispatcher)
    return message


_kick_lock = threading.Lock()
_last_kick = float("-inf")  # time.monotonic() of the last immediate dispatch request
_deferred_at = float("-inf")  # when the pending deferred dispatch will run, if one is pending


def _kick_dispatcher() -> None:
    """Ask for a dispatch run after a commit that queued messages — at most one per window.

    Enqueueing a task is a write (and commit) to the task queue; doing it for every message
    cost more than the whole business transaction under load. Within
    ``OUTBOX_KICK_COALESCE_SECONDS`` of an immediate request, a commit asks instead for one
    deferred run at the end of that window (or relies on the one already pending), so every
    committed message still has a dispatch run that starts after its commit, at most one window
    later. 0 (the test default, where tasks run immediately) disables the coalescing; the
    minutely dispatcher remains the safety net either way.
    """
    global _last_kick, _deferred_at
    window = float(getattr(settings, "OUTBOX_KICK_COALESCE_SECONDS", 0) or 0)
    run_after: dt.datetime | None = None
    if window > 0:
        now = time.monotonic()
        with _kick_lock:
            if now - _last_kick >= window:
                _last_kick = now
            elif _deferred_at > now:
                return  # a run already queued for later starts after this commit
            else:
                _deferred_at = _last_kick + window
                run_after = timezone.now() + dt.timedelta(seconds=_deferred_at - now)
    try:
        if run_after is None:
            outbox_dispatch_task.enqueue()
        else:
            outbox_dispatch_task.using(run_after=run_after).enqueue()
    except Exception:  # the periodic dispatcher will pick the message up
        logger.exception("Could not enqueue the outbox dispatcher")


def _claim(message: OutboxMessage, now: dt.datetime) -> bool:
    """Take the row for this worker: only one conditional UPDATE can win."""
    won = OutboxMessage.objects.filter(
        pk=message.pk, status=OutboxStatus.PENDING, next_attempt_at=message.next_attempt_at,
    ).update(next_attempt_at=now + CLAIM_LEASE)
    return won == 1


def outbox_send(message: OutboxMessage, *, now: dt.datetime | None = None) -> str:
    """Send one claimed message and record the outcome; returns the new status."""
    now = now or timezone.now()
    attempts = message.attempts + 1
    try:
        adapter_for(message.channel).send(message)
    except NotificationHeld as exc:
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts, last_error=str(exc)[:2000], status=OutboxStatus.HELD)
        message.attempts, message.last_error, message.status = attempts, str(exc)[:2000], OutboxStatus.HELD
        logger.info("Outbox message %s held: %s", message.pk, exc)
        # A failing receiver must not stop the dispatcher's run; the message stays held meanwhile.
        for receiver, outcome in outbox_message_held.send_robust(sender=OutboxMessage, message=message):
            if isinstance(outcome, Exception):
                logger.error("Receiver %r of a held outbox message %s failed: %r", receiver, message.pk, outcome)
        return OutboxStatus.HELD
    except Exception as exc:  # any adapter failure is retried, then recorded as failed
        error = f"{type(exc).__name__}: {exc}"[:2000]
        status = OutboxStatus.FAILED if attempts >= MAX_ATTEMPTS else OutboxStatus.PENDING
        OutboxMessage.objects.filter(pk=message.pk).update(
            attempts=attempts, last_error=error, status=status, next_attempt_at=now + backoff(attempts),
        )
        logger.warning("Outbox message %s failed (attempt %s): %s", message.pk, attempts, error)
        return status
    OutboxMessage.objects.filter(pk=message.pk).update(
        attempts=attempts, status=OutboxStatus.SENT, sent_at=now, last_error="",
    )
    return OutboxStatus.SENT


def outbox_release(message_ids: list[int]) -> int:
    """Make held messages due again (their recipient is back within reach); returns how many.

    Call inside the transaction that learned it; the dispatcher is asked to run after the commit.
    """
    released = OutboxMessage.objects.filter(pk__in=message_ids, status=OutboxStatus.HELD).update(
        status=OutboxStatus.PENDING, next_attempt_at=timezone.now())
    if released:
        transaction.on_commit(_kick_dispatcher)
    return released


def outbox_retry_failed(*, channel: str = "", since: dt.datetime | None = None) -> int:
    """Give messages that used up their tries a fresh set (after a gateway outage is over);
    returns how many. Held messages are not touched: their channel releases them."""
    failed = OutboxMessage.objects.filter(status=OutboxStatus.FAILED)
    if channel:
        failed = failed.filter(channel=channel)
    if since is not None:
        failed = failed.filter(created_at__gte=since)
    with transaction.atomic():
        count = failed.update(status=OutboxStatus.PENDING, attempts=0, next_attempt_at=timezone.now())
        if count:
            transaction.on_commit(_kick_dispatcher)
    return count


def outbox_dispatch_pending(*, now: dt.datetime | None = None, limit: int = 200) -> dict[str, int]:
    """Send every due pending message (up to ``limit``); counts by outcome."""
    now = now or timezone.now()
    counts = {"sent": 0, "retry": 0, "failed": 0, "held": 0}
    due = list(
        OutboxMessage.objects.filter(status=OutboxStatus.PENDING, next_attempt_at__lte=now)
        .order_by("next_attempt_at", "id")[:limit]
    )
    for message in due:
        if not _claim(message, now):
            continue
        status = outbox_send(message, now=now)
        key = {"sent": "sent", "failed": "failed", "held": "held"}.get(status, "retry")
        counts[key] += 1
    return counts


@task()
def outbox_dispatch_task() -> dict[str, int]:
    """django-tasks entry point (enqueued on commit after ``outbox_enqueue``)."""
    return outbox_dispatch_pending()
