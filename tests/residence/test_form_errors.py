"""One error summary and one marking of fields in error, for every form (issue 12).

The summary sits at the top of the form and lists each error, linked to its field (GOV.UK style);
every widget of a field in error, text input or select alike, gets the same class, aria-invalid and
an aria-describedby that names the element holding its error.
"""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(settings.BASE_DIR)


def _summary(page: str) -> str:
    found = re.search(r'<div class="error-summary".*?</div>', page, re.S)
    assert found, "no error summary"
    return found.group(0)


def _widget(page: str, name: str) -> str:
    found = re.search(rf"<(input|select|textarea)\b[^>]*\bname=\"{name}\"[^>]*>", page)
    assert found, name
    return found.group(0)


def _assert_marked(page: str, name: str) -> None:
    tag = _widget(page, name)
    assert re.search(r'class="[^"]*\binvalid\b', tag), tag
    assert 'aria-invalid="true"' in tag, tag
    described = re.search(r'aria-describedby="([^"]+)"', tag)
    assert described, tag
    error_id = next(i for i in described.group(1).split() if i.endswith("_error"))
    # The element it names exists and holds the error.
    assert re.search(rf'<p class="field-error" id="{error_id}">', page), error_id
    field_id = re.search(r'\sid="([^"]+)"', tag).group(1)
    # The summary links to the field.
    assert f'href="#{field_id}"' in _summary(page)


def test_text_inputs_and_selects_in_error_are_marked_alike(client):
    from tests.factories import UserFactory

    client.force_login(UserFactory(email="dana@example.org", roles=["applicant"]))
    page = client.post(
        reverse("applications:new_profile", args=["work"]),
        {"family_name": "", "given_names": "Dana", "sex": "", "province": "", "passport_number": "no!"},
    ).content.decode()
    for name in ("family_name", "passport_number", "sex", "province", "birth_date"):
        _assert_marked(page, name)
    # One summary only, at the top of the form.
    assert page.count('class="error-summary"') == 1


def test_the_facts_formset_errors_are_in_the_one_summary(client):
    from applications.models import Application
    from tests.applications.test_views_applicant import PROFILE_POST
    from tests.factories import UserFactory

    dana = UserFactory(email="dana@example.org", roles=["applicant"])
    client.force_login(dana)
    client.post(reverse("applications:new_profile", args=["work"]), PROFILE_POST | {"then": "next"})
    application = Application.objects.get(applicant__owner=dana)
    page = client.post(
        reverse("applications:step", args=[application.pk, "facts"]),
        {"years-TOTAL_FORMS": "1", "years-INITIAL_FORMS": "0", "years-0-year": "2024", "years-0-days": ""},
    ).content.decode()
    assert page.count('class="error-summary"') == 1
    _assert_marked(page, "years-0-days")


def test_no_page_writes_a_form_error_summary_of_its_own():
    """Form errors are summarised only by templates/_error_summary.html."""
    own = []
    for path in ROOT.glob("**/templates/**/*.html"):
        if ".venv" in path.parts or path.name == "_error_summary.html":
            continue
        text = path.read_text(encoding="utf-8")
        if "There is a problem" in text or "Check the fields marked below" in text:
            own.append(str(path.relative_to(ROOT)))
    assert own == []
