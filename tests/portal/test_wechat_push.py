"""Writing to WeChat followers first (客服消息), against a fake WeChat API server on 127.0.0.1: late
answers, staff results of cases that began in the chat, WeChat's 48-hour window (SMS instead, or
held until the follower writes again) and access tokens."""

from __future__ import annotations

import pytest

from consultation.conftest import service_point
from fawang.accounts.models import Role, User
from fawang.consultation import services_line as line
from fawang.consultation.models import SmartConsultation
from fawang.core.models import OutboxMessage, OutboxStatus
from fawang.core.outbox import outbox_dispatch_pending, outbox_enqueue
from fawang.portal import services_wechat
from fawang.portal.models import ReplyPush, WechatFollower, WechatHeldNotice, WechatMessage
from fawang.portal.wechat import InboundMessage
from fawang.portal.wechat_push import push_available

from .conftest import APP_SECRET
from .test_wechat import QUESTION, _xml, post, reply_of, text

pytestmark = pytest.mark.django_db


def _wechat_outbox() -> list[OutboxMessage]:
    return list(OutboxMessage.objects.filter(channel="wechat").order_by("id"))


# --- the adapter -----------------------------------------------------------------------------------
def test_pushes_text_with_one_stable_token_for_several_messages(wechat_api):
    for n in (1, 2):
        outbox_enqueue(channel="wechat", recipient="o-citizen-1", subject="办理进度", body=f"第{n}条通知",
                       idempotency_key=f"push-{n}")
    assert outbox_dispatch_pending()["sent"] == 2
    assert wechat_api.texts_to("o-citizen-1") == ["办理进度\n第1条通知", "办理进度\n第2条通知"]
    assert len(wechat_api.token_requests) == 1 and wechat_api.send_tokens == ["token-1", "token-1"]
    request = wechat_api.token_requests[0]
    assert request == {"grant_type": "client_credential", "appid": "wx0123456789abcdef", "secret": APP_SECRET,
                       "force_refresh": False}


def test_a_rejected_token_is_renewed_once_and_the_message_sent(wechat_api):
    wechat_api.send_errors = [40001]
    outbox_enqueue(channel="wechat", recipient="o-citizen-1", subject="", body="通知", idempotency_key="push-1")
    assert outbox_dispatch_pending()["sent"] == 1
    assert wechat_api.send_tokens == ["token-1", "token-2"]
    assert [r["force_refresh"] for r in wechat_api.token_requests] == [False, True]


