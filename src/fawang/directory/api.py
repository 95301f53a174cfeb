"""Directory API: public search and detail; staff create/update (``directory.edit``).

Public endpoints never expose practitioners' personal phone numbers or workloads; staff
endpoints are region-scoped: a row outside the caller's region answers 404 like a missing one.
"""

from __future__ import annotations

import datetime
from decimal import Decimal
from typing import Any

from django.db.models import QuerySet
from django.http import HttpRequest
from django.utils.translation import gettext
from ninja import Query, Router, Schema, Status
from ninja.security import django_auth

from fawang.core.audit import reveal_personal_data
from fawang.core.errors import DomainError, PermissionDenied
from fawang.core.pii import mask_phone

from . import selectors, services
from .choices import InstitutionKind, ListingStatus, PractitionerKind
from .models import CreditRecord, Institution, Practitioner
from .permissions import can_edit_directory

router = Router(tags=["directory 法律服务机构和人员名录"])

MAX_PAGE_SIZE = 100


class Page(Schema):
    count: int
    page: int
    page_size: int


class CreditRecordOut(Schema):
    id: int
    kind: str
    kind_label: str
    assessment_result: str
    decided_on: datetime.date
    issuing_authority: str
    decision_number: str
    summary: str
    public_until: datetime.date | None
    institution_id: int | None
    practitioner_id: int | None
    subject_name: str
    is_demo: bool

    @staticmethod
    def resolve_kind_label(obj: CreditRecord) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_subject_name(obj: CreditRecord) -> str:
        return obj.subject.name if obj.subject else ""


class InstitutionOut(Schema):
    id: int
    kind: str
    kind_label: str
    mediation_kind: str
    name: str
    credit_code: str
    licence_number: str
    responsible_person: str
    address: str
    phone: str
    region_code: str
    division_name: str
    service_areas: list[str]
    specialties: list[str]
    languages: list[str]
    latitude: float | None
    longitude: float | None
    business_hours: str
    status: str
    is_demo: bool

    @staticmethod
    def resolve_kind_label(obj: Institution) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_division_name(obj: Institution) -> str:
        return obj.division.name

    @staticmethod
    def resolve_latitude(obj: Institution) -> float | None:
        return float(obj.latitude) if obj.latitude is not None else None

    @staticmethod
    def resolve_longitude(obj: Institution) -> float | None:
        return float(obj.longitude) if obj.longitude is not None else None


class PractitionerOut(Schema):
    id: int
    kind: str
    kind_label: str
    name: str
    sex: str
    licence_number: str
    practice_since: int | None
    institution_id: int | None
    institution_name: str
    specialties: list[str]
    languages: list[str]
    region_code: str
    is_legal_aid_lawyer: bool
    status: str
    is_demo: bool

    @staticmethod
    def resolve_kind_label(obj: Practitioner) -> str:
        return str(obj.get_kind_display())

    @staticmethod
    def resolve_institution_name(obj: Practitioner) -> str:
        return obj.institution.name if obj.institution_id else ""


class InstitutionDetailOut(InstitutionOut):
    introduction: str
    practitioners: list[PractitionerOut]
    credit_records: list[CreditRecordOut]

    @staticmethod
    def resolve_practitioners(obj: Institution) -> list[Practitioner]:
        return list(obj.practitioners.all())

    @staticmethod
    def resolve_credit_records(obj: Institution) -> list[CreditRecord]:
        return list(obj.credit_records.all())


class PractitionerDetailOut(PractitionerOut):
    introduction: str
    credit_records: list[CreditRecordOut]

    @staticmethod
    def resolve_credit_records(obj: Practitioner) -> list[CreditRecord]:
        return list(obj.credit_records.all())


class StaffPractitionerOut(PractitionerOut):
    phone: str  # masked; the full number through the audited reveal endpoint
    current_load: int

    @staticmethod
    def resolve_phone(obj: Practitioner) -> str:
        return mask_phone(obj.phone)


class RevealOut(Schema):
    value: str


class InstitutionPage(Page):
    items: list[InstitutionOut]


class PractitionerPage(Page):
    items: list[PractitionerOut]


class StaffPractitionerPage(Page):
    items: list[StaffPractitionerOut]


class CreditRecordPage(Page):
    items: list[CreditRecordOut]


class NearbyOut(Schema):
    distance_km: float
    institution: InstitutionOut


class MapPoint(Schema):
    id: int
    name: str
    kind: str
    lat: float
    lng: float
    is_demo: bool


class PageQuery(Schema):
    page: int = 1
    page_size: int = 20


class InstitutionFilters(PageQuery):
    kind: InstitutionKind | None = None
    mediation_kind: str | None = None
    region: str | None = None
    specialty: str | None = None
    language: str | None = None
    q: str | None = None
    status: ListingStatus = ListingStatus.ACTIVE


