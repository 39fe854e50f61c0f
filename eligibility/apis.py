"""REST API: policy versions, talent programs, family quotas, bans and the public self-check."""

from __future__ import annotations

from django.core.exceptions import ValidationError
from django.utils import timezone
from django.utils.translation import get_language
from drf_spectacular.utils import OpenApiParameter, OpenApiResponse, extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import PermissionDenied
from rest_framework.parsers import JSONParser
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView as BaseAPIView

from residence.accounts.models import Agency, Role, is_officer
from residence.core.api import ErrorSerializer, ValidationErrorSerializer
from residence.core.pagination import keyset_paginate, page_envelope

from . import selectors, services
from .documents import dump_policy_text, parse_policy_text, policy_errors
from .engine import CHANNELS
from .models import Ban, PolicyVersion, TalentProgram, localized

E400 = OpenApiResponse(ValidationErrorSerializer, description="Invalid input")
E403 = OpenApiResponse(ErrorSerializer, description="Not allowed")
E404 = OpenApiResponse(ErrorSerializer, description="Not found")
CURSOR = [
    OpenApiParameter("cursor", str, description="Cursor from the previous page's `next`"),
]
BAN_ROLES = services.BAN_ROLES


class APIView(BaseAPIView):
    """JSON in, JSON out: one documented content type for every eligibility endpoint."""

    parser_classes = [JSONParser]


def _lang() -> str:
    return "zh" if (get_language() or "en").startswith("zh") else "en"


def _require_admin(request) -> None:
    if not selectors.is_policy_admin(request.user):
        raise PermissionDenied("Only policy administrators may do this.")


def _page(queryset, request, ordering, serializer_class):
    page = keyset_paginate(
        queryset, ordering=ordering, cursor=request.query_params.get("cursor"), page_size=50
    )
    return Response(page_envelope(page, serializer_class(page.items, many=True).data))


class PolicyErrorItemSerializer(serializers.Serializer):
    path = serializers.CharField()
    code = serializers.CharField()
    message = serializers.DictField(child=serializers.CharField())


class PolicyVersionSummarySerializer(serializers.ModelSerializer):
    class Meta:
        model = PolicyVersion
        fields = ["id", "label", "status", "effective_from", "effective_to", "published_at", "legal_basis"]


class PolicyVersionDetailOutputSerializer(serializers.ModelSerializer):
    document = serializers.JSONField()

    class Meta:
        model = PolicyVersion
        fields = [
            "id",
            "label",
            "status",
            "effective_from",
            "effective_to",
            "published_at",
            "legal_basis",
            "notes",
            "based_on",
            "revision",
            "document",
        ]


