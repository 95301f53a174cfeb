"""Generated demo directory for Zhengzhou (4101): institutions, practitioners, credit records.

Everything is derived from the Division rows already loaded (the regions demo runs first) and
from RNGs seeded by each entity's own key, so loading more divisions later only adds rows and
a second run adds nothing. Rows are matched on natural keys ((kind, name) for institutions,
(kind, institution, name) for people, the decision number for credit records) and inserted
with ``bulk_create``. Phone numbers use the unassigned "0371-0…" range so that no demo entry
dials a real subscriber; personal phones are left empty.
"""

from __future__ import annotations

import datetime
import math
import random
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal
from typing import IO, Any

from django.db import transaction

from fawang.core.scoping import region_q
from fawang.regions.models import Division, DivisionLevel

from .choices import (
    AssessmentResult,
    CreditRecordKind,
    InstitutionKind,
    MediationCommitteeKind,
    PracticeArea,
    PractitionerKind,
    Sex,
)
from .models import CreditRecord, Institution, Practitioner
from .validators import credit_code_check_char

# The demo is pinned to one year so that it does not change (and grow) when the calendar does.
DEMO_YEAR = 2025
CITY_CODE = "4101"
CITY_NAME = "郑州市"
CITY_CENTER = (34.7466, 113.6253)
# Approximate centres of Zhengzhou's county-level units (lat, lng), for plausible map points.
COUNTY_CENTERS = {
    "410102": (34.7480, 113.6130), "410103": (34.7240, 113.6400), "410104": (34.7540, 113.6770),
    "410105": (34.8000, 113.6600), "410106": (34.8030, 113.3090), "410108": (34.8670, 113.6170),
    "410122": (34.7190, 113.9760), "410171": (34.7280, 113.7300), "410172": (34.8150, 113.5600),
    "410173": (34.5270, 113.8500), "410181": (34.7480, 112.9830), "410182": (34.7870, 113.3830),
    "410183": (34.5400, 113.3910), "410184": (34.3960, 113.7400), "410185": (34.4540, 113.0500),
}

# Surnames weighted by their approximate share of the population (national survey order).
SURNAMES = [
    ("王", 72), ("李", 71), ("张", 70), ("刘", 54), ("陈", 46), ("杨", 33), ("黄", 24), ("赵", 21),
    ("吴", 20), ("周", 19), ("徐", 15), ("孙", 15), ("马", 14), ("朱", 14), ("胡", 13), ("郭", 12),
    ("何", 12), ("林", 10), ("高", 10), ("罗", 10), ("郑", 10), ("梁", 9), ("谢", 8), ("宋", 7),
    ("唐", 7), ("许", 7), ("韩", 7), ("冯", 7), ("邓", 7), ("曹", 6), ("彭", 6), ("曾", 6), ("肖", 6),
    ("田", 5), ("董", 5), ("袁", 5), ("潘", 5), ("于", 5), ("蒋", 5), ("蔡", 5), ("余", 5), ("杜", 5),
    ("叶", 5), ("程", 5), ("苏", 4), ("魏", 4), ("吕", 4), ("丁", 4), ("任", 4), ("沈", 4), ("姚", 4),
    ("卢", 4), ("姜", 4), ("崔", 4), ("钟", 3), ("谭", 3), ("陆", 3), ("汪", 3), ("范", 3), ("金", 3),
    ("石", 3), ("廖", 3), ("贾", 3), ("夏", 3), ("韦", 3), ("付", 3), ("方", 3), ("白", 3), ("邹", 3),
    ("孟", 3), ("熊", 3), ("秦", 3), ("邱", 3), ("江", 3), ("尹", 3), ("薛", 3), ("闫", 3), ("段", 3),
    ("雷", 2), ("侯", 2), ("龙", 2), ("史", 2), ("陶", 2), ("黎", 2), ("贺", 2), ("顾", 2), ("毛", 2),
    ("郝", 2), ("龚", 2), ("邵", 2), ("万", 2), ("钱", 2), ("严", 2), ("覃", 2), ("武", 2), ("戴", 2),
    ("申", 2), ("牛", 2), ("聂", 2), ("岳", 2),
]
_SURNAME_CHARS = [s for s, _ in SURNAMES]
_SURNAME_WEIGHTS = [w for _, w in SURNAMES]
GIVEN_MALE = "伟刚勇毅俊峰强军平保东文辉力明永健世广志义兴良海山仁波宁贵福生龙元全国胜学祥才发武新利清飞彬富顺信子杰涛昌成康星光天达安岩中茂进林有坚和彪博诚先敬震振壮会思群豪心邦承乐绍功松善厚庆磊民友裕河哲江超浩亮政谦亨奇固之轮翰朗伯宏言若鸣朋斌梁栋维启克伦翔旭鹏泽晨辰士以建家致树炎德行时泰盛雄琛钧冠策腾楠榕风航弘"
GIVEN_FEMALE = "秀娟英华慧巧美娜静淑惠珠翠雅芝玉萍红娥玲芬芳燕彩春菊兰凤洁梅琳素云莲真环雪荣爱妹霞香月莺媛艳瑞凡佳嘉琼勤珍贞莉桂娣叶璧璐娅琦晶妍茜秋珊莎锦黛青倩婷姣婉娴瑾颖露瑶怡婵雁蓓纨仪荷丹蓉眉君琴蕊薇菁梦岚苑婕馨瑗琰韵融园艺咏卿聪澜纯毓悦昭冰爽琬茗羽希宁欣飘育滢馥筠柔竹霭凝晓欢霄枫芸菲寒伊亚宜可姬舒影荔枝思丽"
FIRM_WORDS = "正诚明德信恒泰华中天鼎坤博远汇卓公允安宏昊君众智睿典金银龙凤豫嵩商都黄河中原郑州平和良法鸿浩瀚英杰立达同仁"
ROADS = ["金水路", "花园路", "文化路", "中州大道", "经三路", "农业路", "建设路", "嵩山路", "大学路", "航海路",
         "商都路", "郑汴路", "紫荆山路", "二七路", "人民路", "纬五路", "东风路", "丰产路", "未来路", "伏牛路"]
