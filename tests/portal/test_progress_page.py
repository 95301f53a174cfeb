"""The citizen's progress page (/progress/): the number and query code from the notice, the public
steps only, and the lockout after repeated wrong codes."""

from __future__ import annotations

import pytest

from consultation.conftest import service_point
from fawang.accounts.models import Role, User
from fawang.cases.selectors import MAX_PROGRESS_FAILURES
from fawang.cases.services import party_create
from fawang.consultation import services_line as line

pytestmark = pytest.mark.django_db


@pytest.fixture
def case(catalog, laws):
    point = service_point("SP-PROG-01", "410102")
    clerk = User.objects.create_user(username="prog-clerk", password="pw-Test-12345", role=Role.WINDOW_CLERK,
                                     real_name="窗口", service_point=point)
    applicant = party_create(name="吴十", id_number="410102199003071230", phone="13911112222", region_code="410102")
    record = line.consultation_record(actor=clerk, channel="window", question="工资拖欠怎么办？",
                                      answer="可申请劳动仲裁。", applicant=applicant)
    return record.case


def test_the_form_and_the_steps_with_the_right_code(client, case):
    form = client.get(f"/progress/?number={case.number}")
    assert form.status_code == 200 and f'value="{case.number}"' in form.content.decode()
    page = client.post("/progress/", {"number": case.number, "verification": case.query_code})
    text = page.content.decode()
    assert page.status_code == 200 and case.number in text and "已反馈结果" in text
    assert "受理" in text and "反馈结果" in text
    assert "13911112222" not in text and "吴十" not in text  # no personal data on the page
    # the last four digits of the applicant's phone work too
    assert "已反馈结果" in client.post("/progress/", {"number": case.number, "verification": "2222"}).content.decode()


def test_a_wrong_code_finds_nothing_and_repeated_ones_close_the_number(client, case):
    wrong = str((int(case.query_code) + 1) % 10 ** len(case.query_code)).zfill(len(case.query_code))
    page = client.post("/progress/", {"number": case.number, "verification": wrong})
    assert page.status_code == 200 and "没有找到该事项" in page.content.decode()
    assert "已反馈结果" not in page.content.decode()
    for _ in range(MAX_PROGRESS_FAILURES):
        client.post("/progress/", {"number": case.number, "verification": wrong})
    closed = client.post("/progress/", {"number": case.number, "verification": case.query_code})
    assert closed.status_code == 429 and "失败次数过多" in closed.content.decode()


def test_the_home_page_links_to_it(client):
    assert 'href="/progress/"' in client.get("/").content.decode()


def test_the_registration_notice_links_to_the_page_when_the_site_has_a_public_address(settings, catalog, laws):
    from fawang.core.models import OutboxMessage

    settings.FAWANG_PUBLIC_URL = "https://12348.example.gov.cn/"
    point = service_point("SP-PROG-02", "410102")
    clerk = User.objects.create_user(username="prog-clerk-2", password="pw-Test-12345", role=Role.WINDOW_CLERK,
                                     real_name="窗口", service_point=point)
    applicant = party_create(name="吴十", id_number="410102199003071230", phone="13911112222", region_code="410102")
    case = line.consultation_record(actor=clerk, channel="window", question="工资拖欠怎么办？", answer="可申请劳动仲裁。",
                                    applicant=applicant).case
    bodies = list(OutboxMessage.objects.filter(related_id=str(case.pk), channel="sms").order_by("id")
                  .values_list("body", flat=True))
    assert bodies[0].endswith(f"查询进度：https://12348.example.gov.cn/progress/?number={case.number}")
    assert case.query_code in bodies[0]
    assert not any("progress" in body for body in bodies[1:]), "only the notice that gives the code"
