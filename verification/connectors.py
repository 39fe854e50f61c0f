"""One adapter per agency behind one small interface: ask a signed HTTP+JSON query, compare.

Every query carries X-Road-style headers (as between Estonian agencies): a unique query id, the
asking client, the officer or system that asked and the application number, so each answer can
be traced to one case. A 5xx, a refused connection or a timeout is an infrastructure error to
retry, never read as "no record": only an answer that says ``found: false`` is "not found".
"""

from __future__ import annotations

import hashlib
import http.client
import json
import threading
import time
from dataclasses import dataclass, field
from decimal import Decimal, InvalidOperation
from typing import Any
from urllib.parse import urlsplit

from django.conf import settings

from .checks import AGENCY_OF_KIND, CheckKind
from .signing import sign

VERIFIED, MISMATCH, NOT_FOUND = "verified", "mismatch", "not_found"


@dataclass(frozen=True)
class Query:
    kind: str
    subject: dict
    stated: dict
    query_id: str
    correlation_id: str
    asked_by: str
    issue: str


@dataclass(frozen=True)
class Answer:
    status: str  # verified, mismatch or not_found
    digest: str  # sha256 of the raw answer: what was answered, without keeping it
    fields: dict = field(default_factory=dict)  # the fields that matter: stated, record, matches


class AgencyError(Exception):
    """The agency could not be asked (5xx, refused, bad answer): retry; never "no record"."""

    reason = "agency_error"
    retriable = True

    def __init__(self, detail: str, *, http_status: int | None = None):
        super().__init__(detail)
        self.detail = detail
        self.http_status = http_status


class AgencyTimeout(AgencyError):
    reason = "timeout"


class AgencyRefused(AgencyError):
    """A 4xx: our query or credentials are wrong; retrying will not help."""

    reason = "refused"
    retriable = False


_local = threading.local()


def _post(url: str, body: bytes, headers: dict[str, str], timeout: float) -> tuple[int, bytes]:
    """POST on this thread's keep-alive connection to the agency; returns status and body.

    The standard library's client sends head and body in one write (urllib3 and requests send
    two, and the second wakes the agency's server a second time: a tenth of a worker's CPU per
    check in the benchmark). A connection the agency closed while idle is replaced and the
    query sent once more, which is harmless: queries only read, and carry their query id.
    """
    parts = urlsplit(url)
    connections = _local.__dict__.setdefault("connections", {})
    key = (parts.scheme, parts.hostname, parts.port)
    reused = key in connections and connections[key].sock is not None
    try:
        return _exchange(connections, key, parts, body, headers, timeout)
    except (http.client.RemoteDisconnected, BrokenPipeError, ConnectionResetError):
        if not reused:
            raise
        return _exchange(connections, key, parts, body, headers, timeout)


def _exchange(connections: dict, key: tuple, parts, body: bytes, headers: dict[str, str], timeout: float):
    connection = connections.get(key)
    if connection is None:
        kind = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
        connection = connections[key] = kind(parts.hostname, parts.port, timeout=timeout)
    connection.timeout = timeout
    if connection.sock is not None:
        connection.sock.settimeout(timeout)
    try:
        connection.request("POST", parts.path, body=body, headers=headers)
        response = connection.getresponse()
        return response.status, response.read()
    except BaseException:
        connection.close()  # dropped, or a half-read answer the next query must not read
        raise


def _decimal(value: Any) -> Decimal | None:
    try:
        return Decimal(str(value)) if value not in (None, "") else None
    except (InvalidOperation, ValueError):
        return None


def _close(stated: Any, record: Any, tolerance: Decimal = Decimal("0.05")) -> bool:
    a, b = _decimal(stated), _decimal(record)
    if a is None or b is None:
        return a is None
    return abs(a - b) <= abs(a) * tolerance


def _fact(stated: Any, record: Any, matches: bool | None) -> dict:
    return {"stated": stated, "record": record, "matches": matches}


def _given(value: Any) -> bool:
    return value not in (None, "", [])


def _record_only(record: Any) -> dict:
    """A fact the agency returns that the applicant was never asked: shown, not compared."""
    return _fact(None, record, None)


def _compared(stated: dict, name: str, record: Any, matches) -> dict:
    """The applicant's ``name`` against the record (``matches(stated, record)``), or the record
    alone when the applicant gave no ``name``: nothing is stated for them."""
    if not _given(stated.get(name)):
        return _record_only(record)
    return _fact(stated[name], record, bool(matches(stated[name], record)))


def _equal(a: Any, b: Any) -> bool:
    return a == b


