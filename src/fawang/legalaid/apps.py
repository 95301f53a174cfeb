from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LegalaidConfig(AppConfig):
    name = "fawang.legalaid"
    label = "legalaid"
    verbose_name = _("法律援助")

    def ready(self) -> None:
        # Declare this line's case event types before any case event is appended.
        from fawang.legalaid import events  # noqa: F401
