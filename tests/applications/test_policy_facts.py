"""Routes and facts as data (issue 14): a policy version adds a fact and a route, with no migration.

The work channel of a new version gets `patents_granted` (a whole number, 0..500, labelled in
English and Chinese; not a column of WorkFacts) and a route "3 or more invention patents granted
in China". The applicant's facts step and the API collect it, it is stored checked by the engine,
the engine reads it, and the officer's case page and the eligibility snapshot show it.
"""

from __future__ import annotations

import copy
import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.management import call_command
from django.urls import reverse
from django.utils import timezone
from rest_framework.test import APIClient

from applications import services
from applications.models import Application, TalentFacts, WorkFacts
from applications.services import engine_facts
from eligibility.selectors import policy_version_in_force
from eligibility.services import eligibility_assess, policy_draft_create, policy_draft_update, policy_publish
from residence.audit.models import AuditEntry
from tests.factories import UserFactory

from .factories import WORK_FACTS, ProfileFactory, complete_draft

pytestmark = pytest.mark.django_db

PATENTS = {
    "type": "int",
    "unit": "patents",
    "min": 0,
    "max": 500,
    "label": {"en": "Invention patents granted in China", "zh": "在华获授权发明专利数"},
}
PATENT_ROUTE = {
    "route": {
        "en": "{value} or more invention patents granted in China",
        "zh": "在华获授权发明专利{value}项以上",
    },
    "all": [
        {
            "id": "work_patents",
            "op": "gte",
            "fact": "patents_granted",
            "value": 3,
            "label": {
                "en": "At least {value} invention patents granted in China",
                "zh": "在华获授权发明专利不少于{value}项",
            },
            "legal_basis": {"en": "Pilot rules for inventors (example)", "zh": "发明人试点规定（示例）"},
        },
        {
            "id": "work_patents_tax_share",
            "op": "ratio_gte",
            "fact": "annual_income_tax_cny",
            "of": "annual_salary_cny",
            "ratio": 0.2,
            "label": {
                "en": "Income tax at least {percent}% of salary",
                "zh": "年缴纳个人所得税不低于工资性年收入的{percent}%",
            },
        },
    ],
}
# Two years in post and a salary of 2.4 times the local average: neither the employment route
# (4 years) nor the points route (70) is met, so only the patents can make this case eligible.
NEWCOMER = WORK_FACTS | {
    "start_date": dt.date(timezone.localdate().year - 2, 1, 1),
    "annual_salary_cny": Decimal("300000"),
    "annual_income_tax_cny": Decimal("75000"),
}


def publish_patent_version(admin=None):
    """A published version (in force today) whose work channel has the patents fact and route."""
    admin = admin or UserFactory(roles=["policy_admin"])
    draft = policy_draft_create(actor=admin, label="2026: patents route")
    document = copy.deepcopy(draft.document)
    document["facts"]["work"]["patents_granted"] = PATENTS
    document["channels"]["work"]["requirements"]["any"].append(PATENT_ROUTE)
    draft = policy_draft_update(actor=admin, draft=draft, document=document)
    return policy_publish(actor=admin, draft=draft)


def _assess(application):
    facts_row = WorkFacts.objects.get(application=application)
    return eligibility_assess(
        channel="work", facts=engine_facts(application, facts_row), as_of=timezone.localdate()
    )


def test_a_new_fact_and_route_need_no_migration_and_make_a_case_eligible():
    before = {f.name for f in WorkFacts._meta.get_fields()}
    version = publish_patent_version()
    assert policy_version_in_force() == version
    # Nothing in the schema changed: the fact is not a column and the models need no migration.
    assert {f.name for f in WorkFacts._meta.get_fields()} == before and "patents_granted" not in before
    out = io.StringIO()
    call_command("makemigrations", "--check", "--dry-run", stdout=out)
    assert "No changes detected" in out.getvalue()

    application = complete_draft(ProfileFactory(), facts=NEWCOMER)
    # Not given yet: the new route's rule is unknown, so the case cannot be refused on it.
    assert _assess(application).result.outcome == "needs_judgement"
    owner = application.applicant.owner
    services.application_update(actor=owner, application=application, facts={"patents_granted": 1})
    assert _assess(application).result.outcome == "not_eligible"
    services.application_update(
        actor=application.applicant.owner, application=application, facts={"patents_granted": 4}
    )
    assert WorkFacts.objects.get(application=application).extra_facts == {"patents_granted": 4}
    result = _assess(application).result
    assert result.outcome == "eligible"
    assert result.through == {
        "en": "3 or more invention patents granted in China",
        "zh": "在华获授权发明专利3项以上",
    }
    audit = AuditEntry.objects.filter(action="applications.update").latest("id")
    assert audit.after["extra_facts"] == {"patents_granted": 4}


def test_the_facts_step_renders_the_fact_in_each_language_and_stores_it_checked(client):
    publish_patent_version()
    profile = ProfileFactory()
    application = complete_draft(profile, facts=NEWCOMER)
    client.force_login(profile.owner)
    url = reverse("applications:step", args=[application.pk, "facts"])
    page = client.get(url).content.decode()
    assert '<label for="id_patents_granted"' in page and "Invention patents granted in China" in page
    assert "From 0 to 500." in page
    zh = client.get(url, HTTP_ACCEPT_LANGUAGE="zh-hans").content.decode()
    assert "在华获授权发明专利数" in zh

    form = {name: ("" if value is None else str(value)) for name, value in NEWCOMER.items()}
    form |= {"years-TOTAL_FORMS": "0", "years-INITIAL_FORMS": "0"}
    # Out of the fact's bounds: the engine's check refuses it, nothing is stored.
    response = client.post(url, form | {"patents_granted": "900"})
    assert response.status_code == 200
    assert "is outside the allowed range 0..500" in response.content.decode()
    assert WorkFacts.objects.get(application=application).extra_facts == {}
    response = client.post(url, form | {"patents_granted": "5"})
    assert response.status_code == 302, response.content.decode()[:2000]
    assert WorkFacts.objects.get(application=application).extra_facts == {"patents_granted": 5}
    # Shown again on the step, and on the applicant's summary with its label.
    assert 'value="5"' in client.get(url).content.decode()
    # Emptying the field removes the stored value.
    client.post(url, form | {"patents_granted": ""})
    assert WorkFacts.objects.get(application=application).extra_facts == {}


