"""Demo data: agencies, offices and one user of every role. Idempotent: running it twice is harmless."""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from django.conf import settings
from django.contrib.auth.models import Group
from django.db import transaction
from django.utils import timezone

from residence.accounts.models import Agency, Office, Role, User

AGENCIES = [
    # code, English name, Chinese name, kind, website
    ("mfa", "Ministry of Foreign Affairs", "外交部", "ministry", "https://www.mfa.gov.cn"),
    (
        "ndrc",
        "National Development and Reform Commission",
        "国家发展和改革委员会",
        "commission",
        "https://www.ndrc.gov.cn",
    ),
    ("moe", "Ministry of Education", "教育部", "ministry", "http://www.moe.gov.cn"),
    # A recognised nominating body (R11): its staff confirm the nominations that name it.
    ("cas", "Chinese Academy of Sciences", "中国科学院", "other", "https://www.cas.cn"),
    ("most", "Ministry of Science and Technology", "科学技术部", "ministry", "https://www.most.gov.cn"),
    (
        "miit",
        "Ministry of Industry and Information Technology",
        "工业和信息化部",
        "ministry",
        "https://www.miit.gov.cn",
    ),
    ("mps", "Ministry of Public Security", "公安部", "ministry", "https://www.mps.gov.cn"),
    ("mca", "Ministry of Civil Affairs", "民政部", "ministry", "https://www.mca.gov.cn"),
    ("mof", "Ministry of Finance", "财政部", "ministry", "http://www.mof.gov.cn"),
    (
        "mohrss",
        "Ministry of Human Resources and Social Security",
        "人力资源和社会保障部",
        "ministry",
        "http://www.mohrss.gov.cn",
    ),
    ("mnr", "Ministry of Natural Resources", "自然资源部", "ministry", "https://www.mnr.gov.cn"),
    (
        "mohurd",
        "Ministry of Housing and Urban-Rural Development",
        "住房和城乡建设部",
        "ministry",
        "https://www.mohurd.gov.cn",
    ),
    ("mot", "Ministry of Transport", "交通运输部", "ministry", "https://www.mot.gov.cn"),
    ("mofcom", "Ministry of Commerce", "商务部", "ministry", "http://www.mofcom.gov.cn"),
    ("nhc", "National Health Commission", "国家卫生健康委员会", "commission", "http://www.nhc.gov.cn"),
    ("pbc", "People's Bank of China", "中国人民银行", "bank", "http://www.pbc.gov.cn"),
    ("gacc", "General Administration of Customs", "海关总署", "administration", "http://www.customs.gov.cn"),
    ("sta", "State Taxation Administration", "国家税务总局", "administration", "https://www.chinatax.gov.cn"),
    (
        "samr",
        "State Administration for Market Regulation",
        "国家市场监督管理总局",
        "administration",
        "https://www.samr.gov.cn",
    ),
    (
        "nhsa",
        "National Healthcare Security Administration",
        "国家医疗保障局",
        "administration",
        "http://www.nhsa.gov.cn",
    ),
    (
        "safea",
        "State Administration of Foreign Experts Affairs",
        "国家外国专家局",
        "administration",
        "http://www.safea.gov.cn",
    ),
    ("spc", "Supreme People's Court", "最高人民法院", "other", "https://www.court.gov.cn"),
]

OFFICES = [
    # code, English, Chinese, level, parent, province, city code (GB/T 2260)
    ("nia", "National Immigration Administration", "国家移民管理局", "national", None, "", ""),
    (
        "gd",
        "Guangdong Provincial Exit-Entry Administration",
        "广东省出入境管理局",
        "provincial",
        "nia",
        "CN-GD",
        "",
    ),
    (
        "gd-gz",
        "Guangzhou Exit-Entry Administration",
        "广州市出入境管理支队",
        "municipal",
        "gd",
        "CN-GD",
        "440100",
    ),
    (
        "gd-sz",
        "Shenzhen Exit-Entry Administration",
        "深圳市出入境管理支队",
        "municipal",
        "gd",
        "CN-GD",
        "440300",
    ),
    # R20: a one-stop window under the provincial office (its kind and address in OFFICE_PLACES).
    (
        "gd-ftsc",
        "Guangdong Foreign Talent Service Centre",
        "广东省外国人才服务中心",
        "provincial",
        "gd",
        "CN-GD",
        "",
    ),
    (
        "sc",
        "Sichuan Provincial Exit-Entry Administration",
        "四川省出入境管理局",
        "provincial",
        "nia",
        "CN-SC",
        "",
    ),
    (
        "sc-cd",
        "Chengdu Exit-Entry Administration",
        "成都市出入境管理支队",
        "municipal",
        "sc",
        "CN-SC",
        "510100",
    ),
    (
        "sc-my",
        "Mianyang Exit-Entry Administration",
        "绵阳市出入境管理支队",
        "municipal",
        "sc",
        "CN-SC",
        "510700",
    ),
]


