from django.apps import AppConfig
from django.db.models.signals import post_migrate


def _purge_orphan_index_rows(sender, using, **kwargs) -> None:
    """After migrate and after flush (which empties the model tables but not the search
    index table, unknown to Django), drop index rows whose article no longer exists."""
    from django.db import connections

    from fawang.knowledge.search.base import purge_orphans

    purge_orphans(connections[using])


class KnowledgeConfig(AppConfig):
    name = "fawang.knowledge"
    label = "knowledge"

    def ready(self) -> None:
        post_migrate.connect(_purge_orphan_index_rows, sender=self,
                             dispatch_uid="knowledge_purge_orphan_index_rows")
