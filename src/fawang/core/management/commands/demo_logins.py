"""Print the demo accounts a new user can log in with."""

from __future__ import annotations

from django.contrib.auth import get_user_model
from django.core.management.base import BaseCommand

DEMO_PASSWORD = "fawang-demo-2026"


class Command(BaseCommand):
    help = "列出演示账号 / Print the demo logins."

    def handle(self, *args: object, **options: object) -> None:
        users = get_user_model().objects.filter(is_demo=True).select_related("service_point", "division")
        self.stdout.write(f"演示账号 (demo logins), 密码 password: {DEMO_PASSWORD}")
        for user in users.order_by("role", "username")[:40]:
            where = user.service_point or user.division or "全国"
            self.stdout.write(f"  {user.username:<24} {user.get_role_display():<12} {where}")
