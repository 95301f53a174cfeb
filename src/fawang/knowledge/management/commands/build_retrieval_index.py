"""``fawang build-retrieval-index``: rebuild the statute retrieval index from the Law/Article tables."""

from __future__ import annotations

from fawang.core.commands import DatabaseCommand
from fawang.knowledge.retrieval import rebuild_retrieval_index


class Command(DatabaseCommand):
    help = "重建法条检索索引（导入法律法规后自动执行）"

    def handle(self, *args, **opts):
        stats = rebuild_retrieval_index()
        self.stdout.write(f"法条检索索引：{stats['articles']} 条，{stats['laws']} 部法律法规")
