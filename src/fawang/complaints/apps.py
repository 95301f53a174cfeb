from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class ComplaintsConfig(AppConfig):
    name = "fawang.complaints"
    label = "complaints"
    verbose_name = _("投诉与意见建议")

    def ready(self) -> None:
        # Declare this line's case event types before any case event is appended.
        from fawang.complaints import events  # noqa: F401
