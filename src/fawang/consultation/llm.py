"""Optional LLM phrasing of an answer (OpenAI-compatible chat completions over plain HTTP).

The platform never depends on it: when ``FAWANG_LLM_BASE_URL`` is empty, on any error, on a
timeout, or when the model cites an article we did not give it, the caller keeps the template
answer. The model only *phrases*: the prompt carries the retrieved articles and FAQ answers, and
the output is checked so that every 《law》第N条 it cites is one of them.
"""

from __future__ import annotations

import json
import logging
import re
import urllib.error
import urllib.request
from collections.abc import Sequence
from dataclasses import dataclass

from django.conf import settings

logger = logging.getLogger(__name__)

DEFAULT_TIMEOUT = 20.0
_CITE = re.compile(r"《([^》]{2,60})》\s*(第[零〇一二两三四五六七八九十百千\d]+条(?:之[一二三四五六七八九十]+)?)")

SYSTEM_PROMPT = (
    "你是公共法律服务平台的法律咨询助手。请只依据用户消息中给出的法律条文回答，用通俗、平和的中文，"
    "分3至6句话说明适用的法律规定和可以采取的步骤。引用法条时写成《法律名称》第X条的形式，"
    "只能引用给出的条文，不得编造条文、案例或数字。不要索取当事人的身份证号等个人信息。"
)


class LLMError(Exception):
    """Any failure of the optional LLM path; callers fall back to the template answer."""


@dataclass(frozen=True)
class SourceArticle:
    law: str
    label: str
    text: str


def is_configured() -> bool:
    return bool(getattr(settings, "FAWANG_LLM_BASE_URL", ""))


def build_messages(question: str, articles: Sequence[SourceArticle], faq_answers: Sequence[str] = ()) -> list[dict]:
    parts = [f"群众的问题：{question.strip()}", "", "可以引用的法律条文："]
    for a in articles:
        parts.append(f"《{a.law}》{a.label}：{a.text.strip()[:600]}")
    if faq_answers:
        parts += ["", "参考解答（由平台律师撰写）："]
        parts += [f"- {answer}" for answer in faq_answers]
    return [{"role": "system", "content": SYSTEM_PROMPT}, {"role": "user", "content": "\n".join(parts)}]


def _norm_law(title: str) -> str:
    return title.removeprefix("中华人民共和国").strip()


def cited_outside(answer: str, articles: Sequence[SourceArticle]) -> list[str]:
    """Citations in ``answer`` that are not among ``articles`` (empty list = answer is clean)."""
    allowed = {(_norm_law(a.law), a.label) for a in articles}
    bad = []
    for law, label in _CITE.findall(answer):
        if (_norm_law(law), label) not in allowed:
            bad.append(f"《{law}》{label}")
    return bad


def chat(messages: list[dict], *, timeout: float | None = None) -> str:
    """One chat-completions call; returns the assistant text or raises LLMError."""
    base = getattr(settings, "FAWANG_LLM_BASE_URL", "").rstrip("/")
    if not base:
        raise LLMError("LLM not configured")
    body = json.dumps({
        "model": getattr(settings, "FAWANG_LLM_MODEL", "") or "default",
        "messages": messages,
        "temperature": 0.2,
    }).encode("utf-8")
    headers = {"Content-Type": "application/json"}
    key = getattr(settings, "FAWANG_LLM_API_KEY", "")
    if key:
        headers["Authorization"] = f"Bearer {key}"
    request = urllib.request.Request(f"{base}/chat/completions", data=body, headers=headers, method="POST")
    try:
        with urllib.request.urlopen(request, timeout=timeout or DEFAULT_TIMEOUT) as response:
            payload = json.loads(response.read().decode("utf-8"))
        text = payload["choices"][0]["message"]["content"]
    except (urllib.error.URLError, TimeoutError, OSError, ValueError, KeyError, IndexError, TypeError) as exc:
        raise LLMError(str(exc)) from exc
    if not isinstance(text, str) or not text.strip():
        raise LLMError("empty answer")
    return text.strip()


def phrase_answer(question: str, articles: Sequence[SourceArticle], faq_answers: Sequence[str] = (), *,
                  timeout: float | None = None) -> str | None:
    """The LLM's phrasing, or None when the LLM is off, fails, or cites outside ``articles``."""
    if not is_configured() or not articles:
        return None
    try:
        text = chat(build_messages(question, articles, faq_answers), timeout=timeout)
    except LLMError as exc:
        logger.warning("LLM phrasing failed, using the template answer: %s", exc)
        return None
    bad = cited_outside(text, articles)
    if bad:
        logger.warning("LLM cited articles it was not given (%s); using the template answer", ", ".join(bad))
        return None
    return text
