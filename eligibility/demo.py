"""Demo records: registered talent programs, this year's family quota and one ban. Idempotent."""

from __future__ import annotations

from datetime import date

from django.db import transaction
from django.utils import timezone

from residence.accounts.models import Agency

from .models import Ban, FamilyQuota, NominatingBody, TalentProgram
from .services import policy_install_default

# code, English name, Chinese name, owning agency, valid from, valid to, status
PROGRAMS = [
    (
        "qrjh-2008",
        "Recruitment Program of Global Experts (national key program)",
        "海外高层次人才引进计划",
        "most",
        date(2008, 12, 1),
        date(2019, 1, 1),
        "retired",
    ),
    (
        "gwzj-2011",
        "High-end Foreign Experts Recruitment Program",
        "高端外国专家引进计划",
        "safea",
        date(2011, 1, 1),
        None,
        "active",
    ),
    (
        "qnqr-2011",
        "Young Global Experts Program",
        "青年海外高层次人才引进计划",
        "most",
        date(2011, 1, 1),
        None,
        "active",
    ),
    (
        "czjh-2015",
        "Chang Jiang Scholars Program",
        "长江学者奖励计划",
        "moe",
        date(1998, 8, 1),
        None,
        "active",
    ),
    (
        "ncps-2016",
        "National Program for Senior Foreign Experts in Industry",
        "国家产业高级外国专家项目",
        "miit",
        date(2016, 3, 1),
        None,
        "active",
    ),
]

DEMO_BAN = {
    "passport_number": "X0000001",
    "nationality": "GBR",
    "birth_date": date(1975, 4, 12),
    "ground": "fraud",
    "reason": "Refused in 2024 for a forged employment contract (demo record).",
}


@transaction.atomic
def seed() -> None:
    policy_install_default()
    cas = Agency.objects.filter(code="cas").first()
    if cas is not None:
        NominatingBody.objects.update_or_create(
            code="cas",
            defaults={
                "name_en": cas.name_en,
                "name_zh": cas.name_zh,
                "methods": ["national_organisation", "expert_panel"],
                "agency": cas,
            },
        )
    for code, en, zh, agency, start, end, status in PROGRAMS:
        owner = Agency.objects.filter(code=agency).first() or Agency.objects.order_by("pk").first()
        if owner is None:
            continue
        TalentProgram.objects.update_or_create(
            code=code,
            defaults={
                "name_en": en,
                "name_zh": zh,
                "agency": owner,
                "valid_from": start,
                "valid_to": end,
                "status": status,
            },
        )
    year = timezone.localdate().year
    FamilyQuota.objects.get_or_create(year=year, region="", defaults={"places": 5000})
    FamilyQuota.objects.get_or_create(year=year, region="CN-SC", defaults={"places": 120})
    # Guangdong's places for the year are used up, so the demo shows a family case waiting for one.
    FamilyQuota.objects.get_or_create(year=year, region="CN-GD", defaults={"places": 0})
    Ban.objects.get_or_create(
        passport_number=DEMO_BAN["passport_number"],
        nationality=DEMO_BAN["nationality"],
        birth_date=DEMO_BAN["birth_date"],
        defaults={
            "ground": DEMO_BAN["ground"],
            "reason": DEMO_BAN["reason"],
            "until": date(timezone.localdate().year + 4, 12, 31),
        },
    )
