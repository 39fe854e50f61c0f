"""Reference registers (issue 13): editions with effective dates, and the facts derived from them."""

from __future__ import annotations

from datetime import date, timedelta

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse
from django.utils import timezone

from eligibility.models import Register, RegisterEdition
from eligibility.registers import edition_in_force
from eligibility.services import (
    eligibility_assess,
    register_draft_create,
    register_draft_update,
    register_publish,
)
from residence.audit.models import AuditEntry
from tests.eligibility.factories import policy_admin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db

TODAY = date(2025, 6, 1)


@pytest.fixture
def paula():
    return policy_admin(email="paula@example.org")


def investor(**changes):
    facts = {
        "amount_usd": "600000",
        "method": "direct",
        "first_investment_date": "2018-01-01",
        "tax_record_good": True,
        "industry_code": "C3011",  # cement: in no catalogue
        "enterprise_address_code": "440106",  # Tianhe, Guangzhou: eastern region
    }
    return facts | changes


def sources(assessment) -> dict:
    return assessment.snapshot["fact_sources"]


def test_an_industry_in_the_encouraged_catalogue_in_force_qualifies_at_usd_500000():
    assessment = eligibility_assess(channel="investment", facts=investor(industry_code="C3973"), as_of=TODAY)

    assert assessment.result.outcome == "eligible"
    encouraged = sources(assessment)["encouraged_industry"]
    assert encouraged == {
        "source": "register",
        "register": "encouraged_industries",
        "edition": "2022",
        "edition_id": encouraged["edition_id"],
        "effective_from": "2023-01-01",
        "value": True,
    }


def test_an_industry_outside_the_catalogue_in_the_eastern_region_does_not():
    assessment = eligibility_assess(channel="investment", facts=investor(), as_of=TODAY)

    assert assessment.result.outcome == "not_eligible"
    assert sources(assessment)["encouraged_industry"]["value"] is False
    assert sources(assessment)["region_class"]["value"] == "eastern"


def test_the_catalogue_that_matters_is_the_one_in_force_on_the_date():
    # Motor vehicle parts entered the catalogue with the 2022 edition, in force from 2023-01-01.
    facts = investor(industry_code="C3670")

    before = eligibility_assess(channel="investment", facts=facts, as_of=date(2022, 12, 31))
    after = eligibility_assess(channel="investment", facts=facts, as_of=date(2023, 1, 1))

    assert before.result.outcome == "not_eligible"
    assert sources(before)["encouraged_industry"]["edition"] == "2020"
    assert after.result.outcome == "eligible"
    assert sources(after)["encouraged_industry"]["edition"] == "2022"


def test_the_applicant_cannot_declare_the_derived_facts():
    facts = investor(encouraged_industry=True, region_class="western")

    assessment = eligibility_assess(channel="investment", facts=facts, as_of=TODAY)

    assert assessment.result.outcome == "not_eligible"
    assert sources(assessment)["region_class"]["value"] == "eastern"


@pytest.mark.parametrize(
    ("address", "region", "outcome"),
    [
        ("510100", "western", "eligible"),  # Chengdu
        ("130725", "poverty_county", "eligible"),  # Shangyi, a key county in eastern Hebei
        ("420100", "central", "not_eligible"),  # Wuhan: the central region needs USD 1,000,000
        ("440106", "eastern", "not_eligible"),
    ],
)
def test_the_region_class_comes_from_the_address_code(address, region, outcome):
    assessment = eligibility_assess(
        channel="investment", facts=investor(enterprise_address_code=address), as_of=TODAY
    )

    assert assessment.result.outcome == outcome
    assert sources(assessment)["region_class"]["value"] == region


def test_a_poverty_county_says_which_list_made_it_one():
    assessment = eligibility_assess(
        channel="investment", facts=investor(enterprise_address_code="130725"), as_of=TODAY
    )

    source = sources(assessment)["region_class"]
    assert (source["register"], source["edition"]) == ("poverty_counties", "2012")


@pytest.mark.parametrize(
    ("fact", "value"),
    [("industry_code", "C9999"), ("industry_code", "cement"), ("enterprise_address_code", "449999")],
)
def test_an_unknown_code_is_an_error_on_that_fact(fact, value):
    with pytest.raises(ValidationError) as error:
        eligibility_assess(channel="investment", facts=investor(**{fact: value}), as_of=TODAY)

    assert fact in error.value.message_dict
    assert value in error.value.message_dict[fact][0]


def test_a_priority_industry_for_the_points_comes_from_the_priority_list():
    work = {"industry_code": "C3973", "annual_salary_cny": "600000"}

    listed = eligibility_assess(channel="work", facts=work, as_of=TODAY)
    not_listed = eligibility_assess(channel="work", facts=work | {"industry_code": "C3011"}, as_of=TODAY)

    assert sources(listed)["priority_industry"]["value"] is True
    assert sources(not_listed)["priority_industry"]["value"] is False
    assert listed.result.points - not_listed.result.points == 10


# --- editions: drafts, publication, effective dates ------------------------------------------------


