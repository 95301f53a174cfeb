from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    name = "fawang.knowledge"
    label = "knowledge"
