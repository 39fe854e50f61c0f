"""REST API of the benefits registry: the public catalogue, the agency workspace, coverage."""

from __future__ import annotations

from django.core.exceptions import PermissionDenied
from django.http import Http404
from django.urls import reverse
from django.utils.translation import gettext as _
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import serializers, status
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from residence import languages
from residence.core.api import ErrorSerializer
from residence.core.errors import Conflict
from residence.core.pagination import keyset_paginate, page_envelope

from . import selectors, services
from .models import (
    CONTENT_FIELDS,
    SHARED_FIELDS,
    TEXT_FIELDS,
    AppliesTo,
    BenefitItem,
    BenefitItemTranslation,
    BenefitItemVersion,
    Category,
    Kind,
    split_text_field_name,
    text_field_name,
)

PUBLIC_ORDERING = ("category", "id")
WORKSPACE_ORDERING = ("-id",)


class BenefitPageSizeField(serializers.IntegerField):
    """A page size: an empty value is an error, not the default (the schema says integer)."""

    def get_value(self, dictionary):
        # DRF turns an empty query parameter of an optional field into "absent"; here it is invalid.
        if self.field_name in dictionary and dictionary.get(self.field_name) == "":
            return ""
        return super().get_value(dictionary)

    def validate_empty_values(self, data):
        if data == "":
            self.fail("invalid")
        return super().validate_empty_values(data)


def _paginate(queryset, *, ordering, cursor, page_size):
    """A page; a cursor we did not hand out is a 404 (residence.core.pagination.InvalidCursor)."""
    return keyset_paginate(queryset, ordering=ordering, cursor=cursor or None, page_size=page_size)


ITEM_ID = OpenApiParameter("item_id", int, OpenApiParameter.PATH, description="The item's permanent number")


def _service(call):
    """Run a service, turning a state conflict into a 409 (other errors map in the core handler)."""
    try:
        return call()
    except services.StateConflict as error:
        raise Conflict(" ".join(error.messages)) from error


# --- shared serializers ------------------------------------------------------------------------
class BenefitAgencyOutputSerializer(serializers.Serializer):
    code = serializers.CharField()
    name_en = serializers.CharField()
    name_zh = serializers.CharField()
    website = serializers.CharField()


class BenefitTextsOutputSerializer(serializers.Serializer):
    """One language's texts of an item."""

    title = serializers.CharField()
    description = serializers.CharField()
    legal_basis = serializers.CharField()
    procedure = serializers.CharField()
    documents = serializers.CharField()
    where = serializers.CharField()
    provider = serializers.CharField()


@extend_schema_field(serializers.DictField(child=BenefitTextsOutputSerializer()))
class BenefitTranslationsField(serializers.Field):
    """{language code: texts} of every language the item has ("en", "zh-hans", "ja", ...)."""

    def to_representation(self, texts):
        # The source is the model's texts() method; DRF calls callables it is given as sources.
        return {code: dict(row) for code, row in texts.items()}


class BenefitPublicItemOutputSerializer(serializers.Serializer):
    """The public version of one item (what the catalogue, exports and holders read)."""

    id = serializers.IntegerField(source="item_id")
    version = serializers.IntegerField(source="number")
    agency = BenefitAgencyOutputSerializer()
    kind = serializers.CharField()
    category = serializers.CharField()
    applies_to = serializers.CharField()
    # The texts in the caller's language (Accept-Language or the language cookie), or in
    # English when the item has no translation in it yet (then is_fallback); every language the
    # item has is under translations.
    language = serializers.CharField(source="shown_language")
    is_fallback = serializers.BooleanField(source="shown_in_fallback")
    title = serializers.CharField()
    description = serializers.CharField()
    legal_basis = serializers.CharField()
    procedure = serializers.CharField()
    documents = serializers.CharField()
    where = serializers.CharField()
    provider = serializers.CharField()
    translations = BenefitTranslationsField(source="texts")
    link = serializers.CharField()
    effective_date = serializers.DateField(allow_null=True)
    published_at = serializers.DateTimeField()
    url = serializers.SerializerMethodField()

    def get_url(self, version) -> str:
        return reverse("benefits:item", args=[version.item_id])