APPRAISAL_NAMES = [
    "河南中原司法鉴定中心", "河南正泰法医临床司法鉴定所", "郑州市嵩山司法鉴定中心", "河南华中物证司法鉴定所",
    "河南明德司法鉴定中心", "郑州市黄河声像资料司法鉴定所", "河南公信法医精神病司法鉴定所",
    "河南大学中原司法鉴定中心", "郑州金盾痕迹司法鉴定所", "河南博远文书司法鉴定所",
]
INDUSTRY_COMMITTEES = [
    ("医疗纠纷", ["medical", "personal_injury"]),
    ("道路交通事故纠纷", ["traffic_accident", "personal_injury"]),
    ("劳动争议", ["labor"]),
    ("婚姻家庭纠纷", ["marriage_family"]),
    ("物业纠纷", ["real_estate", "contract"]),
]
# Counties and county-level cities have 基层法律服务所 in their towns; urban districts do not.
RURAL_COUNTY_CODES = {"410122", "410181", "410182", "410183", "410184", "410185", "410173"}
ISSUERS = {"city": "郑州市司法局", "bar": "郑州市律师协会", "notary_assoc": "郑州市公证协会"}


def demo_rng(*key: Any) -> random.Random:
    """An RNG seeded by a stable key: the same entity always gets the same values."""
    return random.Random("fawang-directory-demo:" + ":".join(str(k) for k in key))


def person_name(rng: random.Random, sex: str) -> str:
    surname = rng.choices(_SURNAME_CHARS, weights=_SURNAME_WEIGHTS)[0]
    pool = GIVEN_MALE if sex == Sex.MALE else GIVEN_FEMALE
    given = rng.choice(pool) + (rng.choice(pool) if rng.random() < 0.7 else "")
    return surname + given


def credit_code(authority_type: str, region: str, body_key: str) -> str:
    body = body_key[-9:].rjust(9, "0")
    first17 = authority_type + region.ljust(6, "0")[:6] + body
    return first17 + credit_code_check_char(first17)


def demo_phone(rng: random.Random) -> str:
    return f"0371-0{rng.randint(1000000, 9999999)}"


def jitter(rng: random.Random, center: tuple[float, float], km: float) -> tuple[Decimal, Decimal]:
    # Uniform over a disc (sqrt of the radius), so clusters look round rather than square.
    r = km * math.sqrt(rng.random())
    theta = rng.uniform(0, 2 * math.pi)
    lat = center[0] + r * math.sin(theta) / 111.32
    lng = center[1] + r * math.cos(theta) / 91.5  # ≈ km per degree of longitude at 34.7°N
    return Decimal(f"{lat:.6f}"), Decimal(f"{lng:.6f}")


