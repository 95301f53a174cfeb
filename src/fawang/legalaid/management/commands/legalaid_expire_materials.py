"""Run the 视为撤回 scan once (the huey job does it hourly)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fawang.legalaid.services import legalaid_expire_materials


class Command(BaseCommand):
    help = "法律援助：补充材料期限届满未补充的申请视为撤回（法律援助法第四十三条第二款）。"

    def handle(self, *args: Any, **options: Any) -> None:
        count = legalaid_expire_materials()
        self.stdout.write(f"视为撤回：{count} 件")
