"""The mediation agreement document (第二十九条) as HTML and PDF (WeasyPrint, CJK font)."""

from __future__ import annotations

import datetime as dt

import pytest

from fawang.mediation import services as s
from fawang.mediation.documents import agreement_html, agreement_pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def agreement(item, station, clerk, mediator_user, committee, mediators, parties):
    a, b = parties
    m = s.mediation_apply(actor=clerk, parties=[(a, "applicant"), (b, "respondent")], summary="漏水纠纷",
                          channel="window", service_point=station, committee=committee)
    s.mediation_accept(mediation=m, actor=mediator_user)
    s.mediation_assign_mediators(mediation=m, actor=mediator_user, mediators=mediators)
    s.mediation_agree(mediation=m, actor=mediator_user, facts="李四家装修导致张三家漏水。", issues="维修费承担。",
                      responsibilities="李四承担全部责任。", terms="李四赔偿张三3000元。",
                      performance_manner="银行转账", performance_deadline=dt.date(2026, 12, 31))
    return s.mediation_sign_agreement(mediation=m, actor=mediator_user, all_parties_signed=True,
                                      mediator_signed=True, committee_sealed=True, on=dt.date(2026, 1, 16))


def test_agreement_html_has_the_contents_of_article_29(agreement):
    html = agreement_html(agreement)
    # (一) parties' basic information, in full on the printed copy
    for text in ("张三", "李四", "410102199003071230", "某街1号", "13900139000", "申请人", "被申请人"):
        assert text in html
    # (二) facts, issues, responsibilities; (三) content, manner and deadline of performance
    for text in ("李四家装修导致张三家漏水", "维修费承担", "李四承担全部责任", "李四赔偿张三3000元", "银行转账",
                 "2026年12月31日"):
        assert text in html
    # signatures, the committee's seal, copies, and the 第三十三条 reminder
    assert "人民调解员（签名）" in html and "刘调解、陈调解" in html and "人民调解委员会（印章）" in html
    assert "一式3份" in html and "2026年2月24日" in html and "某街道人民调解委员会" in html


def test_agreement_pdf_embeds_the_cjk_font(agreement):
    from weasyprint import HTML

    pdf = agreement_pdf(agreement)
    assert pdf.startswith(b"%PDF") and len(pdf) > 10_000
    assert b"NotoSansCJK" in HTML(string=agreement_html(agreement)).write_pdf(uncompressed_pdf=True)