def test_failures_are_retried_and_a_wrong_secret_says_why(wechat_api, settings):
    wechat_api.send_errors = [-1]  # WeChat's "system busy"
    message = outbox_enqueue(channel="wechat", recipient="o-citizen-1", subject="", body="通知",
                             idempotency_key="push-1")
    assert outbox_dispatch_pending()["retry"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and "WeChat -1" in message.last_error
    settings.FAWANG_WECHAT_APP_SECRET = "wrong"
    from django.core.cache import cache

    cache.clear()
    from fawang.core.outbox import outbox_send

    assert outbox_send(message) == OutboxStatus.PENDING
    message.refresh_from_db()
    assert "40125" in message.last_error and wechat_api.sent == []


def test_push_is_off_with_the_console_adapter(settings):
    settings.FAWANG_NOTIFICATION_ADAPTERS = {**settings.FAWANG_NOTIFICATION_ADAPTERS,
                                             "wechat": "fawang.core.notifications.ConsoleAdapter"}
    assert not push_available()


# --- the 48-hour window ----------------------------------------------------------------------------
def test_a_notice_for_a_follower_away_for_48_hours_waits_until_they_write(client, wechat_api):
    WechatFollower.objects.create(openid="o-citizen-1")
    wechat_api.send_errors = [45015]
    message = outbox_enqueue(channel="wechat", recipient="o-citizen-1", subject="办理进度", body="已办结",
                             idempotency_key="push-1")
    assert outbox_dispatch_pending()["held"] == 1
    message.refresh_from_db()
    assert message.status == OutboxStatus.HELD and "45015" in message.last_error
    assert WechatHeldNotice.objects.get().outbox_message == message

    # WeChat's automatic location report does not reopen the window; a message does.
    post(client, _xml(MsgType="event", Event="LOCATION", Latitude="34.7", Longitude="113.6", Precision="30"))
    message.refresh_from_db()
    assert message.status == OutboxStatus.HELD
    assert "公共法律服务" in reply_of(post(client, text("帮助", 91001)))["Content"]
    message.refresh_from_db()
    assert message.status == OutboxStatus.PENDING and not WechatHeldNotice.objects.exists()
    assert outbox_dispatch_pending()["sent"] == 1
    assert wechat_api.texts_to("o-citizen-1") == ["办理进度\n已办结"]


# --- results of cases that began in the chat (O4) ----------------------------------------------------
def _staff(role: str, point) -> User:
    return User.objects.create_user(username=f"push-{role}", password="pw-Test-12345", role=role,
                                    real_name="工作人员", service_point=point)


def _consult_in_the_chat(client) -> tuple[SmartConsultation, object]:
    """A follower tied to a county point by its QR code asks; the consultation is filed there."""
    point = service_point("SP-PUSH-01", "410102")
    post(client, _xml(MsgType="event", Event="subscribe", EventKey="qrscene_SP-PUSH-01"))
    reply_of(post(client, text(QUESTION, 91100)))
    consultation = SmartConsultation.objects.get()
    assert consultation.case_number and consultation.region_code == "410102"
    assert _wechat_outbox() == [], "answering in the chat queues no push"
    return consultation, point


def test_results_of_a_case_converted_from_a_chat_consultation_go_back_to_the_chat(client, wechat_api, laws, faq,
                                                                                    catalog):
    consultation, point = _consult_in_the_chat(client)
    agent = _staff(Role.HOTLINE_AGENT, point)
    record = line.consultation_record_from_smart(smart=consultation, actor=agent)
    notary = line.consultation_convert(record=record, actor=agent, target="notary", notary_matter="遗嘱公证")
    assert notary.channel == "wechat" and notary.applicant is None

    pushed = _wechat_outbox()
    assert pushed and {m.recipient for m in pushed} == {"o-citizen-1"}
    assert outbox_dispatch_pending()["sent"] >= 1
    texts = wechat_api.texts_to("o-citizen-1")
    assert any(notary.number in t for t in texts)

    # Days later WeChat refuses (48 hours passed) and there is no phone: held until the follower writes.
    wechat_api.send_errors = [45015] * 10
    from fawang.cases.services import case_accept, case_complete, case_deliver_result

    clerk = _staff(Role.WINDOW_CLERK, point)
    case_accept(case=notary, actor=clerk)
    case_complete(case=notary, actor=clerk, result="公证书已出具，请到窗口领取。")
    case_deliver_result(case=notary, actor=clerk)
    held_count = outbox_dispatch_pending()["held"]
    assert held_count >= 1 and WechatHeldNotice.objects.count() == held_count
    assert {h.follower.openid for h in WechatHeldNotice.objects.all()} == {"o-citizen-1"}
    assert any("公证书已出具" in h.outbox_message.body for h in WechatHeldNotice.objects.all())
    wechat_api.send_errors = []
    reply_of(post(client, text("你好", 91101)))
    assert outbox_dispatch_pending()["sent"] == held_count
    assert "公证书已出具" in wechat_api.texts_to("o-citizen-1")[-1]


def test_with_a_phone_a_refused_notice_goes_by_sms_instead(client, wechat_api, laws, faq, catalog):
    from fawang.cases.services import party_create

    consultation, point = _consult_in_the_chat(client)
    agent = _staff(Role.HOTLINE_AGENT, point)
    record = line.consultation_record_from_smart(smart=consultation, actor=agent)
    applicant = party_create(name="吴十", id_number="410102199003071230", phone="13911112222", region_code="410102")
    wechat_api.send_errors = [45015] * 20
    aid = line.consultation_convert(record=record, actor=agent, target="legal_aid", matter="labour_remuneration",
                                    applicant=applicant)
    assert outbox_dispatch_pending()["held"] >= 1
    assert outbox_dispatch_pending()["sent"] >= 1  # the SMS copies, queued by the first run
    refused = [m for m in _wechat_outbox() if m.related_id == str(aid.pk)]
    assert refused and all(m.recipient == "o-citizen-1" for m in refused)
    for message in refused:
        message.refresh_from_db()
        assert message.status == OutboxStatus.FAILED and message.last_error.endswith("sent by SMS instead")
        sms = OutboxMessage.objects.get(idempotency_key=f"{message.idempotency_key}:sms")
        assert sms.channel == "sms" and sms.recipient == "13911112222" and sms.body == message.body
        assert sms.status == OutboxStatus.SENT
    assert not WechatHeldNotice.objects.exists(), "sent by SMS: nothing waits for the follower"


def test_a_window_record_marked_wechat_still_goes_by_sms(wechat_api, laws, faq, catalog):
    """Only cases that began in a chat are answered in it: a clerk may record "WeChat" as the channel
    of a consultation made at the window, and no follower is known for it."""
    from fawang.cases.services import party_create

    point = service_point("SP-PUSH-02", "410102")
    applicant = party_create(name="吴十", id_number="410102199003071230", phone="13911112222", region_code="410102")
    record = line.consultation_record(actor=_staff(Role.WINDOW_CLERK, point), channel="wechat",
                                      question="工资拖欠怎么办", answer="可申请劳动仲裁。", applicant=applicant)
    assert record.case.channel == "wechat"
    assert _wechat_outbox() == []
    assert OutboxMessage.objects.filter(channel="sms", related_id=str(record.case.pk)).exists()


# --- answers WeChat stopped waiting for --------------------------------------------------------------
def _inbound(msg_id: int) -> InboundMessage:
    return InboundMessage(key=f"msg:{msg_id}", openid="o-citizen-1", account="gh_12348henan", kind="text",
                          text=QUESTION)


def test_an_answer_finished_after_the_last_wait_is_pushed_once(client, wechat_api, laws, faq, monkeypatch):
    """The first try is still answering when WeChat's retry gives up waiting: the retry answers
    nothing (so WeChat stops retrying) and the answer, once written, is pushed — exactly once."""
    monkeypatch.setattr(services_wechat, "RETRY_WAIT_SECONDS", 0)
    real_consult = services_wechat.consult
    retries: list[str] = []
    links = services_wechat.ReplyLinks(opinion=lambda c: "http://testserver/o/", ask="http://testserver/a/",
                                       faq="http://testserver/f/")

    def slow_consult(**kwargs):
        # WeChat's retries arrive while this (the first try) is still answering
        retries.append(services_wechat.wechat_message_receive(message=_inbound(91200), links=links))
        retries.append(services_wechat.wechat_message_receive(message=_inbound(91200), links=links))
        return real_consult(**kwargs)

    monkeypatch.setattr(services_wechat, "consult", slow_consult)
    first = reply_of(post(client, text(QUESTION, 91200)))["Content"]  # WeChat no longer listens to this one
    assert retries == ["", ""]
    record = WechatMessage.objects.get(message_key="msg:91200")
    assert record.push == ReplyPush.QUEUED and record.reply == first
    assert [m.recipient for m in _wechat_outbox()] == ["o-citizen-1"]
    assert outbox_dispatch_pending()["sent"] == 1
    assert wechat_api.texts_to("o-citizen-1") == [first]
    # a retry after the push was decided gets nothing more
    assert services_wechat.wechat_message_receive(message=_inbound(91200), links=links) == ""
    assert len(_wechat_outbox()) == 1


def test_without_pushes_a_late_answer_is_only_recorded(client, laws, faq, monkeypatch, settings):
    settings.FAWANG_WECHAT_TOKEN = "fawang-test-token"
    monkeypatch.setattr(services_wechat, "RETRY_WAIT_SECONDS", 0)
    follower = WechatFollower.objects.create(openid="o-citizen-1")
    WechatMessage.objects.create(message_key="msg:91300", follower=follower, kind="text", text=QUESTION)
    assert post(client, text(QUESTION, 91300)).content == b"success"
    assert WechatMessage.objects.get(message_key="msg:91300").push == ReplyPush.NONE
    assert _wechat_outbox() == []


# --- progress in the chat -----------------------------------------------------------------------------
def test_progress_of_the_followers_own_matters_and_of_any_case_with_its_code(client, laws, faq, catalog, settings):
    settings.FAWANG_WECHAT_TOKEN = "fawang-test-token"
    consultation, point = _consult_in_the_chat(client)
    nothing = reply_of(post(client, text("进度", 91400)))["Content"]
    assert "还没有转为申请的事项" in nothing and "http://testserver/progress/" in nothing

    agent = _staff(Role.HOTLINE_AGENT, point)
    record = line.consultation_record_from_smart(smart=consultation, actor=agent)
    notary = line.consultation_convert(record=record, actor=agent, target="notary", notary_matter="遗嘱公证")
    mine = reply_of(post(client, text("查询进度", 91401)))["Content"]
    assert notary.number in mine and "已登记" in mine and notary.item.name in mine
    # the menu button says the same; another follower sees none of it
    assert notary.number in reply_of(post(client, _xml(MsgType="event", Event="CLICK",
                                                       EventKey=services_wechat.MENU_PROGRESS)))["Content"]
    other = reply_of(post(client, text("进度", 91402, openid="o-citizen-2")))["Content"]
    assert notary.number not in other

    # any case, by number and query code, as on the website; a wrong code finds nothing
    by_code = reply_of(post(client, text(f"进度 {notary.number} {notary.query_code}", 91403, openid="o-citizen-2")))
    assert notary.number in by_code["Content"] and "已登记" in by_code["Content"]
    wrong_code = str((int(notary.query_code) + 1) % 10 ** len(notary.query_code)).zfill(len(notary.query_code))
    wrong = reply_of(post(client, text(f"进度 {notary.number} {wrong_code}", 91404, openid="o-citizen-2")))["Content"]
    assert "没有找到该事项" in wrong and "已登记" not in wrong
    assert "查询码" in reply_of(post(client, text(f"进度 {notary.number}", 91405)))["Content"]


def test_after_48_hours_a_case_notice_goes_as_the_accounts_template_message(client, wechat_api, laws, faq, catalog,
                                                                          settings):
    """Legal aid decisions and mediation results come days later, when customer-service messages are
    refused: with a notice template configured, the follower still hears on WeChat."""
    settings.FAWANG_WECHAT_NOTICE_TEMPLATE = "tpl-case-progress"
    settings.FAWANG_WECHAT_NOTICE_TEMPLATE_FIELDS = "thing1=subject,character_string2=number,thing3=body,time4=time"
    settings.FAWANG_PUBLIC_URL = "https://12348.example.gov.cn/"
    consultation, point = _consult_in_the_chat(client)
    agent = _staff(Role.HOTLINE_AGENT, point)
    record = line.consultation_record_from_smart(smart=consultation, actor=agent)
    wechat_api.send_errors = [45015] * 10
    notary = line.consultation_convert(record=record, actor=agent, target="notary", notary_matter="遗嘱公证")
    counts = outbox_dispatch_pending()
    assert counts["sent"] >= 1 and counts["held"] == 0 and wechat_api.sent == []
    sent = wechat_api.templates[0]
    assert sent["touser"] == "o-citizen-1" and sent["template_id"] == "tpl-case-progress"
    assert sent["url"] == f"https://12348.example.gov.cn/progress/?number={notary.number}"
    data = sent["data"]
    assert data["character_string2"]["value"] == notary.number
    assert len(data["thing1"]["value"]) <= 20 and len(data["thing3"]["value"]) <= 20
    assert data["thing3"]["value"].endswith("…") and "年" in data["time4"]["value"]

    # someone who unfollowed gets nothing now: held until they come back
    wechat_api.send_errors = [43004]
    from fawang.cases.services import case_accept

    case_accept(case=notary, actor=_staff(Role.WINDOW_CLERK, point))
    assert outbox_dispatch_pending()["held"] == 1 and len(wechat_api.templates) == counts["sent"]
