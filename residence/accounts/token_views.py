"""The owner's API tokens: listed and revoked on a page of their account and through the API."""

from __future__ import annotations

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST
from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status
from rest_framework.authtoken.models import Token
from rest_framework.response import Response
from rest_framework.views import APIView

from residence.core.api import ErrorSerializer

from .tokens import token_expires_at, token_is_expired, token_label, token_revoke, user_tokens


def _rows(request) -> list[dict]:
    current = getattr(request, "auth", None)
    return [
        {
            "id": token_label(token),
            "created": token.created,
            "expires_at": token_expires_at(token),
            "expired": token_is_expired(token),
            "current": isinstance(current, Token) and current.pk == token.pk,
        }
        for token in user_tokens(user=request.user)
    ]


@login_required
def account_tokens(request):
    return render(
        request,
        "accounts/tokens.html",
        {"tokens": _rows(request), "lifetime_days": settings.API_TOKEN_LIFETIME.days},
    )


@login_required
@require_POST
def account_token_revoke(request):
    prefix = request.POST.get("token", "").rstrip("…")
    token = (
        Token.objects.filter(user=request.user, key__startswith=prefix).first() if len(prefix) == 6 else None
    )
    if token is None:
        messages.warning(request, _("That token does not exist or has already been revoked."))
    else:
        token_revoke(actor=request.user, token=token)
        messages.success(request, _("The token is revoked: it no longer works."))
    return redirect("account_tokens")


class TokenListApi(APIView):
    """The caller's API tokens (never their keys); DELETE revokes them all, the one in use too."""

    class TokenOutputSerializer(serializers.Serializer):
        id = serializers.CharField(help_text="The key's first characters, enough to tell tokens apart.")
        created = serializers.DateTimeField()
        expires_at = serializers.DateTimeField()
        expired = serializers.BooleanField()
        current = serializers.BooleanField(help_text="This request was authenticated with it.")

    @extend_schema(
        responses={200: TokenOutputSerializer(many=True), 401: ErrorSerializer, 403: ErrorSerializer}
    )
    def get(self, request):
        return Response(self.TokenOutputSerializer(_rows(request), many=True).data)

    @extend_schema(responses={204: None, 401: ErrorSerializer, 403: ErrorSerializer})
    def delete(self, request):
        with transaction.atomic():
            for token in user_tokens(user=request.user):
                token_revoke(actor=request.user, token=token)
        return Response(status=status.HTTP_204_NO_CONTENT)
