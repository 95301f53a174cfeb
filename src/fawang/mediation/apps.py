from django.apps import AppConfig


class MediationConfig(AppConfig):
    name = "fawang.mediation"
    label = "mediation"
    verbose_name = "人民调解"

    def ready(self) -> None:
        # Declare this line's case event types before any case event is appended.
        from fawang.mediation import events  # noqa: F401