class BenefitPublicPageOutputSerializer(serializers.Serializer):
    results = BenefitPublicItemOutputSerializer(many=True)
    next = serializers.CharField(allow_null=True)


PUBLIC_THROTTLES = [AnonRateThrottle, UserRateThrottle]
PUBLIC_ERRORS = {400: ErrorSerializer, 404: ErrorSerializer, 429: ErrorSerializer}


# --- the public catalogue -----------------------------------------------------------------------
class BenefitCatalogueApi(APIView):
    """Published items and services: search, filters; no login needed. Also the JSON export."""

    permission_classes = [AllowAny]
    throttle_classes = PUBLIC_THROTTLES

    class BenefitCatalogueFilterSerializer(serializers.Serializer):
        q = serializers.CharField(required=False, allow_blank=True, max_length=200)
        category = serializers.ChoiceField(choices=Category.choices, required=False, allow_blank=True)
        agency = serializers.CharField(required=False, allow_blank=True, max_length=40)
        applies_to = serializers.ChoiceField(choices=AppliesTo.choices, required=False, allow_blank=True)
        kind = serializers.ChoiceField(choices=Kind.choices, required=False, allow_blank=True)
        cursor = serializers.CharField(required=False, allow_blank=True, max_length=500)
        page_size = BenefitPageSizeField(required=False, min_value=1, max_value=200, default=50)

    @extend_schema(
        operation_id="benefits_items_list",
        parameters=[BenefitCatalogueFilterSerializer],
        responses={200: BenefitPublicPageOutputSerializer, **PUBLIC_ERRORS},
        auth=[],
    )
    def get(self, request):
        params = self.BenefitCatalogueFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        data = params.validated_data
        filters = selectors.CatalogueFilters(
            q=data.get("q", ""),
            category=data.get("category", ""),
            agency=data.get("agency", ""),
            applies_to=data.get("applies_to", ""),
            kind=data.get("kind", ""),
        )
        page = _paginate(
            selectors.published_versions(filters=filters),
            ordering=PUBLIC_ORDERING,
            cursor=data.get("cursor"),
            page_size=data["page_size"],
        )
        return Response(BenefitPublicPageOutputSerializer(page_envelope(page)).data)


class BenefitCatalogueItemApi(APIView):
    permission_classes = [AllowAny]
    throttle_classes = PUBLIC_THROTTLES

    @extend_schema(
        parameters=[ITEM_ID], responses={200: BenefitPublicItemOutputSerializer, **PUBLIC_ERRORS}, auth=[]
    )
    def get(self, request, item_id: int):
        item = selectors.public_item_get(pk=item_id)
        if item.state != BenefitItem.State.PUBLISHED:
            raise Http404
        return Response(BenefitPublicItemOutputSerializer(item.published_version).data)