# Where walk-in applicants go (demo addresses, not the real ones); code -> kind, English, Chinese, phone.
OFFICE_PLACES = {
    "gd-gz": (
        "office",
        "Exit-entry hall, Yuexiu District, Guangzhou (demo)",
        "广州市越秀区出入境大厅（演示）",
        "020-0000-0001",
    ),
    "gd-ftsc": (
        "service_centre",
        "Foreign talent one-stop window, Tianhe District, Guangzhou (demo)",
        "广州市天河区外国人才一站式服务窗口（演示）",
        "020-0000-0002",
    ),
}


@dataclass(frozen=True)
class DemoUser:
    email: str
    full_name: str
    roles: tuple[str, ...]
    office: str | None = None
    agency: str | None = None


DEMO_USERS = [
    DemoUser("alice@applicant.demo", "Alice Martin", (Role.APPLICANT,)),
    DemoUser("nora@cas.demo", "Nora Chen", (Role.NOMINATING_BODY_STAFF,), agency="cas"),
    DemoUser("petra@expert.demo", "Petra Novak", (Role.POLICY_EXPERT,)),
    DemoUser("bruno@applicant.demo", "Bruno Silva", (Role.APPLICANT,)),
    DemoUser("carla@applicant.demo", "Carla Rossi", (Role.APPLICANT,)),
    DemoUser("dmitri@applicant.demo", "Dmitri Petrov", (Role.APPLICANT,)),
    DemoUser("ines@intermediary.demo", "Ines Keller", (Role.INTERMEDIARY,)),
    DemoUser("ivan@intake.demo", "Ivan Zhou", (Role.INTAKE_OFFICER,), office="gd-gz"),
    DemoUser("cora@counter.demo", "Cora Lin", (Role.COUNTER_STAFF,), office="gd-ftsc"),
    DemoUser("rita@review.demo", "Rita Chen", (Role.REVIEWER,), office="gd"),
    DemoUser("arthur@approve.demo", "Arthur Li", (Role.APPROVER,), office="gd"),
    # The default policy has approval taken at national level: Nadia approves the demo cases.
    DemoUser("nadia@approve.demo", "Nadia Gao", (Role.APPROVER,), office="nia"),
    DemoUser("mona@manage.demo", "Mona Wang", (Role.MANAGEMENT_OFFICER,), office="gd"),
    DemoUser("paula@policy.demo", "Paula Huang", (Role.POLICY_ADMIN,), office="nia"),
    DemoUser("sam@tax.demo", "Sam Zhao", (Role.AGENCY_STAFF,), agency="sta"),
    DemoUser("sue@tax.demo", "Sue Qian", (Role.AGENCY_SUPERVISOR,), agency="sta"),
    DemoUser("hank@hr.demo", "Hank Sun", (Role.AGENCY_STAFF,), agency="mohrss"),
    DemoUser("hera@hr.demo", "Hera Xu", (Role.AGENCY_SUPERVISOR,), agency="mohrss"),
    DemoUser("sysadmin@portal.demo", "Sys Admin", (Role.SYSTEM_ADMIN,)),
]


def demo_password() -> str:
    """One password for every demo account, made at first run and kept beside the SQLite file."""
    path = settings.VAR_DIR / "demo_password"
    if not path.exists():
        path.write_text(f"demo-{secrets.token_urlsafe(9)}")
        path.chmod(0o600)
    return path.read_text().strip()


@transaction.atomic
def seed_organisations() -> None:
    for code, en, zh, kind, website in AGENCIES:
        Agency.objects.update_or_create(
            code=code, defaults={"name_en": en, "name_zh": zh, "kind": kind, "website": website}
        )
    for code, en, zh, level, parent, province, city in OFFICES:
        Office.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_zh": zh,
                "level": level,
                "parent": Office.objects.get(code=parent) if parent else None,
                "province": province,
                "city_code": city,
            },
        )
    for code, (kind, address_en, address_zh, phone) in OFFICE_PLACES.items():
        Office.objects.filter(code=code).update(
            kind=kind, address_en=address_en, address_zh=address_zh, phone=phone
        )


@transaction.atomic
def seed_users(password: str) -> list[DemoUser]:
    for demo in DEMO_USERS:
        is_admin = Role.SYSTEM_ADMIN in demo.roles
        user, _created = User.objects.update_or_create(
            email=demo.email,
            defaults={
                "full_name": demo.full_name,
                "office": Office.objects.get(code=demo.office) if demo.office else None,
                "agency": Agency.objects.get(code=demo.agency) if demo.agency else None,
                "is_staff": is_admin,
                "is_superuser": is_admin,
                "email_verified_at": timezone.now(),
            },
        )
        user.set_password(password)
        user.save(update_fields=["password"])
        user.groups.set(Group.objects.filter(name__in=demo.roles))
    return DEMO_USERS
