"""The WeChat official account endpoint (/wechat/): WeChat's signatures and safe-mode encryption,
implemented here from the protocol's description (not with wechatpy, which the product uses), so
that the test checks interoperability rather than agreement with itself."""

from __future__ import annotations

import base64
import hashlib
import os
import struct
import time
import uuid
import xml.etree.ElementTree as ET

import pytest
from cryptography.hazmat.primitives.ciphers import Cipher, algorithms, modes
from django.utils import timezone

from consultation.conftest import service_point
from fawang.consultation import services as consultation_services
from fawang.consultation.models import SmartConsultation
from fawang.portal import services_wechat
from fawang.portal.models import WechatFollower, WechatMessage

pytestmark = pytest.mark.django_db

TOKEN = "fawang-test-token"
APP_ID = "wx0123456789abcdef"
AES_KEY = base64.b64encode(bytes(range(32))).decode().rstrip("=")  # 43 characters, as WeChat issues them
ACCOUNT = "gh_12348henan"
QUESTION = "公司拖欠我三个月工资一直不发，我该怎么办？"


@pytest.fixture
def account(settings):
    settings.FAWANG_WECHAT_TOKEN = TOKEN
    settings.FAWANG_WECHAT_APP_ID = APP_ID
    settings.FAWANG_WECHAT_AES_KEY = AES_KEY


def _sha1(*parts: str) -> str:
    return hashlib.sha1("".join(sorted(parts)).encode()).hexdigest()


def _query(**extra: str) -> str:
    timestamp, nonce = str(int(time.time())), uuid.uuid4().hex[:10]
    params = {"signature": _sha1(TOKEN, timestamp, nonce), "timestamp": timestamp, "nonce": nonce, **extra}
    return "&".join(f"{k}={v}" for k, v in params.items())


def _xml(openid: str = "o-citizen-1", **fields: str | int) -> str:
    body = "".join(f"<{k}>{v}</{k}>" if isinstance(v, int) else f"<{k}><![CDATA[{v}]]></{k}>"
                   for k, v in fields.items())
    return (f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><FromUserName><![CDATA[{openid}]]></FromUserName>"
            f"<CreateTime>{int(time.time())}</CreateTime>{body}</xml>")


def text(content: str, msg_id: int, openid: str = "o-citizen-1") -> str:
    return _xml(openid, MsgType="text", Content=content, MsgId=msg_id)


def post(client, xml: str, query: str | None = None):
    return client.post(f"/wechat/?{query or _query()}", data=xml.encode(), content_type="text/xml")


def reply_of(response) -> dict[str, str]:
    assert response.status_code == 200, response.content
    root = ET.fromstring(response.content.decode())
    return {child.tag: child.text or "" for child in root}


# --- safe mode, written from WeChat's description: AES-256-CBC, key = EncodingAESKey + "=" base64-decoded,
# IV = its first 16 bytes, plaintext = 16 random bytes + 4-byte length + message + AppID, PKCS#7 to 32 bytes.
def _cipher():
    key = base64.b64decode(AES_KEY + "=")
    return Cipher(algorithms.AES(key), modes.CBC(key[:16]))


def encrypt(xml: str) -> str:
    raw = xml.encode()
    plain = os.urandom(16) + struct.pack(">I", len(raw)) + raw + APP_ID.encode()
    pad = 32 - len(plain) % 32
    plain += bytes([pad]) * pad
    enc = _cipher().encryptor()
    return base64.b64encode(enc.update(plain) + enc.finalize()).decode()


def decrypt(ciphertext: str) -> tuple[str, str]:
    dec = _cipher().decryptor()
    plain = dec.update(base64.b64decode(ciphertext)) + dec.finalize()
    plain = plain[: -plain[-1]]
    length = struct.unpack(">I", plain[16:20])[0]
    return plain[20:20 + length].decode(), plain[20 + length:].decode()


def post_encrypted(client, xml: str):
    ciphertext = encrypt(xml)
    timestamp, nonce = str(int(time.time())), "n0nce"
    query = (f"signature={_sha1(TOKEN, timestamp, nonce)}&timestamp={timestamp}&nonce={nonce}&openid=o-citizen-1"
             f"&encrypt_type=aes&msg_signature={_sha1(TOKEN, timestamp, nonce, ciphertext)}")
    envelope = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
    return post(client, envelope, query)


# --- tests -------------------------------------------------------------------------------------------
def test_the_endpoint_is_off_until_the_account_is_configured(client, settings):
    settings.FAWANG_WECHAT_TOKEN = ""
    assert client.get(f"/wechat/?{_query(echostr='x')}").status_code == 404
    assert post(client, text(QUESTION, 1)).status_code == 404


