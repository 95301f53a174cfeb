"""Printable documents of the legal aid line: the written refusal of 第四十三条."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.translation import gettext as _

from fawang.core.errors import DomainError
from fawang.legalaid.choices import AidStatus, MatterType
from fawang.legalaid.models import LegalAidApplication


def refusal_notice_html(app: LegalAidApplication) -> str:
    """第四十三条: 决定不予法律援助的，应当书面告知申请人，并说明理由 (with the 第四十九条 remedy)."""
    if not app.refusal_reasons or app.status not in (AidStatus.REFUSED, AidStatus.OBJECTION_REVIEW):
        raise DomainError("not_refused", _("该申请没有不予法律援助的决定。"))
    applicant = app.case.applicant
    return render_to_string("legalaid/refusal_notice.html", {
        "app": app,
        "applicant_name": applicant.name if applicant else "",
        "matter": MatterType(app.matter).label,
        "received": timezone.localtime(app.center_received_at or app.received_at),
        "decided": timezone.localtime(app.decided_at) if app.decided_at else None,
        "center_name": app.center.name if app.center else "",
    })


def refusal_notice_pdf(app: LegalAidApplication) -> bytes:
    from weasyprint import HTML

    return HTML(string=refusal_notice_html(app)).write_pdf()
