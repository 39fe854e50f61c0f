"""Demo applications in every stage and all five channels, moved through the real services.

Idempotent: a demo person whose profile already exists is skipped. The approvals need a national
approver under the default policy (approval at national level), so the seed adds
nadia@approve.demo at the national administration; arthur@approve.demo (Guangdong) approves
when a policy version sets approval at provincial level.
"""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.utils import timezone

from eligibility.models import NominatingBody
from residence.accounts.demo import demo_password
from residence.accounts.models import Office, Role, User

from . import extensions, services
from .models import ApplicantProfile, Application, Authorisation, Nomination, Status
from .reasons import failing_criteria

THIS_YEAR = timezone.localdate().year

# Listed (and printed) with the other demo logins in residence/accounts/demo.py; made here too so this
# seed also runs on its own.
EXTRA_USERS = [
    # email, full name, role, office code
    ("nadia@approve.demo", "Nadia Gao", Role.APPROVER, "nia"),
    ("carla@applicant.demo", "Carla Rossi", Role.APPLICANT, None),
    ("dmitri@applicant.demo", "Dmitri Petrov", Role.APPLICANT, None),
]

FACTS = {
    "work": {
        "employer_name": "Canton Robotics Ltd",
        "employer_credit_code": "91440101MA5C000010",
        "employer_type": "foreign_invested",
        "work_province": "CN-GD",
        "position": "Senior engineer",
        "start_date": dt.date(2016, 3, 1),
        "annual_salary_cny": Decimal("680000"),
        "annual_income_tax_cny": Decimal("160000"),
        "education": "master",
        "hsk_level": 4,
    },
    "talent": {
        "talent_program_code": "TP-GD-PEARL",
        "talent_program_approval_ref": "GDRC-2024-0183",
        # R7: checked with the immigration records at verification; a match fills its category.
        "talent_visa_number": "R44010023",
        "employer_name": "Pearl River Institute of Materials",
        "work_province": "CN-GD",
        "annual_salary_cny": Decimal("900000"),
        "annual_income_tax_cny": Decimal("220000"),
        "education": "doctorate",
        "experience_years": 14,
        "hsk_level": 3,
        "industry_code": "M7310",
    },
    "investment": {
        "enterprise_name": "Lingnan Green Energy Co.",
        "enterprise_credit_code": "91440300MA5D000020",
        "amount_usd": Decimal("1500000"),
        "method": "direct",
        "first_investment_date": dt.date(2019, 6, 1),
        "enterprise_address_code": "440305",
        "industry_code": "N7721",
        "tax_record_good": True,
    },
    "contribution": {
        "nominating_body": "Chinese Academy of Sciences",
        "nomination_method": "national_organisation",
        "field": "science",
        "summary": "Thirty years of joint research on rice genetics with Chinese universities.",
    },
    "family": {
        "sponsor_kind": "citizen",
        "sponsor_id_number": "44010619800101002X",
        "sponsor_name": "Li Wei",
        "relationship": "spouse",
        "marital_status": "married",
        "marriage_date": dt.date(2012, 5, 20),
        "annual_income_cny": Decimal("300000"),
        "stable_income": True,
        "housing": True,
    },
}