class PractitionerFilters(PageQuery):
    kind: PractitionerKind | None = None
    region: str | None = None
    specialty: str | None = None
    language: str | None = None
    q: str | None = None
    institution_id: int | None = None
    legal_aid_only: bool = False
    status: ListingStatus = ListingStatus.ACTIVE


class CreditFilters(PageQuery):
    kind: str | None = None
    institution_id: int | None = None
    practitioner_id: int | None = None
    region: str | None = None


def paginate(qs: QuerySet, page: int, page_size: int) -> dict[str, Any]:
    if page < 1:
        raise DomainError("invalid_page", gettext("页码应从1开始。"), field="page")
    page_size = min(max(page_size, 1), MAX_PAGE_SIZE)
    start = (page - 1) * page_size
    return {"count": qs.count(), "page": page, "page_size": page_size,
            "items": list(qs[start:start + page_size])}


# Public endpoints.

@router.get("/institutions", response=InstitutionPage, summary="查询法律服务机构")
def list_institutions(request: HttpRequest, filters: Query[InstitutionFilters]) -> dict[str, Any]:
    f = filters.dict()
    page, page_size = f.pop("page"), f.pop("page_size")
    return paginate(selectors.institution_search(**f), page, page_size)


@router.get("/institutions/nearby", response=list[NearbyOut], summary="附近的法律服务机构")
def nearby_institutions(request: HttpRequest, lat: float, lng: float, radius_km: float = 10.0,
                        kind: InstitutionKind | None = None, limit: int = 20) -> list[selectors.Nearby]:
    if not (-90 <= lat <= 90 and -180 <= lng <= 180):
        raise DomainError("invalid_coordinates", gettext("坐标超出范围。"), field="lat")
    return selectors.institutions_near(latitude=lat, longitude=lng, radius_km=radius_km,
                                       limit=min(max(limit, 1), MAX_PAGE_SIZE),
                                       queryset=selectors.institution_search(kind=kind))


@router.get("/institutions/{institution_id}", response=InstitutionDetailOut, summary="机构详情")
def get_institution(request: HttpRequest, institution_id: int) -> Institution:
    return selectors.institution_get_public(institution_id=institution_id)


@router.get("/practitioners", response=PractitionerPage, summary="查询法律服务人员")
def list_practitioners(request: HttpRequest, filters: Query[PractitionerFilters]) -> dict[str, Any]:
    f = filters.dict()
    page, page_size = f.pop("page"), f.pop("page_size")
    return paginate(selectors.practitioner_search(**f), page, page_size)


@router.get("/practitioners/{practitioner_id}", response=PractitionerDetailOut, summary="人员详情")
def get_practitioner(request: HttpRequest, practitioner_id: int) -> Practitioner:
    return selectors.practitioner_get_public(practitioner_id=practitioner_id)


@router.get("/credit-records", response=CreditRecordPage, summary="信用信息公开")
def list_credit_records(request: HttpRequest, filters: Query[CreditFilters]) -> dict[str, Any]:
    f = filters.dict()
    page, page_size = f.pop("page"), f.pop("page_size")
    return paginate(selectors.credit_record_search(**f), page, page_size)


@router.get("/map", response=list[MapPoint], summary="地图点位")
def map_points(request: HttpRequest, kind: InstitutionKind | None = None,
               region: str | None = None) -> list[dict[str, Any]]:
    return selectors.map_points(kind=kind, region=region)


# Staff endpoints.

class InstitutionIn(Schema):
    kind: str
    mediation_kind: str = ""
    name: str
    credit_code: str = ""
    licence_number: str = ""
    responsible_person: str = ""
    address: str = ""
    phone: str = ""
    division_code: str
    service_areas: list[str] = []
    specialties: list[str] = []
    languages: list[str] = []
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    business_hours: str = ""
    introduction: str = ""
    status: str = ListingStatus.ACTIVE


class InstitutionPatch(Schema):
    kind: str | None = None
    mediation_kind: str | None = None
    name: str | None = None
    credit_code: str | None = None
    licence_number: str | None = None
    responsible_person: str | None = None
    address: str | None = None
    phone: str | None = None
    division_code: str | None = None
    service_areas: list[str] | None = None
    specialties: list[str] | None = None
    languages: list[str] | None = None
    latitude: Decimal | None = None
    longitude: Decimal | None = None
    business_hours: str | None = None
    introduction: str | None = None
    status: str | None = None


class PractitionerIn(Schema):
    kind: str
    name: str
    sex: str = ""
    licence_number: str = ""
    practice_since: int | None = None
    institution_id: int | None = None
    specialties: list[str] = []
    languages: list[str] = []
    division_code: str | None = None
    phone: str = ""
    introduction: str = ""
    is_legal_aid_lawyer: bool = False
    current_load: int = 0
    status: str = ListingStatus.ACTIVE


