"""Directory write services: validation, uniqueness, cross-field rules, region permission."""

from __future__ import annotations

import datetime

import pytest

from fawang.accounts.models import Role
from fawang.core.errors import DomainError, PermissionDenied
from fawang.directory import services
from fawang.directory.choices import CreditRecordKind, InstitutionKind, ListingStatus, PractitionerKind
from fawang.directory.models import CreditRecord, Institution, Practitioner

from .conftest import make_credit_code, make_lawyer_licence


def test_institution_create_stores_denormalised_region_and_tags(make_institution):
    inst = make_institution(specialties=["labor", "labor", "tort"], languages=["english"],
                            service_areas=["410103"], latitude="34.7466", longitude="113.6253")
    inst.refresh_from_db()
    assert inst.region_code == "410105"
    assert inst.division_id == "410105"
    assert inst.specialties == ["labor", "tort"]
    assert inst.tags == "|s:labor|s:tort|l:english|a:410103|"
    assert float(inst.latitude) == pytest.approx(34.7466)


def test_institution_requires_valid_credit_code(divisions):
    with pytest.raises(DomainError) as err:
        services.institution_create(actor=None, kind=InstitutionKind.NOTARY_OFFICE, name="郑州市公证处",
                                    division_code="4101", credit_code="314100001234567890",
                                    licence_number="GZ0001")
    assert err.value.field == "credit_code"
    assert not Institution.objects.exists()


def test_mediation_committee_needs_its_kind_but_no_credit_code(divisions):
    with pytest.raises(DomainError) as err:
        services.institution_create(actor=None, kind=InstitutionKind.MEDIATION_COMMITTEE,
                                    name="经八路街道人民调解委员会", division_code="410105001")
    assert err.value.field == "mediation_kind"
    inst = services.institution_create(actor=None, kind=InstitutionKind.MEDIATION_COMMITTEE,
                                       mediation_kind="township", name="经八路街道人民调解委员会",
                                       division_code="410105001")
    assert inst.credit_code == ""
    with pytest.raises(DomainError):
        services.institution_create(actor=None, kind=InstitutionKind.LAW_FIRM, mediation_kind="township",
                                    name="x律师事务所", division_code="410105", credit_code=make_credit_code(),
                                    licence_number="24101200310452338")


def test_duplicate_credit_code_and_licence_are_rejected(make_institution):
    first = make_institution()
    with pytest.raises(DomainError) as err:
        make_institution(credit_code=first.credit_code)
    assert err.value.code == "duplicate_credit_code"
    with pytest.raises(DomainError) as err:
        make_institution(licence_number=first.licence_number)
    assert err.value.code == "duplicate_licence"
    assert Institution.objects.count() == 1


def test_unknown_division_and_unknown_field(divisions):
    with pytest.raises(DomainError) as err:
        services.institution_create(actor=None, kind="legal_aid_center", name="x", division_code="999999",
                                    credit_code=make_credit_code("12410000"))
    assert err.value.code == "invalid_division"
    with pytest.raises(DomainError) as err:
        services.institution_create(actor=None, kind="legal_aid_center", name="x", division_code="4101",
                                    credit_code=make_credit_code("12410000"), is_demo_typo=True)
    assert err.value.code == "unknown_field"


def test_institution_update_revalidates_the_whole_record(make_institution):
    inst = make_institution()
    updated = services.institution_update(actor=None, institution=inst, phone="0371-6666 8888",
                                          specialties=["company"])
    assert updated.phone == "0371-6666 8888"
    assert "|s:company|" in updated.tags
    with pytest.raises(DomainError):
        services.institution_update(actor=None, institution=inst, credit_code="123")
    inst.refresh_from_db()
    assert inst.specialties == ["company"]


def test_staff_can_edit_only_inside_their_region(make_user, make_institution, divisions):
    jinshui_staff = make_user(role=Role.SUPERVISOR, division="410105")
    citizen = make_user(role=Role.CITIZEN, division=None)
    clerk = make_user(role=Role.WINDOW_CLERK, division="410105")
    inst = make_institution()  # in 410105
    services.institution_update(actor=jinshui_staff, institution=inst, phone="12348")
    for outsider in (citizen, clerk):
        with pytest.raises(PermissionDenied):
            services.institution_update(actor=outsider, institution=inst, phone="12349")
    # Moving a row out of one's own region is refused too.
    with pytest.raises(PermissionDenied):
        services.institution_update(actor=jinshui_staff, institution=inst, division_code="410103")
    inst.refresh_from_db()
    assert inst.region_code == "410105"
    with pytest.raises(PermissionDenied):
        services.institution_create(actor=jinshui_staff, kind="legal_aid_center", name="二七区法律援助中心",
                                    division_code="410103", credit_code=make_credit_code("12410000"))


def test_practitioner_lawyer_rules(make_institution, divisions):
    firm = make_institution()
    licence = make_lawyer_licence(year=2012)
    lawyer = services.practitioner_create(actor=None, kind=PractitionerKind.LAWYER, name="李明",
                                          licence_number=licence, institution_id=firm.pk,
                                          is_legal_aid_lawyer=True, languages=["mandarin", "english"])
    assert lawyer.practice_since == 2012  # taken from the certificate
    assert lawyer.region_code == firm.region_code
    with pytest.raises(DomainError) as err:
        services.practitioner_create(actor=None, kind=PractitionerKind.LAWYER, name="王芳",
                                     licence_number=licence, institution_id=firm.pk)
    assert err.value.code == "duplicate_licence"
    with pytest.raises(DomainError) as err:
        services.practitioner_create(actor=None, kind=PractitionerKind.LAWYER, name="王芳",
                                     licence_number=make_lawyer_licence(year=2012), practice_since=2015,
                                     institution_id=firm.pk)
    assert err.value.field == "practice_since"
    with pytest.raises(DomainError) as err:
        services.practitioner_create(actor=None, kind=PractitionerKind.LAWYER, name="王芳",
                                     licence_number=make_lawyer_licence(), division_code="410105")
    assert err.value.field == "institution_id"


