"""REST API: institutions verify a card with their API key; holders list their own cards."""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.extensions import OpenApiAuthenticationExtension
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import authentication, exceptions, permissions, serializers, throttling
from rest_framework.response import Response
from rest_framework.views import APIView

from residence.core.api import ErrorSerializer, ValidationErrorSerializer
from residence.core.pagination import keyset_paginate, page_envelope

from . import offline, selectors, services
from .models import Card, Institution, InstitutionApiKey, VerificationQuery
from .numbers import validate_card_number

API_KEY_HEADER = "X-Api-Key"


class InstitutionKeyAuthentication(authentication.BaseAuthentication):
    """``X-Api-Key: <prefix>.<secret>``; the key, not a user, is the credential."""

    def authenticate(self, request):
        raw = request.headers.get(API_KEY_HEADER)
        if not raw:
            return None
        key = services.api_key_authenticate(raw)
        if key is None:
            raise exceptions.AuthenticationFailed("This API key is not valid.")
        return (key, key)

    def authenticate_header(self, request) -> str:
        return "Api-Key"


class InstitutionKeyScheme(OpenApiAuthenticationExtension):
    target_class = "cards.apis.InstitutionKeyAuthentication"
    name = "institutionApiKey"

    def get_security_definition(self, auto_schema):
        return {"type": "apiKey", "in": "header", "name": API_KEY_HEADER}


class HasInstitutionKey(permissions.BasePermission):
    """A counter's key (bank, hotel, rail...). The statistics bureau's key reads the population
    feed only: it counts holders, it does not check cards."""

    def has_permission(self, request, view) -> bool:
        key = request.auth
        return isinstance(key, InstitutionApiKey) and key.institution.kind != Institution.Kind.STATISTICS


class PerInstitutionKeyThrottle(throttling.SimpleRateThrottle):
    scope = "card_verify"

    def get_cache_key(self, request, view):
        if not isinstance(request.auth, InstitutionApiKey):
            return None
        return self.cache_format % {"scope": self.scope, "ident": f"key-{request.auth.pk}"}


class PerInstitutionKeyBulkThrottle(PerInstitutionKeyThrottle):
    scope = "card_verify_bulk"


class CardStatusThrottle(throttling.AnonRateThrottle):
    scope = "card_status"


