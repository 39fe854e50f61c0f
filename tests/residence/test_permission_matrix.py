"""The permission matrix: every URL of the portal, for every persona, who gets through and who is refused.

The URL patterns are walked from the resolver, so a new URL without a row here fails
`test_every_url_pattern_has_a_row`. Each row names the objects it is about (owned by the Guangdong
applicant, in Guangzhou 440100), the request to make, and the personas ALLOWED; everyone else must be
refused: 401/403/404, a redirect to the login page, or a redirect with an error message and nothing
written. Allowed personas must get through authorisation: 200, a redirect that is not to the login
page, or a 400/409 about the (deliberately minimal) body.

The allowed sets come from the policy, not from what the code does: an applicant's records are for
the applicant and the intermediary they authorised; a Guangdong case is for the national
administration's and Guangdong's officers (and Guangzhou's, as it is in Guangzhou), with the role the
page is for; an agency's workspace is for that agency's staff and supervisors and the policy
administrators; administration pages are for system administrators.

The world is built once per module (an outer transaction rolled back at the end); each request runs
in a savepoint that is rolled back, so no persona's request changes what the next one sees.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import logging
from collections.abc import Callable
from dataclasses import dataclass, field
from http.cookies import SimpleCookie
from urllib.parse import urlparse

import pytest
from django.conf import settings
from django.contrib.messages import constants as message_levels
from django.contrib.messages import get_messages
from django.core.cache import cache
from django.db import transaction
from django.test import Client, override_settings
from django.urls import NoReverseMatch, URLPattern, URLResolver, get_resolver, reverse
from django.utils import timezone

from applications.models import StatusChange
from residence.audit.models import AuditEntry

# --- personas ---------------------------------------------------------------------------------------
APPLICANT_GD = "applicant_gd"  # owns the Guangdong (Guangzhou) records every row is about
APPLICANT_SC = "applicant_sc"  # owns a case in Sichuan (Chengdu)
INTERMEDIARY_CONSENTED = "intermediary_consented"  # authorised by the Guangdong applicant
INTERMEDIARY_UNCONSENTED = "intermediary_unconsented"
ANONYMOUS = "anonymous"
API_KEY = "institution_key"  # an institution's card-verification key, no session
STATISTICS_KEY = "statistics_key"  # the statistics bureau's key for the population feed
POLICY_EXPERT = "policy_expert"  # R5: reads anonymised research extracts
# Issue 15: staff of the Guangdong office's window (it filed a walk-in; a Guangdong card waits there),
# and of the Sichuan office's window.
COUNTER_GD = "counter_gd"
COUNTER_SC = "counter_sc"

OFFICES = {
    "national": "nia",
    "gd": "gd",
    "gz": "gd-gz",
    "sc": "sc",
    "cd": "sc-cd",
}
OFFICER_ROLES = {
    "intake": "intake_officer",
    "reviewer": "reviewer",
    "approver": "approver",
    "manager": "management_officer",
}
# Officers at each level of both provinces; municipal offices do intake and daily management.
OFFICERS = {
    f"{office}_{role}": (OFFICER_ROLES[role], OFFICES[office])
    for office in ("national", "gd", "sc")
    for role in OFFICER_ROLES
} | {
    f"{office}_{role}": (OFFICER_ROLES[role], OFFICES[office])
    for office in ("gz", "cd")
    for role in ("intake", "manager")
}
AGENCY_PERSONAS = {
    "tax_staff": ("agency_staff", "sta"),
    "tax_supervisor": ("agency_supervisor", "sta"),
    "hr_staff": ("agency_staff", "mohrss"),
    "hr_supervisor": ("agency_supervisor", "mohrss"),
}
POLICY_ADMIN = "policy_admin"
SYSTEM_ADMIN = "system_admin"

PERSONAS: tuple[str, ...] = (
    ANONYMOUS,
    API_KEY,
    APPLICANT_GD,
    APPLICANT_SC,
    INTERMEDIARY_CONSENTED,
    INTERMEDIARY_UNCONSENTED,
    *OFFICERS,
    *AGENCY_PERSONAS,
    POLICY_ADMIN,
    SYSTEM_ADMIN,
    STATISTICS_KEY,
    POLICY_EXPERT,
    COUNTER_GD,
    COUNTER_SC,
)

# --- sets of personas the rows are written with ------------------------------------------------------
EVERYONE = frozenset(PERSONAS)
SIGNED_IN = EVERYONE - {ANONYMOUS, API_KEY, STATISTICS_KEY}
APPLICANT_SIDE = frozenset({APPLICANT_GD, APPLICANT_SC, INTERMEDIARY_CONSENTED, INTERMEDIARY_UNCONSENTED})
GD_APPLICANT_SIDE = frozenset({APPLICANT_GD, INTERMEDIARY_CONSENTED})
ALL_OFFICERS = frozenset(OFFICERS)


def officers(*, roles: tuple[str, ...] = tuple(OFFICER_ROLES), offices: tuple[str, ...] = tuple(OFFICES)):
    return frozenset(
        name for name in OFFICERS if name.rsplit("_", 1)[0] in offices and name.rsplit("_", 1)[1] in roles
    )


# Offices whose area holds a case in Guangzhou (CN-GD, 440100).
GD_AREA = ("national", "gd", "gz")
GD_OFFICERS = officers(offices=GD_AREA)
AGENCY_STAFF = frozenset(AGENCY_PERSONAS)
TAX = frozenset({"tax_staff", "tax_supervisor"})
SYSADMIN = frozenset({SYSTEM_ADMIN})
POLICY = frozenset({POLICY_ADMIN, SYSTEM_ADMIN})


# --- the world ---------------------------------------------------------------------------------------
@dataclass
class World:
    users: dict[str, object] = field(default_factory=dict)
    sessions: dict[str, str] = field(default_factory=dict)  # persona -> session key, logged in once
    raw_api_key: str = ""
    raw_statistics_key: str = ""
    ids: dict[str, object] = field(default_factory=dict)

    def __getitem__(self, name: str):
        return self.ids[name]


def _build_world(tmp_dir) -> World:
    from django.contrib.auth.models import Group

    from applications import services as application_services
    from applications.models import Application, Authorisation, Notification
    from benefits import services as benefit_services
    from benefits.models import Category
    from cards import services as card_services
    from cards.models import CardDocument
    from cards.tokens import verification_token
    from eligibility import services as eligibility_services
    from eligibility.models import PolicyVersion, RegisterEdition
    from residence.accounts.models import Office, Role
    from tests.applications.factories import (
        ProfileFactory,
        accept_and_verify,
        complete_draft,
        offices,
        submitted,
    )
    from tests.benefits.conftest import item_values
    from tests.cards.factories import approved_application
    from tests.eligibility.factories import TalentProgramFactory
    from tests.factories import AgencyFactory, UserFactory
    from verification.models import HolderReview, ManagementCase, VerificationCheck

    world = World()
    for role in Role.values:
        Group.objects.get_or_create(name=role)
    policy = eligibility_services.policy_install_default()
    tree = offices()
    tree["sc-cd"], _ = Office.objects.get_or_create(
        code="sc-cd",
        defaults={
            "name_en": "Chengdu",
            "name_zh": "成都",
            "level": "municipal",
            "province": "CN-SC",
            "city_code": "510100",
            "parent": tree["sc"],
        },
    )
    agencies = {
        "sta": AgencyFactory(code="sta", name_en="State Taxation Administration", name_zh="国家税务总局"),
        "mohrss": AgencyFactory(code="mohrss", name_en="Human Resources", name_zh="人力资源和社会保障部"),
    }
    users = world.users
    users[APPLICANT_GD] = UserFactory(email="gd-applicant@example.org", roles=["applicant"])
    users[APPLICANT_SC] = UserFactory(email="sc-applicant@example.org", roles=["applicant"])
    users[INTERMEDIARY_CONSENTED] = UserFactory(email="agent-yes@example.org", roles=["intermediary"])
    users[INTERMEDIARY_UNCONSENTED] = UserFactory(email="agent-no@example.org", roles=["intermediary"])
    for name, (role, office) in OFFICERS.items():
        users[name] = UserFactory(email=f"{name}@example.org", roles=[role], office=tree[office])
    for name, (role, agency) in AGENCY_PERSONAS.items():
        users[name] = UserFactory(email=f"{name}@example.org", roles=[role], agency=agencies[agency])
    users[POLICY_ADMIN] = UserFactory(email="policy@example.org", roles=["policy_admin"], office=tree["nia"])
    users[SYSTEM_ADMIN] = UserFactory(
        email="root@example.org", roles=["system_admin"], is_staff=True, is_superuser=True
    )
    users[POLICY_EXPERT] = UserFactory(email="expert@example.org", roles=["policy_expert"])
    users[COUNTER_GD] = UserFactory(
        email="counter-gd@example.org", roles=["counter_staff"], office=tree["gd"]
    )
    users[COUNTER_SC] = UserFactory(
        email="counter-sc@example.org", roles=["counter_staff"], office=tree["sc"]
    )
    gd, sc = users[APPLICANT_GD], users[APPLICANT_SC]
    Authorisation.objects.create(applicant=gd, intermediary=users[INTERMEDIARY_CONSENTED])
    ids = world.ids
    ids["authorisation"] = Authorisation.objects.get(applicant=gd).pk

    # The Guangdong applicant: a draft (with a dependant), a case at intake, a case waiting for evidence.
    profile_gd = ProfileFactory(owner=gd, province="CN-GD", city_code="440100")
    spouse = ProfileFactory(owner=gd, given_names="Paul", sex="M", province="CN-GD", city_code="440100")
    draft = complete_draft(profile_gd)
    dependant = application_services.dependant_add(
        actor=gd, application=draft, profile=spouse, relationship="spouse"
    )
    ids["profile"] = profile_gd.pk
    ids["draft"] = draft.pk
    ids["dependant"] = dependant.pk
    case = submitted(profile_gd)
    application_services.application_claim(actor=users["gz_intake"], application=case)
    ids["case"] = case.pk  # held by Guangzhou's intake officer
    ids["case_note"] = application_services.case_note_add(
        actor=users["gz_intake"], application=case, body="The passport scan is faint."
    ).pk
    ids["intake_case"] = submitted(profile_gd).pk  # at intake, held by no one
    ids["document"] = case.documents.filter(superseded=False).first().pk
    evidence_case = accept_and_verify(submitted(profile_gd), users["gz_intake"])
    application_services.application_request_evidence(
        actor=users["gd_reviewer"], application=evidence_case, message="The tax records, please."
    )
    ids["evidence_case"] = evidence_case.pk
    ids["check"] = VerificationCheck.objects.filter(application=evidence_case).first().pk
    ids["notification"] = Notification.objects.filter(recipient=gd).first().pk

    # The Sichuan applicant: a case in Chengdu.
    profile_sc = ProfileFactory(
        owner=sc, province="CN-SC", city_code="510100", address="1 Renmin Road, Chengdu"
    )
    ids["case_sc"] = submitted(profile_sc).pk

    # The Guangdong applicant is also a permanent resident: an approved case, a card and its documents.
    approved = approved_application(profile_gd)
    card = card_services.card_issue_for_application(application_id=approved.pk)
    ids["approved"] = approved.pk
    ids["card"] = card.pk
    ids["card_token"] = verification_token(card.number)
    document = CardDocument.objects.filter(card=card).order_by("id").first()
    card_services.card_document_render(document_id=document.pk)  # eagerly, not on commit
    ids["card_document"] = document.pk
    ids["card_request"] = card_services.card_request_create(
        actor=gd, card=card, kind="replacement", reason="lost", statement="Lost on the metro."
    ).pk
    ids["revocation"] = card_services.revocation_open(
        actor=users["gd_manager"], card=card, ground="fraud", evidence="Forged tax records."
    ).pk
    # Card fees (payments): a Guangdong case whose fee is due (registered with the provider) and one
    # whose fee is paid, with no card yet (so it may be refunded).
    from payments.models import PaymentOrder

    for key, status in (("order_due", PaymentOrder.Status.DUE), ("order_paid", PaymentOrder.Status.PAID)):
        fee_case = approved_application(ProfileFactory(owner=gd, province="CN-GD", city_code="440100"))
        Application.objects.filter(pk=fee_case.pk).update(submitted_at=timezone.now())
        ids[key] = PaymentOrder.objects.create(
            number=f"PRWORLD{key.upper()}",
            application=fee_case,
            kind="issuance",
            amount_fen=180000,
            status=status,
            provider_order_id=f"P{key.upper()}",
            pay_url=f"/pay/P{key.upper()}",
            paid_at=timezone.now() if status == PaymentOrder.Status.PAID else None,
        ).pk
    review = HolderReview.objects.create(application=approved, min_days_per_year=90)
    ids["management_case"] = ManagementCase.objects.create(
        application=approved, review=review, findings=[{"kind": "tax", "note": "no record"}]
    ).pk

    # Reconsideration: the Guangdong applicant challenges refusals (decided by Guangdong's approver,
    # so reconsidered by the national administration): one open, one decided with its letter, and
    # one refusal not yet challenged.
    from applications.models import Status as ApplicationStatus
    from reconsideration import services as reconsideration_services

    def refused():
        # A profile of its own each: the factory's reference is made from the profile.
        profile = ProfileFactory(owner=gd, province="CN-GD", city_code="440100")
        application = approved_application(profile, status=ApplicationStatus.REFUSED)
        Application.objects.filter(pk=application.pk).update(
            decided_at=timezone.now(), decided_by=users["gd_approver"]
        )
        return Application.objects.get(pk=application.pk)

    ids["refusal"] = refused().pk
    from tests.applications.factories import png_upload

    open_case = reconsideration_services.reconsideration_lodge(
        actor=gd, grounds="The income was wrongly counted.", application=refused(), files=[png_upload()]
    )
    ids["reconsideration"] = open_case.pk
    ids["reconsideration_document"] = open_case.documents.get().pk
    decided_case = reconsideration_services.reconsideration_lodge(
        actor=gd, grounds="The tax records were complete.", application=refused()
    )
    reconsideration_services.reconsideration_decide(
        actor=users["national_approver"], case=decided_case, outcome="upheld", reason="The refusal stands."
    )
    reconsideration_services.reconsideration_letter_render(case_id=decided_case.pk)
    ids["reconsideration_decided"] = decided_case.pk

    # Personal information: the Guangdong applicant's consent to their intermediary, a correction
    # request of theirs (answered in Guangzhou's area), a legal hold on the case waiting for evidence.
    from privacy import services as privacy_services
    from privacy.models import Consent

    ids["consent"] = privacy_services.consent_record(
        person=gd,
        purpose="intermediary",
        given_by=gd,
        authorisation=Authorisation.objects.get(pk=ids["authorisation"]),
    ).pk
    assert Consent.objects.filter(person=gd).exists()
    ids["correction"] = privacy_services.correction_request_create(
        actor=gd,
        what="Address",
        correction="2 Tianhe Road",
        application=Application.objects.get(pk=ids["case"]),
    ).pk
    ids["hold"] = privacy_services.legal_hold_place(
        actor=users["gd_approver"], application=evidence_case, reason="Litigation."
    ).pk

    institution = card_services.institution_create(
        actor=users[SYSTEM_ADMIN], name_en="Bank of Canton", name_zh="广州银行", kind="bank"
    )
    key, world.raw_api_key = card_services.institution_api_key_issue(
        actor=users[SYSTEM_ADMIN], institution=institution
    )
    ids["institution"] = institution.pk
    ids["api_key"] = key.pk
    bureau = card_services.institution_create(
        actor=users[SYSTEM_ADMIN],
        name_en="National Bureau of Statistics",
        name_zh="国家统计局",
        kind="statistics",
    )
    _bureau_key, world.raw_statistics_key = card_services.institution_api_key_issue(
        actor=users[SYSTEM_ADMIN], institution=bureau
    )

    # Benefits: each agency publishes an item; the tax administration also has a draft.
    tax_item = benefit_services.benefit_item_create(
        actor=users["tax_staff"], values=item_values(category=Category.TAXATION, title_en="Deductions")
    )
    benefit_services.benefit_item_publish(actor=users["tax_supervisor"], item=tax_item)
    hr_item = benefit_services.benefit_item_create(actor=users["hr_staff"], values=item_values())
    benefit_services.benefit_item_publish(actor=users["hr_supervisor"], item=hr_item)
    ids["tax_item"] = tax_item.pk
    ids["hr_item"] = hr_item.pk
    ids["tax_draft"] = benefit_services.benefit_item_create(
        actor=users["tax_staff"], values=item_values(title_en="A draft")
    ).pk

    # Service windows (issue 15): a walk-in filed at the Guangdong window, not yet claimed; the card
    # issued above waits for collection at the Guangdong office (where its case was handled).
    from counters import services as counter_services
    from counters.models import CardCollection

    walk_in = counter_services.walk_in_open(
        actor=users[COUNTER_GD],
        channel="work",
        consent=True,
        family_name="Okafor",
        given_names="Grace",
        sex="F",
        birth_date=dt.date(1979, 6, 14),
        nationality="NGA",
        passport_number="WK1234567",
        passport_expiry=timezone.localdate() + dt.timedelta(days=2000),
        email="grace@example.org",
        address="8 Zhujiang Road, Guangzhou",
        province="CN-GD",
        city_code="440100",
    )
    ids["walk_in"] = walk_in.pk
    ids["collection"] = CardCollection.objects.get(card_id=ids["card"]).pk

    # Eligibility: the policy in force, a draft of the next one, a talent programme.
    ids["policy"] = policy.pk
    ids["policy_draft"] = eligibility_services.policy_draft_create(
        actor=users[POLICY_ADMIN], based_on=policy, label="next"
    ).pk
    ids["talent_program"] = TalentProgramFactory(agency=agencies["sta"]).pk
    # A retired version before it, which policy experts may compare with the one in force.
    ids["policy_retired"] = PolicyVersion.objects.create(
        label="2004 measures (retired)",
        document=policy.document,
        status=PolicyVersion.Status.RETIRED,
        effective_from=dt.date(2004, 8, 15),
        effective_to=dt.date(2004, 8, 16),
    ).pk

    # Identity (R22): the Guangdong applicant under a second passport, flagged as a possible duplicate.
    from identity.models import IdentityMatch

    twin = ProfileFactory(
        owner=gd,
        passport_number="TW1234567",
        birth_date=profile_gd.birth_date,
        province="CN-GD",
        city_code="440100",
    )
    ids["duplicate_case"] = submitted(twin).pk
    ids["identity_flag"] = IdentityMatch.objects.get(
        application_id=ids["duplicate_case"], candidate=profile_gd
    ).pk
    eligibility_services.registers_install_default()
    ids["register_edition"] = RegisterEdition.objects.filter(register="encouraged_industries").first().pk
    ids["register_draft"] = eligibility_services.register_draft_create(
        actor=users[POLICY_ADMIN], register="priority_industries", label="next"
    ).pk
    assert Application.objects.filter(pk=ids["case"], province="CN-GD", city_code="440100").exists()
    for persona, user in users.items():
        client = Client()
        client.force_login(user)
        world.sessions[persona] = client.cookies[settings.SESSION_COOKIE_NAME].value
    # force_login verified each staff session with an authenticator app (tests/conftest.py).
    from django_otp.plugins.otp_totp.models import TOTPDevice

    ids["totp_device"] = TOTPDevice.objects.get(user=users["national_approver"], confirmed=True).pk
    # Appointments: Guangzhou takes bookings; the case at intake is booked, the case waiting for
    # evidence has a booking whose time has passed (to be marked), the unclaimed case books in a row.
    from appointments import services as appointment_services
    from appointments.models import Slot
    from tests.appointments.conftest import at, bookable_day, set_up_office

    set_up_office(tree["gd-gz"])
    Application.objects.filter(pk__in=[ids["case"], ids["intake_case"], ids["evidence_case"]]).update(
        office=tree["gd-gz"]
    )
    day = bookable_day(tree["gd-gz"])
    ids["booking"] = appointment_services.booking_create(
        actor=gd, application=Application.objects.get(pk=ids["case"]), service="intake", starts_at=at(day, 9)
    ).pk
    past = appointment_services.booking_create(
        actor=gd,
        application=Application.objects.get(pk=ids["evidence_case"]),
        service="intake",
        starts_at=at(day, 9, 30),
    )
    Slot.objects.filter(pk=past.slot_id).update(
        starts_at=timezone.now() - dt.timedelta(hours=2), ends_at=timezone.now() - dt.timedelta(hours=1)
    )
    ids["past_booking"] = past.pk
    ids["free_slot"] = at(day, 10).isoformat()
    ids["free_day"] = day.isoformat()

    return world


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    storage = tmp_path_factory.mktemp("private")
    overrides = override_settings(
        PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
        HEALTHZ_WORKER_TIMEOUT=0.05,
        # The sessions are made once for the whole module and the run takes minutes: the matrix is
        # about who may, so the second factor stays fresh and sessions do not time out here
        # (tests/residence/test_mfa.py tests both).
        MFA_REAUTH_SECONDS=24 * 3600,
        SESSION_STAFF_IDLE_SECONDS=24 * 3600,
        SESSION_STAFF_MAX_SECONDS=24 * 3600,
        STORAGES={
            "default": {
                "BACKEND": "django.core.files.storage.FileSystemStorage",
                "OPTIONS": {"location": str(storage), "base_url": None},
            },
            "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
        },
    )
    # Thousands of refusals are expected here; their log lines would only slow the run.
    request_logger = logging.getLogger("django.request")
    level = request_logger.level
    request_logger.setLevel(logging.ERROR)
    with django_db_blocker.unblock(), overrides:
        atomic = transaction.atomic()
        atomic.__enter__()
        try:
            yield _build_world(storage)
        finally:
            transaction.set_rollback(True)
            atomic.__exit__(None, None, None)
            request_logger.setLevel(level)


# --- rows ---------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class Row:
    name: str
    allowed: frozenset[str]
    kwargs: Callable[[World], dict] = lambda w: {}
    method: str = "GET"
    data: Callable[[World], dict] | dict | None = None
    query: str = ""
    json: bool = False  # send the body as JSON (API rows)
    # A write judged by what it writes: allowed personas must write (an audit row or a status change),
    # everyone else nothing. For pages that answer a refused service with the form and its error.
    writes: bool = False
    # Personas to ask, when the answer is the same public document for everyone and costly to make.
    personas: tuple[str, ...] = PERSONAS
    # Statuses that mean "through, but the service itself is not ready" (healthz without a worker).
    tolerate: tuple[int, ...] = ()


def pk(key: str) -> Callable[[World], dict]:
    return lambda w: {"pk": w[key]}


ROWS: list[Row] = []


def row(name: str, allowed, **options) -> None:
    ROWS.append(Row(name=name, allowed=frozenset(allowed), **options))


# --- outcome of one request ------------------------------------------------------------------------------
LOGIN_PATHS: set[str] = set()


def _login_paths() -> set[str]:
    if not LOGIN_PATHS:
        LOGIN_PATHS.update({reverse("login"), reverse("admin:login")})
    return LOGIN_PATHS


def outcome(response) -> str:
    """'allowed', 'denied', or what went wrong ('error 500', 'throttled', ...)."""
    status = response.status_code
    if status >= 500:
        return f"error {status}"
    if status == 429:
        return "throttled"
    if status in (401, 403, 404):
        return "denied"
    if status == 405:
        return "method not allowed"
    if 300 <= status < 400:
        if urlparse(response.get("Location", "")).path in _login_paths():
            return "denied"
        request = getattr(response, "wsgi_request", None)
        if request is not None and any(m.level >= message_levels.ERROR for m in get_messages(request)):
            return "refused"
        return "allowed"
    return "allowed"


CLIENTS: dict[str, Client] = {}


def client_for(world: World, persona: str) -> Client:
    """One client per persona for the whole module (a new one loads the middleware again, which costs
    more than the request), with nothing but the persona's session cookie."""
    client = CLIENTS.get(persona)
    if client is None:
        client = CLIENTS[persona] = Client()
        if persona == API_KEY:
            client.defaults["HTTP_X_API_KEY"] = world.raw_api_key
        if persona == STATISTICS_KEY:
            client.defaults["HTTP_X_API_KEY"] = world.raw_statistics_key
    client.cookies = SimpleCookie()
    if persona in world.sessions:
        client.cookies[settings.SESSION_COOKIE_NAME] = world.sessions[persona]
    return client


