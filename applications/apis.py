"""REST API of the applications app: applicant journey, officer queues and actions.

Thin views: validate input, call a selector or a service, serialize. Someone else's record is a
404; a forbidden action a 403; a stale or impossible transition a 409 (TransitionConflict).
"""

from __future__ import annotations

import datetime as dt
from typing import Any

from django.core.exceptions import PermissionDenied, ValidationError
from django.http import FileResponse, Http404
from django.utils import timezone
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import serializers, status
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.permissions import BasePermission, IsAuthenticated
from rest_framework.response import Response
from rest_framework.views import APIView

from residence.accounts.models import User, is_officer
from residence.core.api import ErrorSerializer, OptionalBooleanField, PageInputSerializer, query_params
from residence.core.pagination import keyset_paginate, page_envelope
from residence.mfa.guards import require_recent_second_factor
from residence.regions import PROVINCES

from . import selectors, services, uploads
from .access import is_supervisor, may_see_workload
from .actions import OFFICER_ACTIONS
from .channels import facts_fields
from .countries import COUNTRY_CHOICES
from .models import FAR_FUTURE, ApplicantProfile, Application, Channel, Dependant, Sex, Stage, Status

ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}
ACTION_ERRORS = {**ERRORS, 409: ErrorSerializer}


def _page_params(request) -> dict:
    return query_params(PageInputSerializer, request)


class IsOfficer(BasePermission):
    message = "Only officers may do this."

    def has_permission(self, request, view) -> bool:
        return is_officer(request.user)


class MaySeeWorkload(BasePermission):
    message = "Only reviewers, approvers and management officers may see the workload."

    def has_permission(self, request, view) -> bool:
        return may_see_workload(request.user)


def _deadline(value: dt.datetime | None) -> str | None:
    return None if value is None or value == FAR_FUTURE else value.isoformat()


def _int_or_404(value: Any) -> int:
    try:
        number = int(value)
    except (TypeError, ValueError):
        raise Http404 from None
    if not (0 < number < 2**31):
        raise Http404
    return number


# --- ping (HTTP floor of the queue benchmark) ------------------------------------------------------
class PingApi(APIView):
    """A constant small answer through the same authentication and officer check as the queue."""

    permission_classes = [IsAuthenticated, IsOfficer]

    class PingOutputSerializer(serializers.Serializer):
        ok = serializers.BooleanField()

    @extend_schema(responses={200: PingOutputSerializer, 401: ErrorSerializer, 403: ErrorSerializer})
    def get(self, request):
        return Response({"ok": True})


# --- profiles ----------------------------------------------------------------------------------
class ProfileOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = ApplicantProfile
        fields = ["id", *services.PROFILE_FIELDS, "created_at"]


PROVINCE_BY_PREFIX = {p.gb_prefix: p.code for p in PROVINCES}
CITY_CODE_PATTERN = r"^(" + "|".join(p.gb_prefix for p in PROVINCES) + r")[0-9]{2}00$"


def _with_province(data: dict) -> dict:
    if "city_code" in data:
        data["province"] = PROVINCE_BY_PREFIX[data["city_code"][:2]]
    return data


class ProfileInputSerializer(serializers.Serializer):
    family_name = serializers.CharField(max_length=100)
    given_names = serializers.CharField(max_length=150, required=False, allow_blank=True, default="")
    chinese_name = serializers.CharField(max_length=50, required=False, allow_blank=True, default="")
    sex = serializers.ChoiceField(choices=Sex.choices)
    birth_date = serializers.DateField()
    nationality = serializers.ChoiceField(choices=COUNTRY_CHOICES)
    passport_number = serializers.RegexField(r"^[A-Z0-9]{6,12}$", max_length=12)
    passport_expiry = serializers.DateField()
    email = serializers.EmailField()
    phone = serializers.RegexField(
        r"^\+?[0-9][0-9 \-]{5,19}$", max_length=20, required=False, allow_blank=True, default=""
    )
    address = serializers.CharField(max_length=300)
    # The province follows from the city's code (its first two digits), so it is not asked for.
    city_code = serializers.RegexField(
        CITY_CODE_PATTERN, max_length=6, help_text="GB/T 2260 code of the city, e.g. 440100"
    )
    residence_permit_type = serializers.ChoiceField(
        choices=ApplicantProfile._meta.get_field("residence_permit_type").choices,
        required=False,
        default="none",
    )
    residence_permit_number = serializers.CharField(
        max_length=30, required=False, allow_blank=True, default=""
    )
    owner = serializers.IntegerField(
        required=False, help_text="Intermediaries: the id of the client who owns the profile."
    )


