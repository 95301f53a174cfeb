"""``fawang scan-deadlines``: record SLA warning/overdue crossings now (idempotent)."""

from __future__ import annotations

import time
from typing import Any

from django.core.management.base import BaseCommand

from fawang.cases.services import scan_deadlines


class Command(BaseCommand):
    help = "扫描办理时限，记录临期预警和超期事件（可重复执行，每个节点只记录一次）。"

    def handle(self, *args: Any, **options: Any) -> None:
        started = time.perf_counter()
        result = scan_deadlines()
        elapsed = time.perf_counter() - started
        self.stdout.write(f"临期 {result.warned}，超期 {result.overdue}，用时 {elapsed:.3f} 秒")
