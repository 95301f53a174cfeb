"""Sign-in: lockout after repeated failures (django-axes), optional TOTP, audit of sign-ins."""

from __future__ import annotations

import pytest
from django.test import Client
from django_otp.oath import TOTP
from django_otp.plugins.otp_totp.models import TOTPDevice

from fawang.core.models import AuditEntry

pytestmark = pytest.mark.django_db

PASSWORD = "correct-horse-battery"


@pytest.fixture
def clerk(django_user_model):
    return django_user_model.objects.create_user(
        "jinshui.clerk", password=PASSWORD, role="window_clerk", real_name="王芳", is_staff=True,
    )


def login(client: Client, password: str, username: str = "jinshui.clerk"):
    return client.post("/accounts/login/", {"username": username, "password": password})


def test_sixth_attempt_is_locked_out_even_with_the_right_password(client: Client, clerk) -> None:
    for _ in range(4):
        response = login(client, "wrong-password")
        assert response.status_code == 200
        assert "用户名或密码不正确" in response.content.decode()
    # The fifth failure reaches AXES_FAILURE_LIMIT and already answers with the lockout page.
    assert login(client, "wrong-password").status_code == 429
    response = login(client, PASSWORD)
    assert response.status_code == 429
    page = response.content.decode()
    assert "账号已暂时锁定" in page and "5 次登录失败" in page and "1小时" in page
    assert "_auth_user_id" not in client.session
    assert AuditEntry.objects.filter(action="login_failed", detail="jinshui.clerk").count() >= 5


def test_successful_login_is_audited(client: Client, clerk) -> None:
    response = login(client, PASSWORD)
    assert response.status_code == 302
    assert AuditEntry.objects.filter(action="login", actor=clerk).exists()


def token_for(device: TOTPDevice) -> str:
    totp = TOTP(device.bin_key, device.step, device.t0, device.digits, device.drift)
    return f"{totp.token():0{device.digits}d}"


def test_totp_enrolment_and_enforcement(client: Client, clerk) -> None:
    client.force_login(clerk)
    page = client.get("/accounts/otp/")
    assert page.status_code == 200 and "<svg" in page.content.decode()
    device = TOTPDevice.objects.get(user=clerk, confirmed=False)
    bad = client.post("/accounts/otp/", {"token": "000000" if token_for(device) != "000000" else "111111"})
    assert bad.status_code == 400 and "动态口令不正确" in bad.content.decode()
    assert client.post("/accounts/otp/", {"token": token_for(device)}).status_code == 302
    device.refresh_from_db()
    assert device.confirmed

    # A new session: the password alone no longer opens staff pages or the API.
    client.logout()
    other = Client()
    assert login(other, PASSWORD).status_code == 302
    admin_page = other.get("/admin/")
    assert admin_page.status_code == 302 and admin_page["Location"].startswith("/accounts/otp/verify/")
    api = other.get("/api/accounts/me")
    assert api.status_code == 403 and api.json()["code"] == "otp_required"
    wrong = other.post("/accounts/otp/verify/", {"token": "12345x", "next": "/admin/"})
    assert wrong.status_code == 400
    device.refresh_from_db()
    device.last_t = -1  # the enrolment token was used in this same 30 s step; allow it once more
    device.save()
    ok = other.post("/accounts/otp/verify/", {"token": token_for(device), "next": "/admin/"})
    assert ok.status_code == 302 and ok["Location"] == "/admin/"
    assert other.get("/api/accounts/me").json()["otp_enabled"] is True


def test_users_without_a_device_are_not_asked(client: Client, clerk) -> None:
    assert login(client, PASSWORD).status_code == 302
    assert client.get("/api/accounts/me").status_code == 200


def test_citizens_cannot_enrol(client: Client, django_user_model) -> None:
    citizen = django_user_model.objects.create_user("c1", password=PASSWORD, role="citizen")
    client.force_login(citizen)
    assert client.get("/accounts/otp/").status_code == 403