class CardVerifyApi(APIView):
    authentication_classes = [InstitutionKeyAuthentication]
    permission_classes = [HasInstitutionKey]
    throttle_classes = [PerInstitutionKeyThrottle]

    class CardVerifyInputSerializer(serializers.Serializer):
        card_number = serializers.CharField(max_length=40, validators=[validate_card_number])
        birth_date = serializers.DateField()

    class CardVerifyOutputSerializer(serializers.Serializer):
        answer = serializers.ChoiceField(choices=VerificationQuery.Answer.choices)
        card_number = serializers.CharField(source="number_asked")
        holder_name = serializers.SerializerMethodField()
        expires_on = serializers.SerializerMethodField()
        query_id = serializers.IntegerField(source="pk")
        asked_at = serializers.DateTimeField()

        def get_holder_name(self, query) -> str | None:
            return query.card.latin_name if query.card else None

        def get_expires_on(self, query) -> str | None:
            return query.card.expires_on.isoformat() if query.card else None

    @extend_schema(
        operation_id="cards_verify",
        summary="Verify a PR card (institutions)",
        description=(
            "Ask whether a card is valid, with its number and the holder's date of birth. Authenticate with "
            f"the institution's key in the `{API_KEY_HEADER}` header. Every query is logged. An unknown number "
            "and a wrong date of birth both answer `no_match`."
        ),
        request=CardVerifyInputSerializer,
        responses={
            200: CardVerifyOutputSerializer,
            400: ValidationErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
        auth=[{"institutionApiKey": []}],
    )
    def post(self, request):
        data = self.CardVerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        query = services.card_verify(
            api_key=request.auth,
            number=data.validated_data["card_number"],
            birth_date=data.validated_data["birth_date"],
        )
        return Response(self.CardVerifyOutputSerializer(query).data)


class CardVerifyBulkApi(APIView):
    authentication_classes = [InstitutionKeyAuthentication]
    permission_classes = [HasInstitutionKey]
    throttle_classes = [PerInstitutionKeyBulkThrottle]

    class CardVerifyBulkInputSerializer(serializers.Serializer):
        checks = CardVerifyApi.CardVerifyInputSerializer(many=True, allow_empty=False)

    class CardVerifyBulkOutputSerializer(serializers.Serializer):
        results = CardVerifyApi.CardVerifyOutputSerializer(many=True)

    @extend_schema(
        operation_id="cards_verify_bulk",
        summary="Verify many PR cards in one request (institutions)",
        description=(
            "Up to `CARDS_VERIFY_BULK_MAX` checks (100 by default) in one request, each with a card number "
            "and the holder's date of birth; the answers come back in the same order. Every check is logged "
            "as a query of its own, exactly as with `cards_verify`. More checks than the limit is a 400 "
            "that changes nothing; so is any invalid check (its index names it)."
        ),
        request=CardVerifyBulkInputSerializer,
        responses={
            200: CardVerifyBulkOutputSerializer,
            400: ValidationErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
        auth=[{"institutionApiKey": []}],
    )
    def post(self, request):
        checks = request.data.get("checks") if hasattr(request.data, "get") else None
        limit = settings.CARDS_VERIFY_BULK_MAX
        # Refused before each check is validated, so an oversized batch costs nothing.
        if isinstance(checks, list) and len(checks) > limit:
            raise exceptions.ValidationError({"checks": [services.too_many_checks(limit, len(checks))]})
        data = self.CardVerifyBulkInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            queries = services.card_verify_many(
                api_key=request.auth,
                checks=[(c["card_number"], c["birth_date"]) for c in data.validated_data["checks"]],
            )
        except services.TooManyChecks as error:
            raise exceptions.ValidationError({"checks": error.messages}) from None
        return Response(self.CardVerifyBulkOutputSerializer({"results": queries}).data)


class CardStatusApi(APIView):
    """The current status of the card a signed code names: what the counter verifier asks when online.

    Only someone holding the card's code can ask, so it tells no more than the public card check."""

    authentication_classes: list = []
    permission_classes = [permissions.AllowAny]
    throttle_classes = [CardStatusThrottle]

    class CardStatusInputSerializer(serializers.Serializer):
        token = serializers.CharField(max_length=1000)

    class CardStatusOutputSerializer(serializers.Serializer):
        status = serializers.ChoiceField(choices=Card.Status.choices, source="current_status")
        card_number = serializers.CharField(source="number")
        expires_on = serializers.DateField()

    @extend_schema(
        operation_id="cards_status",
        summary="The current status of a card, from its QR code",
        description=(
            "Send the code read from a card's QR code (the last segment of its address). A code that was "
            "not signed by the administration, or was altered, is a 404."
        ),
        request=CardStatusInputSerializer,
        responses={200: CardStatusOutputSerializer, 400: ValidationErrorSerializer, 404: ErrorSerializer},
        auth=[],
    )
    def post(self, request):
        data = self.CardStatusInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        card = selectors.card_by_token(token=offline.token_from_text(data.validated_data["token"]))
        response = Response(self.CardStatusOutputSerializer(card).data)
        response["Cache-Control"] = "no-store"
        return response


class MyCardListApi(APIView):
    class MyCardListOutputSerializer(serializers.Serializer):
        class MyCardItemOutputSerializer(serializers.Serializer):
            id = serializers.IntegerField()
            number = serializers.CharField()
            status = serializers.CharField(source="current_status")
            kind = serializers.CharField()
            holder_name = serializers.CharField(source="latin_name")
            chinese_name = serializers.CharField()
            issued_on = serializers.DateField()
            expires_on = serializers.DateField()

        results = MyCardItemOutputSerializer(many=True)
        next = serializers.CharField(allow_null=True)

    @extend_schema(
        operation_id="cards_mine",
        summary="My PR cards, newest first",
        parameters=[
            OpenApiParameter("cursor", str, required=False),
            OpenApiParameter("page_size", int, required=False),
        ],
        responses={
            200: MyCardListOutputSerializer,
            400: ValidationErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            404: ErrorSerializer,  # a cursor that is not one of ours
        },
    )
    def get(self, request):
        try:
            page_size = int(request.query_params.get("page_size", 50))
        except ValueError:
            raise exceptions.ValidationError({"page_size": ["Enter a whole number."]}) from None
        cards = selectors.card_list(user=request.user).filter(profile__owner=request.user)
        page = keyset_paginate(
            cards,
            ordering=["-issued_on", "-id"],
            cursor=request.query_params.get("cursor"),
            page_size=page_size,
        )
        return Response(self.MyCardListOutputSerializer(page_envelope(page)).data)
