from django.apps import AppConfig


class CoreConfig(AppConfig):
    name = "fawang.core"
    label = "core"

    def ready(self) -> None:
        from fawang.core import signals  # noqa: F401  (connects the audit receivers)
