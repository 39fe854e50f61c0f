"""The kinds of check, the agency that holds each fact, and which checks each channel needs.

Which checks a channel needs is policy data: the policy document's optional
``verification.checks.<channel>`` list wins; ``DEFAULT_CHECKS`` applies when it has none.
"""

from __future__ import annotations

from dataclasses import dataclass

from django.db import models
from django.utils.functional import Promise
from django.utils.translation import gettext_lazy as _


class CheckKind(models.TextChoices):
    TALENT_PROGRAM = "talent_program", _("Talent-program registration")
    EMPLOYMENT = "employment", _("Employment and social-insurance record")
    INCOME_TAX = "income_tax", _("Income-tax record")
    ENTERPRISE = "enterprise", _("Enterprise registration and investment")
    CRIMINAL_RECORD = "criminal_record", _("Criminal record")
    DAYS_IN_CHINA = "days_in_china", _("Days in China (entry and exit records)")
    FAMILY_TIE = "family_tie", _("Marriage or kinship")
    DEGREE = "degree", _("Degree")
    TALENT_VISA = "talent_visa", _("Talent visa (R visa)")
    # Daily management only (R21): never asked about an application.
    STUDY = "study", _("Study status")
    CREDIT = "credit", _("Credit record")


@dataclass(frozen=True)
class AgencySpec:
    code: str
    name: Promise
    service: str  # the path of the agency's service, after its base URL
    # The stated facts sent with the query (what is asked), those the applicant gave only.
    stated_fields: tuple[str, ...]
    # The facts without which the agency has nothing to confirm (default: any of stated_fields);
    # a check that asks about facts and has none of these is not asked.
    needs: tuple[str, ...] | None = None

    def asks_something(self, stated: dict) -> bool:
        needs = self.stated_fields if self.needs is None else self.needs
        return not needs or any(stated.get(name) not in (None, "", []) for name in needs)


AGENCY_OF_KIND: dict[str, AgencySpec] = {
    CheckKind.TALENT_PROGRAM: AgencySpec(
        "most",
        _("Ministry of Science and Technology (foreign experts)"),
        "talent-program",
        ("talent_program_code",),
    ),
    CheckKind.EMPLOYMENT: AgencySpec(
        "mohrss",
        _("Ministry of Human Resources and Social Security"),
        "employment",
        ("employer_credit_code", "annual_salary_cny"),
    ),
    CheckKind.INCOME_TAX: AgencySpec(
        "sta", _("State Taxation Administration"), "income-tax", ("annual_income_tax_cny",)
    ),
    CheckKind.ENTERPRISE: AgencySpec(
        "samr",
        _("State Administration for Market Regulation"),
        "enterprise",
        # The registered industry and address codes come back; eligibility reads them (issue 13).
        ("amount_usd", "first_investment_date", "industry_code", "enterprise_address_code"),
    ),
    CheckKind.CRIMINAL_RECORD: AgencySpec("mps", _("Ministry of Public Security"), "criminal-record", ()),
    CheckKind.DAYS_IN_CHINA: AgencySpec(
        "nia", _("National Immigration Administration"), "entry-exit", ("days_in_china_by_year",)
    ),
    # The tie between the applicant and their sponsor: without a sponsor (a former Chinese
    # national applies on their own residence) there is no tie to confirm.
    CheckKind.FAMILY_TIE: AgencySpec(
        "mca",
        _("Ministry of Civil Affairs"),
        "civil-status",
        ("relationship", "marriage_date", "sponsor_id_number"),
        needs=("sponsor_id_number",),
    ),
    CheckKind.DEGREE: AgencySpec("moe", _("Ministry of Education"), "degree", ("education",)),
    # R7: the R visa the applicant holds; its talent category and approval reference fill the case.
    CheckKind.TALENT_VISA: AgencySpec(
        "nia",
        _("National Immigration Administration"),
        "talent-visa",
        ("talent_visa_number", "talent_program_approval_ref"),
        needs=("talent_visa_number",),
    ),
    # R21: whether a holder whose stay rests on study is still enrolled; asked by identity alone.
    CheckKind.STUDY: AgencySpec("moe", _("Ministry of Education"), "study-status", ()),
    # R21 "linked to the credit system": the holder's entries on the national credit platform.
    CheckKind.CREDIT: AgencySpec(
        "credit", _("National Credit Information Sharing Platform"), "credit-record", ()
    ),
}
AGENCY_NAMES: dict[str, Promise] = {spec.code: spec.name for spec in AGENCY_OF_KIND.values()}

DEFAULT_CHECKS: dict[str, tuple[str, ...]] = {
    "talent": (
        CheckKind.TALENT_PROGRAM,
        CheckKind.TALENT_VISA,
        CheckKind.EMPLOYMENT,
        CheckKind.INCOME_TAX,
        CheckKind.CRIMINAL_RECORD,
        CheckKind.DAYS_IN_CHINA,
        CheckKind.DEGREE,
    ),
    "work": (
        CheckKind.EMPLOYMENT,
        CheckKind.INCOME_TAX,
        CheckKind.CRIMINAL_RECORD,
        CheckKind.DAYS_IN_CHINA,
        CheckKind.DEGREE,
    ),
    "investment": (CheckKind.ENTERPRISE, CheckKind.INCOME_TAX, CheckKind.CRIMINAL_RECORD),
    "contribution": (CheckKind.CRIMINAL_RECORD,),
    "family": (CheckKind.FAMILY_TIE, CheckKind.CRIMINAL_RECORD, CheckKind.DAYS_IN_CHINA),
}
# Daily management (R21): what is re-checked for a permanent resident.
MANAGEMENT_CHECKS: tuple[str, ...] = (
    CheckKind.INCOME_TAX,
    CheckKind.EMPLOYMENT,
    CheckKind.DAYS_IN_CHINA,
    CheckKind.CREDIT,
)


def kinds_for_channel(channel: str, policy_document: dict | None) -> list[str]:
    """The policy's list for the channel (unknown kinds ignored), else the defaults."""
    configured = ((policy_document or {}).get("verification") or {}).get("checks") or {}
    kinds = configured.get(channel)
    if kinds is None:
        kinds = DEFAULT_CHECKS.get(channel, ())
    return [kind for kind in kinds if kind in AGENCY_OF_KIND]