# owner, family name, given names, nationality, passport, city, channel, target status
CASES = [
    ("alice@applicant.demo", "Martin", "Alice", "FRA", "19AB23456", "440100", "work", Status.DRAFT),
    ("alice@applicant.demo", "Martin", "Paul", "FRA", "19AB23457", "440100", "talent", Status.SUBMITTED),
    ("bruno@applicant.demo", "Silva", "Bruno", "BRA", "FX123456", "440100", "investment", Status.RETURNED),
    ("bruno@applicant.demo", "Silva", "Ana", "BRA", "FX123457", "440100", "family", Status.VERIFYING),
    (
        "carla@applicant.demo",
        "Rossi",
        "Carla",
        "ITA",
        "YA1234567",
        "440100",
        "contribution",
        Status.IN_REVIEW,
    ),
    (
        "carla@applicant.demo",
        "Rossi",
        "Marco",
        "ITA",
        "YA1234568",
        "440100",
        "work",
        Status.EVIDENCE_REQUESTED,
    ),
    (
        "dmitri@applicant.demo",
        "Petrov",
        "Dmitri",
        "RUS",
        "751234567",
        "440100",
        "talent",
        Status.EVIDENCE_SUBMITTED,
    ),
    (
        "dmitri@applicant.demo",
        "Petrova",
        "Irina",
        "RUS",
        "751234568",
        "440100",
        "investment",
        Status.RECOMMENDED_APPROVAL,
    ),
    (
        "alice@applicant.demo",
        "Dubois",
        "Claire",
        "FRA",
        "19AB23458",
        "440100",
        "work",
        Status.RECOMMENDED_REFUSAL,
    ),
    ("bruno@applicant.demo", "Costa", "Rafael", "PRT", "CA123456", "440100", "talent", Status.APPROVED),
    ("carla@applicant.demo", "Bianchi", "Luca", "ITA", "YA1234569", "440100", "work", Status.REFUSED),
    (
        "dmitri@applicant.demo",
        "Ivanov",
        "Pavel",
        "RUS",
        "751234569",
        "440100",
        "contribution",
        Status.WITHDRAWN,
    ),
    ("carla@applicant.demo", "Romano", "Sofia", "ITA", "YA1234570", "440300", "family", Status.SUBMITTED),
    (
        "dmitri@applicant.demo",
        "Smirnov",
        "Oleg",
        "RUS",
        "751234570",
        "510100",
        "investment",
        Status.SUBMITTED,
    ),
    ("bruno@applicant.demo", "Pereira", "Joana", "BRA", "FX123458", "510700", "work", Status.SUBMITTED),
    # Guangdong's family places are used up in the demo (eligibility/demo.py): this case waits.
    ("bruno@applicant.demo", "Silva", "Maria", "BRA", "FX123460", "440100", "family", Status.AWAITING_QUOTA),
]

PROVINCE_OF_CITY = {"440100": "CN-GD", "440300": "CN-GD", "510100": "CN-SC", "510700": "CN-SC"}


def _png() -> ContentFile:
    from PIL import Image, ImageDraw

    image = Image.new("RGB", (360, 450), (235, 240, 245))
    ImageDraw.Draw(image).rectangle((90, 60, 270, 300), fill=(120, 130, 150))
    out = io.BytesIO()
    image.save(out, format="PNG")
    return ContentFile(out.getvalue(), name="scan.png")


def _user(email: str) -> User:
    return User.objects.get(email=email)


def _extra_users() -> None:
    password = demo_password()
    for email, name, role, office in EXTRA_USERS:
        user, created = User.objects.get_or_create(
            email=email,
            defaults={
                "full_name": name,
                "office": Office.objects.filter(code=office).first() if office else None,
            },
        )
        if created:
            user.set_password(password)
            user.save(update_fields=["password"])
        user.groups.add(*Group.objects.filter(name=role))


def _profile(
    owner: User, family: str, given: str, nationality: str, passport: str, city: str
) -> ApplicantProfile:
    return services.profile_create(
        actor=owner,
        family_name=family,
        given_names=given,
        sex="F" if given in {"Alice", "Ana", "Carla", "Irina", "Claire", "Sofia", "Joana"} else "M",
        birth_date=dt.date(1978 + len(given), 1 + len(family) % 12, 10),
        nationality=nationality,
        passport_number=passport,
        passport_expiry=timezone.localdate() + dt.timedelta(days=1800),
        email=owner.email,
        phone="+86 138 0013 8000",
        address="88 Demo Road",
        province=PROVINCE_OF_CITY[city],
        city_code=city,
        residence_permit_type="work",
        residence_permit_number=f"RP{passport}",
    )


def _draft(owner: User, profile: ApplicantProfile, channel: str) -> Application:
    application = services.application_create(actor=owner, profile=profile, channel=channel)
    years = [(THIS_YEAR - i, 300) for i in range(1, 6)] if channel in ("work", "family", "talent") else None
    facts = dict(FACTS[channel])
    if channel in ("work", "talent"):
        facts["work_province"] = profile.province
    if channel == "contribution":
        facts["nominating_body"] = NominatingBody.objects.get(code="cas")
    services.application_update(actor=owner, application=application, facts=facts, years_in_china=years)
    for doc in services.required_documents_for(application):
        services.document_upload(actor=owner, application=application, document_type=doc.code, file=_png())
    return application


def _fresh(application: Application) -> Application:
    return Application.objects.get(pk=application.pk)


