"""Personas of the benefits registry: two agencies, each with staff and a supervisor, and the administration."""

from __future__ import annotations

import datetime as dt

import pytest

from benefits import services
from benefits.models import BenefitItem, Category
from tests.factories import AgencyFactory, OfficeFactory, UserFactory


def item_values(**overrides) -> dict:
    values = {
        "category": Category.DRIVING_LICENCE,
        "title_en": "Convert a foreign driving licence",
        "title_zh": "换领境外驾驶证",
        "description_en": "Holders of a valid foreign licence convert it after the theory test.",
        "description_zh": "持有效境外驾驶证的，经科目一考试合格后换领中国驾驶证。",
        "legal_basis_en": "Provisions on Motor Vehicle Driving Licences",
        "legal_basis_zh": "《机动车驾驶证申领和使用规定》",
        "effective_date": dt.date(2022, 4, 1),
    }
    return values | overrides


@pytest.fixture
def tax(db):
    return AgencyFactory(code="sta", name_en="State Taxation Administration", name_zh="国家税务总局")


@pytest.fixture
def hr(db):
    return AgencyFactory(
        code="mohrss",
        name_en="Ministry of Human Resources and Social Security",
        name_zh="人力资源和社会保障部",
    )


@pytest.fixture
def sam(tax):
    """Staff of the tax administration."""
    return UserFactory(email="sam@tax.example", full_name="Sam Zhao", roles=["agency_staff"], agency=tax)


@pytest.fixture
def sue(tax):
    """Supervisor at the tax administration."""
    return UserFactory(email="sue@tax.example", full_name="Sue Qian", roles=["agency_supervisor"], agency=tax)


@pytest.fixture
def hank(hr):
    """Staff of the human resources ministry: another agency."""
    return UserFactory(email="hank@hr.example", full_name="Hank Sun", roles=["agency_staff"], agency=hr)


@pytest.fixture
def hera(hr):
    """Supervisor of the human resources ministry."""
    return UserFactory(email="hera@hr.example", full_name="Hera Xu", roles=["agency_supervisor"], agency=hr)


@pytest.fixture
def paula(db):
    """A policy administrator of the immigration administration."""
    return UserFactory(
        email="paula@policy.example", full_name="Paula Huang", roles=["policy_admin"], office=OfficeFactory()
    )


@pytest.fixture
def applicant(db):
    return UserFactory(email="alice@applicant.example", full_name="Alice Martin", roles=["applicant"])


@pytest.fixture
def draft(sam) -> BenefitItem:
    return services.benefit_item_create(
        actor=sam,
        values=item_values(
            category=Category.TAXATION,
            title_en="Special additional deductions",
            title_zh="专项附加扣除",
            description_en="Claim deductions for children's education.",
            description_zh="享受子女教育等专项附加扣除。",
        ),
    )


@pytest.fixture
def published(draft, sue) -> BenefitItem:
    services.benefit_item_publish(actor=sue, item=draft)
    draft.refresh_from_db()
    return draft


@pytest.fixture
def hr_published(hank, hera) -> BenefitItem:
    item = services.benefit_item_create(
        actor=hank,
        values=item_values(
            category=Category.EMPLOYMENT_SOCIAL_INSURANCE,
            applies_to="working",
            title_en="Join social insurance",
            title_zh="参加社会保险",
            description_en="Employed permanent residents join the five social insurances.",
            description_zh="在职的永久居留外国人参加五项社会保险。",
        ),
    )
    services.benefit_item_publish(actor=hera, item=item)
    item.refresh_from_db()
    return item
