"""Research extracts for policy experts (R5) and the population feed for the statistics bureau (R19)."""

from __future__ import annotations

import csv
import datetime as dt
import io

import pyarrow.parquet as pq
import pytest
from django.urls import reverse

from cards.services import institution_api_key_issue, institution_create
from figures.research import COLUMNS, age_band
from residence.audit.models import AuditEntry
from tests.factories import UserFactory
from tests.figures.test_statistics import card, case, world  # noqa: F401 - the fixture

pytestmark = pytest.mark.django_db

PURPOSE = "Processing times of the work route by nationality, for the 2026 review."


@pytest.fixture
def expert(db):
    return UserFactory(roles=["policy_expert"])


def extract(client, **data):
    return client.post(
        reverse("figures:research"),
        {"purpose": PURPOSE, "start": "2025-01", "end": "2025-12", "file_format": "csv"} | data,
    )


def test_age_bands_are_five_years_wide():
    assert age_band(dt.date(1985, 4, 12), dt.date(2025, 4, 11)) == "35-39"
    assert age_band(dt.date(1985, 4, 12), dt.date(2025, 4, 12)) == "40-44"
    assert age_band(dt.date(1930, 1, 1), dt.date(2025, 1, 1)) == "80+"


def test_an_expert_downloads_anonymised_rows_as_csv_and_the_download_is_audited(world, client, expert):  # noqa: F811
    client.force_login(expert)
    response = extract(client)
    assert response.status_code == 200
    assert response["Content-Disposition"] == 'attachment; filename="pr-cases-2025-01-2025-12.csv"'
    rows = list(csv.DictReader(io.StringIO(response.content.decode())))
    assert len(rows) == 15 and list(rows[0]) == COLUMNS
    work = [row for row in rows if row["route"] == "work"]
    assert sorted(row["outcome"] for row in work) == ["approved"] * 11 + ["refused"]
    assert {row["submitted_month"] for row in work} == {"2025-03"} and {
        row["decided_month"] for row in work
    } == {"2025-09"}
    assert {row["days_to_decision"] for row in work} == {"184"}
    # Born 1985-04-12: 39 when the work cases went in (March 2025), 40 for the talent ones (May).
    assert {(row["route"], row["age_band"]) for row in rows} == {("work", "35-39"), ("talent", "40-44")}
    talent = [row for row in rows if row["route"] == "talent"]
    assert {(row["outcome"], row["decided_month"], row["days_to_decision"]) for row in talent} == {
        ("open", "", "")
    }
    # Nothing that names or numbers a person.
    text = response.content.decode()
    for identifying in ("Martin", "Alice", "18AB12345", "马丽丝", "Tianhe"):
        assert identifying not in text
    entry = AuditEntry.objects.get(action="figures.research_extract")
    assert entry.actor_id == expert.pk and entry.reason == PURPOSE
    assert entry.after["rows"] == 15 and entry.after["format"] == "csv"


def test_parquet_holds_the_same_rows_with_types(world, client, expert):  # noqa: F811
    client.force_login(expert)
    response = extract(client, file_format="parquet")
    assert response.status_code == 200
    table = pq.read_table(io.BytesIO(response.content))
    assert table.num_rows == 15 and table.column_names == COLUMNS
    assert str(table.schema.field("days_to_decision").type) == "int32"
    assert sorted(table.column("dependants").to_pylist()) == [0] * 15


@pytest.mark.parametrize(
    "data, field",
    [
        ({"purpose": "research"}, "purpose"),
        ({"start": "2025-13"}, "start"),
        ({"end": "last year"}, "end"),
        ({"start": "2025-12", "end": "2025-01"}, "end"),
        ({"file_format": "xlsx"}, "file_format"),
    ],
)
def test_bad_requests_get_a_clear_error_and_no_download(world, client, expert, data, field):  # noqa: F811
    client.force_login(expert)
    response = extract(client, **data)
    assert response.status_code == 400
    assert response["Content-Type"].startswith("text/html")
    assert response.context["form"].errors[field]
    assert not AuditEntry.objects.filter(action="figures.research_extract").exists()


@pytest.mark.parametrize("roles", [["applicant"], ["approver"], ["agency_staff"]])
def test_only_experts_and_policy_administrators_see_the_extracts(world, client, roles):  # noqa: F811
    client.force_login(UserFactory(roles=roles))
    assert client.get(reverse("figures:research")).status_code == 404
    assert extract(client).status_code == 404
    client.force_login(UserFactory(roles=["policy_admin"]))
    assert client.get(reverse("figures:research")).status_code == 200


@pytest.fixture
def keys(db):
    sysadmin = UserFactory(roles=["system_admin"])
    bureau = institution_create(
        actor=sysadmin, name_en="National Bureau of Statistics", name_zh="国家统计局", kind="statistics"
    )
    bank = institution_create(actor=sysadmin, name_en="A Bank", name_zh="一家银行", kind="bank")
    return (
        institution_api_key_issue(actor=sysadmin, institution=bureau)[1],
        institution_api_key_issue(actor=sysadmin, institution=bank)[1],
    )


def test_the_bureau_reads_holders_per_city_on_a_date(db, client, keys):
    from tests.cards.factories import profile_for

    people = [
        profile_for(
            UserFactory(roles=["applicant"]), passport_number=f"Q{n:07d}", city_code=city, province=province
        )
        for n, (province, city) in enumerate([("CN-GD", "440100")] * 3 + [("CN-SC", "510100")] * 2)
    ]
    from cards.models import Card

    Card.objects.bulk_create(
        [
            card(p, f"{156100000000000000 + n}", issued=dt.date(2024, 1, 1), expires=dt.date(2034, 1, 1))
            for n, p in enumerate(people)
        ]
    )
    url = reverse("api_figures_population")
    response = client.get(url, {"date": "2026-01-01"}, HTTP_X_API_KEY=keys[0])
    assert response.status_code == 200, response.content
    assert response.json() == {
        "date": "2026-01-01",
        "total": 5,
        "cities": [
            {"province": "CN-GD", "city_code": "440100", "holders": 3},
            {"province": "CN-SC", "city_code": "510100", "holders": 2},
        ],
    }
    # Before the cards were issued, nobody.
    assert client.get(url, {"date": "2023-12-31"}, HTTP_X_API_KEY=keys[0]).json()["total"] == 0
    assert AuditEntry.objects.filter(action="figures.population_feed").count() == 2


def test_the_feed_refuses_other_keys_no_key_and_bad_dates(db, client, keys):
    url = reverse("api_figures_population")
    assert client.get(url).status_code == 401
    assert client.get(url, HTTP_X_API_KEY="nope.nope").status_code == 401
    assert client.get(url, HTTP_X_API_KEY=keys[1]).status_code == 403  # a bank's key
    for bad in ("2026-02-30", "yesterday", "2999-01-01", "1900-01-01"):
        response = client.get(url, {"date": bad}, HTTP_X_API_KEY=keys[0])
        assert response.status_code == 400, bad
        assert "date" in response.json()["errors"]
    assert not AuditEntry.objects.filter(action="figures.population_feed").exists()
    # The refused key is recorded as itself, not as a user (this was a 500 for every institution key).
    denied = AuditEntry.objects.get(action="access.denied")
    assert denied.actor is None and denied.actor_label.endswith("…")
