"""The service catalogue's back office takes its rights from the role table (``reference.edit``),
and only province-level or national staff write it: one change reaches every county."""

from __future__ import annotations

import pytest
from django.test import Client

from cases.factories import item as make_item  # tests/cases, on sys.path
from core.conftest import World, build_world  # tests/core, on sys.path
from fawang.accounts.models import Role, User
from fawang.core.models import AuditEntry

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return build_world()


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def province_admin(world: World) -> User:
    return User.objects.create_user("province.system_admin", password=None, role=Role.SYSTEM_ADMIN, is_staff=True,
                                    division=world.divisions["41"])


def test_province_system_admin_edits_the_catalogue_and_is_audited(world: World) -> None:
    item = make_item()
    client = login(province_admin(world))
    assert "/admin/catalog/serviceitem/" in client.get("/admin/").content.decode()
    assert client.get(f"/admin/catalog/serviceitem/{item.pk}/change/").status_code == 200
    assert client.get("/admin/catalog/serviceitem/add/").status_code == 200
    response = client.post(f"/admin/catalog/serviceitem/{item.pk}/delete/", {"post": "yes"})
    assert response.status_code == 302
    entry = AuditEntry.objects.get(action="delete", object_type="catalog.serviceitem")
    assert entry.object_id == str(item.pk) and entry.actor.username == "province.system_admin"


def test_county_system_admin_may_look_but_not_write(world: World) -> None:
    item = make_item()
    client = login(world.user("A:system_admin"))  # holds reference.edit, but for a county only
    assert client.get(f"/admin/catalog/serviceitem/{item.pk}/change/").status_code == 200
    assert client.get("/admin/catalog/serviceitem/add/").status_code == 403
    assert client.post(f"/admin/catalog/serviceitem/{item.pk}/delete/", {"post": "yes"}).status_code == 403
    assert client.post(f"/admin/catalog/serviceitem/{item.pk}/change/", {"name": "改名"}).status_code == 403
    item.refresh_from_db()
    assert item.name == "法律咨询" and not AuditEntry.objects.filter(object_type="catalog.serviceitem").exists()


def test_roles_without_the_action_are_refused(world: World) -> None:
    item = make_item()
    client = login(world.user("national"))  # a national supervisor: no reference.edit
    assert "/admin/catalog/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/catalog/serviceitem/").status_code == 403
    assert client.get(f"/admin/catalog/serviceitem/{item.pk}/change/").status_code == 403
    assert client.get("/admin/catalog/servicebundle/").status_code == 403


def test_many_to_many_changes_enter_the_trail_as_ids(world: World) -> None:
    item = make_item()
    client = login(province_admin(world))
    response = client.post("/admin/catalog/servicebundle/add/", {
        "code": "TC-ADMIN-1", "name": "测试套餐", "items": [item.pk], "form_schema": "[]", "is_active": "on",
        "sort_order": "0"})
    assert response.status_code == 302, response.context["adminform"].form.errors
    entry = AuditEntry.objects.get(action="create", object_type="catalog.servicebundle")
    assert entry.changes["items"] == [item.pk] and entry.changes["code"] == "TC-ADMIN-1"
