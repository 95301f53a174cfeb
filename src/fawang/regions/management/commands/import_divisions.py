"""``fawang import-divisions DIR [--province CODE]``: thin wrapper over ``divisions_import``."""

from __future__ import annotations

import time
from pathlib import Path

from django.core.management.base import CommandError

from fawang.core.commands import DatabaseCommand
from fawang.core.errors import DomainError
from fawang.regions.models import DivisionLevel
from fawang.regions.services import divisions_import


class Command(DatabaseCommand):
    help = (
        "导入行政区划（省、市、县、乡、村五级 CSV），重复执行时原地更新 / "
        "Import the five division levels from CSV files; re-running updates in place."
    )

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("directory", type=Path, help="含 provinces/cities/areas/streets/villages.csv 的目录")
        parser.add_argument("--province", default="", help="只导入该省（2 位代码，如 41 河南）")

    def handle(self, *args: object, **options: object) -> None:
        province = str(options["province"] or "")
        if province and not (len(province) == 2 and province.isascii() and province.isdigit()):
            raise CommandError("--province 应为 2 位省级区划代码，如 41。")
        started = time.monotonic()
        try:
            result = divisions_import(directory=options["directory"], prefix=province)  # type: ignore[arg-type]
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        seconds = time.monotonic() - started
        for level, count in result.per_level.items():
            self.stdout.write(f"  {DivisionLevel(level).label}: {count}")
        self.stdout.write(self.style.SUCCESS(
            f"导入完成：共 {result.rows} 行，新增 {result.created}，更新 {result.updated}，"
            f"未变 {result.unchanged}，用时 {seconds:.1f} 秒。"
        ))
