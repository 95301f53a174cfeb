"""The optional LLM client against a fake OpenAI-compatible server on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import time
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from fawang.consultation import llm
from fawang.consultation.choices import AnswerSource
from fawang.consultation.services import consult


class FakeLLM:
    """Serves /v1/chat/completions; the reply, status and delay are set per test."""

    def __init__(self) -> None:
        self.reply = ""
        self.status = 200
        self.delay = 0.0
        self.requests: list[dict] = []
        self.headers: list[dict] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server calls do_<METHOD>
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])))
                fake.requests.append({"path": self.path, **body})
                fake.headers.append(dict(self.headers))
                time.sleep(fake.delay)
                payload = json.dumps({"choices": [{"message": {"role": "assistant", "content": fake.reply}}]})
                try:
                    self.send_response(fake.status)
                    self.send_header("Content-Type", "application/json")
                    self.end_headers()
                    self.wfile.write(payload.encode())
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up (the timeout test)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/v1"
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def fake_llm(settings):
    server = FakeLLM()
    settings.FAWANG_LLM_BASE_URL = server.url
    settings.FAWANG_LLM_API_KEY = "test-key"
    settings.FAWANG_LLM_MODEL = "fake-model"
    yield server
    server.close()


ARTICLES = [llm.SourceArticle("劳动合同法", "第三十条", "用人单位应当……及时足额支付劳动报酬。")]


def test_phrases_with_the_given_articles(fake_llm):
    fake_llm.reply = "根据《劳动合同法》第三十条，单位应当及时足额支付工资。您可以申请支付令。"
    text = llm.phrase_answer("公司欠薪怎么办", ARTICLES, ["参考解答"])
    assert text == fake_llm.reply
    sent = fake_llm.requests[0]
    assert sent["path"] == "/v1/chat/completions" and sent["model"] == "fake-model"
    assert "《劳动合同法》第三十条" in sent["messages"][1]["content"]
    assert fake_llm.headers[0]["Authorization"] == "Bearer test-key"


def test_citing_an_article_not_given_falls_back(fake_llm):
    fake_llm.reply = "根据《劳动合同法》第三十条和《刑法》第二百七十六条之一，老板可能构成拒不支付劳动报酬罪。"
    assert llm.phrase_answer("公司欠薪怎么办", ARTICLES) is None
    assert llm.cited_outside(fake_llm.reply, ARTICLES) == ["《刑法》第二百七十六条之一"]


def test_full_title_counts_as_the_same_law():
    assert llm.cited_outside("依据《中华人民共和国劳动合同法》第三十条。", ARTICLES) == []


def test_server_error_falls_back(fake_llm):
    fake_llm.status = 500
    fake_llm.reply = "x"
    assert llm.phrase_answer("公司欠薪怎么办", ARTICLES) is None


def test_timeout_falls_back(fake_llm):
    fake_llm.delay = 1.0
    fake_llm.reply = "根据《劳动合同法》第三十条……"
    started = time.monotonic()
    assert llm.phrase_answer("公司欠薪怎么办", ARTICLES, timeout=0.2) is None
    assert time.monotonic() - started < 1.0


def test_unreachable_server_falls_back(settings):
    settings.FAWANG_LLM_BASE_URL = "http://127.0.0.1:9/v1"
    assert llm.phrase_answer("公司欠薪怎么办", ARTICLES, timeout=0.5) is None


def test_not_configured_is_never_called(settings):
    settings.FAWANG_LLM_BASE_URL = ""
    assert not llm.is_configured()
    assert llm.phrase_answer("公司欠薪怎么办", ARTICLES) is None


@pytest.mark.django_db
def test_consult_uses_llm_answer_and_records_the_source(fake_llm, laws, faq):
    fake_llm.reply = "您好。根据《劳动合同法》第三十条，用人单位应当及时足额支付劳动报酬，您可以申请支付令。"
    c = consult(question="公司拖欠工资三个月不发怎么办")
    assert c.answer_source == AnswerSource.LLM and c.answer_text == fake_llm.reply
    fake_llm.reply = "请参见《虚构法》第一条。"
    c2 = consult(question="公司拖欠工资三个月不发怎么办")
    assert c2.answer_source == AnswerSource.TEMPLATE and "《劳动合同法》第三十条" in c2.answer_text
