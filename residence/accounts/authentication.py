"""API token authentication for every endpoint, loading what permission checks read next."""

from __future__ import annotations

from django.utils.translation import gettext_lazy as _
from rest_framework import authentication

from residence.accounts.tokens import TokenRefused, token_check


class TokenAuthentication(authentication.TokenAuthentication):
    """DRF's token authentication, with the user's office and agency in the same query.

    Jurisdiction (officers) and ownership (agency staff) are checked on almost every request, so
    loading them with the token saves a query per request (the review-queue benchmark's figure).
    A token lives ``API_TOKEN_LIFETIME`` from its creation; an expired one is deleted and refused.
    """

    def authenticate_credentials(self, key):
        model = self.get_model()
        try:
            token = model.objects.select_related("user", "user__office", "user__agency").get(key=key)
        except model.DoesNotExist:
            raise TokenRefused(_("Invalid token.")) from None
        token_check(token)
        return (token.user, token)
