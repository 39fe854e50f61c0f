"""In Chinese, no status reads like a field label: colliding message ids carry pgettext contexts."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import models
from django.utils import translation
from django.utils.text import capfirst

PROJECT_APPS = ("applications", "cards", "eligibility", "benefits", "verification", "accounts", "audit")


def _status_choices():
    """Every choice of every field named status or state in the project's models."""
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.concrete_fields:
            if field.name in ("status", "state", "to_status", "from_status") and field.choices:
                for value, label in field.flatchoices:
                    yield f"{model._meta.label}.{field.name}={value}", label


def _field_labels():
    for model in apps.get_models():
        if model._meta.app_label not in PROJECT_APPS:
            continue
        for field in model._meta.get_fields():
            if isinstance(field, models.Field) and field.verbose_name:
                yield f"{model._meta.label}.{field.name}", field.verbose_name


def test_the_chinese_catalogue_is_compiled():
    with translation.override("zh-hans"):
        assert str(translation.gettext("Draft")) == "草稿", "run make translations (compilemessages) first"


def test_no_status_label_equals_a_field_label_in_chinese():
    with translation.override("zh-hans"):
        fields: dict[str, str] = {}
        for where, label in _field_labels():
            fields.setdefault(capfirst(str(label)), where)
        clashes = {
            where: (str(label), fields[capfirst(str(label))])
            for where, label in _status_choices()
            if capfirst(str(label)) in fields
        }
    assert not clashes, clashes


@pytest.mark.parametrize(
    ("module", "name", "value", "expected"),
    [
        ("applications.models", "Status", "submitted", "已提交"),
        ("cards.models", "Card.Status", "revoked", "已取消"),
    ],
)
def test_a_status_reads_as_a_status_in_chinese(module, name, value, expected):
    import importlib

    target = importlib.import_module(module)
    for part in name.split("."):
        target = getattr(target, part)
    with translation.override("zh-hans"):
        assert str(target(value).label) == expected


def test_the_revocation_of_permanent_residence_has_one_chinese_term():
    """取消永久居留资格 / 已取消 everywhere; never 注销, 作废, 撤销 or 吊销 (those are for keys and authorisations)."""
    import re
    from pathlib import Path

    from django.conf import settings

    entry = re.compile(r'(?:msgctxt "([^"]*)"\n)?msgid "((?:[^"\\]|\\.)*)"\nmsgstr "((?:[^"\\]|\\.)*)"')
    offending = {}
    for po in Path(settings.BASE_DIR).glob("*/locale/zh_Hans/LC_MESSAGES/django.po"):
        for context, msgid, msgstr in entry.findall(po.read_text(encoding="utf-8")):
            # The cards app owns revocation; elsewhere "revoke" is an intermediary's authorisation.
            app = po.parents[3].name
            about_residence = (
                re.search(r"revo", msgid, re.I)
                and (app == "cards" or re.search("permanent residence", msgid, re.I))
                and not re.search(r"key", f"{context} {msgid}", re.I)
            )
            if about_residence and re.search("注销|作废|撤销|吊销", msgstr):
                offending[f"{app}: {msgid}"] = msgstr
    letter = (Path(settings.BASE_DIR) / "cards/templates/cards/pdf/revocation_letter.html").read_text(
        encoding="utf-8"
    )
    assert not offending, offending
    assert not re.search("注销|作废|撤销|吊销", letter)
