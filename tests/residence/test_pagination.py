from __future__ import annotations

import pytest

from residence.audit.models import AuditEntry
from residence.core.pagination import InvalidCursor, keyset_paginate

pytestmark = pytest.mark.django_db


@pytest.fixture
def five_thousand_entries():
    # Three actions only: a low-cardinality first ordering field, where offset-capped cursors repeat rows.
    AuditEntry.objects.bulk_create(
        AuditEntry(actor_label="bulk", action=("a", "b", "c")[i % 3], object_label=str(i))
        for i in range(5000)
    )


@pytest.mark.parametrize("ordering", [["action", "id"], ["-action", "-id"], ["action", "-id"]])
def test_following_next_through_5000_rows_returns_each_row_exactly_once(five_thousand_entries, ordering):
    seen: list[int] = []
    cursor = None
    while True:
        page = keyset_paginate(AuditEntry.objects.all(), ordering=ordering, cursor=cursor, page_size=137)
        seen.extend(row.pk for row in page.items)
        if page.next_cursor is None:
            break
        cursor = page.next_cursor
    assert len(seen) == 5000
    assert len(set(seen)) == 5000
    assert seen == list(AuditEntry.objects.order_by(*ordering).values_list("pk", flat=True))


def test_a_page_costs_the_same_number_of_queries_whatever_its_size(
    five_thousand_entries, django_assert_num_queries
):
    for size in (10, 200):
        with django_assert_num_queries(1):
            keyset_paginate(AuditEntry.objects.all(), ordering=["action", "id"], cursor=None, page_size=size)


@pytest.mark.parametrize("cursor", ["not-base64!", "W10", "eyJ4IjoxfQ", "W1siYSJdLCAxXQ"])
def test_a_forged_cursor_names_no_page_rather_than_crashing(cursor):
    with pytest.raises(InvalidCursor):
        keyset_paginate(AuditEntry.objects.all(), ordering=["action", "id"], cursor=cursor, page_size=10)


def test_an_html_list_restarts_at_the_top_for_a_broken_cursor(rf, five_thousand_entries):
    from residence.core.pagination import keyset_page_for_request

    request = rf.get("/", {"cursor": "garbage"})
    page = keyset_page_for_request(request, AuditEntry.objects.all(), ordering=["action", "id"], page_size=10)
    assert [row.pk for row in page.items] == list(
        AuditEntry.objects.order_by("action", "id").values_list("pk", flat=True)[:10]
    )