def test_the_url_check_echoes_only_a_correctly_signed_echostr(client, account):
    response = client.get(f"/wechat/?{_query(echostr='8274651930')}")
    assert response.status_code == 200 and response.content == b"8274651930"
    forged = client.get("/wechat/?signature=0000&timestamp=1&nonce=2&echostr=8274651930")
    assert forged.status_code == 403 and b"8274651930" not in forged.content
    # a correctly signed but old query (seen once, replayed later) is refused
    old = str(int(time.time()) - 3600)
    replayed = client.get(f"/wechat/?signature={_sha1(TOKEN, old, 'n1')}&timestamp={old}&nonce=n1&echostr=1")
    assert replayed.status_code == 403


def test_a_question_is_answered_in_the_chat_recorded_and_filed_once(client, account, laws, faq):
    response = post(client, text(QUESTION, 90001))
    reply = reply_of(response)
    assert reply["ToUserName"] == "o-citizen-1" and reply["FromUserName"] == ACCOUNT and reply["MsgType"] == "text"
    content = reply["Content"]
    assert len(content.encode()) <= 2048
    consultation = SmartConsultation.objects.get()
    assert consultation.channel == "wechat" and consultation.question == QUESTION
    assert consultation.category == "劳动纠纷" and content.startswith(consultation.answer_text[:30])
    assert f"http://testserver/consult/o/{consultation.public_id}/" in content
    assert "回复“人工”" in content and "12348" in content
    message = WechatMessage.objects.get()
    assert message.text == QUESTION and message.consultation == consultation and message.reply == content
    assert WechatFollower.objects.get().last_consultation == consultation

    # WeChat retries a message it got no answer to in time: same reply, no second consultation.
    again = reply_of(post(client, text(QUESTION, 90001)))
    assert again["Content"] == content
    assert SmartConsultation.objects.count() == 1 and WechatMessage.objects.count() == 1
    # The same words sent again as a new message are a new consultation.
    post(client, text(QUESTION, 90002))
    assert SmartConsultation.objects.count() == 2


def test_the_chat_gets_the_template_answer_even_with_an_llm_configured(client, account, laws, faq, monkeypatch):
    """WeChat gives up on a reply after 5 seconds; the LLM is allowed 20."""
    from fawang.consultation import llm

    monkeypatch.setattr(llm, "is_configured", lambda: True)
    monkeypatch.setattr(llm, "phrase_answer", lambda *a, **k: pytest.fail("the LLM was called for a WeChat reply"))
    reply_of(post(client, text(QUESTION, 90060)))
    assert SmartConsultation.objects.get().answer_source == "template"


def test_a_retry_while_the_first_try_is_still_answering_waits_for_its_reply(client, account, monkeypatch):
    """WeChat resends after 5 seconds; a cold worker may take longer than that to answer the first try.
    The retry must deliver that answer, not a second consultation and not an empty reply."""
    follower = WechatFollower.objects.create(openid="o-citizen-1")
    WechatMessage.objects.create(message_key="msg:90070", follower=follower, kind="text", text=QUESTION)
    waits = []

    def first_try_finishes(seconds):  # stands for the first request's transaction committing meanwhile
        waits.append(seconds)
        WechatMessage.objects.filter(message_key="msg:90070").update(reply="第一次的答复", replied_at=timezone.now())

    monkeypatch.setattr(services_wechat.time, "sleep", first_try_finishes)
    assert reply_of(post(client, text(QUESTION, 90070)))["Content"] == "第一次的答复"
    assert len(waits) == 1 and not SmartConsultation.objects.exists()

    # an answer still not written when the wait is over: nothing to send (WeChat shows nothing)
    WechatMessage.objects.create(message_key="msg:90071", follower=follower, kind="text", text=QUESTION)
    monkeypatch.setattr(services_wechat, "RETRY_WAIT_SECONDS", 0)
    assert post(client, text(QUESTION, 90071)).content == b"success"


def test_safe_mode_messages_are_decrypted_and_replies_encrypted(client, account, laws, faq):
    response = post_encrypted(client, text(QUESTION, 90010))
    envelope = reply_of(response)
    assert envelope["MsgSignature"] == _sha1(TOKEN, envelope["TimeStamp"], envelope["Nonce"], envelope["Encrypt"])
    inner, app_id = decrypt(envelope["Encrypt"])
    assert app_id == APP_ID
    reply = {child.tag: child.text or "" for child in ET.fromstring(inner)}
    assert reply["ToUserName"] == "o-citizen-1" and "劳动纠纷" in reply["Content"]
    assert SmartConsultation.objects.get().channel == "wechat"