class BenefitVersionHistoryApi(APIView):
    """Every published version of an item, newest first, with what changed field by field."""

    permission_classes = [AllowAny]
    throttle_classes = PUBLIC_THROTTLES

    class BenefitVersionHistoryFilterSerializer(serializers.Serializer):
        cursor = serializers.CharField(required=False, allow_blank=True, max_length=500)
        page_size = BenefitPageSizeField(required=False, min_value=1, max_value=200, default=20)

    class BenefitVersionPageOutputSerializer(serializers.Serializer):
        class BenefitVersionEntryOutputSerializer(serializers.Serializer):
            class BenefitVersionFieldChangeOutputSerializer(serializers.Serializer):
                field = serializers.CharField()
                label = serializers.CharField()
                before = serializers.CharField()
                after = serializers.CharField()

            version = serializers.IntegerField()
            published_at = serializers.DateTimeField()
            title = serializers.CharField()
            changes = BenefitVersionFieldChangeOutputSerializer(many=True)

        results = BenefitVersionEntryOutputSerializer(many=True)
        next = serializers.CharField(allow_null=True)

    @extend_schema(
        parameters=[ITEM_ID, BenefitVersionHistoryFilterSerializer],
        responses={200: BenefitVersionPageOutputSerializer, **PUBLIC_ERRORS},
        auth=[],
    )
    def get(self, request, item_id: int):
        params = self.BenefitVersionHistoryFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        item = selectors.public_item_get(pk=item_id)
        if item.state != BenefitItem.State.PUBLISHED:
            raise Http404
        page = _paginate(
            item.versions.prefetch_related("translations"),
            ordering=("-number",),
            cursor=params.validated_data.get("cursor"),
            page_size=params.validated_data["page_size"],
        )
        # The version before each one on the page, in one query, to compare against.
        wanted = {v.number - 1 for v in page.items}
        previous = {
            v.number: v
            for v in BenefitItemVersion.objects.filter(item=item, number__in=wanted).prefetch_related(
                "translations"
            )
        }
        results = []
        for version in page.items:
            changes = selectors.field_changes(previous.get(version.number - 1), version)
            results.append(
                {
                    "version": version.number,
                    "published_at": version.published_at,
                    "title": version.title,
                    "changes": [
                        {"field": c.name, "label": c.label, "before": c.before, "after": c.after}
                        for c in changes
                    ],
                }
            )
        return Response(self.BenefitVersionPageOutputSerializer(page_envelope(page, results)).data)


class BenefitHolderItemsApi(APIView):
    """What my card lets me do: the published items that apply to the signed-in holder."""

    permission_classes = [IsAuthenticated]

    class BenefitHolderSituationOutputSerializer(serializers.Serializer):
        is_working = serializers.BooleanField()
        is_minor = serializers.BooleanField()
        applies_to = serializers.ListField(child=serializers.CharField())

    class BenefitHolderItemsOutputSerializer(serializers.Serializer):
        situation = serializers.DictField(allow_null=True)
        results = BenefitPublicItemOutputSerializer(many=True)
        next = serializers.CharField(allow_null=True)

    class BenefitHolderItemsFilterSerializer(serializers.Serializer):
        cursor = serializers.CharField(required=False, allow_blank=True, max_length=500)
        page_size = BenefitPageSizeField(required=False, min_value=1, max_value=200, default=50)

    @extend_schema(
        parameters=[BenefitHolderItemsFilterSerializer],
        responses={
            200: BenefitHolderItemsOutputSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,
        },
    )
    def get(self, request):
        params = self.BenefitHolderItemsFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        situation = selectors.holder_situation(user=request.user)
        if situation is None:
            return Response(
                self.BenefitHolderItemsOutputSerializer({"situation": None, "results": [], "next": None}).data
            )
        page = _paginate(
            selectors.items_for_holder(situation=situation),
            ordering=PUBLIC_ORDERING,
            cursor=params.validated_data.get("cursor"),
            page_size=params.validated_data["page_size"],
        )
        return Response(
            self.BenefitHolderItemsOutputSerializer(
                {
                    "situation": self.BenefitHolderSituationOutputSerializer(
                        {
                            "is_working": situation.is_working,
                            "is_minor": situation.is_minor,
                            "applies_to": situation.applies_to,
                        }
                    ).data,
                    **page_envelope(page),
                }
            ).data
        )


