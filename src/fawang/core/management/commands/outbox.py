"""``fawang outbox status|dispatch|retry-failed``: the notification outbox, for the people who run it.

- ``status``: messages by channel and status, the oldest still pending, the most common last errors
  (what to look at when citizens say they got no SMS).
- ``dispatch``: send what is due now, without waiting for the huey worker's minute.
- ``retry-failed [--channel sms] [--since YYYY-MM-DD]``: after a gateway outage, give the messages
  that used up their five tries a fresh set. As with every retry, a message whose send timed out
  after the gateway had taken it may arrive twice; held messages (WeChat's 48 hours) are left to
  their channel.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter
from typing import Any

from django.core.management.base import CommandError
from django.db.models import Count, Min
from django.utils import timezone

from fawang.core.commands import DatabaseCommand


class Command(DatabaseCommand):
    help = "通知发件箱：status 查看积压和错误，dispatch 立即发送，retry-failed 重试已失败的通知"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("action", choices=["status", "dispatch", "retry-failed"])
        parser.add_argument("--channel", default="", help="只处理该渠道（sms、wechat、site）")
        parser.add_argument("--since", help="retry-failed：只重试该日期（YYYY-MM-DD）及以后生成的通知")

    def handle(self, *args: Any, **opts: Any) -> None:
        from fawang.core.models import OutboxMessage, OutboxStatus
        from fawang.core.outbox import outbox_dispatch_pending, outbox_retry_failed

        if opts["action"] == "dispatch":
            counts = outbox_dispatch_pending()
            self.stdout.write(" ".join(f"{key}={value}" for key, value in counts.items()))
            return
        if opts["action"] == "retry-failed":
            since = None
            if opts["since"]:
                try:
                    day = dt.date.fromisoformat(opts["since"])
                except ValueError as exc:
                    raise CommandError("--since 应为 YYYY-MM-DD / --since must be YYYY-MM-DD") from exc
                since = timezone.make_aware(dt.datetime.combine(day, dt.time.min))
            count = outbox_retry_failed(channel=opts["channel"], since=since)
            self.stdout.write(f"{count} 条失败的通知将重新发送 / failed messages queued again")
            return
        rows = OutboxMessage.objects.all()
        if opts["channel"]:
            rows = rows.filter(channel=opts["channel"])
        table = rows.order_by().values("channel", "status").annotate(n=Count("id"))
        for row in sorted(table, key=lambda r: (r["channel"], r["status"])):
            self.stdout.write(f"{row['channel']:8} {row['status']:8} {row['n']}")
        oldest = rows.filter(status=OutboxStatus.PENDING).aggregate(at=Min("created_at"))["at"]
        if oldest is not None:
            self.stdout.write(f"最早的待发通知 / oldest pending: {timezone.localtime(oldest):%Y-%m-%d %H:%M}")
        errors = Counter(rows.filter(status__in=[OutboxStatus.FAILED, OutboxStatus.HELD])
                         .exclude(last_error="").values_list("last_error", flat=True)[:5000])
        for error, n in errors.most_common(5):
            self.stdout.write(f"  {n} × {error[:160]}")
