"""Every read of the benefits registry, already limited to what the reader may see."""

from __future__ import annotations

import datetime as dt
import difflib
import re
from dataclasses import dataclass, field

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Count, F, Q, QuerySet
from django.http import Http404
from django.utils import timezone

from residence import languages
from residence.accounts.models import Agency, Role

from .models import (
    SERVICE_CATEGORIES,
    SHARED_FIELDS,
    TREATMENT_AREAS,
    AppliesTo,
    BenefitComment,
    BenefitContent,
    BenefitItem,
    BenefitItemVersion,
    BenefitVersionTranslation,
    Category,
    HolderProfile,
    content_field_label,
    split_text_field_name,
)

SEARCH_MAX = 200
STALE_AFTER = dt.timedelta(days=365)


# --- who may do what --------------------------------------------------------------------------
def user_can_draft(*, user, agency_id: int) -> bool:
    """Agency staff (and their supervisors) draft items of their own agency only."""
    return (
        user.is_authenticated
        and user.has_role(Role.AGENCY_STAFF, Role.AGENCY_SUPERVISOR)
        and user.agency_id is not None
        and user.agency_id == agency_id
    )


def user_can_publish(*, user, agency_id: int) -> bool:
    """Only a supervisor of the same agency publishes or withdraws its items."""
    return (
        user.is_authenticated
        and user.has_role(Role.AGENCY_SUPERVISOR)
        and user.agency_id is not None
        and user.agency_id == agency_id
    )


def user_is_reviewer(*, user) -> bool:
    """Policy administrators see every agency's items and comment; they edit nobody's."""
    return user.is_authenticated and user.has_role(Role.POLICY_ADMIN)


def user_has_workspace(*, user) -> bool:
    return user_is_reviewer(user=user) or (
        user.is_authenticated
        and user.agency_id is not None
        and user.has_role(Role.AGENCY_STAFF, Role.AGENCY_SUPERVISOR)
    )


# --- the agency workspace ---------------------------------------------------------------------
def workspace_items(*, user) -> QuerySet[BenefitItem]:
    """The working copies this user may see: their agency's, or all for the administration."""
    items = BenefitItem.objects.select_related("agency", "published_version").prefetch_related("translations")
    if user_is_reviewer(user=user):
        return items
    if user_has_workspace(user=user):
        return items.filter(agency_id=user.agency_id)
    return items.none()


def workspace_item_get(*, user, pk) -> BenefitItem:
    """One working copy, or 404 for anyone outside its agency (and not in the administration)."""
    try:
        return workspace_items(user=user).get(pk=int(pk))
    except (BenefitItem.DoesNotExist, ValueError, TypeError, OverflowError) as error:
        raise Http404 from error


def item_comments(*, item: BenefitItem) -> QuerySet[BenefitComment]:
    return item.comments.select_related("author")


# --- the public catalogue ---------------------------------------------------------------------
def _clean_query(text: str | None) -> str:
    # NUL cannot go into a PostgreSQL string; a search box needs no more than a few words.
    return (text or "").replace("\x00", " ").strip()[:SEARCH_MAX]


def _search(versions: QuerySet[BenefitItemVersion], query: str) -> QuerySet[BenefitItemVersion]:
    terms = query.split()[:10]
    if not terms:
        return versions
    # Substring match per term, in any language (each term in some translation of the version):
    # the only search that finds Chinese or Japanese words, which have no spaces between them,
    # and the fallback for SQLite.
    substring = Q()
    for term in terms:
        rows = BenefitVersionTranslation.objects.filter(
            Q(title__icontains=term) | Q(description__icontains=term)
        ).values("version_id")
        substring &= Q(pk__in=rows)
    if connection.vendor != "postgresql":
        return versions.filter(substring)
    # English full text with stemming ("licences" finds "licence"), beside the substring match
    # (served by the trigram indexes of migration 0004 on the translation rows).
    english = (
        BenefitVersionTranslation.objects.filter(language=languages.FALLBACK)
        .annotate(search=SearchVector("title", "description", "procedure", "legal_basis", config="english"))
        .filter(search=SearchQuery(query, config="english", search_type="websearch"))
        .values("version_id")
    )
    return versions.filter(Q(pk__in=english) | substring)


