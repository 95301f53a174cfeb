"""Who may download the mediation agreement, which prints every party's ID number, address and
phone in full (人民调解法第二十九条) — least privilege.

The role table (``fawang.core.permissions``) lets every county staff role view a mediation in
its region; the agreement itself goes only to the people who handle this mediation and to the
supervisors above it:

- the mediator(s) of the case: the assigned mediators' accounts, the case's handler, and any
  mediator who acted on the case (accepted it, held a session, drew up the agreement);
- the committee's staff: mediators working at the mediation committee's own division;
- the accepting clerk: who registered the request (首问), the currently responsible person, and
  the window clerks of the point that accepted it;
- supervisors whose region covers the mediation (``core.permissions.supervises``);
- a party who follows the case on their own account (``citizen_user``).

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
from fawang.mediation.models import Agreement, Mediation

# What the printed agreement shows of each party (named in the audit entry).
AGREEMENT_FIELDS = ["parties.name", "parties.id_number", "parties.address", "parties.phone"]
# The audit trail is a record (data), kept in the source language whatever the reader's language.
DOWNLOAD_PURPOSE = "下载人民调解协议书（含当事人完整身份信息）"


def handles_mediation(user: Any, mediation: Mediation) -> bool:
    """Whether ``user`` is one of the people handling ``mediation`` (or supervising its region)."""
    if user is None or not getattr(user, "is_authenticated", False) or not user.is_active:
        return False
    case = mediation.case
    if user.pk in (case.citizen_user_id, case.first_contact_user_id, case.responsible_user_id, case.handler_id):
        return True
    if supervises(user, mediation.region_code):
        return True
    if user.role == Role.WINDOW_CLERK:
        return user.service_point_id is not None and user.service_point_id == case.service_point_id
    if user.role != Role.MEDIATOR:
        return False
    if mediation.committee_id is not None and user.scope_code == mediation.committee.region_code:
        return True
    return mediation.mediators.filter(user=user).exists() or case.events.filter(actor=user).exists()


def require_agreement_reader(*, user: Any, mediation: Mediation) -> None:
    """``PermissionDenied`` (403) unless ``user`` may download the agreement of ``mediation``.

    The caller has already found ``mediation`` through the region check (out of region = 404).
    """
    if not handles_mediation(user, mediation):
        raise PermissionDenied(_("只有承办本调解的人员和上级监督人员可以下载调解协议书。"))


def audit_agreement_download(*, user: Any, mediation: Mediation, agreement: Agreement) -> AuditEntry:
    """Log one download (after the document was produced, so a failed render logs nothing)."""
    return audit_read_personal_data(actor=user, obj=agreement, fields=AGREEMENT_FIELDS,
                                    region_code=mediation.region_code,
                                    purpose=DOWNLOAD_PURPOSE)