class PractitionerPatch(Schema):
    kind: str | None = None
    name: str | None = None
    sex: str | None = None
    licence_number: str | None = None
    practice_since: int | None = None
    institution_id: int | None = None
    specialties: list[str] | None = None
    languages: list[str] | None = None
    division_code: str | None = None
    phone: str | None = None
    introduction: str | None = None
    is_legal_aid_lawyer: bool | None = None
    current_load: int | None = None
    status: str | None = None


class CreditRecordIn(Schema):
    kind: str
    institution_id: int | None = None
    practitioner_id: int | None = None
    assessment_result: str = ""
    decided_on: datetime.date
    issuing_authority: str
    decision_number: str = ""
    summary: str
    public_until: datetime.date | None = None


def _editor(request: HttpRequest) -> Any:
    if not can_edit_directory(request.user):
        raise PermissionDenied()
    return request.user


@router.post("/institutions", response={201: InstitutionOut}, auth=django_auth, summary="新增机构")
def create_institution(request: HttpRequest, payload: InstitutionIn) -> Status:
    actor = _editor(request)
    return Status(201, services.institution_create(actor=actor, **payload.dict()))


@router.patch("/institutions/{institution_id}", response=InstitutionOut, auth=django_auth, summary="修改机构")
def update_institution(request: HttpRequest, institution_id: int, payload: InstitutionPatch) -> Institution:
    actor = _editor(request)
    inst = selectors.access_institution(user=actor, institution_id=institution_id)
    return services.institution_update(actor=actor, institution=inst, **payload.dict(exclude_unset=True))


@router.get("/staff/institutions", response=InstitutionPage, auth=django_auth, summary="本辖区机构（含各状态）")
def staff_institutions(request: HttpRequest, filters: Query[InstitutionFilters]) -> dict[str, Any]:
    actor = _editor(request)
    f = filters.dict()
    page, page_size = f.pop("page"), f.pop("page_size")
    f["status"] = None
    return paginate(selectors.institution_list_for_staff(user=actor, **f), page, page_size)


@router.get("/staff/practitioners", response=StaffPractitionerPage, auth=django_auth,
            summary="本辖区人员（含各状态、承办量，电话已脱敏）")
def staff_practitioners(request: HttpRequest, filters: Query[PractitionerFilters]) -> dict[str, Any]:
    actor = _editor(request)
    f = filters.dict()
    page, page_size = f.pop("page"), f.pop("page_size")
    f["status"] = None
    return paginate(selectors.practitioner_list_for_staff(user=actor, **f), page, page_size)


@router.get("/staff/practitioners/{practitioner_id}/phone", response=RevealOut, auth=django_auth,
            summary="查看人员完整联系电话（留痕）")
def reveal_practitioner_phone(request: HttpRequest, practitioner_id: int, purpose: str = "") -> dict[str, str]:
    actor = _editor(request)
    person = selectors.access_practitioner(user=actor, practitioner_id=practitioner_id)
    return {"value": reveal_personal_data(actor=actor, obj=person, field="phone", purpose=purpose)}


@router.post("/practitioners", response={201: StaffPractitionerOut}, auth=django_auth, summary="新增人员")
def create_practitioner(request: HttpRequest, payload: PractitionerIn) -> Status:
    actor = _editor(request)
    values = payload.dict()
    if values["institution_id"]:
        selectors.access_institution(user=actor, institution_id=values["institution_id"])
    return Status(201, services.practitioner_create(actor=actor, **values))


@router.patch("/practitioners/{practitioner_id}", response=StaffPractitionerOut, auth=django_auth,
              summary="修改人员")
def update_practitioner(request: HttpRequest, practitioner_id: int, payload: PractitionerPatch) -> Practitioner:
    actor = _editor(request)
    person = selectors.access_practitioner(user=actor, practitioner_id=practitioner_id)
    changes = payload.dict(exclude_unset=True)
    if changes.get("institution_id"):
        selectors.access_institution(user=actor, institution_id=changes["institution_id"])
    return services.practitioner_update(actor=actor, practitioner=person, **changes)


@router.post("/credit-records", response={201: CreditRecordOut}, auth=django_auth, summary="发布信用记录")
def create_credit_record(request: HttpRequest, payload: CreditRecordIn) -> Status:
    actor = _editor(request)
    values = payload.dict()
    institution_id = values.pop("institution_id")
    practitioner_id = values.pop("practitioner_id")
    institution = (selectors.access_institution(user=actor, institution_id=institution_id)
                   if institution_id else None)
    practitioner = (selectors.access_practitioner(user=actor, practitioner_id=practitioner_id)
                    if practitioner_id else None)
    record = services.credit_record_create(actor=actor, institution=institution, practitioner=practitioner,
                                           **values)
    return Status(201, record)
