"""A supervisor is told of an overdue case, reads the workload and reassigns cases in bulk (en + zh)."""

from __future__ import annotations

import datetime as dt

import pytest
from django.utils import timezone

from applications import services
from applications.models import Application, Stage, Status
from tests.browser.conftest import assert_accessible, log_in
from tests.conftest import ARTIFACTS
from tests.factories import UserFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def _check_both_widths(page, name: str) -> None:
    ARTIFACTS.mkdir(exist_ok=True)
    for width in (1280, 375):
        page.set_viewport_size({"width": width, "height": 900})
        assert_accessible(page)
        page.screenshot(path=str(ARTIFACTS / f"oversight-{name}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})


def _review_case(owner_office, *, reference: str, held_by=None, late: bool = False):
    from tests.applications.factories import ProfileFactory

    profile = ProfileFactory()
    return Application.objects.create(
        channel="work",
        status=Status.IN_REVIEW,
        stage=Stage.REVIEW,
        applicant=profile,
        created_by=profile.owner,
        office=owner_office,
        province="CN-GD",
        city_code="440100",
        nationality="FRA",
        reference=reference,
        submitted_at=timezone.now() - dt.timedelta(days=30),
        stage_entered_at=timezone.now() - dt.timedelta(days=20),
        stage_deadline=timezone.now() + dt.timedelta(days=-2 if late else 5),
        claimed_by=held_by,
        claimed_until=timezone.now() + dt.timedelta(hours=2) if held_by else None,
    )


def test_a_supervisor_reads_the_workload_and_reassigns_in_bulk(page):
    from tests.applications.factories import offices

    tree = offices()
    supervisor = UserFactory(
        email="mona.ov@example.org", full_name="Mona Wang", roles=["management_officer"], office=tree["gd"]
    )
    rita = UserFactory(
        email="rita.ov@example.org", full_name="Rita Chen", roles=["reviewer"], office=tree["gd"]
    )
    ravi = UserFactory(
        email="ravi.ov@example.org", full_name="Ravi Lin", roles=["reviewer"], office=tree["gd-gz"]
    )
    UserFactory(email="sam.ov@example.org", full_name="Sam Zhou", roles=["reviewer"], office=tree["sc"])
    late = _review_case(tree["gd"], reference="PR-OV-000001", held_by=rita, late=True)
    second = _review_case(tree["gd"], reference="PR-OV-000002", held_by=rita)
    _review_case(tree["gd"], reference="PR-OV-000003")
    services.overdue_cases_escalate()

    log_in(page, supervisor.email)
    # Told of the overdue case in the portal.
    page.goto("/notifications/")
    assert "PR-OV-000001 has passed its stage deadline" in page.content()

    page.goto("/cases/workload/")
    assert page.get_by_role("heading", level=1).inner_text() == "Workload"
    officers = page.get_by_role("region", name="Load per officer").first
    rita_row = officers.get_by_role("row", name="Rita Chen")
    assert rita_row.get_by_role("cell").nth(1).inner_text() == "2"  # assigned
    assert "Sam Zhou" not in officers.inner_text()  # another province
    queues = page.get_by_role("region", name="Open cases per queue").first
    assert "Card requests" in queues.inner_text() and "Reconsiderations" in queues.inner_text()
    _check_both_widths(page, "workload-en")

    page.get_by_role("link", name="Review", exact=True).first.click()
    # The overdue case first.
    first_row = page.get_by_role("region", name="Cases in the stage Review").get_by_role("row").nth(1)
    assert "PR-OV-000001" in first_row.inner_text()
    select = page.get_by_label("Give the ticked cases to")
    assert "Rita Chen: holds 2, 1 overdue" in select.inner_text()
    assert "Sam Zhou" not in select.inner_text()
    page.get_by_label("Select PR-OV-000001").check()
    page.get_by_label("Select PR-OV-000002").check()
    select.select_option(label="Ravi Lin: holds 0, 0 overdue")
    _check_both_widths(page, "queue-assign-en")
    page.get_by_role("button", name="Assign").click()
    assert "2 case(s) given to Ravi Lin." in page.content()
    assert set(
        Application.objects.filter(pk__in=[late.pk, second.pk]).values_list("claimed_by", flat=True)
    ) == {ravi.pk}

    # In Chinese: the workload shows Ravi's new load, and the queue offers him back.
    page.get_by_role("button", name="中文").click()
    page.wait_for_load_state()
    page.goto("/cases/workload/")
    assert page.get_by_role("heading", level=1).inner_text() == "工作量"
    assert "各承办人员工作量" in page.content()
    ravi_row = page.get_by_role("region", name="各承办人员工作量").first.get_by_role("row", name="Ravi Lin")
    assert ravi_row.get_by_role("cell").nth(1).inner_text() == "2"
    _check_both_widths(page, "workload-zh")
    page.goto("/cases/?stage=review")
    page.get_by_label("选择PR-OV-000002").check()
    page.locator("#assign-officer").select_option(label="Rita Chen：承办0件，其中超期0件")
    _check_both_widths(page, "queue-assign-zh")
    page.locator("#assign-form button[type=submit]").click()
    page.wait_for_load_state()
    assert Application.objects.get(pk=second.pk).claimed_by == rita
    _check_both_widths(page, "queue-after-zh")