@dataclass
class Plan:
    institutions: list[Institution] = field(default_factory=list)
    # (institution natural key or None, practitioner) — resolved to ids after institutions exist.
    practitioners: list[tuple[tuple[str, str] | None, Practitioner]] = field(default_factory=list)


def _county_name(county: Division) -> str:
    # Urban districts are named with the city ("郑州市金水区"); county-level cities stand alone.
    if county.name.endswith("市") or county.name.endswith("县"):
        return county.name
    return CITY_NAME + county.name


def _institution(plan: Plan, *, kind: str, name: str, division: Division, rng: random.Random,
                 center: tuple[float, float], spread_km: float, code: str = "", licence: str = "",
                 mediation_kind: str = "", specialties: Iterable[str] = (), hours: str = "",
                 languages: Iterable[str] = ("mandarin",)) -> Institution:
    lat, lng = jitter(rng, center, spread_km)
    inst = Institution(
        kind=kind, mediation_kind=mediation_kind, name=name, credit_code=code, licence_number=licence,
        responsible_person=person_name(rng, rng.choice([Sex.MALE, Sex.FEMALE])),
        address=f"{division.name}{rng.choice(ROADS)}{rng.randint(1, 300)}号", phone=demo_phone(rng),
        division=division, region_code=division.code, specialties=list(specialties),
        languages=list(languages), latitude=lat, longitude=lng,
        business_hours=hours or "周一至周五 9:00-12:00，13:30-17:30（法定节假日除外）", is_demo=True,
    )
    inst.refresh_tags()
    plan.institutions.append(inst)
    return inst


def _staff(plan: Plan, inst: Institution, *, kind: str, count: int, rng: random.Random, seq_base: int,
           legal_aid_share: float = 0.0, specialties: list[str] | None = None) -> None:
    used: set[str] = set()
    allowed_specialties = specialties or list(PracticeArea.values)
    for i in range(count):
        sex = Sex.MALE if rng.random() < 0.55 else Sex.FEMALE
        name = person_name(rng, sex)
        while name in used:
            name = person_name(rng, sex)
        used.add(name)
        year = rng.randint(1995, DEMO_YEAR - 1)
        seq = seq_base + i
        if kind == PractitionerKind.LAWYER:
            licence = f"{CITY_CODE}{year}1{1 if sex == Sex.MALE else 0}{seq:07d}"
        elif kind == PractitionerKind.NOTARY:
            licence = f"41{inst.region_code[2:6]}{year}{seq:05d}"
        elif kind == PractitionerKind.APPRAISER:
            licence = f"4101{year}{seq:06d}"
        elif kind == PractitionerKind.GRASSROOTS_WORKER:
            licence = f"4101J{year}{seq:05d}"
        else:
            licence = ""
        languages = ["mandarin"]
        extra = rng.random()
        if extra < 0.12:
            languages.append("english")
        elif extra < 0.14:
            languages.append("sign")
        elif extra < 0.15:
            languages.append(rng.choice(["uyghur", "russian", "japanese", "french"]))
        is_aid = kind == PractitionerKind.LAWYER and rng.random() < legal_aid_share
        person = Practitioner(
            kind=kind, name=name, sex=sex, licence_number=licence,
            practice_since=year if kind != PractitionerKind.VOLUNTEER else None,
            specialties=rng.sample(allowed_specialties, k=min(len(allowed_specialties), rng.randint(1, 3))),
            languages=languages, division_id=inst.region_code, region_code=inst.region_code,
            is_legal_aid_lawyer=is_aid, current_load=rng.randint(0, 4) if is_aid else 0, is_demo=True,
        )
        person.refresh_tags()
        plan.practitioners.append(((inst.kind, inst.name), person))


