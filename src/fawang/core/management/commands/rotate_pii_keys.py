"""Re-encrypt all personal data with the first key of FAWANG_PII_KEYS (after adding a new key)."""

from __future__ import annotations

from typing import Any

from django.core.management.base import BaseCommand

from fawang.core.services import pii_rotate_all


class Command(BaseCommand):
    help = "用新密钥重新加密全部个人信息（先把新密钥放在 FAWANG_PII_KEYS 最前面）"

    def add_arguments(self, parser: Any) -> None:
        parser.add_argument("--batch-size", type=int, default=500)

    def handle(self, *args: Any, **options: Any) -> None:
        counts = pii_rotate_all(batch_size=options["batch_size"])
        for label, n in counts.items():
            self.stdout.write(f"  {label}: {n}")
        self.stdout.write(self.style.SUCCESS("完成：旧密钥加密的数据已全部用新密钥重新加密。"))
