"""The public policy FAQ (R26): questions and answers about the 2016 policy, in every language.

Content as data: each entry's texts are rows of a translation table (one per language code of
settings.LANGUAGES), so a new language is rows, never a column. The shipped entries come from
``faq/data/faq.yaml`` (migration 0002); administrators edit them in the admin.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _

from residence import languages

QUESTION_MAX = 300
ANSWER_MAX = 5_000


class FaqEntry(models.Model):
    slug = models.SlugField(
        _("anchor"), max_length=60, unique=True, help_text=_("The #anchor of the question.")
    )
    position = models.PositiveIntegerField(_("position"), default=0)
    is_published = models.BooleanField(_("published"), default=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    updated_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )

    class Meta:
        verbose_name = _("FAQ entry")
        verbose_name_plural = _("FAQ entries")
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.question or self.slug

    def texts(self) -> dict[str, dict[str, str]]:
        return {
            row.language: {"question": row.question, "answer": row.answer} for row in self.translations.all()
        }

    @property
    def shown_language(self) -> str:
        texts = self.texts()
        active = languages.current()
        return active if active in texts else languages.FALLBACK

    @property
    def shown_in_fallback(self) -> bool:
        return self.shown_language != languages.current()

    @property
    def shown_lang_tag(self) -> str:
        return languages.html_tag(self.shown_language)

    @property
    def shown_dir(self) -> str:
        # English standing in on an Arabic page keeps its own direction (full stops at the end).
        return "rtl" if languages.is_rtl(self.shown_language) else "ltr"

    @property
    def question(self) -> str:
        return (self.texts().get(self.shown_language) or {}).get("question", "")

    @property
    def answer(self) -> str:
        return (self.texts().get(self.shown_language) or {}).get("answer", "")


class FaqTranslation(models.Model):
    entry = models.ForeignKey(FaqEntry, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=10, choices=languages.choices)
    question = models.CharField(_("question"), max_length=QUESTION_MAX)
    answer = models.TextField(_("answer"), max_length=ANSWER_MAX, validators=[MaxLengthValidator(ANSWER_MAX)])

    class Meta:
        verbose_name = _("translation")
        verbose_name_plural = _("translations")
        constraints = [models.UniqueConstraint(fields=["entry", "language"], name="faq_translation_unique")]

    def __str__(self) -> str:
        return f"{self.language}: {self.question}"
