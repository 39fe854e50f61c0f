from __future__ import annotations

import pytest
from django.urls import reverse
from django.utils import timezone

from applications.models import Application, Status
from reconsideration.models import Reconsideration
from residence.audit.models import AuditEntry
from tests.cards.factories import approved_application, profile_for
from tests.factories import OfficeFactory, UserFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def refused(holder):
    application = approved_application(profile_for(holder), status=Status.REFUSED)
    application.decided_by = UserFactory(roles=["approver"], office=application.office)
    application.decided_at = timezone.now()
    application.decision_reason = "The salary threshold is not met."
    application.save()
    return application


def test_the_refused_applicant_sees_the_way_to_ask_and_lodges(client, holder, refused):
    client.force_login(holder)
    detail = client.get(reverse("applications:detail", args=[refused.pk])).content.decode()
    lodge_url = reverse("reconsideration:lodge_application", args=[refused.pk])
    assert lodge_url in detail
    page = client.get(lodge_url)
    assert page.status_code == 200 and "The salary threshold is not met." in page.content.decode()
    response = client.post(lodge_url, {"grounds": "My salary was misread."})
    case = Reconsideration.objects.get()
    assert response.status_code == 302 and response.url == reverse("reconsideration:detail", args=[case.pk])
    listing = client.get(reverse("reconsideration:index")).content.decode()
    assert str(case) in listing
    status_page = client.get(reverse("applications:detail", args=[refused.pk])).content.decode()
    assert reverse("reconsideration:detail", args=[case.pk]) in status_page


def test_a_second_request_shows_the_reason_and_writes_nothing(client, holder, refused):
    client.force_login(holder)
    url = reverse("reconsideration:lodge_application", args=[refused.pk])
    client.post(url, {"grounds": "Misread."})
    audits = AuditEntry.objects.count()
    response = client.post(url, {"grounds": "Again."})
    assert response.status_code == 200 and "already been lodged" in response.content.decode()
    assert Reconsideration.objects.count() == 1 and AuditEntry.objects.count() == audits


def test_someone_elses_refusal_is_a_404(client, refused):
    client.force_login(UserFactory(roles=["applicant"]))
    url = reverse("reconsideration:lodge_application", args=[refused.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"grounds": "x"}).status_code == 404
    assert Reconsideration.objects.count() == 0


def test_a_national_approver_decides_from_the_queue(client, holder, refused):
    client.force_login(holder)
    client.post(reverse("reconsideration:lodge_application", args=[refused.pk]), {"grounds": "Misread."})
    case = Reconsideration.objects.get()
    approver = UserFactory(roles=["approver"], office=OfficeFactory())
    client.force_login(approver)
    queue = client.get(reverse("reconsideration:index")).content.decode()
    assert str(case) in queue
    response = client.post(
        reverse("reconsideration:detail", args=[case.pk]), {"outcome": "overturned", "reason": "Salary met."}
    )
    assert response.status_code == 302
    assert Application.objects.get(pk=refused.pk).status == Status.RECOMMENDED_APPROVAL


def test_an_officer_of_the_office_that_refused_can_neither_see_nor_decide(client, holder, refused):
    client.force_login(holder)
    client.post(reverse("reconsideration:lodge_application", args=[refused.pk]), {"grounds": "Misread."})
    case = Reconsideration.objects.get()
    client.force_login(UserFactory(roles=["approver"], office=refused.office))
    url = reverse("reconsideration:detail", args=[case.pk])
    assert client.get(url).status_code == 404
    assert client.post(url, {"outcome": "overturned", "reason": "x"}).status_code == 404
    assert Reconsideration.objects.get().state == "lodged"


def test_the_person_sees_the_case_but_cannot_decide_it(client, holder, refused):
    client.force_login(holder)
    client.post(reverse("reconsideration:lodge_application", args=[refused.pk]), {"grounds": "Misread."})
    case = Reconsideration.objects.get()
    url = reverse("reconsideration:detail", args=[case.pk])
    page = client.get(url).content.decode()
    assert "Misread." in page and 'name="outcome"' not in page
    assert client.post(url, {"outcome": "overturned", "reason": "x"}).status_code == 403
    assert Reconsideration.objects.get().state == "lodged"
