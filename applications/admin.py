"""Admin: read-mostly views for support staff; every change goes through the services, never here."""

from __future__ import annotations

from django.contrib import admin

from residence.core.admin import ReadOnlyAdmin

from .models import (
    ApplicantProfile,
    Application,
    ApplicationDocument,
    Authorisation,
    Notification,
    StatusChange,
)


@admin.register(Application)
class ApplicationAdmin(ReadOnlyAdmin):
    list_display = [
        "reference",
        "channel",
        "status",
        "green_channel",
        "stage_deadline",
        "province",
        "submitted_at",
    ]
    list_filter = ["stage", "status", "channel", "green_channel", "province"]
    search_fields = ["reference"]
    list_select_related = ["applicant"]
    ordering = ["priority", "stage_deadline", "id"]
    # Counting a million rows on every page is what makes a changelist slow; keep it off.
    show_full_result_count = False


@admin.register(ApplicantProfile)
class ApplicantProfileAdmin(ReadOnlyAdmin):
    list_display = ["__str__", "nationality", "passport_number", "province", "is_active"]
    search_fields = ["family_name", "given_names", "passport_number"]


@admin.register(StatusChange)
class StatusChangeAdmin(ReadOnlyAdmin):
    list_display = ["application", "from_status", "to_status", "actor", "at"]
    list_select_related = ["application", "actor"]


@admin.register(ApplicationDocument)
class ApplicationDocumentAdmin(ReadOnlyAdmin):
    list_display = [
        "application",
        "document_type",
        "version",
        "content_type",
        "size",
        "superseded",
        "uploaded_at",
    ]
    exclude = ["file"]


admin.site.register(Authorisation, ReadOnlyAdmin)
admin.site.register(Notification, ReadOnlyAdmin)