def test_a_published_edition_is_not_applied_before_it_takes_effect(paula):
    draft = register_draft_create(actor=paula, register=Register.ENCOURAGED_INDUSTRIES)
    entries = draft.entries + [{"code": "C3011", "en": "Manufacture of cement", "zh": "水泥制造"}]
    register_draft_update(actor=paula, draft=draft, entries=entries, label="2026", source="Order No. 99")
    today = timezone.localdate()
    register_publish(actor=paula, draft=draft, effective_from=today + timedelta(days=30))

    now = eligibility_assess(channel="investment", facts=investor(), as_of=today)
    later = eligibility_assess(channel="investment", facts=investor(), as_of=today + timedelta(days=30))

    assert now.result.outcome == "not_eligible"
    assert sources(now)["encouraged_industry"]["edition"] == "2022"
    assert later.result.outcome == "eligible"
    assert sources(later)["encouraged_industry"]["edition"] == "2026"
    old = RegisterEdition.objects.get(register=Register.ENCOURAGED_INDUSTRIES, label="2022")
    assert old.effective_to == today + timedelta(days=30)
    assert AuditEntry.objects.filter(action="eligibility.register_publish").count() == 1
    assert AuditEntry.objects.filter(action="eligibility.register_retire").count() == 1


def test_a_catalogue_entry_must_be_a_code_of_the_classification(paula):
    draft = register_draft_create(actor=paula, register=Register.ENCOURAGED_INDUSTRIES)
    before = list(draft.entries)

    with pytest.raises(ValidationError) as error:
        register_draft_update(
            actor=paula,
            draft=draft,
            entries=[
                *before,
                {"code": "C9998", "en": "Nothing", "zh": "无"},
                {"code": "EI-IC", "en": "x", "zh": "x"},
            ],
            label="bad",
            source="",
        )

    messages = error.value.message_dict["entries"]
    assert any("C9998" in m for m in messages) and any("EI-IC" in m for m in messages)
    draft.refresh_from_db()
    assert draft.entries == before and draft.label != "bad"


def test_a_poverty_county_must_be_a_county(paula):
    draft = register_draft_create(actor=paula, register=Register.POVERTY_COUNTIES)

    with pytest.raises(ValidationError) as error:
        register_draft_update(
            actor=paula,
            draft=draft,
            entries=[{"code": "130700", "en": "Zhangjiakou", "zh": "张家口市"}],
            label="x",
            source="",
        )

    assert "130700" in error.value.message_dict["entries"][0]


def test_a_published_edition_cannot_be_changed_or_published_in_the_past(paula):
    published = edition_in_force(Register.ENCOURAGED_INDUSTRIES)
    with pytest.raises(ValidationError):
        register_draft_update(actor=paula, draft=published, entries=published.entries, label="x", source="")
    draft = register_draft_create(actor=paula, register=Register.ENCOURAGED_INDUSTRIES)
    with pytest.raises(ValidationError) as error:
        register_publish(actor=paula, draft=draft, effective_from=timezone.localdate() - timedelta(days=1))
    assert "effective_from" in error.value.message_dict
    draft.refresh_from_db()
    assert draft.is_draft


def test_only_policy_administrators_edit_registers(client):
    clerk = UserFactory(roles=["reviewer"])
    with pytest.raises(PermissionDenied):
        register_draft_create(actor=clerk, register=Register.ENCOURAGED_INDUSTRIES)
    client.force_login(clerk)
    edition = edition_in_force(Register.ENCOURAGED_INDUSTRIES)
    assert client.get(reverse("eligibility:registers")).status_code == 404
    assert client.get(reverse("eligibility:register_edition", args=[edition.pk])).status_code == 404


def test_an_administrator_edits_and_publishes_an_edition_through_the_pages(client, paula):
    client.force_login(paula)
    overview = client.get(reverse("eligibility:registers"))
    assert overview.status_code == 200 and "2022" in overview.content.decode()

    response = client.post(reverse("eligibility:register_draft_create", args=["encouraged_industries"]))
    draft = RegisterEdition.objects.get(register="encouraged_industries", status="draft")
    assert response.url == reverse("eligibility:register_edition", args=[draft.pk])
    page = client.get(response.url).content.decode()
    assert "C3973 | Manufacture of integrated circuits | 集成电路制造" in page

    bad = client.post(response.url, {"label": "2026", "source": "", "entries": "C3973 Manufacture"})
    assert bad.status_code == 200 and "Line 1" in bad.content.decode()
    good = client.post(
        response.url,
        {
            "label": "2026",
            "source": "Order No. 99",
            "entries": "C3973 | Integrated circuits | 集成电路制造\n",
        },
    )
    assert good.status_code == 302
    draft.refresh_from_db()
    assert draft.label == "2026" and [e["code"] for e in draft.entries] == ["C3973"]

    tomorrow = timezone.localdate() + timedelta(days=1)
    client.post(reverse("eligibility:register_publish", args=[draft.pk]), {"effective_from": tomorrow})
    draft.refresh_from_db()
    assert draft.status == "published" and draft.effective_from == tomorrow
    assert edition_in_force(Register.ENCOURAGED_INDUSTRIES).label == "2022"


def test_the_self_check_asks_for_codes_not_for_the_derived_facts(client):
    page = client.get(reverse("eligibility:self_check", args=["investment"])).content.decode()

    assert 'name="industry_code"' in page and 'name="enterprise_address_code"' in page
    assert 'name="encouraged_industry"' not in page and 'name="region_class"' not in page
    response = client.post(
        reverse("eligibility:self_check", args=["investment"]),
        {"amount_usd": "600000", "industry_code": "Z0000"},
    )
    assert response.status_code == 200
    assert "Z0000 is not an industry code" in response.content.decode()
