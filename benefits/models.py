"""The benefits registry (R16-R19, R25): national-treatment items and integration services.

Each agency keeps a working copy of every item it publishes (``BenefitItem``); publishing freezes
that copy into an immutable ``BenefitItemVersion``, and the public only ever reads versions. So an
edit to a published item is a pending revision that stays private until a supervisor publishes it.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxLengthValidator
from django.db import models
from django.utils.translation import gettext_lazy as _
from django_fsm import FSMField, transition

from residence import languages
from residence.accounts.models import Agency

TITLE_MAX = 200
TEXT_MAX = 10_000
SHORT_TEXT_MAX = 2_000


class Kind(models.TextChoices):
    TREATMENT = "treatment", _("National-treatment item")
    SERVICE = "service", _("Integration service")


class Category(models.TextChoices):
    """The areas of articles 16-17 (treatment) and article 19 (integration services)."""

    FINANCE = "finance", _("Finance and banking")
    EDUCATION = "education", _("Education")
    MEDICAL_CARE = "medical_care", _("Medical care")
    TRANSPORT = "transport", _("Transport")
    TELECOMS = "telecoms", _("Telecommunications")
    EMPLOYMENT_SOCIAL_INSURANCE = "employment_social_insurance", _("Employment and social insurance")
    HOUSING_FUND = "housing_fund", _("Housing provident fund")
    PROPERTY_REGISTRATION = "property_registration", _("Property registration")
    LITIGATION = "litigation", _("Litigation")
    HOUSING_PURCHASE = "housing_purchase", _("Housing purchase")
    DRIVING_LICENCE = "driving_licence", _("Driving licence")
    PROFESSIONAL_EXAMS = "professional_exams", _("Professional qualification exams")
    CHILDRENS_SCHOOLING = "childrens_schooling", _("Children's schooling")
    HOTEL_REGISTRATION = "hotel_registration", _("Hotel registration")
    CUSTOMS = "customs", _("Customs")
    WORK_PERMIT_EXEMPTION = "work_permit_exemption", _("Exemption from work permits")
    RESIDENTS_INSURANCE_PENSION = "residents_insurance_pension", _("Residents' medical insurance and pension")
    TAXATION = "taxation", _("Taxation")
    INVESTMENT = "investment", _("Investment and business")
    LANGUAGE_TRAINING = "language_training", _("Language training")
    EMPLOYMENT_SERVICES = "employment_services", _("Employment services")
    LEGAL_AID = "legal_aid", _("Legal aid")
    COMMUNITY = "community", _("Community and settling in")


# The areas articles 16-17 name: the coverage dashboard marks those no agency has published yet.
TREATMENT_AREAS: tuple[str, ...] = (
    Category.FINANCE,
    Category.EDUCATION,
    Category.MEDICAL_CARE,
    Category.TRANSPORT,
    Category.TELECOMS,
    Category.EMPLOYMENT_SOCIAL_INSURANCE,
    Category.HOUSING_FUND,
    Category.PROPERTY_REGISTRATION,
    Category.LITIGATION,
    Category.HOUSING_PURCHASE,
    Category.DRIVING_LICENCE,
    Category.PROFESSIONAL_EXAMS,
    Category.CHILDRENS_SCHOOLING,
    Category.HOTEL_REGISTRATION,
    Category.CUSTOMS,
    Category.WORK_PERMIT_EXEMPTION,
    Category.RESIDENTS_INSURANCE_PENSION,
)
SERVICE_CATEGORIES: tuple[str, ...] = (
    Category.LANGUAGE_TRAINING,
    Category.EMPLOYMENT_SERVICES,
    Category.LEGAL_AID,
    Category.COMMUNITY,
)


class AppliesTo(models.TextChoices):
    ALL = "all", _("All card holders")
    WORKING = "working", _("Card holders who work in China")
    NOT_WORKING = "not_working", _("Card holders resident but not working")
    MINORS = "minors", _("Card holders under 18")


# The texts an agency writes about an item, one translation row per language (BenefitText):
# adding a language is a row, not a column, so it needs no migration.
TEXT_FIELDS: tuple[str, ...] = (
    "title",
    "description",
    "legal_basis",
    "procedure",
    "documents",
    "where",
    "provider",
)


def text_field_name(field: str, language: str) -> str:
    """The flattened name of one text in one language (``title_en``, ``title_zh``, ``title_ja``),
    as forms, the API, diffs and the audit log spell it."""
    return f"{field}_{languages.field_key(language)}"


def split_text_field_name(name: str) -> tuple[str, str] | None:
    """(field, language code) of a flattened name, or None when it is not one."""
    for field in TEXT_FIELDS:
        if name.startswith(f"{field}_"):
            code = languages.code_for_key(name[len(field) + 1 :])
            if code is not None:
                return field, code
    return None


def content_field_label(name: str) -> str:
    """What a field of CONTENT_FIELDS is called on a page: "title (Japanese)", "category"."""
    split = split_text_field_name(name)
    if split is None:
        return str(BenefitContent._meta.get_field(name).verbose_name)
    field, code = split
    return f"{BenefitItemTranslation._meta.get_field(field).verbose_name} ({languages.name(code)})"


def _content_fields() -> tuple[str, ...]:
    texts = [text_field_name(f, code) for f in TEXT_FIELDS for code in languages.codes()]
    return ("kind", "category", "applies_to", *texts, "link", "effective_date")


# The one list of an item's content: the fields a version snapshots, the history compares, the
# services accept and the export writes, in the order pages show them (the shared ones, and each
# text in each configured language: title_en, title_zh, title_ja...). The other lists derive from it.
CONTENT_FIELDS: tuple[str, ...] = _content_fields()
# The fields of the item itself (not of its translation rows).
SHARED_FIELDS: tuple[str, ...] = tuple(n for n in CONTENT_FIELDS if split_text_field_name(n) is None)


class BenefitText(models.Model):
    """One language's texts of an item or a version."""

    language = models.CharField(_("language"), max_length=10, choices=languages.choices)
    title = models.CharField(_("title"), max_length=TITLE_MAX, blank=True)
    description = models.TextField(
        _("description"), blank=True, max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    legal_basis = models.TextField(
        _("legal basis"),
        blank=True,
        max_length=SHORT_TEXT_MAX,
        validators=[MaxLengthValidator(SHORT_TEXT_MAX)],
    )
    procedure = models.TextField(
        _("how to use it"), blank=True, max_length=TEXT_MAX, validators=[MaxLengthValidator(TEXT_MAX)]
    )
    documents = models.TextField(
        _("documents to bring"),
        blank=True,
        max_length=SHORT_TEXT_MAX,
        validators=[MaxLengthValidator(SHORT_TEXT_MAX)],
    )
    where = models.TextField(
        _("where"),
        blank=True,
        max_length=SHORT_TEXT_MAX,
        validators=[MaxLengthValidator(SHORT_TEXT_MAX)],
        help_text=_("Offices or service windows, and when they are open."),
    )
    provider = models.CharField(
        _("run by"),
        max_length=TITLE_MAX,
        blank=True,
        help_text=_("For integration services: the office or organisation that runs it."),
    )

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return f"{self.language}: {self.title}"

    def values(self) -> dict[str, str]:
        return {name: getattr(self, name) for name in TEXT_FIELDS}

    @property
    def is_empty(self) -> bool:
        return not any(self.values().values())


class BenefitContent(models.Model):
    """What an agency says about one item; shared by drafts and versions. The texts are rows of a
    translation table (``translations``), one per language."""

    kind = models.CharField(_("item type"), max_length=20, choices=Kind.choices, default=Kind.TREATMENT)
    category = models.CharField(_("category"), max_length=40, choices=Category.choices)
    applies_to = models.CharField(
        _("applies to"), max_length=20, choices=AppliesTo.choices, default=AppliesTo.ALL
    )
    link = models.URLField(_("link"), max_length=500, blank=True)
    effective_date = models.DateField(_("effective date"), null=True, blank=True)

    CONTENT_FIELDS: tuple[str, ...] = CONTENT_FIELDS

    class Meta:
        abstract = True

    def __str__(self) -> str:
        return self.title or "—"

    # --- the texts, by language ---
    def texts(self) -> dict[str, dict[str, str]]:
        """{language code: {field: text}} of the languages this item has (prefetch-friendly)."""
        cached = getattr(self, "_texts", None)
        if cached is None:
            rows = self.translations.all() if self.pk else []
            cached = {row.language: row.values() for row in rows}
            self._texts = cached
        return cached

    def refresh_from_db(self, *args, **kwargs):
        self._texts = None
        super().refresh_from_db(*args, **kwargs)

    def set_texts(self, texts: dict[str, dict[str, str]]) -> None:
        """The texts in memory (a service then writes them as rows)."""
        self._texts = texts

    @property
    def shown_language(self) -> str:
        """The language the reader sees: theirs if the item has a title in it, else English."""
        texts = self.texts()
        active = languages.current()
        if (texts.get(active) or {}).get("title"):
            return active
        if (texts.get(languages.FALLBACK) or {}).get("title"):
            return languages.FALLBACK
        # A draft titled only in another language: whatever it has.
        return next((code for code, row in texts.items() if row.get("title")), active)

    @property
    def shown_in_fallback(self) -> bool:
        """Shown in English because the reader's language has no translation yet."""
        return self.shown_language != languages.current()

    @property
    def shown_lang_tag(self) -> str:
        return languages.html_tag(self.shown_language)

    @property
    def shown_dir(self) -> str:
        # English standing in on an Arabic page keeps its own direction (full stops at the end).
        return "rtl" if languages.is_rtl(self.shown_language) else "ltr"

    def _shown(self, name: str) -> str:
        return (self.texts().get(self.shown_language) or {}).get(name, "")

    @property
    def title(self) -> str:
        return self._shown("title")

    @property
    def description(self) -> str:
        return self._shown("description")

    @property
    def legal_basis(self) -> str:
        return self._shown("legal_basis")

    @property
    def procedure(self) -> str:
        return self._shown("procedure")

    @property
    def documents(self) -> str:
        return self._shown("documents")

    @property
    def where(self) -> str:
        return self._shown("where")

    @property
    def provider(self) -> str:
        return self._shown("provider")

    def text_panels(self) -> list[dict]:
        """Each language the item has, English first, for previews that show them side by side."""
        texts = self.texts()
        order = [code for code in languages.codes() if code in texts]
        return [
            {
                "code": code,
                "tag": languages.html_tag(code),
                "dir": "rtl" if languages.is_rtl(code) else "ltr",
                "heading": _("In %(language)s") % {"language": languages.name(code)},
                "texts": texts[code],
            }
            for code in order
        ]

    def value(self, name: str):
        """One of CONTENT_FIELDS: a shared field, or a flattened text (``description_zh``)."""
        split = split_text_field_name(name)
        if split is None:
            return getattr(self, name)
        field, code = split
        return (self.texts().get(code) or {}).get(field, "")

    def content(self) -> dict:
        """The content as plain JSON-safe values, for the audit log and diffs."""
        values = {}
        for name in self.CONTENT_FIELDS:
            value = self.value(name)
            values[name] = value.isoformat() if hasattr(value, "isoformat") else value
        return values


class BenefitItem(BenefitContent):
    """An agency's working copy of one item; the public reads its ``published_version``."""

    class State(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        WITHDRAWN = "withdrawn", _("Withdrawn")

    agency = models.ForeignKey(
        Agency, verbose_name=_("agency"), on_delete=models.PROTECT, related_name="benefit_items"
    )
    state = FSMField(_("state"), max_length=20, choices=State.choices, default=State.DRAFT)
    published_version = models.ForeignKey(
        "BenefitItemVersion",
        verbose_name=_("published version"),
        on_delete=models.PROTECT,
        null=True,
        blank=True,
        related_name="+",
    )
    # True while the working copy differs from what the public sees.
    has_pending_changes = models.BooleanField(_("unpublished changes"), default=True)
    # Optimistic lock: an edit made against an older copy is refused rather than overwriting.
    lock_version = models.PositiveIntegerField(default=0)
    created_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    created_at = models.DateTimeField(_("created"), auto_now_add=True)
    updated_at = models.DateTimeField(_("updated"), auto_now=True)
    published_at = models.DateTimeField(_("last published"), null=True, blank=True)
    withdrawn_at = models.DateTimeField(_("withdrawn"), null=True, blank=True)
    withdrawal_reason = models.TextField(_("reason for withdrawal"), blank=True, max_length=SHORT_TEXT_MAX)

    class Meta:
        verbose_name = _("benefit item")
        verbose_name_plural = _("benefit items")
        indexes = [models.Index(fields=["agency", "state", "id"])]

    @transition(field=state, source=[State.DRAFT, State.PUBLISHED], target=State.PUBLISHED)
    def publish(self, *, version: BenefitItemVersion, when) -> None:
        self.published_version = version
        self.published_at = when
        self.has_pending_changes = False

    @transition(field=state, source=State.PUBLISHED, target=State.WITHDRAWN)
    def withdraw(self, *, when, reason: str) -> None:
        self.withdrawn_at = when
        self.withdrawal_reason = reason

    @property
    def is_editable(self) -> bool:
        return self.state != self.State.WITHDRAWN


class BenefitItemVersion(BenefitContent):
    """One published revision of an item: immutable, numbered, with what changed since the last."""

    item = models.ForeignKey(BenefitItem, on_delete=models.PROTECT, related_name="versions")
    # Denormalised from the item so public queries, filters and exports need no extra join.
    agency = models.ForeignKey(Agency, on_delete=models.PROTECT, related_name="+")
    number = models.PositiveIntegerField(_("version"))
    changed_fields = models.JSONField(_("changed fields"), default=list)
    published_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+", null=True, blank=True
    )
    published_at = models.DateTimeField(_("published"))

    class Meta:
        verbose_name = _("published version")
        verbose_name_plural = _("published versions")
        ordering = ["item", "number"]
        constraints = [
            models.UniqueConstraint(fields=["item", "number"], name="benefit_version_unique_number")
        ]
        # On PostgreSQL, migration 0002 adds trigram indexes for the Chinese substring search.
        indexes = [models.Index(fields=["category", "id"])]

    def save(self, *args, **kwargs):
        if self.pk is not None:
            # Versions are history: they are written once and never changed.
            raise RuntimeError("a published version is immutable")
        super().save(*args, **kwargs)


class BenefitItemTranslation(BenefitText):
    """The working copy's texts in one language."""

    item = models.ForeignKey(BenefitItem, on_delete=models.CASCADE, related_name="translations")

    class Meta:
        verbose_name = _("item translation")
        verbose_name_plural = _("item translations")
        constraints = [
            models.UniqueConstraint(fields=["item", "language"], name="benefit_item_translation_unique")
        ]


class BenefitVersionTranslation(BenefitText):
    """A published version's texts in one language: as immutable as the version."""

    version = models.ForeignKey(BenefitItemVersion, on_delete=models.PROTECT, related_name="translations")

    class Meta:
        verbose_name = _("version translation")
        verbose_name_plural = _("version translations")
        constraints = [
            models.UniqueConstraint(fields=["version", "language"], name="benefit_version_translation_unique")
        ]
        # On PostgreSQL, migration 0004 adds trigram indexes for the substring search.

    def save(self, *args, **kwargs):
        if self.pk is not None:
            raise RuntimeError("a published version is immutable")
        super().save(*args, **kwargs)


class BenefitComment(models.Model):
    """A review comment from the immigration administration's policy administrators (R18)."""

    item = models.ForeignKey(BenefitItem, on_delete=models.CASCADE, related_name="comments")
    author = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+")
    body = models.TextField(
        _("comment"), max_length=SHORT_TEXT_MAX, validators=[MaxLengthValidator(SHORT_TEXT_MAX)]
    )
    created_at = models.DateTimeField(_("written"), auto_now_add=True)

    class Meta:
        verbose_name = _("review comment")
        verbose_name_plural = _("review comments")
        ordering = ["-created_at", "-id"]

    def __str__(self) -> str:
        return self.body[:60]


class HolderProfile(models.Model):
    """A PR holder's situation, as far as treatment items care (the seam the cards app fills)."""

    user = models.OneToOneField(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="holder_profile"
    )
    card_number = models.CharField(_("card number"), max_length=40, blank=True)
    is_working = models.BooleanField(_("works in China"), default=False)
    is_minor = models.BooleanField(_("under 18"), default=False)
    source = models.CharField(_("source"), max_length=40, default="manual")
    updated_at = models.DateTimeField(_("updated"), auto_now=True)

    class Meta:
        verbose_name = _("card holder's situation")
        verbose_name_plural = _("card holders' situations")

    def __str__(self) -> str:
        return str(self.user)