def request(world: World, persona: str, spec: Row, url: str):
    cache.clear()  # throttles count per address; every persona here comes from 127.0.0.1
    client = client_for(world, persona)
    data = spec.data(world) if callable(spec.data) else spec.data
    if spec.method == "GET":
        return client.get(url, data or {}), False
    # A refusal is itself logged (access.denied, and the log-in of the persona): those are the
    # security log of the attempt, not a change it made.
    changes_made = AuditEntry.objects.exclude(action__startswith="auth.").exclude(action="access.denied")
    audits, changes = changes_made.count(), StatusChange.objects.count()
    with transaction.atomic():
        sender = getattr(client, spec.method.lower())
        if spec.json:
            response = sender(url, data or {}, content_type="application/json")
        else:
            response = sender(url, data or {})
        wrote = (changes_made.count(), StatusChange.objects.count()) != (audits, changes)
        transaction.set_rollback(True)
    return response, wrote


REQUESTS = {"count": 0}


def check_row(world: World, spec: Row) -> list[str]:
    url = reverse(spec.name, kwargs=spec.kwargs(world)) + spec.query
    problems = []
    for persona in spec.personas:
        response, wrote = request(world, persona, spec, url)
        REQUESTS["count"] += 1
        got = "allowed" if response.status_code in spec.tolerate else outcome(response)
        expected = "allowed" if persona in spec.allowed else "denied"
        if got == "refused":
            got = "denied"
        if spec.writes and not got.startswith("error"):
            got = "allowed" if wrote else "denied"
        if got != expected:
            problems.append(
                f"persona {persona} got {response.status_code} on {spec.method} {spec.name} ({url}), "
                f"expected {expected}"
            )
        elif expected == "denied" and wrote and not spec.writes:
            problems.append(
                f"persona {persona} was refused {spec.method} {spec.name} but something was written"
            )
    return problems


