from django.apps import AppConfig


class DirectoryConfig(AppConfig):
    name = "fawang.directory"
    label = "directory"
