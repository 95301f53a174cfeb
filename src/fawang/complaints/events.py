"""Case event types of the complaints line (declared once in the ``cases.events`` registry)."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

from fawang.cases.events import EventType, register_event_type


def _reg(code: str, label: object, **kwargs: object) -> str:
    register_event_type(EventType(code, label, **kwargs))  # type: ignore[arg-type]
    return code


REGISTERED = _reg("complaints.registered", _("投诉登记"))
INVESTIGATED = _reg("complaints.investigated", _("调查核实完毕"))
REVIEW_RETURNED = _reg("complaints.review_returned", _("审核退回补充调查"), public=False)
REVIEWED = _reg("complaints.reviewed", _("审核通过"))
# The reply itself reaches the complainant through the spine's case.result_delivered notice.
REPLIED = _reg("complaints.replied", _("答复投诉人"))
