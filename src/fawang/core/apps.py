from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fawang.core"
    label = "core"

    def ready(self) -> None:
        from fawang.core import checks, signals  # noqa: F401  (registers the deploy checks, connects the audit receivers)