# --- the rows: the project's own pages ----------------------------------------------------------------
CARD_STAFF_GD = officers(roles=("manager", "approver"), offices=GD_AREA)
MANAGERS = officers(roles=("manager",))
MANAGERS_GD = officers(roles=("manager",), offices=GD_AREA)
SUPERVISORS_GD = officers(roles=("approver", "manager"), offices=GD_AREA)
CASE_READERS_GD = GD_OFFICERS | SYSADMIN  # officers who see a submitted Guangdong case
# Intake is done at municipal level or above; review at provincial or above (the default policy).
INTAKE_GD = officers(roles=("intake",), offices=GD_AREA) | SYSADMIN
REVIEW_GD = officers(roles=("reviewer",), offices=("national", "gd")) | SYSADMIN

COUNTERS = frozenset({COUNTER_GD, COUNTER_SC})
HANDOVER_GD = frozenset({COUNTER_GD}) | MANAGERS_GD

row("landing", EVERYONE)
row("home", SIGNED_IN)
row("healthz", EVERYONE, tolerate=(503,))
row("audit_log", POLICY)
row("set_language", EVERYONE, method="POST", data={"language": "en", "next": "/"})
row("register", EVERYONE)
row("login", EVERYONE)
row("logout", EVERYONE, method="POST")
row("password_change", SIGNED_IN)
row("password_change_done", SIGNED_IN)
row("password_reset", EVERYONE)
row("password_reset_done", EVERYONE)
row("password_reset_confirm", EVERYONE, kwargs=lambda w: {"uidb64": "MQ", "token": "set-password"})
row("password_reset_complete", EVERYONE)
row("registration_sent", EVERYONE)
# A link that is not a signed token: the same 400 page for everyone.
row("email_verify", EVERYONE, kwargs=lambda w: {"token": "not-a-token"}, tolerate=(400,))
row("email_verification_resend", SIGNED_IN, method="POST", data={"next": "/home/"})
row("account_tokens", SIGNED_IN)
row("account_token_revoke", SIGNED_IN, method="POST", data={"token": "abcdef"})

