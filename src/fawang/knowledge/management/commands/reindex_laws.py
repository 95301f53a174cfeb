"""`fawang reindex-laws`: rebuild the law search index from the Article table."""

from __future__ import annotations

from fawang.core.commands import DatabaseCommand
from fawang.knowledge.services import reindex_all


class Command(DatabaseCommand):
    help = "重建法条全文检索索引"

    def handle(self, *args, **options):
        self.stdout.write(f"indexed={reindex_all()}")
