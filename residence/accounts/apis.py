"""Accounts API: who am I, agencies and offices, token login."""

from __future__ import annotations

from django.contrib.auth import authenticate
from django.utils.translation import gettext as _
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.exceptions import AuthenticationFailed
from rest_framework.permissions import AllowAny
from rest_framework.response import Response
from rest_framework.throttling import ScopedRateThrottle
from rest_framework.views import APIView

from residence.core.api import ErrorSerializer
from residence.mfa import services as mfa_services

from .models import Agency, Office
from .tokens import token_expires_at, token_issue


class MeApi(APIView):
    class MeOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        email = serializers.EmailField()
        full_name = serializers.CharField()
        roles = serializers.ListField(child=serializers.CharField())
        primary_role = serializers.CharField(allow_null=True)
        agency = serializers.CharField(source="agency.code", allow_null=True, default=None)
        office = serializers.CharField(source="office.code", allow_null=True, default=None)

    @extend_schema(responses={200: MeOutputSerializer, 401: ErrorSerializer, 403: ErrorSerializer})
    def get(self, request):
        user = request.user
        data = self.MeOutputSerializer(
            {
                "id": user.pk,
                "email": user.email,
                "full_name": user.full_name,
                "roles": sorted(user.roles),
                "primary_role": user.primary_role,
                "agency": user.agency,
                "office": user.office,
            }
        ).data
        return Response(data)


class AgencyListApi(APIView):
    permission_classes = [AllowAny]

    class AgencyListOutputSerializer(serializers.ModelSerializer):
        class Meta:
            model = Agency
            fields = ["code", "name_en", "name_zh", "kind", "contact_email", "contact_phone", "website"]

    @extend_schema(responses={200: AgencyListOutputSerializer(many=True)})
    def get(self, request):
        # A short, bounded reference list (dozens of rows): no pagination needed.
        agencies = Agency.objects.filter(is_active=True).order_by("code")
        return Response(self.AgencyListOutputSerializer(agencies, many=True).data)


class OfficeListApi(APIView):
    permission_classes = [AllowAny]

    class OfficeListOutputSerializer(serializers.ModelSerializer):
        parent = serializers.SlugRelatedField(slug_field="code", read_only=True, allow_null=True)

        class Meta:
            model = Office
            fields = ["code", "name_en", "name_zh", "level", "province", "city_code", "parent"]

    @extend_schema(responses={200: OfficeListOutputSerializer(many=True)})
    def get(self, request):
        offices = Office.objects.select_related("parent").order_by("level", "code")
        return Response(self.OfficeListOutputSerializer(offices, many=True).data)


class TokenObtainApi(APIView):
    """Exchange e-mail and password (and, for staff, a second-factor code) for an API token."""

    permission_classes = [AllowAny]
    authentication_classes: list = []
    throttle_classes = [ScopedRateThrottle]
    throttle_scope = "login"

    class TokenObtainInputSerializer(serializers.Serializer):
        email = serializers.EmailField()
        password = serializers.CharField(trim_whitespace=False, max_length=256)
        otp = serializers.CharField(
            max_length=32,
            required=False,
            allow_blank=True,
            default="",
            help_text="A current TOTP or recovery code: required for staff and for anyone with a second factor.",
        )

    class TokenObtainOutputSerializer(serializers.Serializer):
        token = serializers.CharField()
        expires_at = serializers.DateTimeField()

    @extend_schema(
        request=TokenObtainInputSerializer,
        responses={
            200: TokenObtainOutputSerializer,
            400: ErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
            429: ErrorSerializer,
        },
    )
    def post(self, request):
        serializer = self.TokenObtainInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        # Going through authenticate() lets django-axes count and lock out failed attempts.
        user = authenticate(
            request._request,
            username=serializer.validated_data["email"],
            password=serializer.validated_data["password"],
        )
        if user is None:
            raise AuthenticationFailed(_("E-mail address or password is not correct."))
        # Tokens carry no session, so they are issued only against the second factor (residence/mfa).
        mfa_services.token_second_factor_check(
            user=user,
            code=serializer.validated_data["otp"],
            context={"ip": request.META.get("REMOTE_ADDR", "")},
        )
        token = token_issue(user=user)
        return Response(
            self.TokenObtainOutputSerializer(
                {"token": token.key, "expires_at": token_expires_at(token)}
            ).data,
            status=status.HTTP_200_OK,
        )
