"""How long a WeChat follower waits for the answer: the /wechat/ endpoint's time per message,
against WeChat's 5-second limit for a passive reply, beside ``consult()`` alone in the same run.

    FAWANG_VAR_DIR=var .venv/bin/python benchmarks/wechat_reply.py [--questions FILE.jsonl] [--n 200]

Runs in one process over the knowledge base in ``$FAWANG_VAR_DIR`` (import laws and build the
retrieval index first). Each question is posted as a signed WeChat text message through Django's
test client (signature check, XML parsing, recording, the smart consultation, reply rendering),
and, alternately, answered by ``consult()`` directly; the first message of the process (loading
the classifier, encoder and retrieval engine) is reported apart. Everything runs inside one
transaction that is rolled back: the database is left as it was. Questions: ``question`` fields of
a JSONL file, or by default the FAQ questions shipped with the code.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "src"))
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "fawang.settings")
TOKEN = "benchmark-token"


def _signed_query() -> str:
    timestamp, nonce = str(int(time.time())), "bench"
    signature = hashlib.sha1("".join(sorted([TOKEN, timestamp, nonce])).encode()).hexdigest()
    return f"signature={signature}&timestamp={timestamp}&nonce={nonce}"


def _message(question: str, msg_id: int) -> bytes:
    return (f"<xml><ToUserName><![CDATA[gh_bench]]></ToUserName><FromUserName><![CDATA[o-bench-{msg_id % 7}]]>"
            f"</FromUserName><CreateTime>{int(time.time())}</CreateTime><MsgType><![CDATA[text]]></MsgType>"
            f"<Content><![CDATA[{question}]]></Content><MsgId>{msg_id}</MsgId></xml>").encode()


def _forget_vectors() -> None:
    from fawang.knowledge.encoder import get_encoder

    encoder = get_encoder()
    if encoder is not None:
        encoder._cache.clear()


def _pct(values: list[float], q: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(round(q * (len(ordered) - 1))))]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--questions", type=Path, help="JSONL with a question field (default: the shipped FAQ)")
    parser.add_argument("--n", type=int, default=200, help="questions to post (each also answered by consult())")
    args = parser.parse_args()

    import django

    django.setup()
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings, setup_test_environment

    from fawang.consultation.services import FAQ_PATH, consult

    if args.questions:
        rows = [json.loads(line) for line in args.questions.read_text(encoding="utf-8").splitlines() if line.strip()]
        questions = [r["question"] for r in rows]
    else:
        questions = [e["question"] for e in json.loads(FAQ_PATH.read_text(encoding="utf-8"))["entries"]]
    questions = questions[: args.n]
    setup_test_environment()
    client = Client()
    endpoint, direct, sizes = [], [], []
    with override_settings(FAWANG_WECHAT_TOKEN=TOKEN, ALLOWED_HOSTS=["testserver"]), transaction.atomic():
        t = time.perf_counter()
        first = client.post(f"/wechat/?{_signed_query()}", data=_message("老板拖欠工资不给怎么办", 1),
                            content_type="text/xml")
        first_s = time.perf_counter() - t
        assert first.status_code == 200, first.content[:300]
        for i, question in enumerate(questions):
            # Which goes first alternates, and the encoder's cache is emptied before each call: the
            # second caller of a question would otherwise get its vector for free.
            for kind in (("endpoint", "direct") if i % 2 == 0 else ("direct", "endpoint")):
                _forget_vectors()
                t = time.perf_counter()
                if kind == "endpoint":
                    response = client.post(f"/wechat/?{_signed_query()}", data=_message(question, 1000 + i),
                                           content_type="text/xml")
                    endpoint.append(time.perf_counter() - t)
                    assert response.status_code == 200, response.content[:300]
                    sizes.append(len(response.content))
                else:
                    consult(question=question, channel="wechat", use_llm=False)
                    direct.append(time.perf_counter() - t)
        transaction.set_rollback(True)
    ms = lambda v: round(v * 1000, 1)  # noqa: E731
    result = {
        "n": len(questions), "first_message_s": round(first_s, 2),
        "endpoint_p50_ms": ms(statistics.median(endpoint)), "endpoint_p95_ms": ms(_pct(endpoint, 0.95)),
        "endpoint_max_ms": ms(max(endpoint)),
        "consult_p50_ms": ms(statistics.median(direct)), "consult_p95_ms": ms(_pct(direct, 0.95)),
        "overhead_p50_ms": ms(statistics.median([a - b for a, b in zip(endpoint, direct, strict=True)])),
        "response_bytes_max": max(sizes),
    }
    print(json.dumps(result, ensure_ascii=False))


if __name__ == "__main__":
    main()