class PolicyVersionListApi(APIView):
    class PolicyVersionListOutputSerializer(serializers.Serializer):
        results = PolicyVersionSummarySerializer(many=True)
        next = serializers.CharField(allow_null=True)

    @extend_schema(
        summary="Policy versions (drafts only for policy administrators)",
        operation_id="eligibility_policy_versions_list",
        parameters=CURSOR,
        responses={200: PolicyVersionListOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def get(self, request):
        versions = selectors.policy_version_list(user=request.user)
        return _page(versions, request, ["-created_at", "-id"], PolicyVersionSummarySerializer)


class PolicyVersionDetailApi(APIView):
    @extend_schema(
        summary="One policy version with its document",
        responses={200: PolicyVersionDetailOutputSerializer, 403: E403, 404: E404},
    )
    def get(self, request, pk: str):
        version = selectors.policy_version_get(user=request.user, pk=pk)
        return Response(PolicyVersionDetailOutputSerializer(version).data)


class PolicyVersionExportApi(APIView):
    class PolicyVersionExportOutputSerializer(serializers.Serializer):
        label = serializers.CharField()
        file_format = serializers.ChoiceField(choices=["yaml", "json"])
        content = serializers.CharField()

    @extend_schema(
        summary="A policy version as a YAML or JSON file",
        parameters=[
            OpenApiParameter("file_format", str, enum=["yaml", "json"], description="yaml (default) or json")
        ],
        responses={200: PolicyVersionExportOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def get(self, request, pk: str):
        version = selectors.policy_version_get(user=request.user, pk=pk)
        fmt = request.query_params.get("file_format", "yaml")
        if fmt not in ("yaml", "json"):
            raise ValidationError({"file_format": ["Choose yaml or json."]})
        return Response(
            {
                "label": version.label,
                "file_format": fmt,
                "content": dump_policy_text(version.document, fmt=fmt),
            }
        )


class PolicyVersionImportApi(APIView):
    class PolicyVersionImportInputSerializer(serializers.Serializer):
        file_format = serializers.ChoiceField(choices=["yaml", "json"])
        content = serializers.CharField(max_length=2 * 1024 * 1024, trim_whitespace=False)

    @extend_schema(
        summary="Import a YAML or JSON policy file as a new draft (policy administrators)",
        request=PolicyVersionImportInputSerializer,
        responses={201: PolicyVersionDetailOutputSerializer, 400: E400, 403: E403},
    )
    def post(self, request):
        _require_admin(request)
        data = self.PolicyVersionImportInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.policy_import(
            actor=request.user,
            text=data.validated_data["content"],
            fmt=data.validated_data["file_format"],
            lang=_lang(),
        )
        return Response(PolicyVersionDetailOutputSerializer(draft).data, status=status.HTTP_201_CREATED)


class PolicyDraftCreateApi(APIView):
    class PolicyDraftCreateInputSerializer(serializers.Serializer):
        based_on = serializers.IntegerField(required=False, min_value=1)
        label = serializers.CharField(required=False, allow_blank=True, max_length=60)

    @extend_schema(
        summary="New draft, a copy of a version (the one in force by default)",
        request=PolicyDraftCreateInputSerializer,
        responses={201: PolicyVersionDetailOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def post(self, request):
        _require_admin(request)
        data = self.PolicyDraftCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        based_on = None
        if data.validated_data.get("based_on"):
            based_on = selectors.policy_version_get(user=request.user, pk=data.validated_data["based_on"])
        draft = services.policy_draft_create(
            actor=request.user, based_on=based_on, label=data.validated_data.get("label", "")
        )
        return Response(PolicyVersionDetailOutputSerializer(draft).data, status=status.HTTP_201_CREATED)


class PolicyDraftDocumentApi(APIView):
    class PolicyDraftDocumentInputSerializer(serializers.Serializer):
        document = serializers.JSONField()
        notes = serializers.CharField(required=False, allow_blank=True, max_length=5000)

    @extend_schema(
        summary="Replace a draft's document (it must validate)",
        request=PolicyDraftDocumentInputSerializer,
        responses={200: PolicyVersionDetailOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def put(self, request, pk: str):
        _require_admin(request)
        draft = selectors.policy_draft_get(user=request.user, pk=pk)
        data = self.PolicyDraftDocumentInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        draft = services.policy_draft_update(
            actor=request.user,
            draft=draft,
            document=data.validated_data["document"],
            notes=data.validated_data.get("notes"),
            lang=_lang(),
        )
        return Response(PolicyVersionDetailOutputSerializer(draft).data)


class PolicyValidateApi(APIView):
    class PolicyValidateInputSerializer(serializers.Serializer):
        document = serializers.JSONField(required=False)
        content = serializers.CharField(required=False, max_length=2 * 1024 * 1024, trim_whitespace=False)
        file_format = serializers.ChoiceField(choices=["yaml", "json"], required=False, default="yaml")

    class PolicyValidateOutputSerializer(serializers.Serializer):
        valid = serializers.BooleanField()
        errors = PolicyErrorItemSerializer(many=True)

    @extend_schema(
        summary="Validate a policy document (given, or a stored version's) without storing anything",
        request=PolicyValidateInputSerializer,
        responses={200: PolicyValidateOutputSerializer, 400: E400, 403: E403},
    )
    def post(self, request):
        _require_admin(request)
        data = self.PolicyValidateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        if "document" in data.validated_data:
            document = data.validated_data["document"]
        elif "content" in data.validated_data:
            document = parse_policy_text(
                data.validated_data["content"], fmt=data.validated_data["file_format"]
            )
        else:
            raise ValidationError({"document": ["Send a document or the content of a file."]})
        if not isinstance(document, dict):
            raise ValidationError({"document": ["The policy document must be a mapping."]})
        errors = policy_errors(document)
        return Response({"valid": not errors, "errors": errors})


class PolicyPublishApi(APIView):
    class PolicyPublishInputSerializer(serializers.Serializer):
        effective_from = serializers.DateField(required=False)

    @extend_schema(
        summary="Publish a draft (it is validated first; the previous version closes)",
        request=PolicyPublishInputSerializer,
        responses={200: PolicyVersionDetailOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def post(self, request, pk: str):
        _require_admin(request)
        draft = selectors.policy_draft_get(user=request.user, pk=pk)
        data = self.PolicyPublishInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        version = services.policy_publish(
            actor=request.user, draft=draft, effective_from=data.validated_data.get("effective_from")
        )
        return Response(PolicyVersionDetailOutputSerializer(version).data)


# --- talent programs ------------------------------------------------------------------------------


class TalentProgramOutputSerializer(serializers.ModelSerializer):
    agency = serializers.SlugRelatedField(slug_field="code", read_only=True)

    class Meta:
        model = TalentProgram
        fields = ["id", "code", "name_en", "name_zh", "agency", "valid_from", "valid_to", "status"]


class TalentProgramListApi(APIView):
    class TalentProgramListOutputSerializer(serializers.Serializer):
        results = TalentProgramOutputSerializer(many=True)
        next = serializers.CharField(allow_null=True)

    class TalentProgramCreateInputSerializer(serializers.Serializer):
        code = serializers.SlugField(max_length=40)
        name_en = serializers.CharField(max_length=200)
        name_zh = serializers.CharField(max_length=200)
        agency = serializers.SlugRelatedField(slug_field="code", queryset=Agency.objects.all())
        valid_from = serializers.DateField()
        valid_to = serializers.DateField(required=False, allow_null=True)

    @extend_schema(
        summary="Registered talent programs",
        operation_id="eligibility_talent_programs_list",
        parameters=CURSOR,
        responses={200: TalentProgramListOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def get(self, request):
        return _page(selectors.talent_program_list(), request, ["code", "id"], TalentProgramOutputSerializer)

    @extend_schema(
        summary="Register a talent program (policy administrators)",
        request=TalentProgramCreateInputSerializer,
        responses={201: TalentProgramOutputSerializer, 400: E400, 403: E403},
    )
    def post(self, request):
        _require_admin(request)
        data = self.TalentProgramCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        program = services.talent_program_create(actor=request.user, **data.validated_data)
        return Response(TalentProgramOutputSerializer(program).data, status=status.HTTP_201_CREATED)


class TalentProgramDetailApi(APIView):
    class TalentProgramUpdateInputSerializer(serializers.Serializer):
        name_en = serializers.CharField(max_length=200, required=False)
        name_zh = serializers.CharField(max_length=200, required=False)
        agency = serializers.SlugRelatedField(
            slug_field="code", queryset=Agency.objects.all(), required=False
        )
        valid_from = serializers.DateField(required=False)
        valid_to = serializers.DateField(required=False, allow_null=True)
        status = serializers.ChoiceField(choices=TalentProgram.Status.choices, required=False)

    @extend_schema(
        summary="One talent program", responses={200: TalentProgramOutputSerializer, 403: E403, 404: E404}
    )
    def get(self, request, pk: str):
        return Response(TalentProgramOutputSerializer(selectors.talent_program_get(pk=pk)).data)

    @extend_schema(
        summary="Adjust or retire a talent program (policy administrators)",
        request=TalentProgramUpdateInputSerializer,
        responses={200: TalentProgramOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def patch(self, request, pk: str):
        _require_admin(request)
        program = selectors.talent_program_get(pk=pk)
        data = self.TalentProgramUpdateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        program = services.talent_program_update(actor=request.user, program=program, **data.validated_data)
        return Response(TalentProgramOutputSerializer(program).data)


# --- family quotas ------------------------------------------------------------------------------------


class FamilyQuotaOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    year = serializers.IntegerField()
    region = serializers.CharField()
    places = serializers.IntegerField()
    used = serializers.IntegerField()
    waiting = serializers.IntegerField()


class FamilyQuotaListApi(APIView):
    class FamilyQuotaListOutputSerializer(serializers.Serializer):
        results = FamilyQuotaOutputSerializer(many=True)
        next = serializers.CharField(allow_null=True)

    class FamilyQuotaSetInputSerializer(serializers.Serializer):
        year = serializers.IntegerField(min_value=2000, max_value=2100)
        region = serializers.CharField(required=False, allow_blank=True, max_length=8, default="")
        places = serializers.IntegerField(min_value=0, max_value=1_000_000)

    @extend_schema(
        summary="Family-reunion quotas with places used and cases waiting (officers)",
        parameters=CURSOR,
        responses={200: FamilyQuotaListOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def get(self, request):
        # Officers plan with the quota, the policy administrator sets it.
        if not (is_officer(request.user) or request.user.has_role(Role.POLICY_ADMIN)):
            raise PermissionDenied("Only officers may see the quota.")
        return _page(
            selectors.family_quota_list(), request, ["-year", "region", "id"], FamilyQuotaOutputSerializer
        )

    @extend_schema(
        summary="Set a year's quota (policy administrators)",
        request=FamilyQuotaSetInputSerializer,
        responses={200: FamilyQuotaOutputSerializer, 400: E400, 403: E403},
    )
    def post(self, request):
        _require_admin(request)
        data = self.FamilyQuotaSetInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        quota = services.family_quota_set(actor=request.user, **data.validated_data)
        return Response(FamilyQuotaOutputSerializer(selectors.family_quota_get(pk=quota.pk)).data)


# --- bans -------------------------------------------------------------------------------------------------


class BanOutputSerializer(serializers.ModelSerializer):
    class Meta:
        model = Ban
        fields = [
            "id",
            "passport_number",
            "nationality",
            "birth_date",
            "ground",
            "until",
            "reason",
            "created_at",
        ]


class BanListApi(APIView):
    class BanListOutputSerializer(serializers.Serializer):
        results = BanOutputSerializer(many=True)
        next = serializers.CharField(allow_null=True)

    class BanCreateInputSerializer(serializers.Serializer):
        passport_number = serializers.CharField(max_length=40)
        nationality = serializers.CharField(max_length=3)
        birth_date = serializers.DateField()
        ground = serializers.ChoiceField(choices=Ban.Ground.choices)
        until = serializers.DateField(required=False, allow_null=True)
        reason = serializers.CharField(max_length=5000)

    def _check(self, request) -> None:
        if not request.user.has_role(*BAN_ROLES):
            raise PermissionDenied(
                "Only policy administrators and management officers may see or record bans."
            )

    @extend_schema(
        summary="Bans on reapplying",
        parameters=CURSOR,
        responses={200: BanListOutputSerializer, 400: E400, 403: E403, 404: E404},
    )
    def get(self, request):
        self._check(request)
        return _page(selectors.ban_list(), request, ["-created_at", "-id"], BanOutputSerializer)

    @extend_schema(
        summary="Record a ban (default end: the policy's years for the ground)",
        request=BanCreateInputSerializer,
        responses={201: BanOutputSerializer, 400: E400, 403: E403},
    )
    def post(self, request):
        self._check(request)
        data = self.BanCreateInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        values = {"until": None} | data.validated_data
        ban = services.ban_create(actor=request.user, **values)
        return Response(BanOutputSerializer(ban).data, status=status.HTTP_201_CREATED)


# --- public self-check (R13) --------------------------------------------------------------------------


class SelfCheckCriterionOutputSerializer(serializers.Serializer):
    id = serializers.CharField()
    kind = serializers.CharField()
    outcome = serializers.CharField()
    points = serializers.IntegerField(allow_null=True)
    label = serializers.CharField()
    explanation = serializers.CharField()
    legal_basis = serializers.CharField(allow_blank=True)


class SelfCheckSuggestionOutputSerializer(serializers.Serializer):
    text = serializers.CharField()
    points_after = serializers.IntegerField(allow_null=True)


class SelfCheckAnonThrottle(AnonRateThrottle):
    scope = "anon"


class SelfCheckApi(APIView):
    """Anyone may check; nothing is stored. Texts come in the request's language (Accept-Language)."""

    permission_classes = [AllowAny]
    throttle_classes = [SelfCheckAnonThrottle, UserRateThrottle]

    class SelfCheckInputSerializer(serializers.Serializer):
        channel = serializers.ChoiceField(choices=list(CHANNELS))
        facts = serializers.DictField(child=serializers.JSONField(allow_null=True), allow_empty=True)

    class SelfCheckOutputSerializer(serializers.Serializer):
        channel = serializers.CharField()
        outcome = serializers.ChoiceField(choices=["eligible", "not_eligible", "needs_judgement"])
        points = serializers.IntegerField(allow_null=True)
        pass_mark = serializers.IntegerField(allow_null=True)
        green_channel = serializers.BooleanField()
        policy_version = serializers.CharField()
        summary = serializers.CharField()
        talent_program = serializers.CharField(allow_blank=True)
        criteria = SelfCheckCriterionOutputSerializer(many=True)
        what_if = SelfCheckSuggestionOutputSerializer(many=True)

    @extend_schema(
        summary="Public eligibility self-check (nothing is stored)",
        auth=[],
        request=SelfCheckInputSerializer,
        responses={200: SelfCheckOutputSerializer, 400: E400},
    )
    def post(self, request):
        data = self.SelfCheckInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        as_of = timezone.localdate()
        facts = dict(data.validated_data["facts"])
        facts.pop("talent_program_registered", None)
        assessment = services.eligibility_assess(
            channel=data.validated_data["channel"], facts=facts, as_of=as_of
        )
        snapshot = assessment.snapshot
        return Response(
            {
                "channel": snapshot["channel"],
                "outcome": snapshot["outcome"],
                "points": snapshot["points"],
                "pass_mark": snapshot["pass_mark"],
                "green_channel": snapshot["green_channel"],
                "policy_version": snapshot["policy_version_label"],
                "summary": localized(snapshot["summary"]),
                "talent_program": localized((snapshot.get("talent_program") or {}).get("reason")),
                "criteria": [
                    {
                        "id": c["id"],
                        "kind": c["kind"],
                        "outcome": c["outcome"],
                        "points": c["points"],
                        "label": localized(c["label"]),
                        "explanation": localized(c["explanation"]),
                        "legal_basis": localized(c["legal_basis"]),
                    }
                    for c in snapshot["criteria"]
                ],
                "what_if": [
                    {"text": localized(s["text"]), "points_after": s["points_after"]}
                    for s in snapshot["what_if"]
                ],
            }
        )