@dataclass(frozen=True)
class CatalogueFilters:
    q: str = ""
    category: str = ""
    agency: str = ""
    applies_to: str = ""
    kind: str = ""


def published_versions(*, filters: CatalogueFilters | None = None) -> QuerySet[BenefitItemVersion]:
    """The version the public sees of every published item, filtered; nothing else is public."""
    filters = filters or CatalogueFilters()
    versions = (
        BenefitItemVersion.objects.filter(
            item__state=BenefitItem.State.PUBLISHED, item__published_version=F("pk")
        )
        .select_related("agency")
        .prefetch_related("translations")
    )
    if filters.category:
        versions = versions.filter(category=filters.category)
    if filters.agency:
        versions = versions.filter(agency__code=filters.agency)
    if filters.applies_to:
        versions = versions.filter(applies_to=filters.applies_to)
    if filters.kind:
        versions = versions.filter(kind=filters.kind)
    query = _clean_query(filters.q)
    if query:
        versions = _search(versions, query)
    return versions


def public_item_get(*, pk) -> BenefitItem:
    """An item the public may look up by its permanent URL: published, or withdrawn (as a notice)."""
    try:
        return (
            BenefitItem.objects.select_related("agency", "published_version", "published_version__agency")
            .prefetch_related("published_version__translations")
            .get(pk=int(pk), state__in=[BenefitItem.State.PUBLISHED, BenefitItem.State.WITHDRAWN])
        )
    except (BenefitItem.DoesNotExist, ValueError, TypeError, OverflowError) as error:
        raise Http404 from error


def recent_versions(*, limit: int = 50) -> QuerySet[BenefitItemVersion]:
    """Publications of items still published, newest first: the feed of changes."""
    return (
        BenefitItemVersion.objects.filter(item__state=BenefitItem.State.PUBLISHED)
        .select_related("agency")
        .prefetch_related("translations")
        .order_by("-published_at", "-id")[:limit]
    )


def agencies_with_items() -> QuerySet[Agency]:
    return Agency.objects.filter(benefit_items__state=BenefitItem.State.PUBLISHED).distinct().order_by("code")


# --- history with what changed -----------------------------------------------------------------
@dataclass(frozen=True)
class Segment:
    op: str  # "equal", "insert" or "delete"
    text: str


@dataclass(frozen=True)
class FieldChange:
    name: str
    label: str
    before: str
    after: str
    segments: list[Segment]

    @property
    def lang(self) -> str:
        split = split_text_field_name(self.name)
        return languages.html_tag(split[1]) if split else ""


@dataclass(frozen=True)
class VersionChanges:
    version: BenefitItemVersion
    changes: list[FieldChange] = field(default_factory=list)


# Latin words, runs of spaces, or single characters (so Chinese compares character by character).
_TOKENS = re.compile(r"[A-Za-z0-9_'’-]+|\s+|.", re.S)


def _display(version: BenefitContent, name: str) -> str:
    value = version.value(name)
    if value is None:
        return ""
    display = getattr(version, f"get_{name}_display", None) if name in SHARED_FIELDS else None
    if display is not None:
        return str(display())
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


def text_diff(before: str, after: str) -> list[Segment]:
    """Word-level (character-level for Chinese) differences between two texts."""
    old, new = _TOKENS.findall(before), _TOKENS.findall(after)
    segments: list[Segment] = []
    for op, i1, i2, j1, j2 in difflib.SequenceMatcher(a=old, b=new, autojunk=False).get_opcodes():
        if op == "equal":
            segments.append(Segment("equal", "".join(old[i1:i2])))
            continue
        if i2 > i1:
            segments.append(Segment("delete", "".join(old[i1:i2])))
        if j2 > j1:
            segments.append(Segment("insert", "".join(new[j1:j2])))
    return segments


def field_changes(before: BenefitContent | None, after: BenefitContent) -> list[FieldChange]:
    changes = []
    for name in BenefitContent.CONTENT_FIELDS:
        old = _display(before, name) if before is not None else ""
        new = _display(after, name)
        if before is not None and old == new:
            continue
        if before is None and not new:
            continue
        label = content_field_label(name)
        changes.append(FieldChange(name, label, old, new, text_diff(old, new)))
    return changes


