"""The administrator's screen to add a year's figures to a by-year reference table of a draft."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.urls import reverse

from eligibility.models import PolicyVersion
from eligibility.selectors import policy_version_in_force
from eligibility.services import policy_draft_create, policy_reference_year_add
from residence.audit.models import AuditEntry
from tests.eligibility.factories import policy_admin
from tests.factories import UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def paula():
    return policy_admin(email="paula@example.org")


@pytest.fixture
def draft(paula):
    return policy_draft_create(actor=paula, based_on=policy_version_in_force())


def _wages(version) -> dict:
    return version.document["reference"]["tables"]["local_average_wage"]["values"]


def test_an_administrator_adds_a_years_figures_and_the_change_is_audited(client, paula, draft):
    client.force_login(paula)
    url = reverse("eligibility:policy_reference_year", args=[draft.pk, "local_average_wage"])

    page = client.get(url)
    response = client.post(url, {"year": 2024, "figure__CN-BJ": "226000", "figure__CN-SH": "221100.50"})

    assert page.status_code == 200 and "CN-BJ" in page.content.decode()
    assert response.status_code == 302
    draft.refresh_from_db()
    assert _wages(draft)["CN-BJ"]["2024"] == 226000
    assert _wages(draft)["CN-SH"]["2024"] == 221100.5
    assert "2024" not in _wages(draft)["CN-TJ"]
    entry = AuditEntry.objects.get(action="eligibility.policy_reference_year_add")
    assert entry.after["figures"] == {"CN-BJ": 226000, "CN-SH": 221100.5}
    assert entry.before["figures"] == {"CN-BJ": None, "CN-SH": None}


def test_the_new_year_is_read_by_the_engine(paula, draft):
    from datetime import date

    from eligibility.engine import evaluate

    draft = policy_reference_year_add(
        actor=paula, draft=draft, table="local_average_wage", year=2024, figures={"CN-BJ": 226000}
    )
    result = evaluate(
        draft.compiled(),
        channel="talent",
        facts={"annual_salary_cny": 1356000, "annual_income_tax_cny": 300000, "work_province": "CN-BJ"},
        as_of=date(2025, 6, 1),
    )

    salary = next(c for c in result.criteria if c.id == "market_salary_multiple")
    assert "2024" in salary.explanation["en"]
    assert result.warnings == ()


def test_a_published_version_cannot_get_a_new_year(paula):
    published = policy_version_in_force()
    before, audits = published.document, AuditEntry.objects.count()

    with pytest.raises(ValidationError):
        policy_reference_year_add(
            actor=paula, draft=published, table="local_average_wage", year=2024, figures={"CN-BJ": 1}
        )

    published.refresh_from_db()
    assert published.document == before
    assert AuditEntry.objects.count() == audits


@pytest.mark.parametrize(
    ("table", "figures"),
    [
        ("region_class", {"CN-BJ": 1}),  # not a table by year
        ("local_average_wage", {"CN-XX": 100}),  # no such province in the table
        ("local_average_wage", {"CN-BJ": None}),  # nothing entered
        ("local_average_wage", {"CN-BJ": 0}),  # not a positive figure: refused by the policy validation
    ],
)
def test_bad_figures_store_nothing(paula, draft, table, figures):
    before, revision, audits = draft.document, draft.revision, AuditEntry.objects.count()

    with pytest.raises(ValidationError):
        policy_reference_year_add(actor=paula, draft=draft, table=table, year=2024, figures=figures)

    draft.refresh_from_db()
    assert (draft.document, draft.revision) == (before, revision)
    assert AuditEntry.objects.count() == audits


def test_only_policy_administrators_may_add_figures(client, draft):
    someone = UserFactory(email="sam@example.org")
    # Logging in is itself audited (auth.login); what must not appear is a change of the policy.
    audits = AuditEntry.objects.exclude(action__startswith="auth.").exclude(action="access.denied").count()

    with pytest.raises(PermissionDenied):
        policy_reference_year_add(
            actor=someone, draft=draft, table="local_average_wage", year=2024, figures={"CN-BJ": 1}
        )
    client.force_login(someone)
    page = client.get(reverse("eligibility:policy_reference_year", args=[draft.pk, "local_average_wage"]))

    assert page.status_code == 404
    assert (
        AuditEntry.objects.exclude(action__startswith="auth.").exclude(action="access.denied").count()
        == audits
    )
    assert PolicyVersion.objects.get(pk=draft.pk).revision == draft.revision
