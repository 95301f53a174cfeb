from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fawang.cases"
    label = "cases"

    def ready(self) -> None:
        from fawang.cases.services import case_notice_send_by_sms
        from fawang.core.outbox import outbox_message_held

        def send_by_sms(sender, message, **kwargs):
            case_notice_send_by_sms(message)

        outbox_message_held.connect(send_by_sms, weak=False, dispatch_uid="cases-notice-sms-fallback")