class Connector:
    """Ask one agency about one person; subclasses say how its record compares with the facts.

    Only facts the applicant stated are compared (``matches`` true or false); what the agency
    returns beside them is kept with ``stated`` and ``matches`` None, and never decides a mismatch.
    """

    agency: str = ""

    def __init__(self, *, base_url: str, secret: str, timeout: float, client: str):
        self.base_url = base_url.rstrip("/")
        self.secret = secret
        self.timeout = timeout
        self.client = client

    def ask(self, query: Query) -> Answer:
        spec = AGENCY_OF_KIND[query.kind]
        url = f"{self.base_url}/{spec.service}"
        body = json.dumps({"subject": query.subject, "stated": query.stated}, sort_keys=True).encode()
        timestamp = f"{time.time():.3f}"
        path = urlsplit(url).path
        headers = {
            "Content-Type": "application/json",
            "X-Road-Id": query.query_id,
            "X-Road-Client": self.client,
            "X-Road-Service": f"{self.agency}/{spec.service}",
            "X-Road-UserId": query.asked_by,
            "X-Road-Issue": query.issue,
            "X-Correlation-Id": query.correlation_id,
            "X-Timestamp": timestamp,
            "Authorization": f"HMAC-SHA256 {sign(self.secret, 'POST', path, timestamp, body)}",
        }
        try:
            http_status, raw = _post(url, body, headers, self.timeout)
        except TimeoutError as error:
            raise AgencyTimeout(f"no answer within {self.timeout:g} s") from error
        except (OSError, http.client.HTTPException) as error:
            raise AgencyError(f"transport: {type(error).__name__}") from error
        if http_status >= 500:
            raise AgencyError(f"HTTP {http_status}", http_status=http_status)
        if http_status != 200:
            raise AgencyRefused(f"HTTP {http_status}", http_status=http_status)
        try:
            payload = json.loads(raw)
            found = payload["found"]
        except (ValueError, KeyError, TypeError) as error:
            raise AgencyError("the answer is not the agreed JSON", http_status=200) from error
        digest = hashlib.sha256(raw).hexdigest()
        if not found:
            return Answer(NOT_FOUND, digest, {})
        facts = self.compare(query.stated, payload.get("record") or {})
        status = VERIFIED if all(f["matches"] is not False for f in facts.values()) else MISMATCH
        return Answer(status, digest, facts)

    def compare(self, stated: dict, record: dict) -> dict[str, dict]:
        raise NotImplementedError


class TalentProgramConnector(Connector):
    agency = "most"

    def compare(self, stated, record):
        # Asked only with a programme code (AgencySpec.needs): giving it states the registration.
        registered = bool(record.get("registered"))
        return {
            "registered": _fact(True, registered, registered),
            "talent_program_code": _compared(
                stated, "talent_program_code", record.get("program_code"), _equal
            ),
        }


class EmploymentConnector(Connector):
    agency = "mohrss"

    def compare(self, stated, record):
        facts = {
            "annual_salary_cny": _compared(
                stated, "annual_salary_cny", record.get("annual_salary_cny"), _close
            ),
            "employer_credit_code": _compared(
                stated, "employer_credit_code", record.get("employer_credit_code"), _equal
            ),
        }
        if record.get("social_insurance_months") is not None:
            # No form asks for it: the officer sees the record, nothing is stated or compared.
            facts["social_insurance_months"] = _record_only(record.get("social_insurance_months"))
        return facts


class IncomeTaxConnector(Connector):
    agency = "sta"

    def compare(self, stated, record):
        return {
            "annual_income_tax_cny": _compared(
                stated, "annual_income_tax_cny", record.get("annual_income_tax_cny"), _close
            )
        }


class EnterpriseConnector(Connector):
    agency = "samr"

    def compare(self, stated, record):
        facts = {"amount_usd": _compared(stated, "amount_usd", record.get("investment_amount_usd"), _close)}
        if _given(stated.get("first_investment_date")) or record.get("first_investment_date"):
            facts["first_investment_date"] = _compared(
                stated, "first_investment_date", record.get("first_investment_date"), _equal
            )
        # The registered codes are what investment eligibility uses; a different declared code is a
        # finding for the officer, both values side by side.
        for name, key in (
            ("industry_code", "registered_industry_code"),
            ("enterprise_address_code", "registered_address_code"),
        ):
            if key in record:
                facts[name] = _compared(
                    stated, name, record.get(key), lambda a, b: str(a or "").upper() == str(b or "").upper()
                )
        return facts


