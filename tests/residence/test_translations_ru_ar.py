"""The Russian and Arabic catalogues (R26) compile, carry their language's plural rule, and are used.

They are checked as catalogues, not for completeness: a string added later in English and Chinese
only falls back to English in these languages until it is translated.
"""

from __future__ import annotations

import re
import shutil
import subprocess
from pathlib import Path

import pytest
from django.conf import settings
from django.utils import translation
from django.utils.translation import gettext, ngettext, pgettext

PLURAL_FORMS = {
    "ru": "nplurals=3; plural=(n%10==1 && n%100!=11 ? 0 : n%10>=2 && n%10<=4 && (n%100<10 || n%100>=20) ? 1 : 2);",
    "ar": "nplurals=6; plural=n==0 ? 0 : n==1 ? 1 : n==2 ? 2 : n%100>=3 && n%100<=10 ? 3 : n%100>=11 && n%100<=99 ? 4 : 5;",
}
# Every catalogue of the portal has a ru and an ar file.
CATALOGUES = [
    "locale",
    "eligibility/locale",
    "figures/locale",
    "benefits/locale",
    "cards/locale",
    "applications/locale",
    "privacy/locale",
    "reconsideration/locale",
    "identity/locale",
    "residence/mfa/locale",
    "verification/locale",
]
# HTML tags and entities must come through a translation unchanged (python-format placeholders are
# checked by msgfmt --check itself).
MARKUP = re.compile(r"</?\w+[^>]*>|&\w+;")


def catalogue(path: str, lang: str) -> Path:
    return Path(settings.BASE_DIR) / path / lang / "LC_MESSAGES" / "django.po"


@pytest.mark.parametrize("lang", sorted(PLURAL_FORMS))
@pytest.mark.parametrize("path", CATALOGUES)
def test_catalogue_compiles_with_its_plural_rule(path, lang):
    if not shutil.which("msgfmt"):
        pytest.skip("needs gettext (msgfmt)")
    po = catalogue(path, lang)
    subprocess.run(["msgfmt", "--check", "-o", "/dev/null", str(po)], check=True, capture_output=True)
    text = po.read_text(encoding="utf-8")
    assert f'"Language: {lang}\\n"' in text
    assert PLURAL_FORMS[lang] in text.replace('"\n"', "")


@pytest.mark.parametrize("lang", sorted(PLURAL_FORMS))
@pytest.mark.parametrize("path", CATALOGUES)
def test_markup_is_kept(path, lang):
    if not shutil.which("msgcat"):
        pytest.skip("needs gettext (msgcat)")
    # msgcat --no-wrap puts every msgid and msgstr on one line, so a line-based read is enough.
    out = subprocess.run(
        ["msgcat", "--no-wrap", "--no-location", str(catalogue(path, lang))],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    problems = []
    msgid = None
    for line in out.splitlines():
        if line.startswith(("msgid ", "msgid_plural ")):
            msgid = line.split(" ", 1)[1]
        elif line.startswith("msgstr") and msgid:
            msgstr = line.split(" ", 1)[1]
            if msgstr != '""' and sorted(MARKUP.findall(msgstr)) != sorted(MARKUP.findall(msgid)):
                problems.append((msgid, line))
    assert not problems


def test_russian_strings_and_plurals_are_used():
    with translation.override("ru"):
        assert gettext("Permanent Residence Portal") == "Портал по вопросам постоянного проживания"
        assert pgettext("card status", "Valid") == "Действительна"
        forms = [
            ngettext("%(counter)s document", "%(counter)s documents", n) % {"counter": n}
            for n in (1, 3, 5, 21)
        ]
    assert forms == ["1 документ", "3 документа", "5 документов", "21 документ"]


def test_arabic_strings_and_plurals_are_used():
    with translation.override("ar"):
        assert gettext("Permanent Residence Portal") == "بوابة الإقامة الدائمة"
        assert gettext("Check your eligibility") == "تحقق من أهليتك"
        forms = [
            ngettext("%(counter)s document", "%(counter)s documents", n) % {"counter": n}
            for n in (1, 2, 3, 11, 100)
        ]
    assert forms == ["مستند واحد", "مستندان", "3 مستندات", "11 مستندًا", "100 مستند"]