# --- the agency workspace ------------------------------------------------------------------------
class BenefitWorkspaceItemOutputSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    agency = serializers.CharField(source="agency.code")
    state = serializers.CharField()
    has_pending_changes = serializers.BooleanField()
    lock_version = serializers.IntegerField()
    published_version = serializers.IntegerField(
        source="published_version.number", allow_null=True, default=None
    )
    kind = serializers.CharField()
    category = serializers.CharField()
    applies_to = serializers.CharField()
    # The texts in the caller's language (Accept-Language or the language cookie), or in
    # English when the item has no translation in it yet (then is_fallback); every language the
    # item has is under translations.
    language = serializers.CharField(source="shown_language")
    is_fallback = serializers.BooleanField(source="shown_in_fallback")
    title = serializers.CharField()
    description = serializers.CharField()
    legal_basis = serializers.CharField()
    procedure = serializers.CharField()
    documents = serializers.CharField()
    where = serializers.CharField()
    provider = serializers.CharField()
    translations = BenefitTranslationsField(source="texts")
    link = serializers.CharField()
    effective_date = serializers.DateField(allow_null=True)
    created_at = serializers.DateTimeField()
    updated_at = serializers.DateTimeField()
    published_at = serializers.DateTimeField(allow_null=True)
    withdrawn_at = serializers.DateTimeField(allow_null=True)
    withdrawal_reason = serializers.CharField()


def _text_input_fields() -> dict[str, serializers.Field]:
    """title_en, title_zh, title_ja, ... for every configured language, sized like their columns."""
    fields = {}
    for name in CONTENT_FIELDS:
        split = split_text_field_name(name)
        if split is None:
            continue
        column = BenefitItemTranslation._meta.get_field(split[0])
        fields[name] = serializers.CharField(
            required=False, allow_blank=True, max_length=column.max_length, trim_whitespace=False
        )
    return fields


class BenefitWorkspaceItemInputSerializer(serializers.ModelSerializer):
    """The editable content; every field optional here, the service says what a draft needs.

    Texts are flattened per language (``title_en``, ``description_ja``); ``translations``
    ({"ja": {"title": ...}}) may say the same, as the output does. Languages not named stay as
    they are.
    """

    translations = serializers.DictField(
        child=serializers.DictField(child=serializers.CharField(allow_blank=True)), required=False
    )

    class Meta:
        model = BenefitItem
        fields = [*SHARED_FIELDS, "translations"]
        extra_kwargs = {name: {"required": False} for name in SHARED_FIELDS}

    def get_fields(self):
        fields = super().get_fields()
        fields.update(_text_input_fields())
        return fields

    def validate(self, attrs):
        attrs = dict(attrs)
        translations = attrs.pop("translations", None) or {}
        errors = {}
        for code, row in translations.items():
            if not languages.is_known(code):
                errors[f"translations.{code}"] = [_("This language is not offered.")]
                continue
            for field, text in row.items():
                if field not in TEXT_FIELDS:
                    errors[f"translations.{code}.{field}"] = [_("This field cannot be set.")]
                    continue
                attrs[text_field_name(field, code)] = text
        if errors:
            raise serializers.ValidationError(errors)
        return attrs


WORKSPACE_ERRORS = {400: ErrorSerializer, 401: ErrorSerializer, 403: ErrorSerializer, 404: ErrorSerializer}


def _require_workspace(user) -> None:
    if not selectors.user_has_workspace(user=user):
        raise PermissionDenied(_("The workspace is for agency staff and policy administrators."))


