"""第四十三条: a refusal is given in writing with the reasons (and the 第四十九条 remedy)."""

from __future__ import annotations

import pytest

from fawang.core.errors import DomainError
from fawang.legalaid import services as s
from fawang.legalaid.documents import refusal_notice_html, refusal_notice_pdf

pytestmark = pytest.mark.django_db


def test_refusal_notice_in_writing_with_reasons_article_43(items, center, clerk, reviewer, approver, applicant):
    app = s.legalaid_apply(actor=clerk, applicant=applicant, channel="window", service_point=center,
                           matter="pension")
    app = s.legalaid_receive(app=app, actor=reviewer)
    with pytest.raises(DomainError):
        refusal_notice_html(app)
    app = s.legalaid_refuse(app=app, actor=approver, reasons="申请人已委托律师代理")
    html = refusal_notice_html(app)
    for text in ("不予法律援助决定书", "张三", "申请人已委托律师代理", "第四十九条", "五日内", app.case.number,
                 "请求发给抚恤金", center.name):
        assert text in html
    assert refusal_notice_pdf(app).startswith(b"%PDF")
