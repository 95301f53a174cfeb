"""The WeChat tests answer real consultations: the consultation tests' statutes, FAQ and catalogue.
Pushes go to ``FakeWechatApi``, a stand-in for WeChat's API on 127.0.0.1."""

from __future__ import annotations

import json
import threading
import urllib.parse
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest

from consultation.conftest import catalog, faq, laws  # noqa: F401  (fixtures)
from fawang.portal.wechat_push import ADAPTER_PATH

APP_SECRET = "test-app-secret"


class FakeWechatApi:
    """Serves ``stable_token`` and ``message/custom/send``; ``send_errors`` are answered in turn
    (0 = accepted) and then every send is accepted."""

    def __init__(self) -> None:
        self.token_requests: list[dict] = []
        self.sent: list[dict] = []
        self.send_tokens: list[str] = []
        self.send_errors: list[int] = []
        self.tokens_issued = 0
        self.mass: list[dict] = []
        self.mass_errors: list[int] = []
        self.client_msg_ids: set[str] = set()
        self.templates: list[dict] = []
        self.template_errors: list[int] = []
        fake = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):  # http.server calls do_<METHOD>
                url = urllib.parse.urlsplit(self.path)
                body = json.loads(self.rfile.read(int(self.headers["Content-Length"])) or b"{}")
                if url.path == "/cgi-bin/stable_token":
                    fake.token_requests.append(body)
                    fake.tokens_issued += 1
                    payload = {"access_token": f"token-{fake.tokens_issued}", "expires_in": 7200}
                    if body.get("secret") != APP_SECRET:
                        payload = {"errcode": 40125, "errmsg": "invalid appsecret"}
                elif url.path == "/cgi-bin/message/mass/send":
                    fake.mass.append(body)
                    code = fake.mass_errors.pop(0) if fake.mass_errors else 0
                    if code == 0 and body.get("clientmsgid") in fake.client_msg_ids:
                        code = 45065
                    if code == 0:
                        fake.client_msg_ids.add(body.get("clientmsgid"))
                    payload = {"errcode": code, "errmsg": "ok" if code == 0 else "refused",
                               **({"msg_id": 1000 + len(fake.mass)} if code == 0 else {})}
                elif url.path == "/cgi-bin/message/template/send":
                    code = fake.template_errors.pop(0) if fake.template_errors else 0
                    if code == 0:
                        fake.templates.append(body)
                    payload = {"errcode": code, "errmsg": "ok" if code == 0 else "refused",
                               **({"msgid": 2000 + len(fake.templates)} if code == 0 else {})}
                elif url.path == "/cgi-bin/message/custom/send":
                    token = urllib.parse.parse_qs(url.query)["access_token"][0]
                    fake.send_tokens.append(token)
                    code = fake.send_errors.pop(0) if fake.send_errors else 0
                    if code == 0:
                        fake.sent.append(body)
                    payload = {"errcode": code, "errmsg": "ok" if code == 0 else "refused"}
                else:
                    self.send_response(404)
                    self.end_headers()
                    return
                data = json.dumps(payload).encode()
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            def log_message(self, *args):
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}/cgi-bin/"
        threading.Thread(target=self.server.serve_forever, daemon=True).start()

    def texts_to(self, openid: str) -> list[str]:
        return [m["text"]["content"] for m in self.sent if m["touser"] == openid and m["msgtype"] == "text"]

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


@pytest.fixture
def wechat_api(settings):
    """The account configured with its AppSecret, so that the "wechat" channel really pushes."""
    fake = FakeWechatApi()
    settings.FAWANG_WECHAT_TOKEN = "fawang-test-token"
    settings.FAWANG_WECHAT_APP_ID = "wx0123456789abcdef"
    settings.FAWANG_WECHAT_APP_SECRET = APP_SECRET
    settings.FAWANG_WECHAT_API_BASE = fake.url
    settings.FAWANG_NOTIFICATION_ADAPTERS = {**settings.FAWANG_NOTIFICATION_ADAPTERS, "wechat": ADAPTER_PATH}
    yield fake
    fake.close()