class BenefitWorkspaceItemListApi(APIView):
    """The items of the caller's agency (every agency's, for policy administrators); drafting."""

    permission_classes = [IsAuthenticated]

    class BenefitWorkspaceFilterSerializer(serializers.Serializer):
        state = serializers.ChoiceField(choices=BenefitItem.State.choices, required=False, allow_blank=True)
        cursor = serializers.CharField(required=False, allow_blank=True, max_length=500)
        page_size = BenefitPageSizeField(required=False, min_value=1, max_value=200, default=50)

    class BenefitWorkspacePageOutputSerializer(serializers.Serializer):
        results = BenefitWorkspaceItemOutputSerializer(many=True)
        next = serializers.CharField(allow_null=True)

    @extend_schema(
        operation_id="benefits_workspace_items_list",
        parameters=[BenefitWorkspaceFilterSerializer],
        responses={200: BenefitWorkspacePageOutputSerializer, **WORKSPACE_ERRORS},
    )
    def get(self, request):
        _require_workspace(request.user)
        params = self.BenefitWorkspaceFilterSerializer(data=request.query_params)
        params.is_valid(raise_exception=True)
        items = selectors.workspace_items(user=request.user)
        if params.validated_data.get("state"):
            items = items.filter(state=params.validated_data["state"])
        page = _paginate(
            items,
            ordering=WORKSPACE_ORDERING,
            cursor=params.validated_data.get("cursor"),
            page_size=params.validated_data["page_size"],
        )
        return Response(self.BenefitWorkspacePageOutputSerializer(page_envelope(page)).data)

    @extend_schema(
        request=BenefitWorkspaceItemInputSerializer,
        responses={201: BenefitWorkspaceItemOutputSerializer, **WORKSPACE_ERRORS},
    )
    def post(self, request):
        serializer = BenefitWorkspaceItemInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        item = services.benefit_item_create(actor=request.user, values=dict(serializer.validated_data))
        item = selectors.workspace_item_get(user=request.user, pk=item.pk)
        return Response(BenefitWorkspaceItemOutputSerializer(item).data, status=status.HTTP_201_CREATED)


class BenefitWorkspaceItemApi(APIView):
    permission_classes = [IsAuthenticated]

    class BenefitWorkspaceItemPatchSerializer(BenefitWorkspaceItemInputSerializer):
        lock_version = serializers.IntegerField(required=False, min_value=0, max_value=2**31 - 1)

        class Meta(BenefitWorkspaceItemInputSerializer.Meta):
            fields = [*BenefitWorkspaceItemInputSerializer.Meta.fields, "lock_version"]

    @extend_schema(
        parameters=[ITEM_ID], responses={200: BenefitWorkspaceItemOutputSerializer, **WORKSPACE_ERRORS}
    )
    def get(self, request, item_id: int):
        item = selectors.workspace_item_get(user=request.user, pk=item_id)
        return Response(BenefitWorkspaceItemOutputSerializer(item).data)

    @extend_schema(
        parameters=[ITEM_ID],
        request=BenefitWorkspaceItemPatchSerializer,
        responses={200: BenefitWorkspaceItemOutputSerializer, 409: ErrorSerializer, **WORKSPACE_ERRORS},
    )
    def patch(self, request, item_id: int):
        item = selectors.workspace_item_get(user=request.user, pk=item_id)
        serializer = self.BenefitWorkspaceItemPatchSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        values = dict(serializer.validated_data)
        lock_version = values.pop("lock_version", None)
        _service(
            lambda: services.benefit_item_update(
                actor=request.user, item=item, values=values, lock_version=lock_version
            )
        )
        item = selectors.workspace_item_get(user=request.user, pk=item_id)
        return Response(BenefitWorkspaceItemOutputSerializer(item).data)


class BenefitWorkspacePublishApi(APIView):
    permission_classes = [IsAuthenticated]

    @extend_schema(
        parameters=[ITEM_ID],
        request=None,
        responses={200: BenefitPublicItemOutputSerializer, 409: ErrorSerializer, **WORKSPACE_ERRORS},
    )
    def post(self, request, item_id: int):
        item = selectors.workspace_item_get(user=request.user, pk=item_id)
        version = _service(lambda: services.benefit_item_publish(actor=request.user, item=item))
        return Response(BenefitPublicItemOutputSerializer(version).data)