def build_plan(city: Division) -> Plan:
    """Everything the demo directory should contain, computed from the loaded divisions."""
    plan = Plan()
    counties = list(Division.objects.filter(region_q(city.code, "code"), level=DivisionLevel.COUNTY)
                    .order_by("code"))
    townships = list(Division.objects.filter(region_q(city.code, "code"), level=DivisionLevel.TOWNSHIP)
                     .order_by("code"))
    centers = {c.code: COUNTY_CENTERS.get(c.code, CITY_CENTER) for c in counties}
    # Town names repeat between counties (城关镇), so names carry the county as real ones do.
    county_names = {c.code: _county_name(c) for c in counties}
    urban = [c for c in counties if c.code not in RURAL_COUNTY_CODES] or [city]

    # Law firms: 40, mostly in the urban districts (金水区 gets the most, as in reality).
    weights = [4 if c.code == "410105" else 2 for c in urban]
    firm_names: set[str] = set()
    for i in range(40):
        rng = demo_rng("law_firm", i)
        county = rng.choices(urban, weights=weights)[0] if counties else city
        name = f"河南{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS)}律师事务所"
        while name in firm_names:
            name = f"河南{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS)}{rng.choice(FIRM_WORDS)}律师事务所"
        firm_names.add(name)
        founded = rng.randint(1993, 2022)
        inst = _institution(plan, kind=InstitutionKind.LAW_FIRM, name=name, division=county, rng=rng,
                            center=centers.get(county.code, CITY_CENTER), spread_km=3,
                            code=credit_code("31", county.code, f"MD{i:07d}"),
                            licence=f"2{county.code[:4]}{founded}10{i:06d}",
                            specialties=rng.sample(PracticeArea.values, k=4),
                            languages=["mandarin"] + (["english"] if rng.random() < 0.3 else []))
        _staff(plan, inst, kind=PractitionerKind.LAWYER, count=rng.randint(4, 11), rng=rng,
               seq_base=100 * (i + 1), legal_aid_share=0.3)

    # Notary offices: two city offices and one per county-level unit.
    notary_units = [(f"{CITY_NAME}黄河公证处", city, "city-1"), (f"{CITY_NAME}嵩山公证处", city, "city-2")]
    notary_units += [(f"{_county_name(c)}公证处", c, c.code) for c in counties]
    for i, (name, division, key) in enumerate(notary_units):
        rng = demo_rng("notary_office", key)
        inst = _institution(plan, kind=InstitutionKind.NOTARY_OFFICE, name=name, division=division, rng=rng,
                            center=centers.get(division.code, CITY_CENTER), spread_km=2,
                            code=credit_code("12", division.code, f"GA{i:07d}"), licence=f"GZ41{i:04d}",
                            specialties=["general", "real_estate", "marriage_family"])
        _staff(plan, inst, kind=PractitionerKind.NOTARY, count=rng.randint(2, 5), rng=rng, seq_base=100 * (i + 1))

    # Judicial appraisal bodies: ten, in the urban districts.
    for i, name in enumerate(APPRAISAL_NAMES):
        rng = demo_rng("appraisal_body", name)
        county = urban[i % len(urban)]
        inst = _institution(plan, kind=InstitutionKind.APPRAISAL_BODY, name=name, division=county, rng=rng,
                            center=centers.get(county.code, CITY_CENTER), spread_km=3,
                            code=credit_code("52", county.code, f"JD{i:07d}"), licence=f"41{i + 1:02d}0{2005 + i}",
                            specialties=["personal_injury", "medical", "traffic_accident"])
        _staff(plan, inst, kind=PractitionerKind.APPRAISER, count=rng.randint(3, 6), rng=rng,
               seq_base=100 * (i + 1), specialties=["personal_injury", "medical", "traffic_accident"])

    # Legal aid centers: the city's and one per county-level unit, each with a few staff lawyers.
    aid_units = [(f"{CITY_NAME}法律援助中心", city)] + [(f"{_county_name(c)}法律援助中心", c) for c in counties]
    for i, (name, division) in enumerate(aid_units):
        rng = demo_rng("legal_aid_center", division.code)
        inst = _institution(plan, kind=InstitutionKind.LEGAL_AID_CENTER, name=name, division=division, rng=rng,
                            center=centers.get(division.code, CITY_CENTER), spread_km=2,
                            code=credit_code("12", division.code, f"FY{i:07d}"),
                            specialties=["labor", "marriage_family", "criminal_defense", "traffic_accident"],
                            languages=["mandarin", "sign"],
                            hours="周一至周日 8:30-17:30（12348热线24小时）")
        inst.phone = "12348"
        _staff(plan, inst, kind=PractitionerKind.LAWYER, count=2, rng=rng, seq_base=9_000_000 + 10 * i,
               legal_aid_share=1.0)

    # People's mediation committees: one per township (street), and industry committees.
    for t in townships:
        rng = demo_rng("mediation_committee", t.code)
        county_code = t.code[:6]
        inst = _institution(plan, kind=InstitutionKind.MEDIATION_COMMITTEE,
                            mediation_kind=MediationCommitteeKind.TOWNSHIP, name=f"{county_names.get(county_code, '')}{t.name}人民调解委员会",
                            division=t, rng=rng, center=centers.get(county_code, CITY_CENTER),
                            spread_km=6 if county_code in RURAL_COUNTY_CODES else 3,
                            specialties=["marriage_family", "real_estate", "debt"])
        _staff(plan, inst, kind=PractitionerKind.MEDIATOR, count=rng.randint(1, 2), rng=rng, seq_base=0,
               specialties=["marriage_family", "real_estate", "debt", "labor", "tort"])
    for i, (topic, specialties) in enumerate(INDUSTRY_COMMITTEES):
        rng = demo_rng("industry_committee", topic)
        inst = _institution(plan, kind=InstitutionKind.MEDIATION_COMMITTEE,
                            mediation_kind=MediationCommitteeKind.INDUSTRY,
                            name=f"{CITY_NAME}{topic}人民调解委员会", division=city, rng=rng, center=CITY_CENTER,
                            spread_km=4, code=credit_code("59", city.code, f"TJ{i:07d}"), specialties=specialties)
        _staff(plan, inst, kind=PractitionerKind.MEDIATOR, count=rng.randint(4, 8), rng=rng, seq_base=0,
               specialties=specialties)

    # Grassroots legal service offices in the towns of counties and county-level cities.
    for i, t in enumerate(x for x in townships if x.code[:6] in RURAL_COUNTY_CODES):
        rng = demo_rng("grassroots_office", t.code)
        inst = _institution(plan, kind=InstitutionKind.GRASSROOTS_OFFICE, name=f"{county_names.get(t.code[:6], '')}{t.name}法律服务所",
                            division=t, rng=rng, center=centers.get(t.code[:6], CITY_CENTER), spread_km=6,
                            code=credit_code("39", t.code[:6], f"JC{int(t.code[6:]):03d}{i:04d}"),
                            licence=f"JC{t.code}", specialties=["debt", "contract", "labor", "general"])
        _staff(plan, inst, kind=PractitionerKind.GRASSROOTS_WORKER, count=rng.randint(1, 3), rng=rng,
               seq_base=10 * i + 100_000, specialties=["debt", "contract", "labor", "general", "real_estate"])

    # Experts and volunteers: attached to a region, not to an institution.
    places = counties or [city]
    for kind, count in ((PractitionerKind.EXPERT, 50), (PractitionerKind.VOLUNTEER, 40)):
        for i in range(count):
            rng = demo_rng(kind, i)
            sex = Sex.MALE if rng.random() < 0.6 else Sex.FEMALE
            division = city if kind == PractitionerKind.EXPERT and i % 2 == 0 else rng.choice(places)
            person = Practitioner(
                kind=kind, name=person_name(rng, sex), sex=sex,
                practice_since=rng.randint(1985, 2020) if kind == PractitionerKind.EXPERT else None,
                specialties=rng.sample(PracticeArea.values, k=2 if kind == PractitionerKind.EXPERT else 1),
                languages=["mandarin"] + (["sign"] if kind == PractitionerKind.VOLUNTEER and i % 10 == 0 else []),
                division_id=division.code, region_code=division.code, is_demo=True,
                introduction=("高校法学教师、资深律师，参与重大疑难案件论证。" if kind == PractitionerKind.EXPERT
                              else "法律服务志愿者，参与普法宣传和咨询引导。"),
            )
            person.refresh_tags()
            plan.practitioners.append((None, person))
    return plan