def test_refused_requests_record_nothing(client, account, settings):
    bad_signature = "signature=0000&timestamp=1&nonce=2"
    assert post(client, text(QUESTION, 1), bad_signature).status_code == 403
    assert post(client, "<xml><Content>没有发送人</Content></xml>").status_code == 400
    assert post(client, "not xml at all").status_code == 400
    bomb = '<!DOCTYPE x [<!ENTITY a "aaaa">]>' + text("&a;", 2)
    assert post(client, bomb).status_code == 400
    assert post(client, text("长" * 70_000, 3)).status_code == 413
    # safe mode with a ciphertext signed by someone without the token
    ciphertext = encrypt(text(QUESTION, 4))
    forged = _query(encrypt_type="aes", msg_signature="0" * 40)
    envelope = f"<xml><ToUserName><![CDATA[{ACCOUNT}]]></ToUserName><Encrypt><![CDATA[{ciphertext}]]></Encrypt></xml>"
    assert post(client, envelope, forged).status_code == 403
    # safe mode needs the AES key
    settings.FAWANG_WECHAT_AES_KEY = ""
    assert post_encrypted(client, text(QUESTION, 5)).status_code == 403
    assert not WechatMessage.objects.exists() and not SmartConsultation.objects.exists()


def test_a_shared_location_picks_the_service_point_for_later_answers(client, account, laws, faq, catalog):
    near = service_point("410102001", "410102", lat=34.76, lng=113.65)
    service_point("410522001", "410522", lat=36.10, lng=114.39)
    located = reply_of(post(client, _xml(MsgType="location", Location_X="34.75", Location_Y="113.66", Scale=15,
                                         Label="郑州市中原区", MsgId=90020)))
    assert near.name in located["Content"] and "公里" in located["Content"]
    follower = WechatFollower.objects.get()
    assert follower.service_point == near and follower.region_code == "410102"
    assert WechatMessage.objects.get(message_key="msg:90020").text == "", "the address label is not kept"

    content = reply_of(post(client, text(QUESTION, 90021)))["Content"]
    consultation = SmartConsultation.objects.get()
    assert consultation.region_code == "410102" and consultation.service_point == near
    assert f"就近服务点：{near.name}" in content and near.phone in content
    from fawang.cases.models import Case

    case = Case.objects.get(number=consultation.case_number)  # with a region it is filed on the case spine
    assert case.channel == "wechat" and case.region_code == "410102"
    # WeChat's automatic location reports are remembered without a reply
    silent = post(client, _xml(MsgType="event", Event="LOCATION", Latitude="36.10", Longitude="114.39", Precision="30"))
    assert silent.content == b"success"
    assert WechatFollower.objects.get().region_code == "410522"


def test_a_service_points_qr_code_ties_the_follower_to_it(client, account, laws, faq):
    """Village 工作室 and township posters carry the account's QR code with the point's code as scene."""
    village = service_point("410102001001", "410102001001", kind="village_room")
    welcome = reply_of(post(client, _xml(MsgType="event", Event="subscribe", EventKey="qrscene_410102001001",
                                         Ticket="t1")))["Content"]
    assert welcome.startswith("您好") and f"就近服务点：{village.name}" in welcome
    follower = WechatFollower.objects.get()
    assert follower.service_point == village and follower.region_code == "410102001001"
    # already following, scanning another point's code moves them there; an unknown code changes nothing
    township = service_point("410102002", "410102002", kind="township_station")
    moved = reply_of(post(client, _xml(MsgType="event", Event="SCAN", EventKey="410102002", Ticket="t2")))
    assert township.name in moved["Content"]
    assert post(client, _xml(MsgType="event", Event="SCAN", EventKey="no-such-point", Ticket="t3")).content == b"success"
    assert WechatFollower.objects.get().service_point == township
    post(client, text(QUESTION, 90100))
    assert SmartConsultation.objects.get().region_code == "410102002"


def test_subscribe_help_a_person_voice_and_other_kinds(client, account, laws, faq):
    welcome = reply_of(post(client, _xml(MsgType="event", Event="subscribe")))["Content"]
    assert "人工" in welcome and "位置" in welcome and "仅供参考" in welcome
    assert reply_of(post(client, text("你好", 90030)))["Content"] == welcome

    human = reply_of(post(client, text("人工", 90031)))["Content"]
    assert "12348" in human and "http://testserver/consult/#callback" in human
    # after a consultation the link opens that consultation's opinion, whose form asks for a call back
    post(client, text(QUESTION, 90032))
    consultation = SmartConsultation.objects.get()
    human = reply_of(post(client, _xml(MsgType="event", Event="CLICK", EventKey="FAWANG_HUMAN")))["Content"]
    assert f"/consult/o/{consultation.public_id}/#callback" in human

    spoken = reply_of(post(client, _xml(MsgType="voice", MediaId="m1", Format="amr",
                                        Recognition="我被电动车撞了对方不赔钱", MsgId=90033)))["Content"]
    assert SmartConsultation.objects.filter(question="我被电动车撞了对方不赔钱", channel="wechat").exists()
    assert "意见书" in spoken
    unheard = reply_of(post(client, _xml(MsgType="voice", MediaId="m2", Format="amr", MsgId=90034)))["Content"]
    assert "没有听清" in unheard
    picture = reply_of(post(client, _xml(MsgType="image", PicUrl="http://x/y.jpg", MediaId="m3", MsgId=90035)))
    assert "文字" in picture["Content"]
    assert SmartConsultation.objects.count() == 2

    assert post(client, _xml(MsgType="event", Event="unsubscribe")).content == b"success"
    assert not WechatFollower.objects.get().is_subscribed