def test_practitioner_kind_must_fit_institution(make_institution):
    notary_office = make_institution(kind=InstitutionKind.NOTARY_OFFICE, name="郑州市金水公证处")
    with pytest.raises(DomainError) as err:
        services.practitioner_create(actor=None, kind=PractitionerKind.LAWYER, name="赵强",
                                     licence_number=make_lawyer_licence(), institution_id=notary_office.pk)
    assert err.value.field == "institution_id"
    notary = services.practitioner_create(actor=None, kind=PractitionerKind.NOTARY, name="赵强",
                                          licence_number="11410105000123", institution_id=notary_office.pk)
    assert notary.institution == notary_office
    with pytest.raises(DomainError) as err:
        services.practitioner_create(actor=None, kind=PractitionerKind.NOTARY, name="钱一",
                                     licence_number="11410105000124", institution_id=notary_office.pk,
                                     is_legal_aid_lawyer=True)
    assert err.value.field == "is_legal_aid_lawyer"


def test_volunteer_without_institution_needs_region(divisions):
    with pytest.raises(DomainError):
        services.practitioner_create(actor=None, kind=PractitionerKind.VOLUNTEER, name="孙丽")
    person = services.practitioner_create(actor=None, kind=PractitionerKind.VOLUNTEER, name="孙丽",
                                          division_code="410105001", languages=["sign"])
    assert person.region_code == "410105001"
    assert person.licence_number == ""


def test_practitioner_update_follows_new_institution(make_institution, make_practitioner):
    other = make_institution(division_code="410103")
    lawyer = make_practitioner()
    moved = services.practitioner_update(actor=None, practitioner=lawyer, institution_id=other.pk,
                                         status=ListingStatus.SUSPENDED)
    assert moved.region_code == "410103"
    assert moved.status == ListingStatus.SUSPENDED
    with pytest.raises(DomainError):
        services.practitioner_update(actor=None, practitioner=lawyer, current_load=-1)


def test_credit_record_rules(make_institution, make_practitioner):
    inst = make_institution()
    person = make_practitioner()
    today = datetime.date.today()
    rec = services.credit_record_create(actor=None, kind=CreditRecordKind.AWARD, institution=inst,
                                        decided_on=today, issuing_authority="郑州市司法局",
                                        summary="被评为优秀律师事务所", decision_number="郑司〔2025〕1号")
    assert rec.region_code == inst.region_code
    with pytest.raises(DomainError) as err:
        services.credit_record_create(actor=None, kind=CreditRecordKind.AWARD, institution=inst,
                                      practitioner=person, decided_on=today, issuing_authority="x", summary="x")
    assert err.value.code == "invalid_subject"
    with pytest.raises(DomainError) as err:
        services.credit_record_create(actor=None, kind=CreditRecordKind.ASSESSMENT, practitioner=person,
                                      decided_on=today, issuing_authority="x", summary="x")
    assert err.value.field == "assessment_result"
    with pytest.raises(DomainError) as err:
        services.credit_record_create(actor=None, kind=CreditRecordKind.SANCTION, practitioner=person,
                                      decided_on=today, issuing_authority="x", summary="x",
                                      public_until=today - datetime.timedelta(days=1))
    assert err.value.field == "public_until"
    with pytest.raises(DomainError):
        services.credit_record_create(actor=None, kind=CreditRecordKind.SANCTION, practitioner=person,
                                      decided_on=today + datetime.timedelta(days=1), issuing_authority="x",
                                      summary="x")
    assert CreditRecord.objects.count() == 1
    assert Practitioner.objects.count() == 1


def test_writes_are_audited_with_actor_and_changes(make_user, make_institution, make_practitioner):
    from fawang.core.models import AuditAction, AuditEntry

    supervisor = make_user(role=Role.SUPERVISOR, division="4101")
    inst = make_institution()
    created = AuditEntry.objects.get(action=AuditAction.CREATE, object_type="directory.institution")
    assert created.object_id == str(inst.pk) and created.region_code == "410105"
    services.institution_update(actor=supervisor, institution=inst, phone="0371-12348")
    entry = AuditEntry.objects.get(action=AuditAction.UPDATE)
    assert entry.actor == supervisor
    assert entry.changes == {"phone": ["", "0371-12348"]}
    services.institution_update(actor=supervisor, institution=inst, phone="0371-12348")  # no change, no entry
    assert AuditEntry.objects.filter(action=AuditAction.UPDATE).count() == 1
    person = make_practitioner(phone="13800000000")
    services.practitioner_update(actor=supervisor, practitioner=person, phone="13900000000")
    # The personal phone is encrypted at rest and never copied into the audit trail.
    change = AuditEntry.objects.filter(action=AuditAction.UPDATE, object_type="directory.practitioner").get()
    assert "13900000000" not in str(change.changes) and "phone" in change.changes
    raw = Practitioner.objects.filter(pk=person.pk).values_list("phone", flat=True)
    assert Practitioner.objects.get(pk=person.pk).phone == "13900000000"
    from django.db import connection
    with connection.cursor() as cursor:
        cursor.execute("SELECT phone FROM directory_practitioner WHERE id = %s", [person.pk])
        assert cursor.fetchone()[0] != "13900000000"
    assert list(raw) == ["13900000000"]
