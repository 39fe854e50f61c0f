"""REST API of the service windows, beside each page: validate, call the service, serialize."""

from __future__ import annotations

from django.http import Http404
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.response import Response
from rest_framework.views import APIView

from applications.apis import ERRORS, ProfileInputSerializer, _with_province
from applications.models import Channel

from . import selectors, services
from .models import CardCollection


class WalkInCreateApi(APIView):
    class WalkInCreateInputSerializer(ProfileInputSerializer):
        channel = serializers.ChoiceField(choices=Channel.choices)
        consent = serializers.BooleanField(help_text="The applicant agreed to the window filing for them.")

    class WalkInOutputSerializer(serializers.Serializer):
        id = serializers.IntegerField()
        application = serializers.IntegerField(source="application_id")
        reference = serializers.CharField(source="application.reference")
        profile = serializers.IntegerField(source="profile_id")
        window = serializers.CharField(source="window.code")
        code_expires_at = serializers.DateTimeField()
        claimed_at = serializers.DateTimeField(allow_null=True)

    @extend_schema(request=WalkInCreateInputSerializer, responses={201: WalkInOutputSerializer, **ERRORS})
    def post(self, request):
        if not selectors.is_counter_staff(request.user):
            raise Http404
        serializer = self.WalkInCreateInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = _with_province(dict(serializer.validated_data))
        channel, consent = data.pop("channel"), data.pop("consent")
        walk_in = services.walk_in_open(actor=request.user, channel=channel, consent=consent, **data)
        return Response(self.WalkInOutputSerializer(walk_in).data, status=status.HTTP_201_CREATED)


class WalkInClaimApi(APIView):
    class WalkInClaimInputSerializer(serializers.Serializer):
        code = serializers.CharField(max_length=20)

    class WalkInClaimOutputSerializer(serializers.Serializer):
        application = serializers.IntegerField(source="application_id")
        reference = serializers.CharField(source="application.reference")

    @extend_schema(request=WalkInClaimInputSerializer, responses={200: WalkInClaimOutputSerializer, **ERRORS})
    def post(self, request):
        serializer = self.WalkInClaimInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        walk_in = services.walk_in_claim(actor=request.user, code=serializer.validated_data["code"])
        return Response(self.WalkInClaimOutputSerializer(walk_in).data)


class IntakeRecordApi(APIView):
    class IntakeRecordInputSerializer(serializers.Serializer):
        passport_checked = serializers.BooleanField()
        photo_taken = serializers.BooleanField()
        fingerprints_taken = serializers.BooleanField()

    class IntakeRecordOutputSerializer(serializers.Serializer):
        application = serializers.IntegerField(source="application_id")
        place = serializers.CharField(source="place.code")
        operator = serializers.EmailField(source="operator.email")
        recorded_at = serializers.DateTimeField()

    @extend_schema(
        request=IntakeRecordInputSerializer, responses={201: IntakeRecordOutputSerializer, **ERRORS}
    )
    def post(self, request, pk: int):
        application = selectors.intake_case_get(user=request.user, pk=pk)
        serializer = self.IntakeRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        record = services.intake_record(
            actor=request.user, application=application, **serializer.validated_data
        )
        return Response(self.IntakeRecordOutputSerializer(record).data, status=status.HTTP_201_CREATED)


class CollectionRecordApi(APIView):
    class CollectionRecordInputSerializer(serializers.Serializer):
        collector = serializers.ChoiceField(choices=CardCollection.Collector.choices)
        id_checked = serializers.BooleanField()
        authorised_name = serializers.CharField(max_length=200, required=False, allow_blank=True, default="")
        authorised_id_number = serializers.CharField(
            max_length=40, required=False, allow_blank=True, default=""
        )
        letter_reference = serializers.CharField(max_length=60, required=False, allow_blank=True, default="")

    class CollectionRecordOutputSerializer(serializers.Serializer):
        card = serializers.CharField(source="card.number")
        place = serializers.CharField(source="place.code")
        collected_at = serializers.DateTimeField()
        collector = serializers.CharField()

    @extend_schema(
        request=CollectionRecordInputSerializer, responses={200: CollectionRecordOutputSerializer, **ERRORS}
    )
    def post(self, request, pk: int):
        collection = selectors.collection_get(user=request.user, pk=pk)
        serializer = self.CollectionRecordInputSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        collection = services.collection_record(
            actor=request.user, collection=collection, **serializer.validated_data
        )
        return Response(self.CollectionRecordOutputSerializer(collection).data)