class ProfileListApi(APIView):
    @extend_schema(responses={200: ProfileOutputSerializer(many=True), **ERRORS})
    def get(self, request):
        # A person manages a handful of profiles: no pagination needed.
        profiles = selectors.profiles_for_user(user=request.user).order_by("id")[:500]
        return Response(ProfileOutputSerializer(profiles, many=True).data)

    @extend_schema(request=ProfileInputSerializer, responses={201: ProfileOutputSerializer, **ERRORS})
    def post(self, request):
        serializer = ProfileInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _with_province(dict(serializer.validated_data))
        owner_id = data.pop("owner", None)
        owner = None
        if owner_id is not None and owner_id != request.user.pk:
            owner = selectors.clients_of(intermediary=request.user).filter(pk=owner_id).first()
            if owner is None:
                raise Http404
        profile = services.profile_create(actor=request.user, owner=owner, **data)
        return Response(ProfileOutputSerializer(profile).data, status=status.HTTP_201_CREATED)


class ProfileDetailApi(APIView):
    @extend_schema(responses={200: ProfileOutputSerializer, **ERRORS})
    def get(self, request, pk: int):
        return Response(
            ProfileOutputSerializer(selectors.profile_get(user=request.user, pk=_int_or_404(pk))).data
        )

    @extend_schema(
        request=ProfileInputSerializer(partial=True),
        responses={200: ProfileOutputSerializer, **ACTION_ERRORS},
    )
    def patch(self, request, pk: int):
        profile = selectors.profile_get(user=request.user, pk=_int_or_404(pk))
        serializer = ProfileInputSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        data = _with_province(dict(serializer.validated_data))
        data.pop("owner", None)
        profile = services.profile_update(actor=request.user, profile=profile, **data)
        return Response(ProfileOutputSerializer(profile).data)


# --- applications ------------------------------------------------------------------------------
class ApplicationSummaryOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    stage = serializers.ChoiceField(choices=Stage.choices)
    applicant = serializers.IntegerField(source="applicant_id")
    applicant_name = serializers.CharField(source="applicant.full_name")
    green_channel = serializers.BooleanField()
    stage_deadline = serializers.SerializerMethodField()
    overdue = serializers.BooleanField(source="is_overdue")
    office = serializers.CharField(source="office.code", allow_null=True, default=None)
    created_at = serializers.DateTimeField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    decided_at = serializers.DateTimeField(allow_null=True)

    def get_stage_deadline(self, obj) -> str | None:
        return _deadline(obj.stage_deadline)


class DependantOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    profile = serializers.IntegerField(source="profile_id")
    name = serializers.CharField(source="profile.full_name")
    relationship = serializers.ChoiceField(choices=Dependant.Relationship.choices)
    decision = serializers.ChoiceField(choices=Dependant.Decision.choices)


