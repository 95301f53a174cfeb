"""``fawang load-catalog [FILE]``: load the service catalogue (idempotent)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.core.management.base import CommandError, CommandParser

from fawang.catalog.services import catalog_load
from fawang.core.commands import DatabaseCommand
from fawang.core.errors import DomainError


class Command(DatabaseCommand):
    help = "加载服务事项目录（默认加载随软件发布的 catalog/data/items.json），可重复执行。"

    def add_arguments(self, parser: CommandParser) -> None:
        parser.add_argument("file", nargs="?", help="事项目录 JSON 文件")

    def handle(self, *args: Any, **options: Any) -> None:
        try:
            result = catalog_load(path=Path(options["file"]) if options["file"] else None)
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(f"新增 {result.created}，更新 {result.updated}，未变 {result.unchanged}")
