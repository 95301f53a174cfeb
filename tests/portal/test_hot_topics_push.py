"""F16: each county's hot topics mass-sent to its WeChat followers once a month, against the fake
WeChat API of test_wechat_push: grouping, content, batches, resuming, never twice."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.management import call_command
from django.utils import timezone

from consultation.conftest import division
from fawang.consultation.models import SmartConsultation
from fawang.core.models import OutboxStatus
from fawang.portal import services_hot_push
from fawang.portal.models import HotTopicsDigest, WechatFollower
from fawang.portal.services_hot_push import follower_groups, hot_topics_push

pytestmark = pytest.mark.django_db


def _asked(region_code: str, category: str, n: int, *, days_ago: int = 3) -> None:
    at = timezone.now() - dt.timedelta(days=days_ago)
    SmartConsultation.objects.bulk_create([
        SmartConsultation(question=f"问题{i}", channel="web", category=category, answer_text="答复",
                          region_code=region_code, created_at=at) for i in range(n)])


@pytest.fixture
def followers(db):
    division("410102")
    division("410103")
    for i, region in enumerate(["410102001", "410102002", "410102", "410103001", "", ""]):
        WechatFollower.objects.create(openid=f"o-{i}", region_code=region)
    WechatFollower.objects.create(openid="o-gone", region_code="410102", is_subscribed=False)


def test_followers_are_grouped_by_county_and_lone_ones_get_the_platforms_digest(followers):
    assert follower_groups() == {"410102": ["o-0", "o-1", "o-2"], "": ["o-3", "o-4", "o-5"]}


def test_each_county_gets_its_own_hot_topics_once_a_month(followers, wechat_api, settings):
    settings.FAWANG_PUBLIC_URL = "https://12348.example.gov.cn/"
    _asked("410102001", "劳动纠纷", 4)
    _asked("410102", "婚姻家庭", 2)
    _asked("410103", "交通事故", 5)
    _asked("410102", "房产纠纷", 9, days_ago=45)  # older than 30 days: not counted

    assert hot_topics_push() == {"period": timezone.localtime().strftime("%Y-%m"), "digests": 2, "sent": 2}
    by_county = {m["clientmsgid"].rsplit("-", 1)[0].split("-", 3)[-1]: m for m in wechat_api.mass}
    county, platform = by_county["410102"], by_county["all"]
    assert county["touser"] == ["o-0", "o-1", "o-2"] and platform["touser"] == ["o-3", "o-4", "o-5"]
    text = county["text"]["content"]
    assert text.index("劳动纠纷（4次）") < text.index("婚姻家庭（2次）")
    assert "交通事故" not in text and "房产纠纷" not in text
    assert "https://12348.example.gov.cn/consult/faq/" in text and "回复“人工”" in text
    assert "交通事故（5次）" in platform["text"]["content"]
    digests = HotTopicsDigest.objects.order_by("region_code")
    assert [(d.region_code, d.status, d.recipients, d.batches_sent) for d in digests] == [
        ("", OutboxStatus.SENT, 3, 1), ("410102", OutboxStatus.SENT, 3, 1)]
    assert all(len(d.wechat_msg_ids) == 1 for d in digests)

    # The job runs again on the 2nd and 3rd: nothing is sent twice.
    assert hot_topics_push()["sent"] == 0 and len(wechat_api.mass) == 2


def test_a_county_where_nothing_was_asked_gets_nothing(followers, wechat_api):
    _asked("410103", "交通事故", 2)
    hot_topics_push()
    assert [d.region_code for d in HotTopicsDigest.objects.all()] == [""]
    assert [m["touser"] for m in wechat_api.mass] == [["o-3", "o-4", "o-5"]]


def test_a_refused_send_resumes_from_the_batch_where_it_stopped(wechat_api, monkeypatch):
    division("410102")
    for i in range(5):
        WechatFollower.objects.create(openid=f"o-{i}", region_code="410102")
    monkeypatch.setattr(services_hot_push, "MASS_BATCH", 3)
    _asked("410102", "劳动纠纷", 2)
    wechat_api.mass_errors = [0, -1]  # the first batch goes, the second is refused
    assert hot_topics_push()["sent"] == 0
    assert [m["touser"] for m in wechat_api.mass] == [["o-0", "o-1", "o-2"], ["o-3", "o-4"]]
    digest = HotTopicsDigest.objects.get()
    assert digest.status == OutboxStatus.PENDING and digest.batches_sent == 1 and "-1" in digest.last_error

    assert hot_topics_push()["sent"] == 1
    digest.refresh_from_db()
    assert digest.status == OutboxStatus.SENT and digest.batches_sent == 2 and digest.last_error == ""
    assert [m["touser"] for m in wechat_api.mass[2:]] == [["o-3", "o-4"]], "only the refused batch again"
    assert [m["clientmsgid"] for m in wechat_api.mass] == [f"hot-{digest.period}-410102-{i}" for i in (0, 1, 1)]


def test_a_batch_wechat_already_has_counts_as_sent(followers, wechat_api):
    _asked("410102", "劳动纠纷", 2)
    digests = services_hot_push.hot_topics_digests_prepare()
    county = next(d for d in digests if d.region_code == "410102")
    wechat_api.client_msg_ids.add(f"hot-{county.period}-410102-0")  # sent before a crash, not recorded
    assert services_hot_push.hot_topics_digest_send(county) == OutboxStatus.SENT
    county.refresh_from_db()
    assert county.batches_sent == 1 and county.wechat_msg_ids == []


def test_dry_run_shows_each_group_and_sends_nothing(followers, wechat_api):
    _asked("410102", "劳动纠纷", 2)
    out = io.StringIO()
    call_command("push_hot_topics", "--dry-run", stdout=out)
    text = out.getvalue()
    assert "410102: 3 人" in text and "劳动纠纷（2次）" in text
    assert not HotTopicsDigest.objects.exists() and wechat_api.mass == []


def test_the_command_refuses_without_pushes(followers, settings):
    from django.core.management.base import CommandError

    with pytest.raises(CommandError, match="FAWANG_WECHAT_APP_SECRET"):
        call_command("push_hot_topics")


def test_a_rejected_token_is_renewed_for_the_mass_send(followers, wechat_api):
    _asked("410102", "劳动纠纷", 2)
    wechat_api.mass_errors = [40001]
    assert hot_topics_push()["sent"] == 2
    assert [r["force_refresh"] for r in wechat_api.token_requests] == [False, True]
    assert len(wechat_api.client_msg_ids) == 2
