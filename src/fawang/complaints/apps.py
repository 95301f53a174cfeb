from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "fawang.complaints"
    label = "complaints"
    verbose_name = "投诉与意见建议"

    def ready(self) -> None:
        # Declare this line's case event types before any case event is appended.
        from fawang.complaints import events  # noqa: F401
