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
# Not a record: the agency's system does not answer this person's query (HTTP 503).
DOWN = "down"
ALL_AGENCIES = ("most", "mohrss", "sta", "samr", "mps", "nia", "mca", "moe", "credit")

# passport number -> {agency: outcome}; agencies not named fall back to the hash rule.
DEMO_RECORDS: dict[str, dict[str, str]] = {
    # Test persons: everything agrees / nothing agrees / nobody knows them.
    "TESTMATCH1": dict.fromkeys(ALL_AGENCIES, MATCH),
    "TESTMISMATCH": dict.fromkeys(ALL_AGENCIES, MISMATCH),
    "TESTNOTFOUND": dict.fromkeys(ALL_AGENCIES, NOT_FOUND),
    "TESTDOWN": dict.fromkeys(ALL_AGENCIES, DOWN),
    # One service at a time ("agency:service" wins over "agency"): the talent visa (R7), the study
    # status and the credit record (R21), each branch for an otherwise matching person.
    "TESTVISAOFF": dict.fromkeys(ALL_AGENCIES, MATCH) | {"nia:talent-visa": MISMATCH},
    "TESTVISANONE": dict.fromkeys(ALL_AGENCIES, MATCH) | {"nia:talent-visa": NOT_FOUND},
    "TESTVISADOWN": dict.fromkeys(ALL_AGENCIES, MATCH) | {"nia:talent-visa": DOWN},
    "TESTSTUDYOFF": dict.fromkeys(ALL_AGENCIES, MATCH) | {"moe:study-status": MISMATCH},
    "TESTSTUDYNO": dict.fromkeys(ALL_AGENCIES, MATCH) | {"moe:study-status": NOT_FOUND},
    "TESTSTUDYDWN": dict.fromkeys(ALL_AGENCIES, MATCH) | {"moe:study-status": DOWN},
    "TESTCREDBAD": dict.fromkeys(ALL_AGENCIES, MATCH) | {"credit": MISMATCH},
    "TESTCREDNONE": dict.fromkeys(ALL_AGENCIES, MATCH) | {"credit": NOT_FOUND},
    "TESTCREDDOWN": dict.fromkeys(ALL_AGENCIES, MATCH) | {"credit": DOWN},
    # Demo people (applications/demo.py): Ana Silva's days in China do not match the entry and exit
    # records; Rafael Costa, a permanent resident, paid much less tax and spent little time in China
    # last year (daily management opens a case); Paul Martin's facts all agree.
    "FX123457": {"nia": MISMATCH, "mca": MATCH, "mps": MATCH},
    "CA123456": {"sta": MISMATCH, "nia": MISMATCH, "mohrss": MATCH},
    "19AB23457": dict.fromkeys(("most", "mohrss", "sta", "samr", "mps", "nia", "mca", "moe"), MATCH),
}


def _bucket(*parts: str) -> int:
    return int(hashlib.sha256(":".join(parts).encode()).hexdigest()[:8], 16) % 100


# Services added after the first eight: their own hash, so their outcomes do not follow another
# service of the same agency (a degree on record says nothing of a visa).
OWN_BUCKET_SERVICES = ("talent-visa", "study-status")


def outcome_for(agency: str, passport_number: str, service: str = "") -> str:
    """What this agency's record says compared with what is stated: match, mismatch, not_found
    (or down: the agency does not answer)."""
    pins = DEMO_RECORDS.get((passport_number or "").upper(), {})
    pinned = pins.get(f"{agency}:{service}") or pins.get(agency)
    if pinned:
        return pinned
    key = f"{agency}:{service}" if service in OWN_BUCKET_SERVICES else agency
    bucket = _bucket(key, (passport_number or "").upper())
    if agency == "credit":
        # Most people have no serious entry on the credit platform.
        return MISMATCH if bucket < 5 else MATCH
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


def _talent_visa(passport: str, stated: dict, off: bool, today: dt.date) -> dict:
    """The R visa (talent visa) on record: a mismatch is a visa of another type under that number."""
    number = str(stated.get("talent_visa_number") or "").upper()
    serial = _bucket("visa", passport)
    return {
        "visa_number": number,
        "visa_type": "Z" if off else "R",
        "talent_category": "" if off else ("A-high-end" if serial % 2 else "A-urgently-needed"),
        "approval_ref": "" if off else f"FEA-{today.year - 1}-{serial:04d}",
        "issued_on": (today - dt.timedelta(days=400)).isoformat(),
        "valid_until": (today + dt.timedelta(days=1425)).isoformat(),
    }


def _study(off: bool, today: dt.date) -> dict:
    """Enrolment at a Chinese school or university; a mismatch: the holder left their studies."""
    record = {"institution": "Sun Yat-sen University / 中山大学", "programme": "Bachelor of Medicine"}
    if off:
        return record | {"enrolled": False, "left_on": (today - dt.timedelta(days=120)).isoformat()}
    return record | {"enrolled": True, "expected_end": (today + dt.timedelta(days=700)).isoformat()}


def _credit(off: bool, today: dt.date) -> dict:
    """Entries on the national credit platform: a mismatch holds serious untrustworthiness entries."""
    entries = [
        {
            "kind": "late_tax_filing",
            "severity": "general",
            "authority": "State Taxation Administration",
            "listed_on": (today - dt.timedelta(days=500)).isoformat(),
        }
    ]
    if off:
        entries.append(
            {
                "kind": "judgment_defaulter",
                "severity": "serious",
                "authority": "Supreme People's Court",
                "listed_on": (today - dt.timedelta(days=60)).isoformat(),
                "reference": "(2026)粤01执1234号",
            }
        )
    return {"entries": entries}


def record_for(agency: str, subject: dict, stated: dict, service: str = "") -> dict | None:
    """The agency's record for this person, or None when it holds none (see ``outcome_for`` for down)."""
    passport = str(subject.get("passport_number", ""))
    outcome = outcome_for(agency, passport, service)
    if outcome == NOT_FOUND:
        return None
    off = outcome == MISMATCH
    today = dt.datetime.now(dt.UTC).date()
    if service == "talent-visa":
        return _talent_visa(passport.upper(), stated, off, today)
    if service == "study-status":
        return _study(off, today)
    if agency == "credit":
        return _credit(off, today)
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
