"""Labels of the facts agencies answer about, and of management findings."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _

FIELD_LABELS = {
    "annual_income_tax_cny": _("Annual income tax (CNY)"),
    "annual_salary_cny": _("Annual salary (CNY)"),
    "social_insurance_months": _("Months of social insurance in the last year"),
    "employer_credit_code": _("Employer's credit code"),
    "registered": _("Registered with the programme"),
    "talent_program_code": _("Talent programme code"),
    "amount_usd": _("Investment (USD)"),
    "first_investment_date": _("Date of the first investment"),
    "industry_code": _("Industry code (GB/T 4754)"),
    "enterprise_address_code": _("Enterprise's address code (GB/T 2260)"),
    "convictions": _("Convictions"),
    "days_in_china_by_year": _("Days in China per year (latest first)"),
    "relationship": _("Relationship"),
    "marriage_date": _("Date of marriage"),
    "education": _("Highest education"),
    "talent_visa_number": _("Talent visa (R visa) number"),
    "visa_type": _("Visa type"),
    "talent_category": _("Talent category"),
    "approval_ref": _("Approval reference"),
    "valid_until": _("Valid until"),
    "enrolled": _("Enrolled"),
    "institution": _("School or university"),
    "left_on": _("Left the studies on"),
    "serious_entries": _("Serious untrustworthiness entries"),
    "other_entries": _("Other entries"),
}

FINDING_LABELS = {
    "residence": _("Too few days in China under the residence rule"),
    "income_tax": _("Income-tax record missing or different"),
    "employment": _("Employment or social-insurance record missing or different"),
    "study": _("No longer enrolled, or no enrolment on record"),
    "credit": _("Serious untrustworthiness on the credit platform"),
}

# Kinds of entries on the national credit information platform.
CREDIT_ENTRY_LABELS = {
    "judgment_defaulter": _("Judgment defaulter who refuses to comply"),
    "late_tax_filing": _("Late tax filing"),
    "serious_tax_violation": _("Serious tax violation"),
}
