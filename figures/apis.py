"""The population-register feed (R19): PR holders per city on a date, for the statistics bureau."""

from __future__ import annotations

import datetime as dt

from django.db import transaction
from django.utils import timezone
from drf_spectacular.utils import OpenApiParameter, extend_schema
from rest_framework import permissions, serializers
from rest_framework.response import Response
from rest_framework.views import APIView

from cards.apis import InstitutionKeyAuthentication
from cards.models import Institution, InstitutionApiKey
from residence.audit.services import audit_record
from residence.core.api import ErrorSerializer, ValidationErrorSerializer

from . import counts

EARLIEST = dt.date(2004, 8, 15)  # the 2004 measures on PR examination and approval


class IsStatisticsBureau(permissions.BasePermission):
    message = "Only the statistics bureau's key may read the population feed."

    def has_permission(self, request, view) -> bool:
        key = request.auth
        return isinstance(key, InstitutionApiKey) and key.institution.kind == Institution.Kind.STATISTICS


class PopulationFeedApi(APIView):
    authentication_classes = [InstitutionKeyAuthentication]
    permission_classes = [IsStatisticsBureau]

    class PopulationFeedInputSerializer(serializers.Serializer):
        date = serializers.DateField(required=False)

        def validate_date(self, value: dt.date) -> dt.date:
            if value < EARLIEST or value > timezone.localdate():
                raise serializers.ValidationError(
                    f"Give a date from {EARLIEST.isoformat()} to today; the feed does not count the future."
                )
            return value

    class PopulationFeedOutputSerializer(serializers.Serializer):
        class CityOutputSerializer(serializers.Serializer):
            province = serializers.CharField()
            city_code = serializers.CharField()
            holders = serializers.IntegerField()

        date = serializers.DateField()
        total = serializers.IntegerField()
        cities = CityOutputSerializer(many=True)

    @extend_schema(
        operation_id="figures_population",
        summary="PR holders per city on a date (statistics bureau)",
        description=(
            "Holders of a permanent residence card in force on the date, per province and city of "
            "residence (GB/T 2260), each holder counted once, where they live now. Exact counts for the "
            "resident population register; authenticate with the bureau's institution key in `X-Api-Key`. "
            "Every query is recorded in the audit log."
        ),
        parameters=[OpenApiParameter("date", str, description="YYYY-MM-DD; today if absent")],
        responses={
            200: PopulationFeedOutputSerializer,
            400: ValidationErrorSerializer,
            401: ErrorSerializer,
            403: ErrorSerializer,
        },
        auth=[{"institutionApiKey": []}],
    )
    def get(self, request):
        data = self.PopulationFeedInputSerializer(data=request.query_params)
        data.is_valid(raise_exception=True)
        day = data.validated_data.get("date") or timezone.localdate()
        by_city = counts.holders_by_city(day)
        cities = [
            {"province": province, "city_code": city, "holders": n}
            for (province, city), n in sorted(by_city.items())
        ]
        total = sum(by_city.values())
        with transaction.atomic():
            audit_record(
                actor=None,
                action="figures.population_feed",
                obj=request.auth.institution,
                after={
                    "date": day.isoformat(),
                    "cities": len(cities),
                    "total": total,
                    "key": request.auth.prefix,
                },
            )
        return Response(
            self.PopulationFeedOutputSerializer({"date": day, "total": total, "cities": cities}).data
        )
