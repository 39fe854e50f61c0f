"""REST API of the verification app: a case's checks, re-runs, the monitor, management cases.

Thin views: validate input, call a selector or a service, serialize. What a user may not see is a
404 (never a 403 that confirms it exists); a refused action a 403; bad input a 400, all in the
envelope of ``residence.core.api``.
"""

from __future__ import annotations

from typing import Any

from django.http import Http404
from django.utils.translation import gettext_lazy
from drf_spectacular.utils import PolymorphicProxySerializer, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from residence.core.api import ErrorSerializer, query_params
from residence.core.pagination import keyset_paginate, page_envelope

from . import selectors, services
from .checks import AGENCY_NAMES, CheckKind
from .labels import FINDING_LABELS
from .models import CheckStatus, ManagementCase, VerificationAttempt

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
MANAGEMENT_ORDERING = ("-opened_at", "-id")


# --- a check, as officers and administrators see it ---------------------------------------------
class VerificationAttemptOutputSerializer(serializers.Serializer):
    run = serializers.IntegerField()
    number = serializers.IntegerField()
    query_id = serializers.UUIDField()
    asked_by = serializers.CharField()
    outcome = serializers.ChoiceField(choices=VerificationAttempt.Outcome.choices)
    result_status = serializers.CharField(
        help_text=gettext_lazy("The agency's answer (a check status) when it answered; else empty.")
    )
    http_status = serializers.IntegerField(allow_null=True)
    detail = serializers.CharField()
    answer_digest = serializers.CharField()
    started_at = serializers.DateTimeField()
    finished_at = serializers.DateTimeField(allow_null=True)
    latency_ms = serializers.IntegerField(allow_null=True)


class VerificationCheckOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    purpose = serializers.CharField()
    kind = serializers.ChoiceField(choices=CheckKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    status = serializers.ChoiceField(choices=CheckStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    run = serializers.IntegerField()
    attempts = serializers.IntegerField(help_text=gettext_lazy("Attempts in the current run."))
    sends = serializers.IntegerField()
    reason_asked = serializers.CharField()
    requested_by = serializers.EmailField(source="requested_by.email", allow_null=True, default=None)
    requested_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    latency_ms = serializers.IntegerField(allow_null=True)
    answer_digest = serializers.CharField()
    answer_fields = serializers.DictField(
        help_text=gettext_lazy(
            "Per fact compared: what was stated, what the record says, whether they match."
        )
    )
    failure_reason = serializers.CharField()
    correlation_id = serializers.UUIDField()
    attempt_rows = VerificationAttemptOutputSerializer(
        many=True, help_text=gettext_lazy("Every query sent for this check over all its runs, oldest first.")
    )


# --- an application's checks: the officer's view or the applicant's -----------------------------
class VerificationApplicantCheckOutputSerializer(serializers.Serializer):
    """What the applicant side sees of a check: never the agency's answer."""

    kind_label = serializers.CharField()
    agency_name = serializers.CharField()
    asked_at = serializers.DateTimeField()
    completed_at = serializers.DateTimeField(allow_null=True)
    outcome = serializers.CharField(help_text="passed | not_passed | pending | could_not_check")
    outcome_label = serializers.CharField()


class VerificationOfficerChecksOutputSerializer(serializers.Serializer):
    view = serializers.SerializerMethodField()
    application = serializers.IntegerField(source="application_id")
    checks = VerificationCheckOutputSerializer(many=True)

    @extend_schema_field({"type": "string", "enum": ["officer"]})
    def get_view(self, obj) -> str:
        return "officer"


class VerificationApplicantChecksOutputSerializer(serializers.Serializer):
    view = serializers.SerializerMethodField()
    application = serializers.IntegerField(source="application_id")
    checks = VerificationApplicantCheckOutputSerializer(many=True)

    @extend_schema_field({"type": "string", "enum": ["applicant"]})
    def get_view(self, obj) -> str:
        return "applicant"


VIEW_SERIALIZERS = {
    "officer": VerificationOfficerChecksOutputSerializer,
    "applicant": VerificationApplicantChecksOutputSerializer,
}


class ApplicationChecksApi(APIView):
    """An application's checks: every check with its attempts for an officer of the case, the
    applicant's view (kind, agency, dates, outcome; no answer) for its applicant side; else 404."""

    @extend_schema(
        operation_id="verification_application_checks",
        responses={
            200: PolymorphicProxySerializer(
                component_name="VerificationApplicationChecksOutput",
                serializers=VIEW_SERIALIZERS,
                resource_type_field_name="view",
            ),
            **ERRORS,
        },
    )
    def get(self, request, pk: int):
        found = selectors.application_checks_for(user=request.user, pk=pk)
        return Response(VIEW_SERIALIZERS[found.view](found).data)


class CheckDetailApi(APIView):
    """One check with its attempts, for administrators and officers who can see its case."""

    @extend_schema(
        operation_id="verification_check", responses={200: VerificationCheckOutputSerializer, **ERRORS}
    )
    def get(self, request, pk: int):
        return Response(VerificationCheckOutputSerializer(selectors.check_get(user=request.user, pk=pk)).data)


class CheckRerunApi(APIView):
    """Ask the agency again: a stuck request is re-sent, a finished check starts a new run.

    202: the check is queued (its status is pending); the answer comes later, read the check.
    400 while the check is being asked right now.
    """

    class VerificationRerunInputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=300, required=False, allow_blank=True, default="")

    @extend_schema(
        operation_id="verification_check_rerun",
        request=VerificationRerunInputSerializer,
        responses={202: VerificationCheckOutputSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        check = selectors.check_get_for_rerun(user=request.user, pk=pk)
        serializer = self.VerificationRerunInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.check_rerun(actor=request.user, check=check, reason=serializer.validated_data["reason"])
        check = selectors.check_get(user=request.user, pk=pk)
        return Response(VerificationCheckOutputSerializer(check).data, status=status.HTTP_202_ACCEPTED)


# --- the monitor ---------------------------------------------------------------------------------
class VerificationAgencyFiguresOutputSerializer(serializers.Serializer):
    agency = serializers.CharField()
    name = serializers.CharField()
    checks_last_hour = serializers.IntegerField()
    success_rate = serializers.FloatField(
        allow_null=True, help_text=gettext_lazy("Answered share of the checks finished in the last hour.")
    )
    latency_p50_ms = serializers.IntegerField(allow_null=True)
    latency_p95_ms = serializers.IntegerField(allow_null=True)
    queue_depth = serializers.IntegerField()
    oldest_pending = serializers.DateTimeField(allow_null=True)
    stuck = serializers.IntegerField()
    failed_last_hour = serializers.IntegerField()


class VerificationAttentionOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    application_reference = serializers.CharField(source="application.reference", allow_null=True)
    kind = serializers.ChoiceField(choices=CheckKind.choices)
    kind_label = serializers.CharField(source="get_kind_display")
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    status = serializers.ChoiceField(choices=CheckStatus.choices)
    status_label = serializers.CharField(source="get_status_display")
    run = serializers.IntegerField()
    attempts = serializers.IntegerField()
    requested_at = serializers.DateTimeField()
    deadline = serializers.DateTimeField()
    failure_reason = serializers.CharField()


class MonitorApi(APIView):
    """Per agency figures (last hour, queue now) and the stuck or failing checks: administrators only."""

    class VerificationMonitorOutputSerializer(serializers.Serializer):
        agencies = VerificationAgencyFiguresOutputSerializer(many=True)
        attention = VerificationAttentionOutputSerializer(many=True)

    @extend_schema(
        operation_id="verification_monitor", responses={200: VerificationMonitorOutputSerializer, **ERRORS}
    )
    def get(self, request):
        # As the monitor page: for anyone else it does not exist.
        if not selectors.may_monitor(request.user):
            raise Http404
        return Response(
            self.VerificationMonitorOutputSerializer(
                {
                    "agencies": selectors.agency_figures(),
                    "attention": list(selectors.checks_needing_attention()),
                }
            ).data
        )


# --- management cases ----------------------------------------------------------------------------
class VerificationFindingOutputSerializer(serializers.Serializer):
    finding = serializers.CharField(help_text="residence | income_tax | employment")
    finding_label = serializers.CharField()
    check = serializers.IntegerField(allow_null=True)
    kind = serializers.CharField()
    kind_label = serializers.CharField()
    agency = serializers.CharField()
    agency_name = serializers.CharField()
    status = serializers.CharField()
    fields = serializers.DictField(
        help_text=gettext_lazy("Per fact: what was stated and what the agency's record says.")
    )
    answer_digest = serializers.CharField()
    completed_at = serializers.DateTimeField(allow_null=True)
    days = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Residence findings: days in China.")
    )
    min_days = serializers.IntegerField(
        allow_null=True, help_text=gettext_lazy("Residence findings: the days the rule asks for.")
    )


def _label(choices, value: str) -> str:
    try:
        return str(choices(value).label)
    except ValueError:
        return value


def _finding(evidence: dict[str, Any]) -> dict[str, Any]:
    """A stored finding (JSON written by the daily-management service) with its labels."""
    kind, agency, finding = evidence.get("kind", ""), evidence.get("agency", ""), evidence.get("finding", "")
    return {
        "finding": finding,
        "finding_label": str(FINDING_LABELS.get(finding, finding)),
        "check": evidence.get("check"),
        "kind": kind,
        "kind_label": _label(CheckKind, kind),
        "agency": agency,
        "agency_name": str(AGENCY_NAMES.get(agency, agency)),
        "status": evidence.get("status", ""),
        "fields": evidence.get("fields") or {},
        "answer_digest": evidence.get("answer_digest", ""),
        "completed_at": evidence.get("completed_at"),
        "days": evidence.get("days"),
        "min_days": evidence.get("min_days"),
    }


class VerificationManagementCaseOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id")
    application_reference = serializers.CharField(source="application.reference", allow_null=True)
    holder_name = serializers.CharField(source="application.applicant.full_name")
    status = serializers.ChoiceField(choices=ManagementCase.Status.choices)
    min_days_per_year = serializers.IntegerField(source="review.min_days_per_year")
    findings = serializers.SerializerMethodField()
    opened_at = serializers.DateTimeField()
    closed_at = serializers.DateTimeField(allow_null=True)
    closed_by = serializers.EmailField(source="closed_by.email", allow_null=True, default=None)
    resolution = serializers.CharField()

    @extend_schema_field(VerificationFindingOutputSerializer(many=True))
    def get_findings(self, case) -> list:
        return VerificationFindingOutputSerializer([_finding(f) for f in case.findings], many=True).data


def _require_management(user) -> None:
    # As the management pages: for anyone else the queue does not exist.
    if not selectors.may_manage(user):
        raise Http404


class ManagementCaseListApi(APIView):
    """Management cases in the officer's area, newest first, by cursor (one query per page)."""

    class VerificationManagementFilterInputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(
            choices=ManagementCase.Status.choices, default=ManagementCase.Status.OPEN
        )
        cursor = serializers.CharField(required=False, max_length=500)
        page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)

    class VerificationManagementPageOutputSerializer(serializers.Serializer):
        results = VerificationManagementCaseOutputSerializer(many=True)
        next = serializers.CharField(allow_null=True)

    @extend_schema(
        operation_id="verification_management_cases_list",
        parameters=[VerificationManagementFilterInputSerializer],
        responses={200: VerificationManagementPageOutputSerializer, **ERRORS},
    )
    def get(self, request):
        _require_management(request.user)
        params = query_params(self.VerificationManagementFilterInputSerializer, request)
        page = keyset_paginate(
            selectors.management_cases_for(user=request.user, status=params["status"]),
            ordering=MANAGEMENT_ORDERING,
            cursor=params.get("cursor"),
            page_size=params["page_size"],
        )
        return Response(self.VerificationManagementPageOutputSerializer(page_envelope(page)).data)


class ManagementCaseDetailApi(APIView):
    @extend_schema(
        operation_id="verification_management_case",
        responses={200: VerificationManagementCaseOutputSerializer, **ERRORS},
    )
    def get(self, request, pk: int):
        case = selectors.management_case_get(user=request.user, pk=pk)
        return Response(VerificationManagementCaseOutputSerializer(case).data)


class ManagementCaseCloseApi(APIView):
    """Close a case, saying what was done; a blank resolution or a closed case is a 400."""

    class VerificationManagementCloseInputSerializer(serializers.Serializer):
        resolution = serializers.CharField(max_length=4000, allow_blank=True)

    @extend_schema(
        operation_id="verification_management_case_close",
        request=VerificationManagementCloseInputSerializer,
        responses={200: VerificationManagementCaseOutputSerializer, **ERRORS},
    )
    def post(self, request, pk: int):
        case = selectors.management_case_get(user=request.user, pk=pk)
        serializer = self.VerificationManagementCloseInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.management_case_close(
            actor=request.user, case=case, resolution=serializer.validated_data["resolution"]
        )
        case = selectors.management_case_get(user=request.user, pk=pk)
        return Response(VerificationManagementCaseOutputSerializer(case).data)
