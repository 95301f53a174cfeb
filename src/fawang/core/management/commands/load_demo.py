"""Load the Zhengzhou demo data of every app (idempotent)."""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand

from fawang.core.demo import demo_modules


class Command(BaseCommand):
    help = "加载演示数据（郑州市），可重复执行 / Load the demo data; safe to run again."

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("--only", nargs="*", help="app labels to load (default: all)")

    def handle(self, *args: object, **options: object) -> None:
        only = set(options.get("only") or [])
        for label, module in demo_modules():
            if only and label not in only:
                continue
            started = time.monotonic()
            module.load(stdout=self.stdout)
            self.stdout.write(f"  {label}: {time.monotonic() - started:.1f}s")
