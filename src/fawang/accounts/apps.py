from django.apps import AppConfig


class AccountsConfig(AppConfig):
    name = "fawang.accounts"
    label = "accounts"