def test_a_call_back_can_be_asked_for_in_the_chat(client, account, laws, faq, settings):
    from fawang.consultation.models import CallbackRequest

    post(client, text(QUESTION, 90080))
    consultation = SmartConsultation.objects.get()
    asked = reply_of(post(client, text("回电 张先生 13800138000", 90081)))["Content"]
    request = CallbackRequest.objects.get()
    assert request.name == "张先生" and request.phone == "13800138000" and request.consultation == consultation
    assert "138****8000" in asked and "13800138000" not in asked
    # no name: still recorded; a landline works too
    post(client, text("请回电：0371-67890123", 90082))
    assert CallbackRequest.objects.get(name="微信用户").phone == "0371-67890123"
    # without a number we ask for one and record nothing
    missing = reply_of(post(client, text("回电", 90083)))["Content"]
    assert "例如：回电 张先生 13800138000" in missing and CallbackRequest.objects.count() == 2
    assert SmartConsultation.objects.count() == 1, "a call-back request is not a legal question"
    # the call-back limit counts per follower here (every request comes from WeChat's servers)
    settings.FAWANG_THROTTLE = {"callback": (2, 3600)}
    flood = reply_of(post(client, text("回电 张先生 13800138000", 90084)))["Content"]
    assert "操作过于频繁" in flood and CallbackRequest.objects.count() == 2
    other = reply_of(post(client, text("回电 李女士 13900139000", 90085, openid="o-citizen-2")))["Content"]
    assert "已收到" in other and CallbackRequest.objects.count() == 3


def test_hot_topics_of_the_followers_region(client, account, laws, faq):
    service_point("410102001", "410102", lat=34.76, lng=113.65)
    post(client, _xml(MsgType="location", Location_X="34.75", Location_Y="113.66", Label="中原区", MsgId=90090))
    for n in range(3):
        post(client, text(QUESTION, 90091 + n))
    consult_elsewhere = consultation_services.consult(question="离婚后孩子归谁抚养？", region_code="410522")
    assert consult_elsewhere.region_code == "410522"
    hot = reply_of(post(client, text("热点", 90095)))["Content"]
    assert "近30天区划410102群众咨询最多的问题" in hot and "1. 劳动纠纷（3次）" in hot
    assert "婚姻家庭" not in hot, "another county's questions are not this follower's hot topics"
    assert "http://testserver/consult/faq/" in hot
    menu = reply_of(post(client, _xml(MsgType="event", Event="CLICK", EventKey="FAWANG_HOT")))["Content"]
    assert menu == hot


def test_bad_questions_get_the_reason_and_failures_keep_the_message(client, account, laws, faq, monkeypatch):
    too_long = reply_of(post(client, text("我" * 2100, 90040)))["Content"]
    assert "问题过长" in too_long and not SmartConsultation.objects.exists()
    assert WechatMessage.objects.get(message_key="msg:90040").reply == too_long

    def broken(**kwargs):
        raise RuntimeError("search index missing")

    monkeypatch.setattr(services_wechat, "consult", broken)
    sorry = reply_of(post(client, text(QUESTION, 90041)))["Content"]
    assert "暂时无法答复" in sorry and "12348" in sorry
    kept = WechatMessage.objects.get(message_key="msg:90041")
    assert kept.text == QUESTION and kept.reply == sorry and kept.consultation is None


def test_a_long_answer_is_shortened_but_the_link_and_the_way_to_a_person_stay(client, account, laws, faq,
                                                                             monkeypatch):
    real_consult = consultation_services.consult

    def wordy(**kwargs):
        c = real_consult(**kwargs)
        c.answer_text = "依据法律规定。" * 400
        return c

    monkeypatch.setattr(services_wechat, "consult", wordy)
    content = reply_of(post(client, text(QUESTION, 90050)))["Content"]
    assert len(content.encode()) <= 2048
    assert "…" in content and "/consult/o/" in content and content.rstrip().endswith("12348热线。")