# the second factor (residence/mfa): each person's own; staff sessions here are verified already
row("mfa:verify", SIGNED_IN)
row("mfa:reauth", SIGNED_IN)
row("mfa:enrol", SIGNED_IN)
row("mfa:devices", SIGNED_IN)
row("mfa:new_codes", SIGNED_IN)
row(
    "mfa:device_remove",
    {"national_approver"},
    kwargs=lambda w: {"kind": "totp", "pk": w["totp_device"]},
    method="POST",
    writes=True,
)
# Recovery codes stand in for a second factor: the applicant side has none here.
row("mfa:recovery_codes", SIGNED_IN - APPLICANT_SIDE, method="POST", writes=True)
# Without a ceremony started these answer 400 about the body: through authorisation all the same.
row("mfa:passkey_register_options", SIGNED_IN, method="POST")
row("mfa:passkey_register", SIGNED_IN, method="POST", json=True)
row("mfa:passkey_login_options", SIGNED_IN, method="POST")
row("mfa:passkey_login", SIGNED_IN, method="POST", json=True)

# applications: the applicant side
row("applications:list", APPLICANT_SIDE)
row("applications:new", APPLICANT_SIDE)
row("applications:new_profile", APPLICANT_SIDE, kwargs=lambda w: {"channel": "work"})
row("applications:detail", GD_APPLICANT_SIDE, kwargs=pk("draft"))
row("applications:step", GD_APPLICANT_SIDE, kwargs=lambda w: {"pk": w["draft"], "step": "profile"})
row(
    "applications:dependant_remove",
    GD_APPLICANT_SIDE,
    kwargs=lambda w: {"pk": w["draft"], "dependant_pk": w["dependant"]},
    method="POST",
)
row(
    "applications:document",
    GD_APPLICANT_SIDE | CASE_READERS_GD,
    kwargs=lambda w: {"pk": w["case"], "document_pk": w["document"]},
)
row("applications:withdraw", GD_APPLICANT_SIDE, kwargs=pk("case"))
row("applications:evidence", GD_APPLICANT_SIDE, kwargs=pk("evidence_case"))
row("applications:authorisations", {APPLICANT_GD, APPLICANT_SC})
row("applications:authorisation_revoke", {APPLICANT_GD}, kwargs=pk("authorisation"), method="POST")
row("applications:clients", {INTERMEDIARY_CONSENTED, INTERMEDIARY_UNCONSENTED})
row("applications:inbox", SIGNED_IN)
row("applications:inbox_read_all", SIGNED_IN, method="POST")
# applications: the officers' side
row("applications:queue", ALL_OFFICERS | SYSADMIN)
row("applications:workload", officers(roles=("reviewer", "approver", "manager")) | SYSADMIN)
row(
    "applications:queue_assign",
    SUPERVISORS_GD,
    method="POST",
    data=lambda w: {"cases": [w["intake_case"]], "officer": w.users["gz_intake"].pk},
)
row("applications:case", CASE_READERS_GD, kwargs=pk("case"))
row("applications:case_claim", REVIEW_GD, kwargs=pk("evidence_case"), method="POST")
# The page's list of officers to choose from is of the supervisor's own office and those below it, so
# the system administrator (no office) assigns through the API.
# The case is held by Guangzhou's intake officer: they or a supervisor release it.
row(
    "applications:case_release",
    {"gz_intake"} | SUPERVISORS_GD | SYSADMIN,
    kwargs=pk("case"),
    method="POST",
)
row(
    "applications:case_action",
    INTAKE_GD,
    kwargs=lambda w: {"pk": w["intake_case"], "action": "accept"},
    method="POST",
)
# Internal case notes: any officer who sees the case writes one; only its author corrects it.
row(
    "applications:case_note_add",
    CASE_READERS_GD,
    kwargs=pk("case"),
    method="POST",
    data={"body": "Checked the employer's registration."},
    writes=True,
)
row(
    "applications:case_note_edit",
    {"gz_intake"},
    kwargs=lambda w: {"pk": w["case"], "note_pk": w["case_note"]},
)

