from django.apps import AppConfig


class CasesConfig(AppConfig):
    name = "fawang.cases"
    label = "cases"
