"""Admin: read-only views of the records; every change goes through the services (and the portal pages)."""

from __future__ import annotations

from django.contrib import admin

from residence.core.admin import ReadOnlyAdmin

from .models import Ban, FamilyQuota, FamilyQuotaEntry, PolicyVersion, TalentProgram


@admin.register(PolicyVersion)
class PolicyVersionAdmin(ReadOnlyAdmin):
    list_display = ["label", "status", "effective_from", "effective_to", "published_at"]
    list_filter = ["status"]
    search_fields = ["label"]


@admin.register(TalentProgram)
class TalentProgramAdmin(ReadOnlyAdmin):
    list_display = ["code", "name_en", "name_zh", "agency", "valid_from", "valid_to", "status"]
    list_filter = ["status", "agency"]
    search_fields = ["code", "name_en", "name_zh"]
    list_select_related = ["agency"]


@admin.register(FamilyQuota)
class FamilyQuotaAdmin(ReadOnlyAdmin):
    list_display = ["year", "region", "places"]


@admin.register(FamilyQuotaEntry)
class FamilyQuotaEntryAdmin(ReadOnlyAdmin):
    list_display = ["application_id", "quota", "state", "submitted_at", "allocated_at"]
    list_filter = ["state"]
    list_select_related = ["quota"]


@admin.register(Ban)
class BanAdmin(ReadOnlyAdmin):
    list_display = ["passport_number", "nationality", "birth_date", "ground", "until"]
    list_filter = ["ground"]
    search_fields = ["passport_number"]
