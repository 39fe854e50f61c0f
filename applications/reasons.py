"""The structured reasons of a decision (R6): the policy version, the criteria relied on and the text.

Criteria come from the case's eligibility snapshot (stored at submission, never recomputed), so a
decision can only cite a rule that was actually applied to the case. A refusal must rest on at
least one criterion the case did not meet or on one of the listed grounds below.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from django.core.exceptions import ValidationError
from django.utils.translation import get_language
from django.utils.translation import gettext as _

# Grounds a refusal may rest on besides the eligibility criteria; the letters print both languages.
# Art. 6 of the 2004 Measures asks every applicant to abide by Chinese law, be in good health and
# have no criminal record; the other two grounds rest on the policy's general legal basis.
REFUSAL_GROUNDS: dict[str, dict[str, dict[str, str]]] = {
    "facts_not_confirmed": {
        "label": {
            "en": "Facts the application relies on were not confirmed by the agencies that hold them",
            "zh": "申请所依据的事实未经有关部门核实确认",
        },
        "legal_basis": {},
    },
    "false_information": {
        "label": {
            "en": "False or misleading information or documents were given",
            "zh": "提供虚假信息或者材料",
        },
        "legal_basis": {},
    },
    "criminal_record": {
        "label": {"en": "A criminal record", "zh": "有犯罪记录"},
        "legal_basis": {"en": "2004 Measures art. 6", "zh": "2004年《办法》第六条"},
    },
    "public_health_or_security": {
        "label": {
            "en": "A risk to public health, public order or national security",
            "zh": "危害公共卫生、公共秩序或者国家安全",
        },
        "legal_basis": {"en": "2004 Measures art. 6", "zh": "2004年《办法》第六条"},
    },
}

# Actions whose reasons must show why the case fails.
REFUSALS = frozenset({"refuse", "recommend_refusal"})


def in_reader_language(text: dict[str, str] | None) -> str:
    text = text or {}
    zh = (get_language() or "en").startswith("zh")
    return text.get("zh" if zh else "en") or text.get("en") or ""


def snapshot_criteria(application) -> list[dict[str, Any]]:
    """The criteria the engine applied at submission, as stored."""
    return list((application.eligibility_snapshot or {}).get("criteria") or [])


def _is_requirement(criterion: dict[str, Any]) -> bool:
    # Points criteria only add to the score; "points at or above the pass mark" is the requirement.
    return criterion.get("kind") != "points"


def criterion_choices(application) -> list[tuple[str, str, str]]:
    """(id, label in the reader's language, outcome) of each requirement, for the decision forms."""
    return [
        (c["id"], in_reader_language(c.get("label")) or c["id"], c.get("outcome", ""))
        for c in snapshot_criteria(application)
        if c.get("id") and _is_requirement(c)
    ]


def failing_criteria(application) -> list[str]:
    """Ids of the criteria the case did not meet at submission."""
    return [
        c["id"]
        for c in snapshot_criteria(application)
        if c.get("id") and _is_requirement(c) and c.get("outcome") == "not_met"
    ]


def ground_choices() -> list[tuple[str, str]]:
    return [(code, in_reader_language(ground["label"])) for code, ground in REFUSAL_GROUNDS.items()]


def policy_label(application) -> str:
    if application.policy_version_id:
        return application.policy_version.label
    return (application.eligibility_snapshot or {}).get("policy_version", "")


def decision_reasons(
    *,
    action: str,
    application,
    text: str,
    criteria: Iterable[str] = (),
    grounds: Iterable[str] = (),
) -> dict[str, Any]:
    """The reasons to store with ``action`` on ``application``, or a ValidationError naming what is wrong."""
    by_id = {c["id"]: c for c in snapshot_criteria(application) if c.get("id")}
    chosen = list(dict.fromkeys(str(c) for c in criteria or ()))
    picked_grounds = list(dict.fromkeys(str(g) for g in grounds or ()))
    errors: dict[str, list[str]] = {}
    unknown = [c for c in chosen if c not in by_id]
    if unknown:
        errors["criteria"] = [
            _("These are not criteria of this case's eligibility result: %(ids)s")
            % {"ids": ", ".join(unknown)}
        ]
    unknown_grounds = [g for g in picked_grounds if g not in REFUSAL_GROUNDS]
    if unknown_grounds:
        errors["grounds"] = [_("Choose grounds from the list: %(ids)s") % {"ids": ", ".join(unknown_grounds)}]
    if picked_grounds and action not in REFUSALS:
        errors["grounds"] = [_("Grounds for refusal are only given with a refusal.")]
    if not errors and action in REFUSALS:
        failing = [c for c in chosen if _is_requirement(by_id[c]) and by_id[c].get("outcome") != "met"]
        if not failing and not picked_grounds:
            errors["criteria"] = [
                _(
                    "A refusal must cite at least one requirement the case does not meet, or one of "
                    "the listed grounds for refusal."
                )
            ]
    if errors:
        raise ValidationError(errors)
    return {
        "policy_version": policy_label(application),
        "criteria": [
            {
                "id": c,
                "outcome": by_id[c].get("outcome", ""),
                "label": by_id[c].get("label") or {},
                "legal_basis": by_id[c].get("legal_basis") or {},
            }
            for c in chosen
        ],
        "grounds": [
            {"id": g, "label": REFUSAL_GROUNDS[g]["label"], "legal_basis": REFUSAL_GROUNDS[g]["legal_basis"]}
            for g in picked_grounds
        ],
        "text": (text or "").strip(),
    }


def letter_rules(reasons: dict[str, Any] | None) -> list[dict[str, str]]:
    """The criteria and grounds of stored reasons, both languages, for the letters."""
    rows = []
    for item in [*(reasons or {}).get("criteria", []), *(reasons or {}).get("grounds", [])]:
        label, basis = item.get("label") or {}, item.get("legal_basis") or {}
        rows.append(
            {
                "label_en": label.get("en", ""),
                "label_zh": label.get("zh", ""),
                "basis_en": basis.get("en", ""),
                "basis_zh": basis.get("zh", ""),
                "outcome": item.get("outcome", ""),
            }
        )
    return rows
