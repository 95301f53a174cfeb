"""The back office's WeChat pages: read-only, and a follower without a region belongs to the province."""

from __future__ import annotations

import pytest

from consultation.conftest import staff
from fawang.accounts.models import User
from fawang.portal.models import WechatFollower, WechatMessage

pytestmark = pytest.mark.django_db


def _follower(openid: str, region_code: str) -> WechatFollower:
    follower = WechatFollower.objects.create(openid=openid, region_code=region_code)
    WechatMessage.objects.create(message_key=f"msg:{openid}", follower=follower, kind="text", text=f"问题{openid}")
    return follower


def _seen(client, user: User, model: str) -> int:
    user.is_staff = True
    user.save()
    client.force_login(user)
    response = client.get(f"/admin/portal/{model}/")
    assert response.status_code == 200
    return response.context["cl"].result_count


def test_followers_without_a_region_are_the_provinces(client):
    _follower("o-unlocated", "")
    _follower("o-jinshui", "410105")
    _follower("o-wuhan", "420105")
    county, province = staff(division_code="410105"), staff(division_code="41")
    for model in ("wechatfollower", "wechatmessage"):
        assert _seen(client, county, model) == 1  # its own located follower only
        assert _seen(client, province, model) == 2  # its county's and the unlocated one, not Hubei's
    root = User.objects.create_superuser("root", "root@example.com", "pw-Test-12345")
    client.force_login(root)
    assert client.get("/admin/portal/wechatmessage/").context["cl"].result_count == 3
    message = WechatMessage.objects.get(message_key="msg:o-jinshui")
    assert client.get(f"/admin/portal/wechatmessage/{message.pk}/change/").status_code == 200
    assert client.get("/admin/portal/wechatmessage/add/").status_code == 403
