from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class MediationConfig(AppConfig):
    name = "fawang.mediation"
    label = "mediation"
    verbose_name = _("人民调解")

    def ready(self) -> None:
        # Declare this line's case event types before any case event is appended.
        from fawang.cases.services import register_time_limit_resolver
        from fawang.mediation import events  # noqa: F401
        from fawang.mediation.services import mediation_time_limit

        # The case's mediation clock follows the region's configured limit (人民调解 defaults
        # to 30 days but regions may set their own), not the catalogue's fixed figure.
        register_time_limit_resolver("mediation", mediation_time_limit)
