"""The one registry of event types."""

from __future__ import annotations

import pytest

from fawang.cases.events import EventType, event_types, get_event_type, register_event_type
from fawang.cases.services import case_event_append, case_record


def test_registry_rejects_bad_declarations():
    with pytest.raises(ValueError):
        register_event_type(EventType("nodot", "x"))
    with pytest.raises(ValueError):
        register_event_type(EventType("case.received", "不同的标签"))
    with pytest.raises(ValueError):
        register_event_type(EventType("test.both", "x", pauses_clock=True, resumes_clock=True))
    same = get_event_type("case.received")
    assert register_event_type(same) is same  # re-declaring identically is harmless
    assert {"legalaid.approved", "mediation.agreed", "complaints.replied"} <= set(event_types())


@pytest.mark.django_db
def test_unknown_event_type_is_refused(consultation_item, clerk, applicant, county_point):
    from fawang.cases.models import CaseEvent
    from fawang.cases.services import case_create

    case = case_create(item=consultation_item, channel="window", applicant=applicant, service_point=county_point,
                       actor=clerk)
    with pytest.raises(KeyError):
        case_event_append(case=case, event_type="case.made_up")
    with pytest.raises(KeyError):
        case_record(case=case, actor=clerk, event_type="other.unknown")
    assert CaseEvent.objects.filter(case=case).count() == 1
