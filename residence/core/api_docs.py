"""The OpenAPI schema and its Swagger UI, open to whom ``API_DOCS`` says: public, signed in, or off.

The UI is drf-spectacular's split view (its start-up script is a file of its own, not inline) with a
template whose styles are in a static file, so the page runs under the portal's CSP.
"""

from __future__ import annotations

from django.conf import settings
from drf_spectacular.views import SpectacularAPIView, SpectacularSwaggerSplitView
from rest_framework.exceptions import NotFound
from rest_framework.permissions import AllowAny, IsAuthenticated
from rest_framework.views import APIView


class _DocsAccess(APIView):
    """Mixed into drf-spectacular's views (APIViews), before them in the bases."""

    def initial(self, request, *args, **kwargs):
        if settings.API_DOCS == "off":
            raise NotFound
        super().initial(request, *args, **kwargs)

    def get_permissions(self):
        return [IsAuthenticated() if settings.API_DOCS == "signed_in" else AllowAny()]


class ApiSchemaView(_DocsAccess, SpectacularAPIView):
    pass


class ApiDocsView(_DocsAccess, SpectacularSwaggerSplitView):
    template_name = "api/swagger_ui.html"
