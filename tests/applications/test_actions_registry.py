"""The registry of officer actions: one entry per action, consistent with the services it calls."""

import inspect

from django.urls import reverse

from applications import reasons
from applications.actions import DECISION_ACTIONS, OFFICER_ACTIONS


def test_each_entry_calls_its_service_with_arguments_it_takes():
    # What run() passes must bind to the service's signature, or the action would fail at the first use.
    for action in OFFICER_ACTIONS.values():
        kwargs = {"actor": None, "application": None, **dict(action.fixed)}
        if action.reason_argument:
            kwargs[action.reason_argument] = ""
        for flag, name in (
            (action.takes_criteria, "criteria"),
            (action.takes_grounds, "grounds"),
            (action.takes_dependant_decisions, "dependant_decisions"),
        ):
            if flag:
                kwargs[name] = None
        inspect.signature(action.service).bind(**kwargs)


def test_the_refusals_of_the_registry_are_those_the_reasons_check():
    assert {code for code, a in OFFICER_ACTIONS.items() if a.takes_grounds} == reasons.REFUSALS


def test_decisions_need_a_fresh_second_factor():
    assert {"approve", "refuse"} == DECISION_ACTIONS


def test_each_action_has_a_page_url_and_an_api_url():
    for code in OFFICER_ACTIONS:
        assert reverse("applications:case_action", args=[1, code])
        assert reverse("api_application_action", args=[1, code])


def test_a_required_reason_is_passed_to_the_service():
    for action in OFFICER_ACTIONS.values():
        if action.reason_required:
            assert action.reason_argument
