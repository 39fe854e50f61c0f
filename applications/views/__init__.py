"""HTML pages of the applications app: applicant, officer, and the pages around them."""

from .applicant import (
    application_detail,
    application_list,
    application_new,
    application_new_profile,
    application_step,
    application_withdraw,
    dependant_remove,
    evidence_answer,
)
from .nominations import nomination, nominations
from .officer import (
    case,
    case_action,
    case_claim,
    case_note_add,
    case_note_edit,
    case_release,
    queue,
    queue_assign,
    workload,
)
from .other import authorisation_revoke, authorisations, clients, document, inbox, inbox_read_all

__all__ = [
    "application_detail",
    "application_list",
    "application_new",
    "application_new_profile",
    "application_step",
    "application_withdraw",
    "authorisation_revoke",
    "authorisations",
    "case",
    "case_action",
    "case_claim",
    "case_note_add",
    "case_note_edit",
    "case_release",
    "clients",
    "dependant_remove",
    "document",
    "evidence_answer",
    "inbox",
    "nomination",
    "nominations",
    "inbox_read_all",
    "queue",
    "queue_assign",
    "workload",
]
