"""The Japanese and Korean catalogues (R26) compile, keep every placeholder, and are served.

Unlike the Chinese catalogues, these are not required to be complete: strings added after they
were written fall back to English until someone translates them, so this checks only that what
is translated is safe to render (a lost %(name)s or a dropped tag would break the page).
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation

LANGS = ("ja", "ko")
PLACEHOLDER = re.compile(r"%\(\w+\)[sdif]|%[sdif]|\{\w*\}|</?[a-z]+[^>]*>")


def catalogues(lang: str) -> list[Path]:
    base = Path(settings.BASE_DIR)
    found = [base / "locale" / lang / "LC_MESSAGES" / "django.po"]
    # Apps, and apps nested one level down such as residence/mfa.
    for pattern in (f"*/locale/{lang}/LC_MESSAGES/django.po", f"*/*/locale/{lang}/LC_MESSAGES/django.po"):
        found += sorted(
            po for po in base.glob(pattern) if po.relative_to(base).parts[0] not in {".venv", "var"}
        )
    return [po for po in found if po.exists()]


def po_entries(po: Path) -> list[dict[str, str]]:
    """msgid / msgid_plural / msgstr of every live entry, read with msgattrib's normal form."""
    text = subprocess.run(
        ["msgattrib", "--no-obsolete", "--no-location", "--no-wrap", str(po)],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    result = []
    for block in text.split("\n\n"):
        # Placeholders are matched on the escaped text, the same way in msgid and msgstr.
        entry: dict[str, str] = {}
        key = None
        for line in block.splitlines():
            m = re.match(r'^(msgid|msgid_plural|msgstr|msgstr\[0\]) "(.*)"$', line)
            if m:
                key = m.group(1).replace("[0]", "")
                entry[key] = m.group(2)
            elif key and line.startswith('"'):
                entry[key] += line[1:-1]
        if entry.get("msgid"):
            result.append(entry)
    return result


@pytest.fixture(scope="module", autouse=True)
def gettext_tools():
    if not (shutil.which("msgfmt") and shutil.which("msgattrib")):
        pytest.skip("needs gettext (msgfmt, msgattrib)")


@pytest.mark.parametrize("lang", LANGS)
def test_catalogues_exist_for_the_main_public_areas(lang):
    names = {str(po.relative_to(settings.BASE_DIR)).split("/")[0] for po in catalogues(lang)}
    assert {"locale", "eligibility", "figures", "benefits", "cards"} <= names


@pytest.mark.parametrize("lang", LANGS)
def test_catalogues_compile_with_checks(lang):
    for po in catalogues(lang):
        result = subprocess.run(
            ["msgfmt", "--check", "-o", "/dev/null", str(po)], capture_output=True, text=True
        )
        assert result.returncode == 0, (po, result.stderr)
        assert "Plural-Forms: nplurals=1; plural=0;" in po.read_text(encoding="utf-8"), po


@pytest.mark.parametrize("lang", LANGS)
def test_every_translation_keeps_placeholders_and_tags(lang):
    wrong = []
    for po in catalogues(lang):
        for entry in po_entries(po):
            translated = entry.get("msgstr", "")
            if not translated:
                continue
            source = entry.get("msgid_plural") or entry["msgid"]
            if sorted(PLACEHOLDER.findall(source)) != sorted(PLACEHOLDER.findall(translated)):
                wrong.append((po.name, entry["msgid"], translated))
    assert not wrong, wrong


@pytest.mark.parametrize("lang", LANGS)
def test_nothing_is_left_fuzzy(lang):
    for po in catalogues(lang):
        fuzzy = subprocess.run(
            ["msgattrib", "--only-fuzzy", "--no-obsolete", str(po)],
            capture_output=True,
            text=True,
            check=True,
        ).stdout
        assert "msgid" not in fuzzy, po


@pytest.mark.parametrize(
    ("lang", "log_in", "work_channel", "card_check"),
    [("ja", "ログイン", "就労", "外国人永住証の照会"), ("ko", "로그인", "취업", "외국인 영주증 확인")],
)
def test_strings_are_served_in_the_language(lang, log_in, work_channel, card_check):
    # Compiled by `make translations`, which `make test` runs first.
    with translation.override(lang):
        assert translation.gettext("Log in") == log_in, "run make translations (compilemessages) first"
        assert translation.pgettext("channel", "Work") == work_channel
        assert translation.gettext("Permanent residence card check") == card_check