# identity (R22): a case's possible duplicates, for the officers who see it; the intake officers decide
row("identity:case_duplicates", CASE_READERS_GD, kwargs=pk("duplicate_case"))
row(
    "identity:case_duplicate",
    CASE_READERS_GD,
    kwargs=lambda w: {"pk": w["duplicate_case"], "flag_pk": w["identity_flag"]},
)
row(
    "identity:case_duplicate",
    INTAKE_GD,
    kwargs=lambda w: {"pk": w["duplicate_case"], "flag_pk": w["identity_flag"]},
    method="POST",
    data={"verdict": "different", "reason": "Different places of birth."},
    writes=True,
)
# privacy (PIPL): the person's own page and exports; the officers' pages of their area
row("privacy:mine", SIGNED_IN)
row("privacy:export_json", SIGNED_IN)
row("privacy:export_pdf", SIGNED_IN)
row("privacy:consent_withdraw", {APPLICANT_GD}, kwargs=pk("consent"), method="POST")
# Only people the portal holds applicant records about have something to correct.
row(
    "privacy:correction_new",
    {APPLICANT_GD, APPLICANT_SC},
    method="POST",
    data={"what": "Address", "correction": "3 Tianhe Road"},
    writes=True,
)
row("privacy:corrections", ALL_OFFICERS | SYSADMIN)
row(
    "privacy:correction_answer",
    GD_OFFICERS | SYSADMIN,
    kwargs=pk("correction"),
    method="POST",
    data={"outcome": "corrected", "answer": "Done."},
)
row("privacy:case", CASE_READERS_GD, kwargs=pk("case"))
row("privacy:hold_place", SUPERVISORS_GD | SYSADMIN, kwargs=pk("case"), method="POST", data={"reason": "r"})
row("privacy:hold_release", SUPERVISORS_GD | SYSADMIN, kwargs=pk("hold"), method="POST", data={"reason": "r"})

# appointments: the case's applicant side, and officers of the case's area for them
row("appointments:book", GD_APPLICANT_SIDE | CASE_READERS_GD, kwargs=pk("intake_case"))
row(
    "appointments:book",
    GD_APPLICANT_SIDE | CASE_READERS_GD,
    kwargs=pk("intake_case"),
    method="POST",
    data=lambda w: {"service": "intake", "slot": w["free_slot"], "date": w["free_day"]},
    writes=True,
)
row("appointments:detail", GD_APPLICANT_SIDE | CASE_READERS_GD, kwargs=pk("booking"))
row("appointments:move", GD_APPLICANT_SIDE | CASE_READERS_GD, kwargs=pk("booking"))
row(
    "appointments:cancel",
    GD_APPLICANT_SIDE | CASE_READERS_GD,
    kwargs=pk("booking"),
    method="POST",
    writes=True,
)
row(
    "appointments:mark",
    CASE_READERS_GD,
    kwargs=pk("past_booking"),
    method="POST",
    data={"outcome": "attended"},
    writes=True,
)
# The calendar file is the applicant's own (and their intermediary's): officers too get a 404.
row("appointments:ics", GD_APPLICANT_SIDE, kwargs=pk("booking"))
# Guangzhou's list: officers whose area holds Guangzhou; Sichuan's get a 404.
row("appointments:today", GD_OFFICERS | SYSADMIN, query="?office=gd-gz")
row("appointments:office_hours", EVERYONE, kwargs=lambda w: {"code": "gd-gz"})