class BenefitWorkspaceWithdrawApi(APIView):
    permission_classes = [IsAuthenticated]

    class BenefitWithdrawInputSerializer(serializers.Serializer):
        reason = serializers.CharField(required=False, allow_blank=True, max_length=2000)

    @extend_schema(
        parameters=[ITEM_ID],
        request=BenefitWithdrawInputSerializer,
        responses={200: BenefitWorkspaceItemOutputSerializer, 409: ErrorSerializer, **WORKSPACE_ERRORS},
    )
    def post(self, request, item_id: int):
        item = selectors.workspace_item_get(user=request.user, pk=item_id)
        serializer = self.BenefitWithdrawInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        _service(
            lambda: services.benefit_item_withdraw(
                actor=request.user, item=item, reason=serializer.validated_data.get("reason", "")
            )
        )
        item = selectors.workspace_item_get(user=request.user, pk=item_id)
        return Response(BenefitWorkspaceItemOutputSerializer(item).data)


class BenefitCommentApi(APIView):
    """Review comments of the administration on one item: read by its agency, written by policy admins."""

    permission_classes = [IsAuthenticated]

    class BenefitCommentInputSerializer(serializers.Serializer):
        body = serializers.CharField(max_length=2000)

    class BenefitCommentOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        author = serializers.CharField(source="author.email")
        body = serializers.CharField()
        created_at = serializers.DateTimeField()

    @extend_schema(
        parameters=[ITEM_ID], responses={200: BenefitCommentOutputSerializer(many=True), **WORKSPACE_ERRORS}
    )
    def get(self, request, item_id: int):
        item = selectors.workspace_item_get(user=request.user, pk=item_id)
        # Comments on one item are few: a short list, newest first.
        comments = selectors.item_comments(item=item)[:200]
        return Response(self.BenefitCommentOutputSerializer(comments, many=True).data)

    @extend_schema(
        parameters=[ITEM_ID],
        request=BenefitCommentInputSerializer,
        responses={201: BenefitCommentOutputSerializer, **WORKSPACE_ERRORS},
    )
    def post(self, request, item_id: int):
        item = selectors.workspace_item_get(user=request.user, pk=item_id)
        serializer = self.BenefitCommentInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        comment = services.benefit_comment_create(
            actor=request.user, item=item, body=serializer.validated_data["body"]
        )
        return Response(self.BenefitCommentOutputSerializer(comment).data, status=status.HTTP_201_CREATED)


class BenefitCoverageApi(APIView):
    """Categories x agencies for the administration's supervision (R18)."""

    permission_classes = [IsAuthenticated]

    class BenefitCoverageOutputSerializer(serializers.Serializer):
        class BenefitCoverageRowOutputSerializer(serializers.Serializer):
            category = serializers.CharField()
            is_treatment_area = serializers.BooleanField()
            is_gap = serializers.BooleanField()
            published = serializers.IntegerField()
            by_agency = serializers.DictField(child=serializers.DictField(child=serializers.IntegerField()))

        class BenefitCoverageStaleOutputSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            agency = serializers.CharField(source="agency.code")
            title = serializers.CharField()
            published_at = serializers.DateTimeField()

        agencies = serializers.ListField(child=serializers.CharField())
        rows = BenefitCoverageRowOutputSerializer(many=True)
        stale = BenefitCoverageStaleOutputSerializer(many=True)

    @extend_schema(
        responses={200: BenefitCoverageOutputSerializer, 401: ErrorSerializer, 403: ErrorSerializer}
    )
    def get(self, request):
        if not selectors.user_is_reviewer(user=request.user):
            raise PermissionDenied(_("Coverage is for policy administrators."))
        report = selectors.coverage()
        codes = [a.code for a in report.agencies]
        rows = [
            {
                "category": row.category,
                "is_treatment_area": row.is_treatment_area,
                "is_gap": row.is_gap,
                "published": row.published,
                "by_agency": {
                    code: {"published": p, "drafts": d}
                    for code, (p, d) in zip(codes, row.cells, strict=True)
                    if p or d
                },
            }
            for row in report.rows
        ]
        return Response(
            self.BenefitCoverageOutputSerializer(
                {"agencies": codes, "rows": rows, "stale": report.stale}
            ).data
        )
