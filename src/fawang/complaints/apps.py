from django.apps import AppConfig


class ComplaintsConfig(AppConfig):
    name = "fawang.complaints"
    label = "complaints"