def test_the_api_collects_the_fact_and_refuses_bad_values_without_storing_them():
    publish_patent_version()
    profile = ProfileFactory()
    application = complete_draft(profile, facts=NEWCOMER)
    api = APIClient()
    api.force_authenticate(profile.owner)
    url = f"/api/applications/{application.pk}/"
    for bad, words in (
        ("many", "Enter a whole number."),
        (-1, "outside the allowed range"),
        (True, "expected an integer"),
        ([3], "expected an integer"),
    ):
        response = api.patch(
            url, {"facts": {"patents_granted": bad, "position": "Chief engineer"}}, format="json"
        )
        assert response.status_code == 400, (bad, response.content)
        assert words in str(response.json()), response.json()
        facts_row = WorkFacts.objects.get(application=application)
        assert facts_row.extra_facts == {} and facts_row.position == "Engineer"  # nothing changed
    # Text the database cannot hold, or of invisible characters only, is refused as well.
    for bad in ("4\x00", "\u200b\u200b", "9" * 401):
        response = api.patch(url, {"facts": {"patents_granted": bad}}, format="json")
        assert response.status_code == 400, (bad, response.content)
        assert WorkFacts.objects.get(application=application).extra_facts == {}
    response = api.patch(url, {"facts": {"no_such_fact": 1}}, format="json")
    assert response.status_code == 400 and "Unknown field." in str(response.json())
    response = api.patch(url, {"facts": {"patents_granted": 3}}, format="json")
    assert response.status_code == 200, response.content
    assert response.json()["facts"]["patents_granted"] == 3


def test_the_case_page_and_the_snapshot_show_the_fact_after_submission(client, ivan):
    publish_patent_version()
    profile = ProfileFactory()
    application = complete_draft(profile, facts=NEWCOMER | {"patents_granted": 6})
    application = services.application_submit(actor=profile.owner, application=application, declaration=True)
    snapshot = Application.objects.get(pk=application.pk).eligibility_snapshot
    assert snapshot["outcome"] == "eligible"
    assert snapshot["through"]["en"] == "3 or more invention patents granted in China"
    assert snapshot["policy_facts"] == [
        {
            "name": "patents_granted",
            "label": PATENTS["label"],
            "value": 6,
            "shown": {"en": "6 patents", "zh": "6 patents"},
        }
    ]
    client.force_login(ivan)
    page = client.get(reverse("applications:case", args=[application.pk])).content.decode()
    assert "Invention patents granted in China" in page
    assert 'data-testid="policy-facts"' in page and "6 patents" in page


def test_a_stored_fact_the_version_in_force_no_longer_defines_is_left_out_of_the_assessment():
    admin = UserFactory(roles=["policy_admin"])
    publish_patent_version(admin)
    application = complete_draft(ProfileFactory(), facts=NEWCOMER | {"patents_granted": 4})
    assert _assess(application).result.outcome == "eligible"
    # The next version drops the fact and its route again; the draft can still be checked.
    draft = policy_draft_create(actor=admin, label="2026: no patents")
    document = copy.deepcopy(draft.document)
    del document["facts"]["work"]["patents_granted"]
    document["channels"]["work"]["requirements"]["any"].pop()
    draft = policy_draft_update(actor=admin, draft=draft, document=document)
    policy_publish(actor=admin, draft=draft, effective_from=timezone.localdate() + dt.timedelta(days=1))
    with pytest.MonkeyPatch.context() as patch:
        tomorrow = timezone.localdate() + dt.timedelta(days=1)
        patch.setattr(timezone, "localdate", lambda *a, **k: tomorrow)
        assert _assess(application).result.outcome == "not_eligible"


def test_the_shipped_talent_route_asks_its_years_of_work_as_a_policy_fact(client):
    # The default policy's market route reads work_in_china_since, which TalentFacts has no column for.
    assert "work_in_china_since" not in {f.name for f in TalentFacts._meta.get_fields()}
    profile = ProfileFactory()
    application = services.application_create(actor=profile.owner, profile=profile, channel="talent")
    client.force_login(profile.owner)
    url = reverse("applications:step", args=[application.pk, "facts"])
    page = client.get(url).content.decode()
    assert "Start of continuous work in China" in page and 'type="date"' in page
    services.application_update(
        actor=profile.owner, application=application, facts={"work_in_china_since": "2016-09-01"}
    )
    facts_row = TalentFacts.objects.get(application=application)
    assert facts_row.extra_facts == {"work_in_china_since": "2016-09-01"}
    assert engine_facts(application, facts_row)["work_in_china_since"] == "2016-09-01"
    response = client.post(
        url,
        {"work_in_china_since": "1 Sept", "employer_name": "X", "work_province": "CN-GD"}
        | {"years-TOTAL_FORMS": "0", "years-INITIAL_FORMS": "0"},
    )
    assert response.status_code == 200 and "Enter a valid date." in response.content.decode()
    assert TalentFacts.objects.get(application=application).extra_facts == {
        "work_in_china_since": "2016-09-01"
    }
