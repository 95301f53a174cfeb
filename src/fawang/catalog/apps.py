from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "fawang.catalog"
    label = "catalog"

    def ready(self) -> None:
        # Creates the intake item cache, which connects its own save/delete receivers.
        from fawang.catalog import selectors  # noqa: F401
