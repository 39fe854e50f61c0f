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
}

FINDING_LABELS = {
    "residence": _("Too few days in China under the residence rule"),
    "income_tax": _("Income-tax record missing or different"),
    "employment": _("Employment or social-insurance record missing or different"),
}