def _credit_records(institutions: dict[tuple[str, str], Institution],
                    people: list[Practitioner]) -> list[CreditRecord]:
    """A handful of public credit records: awards, an annual assessment, one sanction each kind."""
    records: list[CreditRecord] = []
    firms = sorted((i for i in institutions.values() if i.kind == InstitutionKind.LAW_FIRM), key=lambda i: i.name)
    lawyers = sorted((p for p in people if p.kind == PractitionerKind.LAWYER), key=lambda p: p.licence_number)
    notaries = sorted((p for p in people if p.kind == PractitionerKind.NOTARY), key=lambda p: p.licence_number)
    year = DEMO_YEAR

    def add(n: int, *, kind: str, subject: Institution | Practitioner, decided_on: datetime.date, issuer: str,
            summary: str, result: str = "", public_years: int | None = None) -> None:
        record = CreditRecord(
            kind=kind, assessment_result=result, decided_on=decided_on, issuing_authority=issuer,
            decision_number=f"演示〔{decided_on.year}〕{n}号", summary=summary,
            public_until=decided_on.replace(year=decided_on.year + public_years) if public_years else None,
            region_code=subject.region_code, is_demo=True,
        )
        if isinstance(subject, Institution):
            record.institution = subject
        else:
            record.practitioner = subject
        records.append(record)

    for n, firm in enumerate(firms[:5], start=1):
        add(n, kind=CreditRecordKind.AWARD, subject=firm, decided_on=datetime.date(year, 3, 15),
            issuer=ISSUERS["city"], summary=f"{year - 1}年度全市优秀律师事务所")
    for n, firm in enumerate(firms[5:15], start=10):
        add(n, kind=CreditRecordKind.ASSESSMENT, subject=firm, decided_on=datetime.date(year, 5, 31),
            issuer=ISSUERS["city"], result=AssessmentResult.PASSED, summary=f"{year - 1}年度检查考核结果：合格")
    for n, lawyer in enumerate(lawyers[:8], start=30):
        add(n, kind=CreditRecordKind.AWARD, subject=lawyer, decided_on=datetime.date(year, 6, 1),
            issuer=ISSUERS["bar"], summary="法律援助工作先进个人")
    if len(lawyers) > 10:
        add(50, kind=CreditRecordKind.DISCIPLINE, subject=lawyers[10], decided_on=datetime.date(year, 9, 10),
            issuer=ISSUERS["bar"], summary="违反律师执业行为规范（未按规定与委托人签订书面委托合同），给予训诫。",
            public_years=3)
        add(51, kind=CreditRecordKind.SANCTION, subject=lawyers[-1], decided_on=datetime.date(year, 11, 20),
            issuer=ISSUERS["city"], summary="依据《律师法》第四十八条，给予警告的行政处罚。", public_years=3)
    if notaries:
        add(60, kind=CreditRecordKind.ASSESSMENT, subject=notaries[0], decided_on=datetime.date(year, 4, 30),
            issuer=ISSUERS["notary_assoc"], result=AssessmentResult.BASIC, summary=f"{year - 1}年度公证员考核：基本合格")
    return records


