from django.apps import AppConfig


class PortalConfig(AppConfig):
    name = "fawang.portal"
    label = "portal"

    def ready(self) -> None:
        from fawang.cases.services import register_citizen_address_resolver
        from fawang.core.outbox import outbox_message_held
        from fawang.portal.services_wechat import wechat_notice_held, wechat_openid_for_case

        # Results of cases that began in a WeChat chat go back to that chat (O4).
        register_citizen_address_resolver("wechat", wechat_openid_for_case)

        def remember_held(sender, message, **kwargs):
            wechat_notice_held(message)

        outbox_message_held.connect(remember_held, weak=False, dispatch_uid="portal-wechat-held-notice")
