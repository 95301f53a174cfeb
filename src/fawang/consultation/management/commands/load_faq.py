"""``fawang load-faq [FILE]``: load (upsert) the 常见法律问题 shipped in consultation/data/faq.json."""

from __future__ import annotations

from django.core.management.base import CommandError

from fawang.consultation.services import FAQ_PATH, faq_load
from fawang.core.commands import DatabaseCommand
from fawang.core.errors import DomainError


class Command(DatabaseCommand):
    help = "导入常见法律问题（按编号更新，可重复执行）"

    def add_arguments(self, parser):
        parser.add_argument("file", nargs="?", default=str(FAQ_PATH))
        parser.add_argument("--unpublished", action="store_true", help="新条目导入为未发布")

    def handle(self, *args, **opts):
        try:
            counts = faq_load(path=opts["file"], publish=not opts["unpublished"])
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"常见法律问题：新增 {counts['created']}，更新 {counts['updated']}，未变 {counts['unchanged']}")