@transaction.atomic
def load(*, stdout: IO[str] | None = None) -> None:
    city = Division.objects.filter(code=CITY_CODE).first()
    if city is None:
        if stdout is not None:
            stdout.write("  directory: 未找到郑州市（4101）区划数据，跳过演示名录。")
        return
    plan = build_plan(city)

    existing = {(k, n) for k, n in Institution.objects.filter(is_demo=True).values_list("kind", "name")}
    new_institutions = [i for i in plan.institutions if (i.kind, i.name) not in existing]
    Institution.objects.bulk_create(new_institutions, batch_size=500)
    institutions = {(i.kind, i.name): i for i in Institution.objects.filter(is_demo=True)}

    existing_people = set(Practitioner.objects.filter(is_demo=True)
                          .values_list("kind", "institution_id", "name", "region_code"))
    new_people = []
    for inst_key, person in plan.practitioners:
        if inst_key is not None:
            inst = institutions[inst_key]
            person.institution = inst
            person.division_id = person.region_code = inst.region_code
        if (person.kind, person.institution_id, person.name, person.region_code) not in existing_people:
            new_people.append(person)
    Practitioner.objects.bulk_create(new_people, batch_size=500)

    existing_numbers = set(CreditRecord.objects.filter(is_demo=True).values_list("decision_number", flat=True))
    people = list(Practitioner.objects.filter(is_demo=True))
    new_records = [r for r in _credit_records(institutions, people) if r.decision_number not in existing_numbers]
    CreditRecord.objects.bulk_create(new_records)
    if stdout is not None:
        stdout.write(f"  directory: 新增机构 {len(new_institutions)}，人员 {len(new_people)}，"
                     f"信用记录 {len(new_records)}（演示数据）")

