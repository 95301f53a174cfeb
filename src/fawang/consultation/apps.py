from django.apps import AppConfig


class ConsultationConfig(AppConfig):
    name = "fawang.consultation"
    label = "consultation"
