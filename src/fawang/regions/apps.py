from django.apps import AppConfig


class RegionsConfig(AppConfig):
    name = "fawang.regions"
    label = "regions"
