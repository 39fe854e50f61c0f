"""The agency's item form has the portal's one error summary, not "Check the fields marked below"."""

from __future__ import annotations

import pytest
from django.urls import reverse

from tests.residence.test_form_errors import _assert_marked, _summary

from .test_workspace_and_supervision import form_data

pytestmark = pytest.mark.django_db


def test_the_agency_form_lists_each_error_and_links_to_its_field(client, sam):
    client.force_login(sam)
    page = client.post(
        reverse("benefits:workspace_new"), form_data(title_en="", title_zh="", description_en="x" * 10_001)
    ).content.decode()
    summary = _summary(page)
    assert "Check the fields marked below" not in page
    assert "Ensure this value has at most 10000 characters" in summary
    assert 'href="#id_description_en"' in summary
    _assert_marked(page, "description_en")