# benefits
row("benefits:catalogue", EVERYONE)
row("benefits:feed", EVERYONE)
row("benefits:export_csv", EVERYONE)
row("benefits:item", EVERYONE, kwargs=pk("tax_item"))
row("benefits:history", EVERYONE, kwargs=pk("tax_item"))
row("benefits:my_card", SIGNED_IN)
row("benefits:workspace", AGENCY_STAFF | {POLICY_ADMIN})
row("benefits:workspace_new", AGENCY_STAFF)
row("benefits:workspace_item", TAX | {POLICY_ADMIN}, kwargs=pk("tax_item"))
row("benefits:workspace_edit", TAX, kwargs=pk("tax_draft"))
row("benefits:workspace_publish", {"tax_supervisor"}, kwargs=pk("tax_draft"), method="POST")
row(
    "benefits:workspace_withdraw",
    {"tax_supervisor"},
    kwargs=pk("tax_item"),
    method="POST",
    data={"reason": "r"},
)
row(
    "benefits:workspace_comment",
    {POLICY_ADMIN},
    kwargs=pk("tax_item"),
    method="POST",
    data={"body": "Please add a link."},
)
row("benefits:coverage", {POLICY_ADMIN})

# eligibility
row("eligibility:self_check_start", EVERYONE)
row("eligibility:self_check", EVERYONE, kwargs=lambda w: {"channel": "work"})
row("eligibility:routes", EVERYONE)
row("eligibility:route_detail", EVERYONE, kwargs=lambda w: {"channel": "work"})
row("eligibility:policy_list", POLICY)
row("eligibility:policy_draft_create", POLICY, method="POST")
row("eligibility:policy_import", POLICY)
row("eligibility:policy_detail", POLICY, kwargs=pk("policy"))
row("eligibility:policy_export", POLICY, kwargs=lambda w: {"pk": w["policy"], "fmt": "yaml"})
row("eligibility:policy_edit", POLICY, kwargs=pk("policy_draft"))
row("eligibility:policy_thresholds", POLICY, kwargs=pk("policy_draft"))
row(
    "eligibility:policy_publish",
    POLICY,
    kwargs=pk("policy_draft"),
    method="POST",
    data=lambda w: {"effective_from": (timezone.localdate() + dt.timedelta(days=30)).isoformat()},
)
row("eligibility:policy_delete", POLICY, kwargs=pk("policy_draft"), method="POST")
row("eligibility:policy_impact", POLICY, kwargs=pk("policy_draft"))
row("eligibility:policy_diff", POLICY, kwargs=pk("policy_draft"))
row(
    "eligibility:policy_reference_year",
    POLICY,
    kwargs=lambda w: {"pk": w["policy_draft"], "table": "local_average_wage"},
)
# Reconsideration: the person (or their authorised intermediary) and the deciding office, one level
# above the first decision (here the national administration), and nobody else.
RECONSIDERATION_DECIDERS = officers(roles=("approver",), offices=("national",)) | SYSADMIN
row("figures:statistics", EVERYONE)
row("figures:research", {POLICY_EXPERT, POLICY_ADMIN})
row("figures:policy_comparison", {POLICY_EXPERT, POLICY_ADMIN})

# faq
row("faq:faq", EVERYONE)
# The audited download of a comparison of two published versions (the expert sees no drafts).
row(
    "figures:policy_comparison",
    {POLICY_EXPERT, POLICY_ADMIN},
    method="POST",
    writes=True,
    data=lambda w: {
        "version_a": w["policy_retired"],
        "version_b": w["policy"],
        "start": "2026-01-01",
        "end": "2026-12-31",
        "purpose": "Who the 2016 rules let in that the 2004 measures would not.",
    },
)
row("api_figures_population", {STATISTICS_KEY})
row("reconsideration:index", SIGNED_IN)
row("reconsideration:detail", GD_APPLICANT_SIDE | RECONSIDERATION_DECIDERS, kwargs=pk("reconsideration"))
row(
    "reconsideration:letter",
    GD_APPLICANT_SIDE | RECONSIDERATION_DECIDERS,
    kwargs=pk("reconsideration_decided"),
)
row(
    "reconsideration:document",
    GD_APPLICANT_SIDE | RECONSIDERATION_DECIDERS,
    kwargs=lambda w: {"pk": w["reconsideration"], "document_pk": w["reconsideration_document"]},
)
row("reconsideration:lodge_application", GD_APPLICANT_SIDE, kwargs=pk("refusal"))
row("reconsideration:lodge_revocation", GD_APPLICANT_SIDE, kwargs=pk("revocation"))
# The schema of the policy document is published for administrators' own tools.
row("eligibility:policy_schema", EVERYONE)
row("eligibility:policy_schema_json", EVERYONE)
row("eligibility:talent_programs", POLICY)
row("eligibility:talent_program_edit", POLICY, kwargs=pk("talent_program"))
row("eligibility:family_quotas", POLICY)
row("eligibility:registers", POLICY)
row("eligibility:nominating_bodies", POLICY)
# No body is registered in this world: an unknown body is a 404 for everyone, administrators too.
row("eligibility:nominating_body_edit", set(), kwargs=lambda w: {"pk": 999_999})
# Only nominating-body staff (no persona here holds that role) see nominations; the rest get a 404.
row("applications:nominations", set())
row("applications:nomination", set(), kwargs=lambda w: {"pk": 999_999})
row("eligibility:register_edition", POLICY, kwargs=pk("register_edition"))
row(
    "eligibility:register_draft_create",
    POLICY,
    kwargs=lambda w: {"register": "encouraged_industries"},
    method="POST",
)
row(
    "eligibility:register_publish",
    POLICY,
    kwargs=pk("register_draft"),
    method="POST",
    data=lambda w: {"effective_from": (timezone.localdate() + dt.timedelta(days=30)).isoformat()},
)
row("eligibility:register_delete", POLICY, kwargs=pk("register_draft"), method="POST")
# Bans hold for the whole country: every management officer checks them.
row("eligibility:bans", POLICY | MANAGERS)

# verification
row("verification:monitor", POLICY)
# The page is for those who read the case, as the API is (one definition of officer: the
# superuser is one, as on the case page).
row("verification:application_checks", CASE_READERS_GD, kwargs=pk("evidence_case"))
row(
    "verification:check_rerun",
    CASE_READERS_GD | POLICY,
    kwargs=pk("check"),
    method="POST",
    data={"reason": "again"},
)
row("verification:management_queue", MANAGERS | SYSADMIN)
row("verification:management_case", MANAGERS_GD | SYSADMIN, kwargs=pk("management_case"))

# service windows (issue 15)
row("counters:workspace", COUNTERS)
row("counters:walk_in_new", COUNTERS)
row("counters:walk_in_code", {COUNTER_GD}, kwargs=pk("walk_in"), method="POST")
row("counters:intake", INTAKE_GD, kwargs=pk("intake_case"))
row("counters:collection", HANDOVER_GD, kwargs=pk("collection"))
row("counters:claim", SIGNED_IN)
row("api_counters_walk_ins", COUNTERS, method="POST", json=True)
row("api_counters_claim", SIGNED_IN, method="POST", json=True)
row("api_counters_intake", INTAKE_GD, kwargs=pk("intake_case"), method="POST", json=True)
row("api_counters_collection", HANDOVER_GD, kwargs=pk("collection"), method="POST", json=True)
# cards
row("cards:public_verify", EVERYONE, kwargs=lambda w: {"token": w["card_token"]})
row("cards:public_photo", EVERYONE, kwargs=lambda w: {"token": w["card_token"]})
row("cards:my_card", SIGNED_IN)
# The counter verifier and what it downloads are public: counters at banks and hotels have no account.
row("cards:offline_verifier", EVERYONE)
row("cards:offline_worker", EVERYONE)
row("cards:offline_keys", EVERYONE)
row("cards:offline_revocation_list", EVERYONE)
row("cards:card_photo", {APPLICANT_GD} | CARD_STAFF_GD | SYSADMIN, kwargs=pk("card"))
row("cards:document", {APPLICANT_GD} | CARD_STAFF_GD | SYSADMIN, kwargs=pk("card_document"))
row("cards:requests", MANAGERS)
row(
    "cards:request_decide",
    MANAGERS_GD,
    kwargs=pk("card_request"),
    method="POST",
    data={"decision": "refuse", "reason": "The card was found."},
)
row("cards:revocations", officers(roles=("manager", "approver")))
row("cards:revocation", CARD_STAFF_GD, kwargs=pk("revocation"))
row("cards:residence", MANAGERS)
row("cards:institutions", SYSADMIN)
row("cards:institution", SYSADMIN, kwargs=pk("institution"))

