"""Deterministic agency records.

Each agency answers from a record derived from the person's passport number (and, for the facts
the portal states, from those facts), so the same query always gets the same answer: about 70%
of people have records that agree with what they stated, about 20% differ on a fact that matters,
and about 10% have no record at that agency. ``DEMO_RECORDS`` pins the outcome for named demo and
test passports.
"""

from __future__ import annotations

import datetime as dt
import hashlib
from typing import Any

MATCH, MISMATCH, NOT_FOUND = "match", "mismatch", "not_found"

# passport number -> {agency: outcome}; agencies not named fall back to the hash rule.
DEMO_RECORDS: dict[str, dict[str, str]] = {
    # Test persons: everything agrees / nothing agrees / nobody knows them.
    "TESTMATCH1": dict.fromkeys(("most", "mohrss", "sta", "samr", "mps", "nia", "mca", "moe"), MATCH),
    "TESTMISMATCH": dict.fromkeys(("most", "mohrss", "sta", "samr", "mps", "nia", "mca", "moe"), MISMATCH),
    "TESTNOTFOUND": dict.fromkeys(("most", "mohrss", "sta", "samr", "mps", "nia", "mca", "moe"), NOT_FOUND),
    # Demo people (applications/demo.py): Ana Silva's days in China do not match the entry and exit
    # records; Rafael Costa, a permanent resident, paid much less tax and spent little time in China
    # last year (daily management opens a case); Paul Martin's facts all agree.
    "FX123457": {"nia": MISMATCH, "mca": MATCH, "mps": MATCH},
    "CA123456": {"sta": MISMATCH, "nia": MISMATCH, "mohrss": MATCH},
    "19AB23457": dict.fromkeys(("most", "mohrss", "sta", "samr", "mps", "nia", "mca", "moe"), MATCH),
}


def _bucket(*parts: str) -> int:
    return int(hashlib.sha256(":".join(parts).encode()).hexdigest()[:8], 16) % 100


def outcome_for(agency: str, passport_number: str) -> str:
    """What this agency's record says compared with what is stated: match, mismatch or not_found."""
    pinned = DEMO_RECORDS.get((passport_number or "").upper(), {}).get(agency)
    if pinned:
        return pinned
    bucket = _bucket(agency, (passport_number or "").upper())
    if agency == "mps":
        # Criminal records: "not found" is not meaningful; most people have a clean record.
        return MISMATCH if bucket < 8 else MATCH
    if bucket < 10:
        return NOT_FOUND
    if bucket < 30:
        return MISMATCH
    return MATCH


def _num(value: Any, default: float = 0.0) -> float:
    try:
        return float(value)
    except (TypeError, ValueError):
        return default


def record_for(agency: str, subject: dict, stated: dict) -> dict | None:
    """The agency's record for this person, or None when it holds none."""
    passport = str(subject.get("passport_number", ""))
    outcome = outcome_for(agency, passport)
    if outcome == NOT_FOUND:
        return None
    off = outcome == MISMATCH
    today = dt.datetime.now(dt.UTC).date()
    if agency == "sta":
        tax = _num(stated.get("annual_income_tax_cny"), 100_000)
        return {"tax_year": today.year - 1, "annual_income_tax_cny": round(tax * (0.4 if off else 1.0), 2)}
    if agency == "mohrss":
        salary = _num(stated.get("annual_salary_cny"), 300_000)
        return {
            "employer_credit_code": ("9" * 18) if off else stated.get("employer_credit_code") or "",
            "annual_salary_cny": round(salary * (0.5 if off else 1.0), 2),
            "social_insurance_months": 3 if off else 12,
        }
    if agency == "most":
        return {"program_code": stated.get("talent_program_code") or "", "registered": not off}
    if agency == "samr":
        amount = _num(stated.get("amount_usd"), 1_000_000)
        # The enterprise's registered industry (GB/T 4754) and address (GB/T 2260) codes: the stated
        # ones when the record agrees, other real codes when it does not (cement, Tianhe district).
        industry = str(stated.get("industry_code") or "C2720")
        address = str(stated.get("enterprise_address_code") or "440106")
        if off:
            industry = "C3011" if industry != "C3011" else "C2720"
            address = "440106" if address != "440106" else "110105"
        return {
            "investment_amount_usd": round(amount * (0.3 if off else 1.0), 2),
            "first_investment_date": stated.get("first_investment_date"),
            "registered_industry_code": industry,
            "registered_address_code": address,
        }
    if agency == "mps":
        return {"convictions": 1 if off else 0}
    if agency == "nia":
        days = stated.get("days_in_china_by_year") or [300, 300, 300]
        return {"days_in_china_by_year": [int(_num(d)) // 4 if off else int(_num(d)) for d in days]}
    if agency == "mca":
        return {
            "relationship": "none" if off else stated.get("relationship") or "spouse",
            "marriage_date": stated.get("marriage_date"),
        }
    if agency == "moe":
        return {"education": "secondary" if off else stated.get("education")}
    return None