def _advance(application: Application, target: str, owner: User) -> None:
    """Walk the case to ``target`` through the services, as the officers of its area would."""
    if target == Status.DRAFT:
        return
    if target == Status.WITHDRAWN:
        services.application_withdraw(actor=owner, application=application, reason="Moved abroad.")
        return
    services.application_submit(actor=owner, application=application, declaration=True)
    if target == Status.SUBMITTED:
        return
    ivan, rita, nadia = _user("ivan@intake.demo"), _user("rita@review.demo"), _user("nadia@approve.demo")
    if target == Status.RETURNED:
        services.application_return(
            actor=ivan, application=_fresh(application), reason="The tax record for 2023 is missing a page."
        )
        return
    for prepare in extensions.demo_accept_preparers:
        # Seen in person at the Guangzhou office before intake accepts (issue 15).
        prepare(actor=ivan, application=_fresh(application))
    services.application_accept(actor=ivan, application=_fresh(application))
    if target == Status.VERIFYING:
        return
    for nomination in Nomination.objects.filter(application=application, state=Nomination.State.PENDING):
        services.nomination_answer(
            actor=_user("nora@cas.demo"), nomination=nomination, confirmed=True, reference="CAS-2026-0042"
        )
    if _fresh(application).status == Status.VERIFYING:
        # The demo has no agencies answering: end verification as its results would.
        services.application_verification_completed(application=_fresh(application))
    if target == Status.IN_REVIEW:
        return
    if target in (Status.EVIDENCE_REQUESTED, Status.EVIDENCE_SUBMITTED):
        services.application_request_evidence(
            actor=rita,
            application=_fresh(application),
            message="Please send your employment contract's annex.",
        )
        if target == Status.EVIDENCE_SUBMITTED:
            services.application_answer_evidence(
                actor=owner, application=_fresh(application), answer="The annex is uploaded again."
            )
        return
    refuse = target in (Status.RECOMMENDED_REFUSAL, Status.REFUSED)
    # A refusal cites a criterion not met, or else a listed ground (R6).
    failing = failing_criteria(_fresh(application))
    refusal_basis = {"criteria": failing} if failing else {"grounds": ["facts_not_confirmed"]}
    services.application_recommend(
        actor=rita,
        application=_fresh(application),
        recommendation="refuse" if refuse else "approve",
        reason="Income tax below the required share of salary." if refuse else "All requirements met.",
        **(refusal_basis if refuse else {}),
    )
    if target in (Status.RECOMMENDED_APPROVAL, Status.RECOMMENDED_REFUSAL):
        return
    if target == Status.REFUSED:
        services.application_refuse(
            actor=nadia,
            application=_fresh(application),
            reason="Income tax below the required share of salary.",
            **refusal_basis,
        )
    else:
        services.application_approve(actor=nadia, application=_fresh(application))


def seed() -> None:
    _extra_users()
    alice = _user("alice@applicant.demo")
    ines = User.objects.filter(email="ines@intermediary.demo").first()
    with transaction.atomic():
        if (
            ines
            and not Authorisation.objects.filter(
                applicant=alice, intermediary=ines, revoked_at__isnull=True
            ).exists()
        ):
            services.authorisation_grant(actor=alice, intermediary_email=ines.email)
    for owner_email, family, given, nationality, passport, city, channel, target in CASES:
        if ApplicantProfile.objects.filter(passport_number=passport, nationality=nationality).exists():
            continue
        owner = _user(owner_email)
        with transaction.atomic():
            profile = _profile(owner, family, given, nationality, passport, city)
            application = _draft(owner, profile, channel)
            if channel == "family" and given == "Ana":
                child = _profile(owner, family, "Leo", nationality, passport[:-1] + "9", city)
                ApplicantProfile.objects.filter(pk=child.pk).update(birth_date=dt.date(THIS_YEAR - 8, 3, 3))
                services.dependant_add(
                    actor=owner,
                    application=application,
                    profile=ApplicantProfile.objects.get(pk=child.pk),
                    relationship="child",
                )
                # The child brings a passport and a photo of their own, as submission requires.
                for doc, dependant in services.missing_documents(application):
                    services.document_upload(
                        actor=owner,
                        application=application,
                        document_type=doc.code,
                        file=_png(),
                        dependant=dependant,
                    )
            _advance(application, target, owner)