class ApplicationDetailOutputSerializer(ApplicationSummaryOutputSerializer):
    profile = ProfileOutputSerializer(source="applicant")
    facts = serializers.SerializerMethodField()
    years_in_china = serializers.SerializerMethodField()
    applicant_statement = serializers.CharField()
    dependants = DependantOutputSerializer(many=True)
    eligibility = serializers.JSONField(source="eligibility_snapshot", allow_null=True)
    policy_version = serializers.IntegerField(source="policy_version_id", allow_null=True)
    claimed_by = serializers.IntegerField(source="claimed_by_id", allow_null=True)
    claimed_until = serializers.DateTimeField(allow_null=True)
    recommendation_reason = serializers.CharField()
    decision_reason = serializers.CharField()
    available_actions = serializers.SerializerMethodField()

    def get_facts(self, obj) -> dict[str, Any]:
        facts = obj.facts
        if facts is None:
            return {}
        out = {}
        for name in facts_fields(obj.channel):
            value = getattr(facts, name)
            out[name] = (
                value.isoformat()
                if isinstance(value, dt.date)
                else (str(value) if hasattr(value, "as_tuple") else value)
            )
        # The facts the policy version defines beyond the columns, as stored (already JSON).
        for name, value in (facts.extra_facts or {}).items():
            out.setdefault(name, value)
        return out

    def get_years_in_china(self, obj) -> list[dict[str, int]]:
        return [{"year": y.year, "days": y.days} for y in obj.years_in_china.all()]

    def get_available_actions(self, obj) -> list[str]:
        return selectors.available_actions(user=self.context["request"].user, application=obj)


class YearInChinaInputSerializer(serializers.Serializer):
    year = serializers.IntegerField(min_value=1950, max_value=2100)
    days = serializers.IntegerField(min_value=0, max_value=366)


class ApplicationCreateInputSerializer(serializers.Serializer):
    profile = serializers.IntegerField(min_value=1, max_value=2**31 - 1)
    channel = serializers.ChoiceField(choices=Channel.choices)


class ApplicationUpdateInputSerializer(serializers.Serializer):
    facts = serializers.DictField(
        child=serializers.JSONField(),
        required=False,
        help_text=(
            "Channel facts by field name (see the channel's model), and the facts the policy "
            "version defines for the channel beyond them (a list of integers for a list fact)."
        ),
    )
    years_in_china = YearInChinaInputSerializer(many=True, required=False)
    applicant_statement = serializers.CharField(max_length=4000, required=False, allow_blank=True)

    def validate_facts(self, value: dict) -> dict:
        # A list is a policy fact's list of integers; the service refuses one for a typed field.
        bad = [name for name, v in value.items() if isinstance(v, dict)]
        if bad:
            raise serializers.ValidationError({name: ["A single value is expected."] for name in bad})
        return value


def _detail(request, application: Application) -> dict:
    application = selectors.application_get(user=request.user, pk=application.pk)
    return ApplicationDetailOutputSerializer(application, context={"request": request}).data


class ApplicationListApi(APIView):
    @extend_schema(
        operation_id="applications_list",
        parameters=[PageInputSerializer],
        responses={
            200: inline_serializer(
                "ApplicationListPageOutputSerializer",
                {
                    "results": ApplicationSummaryOutputSerializer(many=True),
                    "next": serializers.CharField(allow_null=True),
                },
            ),
            **ERRORS,
        },
    )
    def get(self, request):

        paging = _page_params(request)
        page = keyset_paginate(
            selectors.applications_for_applicant(user=request.user),
            ordering=("-id",),
            cursor=paging.get("cursor"),
            page_size=paging["page_size"],
        )
        return Response(page_envelope(page, ApplicationSummaryOutputSerializer(page.items, many=True).data))

    @extend_schema(
        request=ApplicationCreateInputSerializer, responses={201: ApplicationDetailOutputSerializer, **ERRORS}
    )
    def post(self, request):
        serializer = ApplicationCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        profile = selectors.profile_get(user=request.user, pk=serializer.validated_data["profile"])
        application = services.application_create(
            actor=request.user, profile=profile, channel=serializer.validated_data["channel"]
        )
        return Response(_detail(request, application), status=status.HTTP_201_CREATED)


