"""The law library's back office takes its rights from the role table (``knowledge.edit``), writes
need a province-level or national scope, and every write is audited."""

from __future__ import annotations

from pathlib import Path

import pytest
from django.test import Client

from core.conftest import World, build_world  # tests/core, on sys.path
from fawang.accounts.models import Role, User
from fawang.core.models import AuditEntry
from fawang.knowledge.models import Law
from fawang.knowledge.services import import_laws

pytestmark = pytest.mark.django_db


@pytest.fixture
def world(db) -> World:
    return build_world()


@pytest.fixture
def law(national_dir: Path) -> Law:
    import_laws(dirs=[national_dir])
    return Law.objects.get(source="national/社会法/劳动示例法(2021-06-01).md")


def login(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def test_province_supervisor_corrects_and_deletes_audited(world: World, law: Law) -> None:
    province = User.objects.create_user("province.supervisor", password=None, role=Role.SUPERVISOR, is_staff=True,
                                        division=world.divisions["41"])
    client = login(province)
    article = law.articles.get(number=2)
    response = client.post(f"/admin/knowledge/article/{article.pk}/change/", {"text": "用人单位应当支付延时工作报酬。"})
    assert response.status_code == 302
    article.refresh_from_db()
    assert article.text == "用人单位应当支付延时工作报酬。"
    entry = AuditEntry.objects.get(action="update", object_type="knowledge.article")
    assert entry.changes == {"text": "用人单位应当支付延时工作报酬。"} and entry.actor == province
    assert client.post(f"/admin/knowledge/law/{law.pk}/delete/", {"post": "yes"}).status_code == 302
    assert not Law.objects.filter(pk=law.pk).exists()
    assert AuditEntry.objects.filter(action="delete", object_type="knowledge.law", object_id=str(law.pk)).exists()


def test_county_supervisor_may_look_but_not_write(world: World, law: Law) -> None:
    client = login(world.user("A:supervisor"))  # holds knowledge.edit, but for a county only
    article = law.articles.get(number=2)
    assert client.get(f"/admin/knowledge/law/{law.pk}/change/").status_code == 200
    assert client.post(f"/admin/knowledge/article/{article.pk}/change/", {"text": "改写"}).status_code == 403
    assert client.post(f"/admin/knowledge/law/{law.pk}/delete/", {"post": "yes"}).status_code == 403
    assert Law.objects.filter(pk=law.pk).exists()
    assert not AuditEntry.objects.filter(object_type__startswith="knowledge.").exists()


def test_roles_without_the_action_are_refused(world: World, law: Law) -> None:
    client = login(world.user("A:window_clerk"))
    assert "/admin/knowledge/" not in client.get("/admin/").content.decode()
    assert client.get("/admin/knowledge/law/").status_code == 403
    assert client.get(f"/admin/knowledge/law/{law.pk}/change/").status_code == 403