class CriminalRecordConnector(Connector):
    agency = "mps"

    def compare(self, stated, record):
        # Asked by identity alone: nothing is stated; a record without convictions passes.
        convictions = record.get("convictions")
        return {"convictions": _fact(None, convictions, convictions == 0)}


class EntryExitConnector(Connector):
    agency = "nia"
    TOLERANCE_DAYS = 10

    def compare(self, stated, record):
        theirs = record.get("days_in_china_by_year") or []

        def matches(mine, theirs):
            return len(theirs) >= len(mine) and all(
                abs(int(a) - int(b)) <= self.TOLERANCE_DAYS for a, b in zip(mine, theirs, strict=False)
            )

        return {"days_in_china_by_year": _compared(stated, "days_in_china_by_year", theirs, matches)}


class CivilStatusConnector(Connector):
    agency = "mca"

    def compare(self, stated, record):
        facts = {"relationship": _compared(stated, "relationship", record.get("relationship"), _equal)}
        if _given(stated.get("marriage_date")):
            facts["marriage_date"] = _compared(stated, "marriage_date", record.get("marriage_date"), _equal)
        return facts


class DegreeConnector(Connector):
    agency = "moe"

    def compare(self, stated, record):
        return {"education": _compared(stated, "education", record.get("education"), _equal)}


class TalentVisaConnector(Connector):
    """R7: the R visa the applicant gave, in the immigration administration's records."""

    agency = "nia"

    def compare(self, stated, record):
        # Asked only with a visa number (AgencySpec.needs): giving it states that it is an R visa.
        visa_type = record.get("visa_type")
        return {
            "talent_visa_number": _compared(
                stated,
                "talent_visa_number",
                record.get("visa_number"),
                lambda a, b: str(a or "").strip().upper() == str(b or "").strip().upper(),
            ),
            "visa_type": _fact("R", visa_type, visa_type == "R"),
            # What fills the application when the visa matches: never typed by the applicant.
            "talent_category": _record_only(record.get("talent_category") or None),
            "approval_ref": _record_only(record.get("approval_ref") or None),
            "valid_until": _record_only(record.get("valid_until")),
        }


class StudyConnector(Connector):
    """R21: a holder whose stay rests on study is still enrolled (education ministry)."""

    agency = "moe"

    def compare(self, stated, record):
        enrolled = bool(record.get("enrolled"))
        facts = {
            "enrolled": _fact(None, enrolled, enrolled),
            "institution": _record_only(record.get("institution")),
        }
        if record.get("left_on"):
            facts["left_on"] = _record_only(record.get("left_on"))
        return facts


class CreditConnector(Connector):
    """R21 "linked to the credit system": a serious untrustworthiness entry is a mismatch."""

    agency = "credit"

    def compare(self, stated, record):
        entries = [entry for entry in record.get("entries") or [] if isinstance(entry, dict)]
        serious = [entry for entry in entries if entry.get("severity") == "serious"]
        return {
            "serious_entries": _fact(None, serious, not serious),
            "other_entries": _record_only([entry for entry in entries if entry not in serious]),
        }


CONNECTORS: dict[str, type[Connector]] = {
    CheckKind.TALENT_PROGRAM: TalentProgramConnector,
    CheckKind.EMPLOYMENT: EmploymentConnector,
    CheckKind.INCOME_TAX: IncomeTaxConnector,
    CheckKind.ENTERPRISE: EnterpriseConnector,
    CheckKind.CRIMINAL_RECORD: CriminalRecordConnector,
    CheckKind.DAYS_IN_CHINA: EntryExitConnector,
    CheckKind.FAMILY_TIE: CivilStatusConnector,
    CheckKind.DEGREE: DegreeConnector,
    CheckKind.TALENT_VISA: TalentVisaConnector,
    CheckKind.STUDY: StudyConnector,
    CheckKind.CREDIT: CreditConnector,
}


def agency_settings(agency: str) -> dict:
    """Base URL, credential and timeout of one agency, from settings (VERIFICATION_AGENCIES)."""
    configured = settings.VERIFICATION_AGENCIES.get(agency, {})
    return {
        "base_url": configured.get("base_url") or f"{settings.VERIFICATION_BASE_URL.rstrip('/')}/{agency}",
        "secret": configured.get("secret") or settings.VERIFICATION_DEFAULT_SECRET,
        "timeout": float(configured.get("timeout") or settings.VERIFICATION_TIMEOUT_SECONDS),
    }


def connector_for(kind: str) -> Connector:
    cls = CONNECTORS[kind]
    return cls(client=settings.VERIFICATION_CLIENT_ID, **agency_settings(cls.agency))
