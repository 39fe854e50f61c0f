"""Policy diff: what changed between two versions, in words, for policy administrators."""

from __future__ import annotations

import copy

import pytest
from django.urls import reverse

from eligibility.engine import read_policy_document
from eligibility.engine.diff import policy_diff
from eligibility.selectors import policy_version_in_force
from eligibility.services import policy_draft_create, policy_draft_update
from tests.eligibility.factories import policy_admin
from tests.factories import UserFactory

DEFAULT = read_policy_document()


def test_identical_documents_have_no_changes():
    assert policy_diff(DEFAULT, copy.deepcopy(DEFAULT)) == []


def test_a_changed_threshold_reads_as_a_sentence_naming_the_channel_and_rule():
    after = copy.deepcopy(DEFAULT)
    after["channels"]["family"]["requirements"]["any"][0]["all"][1]["years"] = 4

    (change,) = policy_diff(DEFAULT, after)

    assert change.kind == "changed"
    assert change.path == "channels.family.requirements.any[0].all[1].years"
    assert change.text["en"] == "Family reunion › Spouse › Married for at least {years} years › years: 5 → 4."
    assert change.text["zh"].startswith("家庭团聚 › 配偶 › ")


def test_a_removed_points_line_is_matched_by_id_not_by_position():
    after = copy.deepcopy(DEFAULT)
    after["channels"]["talent"]["points"]["criteria"].pop(1)

    (change,) = policy_diff(DEFAULT, after)

    assert change.kind == "removed"
    assert "Income tax as a share of salary" in change.text["en"]


def test_an_added_year_of_figures_and_a_new_quota_are_listed():
    after = copy.deepcopy(DEFAULT)
    after["reference"]["tables"]["local_average_wage"]["values"]["CN-BJ"][2024] = 226000
    after["family_quota"]["annual"] = 6000

    kinds = {(c.path, c.kind) for c in policy_diff(DEFAULT, after)}

    assert kinds == {
        ("family_quota.annual", "changed"),
        ("reference.tables.local_average_wage.values.CN-BJ.2024", "added"),
    }


@pytest.mark.django_db
def test_an_administrator_reads_what_a_draft_changes(client):
    admin = policy_admin(email="paula@example.org")
    draft = policy_draft_create(actor=admin, based_on=policy_version_in_force())
    document = draft.document
    document["channels"]["work"]["points"]["pass_mark"] = 75
    policy_draft_update(actor=admin, draft=draft, document=document)
    client.force_login(admin)

    response = client.get(reverse("eligibility:policy_diff", args=[draft.pk]))

    assert response.status_code == 200
    page = response.content.decode()
    assert "Work › pass_mark: 70 → 75." in page
    assert "submitted cases" in page


@pytest.mark.django_db
def test_someone_else_cannot_see_the_diff(client):
    client.force_login(UserFactory(email="sam@example.org"))

    response = client.get(reverse("eligibility:policy_diff", args=[policy_version_in_force().pk]))

    assert response.status_code == 404


@pytest.mark.django_db
def test_a_bad_comparison_version_is_a_404_not_a_500(client):
    client.force_login(policy_admin(email="paula@example.org"))

    response = client.get(
        reverse("eligibility:policy_diff", args=[policy_version_in_force().pk]) + "?against=x"
    )

    assert response.status_code == 404


def test_a_route_a_version_adds_reads_as_one_added_route_not_a_changed_list():
    from tests.applications.test_policy_facts import PATENT_ROUTE, PATENTS

    before = read_policy_document()
    after = copy.deepcopy(before)
    after["facts"]["work"]["patents_granted"] = PATENTS
    after["channels"]["work"]["requirements"]["any"].append(PATENT_ROUTE)

    changes = policy_diff(before, after)

    assert [(c.path, c.kind) for c in changes] == [
        ("facts.work.patents_granted", "added"),
        ("channels.work.requirements.any[3]", "added"),
    ]
    assert "invention patents granted in China" in changes[1].text["en"]
    assert "Master's degree" not in changes[1].text["en"]  # the routes that did not change are not repeated
