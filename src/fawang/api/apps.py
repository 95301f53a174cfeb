from django.apps import AppConfig


class ApiConfig(AppConfig):
    name = "fawang.api"
    label = "api"