# payments: the payer's order pages are the applicant's (and their intermediary's); the provider's
# notification endpoint is public (its signature authenticates; unsigned answers 400); refunds are
# for the card staff of the case's area; reconciliation findings for officers and administrators.
row("payments:order", GD_APPLICANT_SIDE, kwargs=pk("order_paid"))
row("payments:order_pay", GD_APPLICANT_SIDE, kwargs=pk("order_due"), method="POST")
row("payments:order_return", GD_APPLICANT_SIDE, kwargs=pk("order_due"))
row("payments:order_receipt", GD_APPLICANT_SIDE, kwargs=pk("order_paid"))
row("payments:order_officer", CARD_STAFF_GD, kwargs=pk("order_paid"))
row("payments:notify", EVERYONE, method="POST", data={"event": "paid"})
row("payments:findings", ALL_OFFICERS | {POLICY_ADMIN} | SYSADMIN)

# --- the rows: the API under /api/ --------------------------------------------------------------------
row("api_me", SIGNED_IN)
row("api_token", EVERYONE, method="POST", json=True)
row("api_tokens", SIGNED_IN)
row("api_agencies", EVERYONE)
row("api_offices", EVERYONE)
# The schema takes a third of a second to generate: a public document, asked by a sample of personas.
row(
    "api_schema",
    EVERYONE,
    personas=(ANONYMOUS, API_KEY, APPLICANT_GD, "gd_manager", "tax_staff", SYSTEM_ADMIN),
)
row("api_docs", EVERYONE)
# eligibility: published policy is public law; drafts and changes are for policy administrators.
row("api_policy_versions", SIGNED_IN)
row("api_policy_draft_create", POLICY, method="POST", json=True)
row("api_policy_import", POLICY, method="POST", json=True)
row("api_policy_validate", POLICY, method="POST", json=True)
row("api_policy_version", SIGNED_IN, kwargs=pk("policy"))
row("api_policy_export", SIGNED_IN, kwargs=pk("policy"))
row("api_policy_document", POLICY, kwargs=pk("policy_draft"), method="PUT", json=True)
row("api_policy_publish", POLICY, kwargs=pk("policy_draft"), method="POST", json=True)
row("api_talent_programs", SIGNED_IN)
row("api_talent_program", SIGNED_IN, kwargs=pk("talent_program"))
# Approvers and the other officers plan with the quota (figures, no one's personal data); the
# policy administrator sets it; the superuser counts as an officer everywhere (one definition).
row("api_family_quotas", ALL_OFFICERS | POLICY)
row("api_bans", POLICY | MANAGERS)
row("api_self_check", EVERYONE, method="POST", json=True)
# applications
row("api_ping", ALL_OFFICERS | SYSADMIN)
row("api_profiles", SIGNED_IN)
row("api_profile", GD_APPLICANT_SIDE, kwargs=pk("profile"))
row("api_applications", SIGNED_IN)
row("api_application", GD_APPLICANT_SIDE | CASE_READERS_GD, kwargs=pk("case"))
row("api_application_submit", GD_APPLICANT_SIDE, kwargs=pk("draft"), method="POST", json=True)
row("api_application_withdraw", GD_APPLICANT_SIDE, kwargs=pk("case"), method="POST", json=True)
row(
    "api_application_evidence",
    GD_APPLICANT_SIDE,
    kwargs=pk("evidence_case"),
    method="POST",
    json=True,
    data={"answer": "The tax records are attached."},
)
row("api_application_timeline", GD_APPLICANT_SIDE | CASE_READERS_GD, kwargs=pk("case"))
row("api_application_documents", GD_APPLICANT_SIDE | CASE_READERS_GD, kwargs=pk("case"))
# The family members are the applicant side's alone: officers read them in the case, not here.
row("api_application_dependants", GD_APPLICANT_SIDE, kwargs=pk("draft"))
row("api_application_dependants", GD_APPLICANT_SIDE, kwargs=pk("draft"), method="POST", json=True)
row(
    "api_application_dependant",
    GD_APPLICANT_SIDE,
    kwargs=lambda w: {"pk": w["draft"], "dependant_pk": w["dependant"]},
    method="DELETE",
    writes=True,
)
row("api_application_claim", REVIEW_GD, kwargs=pk("evidence_case"), method="POST", json=True)
row(
    "api_application_release",
    {"gz_intake"} | SUPERVISORS_GD | SYSADMIN,
    kwargs=pk("case"),
    method="POST",
    json=True,
)
row(
    "api_application_action",
    INTAKE_GD,
    kwargs=lambda w: {"pk": w["intake_case"], "action": "accept"},
    method="POST",
    json=True,
)
row("api_document_download", GD_APPLICANT_SIDE | CASE_READERS_GD, kwargs=pk("document"))
row("api_notifications", SIGNED_IN)
row("api_notification_read", {APPLICANT_GD}, kwargs=pk("notification"), method="POST", json=True)
row("api_queue", ALL_OFFICERS | SYSADMIN)
row("api_queue_counts", ALL_OFFICERS | SYSADMIN)
row(
    "api_queue_assign",
    SUPERVISORS_GD | SYSADMIN,
    method="POST",
    json=True,
    data=lambda w: {"application_ids": [w["intake_case"]], "officer": w.users["gz_intake"].pk},
)
row("api_workload", officers(roles=("reviewer", "approver", "manager")) | SYSADMIN)
# benefits
row("api_benefits_catalogue", EVERYONE)
row("api_benefits_item", EVERYONE, kwargs=lambda w: {"item_id": w["tax_item"]})
row("api_benefits_item_versions", EVERYONE, kwargs=lambda w: {"item_id": w["tax_item"]})
row("api_benefits_my_items", SIGNED_IN)
row("api_benefits_workspace_items", AGENCY_STAFF | {POLICY_ADMIN})
row("api_benefits_workspace_item", TAX | {POLICY_ADMIN}, kwargs=lambda w: {"item_id": w["tax_item"]})
row(
    "api_benefits_workspace_publish",
    {"tax_supervisor"},
    kwargs=lambda w: {"item_id": w["tax_draft"]},
    method="POST",
    json=True,
)
row(
    "api_benefits_workspace_withdraw",
    {"tax_supervisor"},
    kwargs=lambda w: {"item_id": w["tax_item"]},
    method="POST",
    json=True,
    data={"reason": "r"},
)
row(
    "api_benefits_workspace_comments",
    {POLICY_ADMIN},
    kwargs=lambda w: {"item_id": w["tax_item"]},
    method="POST",
    json=True,
    data={"body": "Please add a link."},
)
row("api_benefits_coverage", {POLICY_ADMIN})
# verification
row(
    "api_verification_application_checks",
    GD_APPLICANT_SIDE | CASE_READERS_GD,
    kwargs=pk("evidence_case"),
)
row("api_verification_check", CASE_READERS_GD | POLICY, kwargs=pk("check"))
row("api_verification_check_rerun", CASE_READERS_GD | POLICY, kwargs=pk("check"), method="POST", json=True)
row("api_verification_monitor", POLICY)
row("api_verification_management_cases", MANAGERS | SYSADMIN)
row("api_verification_management_case", MANAGERS_GD | SYSADMIN, kwargs=pk("management_case"))
row(
    "api_verification_management_case_close",
    MANAGERS_GD | SYSADMIN,
    kwargs=pk("management_case"),
    method="POST",
    json=True,
)
# cards: institutions verify with their key only; holders list their own cards.
row("api_cards_verify", {API_KEY}, method="POST", json=True)
row("api_cards_verify_bulk", {API_KEY}, method="POST", json=True)
# Anyone holding a card's code may ask for its current status (what the public check shows).
row("api_cards_status", EVERYONE, method="POST", json=True)
row("api_cards_mine", SIGNED_IN)

