"""Every read of the identity app: candidates from the index, the matches of a case, active bans."""

from __future__ import annotations

import contextlib
import datetime as dt
from dataclasses import dataclass

from django.conf import settings
from django.db.models import Q, QuerySet
from django.http import Http404
from rapidfuzz import fuzz

from . import matching
from .models import IdentityDecision, IdentityKey, IdentityMatch

CANDIDATE_LIMIT = 500
PREFILTER_SCORE = 50.0


def person_of(profile) -> matching.Person:
    return matching.Person(
        family_name=profile.family_name,
        given_names=profile.given_names,
        birth_date=profile.birth_date,
        sex=profile.sex,
        nationality=profile.nationality,
        chinese_name=profile.chinese_name,
    )


def query_keys(person: matching.Person) -> list[str]:
    """The name keys to look up: the Latin name's and each pinyin reading of the Chinese name's."""
    keys = [matching.name_key(person.family_name, person.given_names)]
    keys += [
        " ".join(sorted(family + given)) for family, given in matching.chinese_forms(person.chinese_name)
    ]
    return [k for k in dict.fromkeys(keys) if k]


def near_dates(born: dt.date) -> tuple[list[dt.date], tuple[dt.date, dt.date]]:
    """The dates one field away from `born` (matching.DOB_NEAR): the same day and month a year either
    side, the same day in another month of the year, and the range of the same month and year."""
    dates = []
    for year in (born.year - 1, born.year + 1):
        with contextlib.suppress(ValueError):
            dates.append(born.replace(year=year))
    for month in range(1, 13):
        if month != born.month:
            with contextlib.suppress(ValueError):
                dates.append(born.replace(month=month))
    first = born.replace(day=1)
    last = (first + dt.timedelta(days=32)).replace(day=1) - dt.timedelta(days=1)
    return dates, (first, last)


def _candidate_filter(person: matching.Person) -> Q:
    """Blocking on the date of birth (B-tree), never a scan: every profile born the same day or with
    day and month swapped is scored; of those born one field away (a few thousand rows in a million),
    only like names: pg_trgm similarity on PostgreSQL, the exact name key elsewhere (SQLite)."""
    exact = [person.birth_date]
    if (other := matching.swapped(person.birth_date)) is not None:
        exact.append(other)
    dates, month = near_dates(person.birth_date)
    lookup = "name_key__trigram_similar" if settings.USING_POSTGRES else "name_key"
    like_name = Q(pk__in=[])
    for key in query_keys(person):
        like_name |= Q(**{lookup: key})
    return Q(birth_date__in=exact) | ((Q(birth_date__in=dates) | Q(birth_date__range=month)) & like_name)


@dataclass(frozen=True)
class Candidate:
    key: IdentityKey
    match: matching.Match

    @property
    def profile(self):
        return self.key.profile


def candidates_for(*, person: matching.Person, exclude_profile_id: int | None = None) -> list[Candidate]:
    """Indexed profiles that may be this person, best first (strong before possible)."""
    rows = (
        IdentityKey.objects.filter(_candidate_filter(person))
        .select_related("profile")
        .only(
            "profile_id",
            "person",
            "name_key",
            "profile__family_name",
            "profile__given_names",
            "profile__chinese_name",
            "profile__birth_date",
            "profile__sex",
            "profile__nationality",
            "profile__passport_number",
            "profile__is_active",
        )[:CANDIDATE_LIMIT]
    )
    keys = query_keys(person)
    found = []
    for key in rows:
        if key.profile_id == exclude_profile_id:
            continue
        # Most rows born the same day are plainly someone else: one cheap comparison of the keys
        # first (far below the scorer's thresholds), the full scoring only for the rest.
        if (
            not person.chinese_name
            and not key.profile.chinese_name
            and max((fuzz.token_sort_ratio(k, key.name_key) for k in keys), default=100.0) < PREFILTER_SCORE
        ):
            continue
        result = matching.compare(person, person_of(key.profile))
        if result is not None:
            found.append(Candidate(key=key, match=result))
    found.sort(key=lambda c: (c.match.level != matching.STRONG, -c.match.score, c.key.profile_id))
    return found


def pair(a_id: int, b_id: int) -> tuple[int, int]:
    return (a_id, b_id) if a_id < b_id else (b_id, a_id)


def decisions_for(*, profile_id: int, candidate_ids: list[int]) -> dict[int, IdentityDecision]:
    """Decisions already taken between this profile and each candidate, keyed by candidate id."""
    if not candidate_ids:
        return {}
    rows = IdentityDecision.objects.filter(
        Q(first_id=profile_id, second_id__in=candidate_ids)
        | Q(second_id=profile_id, first_id__in=candidate_ids)
    )
    return {(d.second_id if d.first_id == profile_id else d.first_id): d for d in rows}


def profile_ids_of_people(person_ids: set[int]) -> list[int]:
    return list(IdentityKey.objects.filter(person__in=person_ids).values_list("profile_id", flat=True))


def active_ban_of_profiles(*, profile_ids: list[int], on: dt.date):
    """The longest active ban on any of these profiles (matched on their passport, nationality and birth)."""
    from applications.models import ApplicantProfile
    from eligibility.models import Ban

    people = list(
        ApplicantProfile.objects.filter(pk__in=profile_ids).values_list(
            "passport_number", "nationality", "birth_date"
        )
    )
    if not people:
        return None
    wanted = set(people)
    bans = Ban.objects.filter(until__gt=on, passport_number__in={p[0] for p in people}).order_by(
        "-until", "-id"
    )
    for ban in bans:
        if (ban.passport_number, ban.nationality, ban.birth_date) in wanted:
            return ban
    return None


# --- the officer's view of a case's flags ----------------------------------------------------------
def flags_for_application(*, application) -> QuerySet[IdentityMatch]:
    return IdentityMatch.objects.filter(application=application).select_related(
        "candidate", "decision", "decision__decided_by"
    )


def pending_flags_for_application(*, application) -> QuerySet[IdentityMatch]:
    return flags_for_application(application=application).filter(decision__isnull=True)


def flag_get(*, application, pk: int) -> IdentityMatch:
    """One flag of a case the caller may already see (the view loads the case first); else 404."""
    try:
        return flags_for_application(application=application).select_related("profile").get(pk=pk)
    except (IdentityMatch.DoesNotExist, ValueError, TypeError):
        raise Http404 from None


def record_of(profile) -> dict:
    """What an officer compares side by side: the identity, and the person's cases, cards and bans."""
    from django.utils import timezone

    from applications.models import Application

    cards = []
    try:
        from cards.models import Card

        cards = list(Card.objects.filter(profile=profile).order_by("-id")[:5])
    except ImportError:  # pragma: no cover - the cards app is always installed here
        pass
    key = IdentityKey.objects.filter(profile=profile).first()
    linked = profile_ids_of_people({key.person}) if key else [profile.pk]
    return {
        "profile": profile,
        "applications": list(
            Application.objects.filter(applicant=profile)
            .exclude(submitted_at__isnull=True)
            .order_by("-submitted_at")[:5]
        ),
        "cards": cards,
        "ban": active_ban_of_profiles(profile_ids=linked, on=timezone.localdate()),
        "linked_count": len(linked) - 1,
    }
