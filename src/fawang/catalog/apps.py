from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "fawang.catalog"
    label = "catalog"

    def ready(self) -> None:
        from django.db import transaction
        from django.db.models.signals import post_delete, post_save

        from fawang.catalog.models import ServiceItem
        from fawang.catalog.selectors import item_cache_clear

        def changed(**_kwargs: object) -> None:
            # Now (this transaction's own reads) and after commit (a read in between must not
            # re-cache the old row for the cache's lifetime).
            item_cache_clear()
            transaction.on_commit(item_cache_clear)

        post_save.connect(changed, sender=ServiceItem, dispatch_uid="catalog-item-cache", weak=False)
        post_delete.connect(changed, sender=ServiceItem, dispatch_uid="catalog-item-cache-del", weak=False)
