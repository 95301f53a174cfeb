"""``directory.edit``: which roles may edit, and only inside their region."""

from __future__ import annotations

import pytest
from django.contrib.auth.models import AnonymousUser

from fawang.accounts.models import Role
from fawang.directory.permissions import can_edit_directory, can_edit_region


@pytest.mark.parametrize("role, allowed", [
    (Role.SUPERVISOR, True),
    (Role.SYSTEM_ADMIN, True),
    (Role.WINDOW_CLERK, False),
    (Role.LAWYER, False),
    (Role.MEDIATOR, False),
    (Role.CITIZEN, False),
])
def test_roles(make_user, role, allowed):
    user = make_user(role=role, division="410105")
    assert can_edit_directory(user) is allowed
    assert can_edit_region(user, "410105001") is allowed
    assert can_edit_region(user, "410103") is False


def test_anonymous_inactive_and_superuser(make_user):
    assert not can_edit_directory(AnonymousUser())
    inactive = make_user(role=Role.SUPERVISOR, is_active=False)
    assert not can_edit_directory(inactive)
    root = make_user(role=Role.CITIZEN, division=None, is_superuser=True)
    assert can_edit_region(root, "4102")
    national = make_user(role=Role.SUPERVISOR, division=None)
    assert can_edit_region(national, "4102")
