"""Internal case notes: officers of the case's area only, audited, fixed after a grace period; @mentions reach the inbox."""

from __future__ import annotations

import datetime as dt
import json

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import Http404
from django.urls import reverse
from django.utils import timezone

from applications import services
from applications.models import CaseNote, Notification
from applications.notifications import NOTE_MENTION
from privacy import export
from residence.audit.models import AuditEntry

from .factories import ProfileFactory, submitted

pytestmark = pytest.mark.django_db

SECRET = "Employer's tax office called: the contract dates look altered."


@pytest.fixture
def case(office_tree):
    return submitted(ProfileFactory())


def test_a_note_mentioning_an_officer_of_the_area_reaches_their_inbox(case, ivan, rita):
    note = services.case_note_add(
        actor=ivan, application=case, body=f"{SECRET} @rita@example.org please look."
    )
    assert list(note.mentions.all()) == [rita]
    told = Notification.objects.get(recipient=rita)
    assert told.status == NOTE_MENTION and told.application == case
    assert told.for_officer
    assert case.reference in told.message
    entry = AuditEntry.objects.get(action="applications.case_note_add")
    assert entry.after["body"].startswith(SECRET) and entry.after["mentions"] == [rita.pk]


def test_mentioning_someone_outside_the_area_or_unknown_is_refused_and_saves_nothing(case, ivan, sam):
    for body in (f"{SECRET} @{sam.email}", f"{SECRET} @nobody@example.org"):
        with pytest.raises(ValidationError) as refused:
            services.case_note_add(actor=ivan, application=case, body=body)
        assert "Only officers of this case's area can be mentioned" in " ".join(refused.value.messages)
    assert not CaseNote.objects.exists()
    assert not Notification.objects.filter(status=NOTE_MENTION).exists()
    assert not AuditEntry.objects.filter(action="applications.case_note_add").exists()


def test_an_empty_note_is_refused(case, ivan):
    with pytest.raises(ValidationError):
        services.case_note_add(actor=ivan, application=case, body="   ")
    assert not CaseNote.objects.exists()


def test_an_officer_of_another_area_gets_a_404_on_the_service_and_the_pages(client, case, ivan, sam):
    note = services.case_note_add(actor=ivan, application=case, body=SECRET)
    with pytest.raises(Http404):
        services.case_note_add(actor=sam, application=case, body="Mine too.")
    with pytest.raises(Http404):
        services.case_note_edit(actor=sam, note=note, body="Changed.")
    client.force_login(sam)
    assert (
        client.post(reverse("applications:case_note_add", args=[case.pk]), {"body": "x"}).status_code == 404
    )
    assert client.get(reverse("applications:case_note_edit", args=[case.pk, note.pk])).status_code == 404
    assert CaseNote.objects.get().body == SECRET


def test_the_author_corrects_a_note_within_the_grace_period_and_new_mentions_are_told_once(
    case, ivan, rita, mona
):
    note = services.case_note_add(actor=ivan, application=case, body=f"{SECRET} @rita@example.org")
    services.case_note_edit(actor=ivan, note=note, body=f"{SECRET} @rita@example.org and @mona@example.org")
    note.refresh_from_db()
    assert note.edited_at is not None and "mona" in note.body
    assert Notification.objects.filter(recipient=rita, status=NOTE_MENTION).count() == 1
    assert Notification.objects.filter(recipient=mona, status=NOTE_MENTION).count() == 1
    entry = AuditEntry.objects.get(action="applications.case_note_edit")
    assert entry.before["body"] == f"{SECRET} @rita@example.org"


def test_a_note_cannot_be_corrected_after_the_grace_period_or_by_someone_else(case, ivan, rita, settings):
    note = services.case_note_add(actor=ivan, application=case, body=SECRET)
    with pytest.raises(PermissionDenied):
        services.case_note_edit(actor=rita, note=note, body="Rita's version.")
    CaseNote.objects.filter(pk=note.pk).update(
        created_at=timezone.now() - dt.timedelta(minutes=settings.APPLICATIONS_NOTE_EDIT_MINUTES + 1)
    )
    with pytest.raises(ValidationError) as refused:
        services.case_note_edit(actor=ivan, note=note, body="Rewritten history.")
    assert "add a new note instead" in " ".join(refused.value.messages)
    assert CaseNote.objects.get(pk=note.pk).body == SECRET
    assert not AuditEntry.objects.filter(action="applications.case_note_edit").exists()


def test_the_case_page_lists_the_notes_and_adds_one(client, case, ivan, rita):
    client.force_login(ivan)
    url = reverse("applications:case", args=[case.pk])
    response = client.post(
        reverse("applications:case_note_add", args=[case.pk]), {"body": f"{SECRET} @rita@example.org"}
    )
    assert response.status_code == 302
    page = client.get(url).content.decode()
    assert "Internal notes" in page and "contract dates look altered" in page
    assert "Correct this note" in page
    bad = client.post(reverse("applications:case_note_add", args=[case.pk]), {"body": "@sam@nowhere.example"})
    assert bad.status_code == 400 and "Only officers of this case&#x27;s area" in bad.content.decode()
    # Rita finds it in her inbox, linked to the case page.
    client.force_login(rita)
    inbox = client.get(reverse("applications:inbox")).content.decode()
    assert "You were mentioned in an internal note" in inbox
    assert reverse("applications:case", args=[case.pk]) in inbox


def test_the_applicant_never_sees_the_notes_on_their_page_nor_in_their_export(client, case, ivan, rita):
    services.case_note_add(actor=ivan, application=case, body=f"{SECRET} @rita@example.org")
    owner = case.applicant.owner
    client.force_login(owner)
    page = client.get(reverse("applications:detail", args=[case.pk])).content.decode()
    assert "contract dates look altered" not in page and "Internal notes" not in page
    data = json.dumps(export.person_data(owner), default=str)
    assert "contract dates look altered" not in data
    assert "case_note" not in data
    assert client.get(reverse("applications:case_note_add", args=[case.pk])).status_code in (404, 405)
    assert (
        client.post(reverse("applications:case_note_add", args=[case.pk]), {"body": "hi"}).status_code == 404
    )
