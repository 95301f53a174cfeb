"""A citizen on a phone-sized screen and a staff member logging in, in a real browser."""

from __future__ import annotations

import pytest

pytestmark = pytest.mark.django_db(transaction=True)


def test_home_page_shows_services_and_hotline_on_a_phone(page, live_server):
    page.goto(live_server.url + "/")
    assert "12348" in page.inner_text("header")
    tiles = page.locator(".tile")
    assert tiles.count() >= 5
    assert page.locator(".tile", has_text="法律援助").is_visible()


def test_staff_login_in_browser(page, live_server, django_user_model):
    django_user_model.objects.create_user(username="clerk", password="s3cret-pass-word", role="window_clerk",
                                          real_name="王小明")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "clerk")
    page.fill("input[name=password]", "s3cret-pass-word")
    page.click("button[type=submit]")
    page.wait_for_load_state()
    assert "王小明" in page.inner_text("header")


def test_wrong_password_shows_clear_chinese_error(page, live_server, django_user_model):
    django_user_model.objects.create_user(username="agent", password="s3cret-pass-word", role="hotline_agent")
    page.goto(live_server.url + "/accounts/login/")
    page.fill("input[name=username]", "agent")
    page.fill("input[name=password]", "wrong-password")
    page.click("button[type=submit]")
    assert "用户名或密码不正确" in page.inner_text("[role=alert]")
