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


def test_a_citizen_checks_progress_with_the_code_from_the_sms(page, live_server, catalog, laws):
    """From the home page to the steps of a matter, on a phone, with the number and query code."""
    from consultation.conftest import service_point
    from fawang.accounts.models import Role, User
    from fawang.cases.services import party_create
    from fawang.consultation import services_line

    point = service_point("SP-E2E-01", "410102")
    clerk = User.objects.create_user(username="e2e-clerk", password="pw-Test-12345", role=Role.WINDOW_CLERK,
                                     real_name="窗口", service_point=point)
    applicant = party_create(name="吴十", id_number="410102199003071230", phone="13911112222", region_code="410102")
    case = services_line.consultation_record(actor=clerk, channel="window", question="工资拖欠怎么办？",
                                             answer="可申请劳动仲裁。", applicant=applicant).case
    page.goto(live_server.url + "/")
    page.click(".tile:has-text('办理进度查询')")
    page.fill("input[name=number]", case.number)
    page.fill("input[name=verification]", case.query_code)
    page.click("button[type=submit]:has-text('查询')")
    page.wait_for_load_state()
    steps = page.inner_text("main")
    assert case.number in steps and "已反馈结果" in steps and "受理" in steps
