"""Who may download the legal aid documents that carry personal data in full (least privilege).

The role table (``fawang.core.permissions``) lets every county staff role view a legal aid case
in its region; the written refusal (不予法律援助决定书, 第四十三条) names the applicant and the
reasons the application failed, so it goes only to the people who handle this application and
to the supervisors above it:

- the window clerk, reviewer and approver of the accepting legal aid center (or of the point
  where the case now sits), and the clerk who took the application (e.g. at a township station);
- the aid lawyer currently assigned;
- supervisors whose region covers the application (``core.permissions.supervises``);
- the applicant themself (their own decision, on their own account).

Every download is audited as a read of personal data (``core.audit.audit_read_personal_data``).
"""

from __future__ import annotations

from typing import Any

from django.utils.translation import gettext as _

from fawang.accounts.models import Role
from fawang.core.audit import audit_read_personal_data
from fawang.core.errors import PermissionDenied
from fawang.core.models import AuditEntry
from fawang.core.permissions import supervises
from fawang.legalaid.models import LegalAidApplication

CENTER_ROLES = frozenset({Role.WINDOW_CLERK, Role.LEGAL_AID_REVIEWER, Role.LEGAL_AID_APPROVER})
# What the refusal notice shows of the applicant (named in the audit entry).
REFUSAL_NOTICE_FIELDS = ["applicant.name", "refusal_reasons"]
# The audit trail is a record (data), kept in the source language whatever the reader's language.
DOWNLOAD_PURPOSE = "下载不予法律援助决定书"


def handles_application(user: Any, app: LegalAidApplication) -> bool:
    """Whether ``user`` is one of the people handling ``app`` (or supervising its region)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    case = app.case
    if user.pk == case.citizen_user_id or user.pk == case.first_contact_user_id:
        return True
    if supervises(user, app.region_code):
        return True
    if user.role in CENTER_ROLES and user.service_point_id is not None and (
        user.service_point_id in (app.center_id, case.service_point_id)
    ):
        return True
    current = app.current_assignment
    return current is not None and current.lawyer_user_id is not None and current.lawyer_user_id == user.pk


def require_refusal_notice_reader(*, user: Any, app: LegalAidApplication) -> None:
    """``PermissionDenied`` (403) unless ``user`` may download the refusal notice of ``app``.

    The caller has already found ``app`` through the region check (out of region = 404).
    """
    if not handles_application(user, app):
        raise PermissionDenied(_("只有承办本申请的人员和上级监督人员可以下载不予法律援助决定书。"))


def audit_refusal_notice_download(*, user: Any, app: LegalAidApplication) -> AuditEntry:
    """Log one download (after the document was produced, so a failed render logs nothing)."""
    return audit_read_personal_data(actor=user, obj=app, fields=REFUSAL_NOTICE_FIELDS,
                                    purpose=DOWNLOAD_PURPOSE)
