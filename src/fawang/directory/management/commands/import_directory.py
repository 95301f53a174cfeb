"""``fawang import-directory FILE.csv --kind institutions|practitioners|credit-records``."""

from __future__ import annotations

from django.core.management.base import CommandError

from fawang.core.commands import DatabaseCommand
from fawang.directory.importer import TARGETS, ImportFailed, import_directory_csv


class Command(DatabaseCommand):
    help = ("导入法律服务机构、人员或信用记录（CSV，全部成功才保存）/ Import institutions, practitioners or "
            "credit records from CSV (all or nothing).")

    def add_arguments(self, parser) -> None:  # type: ignore[no-untyped-def]
        parser.add_argument("file", help="CSV file (UTF-8 or GB18030), header row first")
        parser.add_argument("--kind", required=True, choices=TARGETS, help="what the file contains")

    def handle(self, *args: object, **options: object) -> None:
        try:
            result = import_directory_csv(path=str(options["file"]), target=str(options["kind"]))
        except ImportFailed as failed:
            for error in failed.errors:
                self.stderr.write(str(error))
            raise CommandError(f"导入失败：{len(failed.errors)} 处错误，未保存任何数据。") from failed
        self.stdout.write(f"导入完成：{result.rows} 行，新增 {result.created}，更新 {result.updated}。")