# --- writes through pages that also show (GET above): who may change the Guangdong records --------------
row(
    "applications:withdraw",
    GD_APPLICANT_SIDE,
    kwargs=pk("case"),
    method="POST",
    data={"reason": "We move abroad."},
    writes=True,
)
row(
    "cards:revocation",
    officers(roles=("approver",), offices=GD_AREA),
    kwargs=pk("revocation"),
    method="POST",
    data={"decision": "cancel", "reason": "The records were genuine."},
    writes=True,
)
row(
    "verification:management_case",
    MANAGERS_GD | SYSADMIN,
    kwargs=pk("management_case"),
    method="POST",
    data={"resolution": "The tax record was found."},
    writes=True,
)
# A finding taken to revocation in one step: management officers of the area only (the card already
# has an open revocation case, so those let through get the page with that error, a 400).
row(
    "verification:management_finding_revoke",
    MANAGERS_GD,
    kwargs=lambda w: {"pk": w["management_case"], "index": 0},
    method="POST",
    data={"finding-0-finding": "0", "finding-0-ground": "fraud"},
)
row(
    "cards:request_decide",
    MANAGERS_GD,
    kwargs=pk("card_request"),
    method="POST",
    data={"decision": "refuse", "reason": "The card was found."},
    writes=True,
)


def row_id(spec: Row) -> str:
    return spec.name if not spec.writes else f"{spec.name} {spec.method} (writes)"


ROW_BY_NAME = {row_id(spec): spec for spec in ROWS}


# --- the URL patterns of the project ------------------------------------------------------------------
def url_names() -> tuple[set[str], set[str]]:
    """(names outside the admin, names of the admin) of every pattern the resolver knows."""
    names, admin_names = set(), set()

    def walk(resolver, namespace: str | None) -> None:
        for pattern in resolver.url_patterns:
            if isinstance(pattern, URLResolver):
                inner = namespace
                if pattern.namespace:
                    inner = f"{namespace}:{pattern.namespace}" if namespace else pattern.namespace
                walk(pattern, inner)
            elif isinstance(pattern, URLPattern):
                if namespace == "admin" or (namespace or "").startswith("admin:"):
                    admin_names.add(f"admin:{pattern.name}" if pattern.name else f"admin:<{pattern.pattern}>")
                    continue
                if pattern.name is None:
                    names.add(f"<unnamed {pattern.pattern}>")
                    continue
                names.add(f"{namespace}:{pattern.name}" if namespace else pattern.name)

    walk(get_resolver(), None)
    return names, admin_names


def test_every_url_pattern_has_a_row():
    names, _admin = url_names()
    named = {spec.name for spec in ROWS}
    missing = sorted(names - named)
    stale = sorted(named - names)
    assert not missing, f"URL patterns without a row in the permission matrix: {missing}"
    assert not stale, f"rows for URL names that no longer exist: {stale}"


@pytest.mark.parametrize("name", sorted(ROW_BY_NAME))
def test_the_matrix_holds(world, db, name):
    problems = check_row(world, ROW_BY_NAME[name])
    assert not problems, "\n".join(problems)


# --- the Django admin: one rule for every admin: name ---------------------------------------------------
# The admin's login (public), logout (POST) and autocomplete (needs its query; 403 without it).
ADMIN_OWN_AUTH_PAGES = {"admin:login", "admin:logout", "admin:autocomplete"}


def admin_pages() -> list[str]:
    """The admin's pages that need no object: the index and each model's list (with the app's index)."""
    _names, admin_names = url_names()
    pages = []
    for name in sorted(admin_names):
        if name.startswith("admin:<"):
            continue  # the object redirect and the catch-all; covered by the rule, nothing to ask
        if name in ADMIN_OWN_AUTH_PAGES:
            continue
        with contextlib.suppress(NoReverseMatch):  # needs an object id or an app label: unasked
            pages.append(reverse(name))
    return [page for page in pages if page.endswith("/") and not page.endswith("/add/")]


def test_the_admin_is_for_system_administrators_only(world, db):
    """Only superusers pass; everyone else is sent to the admin's login (or refused)."""
    _names, admin_names = url_names()
    assert admin_names and all(name.startswith("admin:") for name in admin_names)
    pages = admin_pages()
    assert reverse("admin:index") in pages and len(pages) > 20, pages
    problems = []
    for url in pages:
        for persona in PERSONAS:
            response = client_for(world, persona).get(url)
            REQUESTS["count"] += 1
            got = outcome(response)
            got = "denied" if got == "refused" else got
            expected = "allowed" if persona == SYSTEM_ADMIN else "denied"
            if got != expected:
                problems.append(f"persona {persona} got {response.status_code} on {url}, expected {expected}")
    assert not problems, "\n".join(problems)


# --- token authentication, once --------------------------------------------------------------------------
def test_a_token_opens_the_api_as_its_owner_and_only_to_their_records(world, db):
    from rest_framework.authtoken.models import Token

    gd = Token.objects.create(user=world.users[APPLICANT_GD])
    sc = Token.objects.create(user=world.users[APPLICANT_SC])
    client = Client()
    me = client.get(reverse("api_me"), HTTP_AUTHORIZATION=f"Token {gd.key}")
    assert me.status_code == 200
    assert me.json()["email"] == world.users[APPLICANT_GD].email
    case = reverse("api_application", kwargs={"pk": world["case"]})
    assert client.get(case, HTTP_AUTHORIZATION=f"Token {gd.key}").status_code == 200
    assert client.get(case, HTTP_AUTHORIZATION=f"Token {sc.key}").status_code == 404
    assert client.get(case, HTTP_AUTHORIZATION="Token not-a-token").status_code in (401, 403)
    assert client.get(case).status_code == 403


def test_the_matrix_asked_every_persona(world):
    """The personas the issue names are all here, each a real account (or the key, or no one)."""
    assert len(PERSONAS) == len(set(PERSONAS)) == 32
    assert set(world.users) == set(PERSONAS) - {ANONYMOUS, API_KEY, STATISTICS_KEY}
    assert world.raw_api_key
