"""Every user-facing string is in a Chinese catalogue, translated, and not fuzzy."""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import translation

SKIP_DIRS = {
    ".venv",
    "var",
    ".git",
    "test-artifacts",
    "staticfiles",
    ".pytest_cache",
    ".ruff_cache",
    "__pycache__",
}


def entries(po: Path, *flags: str) -> list[str]:
    result = subprocess.run(
        ["msgattrib", *flags, "--no-obsolete", "--no-location", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    )
    return [line for line in result.stdout.splitlines() if line.startswith("msgid ") and line != 'msgid ""']


@pytest.fixture(scope="module")
def fresh_catalogues(tmp_path_factory) -> list[Path]:
    """Run makemessages on a copy of the tree, so strings added since the last run are caught."""
    if not shutil.which("msgattrib"):
        pytest.skip("needs gettext (msgattrib)")
    copy = tmp_path_factory.mktemp("tree") / "src"
    shutil.copytree(settings.BASE_DIR, copy, ignore=lambda d, names: [n for n in names if n in SKIP_DIRS])
    subprocess.run(
        ["bash", "scripts/makemessages"],
        cwd=copy,
        env=os.environ | {"PYTHON": sys.executable, "VAR_DIR": str(copy / "var")},
        check=True,
        capture_output=True,
    )
    return sorted(copy.glob("**/locale/zh_Hans/LC_MESSAGES/django.po"))


def test_every_catalogue_translates_every_string(fresh_catalogues):
    assert fresh_catalogues
    untranslated = {str(po): entries(po, "--untranslated") for po in fresh_catalogues}
    assert not any(untranslated.values()), untranslated


def test_no_translation_is_left_fuzzy(fresh_catalogues):
    fuzzy = {str(po): entries(po, "--only-fuzzy") for po in fresh_catalogues}
    assert not any(fuzzy.values()), fuzzy


@pytest.mark.django_db
def test_the_landing_page_is_served_in_chinese_on_request(client):
    with translation.override("zh-hans"):
        response = client.get(reverse("landing"), headers={"accept-language": "zh-hans"})
    text = response.content.decode()
    assert "在华永久居留" in text
    assert 'lang="zh-Hans"' in text
