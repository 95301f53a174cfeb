from django.apps import AppConfig


class CatalogConfig(AppConfig):
    name = "fawang.catalog"
    label = "catalog"