class ApplicationDetailApi(APIView):
    @extend_schema(responses={200: ApplicationDetailOutputSerializer, **ERRORS})
    def get(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        return Response(ApplicationDetailOutputSerializer(application, context={"request": request}).data)

    @extend_schema(
        request=ApplicationUpdateInputSerializer,
        responses={200: ApplicationDetailOutputSerializer, **ACTION_ERRORS},
    )
    def patch(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        serializer = ApplicationUpdateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        years = data.get("years_in_china")
        services.application_update(
            actor=request.user,
            application=application,
            facts=data.get("facts"),
            years_in_china=[(y["year"], y["days"]) for y in years] if years is not None else None,
            applicant_statement=data.get("applicant_statement"),
        )
        return Response(_detail(request, application))


class ApplicationSubmitApi(APIView):
    class ApplicationSubmitInputSerializer(serializers.Serializer):
        declaration = serializers.BooleanField(
            help_text="The applicant declares the information true and complete."
        )
        applicant_statement = serializers.CharField(
            required=False,
            allow_blank=True,
            max_length=4000,
            help_text="The applicant's own statement, saved with the submission (kept as it is when absent).",
        )

    @extend_schema(
        request=ApplicationSubmitInputSerializer,
        responses={200: ApplicationDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        serializer = self.ApplicationSubmitInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The same service as the review page: the statement and the submission, or neither.
        services.application_submit_with_statement(
            actor=request.user,
            application=application,
            declaration=serializer.validated_data["declaration"],
            applicant_statement=serializer.validated_data.get("applicant_statement"),
        )
        return Response(_detail(request, application))


class ReasonInputSerializer(serializers.Serializer):
    reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")


class ApplicationWithdrawApi(APIView):
    @extend_schema(
        request=ReasonInputSerializer, responses={200: ApplicationDetailOutputSerializer, **ACTION_ERRORS}
    )
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        serializer = ReasonInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        services.application_withdraw(
            actor=request.user, application=application, reason=serializer.validated_data["reason"]
        )
        return Response(_detail(request, application))


class EvidenceAnswerApi(APIView):
    parser_classes = [JSONParser, MultiPartParser, FormParser]

    class EvidenceAnswerInputSerializer(serializers.Serializer):
        answer = serializers.CharField(max_length=4000)
        file = serializers.FileField(
            required=False, help_text='A document sent with the answer (multipart), filed as "other".'
        )

    @extend_schema(
        request={
            "application/json": EvidenceAnswerInputSerializer,
            "multipart/form-data": EvidenceAnswerInputSerializer,
        },
        responses={200: ApplicationDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        serializer = self.EvidenceAnswerInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # The same service as the evidence page: the file and the answer, or neither.
        services.application_answer_evidence_with_file(
            actor=request.user,
            application=application,
            answer=serializer.validated_data["answer"],
            file=serializer.validated_data.get("file"),
        )
        return Response(_detail(request, application))


class TimelineApi(APIView):
    class TimelineEntryOutputSerializer(serializers.Serializer):
        from_status = serializers.ChoiceField(choices=Status.choices)
        to_status = serializers.ChoiceField(choices=Status.choices)
        actor = serializers.SerializerMethodField()
        reason = serializers.CharField()
        at = serializers.DateTimeField()

        def get_actor(self, obj) -> str | None:
            # Applicants see that an officer acted, not who.
            if obj.actor_id is None:
                return None
            return (
                str(obj.actor)
                if self.context.get("officer")
                else "officer"
                if obj.actor.is_officer
                else str(obj.actor)
            )

    @extend_schema(responses={200: TimelineEntryOutputSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        entries = selectors.application_timeline(application=application)
        return Response(
            self.TimelineEntryOutputSerializer(
                entries, many=True, context={"officer": is_officer(request.user)}
            ).data
        )


# --- documents ---------------------------------------------------------------------------------
# --- dependants ----------------------------------------------------------------------------------
class DependantInputSerializer(ProfileInputSerializer):
    """A spouse or child: their own profile (owned by whoever owns the principal's) and the relationship."""

    owner = None  # the family member's profile belongs to the principal's owner, not chosen here
    relationship = serializers.ChoiceField(choices=Dependant.Relationship.choices)
    unmarried = serializers.BooleanField(required=False, default=True)


class DependantListApi(APIView):
    """The family members of one's own application; anyone else's (officers' too) is a 404."""

    @extend_schema(responses={200: DependantOutputSerializer(many=True), **ERRORS})
    def get(self, request, pk: int):
        application = selectors.own_application_get(user=request.user, pk=_int_or_404(pk))
        dependants = selectors.application_dependants(application=application)
        return Response(DependantOutputSerializer(dependants, many=True).data)

    @extend_schema(
        request=DependantInputSerializer, responses={201: DependantOutputSerializer, **ACTION_ERRORS}
    )
    def post(self, request, pk: int):
        application = selectors.own_application_get(user=request.user, pk=_int_or_404(pk))
        serializer = DependantInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _with_province(dict(serializer.validated_data))
        # The same service as the dependants step: the profile and the place in the application, or neither.
        dependant = services.dependant_add_with_profile(
            actor=request.user,
            application=application,
            relationship=data.pop("relationship"),
            unmarried=data.pop("unmarried"),
            **data,
        )
        return Response(DependantOutputSerializer(dependant).data, status=status.HTTP_201_CREATED)


class DependantDetailApi(APIView):
    @extend_schema(request=None, responses={204: None, **ACTION_ERRORS})
    def delete(self, request, pk: int, dependant_pk: int):
        application = selectors.own_application_get(user=request.user, pk=_int_or_404(pk))
        dependant = (
            selectors.application_dependants(application=application)
            .filter(pk=_int_or_404(dependant_pk))
            .first()
        )
        if dependant is None:
            raise Http404
        services.dependant_remove(actor=request.user, dependant=dependant)
        return Response(status=status.HTTP_204_NO_CONTENT)


class DocumentOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    document_type = serializers.CharField()
    dependant = serializers.IntegerField(source="dependant_id", allow_null=True)
    original_name = serializers.CharField()
    content_type = serializers.CharField()
    size = serializers.IntegerField()
    sha256 = serializers.CharField()
    version = serializers.IntegerField()
    superseded = serializers.BooleanField()
    uploaded_at = serializers.DateTimeField()


class DocumentListInputSerializer(serializers.Serializer):
    all_versions = serializers.BooleanField(required=False, default=False)


class DocumentListApi(APIView):
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    class DocumentUploadInputSerializer(serializers.Serializer):
        document_type = serializers.CharField(max_length=60)
        file = serializers.FileField()
        dependant = serializers.IntegerField(required=False, min_value=1, max_value=2**31 - 1)

    @extend_schema(
        parameters=[DocumentListInputSerializer],
        responses={200: DocumentOutputSerializer(many=True), **ERRORS},
    )
    def get(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        include = query_params(DocumentListInputSerializer, request)["all_versions"]
        documents = selectors.application_documents(application=application, include_superseded=include)[:500]
        return Response(DocumentOutputSerializer(documents, many=True).data)

    @extend_schema(
        request={"multipart/form-data": DocumentUploadInputSerializer},
        responses={201: DocumentOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        serializer = self.DocumentUploadInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        dependant = None
        if data.get("dependant"):
            dependant = application.dependants.filter(pk=data["dependant"]).first()
            if dependant is None:
                raise Http404
        document = services.document_upload(
            actor=request.user,
            application=application,
            document_type=data["document_type"],
            file=data["file"],
            dependant=dependant,
        )
        return Response(DocumentOutputSerializer(document).data, status=status.HTTP_201_CREATED)


class DocumentDownloadApi(APIView):
    @extend_schema(responses={(200, "application/octet-stream"): OpenApiTypes.BINARY, **ERRORS})
    def get(self, request, pk: int):
        document = selectors.document_get(user=request.user, pk=_int_or_404(pk))
        response = FileResponse(document.file.open("rb"), content_type=document.content_type)
        return uploads.serve_document(response, document, inline=False)


# --- inbox -------------------------------------------------------------------------------------
class NotificationOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    application = serializers.IntegerField(source="application_id", allow_null=True)
    status = serializers.ChoiceField(choices=Status.choices)
    message = serializers.CharField()
    reason = serializers.CharField()
    created_at = serializers.DateTimeField()
    read_at = serializers.DateTimeField(allow_null=True)


class NotificationListApi(APIView):
    @extend_schema(
        parameters=[PageInputSerializer],
        responses={
            200: inline_serializer(
                "NotificationPageOutputSerializer",
                {
                    "results": NotificationOutputSerializer(many=True),
                    "next": serializers.CharField(allow_null=True),
                },
            ),
            **ERRORS,
        },
    )
    def get(self, request):

        paging = _page_params(request)
        page = keyset_paginate(
            selectors.notifications_for(user=request.user),
            ordering=("-created_at", "-id"),
            cursor=paging.get("cursor"),
            page_size=paging["page_size"],
        )
        return Response(page_envelope(page, NotificationOutputSerializer(page.items, many=True).data))


class NotificationReadApi(APIView):
    @extend_schema(request=None, responses={200: NotificationOutputSerializer, **ERRORS})
    def post(self, request, pk: int):
        notification = selectors.notifications_for(user=request.user).filter(pk=_int_or_404(pk)).first()
        if notification is None:
            raise Http404
        notification = services.notification_mark_read(actor=request.user, notification=notification)
        return Response(NotificationOutputSerializer(notification).data)


# --- officer -----------------------------------------------------------------------------------


class QueueRowOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    reference = serializers.CharField(allow_null=True)
    channel = serializers.ChoiceField(choices=Channel.choices)
    status = serializers.ChoiceField(choices=Status.choices)
    green_channel = serializers.BooleanField()
    stage_deadline = serializers.DateTimeField(allow_null=True)
    overdue = serializers.BooleanField()
    submitted_at = serializers.DateTimeField(allow_null=True)
    nationality = serializers.CharField()
    province = serializers.CharField()
    applicant_name = serializers.CharField()
    claimed_by = serializers.IntegerField(allow_null=True)


class QueueApi(APIView):
    """The officer's queue for a stage, in queue order, by keyset: one query per page whatever its size."""

    permission_classes = [IsAuthenticated, IsOfficer]

    class QueueFilterInputSerializer(serializers.Serializer):
        stage = serializers.ChoiceField(
            choices=[s.value for s in selectors.QUEUE_STAGES], default=Stage.INTAKE
        )
        channel = serializers.ChoiceField(choices=Channel.choices, required=False)
        nationality = serializers.CharField(max_length=3, required=False)
        province = serializers.CharField(max_length=8, required=False)
        claimed_by = serializers.IntegerField(
            required=False, min_value=0, max_value=2**31 - 1, help_text="0: not held"
        )
        overdue = OptionalBooleanField(required=False)
        cursor = serializers.CharField(required=False, max_length=500)
        page_size = serializers.IntegerField(required=False, min_value=1, max_value=200, default=50)

    @extend_schema(
        parameters=[QueueFilterInputSerializer],
        responses={
            200: inline_serializer(
                "QueuePageOutputSerializer",
                {
                    "results": QueueRowOutputSerializer(many=True),
                    "next": serializers.CharField(allow_null=True),
                },
            ),
            **ERRORS,
        },
    )
    def get(self, request):
        data = query_params(self.QueueFilterInputSerializer, request)
        filters = selectors.QueueFilters(
            channel=data.get("channel"),
            nationality=data.get("nationality"),
            province=data.get("province"),
            claimed_by=data.get("claimed_by"),
            overdue=data.get("overdue"),
        )
        page = selectors.officer_queue_page(
            officer=request.user,
            stage=data["stage"],
            filters=filters,
            cursor=data.get("cursor"),
            page_size=data["page_size"],
        )
        now = timezone.now()
        # Plain dicts, no serializer per row: this list is the hot path of every officer's day.
        results = [
            {
                "id": row.id,
                "reference": row.reference,
                "channel": row.channel,
                "status": row.status,
                "green_channel": row.green_channel,
                "stage_deadline": None
                if row.stage_deadline == FAR_FUTURE
                else row.stage_deadline.isoformat(),
                "overdue": row.stage_deadline != FAR_FUTURE and row.stage_deadline < now,
                "submitted_at": row.submitted_at.isoformat() if row.submitted_at else None,
                "nationality": row.nationality,
                "province": row.province,
                "applicant_name": row.applicant_name,
                "claimed_by": row.claimed_by_id if row.is_held else None,
            }
            for row in page.items
        ]
        return Response(page_envelope(page, results))


class QueueCountsApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficer]

    @extend_schema(
        responses={
            200: inline_serializer(
                "QueueCountsOutputSerializer",
                {s.value: serializers.IntegerField() for s in selectors.QUEUE_STAGES},
            ),
            **ERRORS,
        }
    )
    def get(self, request):
        return Response(selectors.stage_counts(officer=request.user))


class OfficerActionApi(APIView):
    """The officer actions of the registry (applications.actions): accept, return, request_evidence,
    recommend_approval, recommend_refusal, approve, refuse."""

    class OfficerActionInputSerializer(serializers.Serializer):
        reason = serializers.CharField(max_length=4000, required=False, allow_blank=True, default="")
        dependant_decisions = serializers.DictField(
            child=serializers.ChoiceField(choices=["approved", "refused"]),
            required=False,
            help_text="approve only: dependant id -> approved | refused (default approved).",
        )
        criteria = serializers.ListField(
            child=serializers.CharField(max_length=100),
            required=False,
            default=list,
            help_text="return, recommend and decide: ids of the eligibility criteria relied on (R6); "
            "a refusal cites at least one not met, or a ground.",
        )
        grounds = serializers.ListField(
            child=serializers.CharField(max_length=100),
            required=False,
            default=list,
            help_text="recommend_refusal and refuse: listed grounds for refusal.",
        )

    @extend_schema(
        parameters=[OpenApiParameter("action", str, OpenApiParameter.PATH, enum=list(OFFICER_ACTIONS))],
        request=OfficerActionInputSerializer,
        responses={200: ApplicationDetailOutputSerializer, **ACTION_ERRORS},
    )
    def post(self, request, pk: int, action: str):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        officer_action = OFFICER_ACTIONS.get(action)
        if officer_action is None:
            raise Http404
        if not is_officer(request.user):
            raise PermissionDenied("Only officers may do this.")
        if officer_action.needs_reauthentication:
            require_recent_second_factor(request)
        serializer = self.OfficerActionInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        dependant_decisions = None
        if officer_action.takes_dependant_decisions:
            decisions = serializer.validated_data.get("dependant_decisions") or {}
            try:
                dependant_decisions = {int(k): v for k, v in decisions.items()}
            except ValueError:
                raise ValidationError({"dependant_decisions": ["Keys are dependant ids."]}) from None
        # The registry passes on only what this action takes (criteria, grounds, dependants' decisions).
        officer_action.run(
            actor=request.user,
            application=application,
            reason=serializer.validated_data["reason"],
            criteria=serializer.validated_data["criteria"],
            grounds=serializer.validated_data["grounds"],
            dependant_decisions=dependant_decisions,
        )
        return Response(_detail(request, application))


class ClaimApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficer]

    @extend_schema(request=None, responses={200: ApplicationDetailOutputSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        services.application_claim(actor=request.user, application=application)
        return Response(_detail(request, application))


class ReleaseApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficer]

    @extend_schema(request=None, responses={200: ApplicationDetailOutputSerializer, **ACTION_ERRORS})
    def post(self, request, pk: int):
        application = selectors.application_get(user=request.user, pk=_int_or_404(pk))
        services.application_release(actor=request.user, application=application)
        return Response(_detail(request, application))


class AssignApi(APIView):
    permission_classes = [IsAuthenticated, IsOfficer]

    class AssignInputSerializer(serializers.Serializer):
        application_ids = serializers.ListField(
            child=serializers.IntegerField(min_value=1, max_value=2**31 - 1), min_length=1, max_length=200
        )
        officer = serializers.IntegerField(min_value=1, max_value=2**31 - 1)

    class AssignOutputSerializer(serializers.Serializer):
        assigned = serializers.ListField(child=serializers.IntegerField())
        officer = serializers.IntegerField()
        claimed_until = serializers.DateTimeField(allow_null=True)

    @extend_schema(request=AssignInputSerializer, responses={200: AssignOutputSerializer, **ACTION_ERRORS})
    def post(self, request):
        if not is_supervisor(request.user):
            raise PermissionDenied("Only supervisors may assign cases.")
        serializer = self.AssignInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        officer = User.objects.filter(pk=data["officer"], is_active=True).first()
        if officer is None or not is_officer(officer):
            raise ValidationError({"officer": ["No such officer."]})
        visible = set(
            selectors.applications_visible_to(user=request.user)
            .filter(pk__in=data["application_ids"])
            .values_list("pk", flat=True)
        )
        if visible != set(data["application_ids"]):
            raise Http404
        assigned = services.applications_assign(
            actor=request.user, application_ids=sorted(visible), officer=officer
        )
        return Response(
            {
                "assigned": [a.pk for a in assigned],
                "officer": officer.pk,
                "claimed_until": assigned[0].claimed_until if assigned else None,
            }
        )


class WorkloadApi(APIView):
    class WorkloadInputSerializer(serializers.Serializer):
        weeks = serializers.IntegerField(required=False, min_value=1, max_value=104, default=8)

    permission_classes = [IsAuthenticated, MaySeeWorkload]

    @extend_schema(
        parameters=[WorkloadInputSerializer],
        responses={
            200: inline_serializer(
                "WorkloadOutputSerializer",
                {
                    "per_officer": inline_serializer(
                        "WorkloadOfficerRowOutputSerializer",
                        {
                            "week": serializers.DateField(),
                            "officer": serializers.CharField(),
                            "count": serializers.IntegerField(),
                        },
                        many=True,
                    ),
                    "per_queue": inline_serializer(
                        "WorkloadQueueRowOutputSerializer",
                        {
                            "week": serializers.DateField(),
                            "stage": serializers.CharField(),
                            "count": serializers.IntegerField(),
                        },
                        many=True,
                    ),
                    "median_days_per_stage": serializers.DictField(child=serializers.FloatField()),
                    "week_start": serializers.DateTimeField(),
                    "queues": inline_serializer(
                        "WorkloadLoadQueueOutputSerializer",
                        {
                            "queue": serializers.CharField(),
                            "open": serializers.IntegerField(),
                            "claimed": serializers.IntegerField(allow_null=True),
                            "overdue": serializers.IntegerField(allow_null=True),
                            "decided_week": serializers.IntegerField(),
                            "median_days": serializers.FloatField(allow_null=True),
                        },
                        many=True,
                    ),
                    "officers": inline_serializer(
                        "WorkloadLoadOfficerOutputSerializer",
                        {
                            "id": serializers.IntegerField(),
                            "officer": serializers.CharField(),
                            "office": serializers.CharField(allow_null=True),
                            "open": serializers.IntegerField(),
                            "claimed": serializers.IntegerField(),
                            "overdue": serializers.IntegerField(),
                            "decided_week": serializers.IntegerField(),
                            "median_days": serializers.FloatField(allow_null=True),
                        },
                        many=True,
                    ),
                },
            ),
            **ERRORS,
        },
    )
    def get(self, request):
        weeks = query_params(self.WorkloadInputSerializer, request)["weeks"]
        data = selectors.workload(officer=request.user, weeks=weeks)
        # Open, held and overdue now; decided this week; medians over the same weeks (R24).
        overview = selectors.workload_overview(officer=request.user, weeks=weeks)
        data["week_start"] = overview["week_start"]
        data["queues"] = overview["queues"]
        data["officers"] = [
            {
                "id": row["officer"].pk,
                "officer": str(row["officer"]),
                "office": str(row["officer"].office) if row["officer"].office else None,
            }
            | {key: row[key] for key in ("open", "claimed", "overdue", "decided_week", "median_days")}
            for row in overview["officers"]
        ]
        return Response(data)
