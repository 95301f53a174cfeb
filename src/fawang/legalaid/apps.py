from django.apps import AppConfig


class LegalaidConfig(AppConfig):
    name = "fawang.legalaid"
    label = "legalaid"