def item_history(*, item: BenefitItem) -> list[VersionChanges]:
    """Every published version, newest first, each with what changed since the one before."""
    versions = list(
        item.versions.select_related("published_by").prefetch_related("translations").order_by("number")
    )
    history = []
    previous = None
    for version in versions:
        history.append(VersionChanges(version, field_changes(previous, version)))
        previous = version
    return list(reversed(history))


# --- what my card lets me do ------------------------------------------------------------------
@dataclass(frozen=True)
class HolderSituation:
    """What the registry needs to know about a PR holder; filled by the cards app (#7) later."""

    is_working: bool
    is_minor: bool
    card_number: str = ""

    @property
    def applies_to(self) -> list[str]:
        groups = [AppliesTo.ALL, AppliesTo.WORKING if self.is_working else AppliesTo.NOT_WORKING]
        if self.is_minor:
            groups.append(AppliesTo.MINORS)
        return [str(g) for g in groups]


def holder_situation(*, user) -> HolderSituation | None:
    """The situation of a PR holder, or None for anyone who holds no card (that we know of)."""
    if not user.is_authenticated:
        return None
    profile = HolderProfile.objects.filter(user=user).first()
    if profile is None:
        return None
    return HolderSituation(
        is_working=profile.is_working, is_minor=profile.is_minor, card_number=profile.card_number
    )


def items_for_holder(*, situation: HolderSituation) -> QuerySet[BenefitItemVersion]:
    return published_versions().filter(applies_to__in=situation.applies_to).order_by("kind", "category", "id")


# --- coverage (R18 supervision) ---------------------------------------------------------------
@dataclass(frozen=True)
class CoverageRow:
    category: str
    label: str
    is_treatment_area: bool
    cells: list[tuple[int, int]]  # per agency column: (published, drafts)
    published: int

    @property
    def is_gap(self) -> bool:
        return self.is_treatment_area and self.published == 0


@dataclass(frozen=True)
class Coverage:
    agencies: list[Agency]
    rows: list[CoverageRow]
    stale: list[BenefitItem]

    @property
    def gaps(self) -> list[CoverageRow]:
        return [row for row in self.rows if row.is_gap]


def coverage(*, now: dt.datetime | None = None) -> Coverage:
    """Categories x agencies: published items and drafts, the article 16-17 areas nobody covers,
    and published items not updated for a year."""
    now = now or timezone.now()
    published = {
        (row["category"], row["agency_id"]): row["n"]
        for row in published_versions().values("category", "agency_id").annotate(n=Count("id")).order_by()
    }
    drafts = {
        (row["category"], row["agency_id"]): row["n"]
        for row in BenefitItem.objects.filter(state=BenefitItem.State.DRAFT)
        .values("category", "agency_id")
        .annotate(n=Count("id"))
        .order_by()
    }
    agency_ids = {agency_id for _c, agency_id in published} | {agency_id for _c, agency_id in drafts}
    agencies = list(Agency.objects.filter(pk__in=agency_ids).order_by("code"))
    rows = []
    for value, label in Category.choices:
        cells = [(published.get((value, a.pk), 0), drafts.get((value, a.pk), 0)) for a in agencies]
        rows.append(
            CoverageRow(
                category=value,
                label=str(label),
                is_treatment_area=value in TREATMENT_AREAS,
                cells=cells,
                published=sum(p for p, _d in cells),
            )
        )
    # Areas of articles 16-17 first, then the others, then integration services.
    order = {
        c: i
        for i, c in enumerate((*TREATMENT_AREAS, Category.TAXATION, Category.INVESTMENT, *SERVICE_CATEGORIES))
    }
    rows.sort(key=lambda r: order.get(r.category, 99))
    stale = list(
        BenefitItem.objects.filter(state=BenefitItem.State.PUBLISHED, published_at__lt=now - STALE_AFTER)
        .select_related("agency")
        .order_by("published_at", "id")
    )
    return Coverage(agencies=agencies, rows=rows, stale=stale)
