"""The officers' actions on a case, in one registry read by the case page, the API and the services.

Each entry says which service carries the action out and how the officer's reason reaches it, what
the page calls it and says when it is done, whether a reason is required, whether the button is
shown as dangerous, whether it needs a fresh second factor, and which extra inputs it takes
(criteria relied on, grounds for refusal, a decision per dependant). Adding an action is one entry
here; the page's forms, the API's path parameter and the second-factor check follow from it.

The services stay the authority: they check the actor, the state and the reason again whatever
the registry says; the registry only decides what to offer and how to call them.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from django.utils.functional import Promise
from django.utils.translation import gettext_lazy

from . import services


@dataclass(frozen=True)
class OfficerAction:
    code: str
    service: Callable[..., Any]
    label: Promise
    done_message: Promise
    # The keyword under which the service takes the officer's text ("" when it takes none).
    reason_argument: str = "reason"
    reason_required: bool = False
    # Shown as a dangerous (red) button: it sends the case back or towards a refusal.
    dangerous: bool = False
    # A decision on the case: needs a fresh second factor (residence.mfa.guards).
    needs_reauthentication: bool = False
    # Records the eligibility criteria relied on (R6).
    takes_criteria: bool = False
    # The criteria the case meets start ticked (an approval relies on them; the officer may untick).
    ticks_met_criteria: bool = False
    # Offers the listed grounds for refusal (applications.reasons).
    takes_grounds: bool = False
    # The approver decides each dependant too.
    takes_dependant_decisions: bool = False
    # Extra fixed keywords for the service (a recommendation's direction).
    fixed: tuple[tuple[str, Any], ...] = ()

    def run(
        self,
        *,
        actor,
        application,
        reason: str = "",
        criteria: Iterable[str] | None = None,
        grounds: Iterable[str] | None = None,
        dependant_decisions: dict[int, str] | None = None,
    ):
        """Call the service with the inputs this action takes; the others are not passed on."""
        kwargs: dict[str, Any] = {"actor": actor, "application": application, **dict(self.fixed)}
        if self.reason_argument:
            kwargs[self.reason_argument] = reason
        if self.takes_criteria:
            kwargs["criteria"] = list(criteria or [])
        if self.takes_grounds:
            kwargs["grounds"] = list(grounds or [])
        if self.takes_dependant_decisions:
            kwargs["dependant_decisions"] = dependant_decisions
        return self.service(**kwargs)


OFFICER_ACTIONS: dict[str, OfficerAction] = {
    action.code: action
    for action in (
        OfficerAction(
            code="accept",
            service=services.application_accept,
            label=gettext_lazy("Accept: the application is complete"),
            done_message=gettext_lazy("The case is accepted."),
            reason_argument="",
        ),
        OfficerAction(
            code="return",
            service=services.application_return,
            label=gettext_lazy("Return to the applicant for correction"),
            done_message=gettext_lazy("The case is returned to the applicant."),
            reason_required=True,
            dangerous=True,
            takes_criteria=True,
        ),
        OfficerAction(
            code="request_evidence",
            service=services.application_request_evidence,
            label=gettext_lazy("Request more evidence"),
            done_message=gettext_lazy("The applicant is asked for more evidence."),
            reason_argument="message",
            reason_required=True,
        ),
        OfficerAction(
            code="recommend_approval",
            service=services.application_recommend,
            label=gettext_lazy("Recommend approval"),
            done_message=gettext_lazy("Your recommendation is recorded: approval."),
            takes_criteria=True,
            ticks_met_criteria=True,
            fixed=(("recommendation", "approve"),),
        ),
        OfficerAction(
            code="recommend_refusal",
            service=services.application_recommend,
            label=gettext_lazy("Recommend refusal"),
            done_message=gettext_lazy("Your recommendation is recorded: refusal."),
            reason_required=True,
            dangerous=True,
            takes_criteria=True,
            takes_grounds=True,
            fixed=(("recommendation", "refuse"),),
        ),
        OfficerAction(
            code="approve",
            service=services.application_approve,
            label=gettext_lazy("Approve"),
            done_message=gettext_lazy("The case is decided: approved."),
            needs_reauthentication=True,
            takes_criteria=True,
            ticks_met_criteria=True,
            takes_dependant_decisions=True,
        ),
        OfficerAction(
            code="refuse",
            service=services.application_refuse,
            label=gettext_lazy("Refuse"),
            done_message=gettext_lazy("The case is decided: refused."),
            reason_required=True,
            dangerous=True,
            needs_reauthentication=True,
            takes_criteria=True,
            takes_grounds=True,
        ),
    )
}

# The decisions on a case: each needs a fresh second factor.
DECISION_ACTIONS = frozenset(
    code for code, action in OFFICER_ACTIONS.items() if action.needs_reauthentication
)
# The actions that offer the listed grounds for refusal (applications.reasons checks them).
REFUSALS = frozenset(code for code, action in OFFICER_ACTIONS.items() if action.takes_grounds)
